"""Decode, orient, convert to sRGB, resize and encode with libvips (pyvips); no metadata out.

Why libvips: docs/photos.md. In short: same speed as Pillow with draft mode on camera JPEGs,
but it streams every format (a 60-megapixel PNG needs ~120 MB instead of ~730 MB), converts CMYK
and embedded ICC profiles to sRGB, and reads 16-bit, HEIC and animated images by itself.
Every save uses keep="none": no EXIF (GPS, serials, maker notes), XMP, IPTC or ICC in any output.
"""
from __future__ import annotations

from concurrent.futures import Executor
from dataclasses import dataclass

import pyvips

from . import heif
from .focus import crop_window
from .ladder import OG_SIZE, QUALITY

BIG = 10_000_000             # "no limit" for the height of a width-bound thumbnail
ORIENTATION_SWAPS = {5, 6, 7, 8}


class UnreadableImage(Exception):
    """The file is not an image libvips can decode (corrupt, truncated, unknown format)."""


@dataclass(frozen=True)
class Header:
    width: int               # as displayed: EXIF orientation already applied
    height: int
    has_alpha: bool
    pages: int               # frames of an animation, 1 for a still
    loader: str              # libvips loader name, e.g. jpegload, heifload


@dataclass(frozen=True)
class Rendered:
    width: int
    height: int
    format: str              # webp, jpeg, png, avif
    data: bytes
    role: str = "variant"    # or "og"


def setup(threads_per_image: int = 1) -> None:
    """One libvips worker thread per image and no operation cache: the pool runs images in
    parallel instead, and a cache of decoded images would only hold memory."""
    pyvips.concurrency_set(threads_per_image)
    pyvips.cache_set_max(0)


def loaders() -> set[str]:
    return set(pyvips.base.get_suffixes())


def probe(path: str) -> Header:
    try:
        img = pyvips.Image.new_from_file(path, access="sequential")
        loader = img.get("vips-loader")
        pages = img.get("n-pages") if img.get_typeof("n-pages") else 1
        orientation = img.get("orientation") if img.get_typeof("orientation") else 1
    except pyvips.Error as exc:
        raise UnreadableImage(str(exc)) from exc
    w, h = img.width, img.height
    if orientation in ORIENTATION_SWAPS:
        w, h = h, w
    return Header(w, h, bool(img.hasalpha()), max(1, pages), loader)


def render(path: str, requests: list[tuple[int, str]], animated: bool,
           og_focus: tuple[float, float] | None, encoders: Executor | None = None) -> list[Rendered]:
    """All requested (width, format) variants, plus the Open Graph crop when og_focus is set.
    The file is decoded once, shrunk on load to the largest width; smaller widths are made
    from that (an animation is re-read per width so its frames stay aligned).

    With ``encoders``, each width's resize and encodes run as one task there: the encodes are
    two thirds of a 12-MP photo's 1.2 CPU-s, and a warm build that renders one new photo has
    the other core free (libvips releases the GIL). The same operations on the same decoded
    image: the same bytes, in the same order."""
    widths = sorted({w for w, _ in requests}, reverse=True)
    try:
        largest = _thumbnail(path, widths[0], animated)

        def one_width(width: int) -> list[Rendered]:
            img = largest if width >= largest.width else _smaller(path, largest, width, animated)
            return [_encode(img, fmt) for w, fmt in requests if w == width]

        def og() -> list[Rendered]:
            return [_og(_first_page(largest), og_focus)] if og_focus is not None else []

        if encoders is None:
            parts = [one_width(w) for w in widths] + [og()]
        else:
            futures = [encoders.submit(one_width, w) for w in widths] + [encoders.submit(og)]
            parts = [f.result() for f in futures]
        return [r for part in parts for r in part]
    except pyvips.Error as exc:
        raise UnreadableImage(str(exc)) from exc


def _thumbnail(path: str, width: int, animated: bool) -> pyvips.Image:
    options = "[n=-1]" if animated else ""
    try:
        img = pyvips.Image.thumbnail(path + options, width, height=BIG, size="down",
                                     output_profile="srgb", fail_on="error")
        return _to_srgb8(img).copy_memory()   # several encoders read it: decode once
    except pyvips.Error:
        if not _is_hevc(path):
            raise
    try:
        img = heif.load(path)
    except (OSError, ValueError, SyntaxError) as exc:     # what Pillow raises for bad files
        raise UnreadableImage(str(exc)) from exc
    return _to_srgb8(img.thumbnail_image(width, height=BIG, size="down")).copy_memory()


def _is_hevc(path: str) -> bool:
    try:
        img = pyvips.Image.new_from_file(path)
        return img.get("vips-loader") == "heifload" and img.get("heif-compression") == "hevc"
    except pyvips.Error:
        return False


def _smaller(path: str, largest: pyvips.Image, width: int, animated: bool) -> pyvips.Image:
    if animated:
        return _thumbnail(path, width, animated)
    return largest.thumbnail_image(width, height=BIG, size="down").copy_memory()


def _to_srgb8(img: pyvips.Image) -> pyvips.Image:
    """8-bit sRGB (or 8-bit grey): 16-bit PNGs and CMYK without a profile end up here."""
    grey = img.interpretation in ("b-w", "grey16")
    if img.format != "uchar" or img.interpretation not in ("srgb", "b-w"):
        img = img.colourspace("b-w" if grey else "srgb")
    return img.cast("uchar") if img.format != "uchar" else img


def _first_page(img: pyvips.Image) -> pyvips.Image:
    page = img.get("page-height") if img.get_typeof("page-height") else img.height
    return img.crop(0, 0, img.width, page) if page < img.height else img


def _encode(img: pyvips.Image, fmt: str) -> Rendered:
    q = QUALITY[fmt]
    if fmt == "webp":
        data = img.webpsave_buffer(Q=q, effort=4, keep="none")
    elif fmt == "avif":
        data = img.heifsave_buffer(Q=q, compression="av1", effort=2, keep="none")
    elif fmt == "gif":                  # only as a stand-in for a .gif original: stays animated
        data = img.gifsave_buffer(keep="none")
    else:
        img = _first_page(img)          # JPEG and PNG fallbacks are stills
        if fmt == "jpeg":
            img = img.flatten(background=[255] * (img.bands - 1)) if img.hasalpha() else img
            data = img.jpegsave_buffer(Q=q, optimize_coding=True, interlace=True, keep="none")
        else:
            data = img.pngsave_buffer(compression=6, keep="none")
    page = img.get("page-height") if img.get_typeof("page-height") else img.height
    return Rendered(img.width, min(page, img.height), fmt, bytes(data))


def _og(img: pyvips.Image, focus: tuple[float, float]) -> Rendered:
    left, top, w, h = crop_window(img.width, img.height, OG_SIZE, focus)
    crop = img.crop(left, top, w, h)
    if w > OG_SIZE[0]:
        crop = crop.thumbnail_image(OG_SIZE[0], height=OG_SIZE[1], crop="centre")
    crop = crop.flatten(background=[255] * (crop.bands - 1)) if crop.hasalpha() else crop
    data = crop.jpegsave_buffer(Q=QUALITY["jpeg"], optimize_coding=True, interlace=True, keep="none")
    return Rendered(crop.width, crop.height, "jpeg", bytes(data), role="og")
