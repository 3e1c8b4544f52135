"""The print edition's feed (数字报): ``epaper/feed.xml`` and ``epaper/feed.json``.

One item per edition, newest first: its title is the edition's (《柯桥工人报》2021年12月28日
第318期), its link the edition's page, its content the pages (版次 and 版名, each
linking its page) with the articles on each, and its categories the 版名. The first
page's PDF, where given, is the enclosure. The channel and serialization are
``feeds.FeedBuilder``'s, as for the notices' feed.
"""
from __future__ import annotations

import datetime as dt
import html
import os
from dataclasses import dataclass
from typing import Iterator, Optional

from ..content.epaper import EpaperIndex
from ..content.graph import ContentGraph
from ..core import dates
from ..core.epaper import Edition
from ..core.feedrules import epaper_feed
from ..core.urls import abs_url
from .feeds import FEED_ITEMS, Enclosure, Feed, FeedBuilder, Item, image_type
from .writer import Writer


@dataclass(frozen=True)
class EditionEntry:
    """What the feed reads of an edition: its URL and its day (00:00 in the site's zone)."""

    url: str
    date: dt.datetime
    title: str = ""

    @property
    def modified(self) -> dt.datetime:
        return self.date


class EpaperFeedBuilder(FeedBuilder):
    """``FeedBuilder`` over editions: ``Feed.articles`` holds ``EditionEntry`` here."""

    def feeds(self) -> Iterator[Feed]:
        ref = epaper_feed(self.settings)
        self.editions = {e.url: e for e in self.graph.epaper.editions[:FEED_ITEMS]}
        entries = [EditionEntry(e.url, dt.datetime.combine(e.date, dt.time(), self.settings.tz), e.title())
                   for e in self.editions.values()]
        yield Feed(ref.path, ref.title, abs_url(self.settings, ref.page), ref.description, "edition", entries)

    def item(self, entry: EditionEntry, kind: str = "edition") -> Item:     # type: ignore[override]
        found = self.items.get(entry.url)
        if found is None:
            found = self.items[entry.url] = self._edition_item(self.editions[entry.url], entry)
        return found

    def _edition_item(self, e: Edition, entry: EditionEntry) -> Item:
        s, index = self.settings, self.graph.epaper
        parts, summary = [], []
        for p in e.pages:
            on_page = index.on_page.get((e.key, p.number), [])
            heading = f"第{p.number}版 {p.name}"
            links = "".join(f'<li><a href="{html.escape(abs_url(s, x.article.url))}">{html.escape(x.article.title)}</a></li>'
                            for x in on_page)
            pdf = f' <a href="{html.escape(abs_url(s, p.pdf))}">PDF</a>' if p.pdf else ""
            parts.append(f'<h3><a href="{html.escape(abs_url(s, e.page_url(p.number)))}">{html.escape(heading)}</a>{pdf}</h3>'
                         + (f"<ul>{links}</ul>" if links else ""))
            summary.append(f"{heading}：" + "、".join(x.article.title for x in on_page) if on_page else heading)
        first = e.pages[0]
        image = abs_url(s, first.image)
        when = dates.iso(entry.date)
        return Item(when, when, abs_url(s, e.url), e.title(), "；".join(summary), "\n".join(parts),
                    dates.rfc822(entry.date), [e.paper], [p.name for p in e.pages], image,
                    self._pdf(first.pdf), extension=_extension(e, index), caption=e.title())

    def _pdf(self, path: str) -> Optional[Enclosure]:
        if not path:
            return None
        try:
            size = os.stat(self.graph.content_dir / path).st_size
        except OSError:
            return None
        return Enclosure(abs_url(self.settings, path), size, "application/pdf")


def _extension(e: Edition, index: EpaperIndex) -> dict:
    """JSON Feed ``_newsroom``: the edition as data (期号, pages, their articles' URLs)."""
    return {"paper": e.paper, "number": e.number, "date": e.key, "pages": [
        {"page": p.number, "name": p.name, "url": e.page_url(p.number), "image_type": image_type(p.image),
         "articles": [x.article.url for x in index.on_page.get((e.key, p.number), [])]} for p in e.pages]}


def write_epaper_feed(graph: ContentGraph, out: Writer) -> None:
    """The editions' RSS and JSON Feed, when the site has editions."""
    if not graph.epaper.editions:
        return
    builder = EpaperFeedBuilder(graph, {}, out.site_dir)
    for feed in builder.feeds():
        rss, feed_json = builder.rss(feed), builder.json_feed(feed)
        out.write(feed.path, rss, lambda: rss)
        out.write(feed.json_path, feed_json, lambda: feed_json)
