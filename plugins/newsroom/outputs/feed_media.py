"""The files feeds point at for an article's lead photo: the engine's 1200 px JPEG (every
reader shows JPEG) with its true byte count, and a small thumbnail. Kept out of feeds.py so
the feed builder only asks one question; None when the photo was not rendered (an SVG, a
missing file): then the feed names the image as the editor gave it."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Optional

THUMB_WIDTH = 360


@dataclass(frozen=True)
class LeadMedia:
    url: str            # site-relative
    length: int         # bytes of the published file
    type: str
    width: int
    height: int
    thumbnail: str      # site-relative, ~360 px JPEG


@dataclass(frozen=True)
class GalleryMedia:
    url: str            # site-relative
    length: int
    type: str
    width: int
    height: int
    caption: str
    credit: str


def gallery_media(graph: Any, gallery: Iterable[Any]) -> tuple[GalleryMedia, ...]:
    """An article's gallery (图集) as media items: each photo's widest JPEG."""
    out = []
    for photo in gallery:
        found = graph.photos.widest_fallback(photo.image, "body")
        if found is not None:
            out.append(GalleryMedia(found.url, found.length, found.type, found.width, found.height,
                                    photo.caption, photo.credit))
    return tuple(out)


def lead_media(graph: Any, image: str) -> Optional[LeadMedia]:
    if not image:
        return None
    found = graph.photos.feed_media(image)
    if found is None:
        return None
    pic = graph.photos.picture(image, "lead")
    thumbs = pic.fallback.variants if pic is not None else ()
    thumb = next((v.url for v in thumbs if v.width >= THUMB_WIDTH), found.url)
    return LeadMedia(found.url, found.length, found.type, found.width, found.height, thumb)


__all__ = ["GalleryMedia", "LeadMedia", "gallery_media", "lead_media"]
