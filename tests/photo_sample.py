"""The sample site with real camera photos (issue 13), made at test and audit time.

A 12-megapixel JPEG from a phone weighs 3-9 MB: too big to commit, so `camera_jpeg` paints
one with Pillow: textured at every scale (hard for every codec, like a real scene), with the
EXIF phones write (maker, model, body serial, GPS, orientation). `photo_sample` copies the
sample content and brands and gives the audited article (and the home page's lead) such a
lead photo, plus one in the article's body; the free page 关于我们 gets a smaller one.
"""
from __future__ import annotations

import random
import shutil
from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
SERIAL = "BC00004711"
GPS = {1: "N", 2: (30.0, 5.0, 7.0), 3: "E", 4: (120.0, 29.0, 3.0)}
# The articles that get photos: the audited one (tests/audit_lighthouse.py PAGES) and the
# home page's lead (the newest featured article).
ARTICLE = "news/2021/12/kegong-brands/"
ARTICLE_FILE = "content/news/2021/kegong-brands.md"
HOME_LEAD_FILE = "content/news/2022/kegong-review.md"
FREE_PAGE_FILE = "content/pages/about.md"


def camera_jpeg(path: Path, size: tuple[int, int] = (4000, 3000), seed: int = 1,
                orientation: int = 1) -> Path:
    """A camera-like JPEG (q90) with maker, model, serial, GPS and an orientation flag."""
    rng = random.Random(seed)
    w, h = size
    im = Image.linear_gradient("L").resize((w, h)).convert("RGB")
    d = ImageDraw.Draw(im)
    for _ in range(50):
        x, y, r = rng.randrange(w), rng.randrange(h), rng.randrange(w // 50 + 1, w // 7 + 2)
        d.ellipse((x - r, y - r, x + r, y + r), fill=tuple(rng.randrange(256) for _ in range(3)))
    for cells, amount in ((w // 25, 0.18), (w // 6, 0.14), (w // 2, 0.10), (w, 0.08)):
        n = Image.merge("RGB", [Image.effect_noise((cells, cells * 3 // 4), 64) for _ in range(3)])
        im = Image.blend(im, n.resize((w, h), Image.BICUBIC), amount)
    exif = Image.Exif()
    exif[0x010F], exif[0x0110], exif[0xA431] = "BenchCam", "BC-12", SERIAL
    exif[0x0112] = orientation
    exif[0x8825] = GPS
    path.parent.mkdir(parents=True, exist_ok=True)
    im.save(path, "JPEG", quality=90, exif=exif.tobytes())
    return path


def _with_photo(md: Path, image: str, body_image: str = "") -> None:
    text = md.read_text(encoding="utf-8")
    head, sep, body = text.partition("\n---\n")
    lines = [f"image: {image}" if line.startswith("image:") else line for line in head.split("\n")]
    if not any(line.startswith("image:") for line in lines):
        lines.append(f"image: {image}")
    if body_image:
        first, _, rest = body.strip("\n").partition("\n\n")
        body = f"\n{first}\n\n![活动现场](../../{body_image})\n\n{rest}\n"
    md.write_text("\n".join(lines) + sep + body, encoding="utf-8")


def photo_sample(dest: Path) -> Path:
    """The sample's content/ and brands/ in ``dest`` with three 12-MP camera photos (and a 2-MP one)."""
    for folder in ("content", "brands"):
        shutil.copytree(ROOT / folder, dest / folder, symlinks=True)
    images = dest / "content" / "images" / "photos"
    camera_jpeg(images / "kegong-brands.jpg", seed=1)
    camera_jpeg(images / "kegong-brands-body.jpg", seed=2, orientation=6)   # taken upright
    camera_jpeg(images / "kegong-review.jpg", seed=3)
    _with_photo(dest / ARTICLE_FILE, "images/photos/kegong-brands.jpg", "images/photos/kegong-brands-body.jpg")
    _with_photo(dest / HOME_LEAD_FILE, "images/photos/kegong-review.jpg")
    # A free page (MkDocs renders it) with a photo of its own: a smaller one, to keep it quick.
    camera_jpeg(images / "about.jpg", size=(1600, 1200), seed=4)
    about = dest / FREE_PAGE_FILE
    about.write_text(about.read_text(encoding="utf-8") + "\n![活动现场](../images/photos/about.jpg)\n",
                     encoding="utf-8")
    return dest


__all__ = ["ARTICLE", "GPS", "SERIAL", "camera_jpeg", "photo_sample"]
