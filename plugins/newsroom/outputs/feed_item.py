"""A feed item, as RSS 2.0 and JSON Feed serialize it: every feed kind's items are ``Item``s.

``feeds.FeedBuilder`` makes an entity's item from its schema; a kind whose entries are not
Markdown entities makes its own (``feeds.ITEM_MAKERS``: editions, outputs/epaper_feed.py).
Each item is serialized once per build and spliced into every feed that lists it.
"""
from __future__ import annotations

import dataclasses
import itertools
import json
import mimetypes
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from ..core.sealed import stable_hash
from .feed_media import GalleryMedia

NS = {
    "content": "http://purl.org/rss/1.0/modules/content/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "atom": "http://www.w3.org/2005/Atom",
    "media": "http://search.yahoo.com/mrss/",
}

IMAGE_TYPES = {
    ".svg": "image/svg+xml", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png",
    ".gif": "image/gif", ".webp": "image/webp", ".avif": "image/avif",
}


def q(ns: str, tag: str) -> str:
    """A prefixed element name; the prefixes are declared once, on <rss> (see ``RSS_NAMESPACES``)."""
    assert ns in NS
    return f"{ns}:{tag}"


RSS_NAMESPACES = {f"xmlns:{prefix}": uri for prefix, uri in NS.items()}


def image_type(path: str) -> str:
    ext = Path(path).suffix.lower()
    return IMAGE_TYPES.get(ext) or mimetypes.guess_type(path)[0] or "application/octet-stream"


# ---------------------------------------------------------------- items

@dataclass
class Enclosure:
    url: str
    length: int
    type: str
    title: str = ""         # a gallery photo's caption (JSON Feed attachment title)


_SERIALS = itertools.count(1)
# Item fields that are how it is kept, not what it shows (``Item.stamp``).
_NOT_SHOWN = frozenset({"_rss", "_json", "serial", "_stamp"})


@dataclass
class Item:
    """One entity as every feed shows it; computed once per build (kept between preview builds)."""

    date: str               # ISO 8601: date_published
    modified: str           # ISO 8601: date_modified
    link: str
    title: str
    summary: str
    content_html: str
    published: str          # RFC 822
    creators: list[str]
    categories: list[str]
    image: str = ""
    enclosure: Optional[Enclosure] = None
    credit: str = ""
    extension: dict = field(default_factory=dict)   # JSON Feed "_newsroom": headline parts, bylines, facts
    caption: str = ""
    files: list[Enclosure] = field(default_factory=list)   # every file it carries (JSON Feed attachments)
    thumbnail: str = ""     # absolute; the lead photo's small JPEG (outputs/feed_media.py)
    gallery: tuple[tuple[str, GalleryMedia], ...] = ()   # (absolute URL, file): the 图集
    image_size: Optional[int] = None    # bytes: media:content's fileSize (the enclosure may be a video)
    _rss: Optional[str] = None
    _json: Optional[str] = None
    # A new number for every item made: feeds listing items with the same serials show
    # the same items (the live preview skips them). Never reused, unlike id().
    serial: int = field(default_factory=lambda: next(_SERIALS))
    _stamp: Optional[str] = field(default=None, compare=False)

    def stamp(self) -> str:
        """A digest of everything the item shows, the same in every process (warm builds keep
        feeds' keys between builds; ``serial`` is only good within one)."""
        if self._stamp is None:
            shown = tuple(getattr(self, f.name) for f in dataclasses.fields(self) if f.name not in _NOT_SHOWN)
            self._stamp = stable_hash(shown)
        return self._stamp

    def rss(self) -> str:
        """The <item> element serialized (by ElementTree), once per build."""
        if self._rss is None:
            element = self._build_rss()
            ET.indent(element, space=" ", level=2)
            self._rss = ET.tostring(element, encoding="unicode")
        return self._rss

    def _build_rss(self) -> ET.Element:
        item = ET.Element("item")
        ET.SubElement(item, "title").text = self.title
        ET.SubElement(item, "link").text = self.link
        ET.SubElement(item, "guid", isPermaLink="true").text = self.link
        ET.SubElement(item, "pubDate").text = self.published
        ET.SubElement(item, "description").text = self.summary
        ET.SubElement(item, q("content", "encoded")).text = self.content_html
        for name in self.creators:
            ET.SubElement(item, q("dc", "creator")).text = name
        for name in self.categories:
            ET.SubElement(item, "category").text = name
        if self.enclosure:
            ET.SubElement(item, "enclosure", url=self.enclosure.url,
                          length=str(self.enclosure.length), type=self.enclosure.type)
        if self.image:
            content = ET.SubElement(item, q("media", "content"), url=self.image, medium="image",
                                    type=image_type(self.image))
            if self.image_size is not None:
                content.set("fileSize", str(self.image_size))
            if self.caption:
                ET.SubElement(content, q("media", "description")).text = self.caption
            if self.thumbnail:
                ET.SubElement(item, q("media", "thumbnail"), url=self.thumbnail)
        if self.credit:
            ET.SubElement(item, q("media", "credit"), role="photographer").text = self.credit
        for url, g in self.gallery:
            photo = ET.SubElement(item, q("media", "content"), url=url, medium="image", type=g.type,
                                  fileSize=str(g.length), width=str(g.width), height=str(g.height))
            if g.caption:
                ET.SubElement(photo, q("media", "description")).text = g.caption
            if g.credit:
                ET.SubElement(photo, q("media", "credit"), role="photographer").text = g.credit
        return item

    def json(self) -> str:
        """The JSON Feed item serialized (by json.dumps), once per build."""
        if self._json is None:
            obj: dict = {
                "id": self.link,
                "url": self.link,
                "title": self.title,
                "content_html": self.content_html,
                "summary": self.summary,
                "date_published": self.date,
                "date_modified": self.modified,
            }
            if self.extension:
                obj["_newsroom"] = self.extension
            if self.creators:
                obj["authors"] = [{"name": n} for n in self.creators]
            if self.categories:
                obj["tags"] = list(self.categories)
            if self.image:
                obj["image"] = self.image
            files = self.files or ([self.enclosure] if self.enclosure else [])
            files = files + [Enclosure(url, g.length, g.type, g.caption) for url, g in self.gallery]
            if files:
                obj["attachments"] = [{"url": f.url, "mime_type": f.type, "size_in_bytes": f.length,
                                       **({"title": f.title} if f.title else {})} for f in files]
            self._json = json.dumps(obj, ensure_ascii=False)
        return self._json


__all__ = ["IMAGE_TYPES", "NS", "RSS_NAMESPACES", "Enclosure", "Item", "image_type", "q"]
