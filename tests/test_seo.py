"""Metadata search engines and news apps read: JSON-LD, Open Graph, feed links, sitemaps.

Real builds (the sample site and the syndication fixture tree of test_feeds);
the HTML is parsed and every JSON-LD block is decoded and checked.
"""
from __future__ import annotations

import datetime as dt
import gzip
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote


from PIL import Image

from conftest import ROOT, page, soup
from test_feeds import (LEAD_TITLE, LEAD_URL, SITE_NAME, SITE_URL, XSS, build_now,
                        site_file)

SM = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
      "news": "http://www.google.com/schemas/sitemap-news/0.9"}
ISO = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00")


# ---------------------------------------------------------------- helpers

def jsonld(doc) -> list[dict]:
    out = []
    for script in doc.find_all("script", attrs={"type": "application/ld+json"}):
        text = script.string or ""
        assert "</" not in text                      # '</' is escaped as '<\/'
        out.append(json.loads(text))
    return out


def ld_of(doc, type_: str) -> dict:
    for block in jsonld(doc):
        for node in block.get("@graph", [block]):
            if node.get("@type") == type_:
                return node
    raise AssertionError(f"no {type_} JSON-LD")


def og(doc) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for meta in doc.find_all("meta", attrs={"property": True}):
        out.setdefault(meta["property"], []).append(meta.get("content", ""))
    return out


def feeds(doc) -> dict[str, str]:
    """href -> type of every feed the head links."""
    return {link["href"]: link["type"] for link in doc.head.find_all("link", rel="alternate")
            if link.get("type") in ("application/rss+xml", "application/feed+json")}


def description(doc) -> list[str]:
    """The content of every <meta name="description">."""
    return [m["content"] for m in doc.find_all("meta", attrs={"name": "description"})]


def canonical(doc) -> list[str]:
    return [link["href"] for link in doc.find_all("link", rel="canonical")]


def article_dirs(site: Path) -> list[str]:
    return sorted(p.parent.relative_to(site).as_posix() + "/" for p in (site / "news").glob("*/*/*/index.html"))


def check_news_article(site: Path, url: str, node: dict) -> None:
    assert node["@context"] == "https://schema.org" and node["@type"] == "NewsArticle"
    assert node["headline"]
    assert ISO.fullmatch(node["datePublished"]) and ISO.fullmatch(node["dateModified"])
    assert node["dateModified"] >= node["datePublished"]
    assert node["mainEntityOfPage"]["@id"] == SITE_URL + url == node["url"]
    assert node["author"] and all(a["@type"] in ("Person", "Organization") and a["name"] for a in node["author"])
    publisher = node["publisher"]
    assert publisher["@type"] == "Organization" and publisher["name"]
    assert publisher["logo"]["@type"] == "ImageObject" and publisher["logo"]["url"].startswith(SITE_URL)
    assert node["image"]
    for image in node["image"]:
        image_url = image["url"] if isinstance(image, dict) else image
        assert site_file(site, image_url).is_file(), image_url
    for org in node.get("about", []):
        assert org["@type"] == "Organization" and site_file(site, org["url"]).is_file()


# ---------------------------------------------------------------- sample site

def test_every_sample_article_has_news_article_and_open_graph(sample_site):
    urls = article_dirs(sample_site)
    assert urls
    for url in urls:
        doc = page(sample_site, url)
        check_news_article(sample_site, url, ld_of(doc, "NewsArticle"))
        meta = og(doc)
        assert meta["og:type"] == ["article"] and meta["og:url"] == [SITE_URL + url]
        for prop in ("og:title", "og:image", "og:site_name", "article:published_time"):
            assert meta.get(prop) and meta[prop][0], (url, prop)
        assert canonical(doc) == [SITE_URL + url]
        links = feeds(doc)
        assert links[SITE_URL + "feed.xml"] == "application/rss+xml"
        assert links[SITE_URL + "feed.json"] == "application/feed+json"
        for org in ld_of(doc, "NewsArticle").get("about", []):   # each brand's feed too
            assert org["url"] + "feed.xml" in links


def test_every_sample_brand_and_worker_page_has_markup(sample_site):
    for md in (ROOT / "brands").glob("*.md"):
        url = f"brands/{md.stem}/"
        doc = page(sample_site, url)
        node = ld_of(doc, "Organization")
        assert node["name"] and node["url"] == SITE_URL + url
        assert site_file(sample_site, node["logo"]).is_file()
        assert feeds(doc)[SITE_URL + url + "feed.xml"] == "application/rss+xml"
    for md in (ROOT / "content/workers").glob("*.md"):
        url = f"workers/{md.stem}/"
        node = ld_of(page(sample_site, url), "Person")
        assert node["name"] and node["url"] == SITE_URL + url


def test_sample_sitemap_lists_every_page(sample_site):
    root = ET.parse(sample_site / "sitemap.xml").getroot()
    locs = {u.findtext("sm:loc", namespaces=SM): u.findtext("sm:lastmod", namespaces=SM)
            for u in root.findall("sm:url", SM)}
    for url in article_dirs(sample_site):
        assert ISO.fullmatch(locs[SITE_URL + url] or ""), url
    for md in (ROOT / "brands").glob("*.md"):
        assert SITE_URL + f"brands/{md.stem}/" in locs
    for md in (ROOT / "content/workers").glob("*.md"):
        assert SITE_URL + f"workers/{md.stem}/" in locs
    for url in ("", "news/", "brands/", "workers/"):
        assert SITE_URL + url in locs
    for loc in locs:
        assert site_file(sample_site, loc).is_file(), loc
    assert gzip.decompress((sample_site / "sitemap.xml.gz").read_bytes()) == (sample_site / "sitemap.xml").read_bytes()
    ET.parse(sample_site / "sitemap-news.xml")


# Sample articles without `summary` whose lede starts with a number: the lede describes them.
SAMPLE_LEDES = {
    "news/2021/09/huajian-jingsai/": "2021 年浙江省化学检验员（给排水）职工职业技能竞赛近日在柯桥落幕。"
                                     "来自全省供排水企业的选手在水质指标测定、仪器操作、数据处理等环节中同场比拼。",
    "news/2021/12/kegong-yi-kangyi/": "12 月以来，上虞、越城两地疫情反复，柯桥疫情防控压力陡增。“柯工益”各支工会志愿者队伍"
                                      "迅速集结，奔赴卡口、社区和企业，守卡口、测体温、查验“三码”，一守就是一整夜。",
    "news/2021/03/kegong-yi-xueleifeng/": "3 月 2 日，第 58 个全国学雷锋纪念日来临前，柯桥区总工会“柯工益”志愿者与柯桥街道"
                                          "总工会志愿服务队一起来到大渡社区，开展“三五学雷锋、工青志愿行”活动。",
    "news/2021/05/kegong-yuan-jiaoshi-lianyi/": "5 月 20 日，柯桥区总工会在一处职工疗休养基地举办“柯工缘”青年交友联谊活动，"
                                                "本场以教师为主，同时邀请了武警、消防等系统的青年职工参加。",
    "news/2021/12/zhuji-xinxi-tongxun-jingsai/": "2021 年诸暨市“通盛网络杯”信息通讯网络运行管理员职业技能大赛日前落下帷幕。"
                                                 "大赛由诸暨市人力资源和社会保障局、诸暨市总工会联合主办。",
    "news/2022/08/shuiwu-jingsai/": "2022 年浙江省水务技能（工业废水处理工）职工职业技能竞赛近日在柯桥举行。"
                                    "来自全省各地的选手围绕工艺运行、设备维护、水质分析等内容展开比拼。",
}


def test_sample_ledes_starting_with_a_number_are_the_descriptions(sample_site):
    for url, lede in SAMPLE_LEDES.items():
        doc = page(sample_site, url)
        assert description(doc) == [lede], url
        assert og(doc)["og:description"] == [lede], url
        assert ld_of(doc, "NewsArticle")["description"] == lede, url


def check_website_head(doc, url: str, title: str, text: str) -> None:
    """The head of a page that is a website's page (not an article, brand or worker)."""
    assert description(doc) == [text]
    meta = og(doc)
    assert meta["og:title"] == [title]
    assert meta["og:url"] == [SITE_URL + url]
    assert meta["og:type"] == ["website"]
    assert meta["og:description"] == [text]
    assert meta["og:image"] == [SITE_URL + "assets/publisher-logo.png"]   # extra.publisher.logo
    assert meta["og:site_name"] == [SITE_NAME]
    assert canonical(doc) == [SITE_URL + url]


def test_sample_about_page_has_head_metadata(sample_site):
    doc = page(sample_site, "about/")
    check_website_head(doc, "about/", "关于我们",
                       "本站是一个面向职工群众的工会新闻网站示例，集中发布各级总工会的工作动态、工会服务品牌和劳模工匠风采。")
    assert site_file(sample_site, og(doc)["og:image"][0]).is_file()


# ---------------------------------------------------------------- fixture tree: exact values

def test_news_article_jsonld(syndication_site):
    doc = page(syndication_site, LEAD_URL)
    node = ld_of(doc, "NewsArticle")
    check_news_article(syndication_site, LEAD_URL, node)
    assert node["headline"] == LEAD_TITLE
    assert node["datePublished"] == "2021-12-28T09:30:00+08:00"
    assert node["dateModified"] == "2022-01-03T10:00:00+08:00"          # the correction
    assert node["author"] == [{"@type": "Person", "name": "羊荣江"}]
    assert node["contributor"] == [{"@type": "Person", "name": "曹张明"}, {"@type": "Person", "name": "谢灿"}]
    assert node["publisher"]["name"] == "绍兴市柯桥区总工会"
    assert node["articleSection"] == "工运速递"
    assert node["about"] == [{"@type": "Organization", "name": "柯工益", "url": SITE_URL + "brands/ke-gong-yi/"}]
    assert node["keywords"] == ["志愿服务", "疫情防控"]
    images = [i["url"] if isinstance(i, dict) else i for i in node["image"]]
    assert images == [SITE_URL + "images/lead.png"]


def test_article_without_reporters_is_authored_by_the_publisher(syndication_site):
    node = ld_of(page(syndication_site, "news/2021/06/other/"), "NewsArticle")
    assert node["author"][0]["@type"] == "Organization"
    assert node["dateModified"] == node["datePublished"] == "2021-06-01T08:00:00+08:00"
    assert "contributor" not in node


def test_publisher_logo_is_in_the_site(syndication_site):
    node = ld_of(page(syndication_site, LEAD_URL), "NewsArticle")
    assert site_file(syndication_site, node["publisher"]["logo"]["url"]).is_file(), node["publisher"]["logo"]["url"]


def test_article_open_graph(syndication_site):
    meta = og(page(syndication_site, LEAD_URL))
    assert meta["og:title"] == [LEAD_TITLE]
    assert meta["og:type"] == ["article"]
    assert meta["og:url"] == [SITE_URL + LEAD_URL]
    # The lead photo's 1200x630 card (photos' og crop), with its size and a large Twitter card.
    [card] = meta["og:image"]
    assert re.fullmatch(re.escape(SITE_URL) + r"images/lead-[0-9a-f]{10}-og\.jpg", card), card
    assert (meta["og:image:width"], meta["og:image:height"]) == (["1200"], ["630"])
    assert meta["og:image:type"] == ["image/jpeg"] and meta["twitter:card"] == ["summary_large_image"]
    with Image.open(site_file(syndication_site, card)) as im:
        assert im.size == (1200, 630) and im.format == "JPEG" and not im.getexif()
    assert meta["og:site_name"] == [SITE_NAME]
    assert meta["og:locale"] == ["zh_CN"]
    assert meta["article:published_time"] == ["2021-12-28T09:30:00+08:00"]
    assert meta["article:modified_time"] == ["2022-01-03T10:00:00+08:00"]
    assert meta["article:section"] == ["工运速递"]
    assert meta["article:tag"] == ["志愿服务", "疫情防控"]


def test_head_links_feeds(syndication_site):
    site_feeds = {SITE_URL + "feed.xml": "application/rss+xml", SITE_URL + "feed.json": "application/feed+json"}
    brand = {SITE_URL + "brands/ke-gong-yi/feed.xml": "application/rss+xml",
             SITE_URL + "brands/ke-gong-yi/feed.json": "application/feed+json"}
    assert feeds(page(syndication_site, LEAD_URL)) == site_feeds | brand
    assert feeds(page(syndication_site, "brands/ke-gong-yi/")) == site_feeds | brand
    assert feeds(page(syndication_site, "news/")) == site_feeds
    assert feeds(page(syndication_site, "")) == site_feeds
    worker = feeds(page(syndication_site, "workers/ye-jinlong/"))
    assert worker[SITE_URL + "workers/ye-jinlong/feed.xml"] == "application/rss+xml"
    assert feeds(soup(syndication_site / "404.html")) == site_feeds
    for href in worker:
        assert site_file(syndication_site, href).is_file(), href
    titles = [link["title"] for link in page(syndication_site, LEAD_URL).head.find_all("link", rel="alternate")]
    assert all(titles)


def test_one_canonical_per_page(syndication_site):
    for url in ("", LEAD_URL, "brands/ke-gong-yi/", "workers/ye-jinlong/", "news/page/1/"):
        assert canonical(page(syndication_site, url)) == [SITE_URL + url], url


def test_brand_organization(syndication_site):
    node = ld_of(page(syndication_site, "brands/ke-gong-yi/"), "Organization")
    assert node["name"] == "柯工益"
    assert node["url"] == SITE_URL + "brands/ke-gong-yi/"
    assert node["logo"] == SITE_URL + "brands/img/ke-gong-yi.svg"
    assert site_file(syndication_site, node["logo"]).is_file()
    assert node["slogan"] == "工会有为，志愿有我"
    assert node["parentOrganization"] == {"@type": "Organization", "name": "柯桥区总工会"}


def test_worker_person(syndication_site):
    node = ld_of(page(syndication_site, "workers/ye-jinlong/"), "Person")
    assert node["name"] == "叶金龙"
    assert node["jobTitle"] == "高级技师"
    assert node["worksFor"] == {"@type": "Organization", "name": "浙江万马电缆股份有限公司"}
    assert node["award"] == ["全国劳动模范", "2020年 浙江工匠"]
    assert node["image"] == SITE_URL + "images/workers/ye-jinlong.svg"
    assert site_file(syndication_site, node["image"]).is_file()


def test_home_website_and_organization(syndication_site):
    doc = page(syndication_site, "")
    site = ld_of(doc, "WebSite")
    assert site["name"] == SITE_NAME and site["url"] == SITE_URL
    org = ld_of(doc, "Organization")
    assert org["name"] == "绍兴市柯桥区总工会" and org["logo"]["url"].startswith(SITE_URL)


def test_script_title_is_text_in_page_and_jsonld(syndication_site):
    raw = (syndication_site / unquote(LEAD_URL) / "index.html").read_text(encoding="utf-8")
    assert XSS not in raw
    outside_jsonld = re.sub(r'<script type="application/ld\+json">.*?</script>', "", raw, flags=re.S)
    assert "<script>alert" not in outside_jsonld
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in raw             # shown as characters
    assert "alert(1)<\\/script>" in raw                               # JSON-LD: '</' escaped
    doc = soup(syndication_site / unquote(LEAD_URL) / "index.html")
    assert LEAD_TITLE in doc.body.get_text()
    assert ld_of(doc, "NewsArticle")["headline"] == LEAD_TITLE
    assert og(doc)["og:title"] == [LEAD_TITLE]
    for script in doc.find_all("script"):
        assert "alert(1)" not in (script.get("src") or "")
        if script.get("type") != "application/ld+json":
            assert "alert(1)" not in (script.string or "")
    # Listings that show the title escape it too.
    for url in ("", "brands/ke-gong-yi/", "workers/ye-jinlong/", "news/"):
        text = (syndication_site / unquote(url) / "index.html").read_text(encoding="utf-8")
        assert XSS not in text, url


def _sitemap(site: Path) -> dict[str, str | None]:
    root = ET.parse(site / "sitemap.xml").getroot()
    assert root.tag == f"{{{SM['sm']}}}urlset"
    return {u.findtext("sm:loc", namespaces=SM): u.findtext("sm:lastmod", namespaces=SM)
            for u in root.findall("sm:url", SM)}


def test_sitemap_lastmod(syndication_site):
    locs = _sitemap(syndication_site)
    assert locs[SITE_URL + LEAD_URL] == "2022-01-03T10:00:00+08:00"          # modified, not published
    assert locs[SITE_URL + "news/2021/06/other/"] == "2021-06-01T08:00:00+08:00"
    recent = dt.datetime.fromisoformat(locs[SITE_URL + "brands/ke-gong-yi/"])
    assert dt.timedelta(0) < build_now() - recent < dt.timedelta(hours=4)   # newest article naming it
    assert locs[SITE_URL + "workers/ye-jinlong/"] == "2022-01-03T10:00:00+08:00"
    assert SITE_URL + "news/" in locs and SITE_URL in locs
    assert not any("draft" in loc for loc in locs)
    assert SITE_URL + "search/" not in locs
    assert len([loc for loc in locs if re.search(r"/news/\d{4}/\d{2}/[^/]+/$", loc)]) == 4 + 52


def test_google_news_sitemap(syndication_site):
    root = ET.parse(syndication_site / "sitemap-news.xml").getroot()
    urls = root.findall("sm:url", SM)
    assert len(urls) == 1                                   # only the last two days
    url = urls[0]
    now = build_now() - dt.timedelta(hours=3)
    assert url.findtext("sm:loc", namespaces=SM) == SITE_URL + f"news/{now:%Y/%m}/today-flash/"
    news = url.find("news:news", SM)
    assert news.findtext("news:publication/news:name", namespaces=SM) == SITE_NAME
    assert news.findtext("news:publication/news:language", namespaces=SM) == "zh"
    assert ISO.fullmatch(news.findtext("news:publication_date", namespaces=SM))
    assert news.findtext("news:title", namespaces=SM) == "今日快讯：柯工益志愿者走进企业"


def test_robots_txt_points_at_the_sitemaps(sample_site):
    text = (sample_site / "robots.txt").read_text(encoding="utf-8")
    assert "User-agent: *" in text
    assert "Sitemap: https://news.kqzgh.example.cn/sitemap.xml" in text
    assert "Sitemap: https://news.kqzgh.example.cn/sitemap-news.xml" in text
