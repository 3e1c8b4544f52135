"""Intrinsic image sizes, read from the files themselves (stdlib only).

Templates and the Markdown extension write ``width`` and ``height`` on every
``<img>`` so the browser reserves the space before the image arrives (no layout
shift). The sizes must be the image's own: a wrong ratio distorts it once CSS
sets ``height: auto``. Three formats cover what editors upload:

- SVG: the root element's ``width``/``height`` (in px or unitless), else its
  ``viewBox``; a missing dimension follows the viewBox ratio.
- PNG: the IHDR chunk.
- JPEG: the first SOFn segment.

GIF and WebP are read too, since they are as cheap. ``image_size`` returns
``None`` when the file is missing or not understood; callers then leave the
attributes out rather than guess. Results are cached by path, size, mtime and inode.
"""
from __future__ import annotations

import os
import re
import struct
from functools import lru_cache
from pathlib import Path
from typing import Optional

Size = tuple[int, int]

_SVG_HEAD = 4096          # the root element's attributes are near the start
_JPEG_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


def image_size(path: os.PathLike | str) -> Optional[Size]:
    """(width, height) in CSS pixels of an SVG, PNG, JPEG, GIF or WebP file, or None."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    # The inode too: a file moved over the old one may keep an older modification time.
    return _cached(str(path), st.st_size, st.st_mtime_ns, st.st_ino)


@lru_cache(maxsize=4096)
def _cached(path: str, size: int, mtime: int, inode: int) -> Optional[Size]:
    try:
        with open(path, "rb") as f:
            head = f.read(_SVG_HEAD)
            if head.startswith(b"\x89PNG\r\n\x1a\n"):
                return _png(head)
            if head.startswith(b"\xff\xd8"):
                f.seek(0)
                return _jpeg(f)
            if head[:6] in (b"GIF87a", b"GIF89a"):
                return _positive(*struct.unpack("<HH", head[6:10]))
            if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
                return _webp(head)
            if Path(path).suffix.lower() in (".svg", ".svgz") or b"<svg" in head:
                return svg_size(head.decode("utf-8", "replace"))
    except (OSError, struct.error, ValueError):
        return None
    return None


def _positive(w: float, h: float) -> Optional[Size]:
    w, h = int(round(w)), int(round(h))
    return (w, h) if w > 0 and h > 0 else None


def _png(head: bytes) -> Optional[Size]:
    if head[12:16] != b"IHDR":
        return None
    return _positive(*struct.unpack(">II", head[16:24]))


def _jpeg(f) -> Optional[Size]:
    f.read(2)
    while True:
        byte = f.read(1)
        while byte and byte != b"\xff":
            byte = f.read(1)
        while byte == b"\xff":          # fill bytes
            byte = f.read(1)
        if not byte:
            return None
        marker = byte[0]
        if marker in (0x01, 0xD8) or 0xD0 <= marker <= 0xD7:   # no length
            continue
        if marker == 0xD9:             # end of image
            return None
        length = struct.unpack(">H", f.read(2))[0]
        if marker in _JPEG_SOF:
            data = f.read(5)
            h, w = struct.unpack(">HH", data[1:5])
            return _positive(w, h)
        f.seek(length - 2, os.SEEK_CUR)


def _webp(head: bytes) -> Optional[Size]:
    kind = head[12:16]
    if kind == b"VP8 ":
        w, h = struct.unpack("<HH", head[26:30])
        return _positive(w & 0x3FFF, h & 0x3FFF)
    if kind == b"VP8L":
        b = head[21:25]
        w = 1 + (((b[1] & 0x3F) << 8) | b[0])
        h = 1 + (((b[3] & 0xF) << 10) | (b[2] << 2) | ((b[1] & 0xC0) >> 6))
        return _positive(w, h)
    if kind == b"VP8X":
        w = 1 + int.from_bytes(head[24:27], "little")
        h = 1 + int.from_bytes(head[27:30], "little")
        return _positive(w, h)
    return None


_ROOT = re.compile(r"<svg\b([^>]*)>", re.S)
_ATTR = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_LENGTH = re.compile(r"^\s*([0-9]*\.?[0-9]+(?:e[+-]?\d+)?)\s*(px)?\s*$", re.I)


def svg_size(text: str) -> Optional[Size]:
    """The size an SVG document asks for (its root's width/height, else its viewBox)."""
    m = _ROOT.search(text)
    if not m:
        return None
    attrs = {k: a or b for k, a, b in _ATTR.findall(m.group(1))}

    def length(name: str) -> Optional[float]:
        v = _LENGTH.match(attrs.get(name, ""))   # %, em, mm ...: not a pixel size
        return float(v.group(1)) if v else None

    w, h = length("width"), length("height")
    box = None
    parts = re.split(r"[\s,]+", attrs.get("viewBox", "").strip())
    if len(parts) == 4:
        try:
            bw, bh = float(parts[2]), float(parts[3])
            if bw > 0 and bh > 0:
                box = (bw, bh)
        except ValueError:
            pass
    if w and h:
        return _positive(w, h)
    if box:
        if w:
            return _positive(w, w * box[1] / box[0])
        if h:
            return _positive(h * box[0] / box[1], h)
        return _positive(*box)
    return None


__all__ = ["image_size", "svg_size"]
