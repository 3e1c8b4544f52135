"""Syndication feeds, end to end: RSS 2.0 and JSON Feed 1.1 from real builds.

Every feed of the sample site is parsed with feedparser (never bozo) and
checked item by item; a fixture tree with known content (a `<script>` title,
relative links and images in the body, a correction, a draft, 56 articles)
checks the exact values.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, unquote, urlparse

import feedparser

from conftest import ROOT, build_tree, write_tree

from newsroom.outputs.feeds import FILE_TYPES as NOTICE_ATTACHMENT_TYPES

SITE_URL = "https://news.kqzgh.example.cn/"          # site_url in site_config.yml
SITE_NAME = "柯桥工会新闻网"
TZ = dt.timezone(dt.timedelta(hours=8))
NS = {
    "content": "http://purl.org/rss/1.0/modules/content/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "atom": "http://www.w3.org/2005/Atom",
    "media": "http://search.yahoo.com/mrss/",
}
XSS = "<script>alert(1)</script>"
LEAD_TITLE = f"柯工益{XSS}“志愿”&热线"
LEAD_URL = "news/2021/12/kegong-brands/"
N_FILLER = 52                                          # jia-gong-hui articles: more than a feed holds

# A 1x1 PNG (the enclosure's length must be its size in bytes).
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201a5f6b1"
                    "6a0000000049454e44ae426082")
SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><rect width="8" height="8"/></svg>\n'


# ---------------------------------------------------------------- the fixture tree

def build_now() -> dt.datetime:
    """The build time the builds will use: NEWSROOM_NOW if the environment pins it, else now."""
    text = os.environ.get("NEWSROOM_NOW")
    if text:
        from zoneinfo import ZoneInfo

        from newsroom.core.dates import parse_datetime
        return parse_datetime(text, ZoneInfo("Asia/Shanghai"))
    return dt.datetime.now(TZ)


def syndication_files(now: dt.datetime) -> dict[str, str]:
    recent = now - dt.timedelta(hours=3)
    old = now - dt.timedelta(days=5)
    files = {
        "brands/ke-gong-yi.md": """---
name: 柯工益
slogan: 工会有为，志愿有我
owner: 柯桥区总工会
region: 绍兴市柯桥区
attribute: 以工会志愿者为主体，提供常态化制度化志愿服务。
since: 2021
logo: brands/img/ke-gong-yi.svg
---

柯工益品牌介绍。
""",
        "brands/img/ke-gong-yi.svg": SVG,
        "brands/jia-gong-hui.md": "---\nname: 嘉工惠\nowner: 嘉善县总工会\nsince: 2019\n---\n\n嘉工惠介绍。\n",
        "content/workers/ye-jinlong.md": """---
name: 叶金龙
honors: [全国劳动模范, {title: 浙江工匠, year: 2020}]
occupation: 高级技师
employer: 浙江万马电缆股份有限公司
region: 杭州市临安区
photo: images/workers/ye-jinlong.svg
---

叶金龙简介。
""",
        "content/images/workers/ye-jinlong.svg": SVG,
        "content/images/body.svg": SVG,
        "content/news/2021/lead.md": f"""---
title: "{LEAD_TITLE}"
date: 2021-12-28 09:30
kicker: 工会喊得响 职工记得住
subtitle: 五大品牌贯穿全年工作
reporters: [羊荣江]
correspondents: [曹张明, 谢灿]
source: 本报讯
region: 绍兴市柯桥区
brands: [ke-gong-yi]
workers: [叶金龙]
tags: [志愿服务, 疫情防控]
column: 工运速递
image: images/lead.png
image_caption: 柯桥街道总工会组织职工志愿开展反诈宣传
image_credit: 通讯员 邱一梅 摄
summary: 一年来，柯桥工会集成五大品牌贯穿全年工作。
updated: 2022-01-03 10:00
slug: kegong-brands
---

一年来，柯桥工会集成五大品牌贯穿全年工作。另见[上半年的报道](other.md)和[品牌介绍](#bottom)。

![志愿服务现场](../../images/body.svg)

<p><a href='../../../../images/lead.png'>原图</a> <img src="../../../../images/body.svg" srcset="../../../../images/body.svg 1x, ../../../../images/lead.png 2x" alt="x"></p>

正文提到 &lt;b&gt; 和一个脚注[^1]。

[^1]: 脚注内容。
""",
        "content/news/2021/other.md": """---
title: 柯工益志愿服务上半年回顾
date: 2021-06-01 08:00
brands: [柯工益]
tags: [志愿服务]
---

上半年，柯工益志愿者服务职工三万余人次。
""",
        "content/news/recent/today.md": f"""---
title: 今日快讯：柯工益志愿者走进企业
date: {recent:%Y-%m-%d %H:%M}
reporters: [洪蕾婷]
brands: [ke-gong-yi]
slug: today-flash
---

今天，柯工益志愿者走进企业。
""",
        "content/news/recent/older.md": f"""---
title: 五天前的消息
date: {old:%Y-%m-%d %H:%M}
brands: [ke-gong-yi]
slug: five-days-ago
---

五天前，柯工益志愿者开展活动。
""",
        "content/news/2021/draft.md": """---
title: 草稿不应出现在订阅中
date: 2021-12-30 09:00
brands: [ke-gong-yi]
draft: true
---

草稿。
""",
    }
    base = dt.datetime(2019, 1, 2, 9, 0)
    for i in range(N_FILLER):
        when = base + dt.timedelta(days=7 * i)
        files[f"content/news/{when:%Y}/filler-{i:02d}.md"] = (
            f"---\ntitle: 嘉工惠第{i}期\ndate: {when:%Y-%m-%d %H:%M}\nbrands: [jia-gong-hui]\n"
            f"region: 嘉兴市嘉善县\ntags: [普惠]\n---\n\n嘉工惠第{i}期活动举行。\n")
    return files


def build_syndication_tree(root: Path) -> Path:
    """Write and build the fixture tree; returns the root (site in root/site)."""
    write_tree(root, syndication_files(build_now()))
    (root / "content/images/lead.png").write_bytes(PNG)
    proc = build_tree(root)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return root


# ---------------------------------------------------------------- helpers

class _Urls(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is None:
                continue
            if name in ("href", "src", "poster"):
                self.urls.append(value)
            elif name == "srcset":
                self.urls.extend(c.strip().split()[0] for c in value.split(",") if c.strip())


def urls_in(fragment: str) -> list[str]:
    p = _Urls()
    p.feed(fragment)
    p.close()
    return p.urls


def is_absolute(url: str) -> bool:
    parts = urlparse(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc) or parts.scheme in ("mailto", "tel", "data")


def site_file(site: Path, url: str) -> Path:
    """The file in the built site for an absolute URL of it."""
    assert url.startswith(SITE_URL), url
    rel = unquote(urlparse(url).path).lstrip("/")
    path = site / rel
    return path / "index.html" if url.endswith("/") or path.is_dir() else path


def parse_feed(path: Path):
    data = path.read_bytes()
    parsed = feedparser.parse(data)
    assert not parsed.bozo, f"{path}: {parsed.get('bozo_exception')}"
    return parsed, ET.fromstring(data), data


def all_feeds(site: Path) -> list[Path]:
    return sorted(site.rglob("feed.xml"))


def rss_items(root: ET.Element) -> list[ET.Element]:
    return root.findall("./channel/item")


def check_channel(site: Path, path: Path, root: ET.Element) -> None:
    channel = root.find("channel")
    assert root.get("version") == "2.0"
    for tag in ("title", "link", "description", "language", "lastBuildDate"):
        assert (channel.findtext(tag) or "").strip(), (path, tag)
    assert channel.findtext("language") == "zh-CN"
    assert channel.findtext("lastBuildDate").endswith("+0800")
    self_link = channel.find("atom:link", NS)
    assert self_link is not None and self_link.get("rel") == "self"
    assert self_link.get("href") == SITE_URL + _quoted(path.relative_to(site).as_posix())
    assert self_link.get("type") == "application/rss+xml"
    link = channel.findtext("link")
    assert is_absolute(link) and site_file(site, link).is_file(), link
    image = channel.find("image")
    assert image is not None
    image_url = image.findtext("url")
    assert image_url and "None" not in image_url and is_absolute(image_url)
    assert site_file(site, image_url).is_file(), image_url
    assert image.findtext("title") == channel.findtext("title")
    assert image.findtext("link") == link


def _quoted(rel: str) -> str:
    return quote(rel)


def check_item(site: Path, content_dir: Path, item: ET.Element) -> None:
    """Everything an item must carry, whatever the article."""
    tags = [child.tag for child in item]
    link = item.findtext("link")
    assert is_absolute(link) and link.startswith(SITE_URL), link
    assert site_file(site, link).is_file(), link
    guid = item.find("guid")
    assert guid.text == link and guid.get("isPermaLink") == "true"
    assert (item.findtext("title") or "").strip()
    assert re.fullmatch(r"\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} \+0800", item.findtext("pubDate")), \
        item.findtext("pubDate")
    desc, encoded = "description", f"{{{NS['content']}}}encoded"
    assert desc in tags and encoded in tags and tags.index(desc) < tags.index(encoded)
    assert (item.findtext("description") or "").strip()
    body = item.findtext("content:encoded", namespaces=NS)
    assert body and body.strip()
    for url in urls_in(body):
        assert is_absolute(url), (link, url)
        if url.startswith(SITE_URL):
            assert site_file(site, url.split("#")[0]).exists(), (link, url)
    enclosure = item.find("enclosure")
    if enclosure is not None:
        url = enclosure.get("url")
        assert url.startswith(SITE_URL)
        src = content_dir / unquote(url[len(SITE_URL):])
        assert int(enclosure.get("length")) == src.stat().st_size
        assert site_file(site, url).stat().st_size == src.stat().st_size
        ext = src.suffix.lower()
        assert enclosure.get("type") == {".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg",
                                         ".jpeg": "image/jpeg", ".webp": "image/webp", ".gif": "image/gif",
                                         **NOTICE_ATTACHMENT_TYPES}[ext]   # notices/feed.xml: attachments


def check_json_feed(site: Path, path: Path, rss: ET.Element) -> dict:
    feed = json.loads(path.read_text(encoding="utf-8"))
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["title"] == rss.findtext("channel/title")
    assert feed["home_page_url"] == rss.findtext("channel/link")
    assert feed["feed_url"] == SITE_URL + _quoted(path.relative_to(site).as_posix())
    assert feed["language"] == "zh-CN"
    assert isinstance(feed["items"], list)
    links = [i.findtext("link") for i in rss_items(rss)]
    assert [i["url"] for i in feed["items"]] == links
    for item in feed["items"]:
        # JSON Feed 1.1: id is required; every item has content_html or content_text.
        assert isinstance(item["id"], str) and item["id"] == item["url"]
        assert item["title"] and item["summary"] and item["content_html"]
        for key in ("date_published", "date_modified"):
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00", item[key]), item[key]
            dt.datetime.fromisoformat(item[key])
        assert item["date_modified"] >= item["date_published"]
        for url in urls_in(item["content_html"]):
            assert is_absolute(url), url
        for author in item.get("authors", []):
            assert author["name"]
        if "image" in item:
            assert item["image"].startswith(SITE_URL)
    return feed


def item_by_link(root: ET.Element, url: str) -> ET.Element:
    for item in rss_items(root):
        if item.findtext("link") == url:
            return item
    raise AssertionError(f"{url} not in feed")


# ---------------------------------------------------------------- sample site

def test_sample_site_has_site_and_brand_feeds(sample_site):
    assert (sample_site / "feed.xml").is_file() and (sample_site / "feed.json").is_file()
    brands = [p.stem for p in (ROOT / "brands").glob("*.md")]
    assert brands
    for brand in brands:
        assert (sample_site / "brands" / brand / "feed.xml").is_file(), brand
        assert (sample_site / "brands" / brand / "feed.json").is_file(), brand


def test_every_sample_feed_parses_and_every_item_is_complete(sample_site):
    feeds = all_feeds(sample_site)
    assert len(feeds) > 2
    for path in feeds:
        parsed, root, raw = parse_feed(path)
        check_channel(sample_site, path, root)
        items = rss_items(root)
        assert len(items) <= 50
        assert len(parsed.entries) == len(items)
        dates = [dt.datetime.strptime(i.findtext("pubDate"), "%a, %d %b %Y %H:%M:%S %z") for i in items]
        assert dates == sorted(dates, reverse=True), path     # newest first
        for item in items:
            check_item(sample_site, ROOT / "content", item)
        check_json_feed(sample_site, path.with_name("feed.json"), root)


def test_sample_site_feed_lists_the_latest_articles(sample_site):
    _, root, _ = parse_feed(sample_site / "feed.xml")
    pages = sorted(p.parent for p in (sample_site / "news").glob("*/*/*/index.html"))
    assert len(rss_items(root)) == min(50, len(pages)) > 0
    listed = {site_file(sample_site, i.findtext("link")).parent for i in rss_items(root)}
    assert listed <= set(pages)


def test_sample_items_carry_creators_categories_and_credits(sample_site):
    """Items whose articles have reporters, brands, tags and a credited photo show them all."""
    _, root, _ = parse_feed(sample_site / "feed.xml")
    items = rss_items(root)
    assert any(i.findall("dc:creator", NS) for i in items)
    assert any(i.findall("category") for i in items)
    with_image = [i for i in items if i.find("enclosure") is not None]
    assert with_image, "the sample site has articles with lead images"
    assert any(i.findtext("media:credit", namespaces=NS) for i in with_image)


# ---------------------------------------------------------------- fixture tree: exact values

def test_site_feed_holds_the_latest_50_published(syndication_site):
    parsed, root, _ = parse_feed(syndication_site / "feed.xml")
    items = rss_items(root)
    assert len(items) == 50 == len(parsed.entries)
    links = [i.findtext("link") for i in items]
    assert links[0] == SITE_URL + f"news/{build_now() - dt.timedelta(hours=3):%Y/%m}/today-flash/"
    assert SITE_URL + LEAD_URL in links
    assert not any("draft" in link for link in links)
    assert "草稿" not in (syndication_site / "feed.xml").read_text(encoding="utf-8")


def test_brand_feeds(syndication_site):
    _, root, _ = parse_feed(syndication_site / "brands/ke-gong-yi/feed.xml")
    titles = [i.findtext("title") for i in rss_items(root)]
    assert titles == ["今日快讯：柯工益志愿者走进企业", "五天前的消息", LEAD_TITLE, "柯工益志愿服务上半年回顾"]
    assert root.findtext("channel/link") == SITE_URL + "brands/ke-gong-yi/"
    assert "柯工益" in root.findtext("channel/title")
    _, root, _ = parse_feed(syndication_site / "brands/jia-gong-hui/feed.xml")
    items = rss_items(root)
    assert len(items) == 50
    assert items[0].findtext("title") == f"嘉工惠第{N_FILLER - 1}期"
    assert items[-1].findtext("title") == f"嘉工惠第{N_FILLER - 50}期"


def test_worker_and_region_feeds(syndication_site):
    _, root, _ = parse_feed(syndication_site / "workers/ye-jinlong/feed.xml")
    assert [i.findtext("link") for i in rss_items(root)] == [SITE_URL + LEAD_URL]
    _, root, _ = parse_feed(syndication_site / "regions/嘉兴市嘉善县/feed.xml")
    assert len(rss_items(root)) == 50
    assert root.find("channel/atom:link", NS).get("href") == \
        SITE_URL + "regions/%E5%98%89%E5%85%B4%E5%B8%82%E5%98%89%E5%96%84%E5%8E%BF/feed.xml"


# The whole headline: the title stays the 主题, kicker (引题) and subtitle (副题) open the
# description and the content; each byline says its role.
LEAD_DESCRIPTION = "工会喊得响 职工记得住\n——五大品牌贯穿全年工作\n一年来，柯桥工会集成五大品牌贯穿全年工作。"
LEAD_BYLINES = ["记者 羊荣江", "通讯员 曹张明", "通讯员 谢灿"]


def test_whole_headline_and_roles_in_every_reader(syndication_site):
    parsed, root, _ = parse_feed(syndication_site / "feed.xml")
    entry = next(e for e in parsed.entries if e.link == SITE_URL + LEAD_URL)
    assert entry.title == LEAD_TITLE
    assert entry.summary.startswith("工会喊得响 职工记得住\n——五大品牌贯穿全年工作")
    content = entry.content[0].value
    assert content.index("工会喊得响 职工记得住") < content.index("——五大品牌贯穿全年工作") < content.index("<figure")
    feed = json.loads((syndication_site / "feed.json").read_text(encoding="utf-8"))
    lead = next(i for i in feed["items"] if i["url"] == SITE_URL + LEAD_URL)
    assert lead["content_html"].startswith('<p class="nr-kicker">工会喊得响 职工记得住</p>'
                                           '<p class="nr-subtitle">——五大品牌贯穿全年工作</p>')
    assert lead["_newsroom"] == {"title": LEAD_TITLE, "kicker": "工会喊得响 职工记得住",
                                 "subtitle": "五大品牌贯穿全年工作", "reporters": ["羊荣江"],
                                 "correspondents": ["曹张明", "谢灿"]}
    # An article without kicker or subtitle: the description is its summary alone.
    other = next(i for i in feed["items"] if i["url"] == SITE_URL + "news/2021/06/other/")
    assert "\n" not in other["summary"] and not other["content_html"].startswith('<p class="nr-')
    assert other["_newsroom"] == {"title": other["title"]}


def test_lead_item_fields(syndication_tree, syndication_site):
    parsed, root, raw = parse_feed(syndication_site / "feed.xml")
    check_channel(syndication_site, syndication_site / "feed.xml", root)
    item = item_by_link(root, SITE_URL + LEAD_URL)
    check_item(syndication_site, syndication_tree / "content", item)
    assert item.findtext("title") == LEAD_TITLE
    assert item.findtext("guid") == SITE_URL + LEAD_URL
    assert item.findtext("pubDate") == "Tue, 28 Dec 2021 09:30:00 +0800"
    assert item.findtext("description") == LEAD_DESCRIPTION
    assert [c.text for c in item.findall("dc:creator", NS)] == LEAD_BYLINES
    assert [c.text for c in item.findall("category")] == ["柯工益", "志愿服务", "疫情防控"]
    enclosure = item.find("enclosure")
    assert enclosure.attrib == {"url": SITE_URL + "images/lead.png", "length": str(len(PNG)),
                                "type": "image/png"}
    assert item.findtext("media:credit", namespaces=NS) == "通讯员 邱一梅 摄"
    # feedparser reads the same
    entry = next(e for e in parsed.entries if e.link == SITE_URL + LEAD_URL)
    assert [a["name"] for a in entry.authors] == LEAD_BYLINES
    assert [t["term"] for t in entry.tags] == ["柯工益", "志愿服务", "疫情防控"]
    assert entry.enclosures[0]["href"] == SITE_URL + "images/lead.png"
    assert entry.media_credit[0]["content"] == "通讯员 邱一梅 摄"


def test_content_encoded_is_the_full_article_with_absolute_urls(syndication_site):
    _, root, _ = parse_feed(syndication_site / "feed.xml")
    body = item_by_link(root, SITE_URL + LEAD_URL).findtext("content:encoded", namespaces=NS)
    urls = urls_in(body)
    assert all(is_absolute(u) for u in urls), urls
    assert SITE_URL + "news/2021/06/other/" in urls                     # Markdown link to another article
    assert SITE_URL + LEAD_URL + "#bottom" in urls                     # in-page anchor
    assert SITE_URL + "images/body.svg" in urls                        # Markdown image
    assert SITE_URL + "images/lead.png" in urls                        # raw HTML, single quotes, srcset
    assert any(u.startswith(SITE_URL + LEAD_URL + "#fn") for u in urls)  # footnote
    assert "脚注内容" in body and "上半年的报道" in body                  # the whole body, not an excerpt
    assert "&lt;b&gt;" in body and "<b>" not in body                    # escaped text stays escaped


def test_script_title_is_text_in_feeds(syndication_site):
    for name in ("feed.xml", "brands/ke-gong-yi/feed.xml", "workers/ye-jinlong/feed.xml"):
        raw = (syndication_site / name).read_text(encoding="utf-8")
        assert "<script" not in raw, name
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in raw
        _, root, _ = parse_feed(syndication_site / name)
        assert LEAD_TITLE in [i.findtext("title") for i in rss_items(root)]
        feed = json.loads((syndication_site / name).with_name("feed.json").read_text(encoding="utf-8"))
        assert LEAD_TITLE in [i["title"] for i in feed["items"]]


def test_json_feed_items(syndication_site):
    _, root, _ = parse_feed(syndication_site / "feed.xml")
    feed = check_json_feed(syndication_site, syndication_site / "feed.json", root)
    assert feed["home_page_url"] == SITE_URL and feed["feed_url"] == SITE_URL + "feed.json"
    lead = next(i for i in feed["items"] if i["url"] == SITE_URL + LEAD_URL)
    assert lead["id"] == SITE_URL + LEAD_URL
    assert lead["title"] == LEAD_TITLE
    assert lead["summary"] == LEAD_DESCRIPTION
    assert lead["date_published"] == "2021-12-28T09:30:00+08:00"
    assert lead["date_modified"] == "2022-01-03T10:00:00+08:00"     # the correction
    assert lead["authors"] == [{"name": n} for n in LEAD_BYLINES]
    assert lead["tags"] == ["柯工益", "志愿服务", "疫情防控"]
    assert lead["image"] == SITE_URL + "images/lead.png"
    assert SITE_URL + "images/body.svg" in urls_in(lead["content_html"])
    other = next(i for i in feed["items"] if i["url"] == SITE_URL + "news/2021/06/other/")
    assert other["date_modified"] == other["date_published"] == "2021-06-01T08:00:00+08:00"
    assert "image" not in other and "authors" not in other
    for path in all_feeds(syndication_site):
        _, root, _ = parse_feed(path)
        check_channel(syndication_site, path, root)
        check_json_feed(syndication_site, path.with_name("feed.json"), root)


def test_channel_last_build_date_is_the_newest_change(syndication_site):
    _, root, _ = parse_feed(syndication_site / "workers/ye-jinlong/feed.xml")
    assert root.findtext("channel/lastBuildDate") == "Mon, 03 Jan 2022 10:00:00 +0800"
