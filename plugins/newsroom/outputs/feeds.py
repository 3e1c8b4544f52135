"""Feeds newspapers and aggregators syndicate: RSS 2.0 and JSON Feed 1.1.

Every page kind declares the feeds it produces (``Kind.site_feeds``: the site's,
each brand's, worker's and region's, the notices'); this module writes them all.
An item is made from its entity's schema: which field is its kicker, byline,
category, fact or image is the field's ``F.feed`` (core/schema.FEED_ROLES).
Each entity's item (the RSS element and the JSON Feed object) is computed once
per build and reused by every feed that lists it, so writing all feeds stays
linear in their total length. XML is built with ElementTree, never by pasting text.

The live preview keeps items between saves, and each feed is handed to the
writer (``writer.Writer``) with a key of everything it shows: a feed whose key
did not change is neither serialized nor written again.
"""
from __future__ import annotations

import functools
import html
import itertools
import json
import mimetypes
import stat
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, Optional

from ..content.graph import ContentGraph
from ..content.sanitize import xml_text
from ..core import dates
from ..core.feedrules import json_path
from ..core.model import SCHEMAS
from ..core.schema import Schema
from ..core.urls import FALLBACK_ICON, abs_url, publisher_logo
from ..pages.kinds import site_feeds
from ..pages.text import summary_text
from . import headline
from .html import absolutize
from .writer import Writer

FEED_ITEMS = 50
RSS_TYPE = "application/rss+xml"
JSON_TYPE = "application/feed+json"
JSONFEED_VERSION = "https://jsonfeed.org/version/1.1"

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


_SERIALS = itertools.count(1)


# The MIME type of each file an item may carry (a notice's attachments), by extension.
FILE_TYPES = {
    ".pdf": "application/pdf", ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".zip": "application/zip",
}


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
    _rss: Optional[str] = None
    _json: Optional[str] = None
    # A new number for every item made: feeds listing items with the same serials show
    # the same items (the live preview skips them). Never reused, unlike id().
    serial: int = field(default_factory=lambda: next(_SERIALS))

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
            if self.enclosure:
                content.set("fileSize", str(self.enclosure.length))
            if self.caption:
                ET.SubElement(content, q("media", "description")).text = self.caption
        if self.credit:
            ET.SubElement(item, q("media", "credit"), role="photographer").text = self.credit
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
            if files:
                obj["attachments"] = [{"url": f.url, "mime_type": f.type, "size_in_bytes": f.length} for f in files]
            self._json = json.dumps(obj, ensure_ascii=False)
        return self._json


@dataclass
class Feed:
    """One feed's channel data: its RSS lives at ``path``, its JSON Feed beside it."""

    path: str               # site-root-relative, e.g. brands/ke-gong-yi/feed.xml
    title: str
    link: str               # absolute URL of the page the feed follows
    description: str
    kind: str = "article"   # of its entries: the schema their items are made from
    entries: list[Any] = field(default_factory=list)

    @property
    def json_path(self) -> str:
        return json_path(self.path)


class FeedBuilder:
    """Builds every feed of a site; items are cached by URL."""

    def __init__(self, graph: ContentGraph, article_html: dict[str, str],
                 site_dir: Optional[Path] = None, cache: Optional[dict] = None) -> None:
        self.graph = graph
        self.settings = graph.settings
        self.article_html = article_html    # rendered bodies by URL (kinds that keep_html)
        self.items: dict[str, Item] = {}
        # Items kept between builds (the live preview): url -> (stamp, Item), from the
        # last build (``cache``) and for this one (``stamped``, which replaces it after).
        self.cache = cache
        self.stamped: dict[str, tuple] = {}
        self.logo = publisher_logo(self.settings, site_dir)
        self.now = self.settings.build_time()

    # -------------------------------------------------------- selection

    def visible(self, e: Any) -> bool:
        # Previews (serve --drafts) put drafts and scheduled entries in the graph; feeds never carry them.
        is_public = getattr(e, "is_public", None)
        return is_public is None or is_public(self.now)

    def latest(self, entries: Iterable[Any], n: int = FEED_ITEMS) -> list[Any]:
        out = []
        for e in entries:
            if self.visible(e):
                out.append(e)
                if len(out) >= n:
                    break
        return out

    def feeds(self) -> Iterator[Feed]:
        """Every feed the page kinds declare, in the kinds' order."""
        for declared in site_feeds(self.graph):
            ref = declared.ref
            yield Feed(ref.path, ref.title, abs_url(self.settings, ref.page), ref.description, declared.kind,
                       self.latest(declared.entries))

    # -------------------------------------------------------- items

    def item(self, e: Any, kind: str = "article") -> Item:
        cached = self.items.get(e.url)
        if cached is None:
            schema = SCHEMAS[kind]
            size = self._image_bytes(schema, e)
            cached = self.items[e.url] = (self._kept_item(schema, e, size) if self.cache is not None
                                          else self._item(schema, e, size))
        return cached

    def _kept_item(self, schema: Schema, e: Any, size: Optional[int]) -> Item:
        """An item from an earlier build, if neither the entity nor its rendered body changed."""
        assert self.cache is not None
        # The image's size is the enclosure's length: an image replaced in place changes it.
        stamp = (schema.entry(e), e.body, self.article_html.get(e.url), self.settings.site_url, size)
        hit = self.cache.get(e.url)
        kept = hit if hit is not None and hit[0] == stamp else (stamp, self._item(schema, e, size))
        self.stamped[e.url] = kept
        return kept[1]

    def _image_bytes(self, schema: Schema, e: Any) -> Optional[int]:
        """The size in bytes of the entity's image file; None if it has none or it is missing."""
        image = _value(schema, e, "image")
        if not image:
            return None
        try:
            st = (self.graph.content_dir / image).stat()
        except OSError:
            return None
        return st.st_size if stat.S_ISREG(st.st_mode) else None

    def _item(self, schema: Schema, e: Any, size: Optional[int]) -> Item:
        s = self.settings
        link = abs_url(s, e.url)
        image_path, caption, credit = (_value(schema, e, role) for role in ("image", "caption", "credit"))
        image = abs_url(s, image_path) if image_path else ""
        facts = headline.facts(schema, e)
        summary = "；".join(facts) if facts else _value(schema, e, "summary") or summary_text(e.body, 120)
        body = self.article_html.get(e.url)
        fallback = "" if facts else f"<p>{html.escape(summary)}</p>"
        body = absolutize(body, link) if body is not None else fallback
        title = schema.title(e)
        lead = ""
        if image:
            shown = "　".join(x for x in (caption, credit) if x)
            lead = (f'<figure><img src="{html.escape(image)}" alt="{html.escape(caption or title)}">'
                    + (f"<figcaption>{html.escape(shown)}</figcaption>" if shown else "") + "</figure>\n")
        files = [Enclosure(abs_url(s, f.path), f.size, FILE_TYPES[_ext(f.path)])
                 for field_ in schema.fields() if field_.type == "attachments" for f in getattr(e, field_.attr)]
        enclosure = Enclosure(image, size, image_type(image_path)) if size is not None else None
        # The title stays the 主题; kicker and subtitle (or the facts) open the description and the content.
        return Item(dates.iso(e.date), dates.iso(getattr(e, "modified", e.date)), link, title,
                    headline.description(schema, e, summary), headline.headline_html(schema, e) + lead + body,
                    dates.rfc822(e.date), headline.bylines(schema, e), _unique(_categories(schema, e)), image,
                    enclosure or (files[0] if files else None), credit, headline.extension(schema, e), caption, files)

    # -------------------------------------------------------- output

    def last_build(self, feed: Feed) -> str:
        when = max((getattr(e, "modified", e.date) for e in feed.entries), default=None) or self.now
        return dates.rfc822(when.astimezone(self.settings.tz))

    def rss(self, feed: Feed) -> bytes:
        s = self.settings
        rss = ET.Element("rss", {"version": "2.0", **RSS_NAMESPACES})
        channel = ET.SubElement(rss, "channel")
        ET.SubElement(channel, "title").text = feed.title
        ET.SubElement(channel, "link").text = feed.link
        ET.SubElement(channel, "description").text = feed.description
        ET.SubElement(channel, "language").text = "zh-CN"
        ET.SubElement(channel, q("atom", "link"), href=abs_url(s, feed.path), rel="self", type=RSS_TYPE)
        ET.SubElement(channel, "lastBuildDate").text = self.last_build(feed)
        ET.SubElement(channel, "generator").text = "newsroom"
        if s.publisher:
            ET.SubElement(channel, "copyright").text = s.publisher
        image = ET.SubElement(channel, "image")
        ET.SubElement(image, "url").text = self.logo
        ET.SubElement(image, "title").text = feed.title
        ET.SubElement(image, "link").text = feed.link
        ET.indent(rss, space=" ")
        head = ET.tostring(rss, encoding="unicode", xml_declaration=True)
        # The items, each serialized once by ElementTree, go before the one literal </channel>
        # (all text is escaped, so the tag cannot occur anywhere else).
        cut = head.rindex("</channel>")
        items = "".join(f" {self.item(e, feed.kind).rss()}\n " for e in feed.entries)
        # Content was cleaned when read; xml_text also catches site_config.yml's escapes ("\v").
        return xml_text(head[:cut] + items + head[cut:]).encode("utf-8")

    def json_feed(self, feed: Feed) -> bytes:
        s = self.settings
        head = {
            "version": JSONFEED_VERSION,
            "title": feed.title,
            "home_page_url": feed.link,
            "feed_url": abs_url(s, feed.json_path),
            "description": feed.description,
            "icon": self.logo,
            "favicon": abs_url(s, FALLBACK_ICON),
            "language": "zh-CN",
            "authors": [{"name": s.publisher or s.site_name, "url": abs_url(s, "")}],
            "items": [],
        }
        text = json.dumps(head, ensure_ascii=False)
        assert text.endswith('"items": []}')
        # Each item was serialized once by json.dumps; splice them into the list.
        items = ",\n".join(self.item(e, feed.kind).json() for e in feed.entries)
        return (text[: -len("]}")] + "\n" + items + "\n]}\n").encode("utf-8")


def _value(schema: Schema, e: Any, role: str) -> str:
    """The value of the entity's field with this one-field role (image, caption …), '' if none."""
    fields = schema.with_role(role)
    return getattr(e, fields[0].attr) if fields else ""


def _categories(schema: Schema, e: Any) -> list[str]:
    """The item's categories: its ``category`` fields' values; a reference's, the names."""
    out: list[str] = []
    for f in schema.with_role("category"):
        value = getattr(e, f.name) if f.ref else getattr(e, f.attr)
        out += [x.name for x in value] if f.ref else (list(value) if isinstance(value, list) else [value])
    return out


def _ext(path: str) -> str:
    return "." + path.rpartition(".")[2].lower()


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, None] = {}
    for n in names:
        n = n.strip()
        if n:
            seen.setdefault(n, None)
    return list(seen)


def write_feeds(graph: ContentGraph, out: Writer, article_html: dict[str, str],
                cache: Optional[dict] = None) -> dict[str, tuple]:
    """Hand every RSS feed and its JSON Feed to ``out``.

    ``cache`` (from the last build of the live preview) reuses items; returns the
    items to keep for the next build."""
    builder = FeedBuilder(graph, article_html, out.site_dir, cache)
    s = graph.settings
    for feed in builder.feeds():
        # Everything either file shows: the writer skips a feed whose key did not change.
        key = (feed.title, feed.link, feed.description, builder.logo, s.site_url, s.site_name,
               s.publisher, builder.last_build(feed), tuple(builder.item(e, feed.kind).serial for e in feed.entries))
        out.write(feed.path, key, functools.partial(builder.rss, feed))
        out.write(feed.json_path, key, functools.partial(builder.json_feed, feed))
    return builder.stamped
