"""Raster page scans (数字报) through the photo pipeline (issue 15): the sample with page 1
of 2021-12-28 as a camera-like JPEG scan (1600×2200, EXIF with GPS and a serial), built
through the real CLI.

The page shows the scan as a <picture> of the "scan" slot (WebP and JPEG ladders, sizes,
width and height), its areas still link the articles at their percentages (in Chromium at
phone and desktop widths too), 查看大图 opens the widest rendition (the camera file only
when publish_originals asks), no published file carries EXIF, page 2 (SVG) is unchanged,
and a corrupt scan is an error at its line in edition.yml.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from audit_lighthouse import serve
from browser import DESKTOP, PHONE, browser_fixture, goto
from conftest import ENV, NEWSROOM, ROOT, build_tree, check_tree, page
from photo_sample import GPS, SERIAL, camera_jpeg
from test_epaper import _epaper_tree, printed_articles, resolve

DAY = "2021-12-28"
URL = f"epaper/{DAY}/1/"
SIZE = (1600, 2200)
VARIANT = re.compile(rf"^\.\./01-[0-9a-f]{{10}}-(\d+)\.(webp|jpg)$")


def scan_tree(root: Path) -> Path:
    """The sample's content and brands, page 1 of 2021-12-28 scanned as a JPEG."""
    for folder in ("content", "brands"):
        shutil.copytree(ROOT / folder, root / folder, symlinks=True)
    edition = root / "content/epaper" / DAY
    (edition / "01.svg").unlink()
    camera_jpeg(edition / "01.jpg", size=SIZE, seed=7)
    yml = edition / "edition.yml"
    yml.write_text(yml.read_text(encoding="utf-8").replace("image: 01.svg", "image: 01.jpg"), encoding="utf-8")
    return root


def build(root: Path, publish_originals: bool) -> Path:
    env = {**ENV, "NEWSROOM_PUBLISH_ORIGINALS": "true" if publish_originals else "false"}
    proc = subprocess.run([NEWSROOM, "build", "-q", "--content", str(root / "content"), "--brands",
                           str(root / "brands"), "--site-dir", str(root / "site")],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return root / "site"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return build(scan_tree(tmp_path_factory.mktemp("scan")), publish_originals=False)


def _srcset(value: str) -> list[tuple[str, int]]:
    return [(url, int(w.rstrip("w"))) for url, w in (part.split() for part in value.split(", "))]


def test_the_scan_is_a_picture_of_the_scan_slot(site):
    from newsroom.photos import SLOTS

    doc = page(site, URL)
    picture = doc.select_one(".nr-epaper-scan picture")
    assert picture is not None
    [source] = picture.select("source")
    img = picture.select_one("img")
    assert source["type"] == "image/webp"
    webp, jpeg = _srcset(source["srcset"]), _srcset(img["srcset"])
    assert [w for _, w in webp] == [w for _, w in jpeg] == [720, 1080, 1600]     # never upscaled past 1600
    assert all(VARIANT.match(u)[2] == "webp" for u, _ in webp) and all(VARIANT.match(u)[2] == "jpg" for u, _ in jpeg)
    assert source["sizes"] == img["sizes"] == SLOTS["scan"].sizes
    assert (img["width"], img["height"]) == ("1600", "2200")
    assert VARIANT.match(img["src"])[1] == "1080"
    assert img["alt"] == "《柯桥工人报》2021年12月28日 第1版 要闻版面图"
    assert img.get("loading") is None and img["fetchpriority"] == "high"     # the first screen
    for url, width in webp + jpeg:
        with Image.open(site / "epaper" / DAY / url.removeprefix("../")) as im:
            assert im.size == (width, round(width * SIZE[1] / SIZE[0])), url
    # The edition's own URL and /epaper/'s calendar page name the same files.
    assert page(site, f"epaper/{DAY}/").select_one(".nr-epaper-scan img")["srcset"] == img["srcset"].replace("../", "")
    # The scan is the first screen's picture: preloaded at the width the phone needs.
    [preload] = doc.select('link[rel="preload"][as="image"]')
    assert preload["type"] == "image/webp" and preload["imagesizes"] == SLOTS["scan"].sizes
    assert [w for _, w in _srcset(preload["imagesrcset"])] == [720, 1080, 1600]
    assert all(VARIANT.match(u) for u, _ in _srcset(preload["imagesrcset"]))
    # Page 2 stays an SVG, as it is, with nothing to preload.
    page2 = page(site, f"epaper/{DAY}/2/")
    svg = page2.select_one(".nr-epaper-scan img")
    assert svg["src"] == "../02.svg" and svg.find_parent("picture") is None
    assert not page2.select('link[rel="preload"][as="image"]')


def test_areas_still_link_the_articles(site):
    doc = page(site, URL)
    areas = {resolve(URL, a["href"]): a for a in doc.select(".nr-epaper-scan a.nr-epaper-area")}
    on_page = {url: meta for url, meta in printed_articles().items()
               if str(meta["print"]["edition"]) == DAY and meta["print"]["page"] == 1}
    assert on_page and set(areas) == set(on_page)
    for url, meta in on_page.items():
        x, y, w, h = meta["print"]["area"]
        assert areas[url]["style"] == f"left:{x}%;top:{y}%;width:{w}%;height:{h}%"
        assert areas[url].get_text(strip=True) == meta["title"]
        assert (site / url / "index.html").is_file()


def test_full_size_link_opens_the_widest_rendition(site):
    href = page(site, URL).select_one("a.nr-epaper-full")["href"]
    assert VARIANT.match(href).groups() == ("1600", "jpg")
    with Image.open(site / "epaper" / DAY / href.removeprefix("../")) as im:
        assert im.size == SIZE and im.format == "JPEG"


def test_no_published_file_holds_the_scans_exif(site):
    scans = list((site / "epaper" / DAY).glob("01*"))
    images = [p for p in site.rglob("*") if p.suffix.lower() in (".jpg", ".jpeg", ".png", ".webp") and p.is_file()]
    assert len([p for p in scans if p.suffix in (".jpg", ".webp")]) == 7     # 3 WebP, 3 JPEG, the stand-in
    standin = site / "epaper" / DAY / "01.jpg"          # the original's URL: the widest rendition instead
    assert standin.read_bytes() != (site.parent / "content/epaper" / DAY / "01.jpg").read_bytes()
    for path in images:
        with Image.open(path) as im:
            im.load()
            exif = im.getexif()
            assert not exif.get_ifd(0x8825), f"{path}: GPS"
            assert not exif and "exif" not in im.info and "xmp" not in im.info, path
        assert SERIAL.encode() not in path.read_bytes(), path


def test_the_camera_file_only_when_publish_originals_asks(tmp_path):
    site = build(scan_tree(tmp_path), publish_originals=True)
    assert page(site, URL).select_one("a.nr-epaper-full")["href"] == "../01.jpg"
    original = tmp_path / "content/epaper" / DAY / "01.jpg"
    assert (site / "epaper" / DAY / "01.jpg").read_bytes() == original.read_bytes()
    with Image.open(original) as im:
        assert im.getexif().get_ifd(0x8825)[2] == GPS[2]
    assert page(site, URL).select_one(".nr-epaper-scan picture source")       # variants either way


def test_a_corrupt_scan_is_an_error_at_its_line(tmp_path):
    root = _epaper_tree(tmp_path, {}, image2="02.jpg")
    (root / "content/epaper/2024-05-01/02.jpg").write_bytes(b"\xff\xd8\xff\xe0 not a scan at all")
    for proc in (check_tree(root), build_tree(root)):
        assert proc.returncode == 1
        assert ("content/epaper/2024-05-01/edition.yml:10: 图片 epaper/2024-05-01/02.jpg："
                "图片文件已损坏或不是图片，无法处理") in proc.stderr, proc.stderr
        assert "Traceback" not in proc.stdout + proc.stderr
    assert not (root / "site").exists()


@pytest.fixture(scope="module")
def browser():
    yield from browser_fixture()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_areas_follow_the_scan_at_every_width(browser, site, viewport):
    server, base = serve(site)
    ctx = browser.new_context(viewport=viewport, locale="zh-CN")
    try:
        tab = ctx.new_page()
        goto(tab, base + URL)
        shown = tab.evaluate("""() => {
            const img = document.querySelector('.nr-epaper-scan img'), box = img.getBoundingClientRect();
            return {src: img.currentSrc.split('/').pop(), width: box.width, height: box.height,
                    wide: document.documentElement.scrollWidth,
                    areas: [...document.querySelectorAll('a.nr-epaper-area')].map(a => {
                        const r = a.getBoundingClientRect();
                        return [a.textContent.trim(), (r.left - box.left) / box.width * 100, (r.top - box.top) / box.height * 100,
                                r.width / box.width * 100, r.height / box.height * 100];
                    })};
        }""")
    finally:
        ctx.close()
        server.shutdown()
    assert shown["src"].endswith(".webp")
    assert shown["wide"] <= viewport["width"] and shown["width"] <= viewport["width"]
    assert shown["height"] == pytest.approx(shown["width"] * SIZE[1] / SIZE[0], abs=1)
    expected = {meta["title"]: meta["print"]["area"] for meta in printed_articles().values()
                if str(meta["print"]["edition"]) == DAY and meta["print"]["page"] == 1}
    assert {a[0] for a in shown["areas"]} == set(expected)
    for title, *box in shown["areas"]:
        assert box == pytest.approx(expected[title], abs=0.6), title
