"""The news: every article, newest first, then one archive per year."""
from __future__ import annotations

from typing import Iterator

from ...content.graph_data import ContentGraph
from .base import Page, pager_sources
from .cards import Cards
from .listing import ListingData, ListingKind


class NewsKind(ListingKind):
    name = "news"
    order = 2

    def pages(self, graph: ContentGraph, cards: Cards) -> Iterator[Page[ListingData]]:
        years = tuple(graph.by_year)
        yield from self.listing_pages(cards, "新闻", "news/", graph.articles, graph.settings.per_page,
                                      years=years)
        for year, listed in graph.by_year.items():
            yield from YEAR.listing_pages(cards, f"{year}年新闻", f"news/{year}/", listed,
                                          graph.settings.per_page, term=str(year), years=years)


    def sources(self, graph: ContentGraph) -> Iterator[str]:
        per_page = graph.settings.per_page
        yield from pager_sources("news/", len(graph.articles), per_page)
        for year, listed in graph.by_year.items():
            yield from pager_sources(f"news/{year}/", len(listed), per_page)


class YearKind(ListingKind):
    """A year's archive; made by ``NewsKind``, right after the news pages."""

    name = "year"
    order = 2


YEAR = YearKind()
KINDS = (NewsKind(),)
