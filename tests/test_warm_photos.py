"""A warm build with a photo new to the site (mkdocs/photo_files.new_photos) publishes exactly what
a clean build does: the pages naming it are found by their digests, not by asking every page's
data for its images. Built on test_warm_build.py's tree and comparison."""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

from PIL import Image

from conftest import ENV, NEWSROOM
from test_incremental import NOW, _article
from test_warm_build import CACHE, _race, _warm, tree  # noqa: F401  (tree: the fixture)


def _photo(path: Path, colour=(40, 120, 200)) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (1600, 1200), colour).save(path, "JPEG", quality=85)


def _with_image(title: str, date: str, image: str) -> str:
    return _article(title, date).replace("column: 工运速递\n", f"column: 工运速递\nimage: {image}\n")


def test_new_article_with_a_new_photo(tree, tmp_path):
    _photo(tree / "content/images/2021/new-photo.jpg")
    (tree / "content/news/2021/new-one.md").write_text(
        _with_image("新的比武", "2021-12-30 10:00", "images/2021/new-photo.jpg"), encoding="utf-8")
    reused, rendered = _warm(tree, tmp_path)
    page = (tree / "site/news/2021/12/new-one/index.html").read_text(encoding="utf-8")
    assert "new-photo-" in page and ".webp" in page                 # its <picture>, from the variants
    assert "news/2021/12/new-one/index.html" in rendered and _race(5) in reused


def test_a_page_naming_a_missing_photo_fails_the_build_so_a_new_photo_has_no_kept_page(tree, tmp_path):
    """new_photos' premise: the last build published no page naming a path it had no file at."""
    manifest = (tree / CACHE / "manifest.json").read_bytes()
    article = tree / "content/news/2021/race-05.md"
    article.write_text(article.read_text(encoding="utf-8").replace(
        "column: 工运速递\n", "column: 工运速递\nimage: images/2021/late.jpg\n"), encoding="utf-8")
    proc = subprocess.run([NEWSROOM, "build", "-q", "-f", str(tree / "site_config.yml"),
                           "--content", str(tree / "content"), "--brands", str(tree / "brands"),
                           "--site-dir", str(tree / "site")],
                          cwd=tree, env={**ENV, "NEWSROOM_NOW": NOW}, capture_output=True, text=True, timeout=600)
    assert proc.returncode != 0 and "late.jpg" in proc.stderr
    assert (tree / CACHE / "manifest.json").read_bytes() == manifest      # nothing kept from it
    _photo(tree / "content/images/2021/late.jpg")
    reused, rendered = _warm(tree, tmp_path)
    assert _race(5) in rendered and "late-" in (tree / "site" / _race(5)).read_text(encoding="utf-8")
    assert [n for n in range(30) if _race(n) in reused]             # the others stay as they were


def test_a_photo_replaced_under_its_name_renders_the_pages_showing_it(tree, tmp_path):
    """Not new: the kept site path had another photo; the pages showing it are looked for."""
    _photo(tree / "content/images/2021/p.jpg")
    (tree / "content/news/2021/with-p.md").write_text(
        _with_image("有照片的一篇", "2021-12-29 10:00", "images/2021/p.jpg"), encoding="utf-8")
    _warm(tree, tmp_path)
    _photo(tree / "content/images/2021/p.jpg", colour=(200, 60, 30))
    reused, rendered = _warm(tree, tmp_path)
    assert "news/2021/12/with-p/index.html" in rendered and "index.html" in rendered   # its page, the home's card
    kept = json.loads((tree / CACHE / "manifest.json").read_bytes().rstrip(b"\n").rsplit(b"\n", 1)[0])
    assert kept["statics"]["images/2021/p.jpg"][0] == "photo"
