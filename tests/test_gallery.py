"""Photo stories (图集, issue 13): `gallery:` in an article's front matter becomes a row of
<picture>s that swipes on phones (CSS scroll-snap), scrolls with the arrow keys, reads as a
list of captioned figures, passes axe, and puts every photo in the feeds as a media item."""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from audit_lighthouse import serve
from browser import PHONE, browser_fixture, goto, run_axe
from conftest import build_tree, check_tree, page, write_tree
from photo_sample import camera_jpeg

MD = "content/news/2021/shuwu.md"
URL = "news/2021/06/shuwu/"
ARTICLE = """---
title: 职工书屋新添图书
date: 2021-06-01 09:00
reporters: [羊荣江]
region: 绍兴市柯桥区
column: 工运速递
gallery:
  - {{image: images/g1.jpg, caption: 书屋一角, credit: 通讯员 曹张明 摄}}
  - images/g2.jpg
  - image: images/g3.jpg
    caption: 读书会现场
{extra}---

柯桥区职工书屋新添图书三千册。
"""
MEDIA = "{http://search.yahoo.com/mrss/}"


def gallery_tree(root, extra: str = ""):
    write_tree(root, {MD: ARTICLE.format(extra=extra)})
    for i in (1, 2, 3):
        camera_jpeg(root / f"content/images/g{i}.jpg", size=(1600, 1200), seed=i)
    return root


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = gallery_tree(tmp_path_factory.mktemp("gallery"))
    proc = build_tree(root)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return root / "site"


def test_gallery_is_a_list_of_captioned_pictures(site):
    doc = page(site, URL)
    section = doc.select_one("section.nr-gallery")
    assert section.select_one("h2").get_text() == "图集（3 张）"
    track = section.select_one("ol.nr-gallery-track")
    assert track["tabindex"] == "0" and "方向键" in track["aria-label"]
    items = track.select("li.nr-gallery-item")
    assert [li.select_one("img")["alt"] for li in items] == ["书屋一角", "职工书屋新添图书 图2", "读书会现场"]
    assert [li.select_one(".nr-gallery-count").get_text() for li in items] == ["1/3", "2/3", "3/3"]
    assert items[0].select_one(".nr-credit").get_text() == "通讯员 曹张明 摄"
    for li in items:
        source, img = li.select_one("picture source"), li.select_one("picture img")
        assert source["type"] == "image/webp" and source["srcset"].endswith("1080w")
        assert img["loading"] == "lazy" and (img["width"], img["height"]) == ("1080", "810")
    assert [a["href"] for a in section.select("nav a")] == ["#nr-photo-1", "#nr-photo-2", "#nr-photo-3"]


def test_gallery_photos_are_feed_media_items(site):
    item = next(i for i in ET.parse(site / "feed.xml").getroot().iter("item")
                if i.findtext("link").endswith(URL))
    contents = item.findall(f"{MEDIA}content")
    assert len(contents) == 3
    for c in contents:
        local = site / c.get("url").split("/", 3)[3]
        assert c.get("type") == "image/jpeg" and int(c.get("fileSize")) == local.stat().st_size
        assert (c.get("width"), c.get("height")) == ("1080", "810")
    assert contents[0].findtext(f"{MEDIA}description") == "书屋一角"
    assert contents[0].find(f"{MEDIA}credit").text == "通讯员 曹张明 摄"
    feed = json.loads((site / "feed.json").read_text(encoding="utf-8"))
    attachments = next(i for i in feed["items"] if i["url"].endswith(URL))["attachments"]
    assert [a.get("title") for a in attachments] == ["书屋一角", None, "读书会现场"]


def test_missing_gallery_photo_is_an_error_at_its_item(tmp_path):
    root = gallery_tree(tmp_path)
    (root / "content/images/g2.jpg").unlink()
    proc = check_tree(root)
    assert proc.returncode == 1
    assert f"{MD}:9: 图集图片“images/g2.jpg”不存在" in proc.stderr


def test_malformed_gallery_item_is_an_error(tmp_path):
    root = write_tree(tmp_path, {MD: ARTICLE.format(extra="").replace("  - images/g2.jpg", "  - {caption: 没有图片}")})
    proc = check_tree(root)
    assert proc.returncode == 1
    assert f"{MD}:9: 图集的每一项应写成 {{image: 图片路径, caption: 说明, credit: 摄影}}" in proc.stderr


# ------------------------------------------------------------------ in Chromium

@pytest.fixture(scope="module")
def browser():
    yield from browser_fixture()


def test_gallery_swipes_scrolls_with_keys_and_passes_axe(browser, site):
    httpd, base = serve(site)
    ctx = browser.new_context(viewport=PHONE, locale="zh-CN", has_touch=True)
    try:
        tab = ctx.new_page()
        goto(tab, base + URL)
        track = tab.locator(".nr-gallery-track")
        style = track.evaluate("t => [getComputedStyle(t).scrollSnapType, getComputedStyle(t).overflowX]")
        assert style[0].startswith("x") and style[1] == "auto"
        # One photo per screen: the row is three screens wide, the page itself does not scroll sideways.
        widths = track.evaluate("t => [t.scrollWidth, t.clientWidth, document.documentElement.scrollWidth]")
        assert widths[0] >= 3 * widths[1] and widths[2] <= PHONE["width"]
        track.focus()
        assert tab.evaluate("document.activeElement.classList.contains('nr-gallery-track')")
        tab.keyboard.press("ArrowRight")
        tab.wait_for_function("document.querySelector('.nr-gallery-track').scrollLeft > 0")
        tab.wait_for_timeout(800)              # smooth scrolling, then the snap
        left = track.evaluate("t => t.scrollLeft")
        assert left > 0
        # The numbers jump to a photo.
        tab.locator(".nr-gallery-index a").nth(2).click()
        tab.wait_for_function("Math.abs(document.querySelector('#nr-photo-3').getBoundingClientRect().left"
                              " - document.querySelector('.nr-gallery-track').getBoundingClientRect().left) < 4")
        violations = run_axe(tab)
        assert not violations, violations
    finally:
        ctx.close()
        httpd.shutdown()
