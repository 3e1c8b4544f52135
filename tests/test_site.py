"""The public site, end to end: real builds through the CLI, HTML parsed and asserted.

A fixture tree with known content checks the URL contract, indexes across pages,
drafts and scheduled articles; the sample site checks the real content builds.
"""
from __future__ import annotations

import datetime as dt
import re
import subprocess
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import pytest

from conftest import BIN, ENV, ROOT, build_tree, newsroom, page, soup, write_tree

TZ = dt.timezone(dt.timedelta(hours=8))
N_BRAND = 45          # articles naming ke-gong-sai: three listing pages of 20


def _article(i: int, when: dt.datetime, brands: str, workers: str = "[]", extra: str = "") -> str:
    return f"""---
title: 第{i}号 柯工赛技能比武新闻
date: {when:%Y-%m-%d %H:%M}
reporters: [羊荣江]
brands: {brands}
workers: {workers}
tags: [技能竞赛]
region: 绍兴市柯桥区
column: 工运速递
{extra}---

柯桥区总工会举办第{i}场技能竞赛，职工踊跃参加。
"""


def _tree_files() -> dict[str, str]:
    files = {
        "brands/ke-gong-sai.md": "---\nname: 柯工赛\nslogan: 以赛促训，以赛育匠\nowner: 柯桥区总工会\n"
                                 "family: 柯工\nattribute: 以技能竞赛为抓手。\nsince: 2021\n---\n\n柯工赛品牌介绍。\n",
        "brands/jia-gong-hui.md": "---\nname: 嘉工惠\nowner: 嘉善县总工会\nsince: 2019\n---\n\n嘉工惠介绍。\n",
        "content/workers/ye-jinlong.md": "---\nname: 叶金龙\nhonors: [全国劳动模范, {title: 浙江工匠, year: 2020}]\n"
                                         "occupation: 高级技师\nemployer: 浙江万马电缆股份有限公司\nregion: 杭州市临安区\n---\n\n叶金龙简介。\n",
    }
    base = dt.datetime(2020, 1, 5, 9, 30)
    for i in range(N_BRAND):
        when = base + dt.timedelta(days=17 * i)
        workers = "[ye-jinlong]" if i % 10 == 0 else "[]"
        brands = "[ke-gong-sai]" if i % 3 else "[柯工赛, jia-gong-hui]"   # by id and by exact name
        files[f"content/news/{when:%Y}/race-{i:02d}.md"] = _article(i, when, brands, workers)
    files["content/news/2021/lead.md"] = """---
title: 柯桥区总工会聚力构筑“柯工”品牌矩阵
date: 2021-12-28 09:30
kicker: 工会喊得响 职工记得住
subtitle: 五大品牌贯穿全年工作
reporters: [羊荣江]
correspondents: [曹张明, 谢灿]
source: 本报讯
region: 绍兴市柯桥区
brands: [jia-gong-hui]
workers: [叶金龙]
tags: [志愿服务, 疫情防控]
column: 大调研·样本
image: images/lead.svg
image_caption: 柯桥街道总工会组织职工志愿开展反诈宣传
image_credit: 通讯员 邱一梅 摄
featured: true
slug: kegong-brands
---

一年来，柯桥工会集成五大品牌贯穿全年工作。另见[第一场比武](../2020/race-00.md)。
"""
    files["content/images/lead.svg"] = ('<svg xmlns="http://www.w3.org/2000/svg" width="800" height="450" '
                                        'viewBox="0 0 800 450"><rect width="800" height="450" fill="#c00"/></svg>\n')
    now = dt.datetime.now(TZ)
    files["content/news/2021/secret-draft.md"] = _article(900, dt.datetime(2021, 5, 1), "[ke-gong-sai]",
                                                          extra="draft: true\n").replace("第900号", "草稿测试")
    later = now + dt.timedelta(days=30)
    files[f"content/news/{later:%Y}/scheduled.md"] = _article(901, later, "[ke-gong-sai]").replace("第901号", "未来测试")
    return files


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> Path:
    root = write_tree(tmp_path_factory.mktemp("tree"), _tree_files())
    proc = build_tree(root)
    assert proc.returncode == 0, proc.stderr
    return root


@pytest.fixture(scope="module")
def site(tree) -> Path:
    return tree / "site"


def _links(doc, selector: str) -> list[str]:
    return [a["href"] for a in doc.select(selector)]


def _resolve(page_url: str, href: str) -> str:
    """A relative href on page_url, as a site-root-relative URL."""
    return urlparse(urljoin("http://x/" + page_url, href)).path.lstrip("/")


def _article_urls_in(site: Path, url: str, selector: str = "ol.nr-list a.nr-item-link") -> list[str]:
    return [_resolve(url, h) for h in _links(page(site, url), selector)]


def _brand_articles(tree: Path) -> list[str]:
    """Expected: every published article naming 柯工赛, newest first, from the source files."""
    out = []
    for i in range(N_BRAND):
        when = dt.datetime(2020, 1, 5, 9, 30) + dt.timedelta(days=17 * i)
        out.append((when, f"news/{when:%Y}/{when:%m}/race-{i:02d}/"))
    return [u for _, u in sorted(out, reverse=True)]


# ---------------------------------------------------------------- URL contract

@pytest.mark.parametrize("url", [
    "", "news/", "news/page/1/", "news/2020/", "news/2021/12/kegong-brands/", "brands/",
    "brands/ke-gong-sai/", "brands/ke-gong-sai/page/1/", "workers/",
    "workers/ye-jinlong/", "tags/", "tags/技能竞赛/", "regions/绍兴市柯桥区/", "columns/大调研·样本/",
    "search/",
])
def test_url_exists(site, url):
    assert (site / unquote(url) / "index.html").is_file(), url


def test_no_second_brand_page_and_chinese_404(site):
    # 45 articles, 20 a page: page 1 holds the oldest 20, the front the newest 25.
    assert not (site / "brands/ke-gong-sai/page/2").exists()
    doc = soup(site / "404.html")
    assert "页面不存在" in doc.get_text() or "找不到" in doc.get_text()


def test_html_is_chinese_material(site):
    doc = page(site, "")
    assert doc.html["lang"].startswith("zh")
    assert "mkdocs-material" in str(doc.find("meta", attrs={"name": "generator"}))


# ---------------------------------------------------------------- article page

def test_article_page_fields(site):
    doc = page(site, "news/2021/12/kegong-brands/")
    art = doc.select_one("article.nr-article")
    assert art is not None
    assert art.select_one(".nr-kicker").get_text(strip=True) == "工会喊得响 职工记得住"
    assert art.select_one("h1.nr-title").get_text(strip=True) == "柯桥区总工会聚力构筑“柯工”品牌矩阵"
    assert art.select_one(".nr-subtitle").get_text(strip=True) == "五大品牌贯穿全年工作"
    byline = art.select_one(".nr-byline").get_text(" ", strip=True)
    assert "记者" in byline and "羊荣江" in byline and "通讯员" in byline and "谢灿" in byline
    assert "本报讯" in art.get_text()
    date = art.select_one("time.nr-date")
    assert date.get_text(strip=True).startswith("2021年12月28日")
    assert date["datetime"].startswith("2021-12-28T09:30:00+08:00")
    assert "绍兴市柯桥区" in art.select_one(".nr-region").get_text()
    assert "大调研·样本" in art.select_one(".nr-column").get_text()
    fig = art.select_one("figure.nr-lead-image")
    img = fig.find("img")
    assert _resolve("news/2021/12/kegong-brands/", img["src"]) == "images/lead.svg"
    assert img.get("width") and img.get("height")
    assert "反诈宣传" in fig.get_text() and "邱一梅" in art.select_one(".nr-credit").get_text()
    brand_links = [_resolve("news/2021/12/kegong-brands/", h) for h in _links(art, ".nr-brands a")]
    assert brand_links == ["brands/jia-gong-hui/"]
    worker_links = [_resolve("news/2021/12/kegong-brands/", h) for h in _links(art, ".nr-workers a")]
    assert worker_links == ["workers/ye-jinlong/"]
    tags = [a.get_text(strip=True) for a in art.select(".nr-tags a")]
    assert tags == ["志愿服务", "疫情防控"]


def test_related_articles_share_something(site):
    doc = page(site, "news/2021/12/kegong-brands/")
    related = [_resolve("news/2021/12/kegong-brands/", h) for h in _links(doc, ".nr-related a")]
    assert 3 <= len(related) <= 5
    assert "news/2021/12/kegong-brands/" not in related


def test_relative_md_link_between_articles_resolves(site):
    doc = page(site, "news/2021/12/kegong-brands/")
    body_links = [_resolve("news/2021/12/kegong-brands/", a["href"]) for a in doc.select("article.nr-article a")
                  if "第一场比武" in a.get_text()]
    assert body_links == ["news/2020/01/race-00/"]


# ---------------------------------------------------------------- indexes

def test_brand_index_lists_exactly_its_articles_newest_first_across_pages(site, tree):
    found = []
    for url in ("brands/ke-gong-sai/", "brands/ke-gong-sai/page/1/"):
        found += _article_urls_in(site, url)
    assert found == _brand_articles(tree)


def test_brand_by_name_counts_and_other_brand(site):
    # Articles naming 柯工赛 by name also name jia-gong-hui; plus the lead story.
    listed = _article_urls_in(site, "brands/jia-gong-hui/")
    assert listed[0] == "news/2021/12/kegong-brands/"
    assert len(listed) == len(range(0, N_BRAND, 3)) + 1


def test_brand_page_links_only_to_its_own_articles(site, tree):
    allowed = set(_brand_articles(tree))
    for url in ("brands/ke-gong-sai/", "brands/ke-gong-sai/page/1/"):
        doc = page(site, url)
        for a in doc.find_all("a", href=True):
            target = _resolve(url, a["href"])
            if re.match(r"news/\d{4}/\d{2}/[^/]+/$", target):
                assert target in allowed, (url, target)


def test_brand_showcase_fields(site):
    doc = page(site, "brands/ke-gong-sai/")
    text = doc.get_text(" ", strip=True)
    for expected in ("柯工赛", "以赛促训，以赛育匠", "以技能竞赛为抓手", "柯桥区总工会", "2021", "柯工赛品牌介绍"):
        assert expected in text


def test_worker_index_lists_exactly_its_articles(site):
    listed = _article_urls_in(site, "workers/ye-jinlong/")
    expected_races = [i for i in range(N_BRAND) if i % 10 == 0]
    assert len(listed) == len(expected_races) + 1
    assert listed == sorted(listed, key=lambda u: u[5:12], reverse=True)
    text = page(site, "workers/ye-jinlong/").get_text(" ", strip=True)
    for expected in ("叶金龙", "全国劳动模范", "浙江工匠", "高级技师", "浙江万马电缆股份有限公司", "杭州市临安区"):
        assert expected in text


def test_news_listing_newest_first_and_paginated(site):
    # 46 articles, 20 a page: page 1 the oldest 20, the front the newest 26 (kinds/base.py).
    first = _article_urls_in(site, "news/")
    second = _article_urls_in(site, "news/page/1/")
    assert len(first) == 26 and len(second) == 20
    assert not (site / "news/page/2").exists()
    everything = first + second
    dates = [u[5:12] for u in everything]
    assert dates == sorted(dates, reverse=True)
    assert len(set(everything)) == len(everything) == N_BRAND + 1


def test_year_archive_only_that_year(site):
    listed = _article_urls_in(site, "news/2020/")
    assert listed and all(u.startswith("news/2020/") for u in listed)


def test_home_page(site):
    doc = page(site, "")
    lead = doc.select_one(".nr-lead")
    assert "柯桥区总工会聚力构筑" in lead.get_text()
    assert doc.select(".nr-latest a") and doc.select(".nr-brand-wall a") and doc.select(".nr-spotlight a")
    assert "叶金龙" in doc.select_one(".nr-spotlight").get_text()


def test_brand_wall_grouped_by_owner_with_families_on_cards(site):
    doc = page(site, "brands/")
    headings = [h.get_text(strip=True) for h in doc.select("h2")]
    assert "柯桥区总工会" in headings and "柯工" not in headings    # a family is no owner
    families = [c.get_text(strip=True) for c in doc.select(".nr-brand-card .nr-brand-family")]
    assert "柯工品牌" in families


# ---------------------------------------------------------------- drafts and scheduled

def test_drafts_and_future_articles_are_nowhere(site):
    for path in site.rglob("*"):
        if path.suffix in (".html", ".xml", ".json", ".txt"):
            text = path.read_text(encoding="utf-8", errors="replace")
            assert "草稿测试" not in text and "secret-draft" not in text, path
            assert "未来测试" not in text and "/scheduled/" not in text, path


def test_serve_drafts_flag_is_accepted():
    proc = newsroom("serve", "--help")
    assert "--drafts" in proc.stdout


# ---------------------------------------------------------------- nav, hosts, footer

def test_articles_never_in_nav(site):
    for url in ("", "news/2021/12/kegong-brands/", "brands/ke-gong-sai/"):
        doc = page(site, url)
        for nav in doc.select("nav.md-nav--primary, nav.md-tabs"):
            for a in nav.find_all("a", href=True):
                assert not re.match(r"news/\d{4}/\d{2}/", _resolve(url, a["href"])), a["href"]


def test_no_request_to_another_host(site):
    site_host = "news.kqzgh.example.cn"
    for path in list(site.rglob("*.html"))[:200]:
        doc = soup(path)
        for tag, attr in (("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src"),
                          ("source", "src"), ("video", "src"), ("audio", "src")):
            for el in doc.find_all(tag):
                value = el.get(attr)
                if not value or (tag == "link" and el.get("rel") in (["canonical"], ["alternate"])):
                    continue
                host = urlparse(value).netloc
                assert host in ("", site_host), f"{path}: {tag} {value}"
        assert "fonts.googleapis" not in path.read_text(encoding="utf-8")


def test_footer_publisher_and_beian(site):
    doc = page(site, "news/2021/12/kegong-brands/")
    footer = doc.find("footer")
    text = footer.get_text(" ", strip=True)
    assert "绍兴市柯桥区总工会" in text
    assert "浙ICP备00000000号-1" in text and "浙公网安备" in text
    icp = footer.find("a", string=re.compile("ICP"))
    assert icp["href"].startswith("https://beian.miit.gov.cn")


# ---------------------------------------------------------------- the sample site

def test_sample_site_builds_and_is_complete(sample_site):
    articles = list((ROOT / "content/news").rglob("*.md"))
    pages = [p for p in sample_site.glob("news/*/*/*/index.html")]
    assert len(pages) >= 30 and len(articles) >= 32
    assert len(list(sample_site.glob("brands/*/index.html"))) >= 8
    assert len(list(sample_site.glob("workers/*/index.html"))) >= 10


def test_sample_site_every_brand_and_worker_listed(sample_site):
    doc = page(sample_site, "brands/")
    brand_links = {_resolve("brands/", a["href"]) for a in doc.find_all("a", href=True)}
    for md in (ROOT / "brands").glob("*.md"):
        assert f"brands/{md.stem}/" in brand_links
    doc = page(sample_site, "workers/")
    worker_links = {_resolve("workers/", a["href"]) for a in doc.find_all("a", href=True)}
    for md in (ROOT / "content/workers").glob("*.md"):
        assert f"workers/{md.stem}/" in worker_links


def test_plain_mkdocs_build_works(tmp_path):
    proc = subprocess.run([str(BIN / "mkdocs"), "build", "-q",
                           "-f", "site_config.yml", "-d", str(tmp_path / "site")],
                          cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "site/index.html").is_file()
    assert list((tmp_path / "site/news").glob("*/*/*/index.html"))
