"""The print edition's feed items (数字报): what ``epaper/feed.xml`` and ``feed.json`` list.

The edition page kind declares the feed like any other (``EditionKind.site_feeds``: its
``FeedRef`` and the editions as ``EditionEntry``s, newest first), and ``feeds.py`` writes it
with every other feed. An edition is read from ``edition.yml``, not from a Markdown schema,
so its item is made here (``feeds.ITEM_MAKERS["edition"]``): its title is the edition's
(《柯桥工人报》2021年12月28日 第318期), its link the edition's page, its content the pages
(版次 and 版名, each linking its page) with the articles on each, its categories the 版名.
The first page's PDF, where given, is the enclosure.
"""
from __future__ import annotations

import html
import os
from typing import Optional

from ..content.epaper import EpaperIndex
from ..content.graph_data import ContentGraph
from ..core import dates
from ..core.epaper import Edition
from ..core.urls import abs_url
from ..pages.kinds.epaper import EditionEntry
from .feed_item import Enclosure, Item, image_type


def edition_item(graph: ContentGraph, entry: EditionEntry) -> Item:
    """The feed item of one edition: its pages, and the articles on each."""
    s, index, e = graph.settings, graph.epaper, entry.edition
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
                _pdf(graph, first.pdf), extension=_extension(e, index), caption=e.title())


def _pdf(graph: ContentGraph, path: str) -> Optional[Enclosure]:
    if not path:
        return None
    try:
        size = os.stat(graph.content_dir / path).st_size
    except OSError:
        return None
    return Enclosure(abs_url(graph.settings, path), size, "application/pdf")


def _extension(e: Edition, index: EpaperIndex) -> dict:
    """JSON Feed ``_newsroom``: the edition as data (期号, pages, their articles' URLs)."""
    return {"paper": e.paper, "number": e.number, "date": e.key, "pages": [
        {"page": p.number, "name": p.name, "url": e.page_url(p.number), "image_type": image_type(p.image),
         "articles": [x.article.url for x in index.on_page.get((e.key, p.number), [])]} for p in e.pages]}


__all__ = ["edition_item"]
