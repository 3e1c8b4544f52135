"""Real camera photos through the whole build (issue 13): the sample site whose home lead,
article lead and article body are 12-megapixel camera JPEGs with GPS (tests/photo_sample.py).

Every published image is opened with Pillow: no EXIF, so no GPS or serial. The pages carry
<picture> with WebP and JPEG ladders; the lead is preloaded and eager, the rest lazy. Then
Chromium at 360 px, cold, with the audit's gzip server, counts every byte of every request.
"""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from PIL import Image

from audit_lighthouse import serve
from browser import PHONE, browser_fixture, goto
from conftest import build_tree, page
from photo_sample import ARTICLE, SERIAL, photo_sample

RASTER = {".jpg", ".jpeg", ".png", ".webp", ".gif"}
BUDGET = 400 * 1024          # bytes moved for the whole page, images included (issue 13)
PHOTO = re.compile(r"images/photos/kegong-brands-[0-9a-f]{10}-(\d+)\.(webp|jpg)")


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> Path:
    root = photo_sample(tmp_path_factory.mktemp("photos"))
    proc = build_tree(root)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return root


@pytest.fixture(scope="module")
def site(tree) -> Path:
    return tree / "site"


def published_images(site: Path) -> list[Path]:
    return [p for p in site.rglob("*") if p.suffix.lower() in RASTER and p.is_file()]


# ------------------------------------------------------------------ files

def test_no_published_image_holds_exif(site):
    images = published_images(site)
    assert len(images) >= 3 * 6, images           # three photos, at least six variants each
    for path in images:
        with Image.open(path) as im:
            im.load()
            exif = im.getexif()
            assert not exif.get_ifd(0x8825), f"{path}: GPS"
            assert not exif, f"{path}: EXIF {dict(exif)}"
            assert "exif" not in im.info and "xmp" not in im.info, path
        assert SERIAL.encode() not in path.read_bytes(), path


def test_the_originals_url_serves_an_upright_stand_in(tree, site):
    original = tree / "content/images/photos/kegong-brands-body.jpg"
    published = site / "images/photos/kegong-brands-body.jpg"
    with Image.open(original) as im:
        assert im.size == (4000, 3000) and im.getexif()[0x0112] == 6
    with Image.open(published) as im:
        # The body slot's widest step, rotated as the camera said (taken upright).
        assert im.size == (1080, 1440) and im.format == "JPEG"
    assert published.stat().st_size < original.stat().st_size / 10


def test_variants_follow_the_layouts_widths(site):
    names = {p.name for p in (site / "images/photos").iterdir()}
    lead = {n for n in names if re.fullmatch(r"kegong-brands-[0-9a-f]{10}-\w+\.\w+", n)}
    widths = sorted({(int(m.group(1)), m.group(2)) for n in lead if (m := PHOTO.search("images/photos/" + n))})
    assert widths == [(w, f) for w in (360, 720, 1080) for f in ("jpg", "webp")] + \
        [(1200, "jpg")] + [(1600, "jpg"), (1600, "webp")]
    assert any(n.endswith("-og.jpg") for n in lead)


def test_article_lead_is_a_preloaded_eager_picture(site):
    doc = page(site, ARTICLE)
    lead = doc.select_one(".nr-lead-image picture")
    source, img = lead.find("source"), lead.find("img")
    assert source["type"] == "image/webp"
    assert [c.split()[1] for c in source["srcset"].split(", ")] == ["360w", "720w", "1080w", "1600w"]
    assert img["srcset"].count("w,") == 3 and img["sizes"] == source["sizes"]
    assert (img["width"], img["height"]) == ("1600", "1200")
    assert img["fetchpriority"] == "high" and not img.get("loading")
    preload = doc.select_one('link[rel="preload"][as="image"]')
    assert preload["imagesrcset"] == source["srcset"] and preload["imagesizes"] == source["sizes"]
    assert preload["fetchpriority"] == "high" and preload["type"] == "image/webp"
    body = doc.select(".nr-prose picture img")
    assert len(body) == 1 and body[0]["loading"] == "lazy"
    assert (body[0]["width"], body[0]["height"]) == ("1080", "1440")      # upright


def test_home_lead_is_preloaded(site):
    doc = page(site, "")
    assert doc.select_one('link[rel="preload"][as="image"]')["imagesrcset"].count("kegong-review-") == 4
    img = doc.select_one("picture img.nr-lead-img")
    assert img["fetchpriority"] == "high"


def test_a_free_pages_body_photo_is_a_picture_of_the_same_variants(site):
    # MkDocs renders free pages; the photo build still makes and names their variants.
    pic = page(site, "about/").select_one("article picture")
    assert pic is not None
    img = pic.select_one("img")
    assert img["loading"] == "lazy" and img["width"] and img["height"]
    webp = pic.select_one('source[type="image/webp"]')["srcset"]
    assert re.search(r"about-[0-9a-f]{10}-720\.webp 720w", webp), webp
    for candidate in webp.split(", ") + img["srcset"].split(", "):
        assert (site / "about" / candidate.split()[0]).resolve().is_file(), candidate


def test_feed_and_card_use_the_variants(site):
    feed = json.loads((site / "feed.json").read_text(encoding="utf-8"))
    item = next(i for i in feed["items"] if i["url"].endswith(ARTICLE))
    [attachment] = item["attachments"]
    assert re.search(r"kegong-brands-[0-9a-f]{10}-1200\.jpg$", attachment["url"])
    local = site / attachment["url"].split("/", 3)[3]
    assert attachment["size_in_bytes"] == local.stat().st_size
    with Image.open(local) as im:
        assert im.size == (1200, 900)
    og = page(site, ARTICLE).select_one('meta[property="og:image"]')["content"]
    with Image.open(site / og.split("/", 3)[3]) as im:
        assert im.size == (1200, 630)


def test_cache_is_beside_content_and_reused(tree):
    cache = tree / ".cache/newsroom/photos"
    manifests = sorted(cache.rglob("manifest.json"))
    assert len(manifests) == 4          # three camera photos and the free page's
    before = {m: m.stat().st_mtime_ns for m in manifests}
    assert not list((tree / "site").rglob("manifest.json"))
    proc = build_tree(tree)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert {m: m.stat().st_mtime_ns for m in sorted(cache.rglob("manifest.json"))} == before


# ------------------------------------------------------------------ in Chromium

@pytest.fixture(scope="module")
def browser():
    yield from browser_fixture()


@pytest.fixture(scope="module")
def server(site):
    httpd, base = serve(site)
    yield base
    httpd.shutdown()


@pytest.mark.parametrize("name,path", [("home", ""), ("article", ARTICLE)])
def test_phone_page_weighs_at_most_400_kb_with_its_photos(browser, server, name, path):
    """Cold cache, 360 px at 2x, every request counted (headers and gzip bodies), after
    scrolling to the end so lazy photos load too."""
    ctx = browser.new_context(viewport=PHONE, device_scale_factor=2, locale="zh-CN")
    try:
        tab = ctx.new_page()
        moved: list[tuple[int, str]] = []

        def record(req) -> None:
            sizes = req.sizes()
            moved.append((sizes["responseBodySize"] + sizes["responseHeadersSize"], req.url))

        tab.on("requestfinished", record)
        goto(tab, server + path)
        tab.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        tab.wait_for_timeout(500)
        tab.wait_for_load_state("networkidle")
        photos = [u for _, u in moved if "/images/photos/" in u]
        total = sum(n for n, _ in moved)
        print(f"{name}: {total / 1024:.1f} KB in {len(moved)} requests; photos {photos}")
        assert photos and all(u.endswith(".webp") for u in photos), photos
        assert total <= BUDGET, sorted(moved, reverse=True)[:8]
    finally:
        ctx.close()
