"""The live preview's graph-level diff: which article pages a save cannot have changed.

On every save the preview made the inputs of all 10,000 article pages again (related
lists, cards, links: a third of a save's fixed cost) only to find, by identity
(``Cards.reused``), that nearly all were the last snapshot's. Here the two graphs are
compared first, and an article page whose every input is provably the same is taken
as it was, without making its inputs. An article page shows (kinds/article.py):

- the article itself and what its references resolved to (brands, workers), its video;
- its region, column and tags: links while the term has a listing;
- related articles, scored from windows of its workers', brands' and tags' index lists
  (``related.WINDOWS``), and 上一篇/下一篇, its neighbours in its column's list; each
  shown as a card of that article (its fields and its brands' names);
- its topics' links (their titles) and its print citation.

So a page is made again when its article is new or not the very object of the last
graph (an unchanged file parses to the same object: ``DocCache``), its references or
video changed, a window it scores changed (an article added, deleted or changed in it,
or one whose card changed), one of its terms gained or lost its listing, or its topics'
links or citation differ. Settings are compared whole (they do not change within one
preview). A page made again is still compared with the last one by its inputs, so
choosing too many costs time, never correctness; choosing too few would show a stale page.

A warm ``newsroom build`` applies the same rule across processes (kept.py: these inputs
as fingerprints and source URIs, kept in the build cache): an input added here is added there.
"""
from __future__ import annotations

import operator
from dataclasses import dataclass
from typing import Any, Callable, Optional, Sequence, TypeVar

from ...content.graph_data import ContentGraph
from ...core.model import Article
from ..related import WINDOWS
from .epaper import citation
from .topic import article_topics

T = TypeVar("T")

# The index lists whose windows an article page shows: related articles', and its column's
# for 上一篇/下一篇 (one neighbour either side).
LISTS = {**WINDOWS, "by_column": 1}
# The indexes whose keys are terms: a term with no article left has no listing (no link).
TERMS = ("by_tag", "by_region", "by_column")


@dataclass
class Seen:
    """What one snapshot's article pages were made from, beyond the graph's index lists."""

    graph: ContentGraph
    refs: dict[str, tuple]      # src_uri -> (the article, its brands, its workers, its video)
    extra: dict[str, tuple]     # src_uri -> (its topics' links, its citation): only articles with either


def seen(graph: ContentGraph) -> Seen:
    refs = {a.src_uri: (a, tuple(a.brands), tuple(a.workers), a.video_file) for a in graph.articles}
    extra = {}
    for src in graph.topics_of.keys() | graph.epaper.placed.keys():
        a = graph.by_src.get(src)
        if a is not None:
            extra[src] = (article_topics(graph, src), citation(graph.epaper, a))
    return Seen(graph, refs, extra)


@dataclass
class Diff:
    pages: set[str]             # articles whose page is the last snapshot's
    cards: set[str]             # articles whose card is (their page may still change)


def unchanged(before: Optional[Seen], after: Seen) -> Diff:
    """The articles whose pages (and cards) ``before`` saw made from the same inputs, by source URI."""
    if before is None or before.graph.settings != after.graph.settings:
        return Diff(set(), set())
    changed = _changed_articles(before, after)
    remade = set(changed)
    for src in before.extra.keys() | after.extra.keys():
        if before.extra.get(src) != after.extra.get(src):
            remade.add(src)
    old, new = before.graph, after.graph
    # A changed article read again is a new object: a list holding it differs from the last
    # one by identity, which ``_spans`` finds in C. Only one kept whole (its references or
    # video changed) is looked for by source URI, in every list: a title edit looks for none.
    same_object = {src for src in changed if before.refs.get(src, (None,))[0] is after.refs[src][0]}
    for index in TERMS:            # a term that gained or lost its listing: its links changed
        for term in getattr(old, index).keys() ^ getattr(new, index).keys():
            remade.update(a.src_uri for a in getattr(new, index).get(term, ()))
    for index, window in LISTS.items():
        olds = getattr(old, index)
        for key, listed in getattr(new, index).items():
            for lo, hi in _spans(olds.get(key, []), listed, same_object):
                # The article at p scores listed[p - window: p + window + 1]: that reaches
                # [lo, hi) (or, empty, the place of one taken out) iff lo - window <= p < hi + window.
                remade.update(a.src_uri for a in listed[max(0, lo - window): hi + window])
    return Diff(after.refs.keys() - remade, after.refs.keys() - changed)


def _changed_articles(before: Seen, after: Seen) -> set[str]:
    """Articles new, re-read, or whose references or video changed: their cards may differ."""
    kept = _kept_entities(before.graph, after.graph)
    out = set()
    for src, (a, brands, workers, video) in after.refs.items():
        was = before.refs.get(src)
        if (was is None or was[0] is not a or not _as_kept(was[1], brands, kept)
                or not _as_kept(was[2], workers, kept) or was[3] != video):
            out.add(src)
    return out


def _kept_entities(old: ContentGraph, new: ContentGraph) -> dict[int, Any]:
    """Brands and workers read again (they are made anew on every load) and equal to the
    last graph's, by the id of the new one: the last graph's object, field by field the same."""
    out = {}
    for index in ("brands", "workers"):
        olds = getattr(old, index)
        for key, entity in getattr(new, index).items():
            was = olds.get(key)
            if was is not None and (was is entity or was == entity):
                out[id(entity)] = was
    return out


def _as_kept(old: tuple, new: tuple, kept: dict[int, Any]) -> bool:
    return len(old) == len(new) and all(map(operator.is_, old, map(kept.get, map(id, new))))


def _spans(old: list[Article], new: list[Article], changed: set[str]) -> list[tuple[int, int]]:
    """``spans`` of two snapshots' index lists, articles compared by identity."""
    return spans(old, new, changed, _same, operator.is_, _SRC)


_SRC = operator.attrgetter("src_uri")


def spans(old: Sequence[T], new: Sequence[T], changed: set[str], same: Callable[[Any, Any], bool],
          alike: Callable[[T, T], bool], src: Optional[Callable[[T], str]] = None) -> list[tuple[int, int]]:
    """Where ``new`` differs from ``old`` (positions in ``new``, ``[lo, hi)``; empty where an
    article was taken out), and where it holds a changed article (``src``: its source URI; the
    item itself if None). Outside a span's window, a window of ``new`` holds the very articles
    of the same window in ``old``. ``same``: the lists are alike whole; ``alike``: two items
    are (identity for the preview's articles, equality for kept.py's source URIs)."""
    found = []
    if not same(old, new):
        end = min(len(old), len(new))
        lo = next((n for n in range(end) if not alike(old[n], new[n])), end)
        tail = 0
        while tail < end - lo and alike(old[-1 - tail], new[-1 - tail]):
            tail += 1
        found.append((lo, len(new) - tail))
    if changed:
        found += [(n, n + 1) for n, s in enumerate(map(src, new) if src else new) if s in changed]
    return found


def _same(old: Any, new: Any) -> bool:
    # In C: most index lists are the very same articles save after save.
    return len(old) == len(new) and all(map(operator.is_, old, new))
