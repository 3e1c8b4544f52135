"""Editors' photo mistakes through the real CLI (issue 13): Chinese, at the line naming the
image, and no half-built site; and the one switch that publishes the camera files."""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from PIL import Image, ImageStat

from conftest import ENV, NEWSROOM, build_tree, check_tree, write_tree
from photo_sample import GPS, camera_jpeg

ARTICLE = """---
title: 职工书屋新添图书
date: 2021-06-01 09:00
reporters: [羊荣江]
region: 绍兴市柯桥区
column: 工运速递
image: images/{lead}
{extra}---

柯桥区职工书屋新添图书三千册。

![书屋一角](../../images/{body})
"""
MD = "content/news/2021/shuwu.md"
IMAGE_LINE, BODY_LINE = 7, 12


def tree(tmp_path: Path, lead: str = "lead.jpg", body: str = "body.png", extra: str = "") -> Path:
    root = write_tree(tmp_path, {MD: ARTICLE.format(lead=lead, body=body, extra=extra)})
    images = root / "content/images"
    images.mkdir(parents=True, exist_ok=True)
    camera_jpeg(images / "lead.jpg", size=(1600, 1200))
    camera_jpeg(images / "narrow.jpg", size=(800, 600))
    Image.new("RGBA", (300, 200), (10, 120, 200, 128)).save(images / "body.png")
    (images / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 not a picture at all")
    return root


def test_corrupt_body_image_stops_the_build_at_its_line(tmp_path):
    root = tree(tmp_path, body="broken.jpg")
    proc = build_tree(root)
    assert proc.returncode == 1
    assert f"{MD}:{BODY_LINE}: 图片 images/broken.jpg：图片文件已损坏或不是图片，无法处理" in proc.stderr
    assert "请重新从相机或电脑导出这张图片后再上传" in proc.stderr
    assert not (root / "site").exists()                      # nothing half built
    checked = check_tree(root)
    assert checked.returncode == 1 and f"{MD}:{BODY_LINE}:" in checked.stderr


def test_narrow_lead_photo_is_a_warning_at_its_line(tmp_path):
    root = tree(tmp_path, lead="narrow.jpg")
    proc = build_tree(root)
    assert proc.returncode == 0, proc.stderr
    assert f"{MD}:{IMAGE_LINE}: 警告：图片 images/narrow.jpg：头图只有 800 像素宽，窄于版面的 1080 像素" in proc.stderr
    assert list((root / "site/images").glob("narrow-*-800.webp"))


def test_bad_image_focus_is_an_error_at_its_line(tmp_path):
    root = tree(tmp_path, extra="image_focus: 左上\n")
    proc = check_tree(root)
    assert proc.returncode == 1
    assert f"{MD}:{IMAGE_LINE + 1}: 图片焦点“左上”写法不对" in proc.stderr
    assert "例如 0.5,0.3" in proc.stderr


def test_image_focus_moves_the_card(tmp_path):
    root = tree(tmp_path, extra="image_focus: 0,0\n")
    assert build_tree(root).returncode == 0
    [card] = (root / "site/images").glob("lead-*-og.jpg")
    with Image.open(card) as im:
        assert im.size == (1200, 630)
        # camera_jpeg's gradient is dark at the top: a card from the top edge is darker
        # than the centred one a build without image_focus makes.
        top = ImageStat.Stat(im.convert("L")).mean[0]
    centred = tree(tmp_path / "centred")
    assert build_tree(centred).returncode == 0
    [card] = (centred / "site/images").glob("lead-*-og.jpg")
    with Image.open(card) as im:
        assert ImageStat.Stat(im.convert("L")).mean[0] > top + 5


def test_alpha_png_keeps_transparency_in_every_file(tmp_path):
    root = tree(tmp_path)
    assert build_tree(root).returncode == 0
    files = sorted((root / "site/images").glob("body*"))
    assert {f.suffix for f in files} == {".png", ".webp"}        # no JPEG: it has no alpha
    for f in files:
        with Image.open(f) as im:
            assert im.mode in ("RGBA", "LA", "PA", "P") and im.getextrema()[-1][0] < 255, f


@pytest.mark.parametrize("publish", [False, True])
def test_originals_only_when_the_config_asks(tmp_path, publish):
    root = tree(tmp_path)
    env = {**ENV, "NEWSROOM_PUBLISH_ORIGINALS": "true" if publish else "false"}
    proc = subprocess.run([NEWSROOM, "build", "-q", "--content", str(root / "content"), "--brands",
                           str(root / "brands"), "--site-dir", str(root / "site")],
                          cwd=Path(__file__).resolve().parent.parent, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    published = root / "site/images/lead.jpg"
    original = root / "content/images/lead.jpg"
    with Image.open(published) as im:
        gps = im.getexif().get_ifd(0x8825)
    if publish:
        assert published.read_bytes() == original.read_bytes() and gps
        assert gps[2] == GPS[2]
    else:
        assert published.read_bytes() != original.read_bytes() and not gps
    assert list((root / "site/images").glob("lead-*-1080.webp"))      # variants either way
    assert os.path.isdir(root / ".cache/newsroom/photos")


def test_unwritable_photo_cache_falls_back_to_a_temporary_folder(tmp_path):
    """A regular file named .cache blocks the cache for every user, root included (chmod does
    not stop root): the build warns in Chinese and renders into a private temporary folder."""
    root = tree(tmp_path)
    (root / ".cache").write_text("不是文件夹", encoding="utf-8")
    proc = build_tree(root)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    wanted = f"{root / '.cache/newsroom/photos'}:1: 警告：图片缓存文件夹无法写入（路径上有一个同名的文件），本次改用临时文件夹 "
    [line] = [x for x in proc.stderr.splitlines() if x.startswith(wanted)]
    fallback = Path(line[len(wanted):].split("（", 1)[0])
    try:
        assert fallback.is_relative_to(tempfile.gettempdir()) and list(fallback.glob("*/*/*/manifest.json"))
        [variant] = (root / "site/images").glob("lead-*-1080.webp")
        with Image.open(variant) as im:
            assert im.width == 1080 and not im.getexif().get_ifd(0x8825)
        assert (root / ".cache").read_text(encoding="utf-8") == "不是文件夹"
        again = build_tree(root)                  # the next build finds its variants there
        assert again.returncode == 0 and wanted in again.stderr, again.stderr
        assert list((root / "site/images").glob("lead-*-1080.webp")) == [variant]
    finally:
        shutil.rmtree(fallback, ignore_errors=True)
