"""The notices' listings: /notices/ (paginated, pinned first) and one per category."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterator, Optional, Sequence

from ...content.graph_data import ContentGraph
from ...core.feedrules import notice_feed
from ...core.model import NOTICE_CATEGORIES, Notice
from ...core.urls import notice_category_url
from .base import Kind, Page, Pager, SiteFeed, newest, paginate, src_for
from .cards import Cards, TermLink
from .notice import NoticeCard, card

TITLE = "通知公告"


@dataclass(frozen=True)
class NoticesData:
    kind: str                        # notices, notice_category
    pager: Pager
    cards: tuple[NoticeCard, ...]    # this page's notices
    categories: tuple[TermLink, ...] # every category that has notices: the filter links
    category: str = ""               # the category listed ('' for all)


class NoticesKind(Kind[NoticesData]):
    name = "notices"
    template = "notices.html"
    order = 2.5

    def pages(self, graph: ContentGraph, cards: Cards) -> Iterator[Page[NoticesData]]:
        index = graph.notices
        categories = tuple(TermLink(c, notice_category_url(c)) for c in NOTICE_CATEGORIES if c in index.by_category)
        yield from self.listing(graph, TITLE, "notices/", index.listed, categories)
        for category, listed in index.by_category.items():
            yield from CATEGORY.listing(graph, f"{TITLE}：{category}", notice_category_url(category), listed,
                                        categories, category)

    def listing(self, graph: ContentGraph, title: str, base_url: str, listed: Sequence[Notice],
                categories: tuple[TermLink, ...], category: str = "") -> Iterator[Page[NoticesData]]:
        now = graph.settings.build_time()
        shown = tuple(card(n, now) for n in listed)
        feeds = (notice_feed(graph.settings),)
        for pager, page_cards in paginate(base_url, shown, graph.settings.per_page):   # type: ignore[arg-type]
            data = NoticesData(self.name, pager, page_cards, categories, category)
            yield self.page(src_for(pager.url), pager.url, pager.title(title), data,
                            description=pager.description(title, "件"), feeds=feeds)

    def site_feeds(self, graph: ContentGraph) -> Iterator[SiteFeed]:
        if graph.notices.listed:    # newest first (the listing puts pinned ones first)
            newest_first = sorted(graph.notices.listed, key=lambda n: (n.date, n.url), reverse=True)
            yield SiteFeed(notice_feed(graph.settings), "notice", newest_first)

    def lastmod(self, page: Page[NoticesData]) -> Optional[dt.datetime]:
        return newest(page.data.cards)      # type: ignore[arg-type]


class NoticeCategoryKind(NoticesKind):
    """One category's listing (notices/通知/); made by ``NoticesKind``, right after it."""

    name = "notice_category"

    def pages(self, graph: ContentGraph, cards: Cards) -> Iterator[Page[NoticesData]]:
        return iter(())


CATEGORY = NoticeCategoryKind()
KINDS = (NoticesKind(),)
