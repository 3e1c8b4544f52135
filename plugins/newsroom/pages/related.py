"""Related articles: the ones sharing the most brands, workers, tags and region."""
from __future__ import annotations

import heapq
import operator
from typing import Iterator, Optional

from ..content.graph_data import ContentGraph
from ..core.model import Article

RELATED = 5
# How many neighbours in time on either side each shared index list gives ``related`` to
# score, by the graph's index (kinds/unchanged.py reads them too: what a save can change).
WINDOWS = {"by_worker": 20, "by_brand": 10, "by_tag": 6}


def related(graph: ContentGraph, article: Article, n: int = RELATED) -> list[Article]:
    """Articles sharing brands, workers or tags, closest in time first among equals.

    Only the neighbours in time of each shared index are scored, so the cost
    per article stays flat however large the archive grows.
    """
    return _rank(article, list(_shared(graph, article)), n)


def _shared(graph: ContentGraph, article: Article) -> Iterator[tuple[list[Article], float]]:
    """What ``related`` scores, and all it depends on besides the article's own date and
    URL: per shared worker, brand and tag, its index list's neighbours in time, with a weight."""
    for w in article.workers:
        yield _around(graph.by_worker.get(w.id, []), article, WINDOWS["by_worker"]), 3
    for b in article.brands:
        yield _around(graph.by_brand.get(b.id, []), article, WINDOWS["by_brand"]), 3
    for t in article.tags:
        yield _around(graph.by_tag.get(t, []), article, WINDOWS["by_tag"]), 1


def _around(listed: list[Article], article: Article, window: int) -> list[Article]:
    pos = _position(listed, article)
    return listed[max(0, pos - window): pos + window + 1]


def _rank(article: Article, parts: list[tuple[list[Article], float]], n: int = RELATED) -> list[Article]:
    scores: dict[int, float] = {}
    pool: dict[int, Article] = {}
    when = article.timestamp
    for listed, weight in parts:
        for other in listed:
            key = id(other)
            scores[key] = scores.get(key, 0) + weight
            pool[key] = other
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


def _flat(parts: list[tuple[list[Article], float]]) -> tuple:
    """The neighbours ``related`` scored, as one flat tuple (each list's length, then it)."""
    out: list = []
    for listed, _ in parts:
        out.append(len(listed))
        out += listed
    return tuple(out)


class RelatedMemo:
    """``related`` results kept between builds of the live preview.

    An article's related list depends only on the index lists of its workers,
    brands and tags (who is in them, in which order). Each list gets a version;
    a cached result is reused while the versions it was computed from hold.
    """

    def __init__(self) -> None:
        self._graph: Optional[ContentGraph] = None
        self._versions: dict[tuple, Optional[int]] = {}
        # src_uri -> (stamp, the related articles' src_uris, the neighbours scored: _flat)
        self._cache: dict[str, tuple[tuple, list[str], tuple]] = {}
        # The last snapshot's cards, by value (kinds.cards.Cards.keep): kept here as
        # this is what the preview carries from one snapshot to the next.
        self.cards: dict = {}
        # The last snapshot's article pages by src_uri, with the inputs each was made from
        # (kinds.cards.Cards.reused).
        self.pages: dict = {}
        # What those pages were made from, for the next save's diff (kinds.unchanged.Seen).
        self.seen: Optional[object] = None
        # Their article cards by source URI (kinds.cards.Cards.article).
        self.article_cards: dict = {}

    def _use(self, graph: ContentGraph) -> None:
        if graph is not self._graph:
            self._graph = graph
            self._versions = {}

    def _version(self, key: tuple[str, str]) -> Optional[int]:
        """The version of one index list of this graph, made when first asked for: a title edit
        asks for the ~30 lists of ~100 articles, not all 1,000 (0.08 CPU-s a save at 10,000)."""
        found = self._versions.get(key, _UNKNOWN)
        if found is _UNKNOWN:
            listed = getattr(self._graph, _INDEXES[key[0]]).get(key[1])
            found = self._versions[key] = None if listed is None else hash(tuple(map(_SORT_KEY, listed)))
        return found

    def related(self, graph: ContentGraph, article: Article) -> list[Article]:
        self._use(graph)
        keys = ([("w", w.id) for w in article.workers] + [("b", b.id) for b in article.brands]
                + [("t", t) for t in article.tags])
        stamp = (article.sort_key, tuple(keys), tuple(map(self._version, keys)))
        hit = self._cache.get(article.src_uri)
        if hit is not None and hit[0] == stamp:
            return [graph.by_src[src] for src in hit[1]]
        # A list it is in changed (an article added, deleted, re-dated, re-tagged): the
        # result is still the same while the neighbours it scored are the very same
        # articles (an unchanged file parses to the same object, content.load.DocCache).
        # One deletion changed the lists of 3,000 articles at 10,000; its neighbours are ~100.
        parts = list(_shared(graph, article))
        scored = _flat(parts)
        if (hit is not None and hit[0][:2] == stamp[:2] and len(hit[2]) == len(scored)
                and all(map(operator.is_, hit[2], scored))):
            self._cache[article.src_uri] = (stamp, hit[1], scored)
            return [graph.by_src[src] for src in hit[1]]
        found = _rank(article, parts)
        self._cache[article.src_uri] = (stamp, [a.src_uri for a in found], scored)
        return found


_INDEXES = {"w": "by_worker", "b": "by_brand", "t": "by_tag"}
_UNKNOWN = object()
_SORT_KEY = operator.attrgetter("sort_key")


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


