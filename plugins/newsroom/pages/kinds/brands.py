"""The brand wall: every brand, grouped by the union that owns it."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from ...content.graph_data import ContentGraph
from .base import Kind, Page
from .cards import Cards
from .home import Families, families


@dataclass(frozen=True)
class BrandsData:
    families: Families


class BrandsKind(Kind[BrandsData]):
    name = "brands"
    template = "brands.html"
    order = 3

    def pages(self, graph: ContentGraph, cards: Cards) -> Iterator[Page[BrandsData]]:
        yield self.page("brands/index.md", "brands/", "工会品牌", BrandsData(families(graph, cards)),
                        description="工会服务品牌一览")


KINDS = (BrandsKind(),)
