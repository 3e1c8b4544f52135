"""Cards: what a page shows of an article, brand or worker it lists or links to.

A card is a frozen copy of exactly the fields templates read (theme/partials/
nr-ui.html), built once per entity per snapshot by ``Cards`` and shared by every
page that shows it, so the preview fingerprints it once (digest.py).
"""
from __future__ import annotations

import datetime as dt
import operator
from dataclasses import dataclass
from typing import Callable, Iterable, Optional, TypeVar

from ...content.graph_data import ContentGraph
from ...core.feedrules import FeedRef, brand_feed
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
class BrandLink:
    """A brand as an article page names it: logo, name, link. Not its count of articles
    (the brand wall's card has it): adding or deleting one article of a brand would
    otherwise change the data of every other article page of that brand."""

    id: str
    url: str
    name: str
    logo: str


@dataclass(frozen=True)
class WorkerCard:
    id: str
    url: str
    name: str
    honor: str                       # the first honour, '' if none
    occupation: str
    photo: str


C = TypeVar("C")
P = TypeVar("P")


def _same(old: tuple, new: tuple) -> bool:
    # In C: 10,000 times a save, a Python loop over the inputs cost more than it saved.
    return len(old) == len(new) and all(map(operator.is_, old, new))


class Cards:
    """The cards of one snapshot of the graph, each made once (keyed by ``id()``: the
    graph keeps every entity alive while its pages exist)."""

    def __init__(self, graph: ContentGraph, memo: Optional[RelatedMemo] = None) -> None:
        self.graph = graph
        self.memo = memo or RelatedMemo()
        self._articles: dict[int, ArticleCard] = {}
        self._brands: dict[int, BrandCard] = {}
        self._workers: dict[int, WorkerCard] = {}
        self._feeds: dict[int, FeedRef] = {}
        self._links: dict[int, BrandLink] = {}
        # The live preview's last snapshot's cards, by value; this one's replace them.
        self._before = self.memo.cards
        # Starts as the last one: pages carried as they were (``carried``) show its cards.
        self._kept: dict = dict(self._before)
        self.memo.cards = self._kept
        self._pages_before = self.memo.pages
        # The last snapshot's article cards by source URI, reused for the articles the
        # preview's diff found unchanged (``same_cards``, set by the article kind).
        self._cards_before = self.memo.article_cards
        self._cards: dict[str, ArticleCard] = {}
        self.memo.article_cards = self._cards
        self.same_cards: set[str] = set()
        # A warm build's article pages known unchanged, with their digest (kinds/kept.Known:
        # not imported, kept.py imports the kinds that import this module).
        self.known: Optional[object] = None
        self._pages: dict = {}
        self.memo.pages = self._pages

    def keep(self, card: C) -> C:
        """An equal card of the last snapshot if there is one, else ``card``.

        The very object the last snapshot showed: the digest (``Snapshot.of``) finds its
        fingerprint by id instead of walking 10,000 cards again on every save. Equal
        cards hold equal values, so a page shows the same either way."""
        card = self._before.get(card, card)
        return self._kept.setdefault(card, card)

    def reused(self, src_uri: str, inputs: tuple, make: Callable[[], P]) -> P:
        """The last snapshot's page for ``src_uri`` if it was made from the very same
        ``inputs`` (a flat tuple, compared element by element by identity), else ``make()``.

        Inputs are the entity and the kept cards a page shows: equal cards are the same
        objects (``keep``), and an unchanged file parses to the same entity (``DocCache``),
        so identity is equality here, at a fraction of its cost. The page object itself is
        reused, and with it its digest (``Snapshot.of``): on every save of the live
        preview, 10,000 article views were made and fingerprinted again for nothing."""
        hit = self._pages_before.get(src_uri)
        page = hit[1] if hit is not None and _same(hit[0], inputs) else make()
        self._pages[src_uri] = (inputs, page)   # holds the inputs: their ids stay theirs
        return page

    def carried(self, src_uri: str) -> Optional[P]:
        """The last snapshot's page for ``src_uri``, kept as it was (its inputs are known
        to be unchanged: kinds/unchanged.py); None if there was none."""
        hit = self._pages_before.get(src_uri)
        if hit is not None:
            self._pages[src_uri] = hit
        return hit[1] if hit is not None else None

    def article(self, a: Article) -> ArticleCard:
        found = self._articles.get(id(a))
        if found is None:
            found = self._cards_before.get(a.src_uri) if a.src_uri in self.same_cards else None
            if found is None:
                found = self.keep(ArticleCard(
                    a.url, a.title, a.kicker, a.subtitle, a.date, a.modified, a.column,
                    tuple(b.name for b in a.brands), summary_of(a), a.image, a.image_caption))
            self._articles[id(a)] = self._cards[a.src_uri] = found
        return found

    def articles(self, articles: Iterable[Article]) -> tuple[ArticleCard, ...]:
        if not isinstance(articles, (list, tuple)):
            articles = list(articles)
        # ~100,000 cards a save at 10,000 articles (every listing lists them all), nearly all
        # made already: looked up in C, and only the missing ones made.
        found = tuple(map(self._articles.get, map(id, articles)))
        if all(found):          # cards have no __bool__: truthy in C (`None in` would call __eq__)
            return found
        return tuple(card if card is not None else self.article(a) for card, a in zip(found, articles))

    def related(self, a: Article) -> tuple[ArticleCard, ...]:
        return self.articles(self.memo.related(self.graph, a))

    def brand(self, b: Brand) -> BrandCard:
        found = self._brands.get(id(b))
        if found is None:
            count = len(self.graph.by_brand.get(b.id, []))
            found = self._brands[id(b)] = self.keep(BrandCard(b.id, b.url, b.name, b.family, b.slogan, b.logo, count))
        return found

    def brand_link(self, b: Brand) -> BrandLink:
        found = self._links.get(id(b))
        if found is None:
            found = self._links[id(b)] = self.keep(BrandLink(b.id, b.url, b.name, b.logo))
        return found

    def brand_feed(self, b: Brand) -> FeedRef:
        """The brand's feed as pages link it, kept like a card."""
        found = self._feeds.get(id(b))
        if found is None:
            found = self._feeds[id(b)] = self.keep(brand_feed(self.graph.settings, b))
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
