"""Cards: what a page shows of an article, brand or worker it lists or links to.

A card is a frozen copy of exactly the fields templates read (theme/partials/
nr-ui.html), built once per entity per snapshot by ``Cards`` and shared by every
page that shows it, so the preview fingerprints it once (digest.py).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterable, Optional, TypeVar

from ...content.graph import ContentGraph
from ...core.model import Article, Brand, Worker
from ...core.terms import TERM_BY_KIND
from ...core.urls import term_url
from ..related import RelatedMemo
from ..text import summary_of


@dataclass(frozen=True)
class TermLink:
    """A tag, region or column as pages show it: a link while it has a listing."""

    name: str
    url: str = ""                    # '' when no listing has that name (shown as text)


@dataclass(frozen=True)
class ArticleCard:
    url: str
    title: str
    kicker: str
    subtitle: str
    date: dt.datetime
    modified: dt.datetime            # sitemaps' lastmod of the pages listing it
    column: str
    brand_names: tuple[str, ...]
    summary: str
    image: str
    image_caption: str


@dataclass(frozen=True)
class BrandCard:
    id: str
    url: str
    name: str
    family: str
    slogan: str
    logo: str
    count: int                       # its articles (the brand wall says how many)


@dataclass(frozen=True)
class WorkerCard:
    id: str
    url: str
    name: str
    honor: str                       # the first honour, '' if none
    occupation: str
    photo: str


C = TypeVar("C")


class Cards:
    """The cards of one snapshot of the graph, each made once (keyed by ``id()``: the
    graph keeps every entity alive while its pages exist)."""

    def __init__(self, graph: ContentGraph, memo: Optional[RelatedMemo] = None) -> None:
        self.graph = graph
        self.memo = memo or RelatedMemo()
        self._articles: dict[int, ArticleCard] = {}
        self._brands: dict[int, BrandCard] = {}
        self._workers: dict[int, WorkerCard] = {}
        # The live preview's last snapshot's cards, by value; this one's replace them.
        self._before = self.memo.cards
        self._kept: dict = {}
        self.memo.cards = self._kept

    def keep(self, card: C) -> C:
        """An equal card of the last snapshot if there is one, else ``card``.

        The very object the last snapshot showed: the digest (``Snapshot.of``) finds its
        fingerprint by id instead of walking 10,000 cards again on every save. Equal
        cards hold equal values, so a page shows the same either way."""
        card = self._before.get(card, card)
        return self._kept.setdefault(card, card)

    def article(self, a: Article) -> ArticleCard:
        found = self._articles.get(id(a))
        if found is None:
            found = self._articles[id(a)] = self.keep(ArticleCard(
                a.url, a.title, a.kicker, a.subtitle, a.date, a.modified, a.column,
                tuple(b.name for b in a.brands), summary_of(a), a.image, a.image_caption))
        return found

    def articles(self, articles: Iterable[Article]) -> tuple[ArticleCard, ...]:
        return tuple(map(self.article, articles))

    def related(self, a: Article) -> tuple[ArticleCard, ...]:
        return self.articles(self.memo.related(self.graph, a))

    def brand(self, b: Brand) -> BrandCard:
        found = self._brands.get(id(b))
        if found is None:
            count = len(self.graph.by_brand.get(b.id, []))
            found = self._brands[id(b)] = self.keep(BrandCard(b.id, b.url, b.name, b.family, b.slogan, b.logo, count))
        return found

    def worker(self, w: Worker) -> WorkerCard:
        found = self._workers.get(id(w))
        if found is None:
            honor = str(w.honors[0]) if w.honors else ""
            found = self._workers[id(w)] = self.keep(WorkerCard(w.id, w.url, w.name, honor, w.occupation, w.photo))
        return found

    def term(self, kind: str, name: str) -> Optional[TermLink]:
        """The link to a term's listing (None for no name; no URL while it lists nothing)."""
        if not name:
            return None
        listed = name in getattr(self.graph, TERM_BY_KIND[kind].index)
        return self.keep(TermLink(name, term_url(kind, name) if listed else ""))
