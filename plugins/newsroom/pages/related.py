"""Related articles: the ones sharing the most brands, workers, tags and region."""
from __future__ import annotations

import heapq
from typing import Optional

from ..content.graph import ContentGraph
from ..core.model import Article

RELATED = 5


def related(graph: ContentGraph, article: Article, n: int = RELATED) -> list[Article]:
    """Articles sharing brands, workers or tags, closest in time first among equals.

    Only the neighbours in time of each shared index are scored, so the cost
    per article stays flat however large the archive grows.
    """
    scores: dict[int, float] = {}
    pool: dict[int, Article] = {}
    when = article.timestamp

    def take(listed: list[Article], weight: float, window: int) -> None:
        pos = _position(listed, article)
        for other in listed[max(0, pos - window): pos + window + 1]:
            key = id(other)
            scores[key] = scores.get(key, 0) + weight
            pool[key] = other

    for w in article.workers:
        take(graph.by_worker.get(w.id, []), 3, 20)
    for b in article.brands:
        take(graph.by_brand.get(b.id, []), 3, 10)
    for t in article.tags:
        take(graph.by_tag.get(t, []), 1, 6)
    scores.pop(id(article), None)
    # Ranked by (-score, distance in time, url), the best score first: only the groups of
    # equal score that reach the n places need the tie-break (most candidates share a tag).
    groups: dict[float, list[Article]] = {}
    for key, score in scores.items():
        groups.setdefault(score, []).append(pool[key])
    out: list[Article] = []
    for score in sorted(groups, reverse=True):
        out += heapq.nsmallest(n - len(out), groups[score], key=lambda a: (abs(a.timestamp - when), a.url))
        if len(out) >= n:
            break
    return out


class RelatedMemo:
    """``related`` results kept between builds of the live preview.

    An article's related list depends only on the index lists of its workers,
    brands and tags (who is in them, in which order). Each list gets a version;
    a cached result is reused while the versions it was computed from hold.
    """

    def __init__(self) -> None:
        self._graph: Optional[ContentGraph] = None
        self._versions: dict[tuple, int] = {}
        self._cache: dict[str, tuple[tuple, list[str]]] = {}
        # The last snapshot's cards, by value (kinds.cards.Cards.keep): kept here as
        # this is what the preview carries from one snapshot to the next.
        self.cards: dict = {}
        # The last snapshot's article pages by src_uri, with the inputs each was made from
        # (kinds.cards.Cards.reused).
        self.pages: dict = {}

    def _use(self, graph: ContentGraph) -> None:
        if graph is not self._graph:
            self._graph = graph
            self._versions = {}
            for prefix, index in (("w", graph.by_worker), ("b", graph.by_brand), ("t", graph.by_tag)):
                for key, listed in index.items():
                    self._versions[(prefix, key)] = hash(tuple(a.sort_key for a in listed))

    def related(self, graph: ContentGraph, article: Article) -> list[Article]:
        self._use(graph)
        keys = ([("w", w.id) for w in article.workers] + [("b", b.id) for b in article.brands]
                + [("t", t) for t in article.tags])
        stamp = (article.sort_key, tuple(keys), tuple(self._versions.get(k) for k in keys))
        hit = self._cache.get(article.src_uri)
        if hit is not None and hit[0] == stamp:
            return [graph.by_src[src] for src in hit[1]]
        found = related(graph, article)
        self._cache[article.src_uri] = (stamp, [a.src_uri for a in found])
        return found


def _position(listed: list[Article], article: Article) -> int:
    lo, hi = 0, len(listed)
    key = article.sort_key
    while lo < hi:  # binary search on a newest-first list
        mid = (lo + hi) // 2
        if listed[mid].sort_key > key:
            lo = mid + 1
        else:
            hi = mid
    return lo


