"""``nr`` in templates: the site's pure helpers (a page's head, a picture's variants, an
image's size). A page's template reads its own ``data`` (pages/kinds/); nothing here hands
the graph out (tests/test_kinds.py catches a template that tries)."""
from __future__ import annotations

from typing import Optional

from ..content import images
from ..content.graph_data import ContentGraph
from ..content.photo_refs import Picture
from ..outputs import seo
from ..pages.kinds import Page as KindPage


class SiteContext:
    """``nr`` in templates: pure helpers only. A page's template reads its own ``data``
    (pages/kinds/); nothing here reaches the graph (tests/test_kinds.py checks it)."""

    __slots__ = ("_graph", "_free")

    def __init__(self, graph: Optional[ContentGraph], free: Optional[KindPage] = None) -> None:
        self._graph = graph
        self._free = free            # a free page's, for its head: templates get no spec there

    def head(self, spec) -> seo.Head:
        return seo.head(self._graph, spec or self._free)

    def picture(self, url: str, slot: str) -> Optional[Picture]:
        """The variants of a raster image for a slot (photos.SLOTS), or None (SVG, not rendered)."""
        if not self._graph or not url or "://" in url:
            return None
        return self._graph.photos.picture(url, slot)

    def image_size(self, url: str) -> Optional[tuple[int, int]]:
        """(width, height) of a content image or brand logo given by its site URL, or None."""
        graph = self._graph
        if not graph or not url or "://" in url:
            return None
        rel = url.split("?")[0].split("#")[0].lstrip("/")
        if rel.startswith("brands/"):
            found = images.image_size(graph.brands_dir / rel.removeprefix("brands/"))
            if found:
                return found
        return images.image_size(graph.content_dir / rel)


__all__ = ["SiteContext"]
