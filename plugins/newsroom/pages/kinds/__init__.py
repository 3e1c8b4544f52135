"""Page kinds: one module per kind of page, each exposing ``KINDS`` (its Kind instances).

``site_pages(graph)`` yields every generated page, kind by kind in ``order`` (which
fixes sitemap.xml's order). Modules are found by ``pkgutil``: a new kind is a new
module here, with no registry to edit.
"""
from __future__ import annotations

import importlib
import pkgutil
from typing import Iterator, Optional

from ...content.graph import ContentGraph
from ..related import RelatedMemo
from .base import Kind, Page
from .cards import Cards


def _kinds() -> tuple[Kind, ...]:
    found: list[Kind] = []
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        found.extend(getattr(module, "KINDS", ()))
    return tuple(sorted(found, key=lambda k: k.order))


KINDS = _kinds()


def site_pages(graph: ContentGraph, memo: Optional[RelatedMemo] = None) -> Iterator[Page]:
    """Every generated page of the site, derived from the graph alone.

    ``memo``: related articles kept between the live preview's snapshots."""
    cards = Cards(graph, memo)
    for kind in KINDS:
        yield from kind.pages(graph, cards)


__all__ = ["KINDS", "Kind", "Page", "site_pages"]
