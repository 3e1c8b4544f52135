"""The preview's graph-level diff (unchanged.py) between builds: what a warm build keeps.

A new ``newsroom build`` has no last graph in memory, so it made the data, and the
stable digest, of all 10,000 article pages again after one new article. ``Inputs``
holds what unchanged.py compares, as plain values that a build cache keeps as JSON:

- per article, a fingerprint of the article itself (every field, as ``repr`` gives it)
  with what its references resolved to (each brand and worker whole) and its video;
- the index lists whose windows an article page scores (``unchanged.LISTS``), as
  positions in the list of articles;
- which terms have a listing (``unchanged.TERMS``);
- per article in a topic or in the print edition, its topics' cards and its citation;
- a key: the settings whole, with the code's version (the caller's).

``same_pages`` gives the articles whose page is provably the last build's: the same
rule as ``unchanged.unchanged``, with source URIs in place of object identity (an
article whose fingerprint changed is in ``changed``, so it counts like a re-read one).
A value whose ``repr`` is not stable between processes (an object's address) only
makes its article look changed: remade, never stale.
"""
from __future__ import annotations

import dataclasses
import hashlib
import operator
from dataclasses import dataclass, field
from typing import AbstractSet, Any, Mapping, Optional

from ...content.graph_data import ContentGraph
from ...core.model import Article, SourceRef
from ...core.sealed import stable_hash
from ..images import image_names
from .epaper import citation
from .topic import article_topics
from .unchanged import LISTS, TERMS, spans

FORMAT = 1
_REFS = ("brands", "workers")
# Every other field of an article but its body and source, read in one call (10,000 articles a build).
_plain_fields = operator.attrgetter(*(f.name for f in dataclasses.fields(Article)
                                      if f.name not in (*_REFS, "body", "source")))
_source_fields = operator.attrgetter(*(f.name for f in dataclasses.fields(SourceRef)))
# The fields the graph fills after the file is read (no front matter key), besides the references:
# the checked video. Every other field is read from the file's bytes.
_FILLED = tuple(f.name for f in dataclasses.fields(Article)
                if "nr" not in f.metadata and f.name not in (*_REFS, "src_uri", "source", "body"))
_filled_fields = operator.attrgetter(*_FILLED)


@dataclass
class Inputs:
    """What one build's article pages were made from (see the module's docstring)."""

    key: str
    articles: list[str]                                   # src_uri, in the graph's order
    prints: list[str]                                     # each article's own fingerprint
    lists: dict[str, dict[str, list[int]]]                # index -> key -> positions in ``articles``
    terms: dict[str, list[str]]                           # index -> the terms that have a listing
    extra: dict[str, str] = field(default_factory=dict)   # src_uri -> its topics' cards and citation

    def to_json(self) -> dict:
        # Not dataclasses.asdict: it copies every list and dict deeply (0.2 s at 10k); json.dumps reads them.
        return {"format": FORMAT, **{f.name: getattr(self, f.name) for f in dataclasses.fields(self)}}

    @classmethod
    def from_json(cls, raw: Any) -> Optional["Inputs"]:
        """The record, or None for anything not of this format and shape."""
        try:
            if raw.get("format") != FORMAT:
                return None
            found = cls(str(raw["key"]), _strs(raw["articles"]), _strs(raw["prints"]),
                        {str(i): {str(k): _ints(v) for k, v in keys.items()} for i, keys in raw["lists"].items()},
                        {str(i): _strs(v) for i, v in raw["terms"].items()},
                        {str(k): str(v) for k, v in raw["extra"].items()})
        except (AttributeError, KeyError, TypeError, ValueError):
            return None
        n = len(found.articles)
        if len(found.prints) != n or any(not 0 <= p < n for keys in found.lists.values()
                                         for listed in keys.values() for p in listed):
            return None
        return found


@dataclass(frozen=True)
class Known:
    """A warm build's article pages whose inputs are the last build's (``same_pages``), with
    that build's stable digest of each."""

    digests: dict[str, str]
    # Each article's card mark (``card_mark``), by the article's ``id``: the listing pages'
    # digests without their cards (kinds/listing.py). Empty: listings are made as they are.
    marks: Mapping[int, str] = field(default_factory=dict)


def inputs_of(graph: ContentGraph, version: str, sums: Mapping[str, str] = {}) -> Inputs:
    """This graph's article pages' inputs; ``version``: our code's (mkdocs/warm.code_version).
    ``sums``: the SHA-256 of the bytes each article was read from, by its display path
    (content/doc_store.StoredDocs.file_sums, read with this ``version``): see ``_own``."""
    entities: dict[int, str] = {}

    def entity(e: Any) -> str:
        found = entities.get(id(e))
        if found is None:
            found = entities[id(e)] = stable_hash((type(e).__name__, e))
        return found

    articles = [a.src_uri for a in graph.articles]
    at = {src: n for n, src in enumerate(articles)}
    prints = [_own(a, entity, sums.get(a.source.path)) for a in graph.articles]
    lists = {index: {_key(k): [at[a.src_uri] for a in listed] for k, listed in getattr(graph, index).items()}
             for index in LISTS}
    terms = {index: sorted(map(_key, getattr(graph, index))) for index in TERMS}
    extra = {}
    for src in graph.topics_of.keys() | graph.epaper.placed.keys():
        a = graph.by_src.get(src)
        if a is not None:
            shown = (article_topics(graph, src), citation(graph.epaper, a))
            extra[src] = stable_hash(("extra", shown))
    return Inputs(stable_hash(("inputs", FORMAT, version, repr(graph.settings))), articles, prints, lists,
                  terms, extra)


def card_marks(inputs: Inputs, cards: Mapping[str, Any]) -> dict[int, str]:
    """Fingerprints of the article cards (``cards``: kinds/cards.ArticleCard by source URI),
    by ``id``, for pages/digest.stable_digests: 4,900 listing pages at 10k articles list
    every card, and walking each card's fields was half of a warm build's page digests.

    A card shows its article's URL, title, kicker, subtitle, dates, column, summary, photo
    and caption, and its brands' names: the article's own fields and its brands, which its
    fingerprint here holds whole (``_own``). Equal marks, equal cards, whichever article an
    equal card was kept for (``Cards.keep``). tests/test_card_marks.py keeps the card's
    fields to that list. The cards stay alive while ``cards`` holds them (ids are theirs)."""
    own = dict(zip(inputs.articles, inputs.prints))
    return {id(card): card_mark(own[src]) for src, card in cards.items() if src in own}


def card_mark(own: str) -> str:
    """An article card's mark from its article's fingerprint (``_own``)."""
    return "card " + own


def article_marks(graph: ContentGraph, inputs: Inputs) -> dict[int, str]:
    """Each article's card mark by the article's ``id`` (``inputs``: this graph's own)."""
    return {id(a): card_mark(own) for a, own in zip(graph.articles, inputs.prints)}


def _own(a: Article, entity, sha: Optional[str] = None) -> str:
    """The article and what it resolved to: every field, brands and workers by their own fingerprint.

    With ``sha``, the SHA-256 of the bytes the article was read from, its fields are that file
    (they are a function of its bytes, its display path and source URI, the time zone and our
    code's version, the last two in ``Inputs.key``): the checksum stands for them, with the
    fields the graph fills after reading (``_FILLED``). Walking every field of 10,000 articles
    and hashing their bodies was most of a warm build's ``inputs_of`` (~0.18 CPU-s). A field
    the graph changed after reading would be missed: the warm tests' check mode
    (``NEWSROOM_CHECK_KNOWN``) makes each page taken as unchanged and compares.

    Without it (a file not read through the doc store), as ``stable_hash`` would take the
    article, but for the body (its UTF-8 after the rest, whose length the rest holds: ``repr``
    of 7 million characters at 10k was a fifth of this) and the source (its fields as a tuple:
    a dataclass's ``repr`` runs in Python)."""
    if sha is not None:
        head = repr(("file", sha, a.src_uri, a.source.path, tuple(map(entity, a.brands)),
                     tuple(map(entity, a.workers)), _filled_fields(a)))
        return hashlib.blake2b(head.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
    refs = tuple(tuple(map(entity, getattr(a, name))) for name in _REFS)
    head = repr(("article", _plain_fields(a), _source_fields(a.source), refs, len(a.body)))
    digest = hashlib.blake2b(head.encode("utf-8", "surrogatepass"), digest_size=16)
    digest.update(a.body.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _key(key: Any) -> str:
    if type(key) is not str:     # JSON keys are text: another type would not round-trip
        raise TypeError(f"index key {key!r}")
    return key


def same_pages(before: Optional[Inputs], after: Inputs, graph: ContentGraph) -> set[str]:
    """The articles of ``graph`` (described by ``after``) whose page ``before`` saw made from
    the same inputs, by source URI. Nothing without a record, or with another key."""
    if before is None or before.key != after.key:
        return set()
    was = dict(zip(before.articles, before.prints))
    changed = {src for src, mark in zip(after.articles, after.prints) if was.get(src) != mark}
    remade = set(changed)
    for src in before.extra.keys() | after.extra.keys():
        if before.extra.get(src) != after.extra.get(src):
            remade.add(src)
    for index in TERMS:            # a term that gained or lost its listing: its links changed
        for term in set(before.terms.get(index, ())) ^ set(after.terms[index]):
            remade.update(a.src_uri for a in getattr(graph, index).get(term, ()))
    for index, window in LISTS.items():
        olds = before.lists.get(index, {})
        for key, positions in after.lists[index].items():
            listed = [after.articles[p] for p in positions]
            old = [before.articles[p] for p in olds.get(key, ())]
            for lo, hi in spans(old, listed, changed, operator.eq, operator.eq):
                # As unchanged.unchanged: the article at p scores listed[p - window: p + window + 1].
                remade.update(listed[max(0, lo - window): hi + window])
    return set(after.articles) - remade


def naming(graph: ContentGraph, files: AbstractSet[str]) -> set[str]:
    """The articles whose page's data may name one of ``files`` (images), by source URI: those
    that name one themselves (any field in ``IMAGE_FIELDS`` of the article, its gallery, its
    brands or workers, however deep: ``images.image_names``), and their neighbours within each
    index list's window (``unchanged.LISTS``). An article page shows its article, its brands and
    workers, its topics' titles (not their banners), and cards of articles within its windows only
    (its related articles and 上一篇/下一篇): the rule ``same_pages`` rests on. The warm build's
    check mode (``NEWSROOM_CHECK_KNOWN``) makes every other known page and fails if one shows
    a file after all (mkdocs/warm.py)."""
    memo: dict[int, frozenset[str]] = {}
    named = {id(a): a for a in graph.articles if not files.isdisjoint(image_names(a, memo))}
    out = {a.src_uri for a in named.values()}
    for index, window in LISTS.items() if named else ():
        for listed in getattr(graph, index).values():
            ids = list(map(id, listed))
            if named.keys().isdisjoint(ids):
                continue
            for pos, key in enumerate(ids):
                if key in named:
                    out.update(a.src_uri for a in listed[max(0, pos - window): pos + window + 1])
    return out


def _strs(raw: Any) -> list[str]:
    if not isinstance(raw, list) or not all(type(v) is str for v in raw):
        raise TypeError("not a list of text")
    return raw


def _ints(raw: Any) -> list[int]:
    if not isinstance(raw, list) or not all(type(v) is int for v in raw):
        raise TypeError("not a list of integers")
    return raw
