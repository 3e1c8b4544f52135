"""Which variants a slot needs: widths and formats as data, not code.

The widths follow the layout (docs/photos.md): a lead photo spans up to 1080 CSS px at 1x and
1600 px serves 1.5x screens; body photos are narrower; logos are small. WebP is the modern format
(measured against AVIF in docs/photos.md); JPEG is the fallback, PNG when the image has alpha
(a JPEG fallback would paint transparent logo corners black).
"""
from __future__ import annotations

from dataclasses import dataclass

# Quality per encoder; part of the cache key, so changing one re-renders every variant.
QUALITY = {"webp": 75, "jpeg": 80, "avif": 50, "png": 0, "gif": 0}
OG_SIZE = (1200, 630)        # Open Graph / social cards
FEED_WIDTH = 1200            # feed enclosures: one JPEG every reader shows


@dataclass(frozen=True)
class Slot:
    name: str
    widths: tuple[int, ...]          # ascending, CSS-independent pixel widths
    modern: tuple[str, ...]          # formats offered in <source type=...>, best first
    sizes: str                       # the <img sizes> attribute the templates should use
    min_width: int = 0               # narrower source = warning (photo looks soft in the slot)


SLOTS: dict[str, Slot] = {
    # sizes: the widths measured in Chromium (docs/photos.md): the page's padding taken off on
    # phones, so a 412 px phone at 1.75x takes the 720 px file, not the 1080 one.
    "lead": Slot("lead", (360, 720, 1080, 1600), ("webp",), "(max-width: 800px) calc(100vw - 34px), 780px", 1080),
    "body": Slot("body", (360, 720, 1080), ("webp",), "(max-width: 767px) calc(100vw - 32px), 670px"),
    "worker": Slot("worker", (160, 320, 640), ("webp",), "(max-width: 600px) 50vw, 320px"),
    "logo": Slot("logo", (96, 192, 384), ("webp",), "192px"),
    "feed": Slot("feed", (FEED_WIDTH,), (), "100vw"),
    # A print page's scan (数字报), never cropped. Measured in Chromium: the page's width less
    # its padding on phones and tablets, three fifths of it beside the article list from 960 px,
    # 700 px at most. 2400 px is the full-size view (查看大图) that small print needs.
    "scan": Slot("scan", (720, 1080, 1600, 2400), ("webp",),
                 "(max-width: 959px) calc(100vw - 34px), (max-width: 1219px) calc(60vw - 36px), 700px"),
}


def fallback_format(has_alpha: bool) -> str:
    return "png" if has_alpha else "jpeg"


def plan_widths(slot: Slot, source_width: int) -> list[int]:
    """Widths to render for a source: never upscale; a small source gets its own width instead
    of the ladder steps it cannot fill, so srgset never promises pixels that are not there."""
    widths = [w for w in slot.widths if w <= source_width]
    if source_width < slot.widths[-1] and source_width not in widths:
        widths.append(source_width)
    return widths


def plan_formats(slot: Slot, has_alpha: bool) -> list[str]:
    return [*slot.modern, fallback_format(has_alpha)]
