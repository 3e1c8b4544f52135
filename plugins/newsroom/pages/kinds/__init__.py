"""Page kinds: one module per kind of page, each exposing ``KINDS`` (its Kind instances).

``site_pages(graph)`` yields every generated page, kind by kind in ``order`` (which
fixes sitemap.xml's order); ``site_feeds(graph)`` every feed the kinds declare.
Modules are found by ``pkgutil``: a new kind is a new module here, with no registry
to edit. A kind defined elsewhere (a test's) is added with ``register``.
"""
from __future__ import annotations

import importlib
import pkgutil
from typing import Iterator, Optional

from ...content.graph_data import ContentGraph
from ..related import RelatedMemo
from .base import Kind, LazyPage, Page, SiteFeed
from .cards import Cards
from .kept import Known


def _kinds() -> tuple[Kind, ...]:
    found: list[Kind] = []
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        found.extend(getattr(module, "KINDS", ()))
    return tuple(sorted(found, key=lambda k: k.order))


KINDS = _kinds()


def register(kind: Kind) -> Kind:
    """Add a kind defined outside this package; the build makes its pages and feeds."""
    global KINDS
    KINDS = tuple(sorted((*KINDS, kind), key=lambda k: k.order))
    return kind


def site_pages(graph: ContentGraph, memo: Optional[RelatedMemo] = None,
               known: Optional[Known] = None) -> Iterator[Page]:
    """Every generated page of the site, derived from the graph alone.

    ``memo``: related articles kept between the live preview's snapshots. ``known``: a warm
    build's article pages whose inputs are the last build's, with their stable digest
    (kinds/kept.py): their data is made only if something reads it (``LazyPage``)."""
    cards = Cards(graph, memo)
    cards.known = known
    for kind in KINDS:
        yield from kind.pages(graph, cards)


def site_sources(graph: ContentGraph) -> set[str]:
    """The sources (``Page.src_uri``) of every generated page, from the graph: each kind
    says its own without making its pages, unless they are few and cheap (``Kind.sources``)."""
    out: set[str] = set()
    cards: Optional[Cards] = None
    for kind in KINDS:
        found = kind.sources(graph)
        if found is None:
            cards = cards or Cards(graph)
            found = (page.src_uri for page in kind.pages(graph, cards))
        out.update(found)
    return out


def site_feeds(graph: ContentGraph) -> Iterator[SiteFeed]:
    """Every feed of the site, kind by kind in ``order`` (each kind declares its own)."""
    for kind in KINDS:
        yield from kind.site_feeds(graph)


__all__ = ["KINDS", "Kind", "LazyPage", "Page", "SiteFeed", "register", "site_feeds", "site_pages", "site_sources"]
