"""Lists of articles: the news, each year's archive, each tag, region and column."""
from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Iterator, Optional, Sequence

from ...core.feedrules import FeedRef
from ...core.model import Article
from .base import Kind, LazyPage, Page, Pager, newest, page_slices, paginate, src_for
from .cards import ArticleCard, Cards, TermLink


@dataclass(frozen=True)
class ListingData:
    kind: str                        # news, year, tag, region, column
    pager: Pager
    cards: tuple[ArticleCard, ...]   # this page's articles
    term: str = ""                   # the year, tag, region or column listed
    years: tuple[int, ...] = ()      # news and year archives: the years to browse
    up: Optional[TermLink] = None    # term listings: back to all tags / regions / columns


class ListingKind(Kind[ListingData]):
    template = "listing.html"

    def listing_pages(self, cards: Cards, title: str, base_url: str, listed: Sequence[Article],
                      per_page: int, term: str = "", years: tuple[int, ...] = (),
                      up: Optional[TermLink] = None, feeds: tuple[FeedRef, ...] = ()
                      ) -> Iterator[Page[ListingData]]:
        marks = listed_marks(cards, listed)
        if marks is not None:       # a warm build: pages made only if read, digests from the marks
            for pager, at in page_slices(base_url, len(listed), per_page):
                articles = listed[at]
                stand_in = ListingData(self.name, pager, marks[at], term, years, up)
                yield LazyPage(self, self.name, src_for(pager.url), pager.url, pager.title(title),
                               functools.partial(self._data, cards, pager, articles, term, years, up), "",
                               pager.description(title), feeds, "", functools.partial(newest, articles), stand_in)
            return
        for pager, listed_cards in paginate(base_url, cards.articles(listed), per_page):
            data = ListingData(self.name, pager, listed_cards, term, years, up)
            yield self.page(src_for(pager.url), pager.url, pager.title(title), data,
                            description=pager.description(title), feeds=feeds)

    def _data(self, cards: Cards, pager: Pager, listed: Sequence[Article], term: str, years: tuple[int, ...],
              up: Optional[TermLink]) -> ListingData:
        return ListingData(self.name, pager, cards.articles(listed), term, years, up)

    def lastmod(self, page: Page[ListingData]) -> Optional[dt.datetime]:
        return page.lastmod if isinstance(page, LazyPage) else newest(page.data.cards)


def listed_marks(cards: Cards, listed: Sequence[Article]) -> Optional[tuple[str, ...]]:
    """The marks of ``listed``'s cards (a warm build's: kinds/kept.Known.marks), in order;
    None outside a warm build, or if one of them has none (its listing is made as it is)."""
    known = cards.known
    marks = getattr(known, "marks", None)
    if not marks:
        return None
    found = tuple(map(marks.get, map(id, listed)))
    return None if None in found else found
