"""A union brand's pages: its showcase and activity chart (page 1) and its articles."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, Optional

from ...content.graph_data import ContentGraph
from ...core.feedrules import brand_feed
from ...core.model import Brand
from ...core.settings import Settings
from .. import charts
from ..jsonld import brand_org
from .base import KindHead, Page, SiteFeed, logo_or
from .cards import Cards, TermLink
from .entity import EntityData, EntityKind


@dataclass(frozen=True)
class BrandView:
    id: str
    url: str
    feed_url: str
    name: str
    slogan: str
    owner: str
    region: Optional[TermLink]
    family: str
    attribute: str
    since: Optional[int]
    logo: str


class BrandKind(EntityKind[BrandView]):
    name = "brand"
    template = "brand.html"
    order = 4

    def pages(self, graph: ContentGraph, cards: Cards) -> Iterator[Page[EntityData[BrandView]]]:
        for brand in graph.brands.values():
            yield from self.entity_pages(cards, brand, view(brand, cards), graph.by_brand[brand.id],
                                         graph.settings.per_page, brand.slogan or brand.attribute,
                                         brand_feed(graph.settings, brand), charts.brand_activity(graph, brand))

    def sources(self, graph: ContentGraph) -> Iterator[str]:
        return self.entity_sources(graph.brands.values(), graph.by_brand, graph.settings.per_page)

    def site_feeds(self, graph: ContentGraph) -> Iterator[SiteFeed]:
        for brand in graph.brands.values():
            yield SiteFeed(brand_feed(graph.settings, brand), "article", graph.by_brand.get(brand.id, []))

    def head(self, page: Page[EntityData[BrandView]], s: Settings) -> KindHead:
        b = page.data.entity
        return KindHead("website", logo_or(s, b.logo), (), brand_org(s, b))


def view(b: Brand, cards: Cards) -> BrandView:
    return BrandView(b.id, b.url, b.feed_url, b.name, b.slogan, b.owner, cards.term("region", b.region),
                     b.family, b.attribute, b.since, b.logo)


KINDS = (BrandKind(),)
