"""Feeds newspapers and aggregators syndicate: RSS 2.0 and JSON Feed 1.1.

Every page kind declares the feeds it produces (``Kind.site_feeds``: the site's,
each brand's, worker's and region's, the notices', the print editions'); this module
writes them all. An item (``feed_item.Item``) is made from its entity's schema: which
field is its kicker, byline, category, fact or image is the field's ``F.feed``
(core/schema.FEED_ROLES); entries without a schema (editions) by ``ITEM_MAKERS``.
Each entity's item (the RSS element and the JSON Feed object) is computed once
per build and reused by every feed that lists it, so writing all feeds stays
linear in their total length. XML is built with ElementTree, never by pasting text.

The live preview keeps items between saves, and each feed is handed to the
writer (``writer.Writer``) with a key of everything it shows: a feed whose key
did not change is neither serialized nor written again. A warm build keys the
items by what they are made from (``FeedBuilder.mark``), so an unchanged feed is
linked from the published site without making any item.
"""
from __future__ import annotations

import dataclasses
import functools
import html
import json
import stat
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping, Optional

from ..content.graph_data import ContentGraph
from ..content.sanitize import xml_text
from ..core import dates
from ..core.feedrules import json_path
from ..core.model import SCHEMAS
from ..core.sealed import stable_hash
from ..core.schema import Schema
from ..core.urls import FALLBACK_ICON, abs_url, publisher_logo
from ..pages.kinds import site_feeds
from ..pages.text import summary_text
from . import headline
from .epaper_feed import edition_item
from .feed_item import RSS_NAMESPACES, Enclosure, Item, image_type, q
from .feed_media import GalleryMedia, gallery_media, lead_media
from .html import absolutize, video_html
from .writer import Writer

FEED_ITEMS = 50
RSS_TYPE = "application/rss+xml"
JSON_TYPE = "application/feed+json"
JSONFEED_VERSION = "https://jsonfeed.org/version/1.1"

# The entity kinds whose feed items are not made from a schema (core/model.SCHEMAS): a print
# edition is read from edition.yml and its item lists its pages and their articles. Its page
# kind declares its feed like any other (``Kind.site_feeds``, with this kind's name).
ItemMaker = Callable[[ContentGraph, Any], Item]
ITEM_MAKERS: dict[str, ItemMaker] = {"edition": edition_item}

# The MIME type of each file an item may carry (a notice's attachments), by extension.
FILE_TYPES = {
    ".pdf": "application/pdf", ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".zip": "application/zip",
}


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
        self.marks: dict[str, str] = {}     # url -> ``mark``, once per build
        # A warm build's fingerprints of the entities (src_uri -> every field and its references'),
        # and SHA-256 of the rendered bodies (url -> of ``article_html[url]``): ``mark`` takes them.
        self.prints: Mapping[str, str] = {}
        self.body_sums: Mapping[str, str] = {}
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
        if cached is None and kind in ITEM_MAKERS:
            cached = self.items[e.url] = self._made_item(ITEM_MAKERS[kind](self.graph, e), e.url)
        elif cached is None:
            schema = SCHEMAS[kind]
            size = self._image_bytes(schema, e)
            cached = self.items[e.url] = (self._kept_item(schema, e, size) if self.cache is not None
                                          else self._item(schema, e, size))
        return cached

    def _kept_item(self, schema: Schema, e: Any, size: Optional[int]) -> Item:
        """An item from an earlier build, if neither the entity nor its rendered body changed."""
        assert self.cache is not None
        hit = self.cache.get(e.url)
        # The very entity object of the last build (a file not read again: content/load.DocCache)
        # has the same entry but for its references: 5,665 entries walked on every save, not.
        refs = schema.refs(e)
        same = hit is not None and len(hit) == 4 and hit[2] is e and hit[3] == refs
        # The image's size is the enclosure's length: an image replaced in place changes it.
        stamp = (hit[0][0] if same else schema.entry(e), e.body, self.article_html.get(e.url),
                 self.settings.site_url, size, self._gallery(schema, e), getattr(e, "video_file", None))
        kept = hit if hit is not None and hit[0] == stamp else (stamp, self._item(schema, e, size))
        self.stamped[e.url] = (kept[0], kept[1], e, refs)
        return kept[1]

    def mark(self, e: Any, kind: str = "article") -> str:
        """A digest of everything the entity's item is made from, the same in every process:
        a warm build keys its feeds by these, so a feed listing no changed entity is linked
        from the published site and none of its items is made (5,665 at 10k articles).
        Equal marks, equal items: what ``_item`` reads (the entity's fields, its references'
        ids and names, its rendered body, its image's size and 1200 px JPEG, its 图集, its video)."""
        found = self.marks.get(e.url)
        if found is None and kind in ITEM_MAKERS:       # print editions: made whole, few
            found = self.item(e, kind).stamp()
        elif found is None:
            schema = SCHEMAS[kind]
            image = _value(schema, e, "image")
            found = stable_hash(("item", kind, self.settings.site_url, self._own(schema, e), self._body(e.url),
                                 self._image_bytes(schema, e), lead_media(self.graph, image) if image else None,
                                 self._gallery(schema, e)))
        self.marks[e.url] = found
        return found

    def _own(self, schema: Schema, e: Any) -> Any:
        """The entity with what its references resolved to: the fingerprint the warm build took of
        every field (``prints``, by source), else the fields themselves (schema entry: its references'
        ids and names), its dates, Markdown and video. Walking 5,665 entries cost 0.5 CPU-s."""
        own = self.prints.get(getattr(e, "src_uri", ""))
        if own is not None:
            return own
        return (schema.entry(e), e.date, getattr(e, "modified", None), e.body, getattr(e, "video_file", None))

    def _body(self, url: str) -> Optional[str]:
        """The rendered body, or its SHA-256 when the warm build has it (the same body: warm.body)."""
        body = self.article_html.get(url)
        return None if body is None else self.body_sums.get(url) or body

    def _made_item(self, made: Item, url: str) -> Item:
        """A made item (``ITEM_MAKERS``); in the preview, the earlier build's if it shows the same:
        its serial then says so, and the writer skips the feeds that list it."""
        if self.cache is None:
            return made
        stamp = dataclasses.replace(made, _rss=None, _json=None, serial=0)
        hit = self.cache.get(url)
        kept = hit if hit is not None and hit[0] == stamp else (stamp, made)
        self.stamped[url] = kept
        return kept[1]

    def _image_bytes(self, schema: Schema, e: Any) -> Optional[int]:
        """The size in bytes of the entity's image file; None if it has none or it is missing."""
        image = _value(schema, e, "image")
        if not image:
            return None
        media = lead_media(self.graph, image)
        if media is not None:          # the published 1200 px JPEG, not the upload
            return media.length
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
        media = lead_media(self.graph, image_path)
        if media is not None:          # the photo's 1200 px JPEG (outputs/feed_media.py)
            image = abs_url(s, media.url)
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
                 for f in schema.items_of("attachments", e)]
        enclosure = Enclosure(image, size, media.type if media else image_type(image_path)) if size is not None else None
        video = getattr(e, "video_file", None)      # an article's checked video (content/video.py)
        if video:               # RSS has one enclosure: the video, its true length; the image stays media:content
            lead = video_html(functools.partial(abs_url, s), video) + lead
            enclosure = Enclosure(abs_url(s, video.src), video.size, video.type)
        # The title stays the 主题; kicker and subtitle (or the facts) open the description and the content.
        return Item(dates.iso(e.date), dates.iso(getattr(e, "modified", e.date)), link, title,
                    headline.description(schema, e, summary), headline.headline_html(schema, e) + lead + body,
                    dates.rfc822(e.date), headline.bylines(schema, e), _unique(_categories(schema, e)), image,
                    enclosure or (files[0] if files else None), credit, headline.extension(schema, e), caption, files,
                    abs_url(s, media.thumbnail) if media is not None else "", self._gallery(schema, e), size)

    def _gallery(self, schema: Schema, e: Any) -> tuple[tuple[str, GalleryMedia], ...]:
        """The entity's 图集 photos as feed media: (absolute URL, file)."""
        photos = schema.items_of("gallery", e)
        if not photos:                          # most entities: asked 5,665 times a save
            return ()
        return tuple((abs_url(self.settings, g.url), g) for g in gallery_media(self.graph, photos))

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
    if out.earlier is not None:
        builder.prints, builder.body_sums = out.earlier.prints()
    s = graph.settings
    for feed in builder.feeds():
        # Everything either file shows: the writer skips a feed whose key did not change.
        # Items by serial within one process (the preview); where keys are kept between builds
        # (warm builds), by what they are made from (``mark``): only the feeds written make items.
        items = tuple(builder.mark(e, feed.kind) if out.stable else builder.item(e, feed.kind).serial
                      for e in feed.entries)
        key = (feed.title, feed.link, feed.description, builder.logo, s.site_url, s.site_name,
               s.publisher, builder.last_build(feed), items)
        out.write(feed.path, key, functools.partial(builder.rss, feed))
        out.write(feed.json_path, key, functools.partial(builder.json_feed, feed))
    return builder.stamped
