"""Image sizes (images.py), body images (mdext.py) and the brand activity chart (charts.py).

No browser: the sizes are read from crafted files, the body images from a real build,
and the chart's bars are checked against the article dates on the brand's own listing.
"""
from __future__ import annotations

import datetime as dt
import re
import struct
from collections import Counter
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urljoin, urlparse

import pytest

from conftest import build_tree, page, write_tree
from conftest import png
from PIL import Image

from newsroom import photos
from newsroom.pages import charts
from newsroom.content.images import image_size, svg_size

TZ = dt.timezone(dt.timedelta(hours=8))


def jpeg(width: int, height: int, progressive: bool = False) -> bytes:
    """SOI, a JFIF APP0, an EXIF-like APP1 with 0xFF bytes inside, then SOF0/SOF2."""
    app0 = b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0"
    app1 = b"Exif\0\0" + b"\xff\xd8\xff\xc0" * 8        # a thumbnail's markers must not confuse
    sof = b"\x08" + struct.pack(">HH", height, width) + b"\x03\x01\x22\0\x02\x11\x01\x03\x11\x01"
    seg = lambda m, d: b"\xff" + bytes([m]) + struct.pack(">H", len(d) + 2) + d  # noqa: E731
    return b"\xff\xd8" + seg(0xE0, app0) + seg(0xE1, app1) + seg(0xC2 if progressive else 0xC0, sof) + b"\xff\xd9"


# ------------------------------------------------------------------ images.py

def test_image_size_reads_png_jpeg_svg(tmp_path):
    files = {
        "a.png": png(37, 21), "b.jpg": jpeg(1600, 900), "c.jpeg": jpeg(640, 1280, progressive=True),
        "d.svg": b'<?xml version="1.0"?>\n<!-- x -->\n<svg xmlns="http://www.w3.org/2000/svg" width="800" height="450" viewBox="0 0 10 10"></svg>',
        "e.svg": b'<svg viewBox="0 0 1200 630" xmlns="http://www.w3.org/2000/svg"/>',
        "f.svg": b"<svg width='300px' viewBox='0,0,600,200'></svg>",
        "g.svg": b'<svg width="100%" height="100%" viewBox="0 0 64 48"></svg>',
        "h.svg": b"<svg></svg>",
        "i.png": b"\x89PNG\r\n\x1a\n truncated",
        "j.txt": b"not an image",
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    got = {name: image_size(tmp_path / name) for name in files}
    assert got == {"a.png": (37, 21), "b.jpg": (1600, 900), "c.jpeg": (640, 1280), "d.svg": (800, 450),
                   "e.svg": (1200, 630), "f.svg": (300, 100), "g.svg": (64, 48), "h.svg": None,
                   "i.png": None, "j.txt": None}
    assert image_size(tmp_path / "missing.png") is None
    # A changed file is read again (the cache is keyed by size and mtime).
    (tmp_path / "a.png").write_bytes(png(50, 60))
    assert image_size(tmp_path / "a.png") == (50, 60)


def test_sample_images_have_their_declared_sizes():
    root = Path(__file__).resolve().parent.parent
    assert image_size(root / "content/images/2021/kegong-brands.svg") == (800, 450)
    assert image_size(root / "theme/assets/publisher-logo.png") == (600, 60)
    assert svg_size('<svg height="90" viewBox="0 0 160 90">') == (160, 90)


# ------------------------------------------------------------------ mdext.py (a real build)

ARTICLE = """---
title: 职工书屋新添图书
date: 2021-06-01 09:00
reporters: [羊荣江]
region: 绍兴市柯桥区
column: 工运速递
---

柯桥区职工书屋新添图书三千册。

![书屋一角](../../images/shuwu.png)

![读书会现场](../../images/dushuhui.jpg)

![示意图](../../images/shiyi.svg)

![高清图](../../images/shuwu.png){ srcset="../../images/shuwu.png 1x, ../../images/dushuhui.jpg 2x" }

![编辑写的尺寸](../../images/dushuhui.jpg){ width="320" }
"""


@pytest.fixture(scope="module")
def body_images(tmp_path_factory):
    root = write_tree(tmp_path_factory.mktemp("imgs"), {"content/news/2021/shuwu.md": ARTICLE})
    images = root / "content" / "images"
    images.mkdir(parents=True, exist_ok=True)
    (images / "shuwu.png").write_bytes(png(120, 90))
    Image.new("RGB", (1024, 683), (200, 120, 40)).save(images / "dushuhui.jpg", quality=85)
    (images / "shiyi.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 200"></svg>')
    proc = build_tree(root)
    assert proc.returncode == 0, proc.stderr + proc.stdout
    return page(root / "site", "news/2021/06/shuwu/").select(".nr-prose img")


def test_body_images_get_real_sizes_and_lazy_loading(body_images):
    got = [(im["alt"], im.get("width"), im.get("height"), im.get("loading"), im.get("decoding"),
            im.get("sizes")) for im in body_images]
    body = photos.SLOTS["body"].sizes
    assert got == [
        ("书屋一角", "120", "90", "lazy", "async", body),          # smaller than every step: its own width
        ("读书会现场", "1024", "683", "lazy", "async", body),
        ("示意图", "300", "200", "lazy", "async", None),           # SVG: as it is
        ("高清图", "120", "90", "lazy", "async", "(min-width: 45em) 38em, 100vw"),   # the editor's srcset is kept
        ("编辑写的尺寸", "320", None, "lazy", "async", body),     # the editor's own size is kept
    ]
    # src was still rewritten by MkDocs afterwards (relative to the page's URL).
    assert re.fullmatch(r"\.\./\.\./\.\./\.\./images/shuwu-[0-9a-f]{10}-120\.jpg", body_images[0]["src"])
    # Photos are <picture>s: WebP first, then the JPEG ladder on the <img>.
    pictures = [im.parent for im in body_images if im.parent.name == "picture"]
    assert len(pictures) == 3
    source = pictures[1].find("source")
    assert source["type"] == "image/webp"
    assert [c.split()[1] for c in source["srcset"].split(", ")] == ["360w", "720w", "1024w"]
    assert [c.split()[1] for c in pictures[1].img["srcset"].split(", ")] == ["360w", "720w", "1024w"]


# ------------------------------------------------------------------ charts.py

def _a(y: int, m: int, d: int = 10):
    return SimpleNamespace(date=dt.datetime(y, m, d, 9, 0, tzinfo=TZ))


def test_activity_monthly_for_a_short_window():
    act = charts.activity([_a(2022, 3), _a(2022, 3, 20), _a(2022, 5)], until=dt.datetime(2022, 8, 1, tzinfo=TZ))
    assert act.unit == "month"
    assert [(b.label, b.count) for b in act.bars] == [
        ("2022年3月", 2), ("2022年4月", 0), ("2022年5月", 1), ("2022年6月", 0), ("2022年7月", 0), ("2022年8月", 0)]
    assert act.peak == 2 and act.total == 3 and act.earlier == 0
    tallest = max(act.bars, key=lambda b: b.height)
    assert tallest.label == "2022年3月" and tallest.y + tallest.height == act.baseline
    assert act.bars[2].height == pytest.approx(tallest.height / 2)
    assert act.summary.startswith("2022年3月至2022年8月，共 3 篇报道；最多的是2022年3月（2 篇）")


def test_activity_quarterly_and_capped():
    arts = [_a(2015, 1)] + [_a(2019, m) for m in (1, 2, 4)] + [_a(2022, 12)]
    act = charts.activity(arts)
    assert act.unit == "quarter" and len(act.bars) == charts.MAX_PERIODS
    assert act.bars[0].label == "2019年第1季度" and act.bars[-1].label == "2022年第4季度"
    assert [b.count for b in act.bars][:2] == [2, 1] and act.bars[-1].count == 1
    assert act.earlier == 1 and act.total == 4
    assert "此前另有 1 篇" in act.summary
    assert [y.year for y in act.years] == [2019, 2020, 2021, 2022]
    assert act.width == charts.MAX_PERIODS * charts.SLOT
    assert charts.activity([]) is None


def _quarter(iso: str) -> str:
    y, m = int(iso[:4]), int(iso[5:7])
    return f"{y}年第{(m - 1) // 3 + 1}季度"


@pytest.mark.parametrize("brand", ["ke-gong-yi", "jia-gong-hui", "e-gang-zhi-jia"])
def test_brand_page_chart_matches_its_articles(sample_site, brand):
    """Bars and the hidden table agree with the dates of the articles the brand page lists."""
    url = f"brands/{brand}/"
    doc = page(sample_site, url)
    # Every article the brand's listing pages link, with its date.
    dates, next_url = [], url
    while next_url:
        listing = page(sample_site, next_url)
        dates += [t["datetime"] for t in listing.select("ol.nr-list time[datetime]")]
        nxt = listing.select_one(".nr-pager a[rel=next]")
        next_url = urlparse(urljoin("http://x/" + next_url, nxt["href"])).path.lstrip("/") if nxt else ""
    newest_on_site = page(sample_site, "news/").select_one("ol.nr-list time[datetime]")["datetime"]
    expected = Counter(_quarter(d) for d in dates)

    fig = doc.select_one("figure.nr-activity")
    svg = fig.select_one("svg")
    assert svg["role"] == "img" and svg.select_one("title").text and svg.select_one("desc").text
    assert set(svg["aria-labelledby"].split()) == {svg.title["id"], svg.desc["id"]}
    bars = svg.select("rect.nr-bar")
    first, last = _quarter(min(dates)), _quarter(newest_on_site)
    assert bars[0]["data-period"] == first and bars[-1]["data-period"] == last
    y0, q0 = int(first[:4]), int(first[6])
    y1, q1 = int(last[:4]), int(last[6])
    assert len(bars) == (y1 - y0) * 4 + (q1 - q0) + 1 == int(fig["data-periods"])
    assert {b["data-period"]: int(b["data-count"]) for b in bars if int(b["data-count"])} == dict(expected)
    assert sum(int(b["data-count"]) for b in bars) == len(dates)
    # Heights are proportional to the counts.
    peak = max(expected.values())
    tallest = max(float(b["height"]) for b in bars)
    for b in bars:
        if int(b["data-count"]):
            assert float(b["height"]) == pytest.approx(tallest * int(b["data-count"]) / peak, abs=0.02)
    # The text alternative: a table row per period, and the summary sentence.
    rows = [(tr.th.text, int(tr.td.text)) for tr in fig.select("table tbody tr")]
    assert rows == [(b["data-period"], int(b["data-count"])) for b in bars]
    assert "nr-visually-hidden" in fig.select_one("table")["class"]
    desc = svg.desc.text
    assert desc.startswith(f"{first}至{last}，共 {len(dates)} 篇报道")
    # Drawn in the page, at build time: no script, no image request.
    assert not fig.select("script, img") and not re.search(r"<script", str(fig))
