"""Lists of articles: the news, each year's archive, each tag, region and column."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterator, Optional, Sequence

from ...core.feedrules import FeedRef
from ...core.model import Article
from .base import Kind, Page, Pager, newest, paginate, src_for
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
        for pager, listed_cards in paginate(base_url, cards.articles(listed), per_page):
            data = ListingData(self.name, pager, listed_cards, term, years, up)
            yield self.page(src_for(pager.url), pager.url, pager.title(title), data,
                            description=f"{title}，共 {pager.total} 篇文章", feeds=feeds)

    def lastmod(self, page: Page[ListingData]) -> Optional[dt.datetime]:
        return newest(page.data.cards)
