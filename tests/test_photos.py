"""Photo engine (plugins/newsroom/photos): real images made with Pillow, rendered by libvips,
read back with Pillow. Small pictures keep it fast; the 12/60-MP numbers are in docs/photos.md."""
from __future__ import annotations

import io
import os
import threading
from pathlib import Path

import pytest
from PIL import Image, ImageCms

from newsroom import photos
from newsroom.photos import engine, render
from newsroom.photos.pool import MemoryGate
from newsroom.photos.render import Header

SERIAL = "BC00001234"
MAKE = "BenchCam"


# ---------------------------------------------------------------- fixtures made with Pillow

def camera_jpeg(path: Path, size=(1600, 1200), orientation=6, colour=(40, 90, 160)) -> Path:
    """A phone photo: EXIF maker/model/serial, GPS, an orientation flag and an ICC profile.
    A red block marks the stored top-left corner so the rotation can be seen."""
    im = Image.new("RGB", size, colour)
    im.paste((255, 0, 0), (0, 0, size[0] // 4, size[1] // 4))
    exif = Image.Exif()
    exif[0x010F], exif[0x0110], exif[0xA431] = MAKE, "BC-12", SERIAL
    exif[0x0112] = orientation
    exif[0x8825] = {1: "N", 2: (30.0, 5.0, 7.0), 3: "E", 4: (120.0, 29.0, 3.0)}
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    im.save(path, "JPEG", quality=90, exif=exif.tobytes(), icc_profile=icc)
    return path


def job(path: Path, slots=("body",), og=None) -> photos.PhotoJob:
    return photos.PhotoJob(path, f"content/images/{path.name}", tuple(slots), og)


def run(tmp_path: Path, *jobs: photos.PhotoJob) -> list[photos.PhotoResult]:
    return photos.process_all(list(jobs), root=tmp_path / "cache")


def files_of(result: photos.PhotoResult) -> list[Path]:
    assert result.folder is not None and result.files
    return [result.folder / f.name for f in result.files]


def opened(path: Path) -> Image.Image:
    im = Image.open(io.BytesIO(path.read_bytes()))
    im.load()
    return im


# ---------------------------------------------------------------- metadata and orientation

def test_no_exif_gps_serial_or_icc_in_any_variant(tmp_path):
    src = camera_jpeg(tmp_path / "lead.jpg")
    [result] = run(tmp_path, job(src, ("lead", "feed"), photos.CENTRE))
    assert result.ok and {f.format for f in result.files} == {"webp", "jpeg"}
    for path in files_of(result):
        im = opened(path)
        assert not im.getexif(), path.name
        assert not {"exif", "icc_profile", "xmp"} & set(im.info), (path.name, im.info.keys())
        data = path.read_bytes()
        assert SERIAL.encode() not in data and MAKE.encode() not in data
        assert b"Exif\x00\x00" not in data


def test_orientation_applied_before_resize(tmp_path):
    src = camera_jpeg(tmp_path / "portrait.jpg", orientation=6)
    [result] = run(tmp_path, job(src, ("lead",), photos.CENTRE))
    assert result.header["width"] == 1200 and result.header["height"] == 1600
    widest = max(result.variants("lead"), key=lambda f: f.width)
    # 1200 px wide once upright: the 1600 step is replaced by the source's own width
    assert (widest.width, widest.height) == (1200, 1600)
    im = opened(result.folder / widest.name).convert("RGB")
    assert im.size == (1200, 1600)
    # orientation 6 = rotate 90 degrees clockwise to display: stored top-left is now top-right
    assert im.getpixel((im.width - 20, 20))[0] > 200
    assert im.getpixel((20, 20))[0] < 100


def test_variants_follow_the_ladder_without_upscaling(tmp_path):
    src = camera_jpeg(tmp_path / "wide.jpg", size=(2000, 1500), orientation=1)
    [result] = run(tmp_path, job(src, ("lead", "feed")))
    lead = result.variants("lead")
    assert [(f.format, f.width) for f in lead] == [
        ("webp", 360), ("webp", 720), ("webp", 1080), ("webp", 1600),
        ("jpeg", 360), ("jpeg", 720), ("jpeg", 1080), ("jpeg", 1600)]
    for f in lead:
        assert opened(result.folder / f.name).size == (f.width, f.height)
        assert f.height == round(f.width * 1500 / 2000)
    assert [(f.format, f.width) for f in result.variants("feed")] == [("jpeg", 1200)]
    assert photos.plan_widths(photos.SLOTS["body"], 500) == [360, 500]


# ---------------------------------------------------------------- Open Graph crop

def test_og_card_is_1200x630_centred_on_the_focus(tmp_path):
    src = tmp_path / "focus.jpg"
    im = Image.new("RGB", (2000, 3000), (0, 0, 255))
    im.paste((0, 255, 0), (0, 2400, 2000, 3000))            # green bottom fifth
    im.save(src, quality=95)
    [low, mid] = run(tmp_path, job(src, ("lead",), (0.5, 0.95)), job(src, ("lead",), photos.CENTRE))
    for result in (low, mid):
        og = result.og
        assert og and (og.width, og.height) == (1200, 630)
        assert opened(result.folder / og.name).size == (1200, 630)
    assert opened(low.folder / low.og.name).convert("RGB").getpixel((600, 600))[1] > 200
    assert opened(mid.folder / mid.og.name).convert("RGB").getpixel((600, 315))[2] > 200


@pytest.mark.parametrize("text, expected", [
    ("0.3,0.6", (0.3, 0.6)), ("0，1", (0.0, 1.0)), ([0.5, 0.5], (0.5, 0.5)),
    ("1.2,0.5", None), ("a,b", None), ("0.5", None), ("nan,0.5", None)])
def test_parse_focus(text, expected):
    assert photos.parse_focus(text) == expected


def test_crop_window_stays_inside_the_image():
    assert photos.crop_window(1600, 1200, (1200, 630), (0.5, 0.5)) == (0, 180, 1600, 840)
    assert photos.crop_window(1600, 1200, (1200, 630), (0.5, 1.0)) == (0, 360, 1600, 840)
    assert photos.crop_window(1000, 300, (1200, 630), (0.0, 0.5)) == (0, 0, 571, 300)


# ---------------------------------------------------------------- formats

def test_cmyk_jpeg_becomes_srgb(tmp_path):
    src = tmp_path / "cmyk.jpg"
    Image.new("CMYK", (800, 600), (255, 0, 0, 0)).save(src, quality=95)    # pure cyan ink
    [result] = run(tmp_path, job(src))
    for path in files_of(result):
        im = opened(path)
        assert im.mode == "RGB"
        r, g, b = im.getpixel((im.width // 2, im.height // 2))
        assert r < 100 and g > 120 and b > 180, (path.name, (r, g, b))


def test_display_p3_photo_is_converted_before_its_profile_is_dropped(tmp_path):
    """Phones shoot Display P3: stripping the profile without converting would dull colours."""
    import pyvips
    red = (pyvips.Image.black(800, 600) + [255, 0, 0]).cast("uchar").copy(interpretation="srgb")
    red.icc_transform("p3", input_profile="srgb").jpegsave(str(tmp_path / "p3.jpg"), Q=95)
    [result] = run(tmp_path, job(tmp_path / "p3.jpg"))
    for path in files_of(result):
        im = opened(path)
        assert "icc_profile" not in im.info
        r, g, b = im.convert("RGB").getpixel((im.width // 2, im.height // 2))
        assert r > 245 and g < 25 and b < 25, (path.name, (r, g, b))   # P3 stored (234, 51, 34)


def test_alpha_png_keeps_transparency_and_falls_back_to_png(tmp_path):
    src = tmp_path / "logo.png"
    im = Image.new("RGBA", (400, 200), (0, 0, 0, 0))
    im.paste((200, 0, 0, 255), (100, 50, 300, 150))
    im.save(src)
    [result] = run(tmp_path, job(src, ("logo",)))
    assert {f.format for f in result.files} == {"webp", "png"}
    for path in files_of(result):
        out = opened(path).convert("RGBA")
        assert out.getpixel((2, 2))[3] == 0, path.name
        assert out.getpixel((out.width // 2, out.height // 2))[3] == 255


def test_animated_gif_stays_animated_in_webp_and_still_in_fallback(tmp_path):
    src = tmp_path / "anim.gif"
    frames = [Image.new("RGB", (500, 300), c) for c in ((255, 0, 0), (0, 255, 0), (0, 0, 255))]
    frames[0].save(src, save_all=True, append_images=frames[1:], duration=100, loop=0)
    [result] = run(tmp_path, job(src))
    assert result.ok and result.header["pages"] == 3
    for f in result.files:
        im = Image.open(result.folder / f.name)
        assert (im.width, im.height) == (f.width, f.height)
        assert getattr(im, "n_frames", 1) == (3 if f.format == "webp" else 1), f.name


def test_16_bit_png_is_scaled_not_clipped(tmp_path):
    src = tmp_path / "deep.png"
    Image.new("I;16", (600, 400), 0x8000).save(src)           # half of 65535
    [result] = run(tmp_path, job(src))
    for path in files_of(result):
        value = opened(path).convert("L").getpixel((300, 200))
        assert 110 < value < 145, (path.name, value)


@pytest.mark.parametrize("make", [
    lambda p: p.write_bytes(b"not an image at all"),
    lambda p: p.write_bytes(camera_jpeg(p.with_suffix(".ok.jpg")).read_bytes()[:3000]),
])
def test_corrupt_image_is_an_error_in_chinese(tmp_path, make):
    src = tmp_path / "bad.jpg"
    make(src)
    [result] = run(tmp_path, job(src))
    assert not result.ok and not result.files
    [notice] = result.notices
    assert notice.level == photos.ERROR and notice.path == "content/images/bad.jpg"
    assert "损坏" in notice.message and "Traceback" not in notice.message


HEIC = Path(__file__).parent / "photos" / "iphone.heic"


def test_heic_from_an_iphone_is_rendered_upright_without_metadata(tmp_path):
    """tests/photos/iphone.heic: 320x240 stored, rotated 90 degrees (HEIF irot), EXIF with a
    serial and GPS, made once with pillow-heif, which also decodes it (libvips has no HEVC)."""
    src = HEIC
    assert SERIAL.encode() in src.read_bytes()
    [result] = run(tmp_path, job(src))
    assert result.ok and (result.header["width"], result.header["height"]) == (240, 320)
    for path in files_of(result):
        im = opened(path)
        assert im.size == (240, 320) and not im.getexif() and "exif" not in im.info
        assert SERIAL.encode() not in path.read_bytes()


def test_heic_without_pillow_heif_says_so(tmp_path, monkeypatch):
    from newsroom.photos import heif
    monkeypatch.setattr(heif, "available", lambda: False)
    [result] = run(tmp_path, job(HEIC))
    [notice] = result.notices
    assert notice.is_error and "HEIC" in notice.message and "JPEG" in notice.hint
    assert not result.files


def test_heic_libvips_cannot_read_at_all_says_so(tmp_path, monkeypatch):
    src = tmp_path / "iphone.heic"
    src.write_bytes(b"\x00\x00\x00\x18ftypheic" + b"\x00" * 64)
    monkeypatch.setattr(engine, "loaders", lambda: {".jpg", ".png"})
    [result] = run(tmp_path, job(src))
    [notice] = result.notices
    assert notice.is_error and "HEIC" in notice.message and "JPEG" in notice.hint


def test_narrow_lead_photo_is_a_warning_but_rendered(tmp_path):
    src = camera_jpeg(tmp_path / "small.jpg", size=(900, 600), orientation=1)
    [result] = run(tmp_path, job(src, ("lead",), photos.CENTRE))
    [notice] = result.notices
    assert notice.level == photos.WARNING and "900" in notice.message and "1080" in notice.message
    assert result.ok and [f.width for f in result.variants("lead")] == [360, 720, 900] * 2


# ---------------------------------------------------------------- cache

def no_render(*args, **kwargs):
    raise AssertionError("rendered again although the cache held the variants")


def test_second_run_is_served_from_the_cache(tmp_path, monkeypatch):
    src = camera_jpeg(tmp_path / "a.jpg")
    [first] = run(tmp_path, job(src, ("lead",), photos.CENTRE))
    assert not first.from_cache
    monkeypatch.setattr(engine, "render", no_render)
    [second] = run(tmp_path, job(src, ("lead",), photos.CENTRE))
    assert second.from_cache and second.files == first.files and second.header == first.header


def test_changed_settings_render_again(tmp_path):
    src = camera_jpeg(tmp_path / "a.jpg")
    [body] = run(tmp_path, job(src, ("body",)))
    [lead] = run(tmp_path, job(src, ("lead",)))
    assert not lead.from_cache and lead.folder != body.folder


@pytest.mark.parametrize("keep_stat", [False, True], ids=["new-mtime", "same-size-and-mtime"])
def test_replaced_image_is_never_served_stale(tmp_path, keep_stat):
    src = camera_jpeg(tmp_path / "a.jpg", colour=(200, 30, 30), orientation=1)
    [old] = run(tmp_path, job(src))
    st = src.stat()
    other = camera_jpeg(tmp_path / "b.jpg", colour=(30, 200, 30), orientation=1).read_bytes()
    if keep_stat:   # same size too: pad the shorter one with a JPEG comment-free tail
        old_bytes = src.read_bytes()
        size = max(len(old_bytes), len(other))
        other = other + b"\x00" * (size - len(other))
        src.write_bytes(old_bytes + b"\x00" * (size - len(old_bytes)))
        [old] = run(tmp_path, job(src))
        st = src.stat()
    src.write_bytes(other)
    if keep_stat:
        os.utime(src, ns=(st.st_atime_ns, st.st_mtime_ns))
        assert src.stat().st_size == st.st_size and src.stat().st_mtime_ns == st.st_mtime_ns
    [new] = run(tmp_path, job(src))
    assert new.source_sha != old.source_sha and not new.from_cache
    g = opened(new.folder / new.variants("body")[-1].name).convert("RGB").getpixel((700, 700))
    assert g[1] > 150 and g[0] < 100


@pytest.mark.parametrize("damage", ["truncate", "flip", "delete", "manifest"])
def test_damaged_cache_is_detected_and_redone(tmp_path, damage):
    src = camera_jpeg(tmp_path / "a.jpg")
    [first] = run(tmp_path, job(src))
    victim = first.folder / first.files[0].name
    if damage == "truncate":
        victim.write_bytes(victim.read_bytes()[:100])
    elif damage == "flip":
        data = bytearray(victim.read_bytes())
        data[len(data) // 2] ^= 0xFF
        victim.write_bytes(bytes(data))
    elif damage == "delete":
        victim.unlink()
    else:
        (first.folder / "manifest.json").write_text("{not json", "utf-8")
    [again] = run(tmp_path, job(src))
    assert not again.from_cache and again.files == first.files
    assert victim.stat().st_size == first.files[0].size
    [third] = run(tmp_path, job(src))
    assert third.from_cache


def test_cache_writes_leave_no_temporary_files(tmp_path):
    src = camera_jpeg(tmp_path / "a.jpg")
    run(tmp_path, job(src, ("lead", "feed"), photos.CENTRE))
    names = [p.name for p in (tmp_path / "cache").rglob("*")]
    assert names and not [n for n in names if n.endswith(".tmp")]


def test_public_names_are_content_addressed(tmp_path):
    src = camera_jpeg(tmp_path / "a.jpg")
    [result] = run(tmp_path, job(src, ("lead",), photos.CENTRE))
    names = {photos.public_name("a", result, f) for f in result.files}
    assert f"a-{result.source_sha[:10]}-1080.webp" in names
    assert f"a-{result.source_sha[:10]}-og.jpg" in names


# ---------------------------------------------------------------- pool

def test_big_image_that_cannot_shrink_on_load_runs_alone():
    gate = MemoryGate(2)
    assert gate.weight(Header(9000, 6750, False, 1, "pngload")) == 2
    assert gate.weight(Header(9000, 6750, False, 1, "jpegload")) == 1
    assert gate.weight(Header(4000, 3000, False, 1, "pngload")) == 1


def test_big_images_never_render_at_the_same_time(tmp_path, monkeypatch):
    from newsroom.photos import pool
    monkeypatch.setattr(pool, "BIG_PIXELS", 1000)          # every PNG below counts as huge
    active, most, lock = [0], [0], threading.Lock()
    real = engine.render

    def counting(*args, **kwargs):
        with lock:
            active[0] += 1
            most[0] = max(most[0], active[0])
        try:
            return real(*args, **kwargs)
        finally:
            with lock:
                active[0] -= 1

    monkeypatch.setattr(engine, "render", counting)
    srcs = []
    for i in range(4):
        srcs.append(tmp_path / f"big{i}.png")
        Image.new("RGB", (800, 600), (i * 50, 0, 0)).save(srcs[-1])
    results = photos.process_all([job(s) for s in srcs], root=tmp_path / "cache", workers=2)
    assert all(r.ok for r in results) and most[0] == 1


def test_60_megapixel_png_renders_within_the_memory_goal(tmp_path):
    """Issue 13: a 60-MP photo within the build's 600 MiB. A PNG cannot shrink on load, so
    it is the hard case (Pillow decoding it whole peaked at 729 MB, docs/photos.md); libvips
    streams it. A child process reports its own peak, so this test's memory does not count."""
    import subprocess
    import sys

    import pyvips
    xy = pyvips.Image.xyz(9000, 6750)
    rgb = (xy[0] % 256).bandjoin([xy[1] % 256, (xy[0] + xy[1]) % 256]).cast("uchar")
    rgb.copy(interpretation="srgb").pngsave(str(tmp_path / "huge.png"), compression=1)
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss over exec, so the child would report
    # this pytest process's own size; VmHWM is the peak of the child's own memory.
    code = (
        "import re, sys; from pathlib import Path; from newsroom import photos\n"
        "job = photos.PhotoJob(Path(sys.argv[1]), 'huge.png', ('lead', 'feed'), photos.CENTRE)\n"
        "[r] = photos.process_all([job], root=Path(sys.argv[2]))\n"
        "hwm = re.search(r'VmHWM:\\s+(\\d+) kB', Path('/proc/self/status').read_text())[1]\n"
        "print(r.ok, len(r.files), hwm)\n")
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path / "huge.png"),
                          str(tmp_path / "cache")], capture_output=True, text=True, check=True)
    ok, files, peak_kib = out.stdout.split()
    assert ok == "True" and int(files) == 10                # 4 widths x 2 formats, feed, og
    # 88-104 MiB measured; the decoded image alone would be 9000 x 6750 x 3 = 174 MiB, so any
    # path that holds it whole fails here, and two such renders fit the 600 MiB goal.
    assert int(peak_kib) < 160 * 1024, f"peak {int(peak_kib) // 1024} MiB"


def test_many_photos_in_parallel_keep_job_order(tmp_path):
    srcs = [camera_jpeg(tmp_path / f"p{i}.jpg", colour=(i * 40, 80, 80), orientation=1)
            for i in range(5)]
    results = run(tmp_path, *(job(s) for s in srcs))
    assert [r.job.source for r in results] == srcs and all(r.ok for r in results)
    assert len({r.source_sha for r in results}) == 5


def test_engine_core_imports_no_mkdocs():
    import ast
    package = Path(render.__file__).parent
    for module in package.glob("*.py"):
        tree = ast.parse(module.read_text("utf-8"))
        names = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
        names += [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
        assert not [n for n in names if n.startswith(("mkdocs", "newsroom"))], module.name


def test_the_hugo_bench_asks_for_exactly_the_variants_of_a_lead_photo():
    """bench/photo_hugo.py compares Hugo with us on the same files: its Hugo template must ask
    for what a lead photo gets here (lead ladder in WebP and JPEG, the feed JPEG, the card)."""
    import importlib.util

    bench = Path(__file__).resolve().parent.parent / "bench" / "photo_hugo.py"
    spec = importlib.util.spec_from_file_location("photo_hugo", bench)
    hugo = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hugo)
    lead = photos.PhotoJob(Path("a.jpg"), "images/a.jpg", ("feed", "lead"), photos.CENTRE, "jpeg")
    ours = engine.requests_for(lead, Header(4000, 3000, False, 1, "jpegload"))
    names = {"webp": "webp", "jpeg": "jpg"}
    expected = {f"resize {w}x {names[f]} q{photos.QUALITY[f]}" for w, f in ours}
    expected.add(f"fill {photos.OG_SIZE[0]}x{photos.OG_SIZE[1]} Center jpg q{photos.QUALITY['jpeg']}")
    assert len(hugo.VARIANTS) == len(set(hugo.VARIANTS)) == len(expected) == 10
    assert set(hugo.VARIANTS) == expected
