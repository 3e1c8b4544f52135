"""Head metadata for search engines and news apps: JSON-LD, Open Graph, feed links.

Pure functions of the graph and a page; templates print what ``head`` returns
(theme/partials/seo.html), so no HTML is built here.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .graph import ContentGraph
from .views import PageSpec


@dataclass
class FeedLink:
    title: str
    url: str          # absolute
    type: str         # application/rss+xml or application/feed+json


@dataclass
class Head:
    jsonld: str = ""                                          # JSON text, '</' already escaped
    meta: list[tuple[str, str]] = field(default_factory=list)  # (property, content) for <meta property=...>
    feeds: list[FeedLink] = field(default_factory=list)
    canonical: str = ""


def head(graph: ContentGraph, spec: PageSpec | None) -> Head:
    """What the <head> of a page carries. Filled in by the syndication work."""
    return Head()
