"""Tags, regions and columns: an index page of each kind's terms, and a listing per term.

One pair of kinds per rule of core/terms.TERM_RULES: a new term kind is a row there.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from ...content.graph_data import ContentGraph
from ...core.feedrules import region_feed
from ...core.terms import TERM_RULES, TermRule
from ...core.urls import term_url
from .base import Kind, Page, SiteFeed, pager_sources
from .cards import Cards, TermLink
from .listing import ListingData, ListingKind


@dataclass(frozen=True)
class Term:
    name: str
    url: str
    count: int


@dataclass(frozen=True)
class TermNav:
    kind: str                        # the index page's kind: tags, regions, columns
    url: str
    label: str


@dataclass(frozen=True)
class TermsData:
    terms: tuple[Term, ...]          # most articles first
    nav: tuple[TermNav, ...]         # the links to every term kind's index


NAV = tuple(TermNav(r.index_kind, f"{r.folder}/", r.label) for r in sorted(TERM_RULES, key=lambda r: r.nav_order))


class TermsKind(Kind[TermsData]):
    """The index of one term kind (tags/, regions/, columns/)."""

    template = "terms.html"

    def __init__(self, rule: TermRule, order: float) -> None:
        self.rule, self.order, self.name = rule, order, rule.index_kind

    def pages(self, graph: ContentGraph, cards: Cards) -> Iterator[Page[TermsData]]:
        rule = self.rule
        index = getattr(graph, rule.index)
        terms = sorted((Term(name, term_url(rule.kind, name), len(listed)) for name, listed in index.items()),
                       key=lambda t: (-t.count, t.name))
        yield self.page(f"{rule.folder}/index.md", f"{rule.folder}/", rule.label, TermsData(tuple(terms), NAV),
                        description=f"按{rule.label}浏览文章")


class TermKind(ListingKind):
    """The listings of one term kind (tags/<名>/ ...), right after its index."""

    def __init__(self, rule: TermRule, order: float) -> None:
        self.rule, self.order, self.name = rule, order, rule.kind

    def pages(self, graph: ContentGraph, cards: Cards) -> Iterator[Page[ListingData]]:
        rule = self.rule
        up = TermLink(rule.all_label, f"{rule.folder}/")
        for name, listed in getattr(graph, rule.index).items():
            feeds = (region_feed(graph.settings, name),) if rule.has_feed else ()
            yield from self.listing_pages(cards, f"{rule.label}：{name}", term_url(rule.kind, name), listed,
                                          graph.settings.per_page, term=name, up=up, feeds=feeds)

    def sources(self, graph: ContentGraph) -> Iterator[str]:
        for name, listed in getattr(graph, self.rule.index).items():
            yield from pager_sources(term_url(self.rule.kind, name), len(listed), graph.settings.per_page)

    def site_feeds(self, graph: ContentGraph) -> Iterator[SiteFeed]:
        if self.rule.has_feed:      # regions: each has its articles' feed
            for name, listed in getattr(graph, self.rule.index).items():
                yield SiteFeed(region_feed(graph.settings, name), "article", listed)


KINDS = tuple(kind for n, rule in enumerate(TERM_RULES)
              for kind in (TermsKind(rule, 7 + n / 10), TermKind(rule, 7 + n / 10 + 0.05)))
