"""A warm build's new photo renders in the background (photos.start_all, content/photo_refs.run_photos'
``background``, waited for in the plugin's ``on_env``): what the build plans before the render
ends (the files' names, widths and folder: ``engine.planned``) is what the render makes; a
warm build with a new photo publishes what a clean build does; and a new photo that does not
decode still stops the build with its Chinese message at its line, publishing and saving nothing."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from PIL import Image

from conftest import ENV, NEWSROOM
from photo_sample import camera_jpeg
from test_incremental import NOW
from test_warm_build import CACHE, _build, _warm, tree  # noqa: F401  (tree: the fixture)
from test_warm_photos import _with_image

from newsroom import photos
from newsroom.photos import CENTRE, PhotoJob, same_plan, start_all

PHOTO_CACHE = Path(".cache/newsroom/photos")


def _jobs(folder: Path) -> list[PhotoJob]:
    """Shapes whose plan is easy to get wrong: a portrait on its side (EXIF orientation 6), a
    source narrower than the ladder's top (its own width), a PNG with alpha (PNG fallbacks)."""
    camera_jpeg(folder / "side.jpg", size=(1800, 1300), orientation=6)
    camera_jpeg(folder / "narrow.jpg", size=(1000, 700), seed=2)
    Image.new("RGBA", (500, 300), (10, 120, 200, 128)).save(folder / "logo.png")
    return [PhotoJob(folder / "side.jpg", "images/side.jpg", ("feed", "lead"), CENTRE, "jpeg"),
            PhotoJob(folder / "narrow.jpg", "images/narrow.jpg", ("body", "feed", "lead"), (0.3, 0.6), "jpeg"),
            PhotoJob(folder / "logo.png", "brands/img/logo.png", ("logo",), None, "png")]


def test_a_plan_names_the_files_its_render_makes(tmp_path):
    jobs = _jobs(tmp_path)
    batch = start_all(jobs, root=tmp_path / "cache")
    assert batch.pending and sorted(batch.running) == [0, 1, 2]
    plans = list(batch.now)
    assert all(not p.from_cache and p.files and {f.height for f in p.files} == {0} for p in plans)
    done = batch.wait()
    assert all(same_plan(plan, result) and result.ok for plan, result in zip(plans, done))
    assert [[f.name for f in p.files] for p in plans] == [[f.name for f in r.files] for r in done]
    # The same bytes as a render that was waited for at once (a cold build's), in a fresh cache.
    again = photos.process_all(jobs, root=tmp_path / "other")
    assert [r.files for r in done] == [r.files for r in again]
    # Now every one is a cache hit: nothing left running.
    assert not start_all(jobs, root=tmp_path / "cache").pending


def test_a_plan_that_differs_from_its_render_is_seen(tmp_path):
    job = _jobs(tmp_path)[0]
    batch = start_all([job], root=tmp_path / "cache")
    plan, done = batch.now[0], batch.wait()[0]
    assert same_plan(plan, done)
    plan.files[0] = photos.CachedFile("1599.webp", 1599, 0, "webp", 0, "")
    assert not same_plan(plan, done)


def test_more_new_photos_than_the_background_takes_are_waited_for_at_once(tmp_path):
    for n in range(photos.pool.BACKGROUND + 1):
        Image.new("RGB", (400, 300), (n * 40, 90, 20)).save(tmp_path / f"p{n}.jpg", quality=80)
    jobs = [PhotoJob(tmp_path / f"p{n}.jpg", f"images/p{n}.jpg") for n in range(photos.pool.BACKGROUND + 1)]
    batch = start_all(jobs, root=tmp_path / "cache")
    assert not batch.pending and all(r.files and r.files[0].height == 300 for r in batch.now)


def test_a_warm_build_with_a_new_camera_photo_is_a_clean_build(tree, tmp_path):
    """The warm build renders the photo in the background (a miss); the clean build after it
    takes the variants from the cache: the two sites must be the same, file by file."""
    camera_jpeg(tree / "content/images/2021/side.jpg", size=(1800, 1300), orientation=6)
    (tree / "content/news/2021/new-one.md").write_text(
        _with_image("新的比武", "2021-12-30 10:00", "images/2021/side.jpg"), encoding="utf-8")
    reused, rendered = _warm(tree, tmp_path)
    page = (tree / "site/news/2021/12/new-one/index.html").read_text(encoding="utf-8")
    assert 'width="1300" height="1800"' in page         # its box: the widest variant, upright
    assert "side-" in page and "-1300.webp 1300w" in page
    assert "news/2021/12/new-one/index.html" in rendered


def _truncated_jpeg(path: Path) -> None:
    """A JPEG whose header reads (the plan is made) but whose pixels stop a third of the way."""
    camera_jpeg(path, size=(1600, 1200), seed=5)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])


def _not_a_jpeg(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\xff\xd8\xff\xe0 not a picture at all")


def _published(site: Path) -> dict[str, tuple[int, int]]:
    return {p.relative_to(site).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in site.rglob("*") if p.is_file()}


# Memos by content, valid whatever the build's outcome, which a failed build may write as a
# clean one does: the photo sources' hashes, the variants' stats, the search records' token
# texts by their text's SHA-256 (written by the indexer started in on_files).
MEMOS = ("sources.json", "verified.json", "search-tokens.json")


def _cache_files(tree: Path) -> dict[str, int]:
    return {p.relative_to(tree).as_posix(): p.stat().st_mtime_ns
            for folder in (CACHE, PHOTO_CACHE) for p in (tree / folder).rglob("*")
            if p.is_file() and p.name not in MEMOS}


@pytest.mark.parametrize("damage", [_truncated_jpeg, _not_a_jpeg], ids=["truncated", "not-a-jpeg"])
def test_a_new_photo_that_does_not_decode_stops_the_warm_build(tree, tmp_path, damage):
    damage(tree / "content/images/2021/bad.jpg")
    (tree / "content/news/2021/new-one.md").write_text(
        _with_image("新的比武", "2021-12-30 10:00", "images/2021/bad.jpg"), encoding="utf-8")
    line = (tree / "content/news/2021/new-one.md").read_text(encoding="utf-8").splitlines().index(
        "image: images/2021/bad.jpg") + 1
    site, cache = _published(tree / "site"), _cache_files(tree)
    proc = subprocess.run([NEWSROOM, "build", "-q", "-f", str(tree / "site_config.yml"),
                           "--content", str(tree / "content"), "--brands", str(tree / "brands"),
                           "--site-dir", str(tree / "site")],
                          cwd=tree, env={**ENV, "NEWSROOM_NOW": NOW}, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 1, proc.stderr
    assert (f"content/news/2021/new-one.md:{line}: 图片 images/2021/bad.jpg：图片文件已损坏或不是图片，无法处理"
            in proc.stderr), proc.stderr
    assert "BuildError" not in proc.stderr, proc.stderr     # MkDocs' English last line, said in Chinese
    assert _published(tree / "site") == site                 # nothing published
    assert _cache_files(tree) == cache                       # nothing saved: build cache, variants
    assert not [p for p in tree.iterdir() if p.name.startswith(".site.building")]   # no staging left


def _variants(site: Path) -> dict[str, tuple[int, int]]:
    """Each variant in the site: (inode, ctime). Linking a file again changes its ctime."""
    return {p.relative_to(site).as_posix(): (p.stat().st_ino, p.stat().st_ctime_ns)
            for p in (site / "images").rglob("*") if p.is_file() and "-" in p.name}


def test_the_photos_the_site_has_stay_in_it(tree, tmp_path):
    """A warm build leaves the variants the site holds as the cache's very files where they
    are (mkdocs/photo_files.leave_in_site); one that is missing or another file is linked again."""
    camera_jpeg(tree / "content/images/2021/side.jpg", size=(1800, 1300), orientation=6)
    (tree / "content/news/2021/new-one.md").write_text(
        _with_image("新的比武", "2021-12-30 10:00", "images/2021/side.jpg"), encoding="utf-8")
    _warm(tree, tmp_path)
    webp, jpeg = "images/2021/side-{}-720.webp", "images/2021/side-{}-720.jpg"
    sha = next(p for p in _variants(tree / "site") if p.endswith("-720.webp")).split("-")[1]
    webp, jpeg = webp.format(sha), jpeg.format(sha)
    (tree / "site" / webp).unlink()                                     # gone from the site
    copy = (tree / "site" / jpeg).read_bytes()
    (tree / "site" / jpeg).unlink()
    (tree / "site" / jpeg).write_bytes(copy)                            # the same bytes, another file
    before = _variants(tree / "site")
    assert len(before) >= 9
    (tree / "content/news/2021/another.md").write_text(
        _with_image("又一篇", "2021-12-31 10:00", "images/race.png"), encoding="utf-8")
    _build(tree, tree / "site")
    after = _variants(tree / "site")
    assert set(after) == set(before) | {webp}
    assert {p for p in before if after[p] != before[p]} == {jpeg}       # the others left as they were
    cache = {p.stat().st_ino for p in (tree / PHOTO_CACHE).rglob("*") if p.is_file()}
    assert after[webp][0] in cache and after[jpeg][0] in cache          # links of the cache again
    _warm(tree, tmp_path)                                                # = a clean build, file by file
