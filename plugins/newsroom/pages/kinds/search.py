"""The search page: the form, with the site's brands, regions, years and notice categories as filters."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from ...content.graph_data import ContentGraph
from .base import Kind, Page
from .cards import Cards


@dataclass(frozen=True)
class SearchData:
    brands: tuple[str, ...]          # names (the template sorts them, as the filters show them)
    regions: tuple[str, ...]
    years: tuple[int, ...]           # newest first
    bans: tuple[str, ...] = ()       # 版名 of the print edition's pages (数字报), in page order
    categories: tuple[str, ...] = () # notices' 类别 that have notices, in NOTICE_CATEGORIES order


class SearchKind(Kind[SearchData]):
    name = "search"
    template = "search.html"
    order = 9
    in_sitemap = False               # results pages: nothing for a search engine to index

    def pages(self, graph: ContentGraph, cards: Cards) -> Iterator[Page[SearchData]]:
        data = SearchData(tuple(b.name for b in graph.brands.values()), tuple(graph.by_region), tuple(graph.by_year),
                          tuple(graph.epaper.page_names()), tuple(graph.notices.by_category))
        yield self.page("search/index.md", "search/", "搜索", data,
                        description="搜索本站新闻、通知公告、专题、数字报、品牌与劳模工匠")


KINDS = (SearchKind(),)
