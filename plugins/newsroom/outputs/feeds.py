"""Feeds newspapers and aggregators syndicate: RSS 2.0 and JSON Feed 1.1.

Everything is derived from the graph. Each article's item (the RSS element
and the JSON Feed object) is computed once per build and reused by every feed
that lists it (site, brand, worker, region), so writing all feeds stays linear
in their total length. XML is built with ElementTree, never by pasting text.

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
from typing import Iterable, Iterator, Optional

from ..content.graph import ContentGraph
from ..content.sanitize import xml_text
from ..core import dates
from ..core.model import Article
from ..core.feedrules import FeedRef, brand_feed, json_path, region_feed, site_feed, worker_feed
from ..core.urls import FALLBACK_ICON, abs_url, publisher_logo
from ..pages.text import summary_of
from . import headline
from .html import absolutize, video_html
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


# ---------------------------------------------------------------- URLs











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


@dataclass
class Item:
    """One article as every feed shows it; computed once per build (kept between preview builds)."""

    article: Article
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
    extension: dict = field(default_factory=dict)   # JSON Feed "_newsroom": headline parts, bylines
    image_size: Optional[int] = None    # bytes; the enclosure is the video when there is one
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
            if self.image_size is not None:
                content.set("fileSize", str(self.image_size))
            if self.article.image_caption:
                ET.SubElement(content, q("media", "description")).text = self.article.image_caption
        if self.credit:
            ET.SubElement(item, q("media", "credit"), role="photographer").text = self.credit
        return item

    def json(self) -> str:
        """The JSON Feed item serialized (by json.dumps), once per build."""
        if self._json is None:
            a = self.article
            obj: dict = {
                "id": self.link,
                "url": self.link,
                "title": self.title,
                "content_html": self.content_html,
                "summary": self.summary,
                "date_published": dates.iso(a.date),
                "date_modified": dates.iso(a.modified),
            }
            if self.extension:
                obj["_newsroom"] = self.extension
            if self.creators:
                obj["authors"] = [{"name": n} for n in self.creators]
            if self.categories:
                obj["tags"] = list(self.categories)
            if self.image:
                obj["image"] = self.image
            if self.enclosure:
                obj["attachments"] = [{"url": self.enclosure.url, "mime_type": self.enclosure.type,
                                       "size_in_bytes": self.enclosure.length}]
            self._json = json.dumps(obj, ensure_ascii=False)
        return self._json


@dataclass
class Feed:
    """One feed's channel data: its RSS lives at ``path``, its JSON Feed beside it."""

    path: str               # site-root-relative, e.g. brands/ke-gong-yi/feed.xml
    title: str
    link: str               # absolute URL of the page the feed follows
    description: str
    articles: list[Article] = field(default_factory=list)

    @property
    def json_path(self) -> str:
        return json_path(self.path)


class FeedBuilder:
    """Builds every feed of a site; per-article items are cached by URL."""

    def __init__(self, graph: ContentGraph, article_html: dict[str, str],
                 site_dir: Optional[Path] = None, cache: Optional[dict] = None) -> None:
        self.graph = graph
        self.settings = graph.settings
        self.article_html = article_html
        self.items: dict[str, Item] = {}
        # Items kept between builds (the live preview): url -> (stamp, Item), from the
        # last build (``cache``) and for this one (``stamped``, which replaces it after).
        self.cache = cache
        self.stamped: dict[str, tuple] = {}
        self.logo = publisher_logo(self.settings, site_dir)
        self.now = self.settings.build_time()

    # -------------------------------------------------------- selection

    def visible(self, a: Article) -> bool:
        # Previews (serve --drafts) put drafts and scheduled articles in the graph; feeds never carry them.
        return a.is_public(self.now)

    def latest(self, articles: Iterable[Article], n: int = FEED_ITEMS) -> list[Article]:
        out = []
        for a in articles:
            if self.visible(a):
                out.append(a)
                if len(out) >= n:
                    break
        return out

    def feeds(self) -> Iterator[Feed]:
        s, g = self.settings, self.graph
        yield self.feed(site_feed(s), g.articles)
        for brand in g.brands.values():
            yield self.feed(brand_feed(s, brand), g.by_brand.get(brand.id, []))
        for worker in g.workers.values():
            yield self.feed(worker_feed(s, worker), g.by_worker.get(worker.id, []))
        for region, listed in g.by_region.items():
            yield self.feed(region_feed(s, region), listed)

    def feed(self, ref: FeedRef, articles: Iterable[Article]) -> Feed:
        return Feed(ref.path, ref.title, abs_url(self.settings, ref.page), ref.description,
                    self.latest(articles))

    # -------------------------------------------------------- items

    def item(self, a: Article) -> Item:
        cached = self.items.get(a.url)
        if cached is None:
            size = self._image_bytes(a)
            cached = self.items[a.url] = (self._kept_item(a, size) if self.cache is not None
                                          else self._item(a, size))
        return cached

    def _kept_item(self, a: Article, size: Optional[int]) -> Item:
        """An item from an earlier build, if neither the article nor its rendered body changed."""
        from ..pages.digest import entry

        assert self.cache is not None
        # The image's size is the enclosure's length: an image replaced in place changes it.
        stamp = (entry(a), a.body, self.article_html.get(a.url), self.settings.site_url, size, a.video_file)
        hit = self.cache.get(a.url)
        kept = hit if hit is not None and hit[0] == stamp else (stamp, self._item(a, size))
        self.stamped[a.url] = kept
        return kept[1]

    def _image_bytes(self, a: Article) -> Optional[int]:
        """The size in bytes of the article's image file; None if it has none or it is missing."""
        if not a.image:
            return None
        try:
            st = (self.graph.content_dir / a.image).stat()
        except OSError:
            return None
        return st.st_size if stat.S_ISREG(st.st_mode) else None

    def _item(self, a: Article, size: Optional[int]) -> Item:
        s = self.settings
        link = abs_url(s, a.url)
        image = abs_url(s, a.image) if a.image else ""
        enclosure = Enclosure(image, size, image_type(a.image)) if size is not None else None
        if a.video_file:        # RSS has one enclosure: the video (its true length), the image stays media:content
            enclosure = Enclosure(abs_url(s, a.video_file.src), a.video_file.size, a.video_file.type)
        summary = summary_of(a)
        body = self.article_html.get(a.url)
        body = absolutize(body, link) if body is not None else f"<p>{html.escape(summary)}</p>"
        lead = ""
        if image:
            caption = "　".join(x for x in (a.image_caption, a.image_credit) if x)
            lead = (f'<figure><img src="{html.escape(image)}" alt="{html.escape(a.image_caption or a.title)}">'
                    + (f"<figcaption>{html.escape(caption)}</figcaption>" if caption else "") + "</figure>\n")
        lead = video_html(functools.partial(abs_url, s), a.video_file) + lead if a.video_file else lead
        categories = _unique([b.name for b in a.brands] + list(a.tags))
        # The title stays the 主题; kicker and subtitle open the description and the content.
        return Item(a, link, a.title, headline.description(a, summary),
                    headline.headline_html(a) + lead + body, dates.rfc822(a.date),
                    headline.bylines(a), categories, image, enclosure, a.image_credit,
                    headline.extension(a), size)

    # -------------------------------------------------------- output

    def last_build(self, feed: Feed) -> str:
        when = max((a.modified for a in feed.articles), default=None) or self.now
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
        items = "".join(f" {self.item(a).rss()}\n " for a in feed.articles)
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
        items = ",\n".join(self.item(a).json() for a in feed.articles)
        return (text[: -len("]}")] + "\n" + items + "\n]}\n").encode("utf-8")






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
               s.publisher, builder.last_build(feed), tuple(builder.item(a).serial for a in feed.articles))
        out.write(feed.path, key, functools.partial(builder.rss, feed))
        out.write(feed.json_path, key, functools.partial(builder.json_feed, feed))
    return builder.stamped
