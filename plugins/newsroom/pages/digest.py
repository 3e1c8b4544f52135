"""What changed between two builds: a digest per page, and the plan to update.

Every generated page shows its data (pages/kinds/: frozen dataclasses, the only
thing its template reads besides pure helpers). A page's digest is a fingerprint
of that data with its URL, title, body and feeds: not a list of facts kept by
hand, and not HTML; a page is rendered again only when its digest changes. This is the core
of the live preview: plain Python, no MkDocs.

The preview's digests use Python's ``hash`` and are only compared within one process;
``stable_digests`` gives the same digests in a form kept between builds (warm builds).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import AbstractSet, Any, Callable, Iterable, Mapping, Optional

from .images import image_names
from .kinds.base import LazyPage, Page
from ..core.sealed import stable_hash


def fingerprint(value: Any, memo: dict[int, Any], before: Optional[dict[int, Any]] = None,
                combine: Callable[[tuple], Any] = hash) -> Any:
    """A hashable summary of a page's data: what its template can show, nothing else.

    Frozen dataclasses (pages' data, cards, views) hash their fields' fingerprints,
    once per object per snapshot (``memo``, by ``id``: cards are shared by every page
    listing them, and the snapshot keeps them alive); tuples map; plain values are
    themselves. Anything else is a mistake in a kind's data (a mutable model object
    would let a template read what the digest does not hold): it stops here.

    ``before``: the last snapshot's memo. Its objects are alive (that snapshot's pages
    hold them) while this one is made, so an id found there is that very object: a card
    ``Cards`` carried over from the last snapshot is not fingerprinted again.

    ``combine``: how an object's fields become its fingerprint. Python's ``hash`` (the
    preview, within one process), or ``stable_hash`` for digests kept between builds."""
    # Called ~700k times a save at 10,000 articles: one lookup of the value's type
    # decides what it is (``_shape``), instead of isinstance chains and dataclasses.fields.
    shape = _SHAPES.get(type(value))
    if shape is None:
        shape = _shape(type(value))
    if shape is _PLAIN:
        return value
    if shape is _TUPLE:
        # A listing's cards, most of all: each fingerprinted already, found in C. (An id in
        # ``memo`` is a live object's, so a plain value in the tuple never matches one.)
        known = tuple(map(memo.get, map(id, value)))
        if None not in known:
            return known
        if _PLAIN_EXACT.issuperset(map(type, value)):    # years; a stand-in's card marks (LazyPage)
            return value
        return tuple([fingerprint(v, memo, before, combine) for v in value])
    found = memo.get(id(value))
    if found is None:
        found = before.get(id(value)) if before is not None else None
        if found is None:
            found = combine((shape[0], *[fingerprint(getattr(value, n), memo, before, combine) for n in shape[1:]]))
        memo[id(value)] = found
    return found


_PLAIN, _TUPLE = ("plain",), ("tuple",)
_PLAIN_TYPES = (str, int, float, bool, dt.date, type(None))
# Types whose values fingerprint as themselves, exactly (a tuple of only these is its own fingerprint).
_PLAIN_EXACT = frozenset({str, int, float, bool, dt.date, dt.datetime, type(None)})
# type -> _PLAIN, _TUPLE, or (class name, *field names) for a frozen dataclass.
_SHAPES: dict[type, tuple[str, ...]] = {}


def _shape(kind: type) -> tuple[str, ...]:
    if issubclass(kind, _PLAIN_TYPES):
        shape = _PLAIN
    elif issubclass(kind, tuple):
        shape = _TUPLE
    elif dataclasses.is_dataclass(kind) and kind.__dataclass_params__.frozen:
        shape = (kind.__name__, *(f.name for f in dataclasses.fields(kind)))
    else:
        raise TypeError(f"page data must be frozen dataclasses, tuples and plain values, not {kind.__name__}")
    _SHAPES[kind] = shape
    return shape


def _carry(data: Any, memo: dict[int, int], before: Optional[dict[int, int]]) -> None:
    """Put a reused page's data in this snapshot's memo, as fingerprinting it would have:
    the next snapshot finds it (and its cards) there by id."""
    found = before.get(id(data)) if before is not None else None
    if found is None:
        fingerprint(data, memo, before)
    else:
        memo[id(data)] = found


def _same_page(was: Page, page: Page) -> bool:
    """Whether ``page`` shows what ``was`` showed: equal fields and equal data. Frozen dataclasses
    and tuples compare item by item, an item that is the very same object at once (a kept card),
    so a listing of 20 kept cards costs 20 identity checks instead of a walk. Equal values
    hash alike, so this never says equal where ``page_digest`` would differ."""
    return ((was.url, was.template, was.title, was.description, was.feeds, was.body, was.kind)
            == (page.url, page.template, page.title, page.description, page.feeds, page.body, page.kind)
            and was.data == page.data)


def page_digest(page: Page, memo: dict[int, int], before: Optional[dict[int, int]] = None) -> int:
    return hash((page.url, page.template, page.title, page.description, page.feeds, page.body,
                 page.kind, fingerprint(page.data, memo, before)))


def stable_digests(specs: Iterable[Page], marks: Optional[Mapping[int, str]] = None,
                   from_data: bool = False) -> dict[str, str]:
    """Each page's digest as ``page_digest`` takes it, stable between builds: what a warm
    ``newsroom build`` compares with the digests its build cache kept (mkdocs/warm.py).

    ``marks``: fingerprints of some objects the pages show, by ``id``, known without walking
    them (a warm build's article cards: kinds/kept.card_marks). Each must change whenever
    its object would; the caller gives the same marks in every build (they are kept).
    A ``LazyPage`` with a stand-in is fingerprinted by it (its data with each card as the
    card's mark), unless ``from_data`` (the check mode: the two must agree)."""
    memo: dict[int, Any] = dict(marks) if marks else {}
    return {s.src_uri: _known(s) or stable_hash((s.url, s.template, s.title, s.description, s.body, s.kind,
                                                 fingerprint(s.feeds, memo, None, stable_hash),
                                                 fingerprint(_shown_data(s, from_data), memo, None, stable_hash)))
            for s in specs}


def _shown_data(page: Page, from_data: bool) -> Any:
    stand_in = getattr(page, "stand_in", None) if not from_data and isinstance(page, LazyPage) else None
    return page.data if stand_in is None else stand_in


def _known(page: Page) -> str:
    """A warm build's page whose data is not made: its digest, known from its inputs (kinds/kept.py)."""
    return page.known_digest if isinstance(page, LazyPage) and not page.made else ""


@dataclass
class Snapshot:
    """One build's pages: spec and digest by source URI."""

    specs: dict[str, Page] = field(default_factory=dict)
    digests: dict[str, int] = field(default_factory=dict)
    memo: dict[int, int] = field(default_factory=dict)     # fingerprints by id, of objects in specs

    @classmethod
    def of(cls, specs: list[Page], before: Optional["Snapshot"] = None) -> "Snapshot":
        """``before``: the last snapshot, whose fingerprints of objects still shown are reused."""
        memo: dict[int, int] = {}
        old = before.memo if before is not None else None
        old_specs = before.specs if before is not None else {}
        old_digests = before.digests if before is not None else {}
        digests = {}
        for s in specs:
            was = old_specs.get(s.src_uri)
            if was is s:                             # the very page of the last snapshot (Cards.reused)
                digests[s.src_uri] = old_digests[s.src_uri]
                _carry(s.data, memo, old)
            elif was is not None and old is not None and id(was.data) in old and _same_page(was, s):
                # Made again from the same kept cards (listings, most of all): equal to the last.
                digests[s.src_uri] = old_digests[s.src_uri]
                memo[id(s.data)] = old[id(was.data)]
            else:
                digests[s.src_uri] = page_digest(s, memo, old)
        return cls({s.src_uri: s for s in specs}, digests, memo)


@dataclass
class Plan:
    render: list[Page]          # new or changed pages
    remove: list[Page]          # pages gone (their old spec, for the old URL)

    def __bool__(self) -> bool:
        return bool(self.render or self.remove)

    def add(self, specs: Iterable[Page]) -> None:
        """Render these pages too (once: those already queued are left as they are)."""
        queued = {s.src_uri for s in self.render}
        self.render += [s for s in specs if s.src_uri not in queued]


def plan(old: Snapshot, new: Snapshot) -> Plan:
    render, remove = [], []
    moved = False
    for src, spec in new.specs.items():
        before = old.specs.get(src)
        if before is None or old.digests[src] != new.digests[src]:
            render.append(spec)
        if before is not None and before.url != spec.url:
            remove.append(before)
            moved = True
    for src, spec in old.specs.items():
        if src not in new.specs:
            remove.append(spec)
            moved = True
    todo = Plan(render, remove)
    if moved:
        # Relative links between articles are rendered to their targets' URLs:
        # when any URL moved or vanished, pages linking to .md files render again.
        todo.add(s for s in new.specs.values() if ".md" in s.body)
    return todo


def first_pages(render: list[Page], old: Snapshot, changed: set[str]) -> tuple[list[Page], list[Page]]:
    """``render`` split into the pages an editor looks at after a save, and the rest.

    First: every page that is not a later page of a paginated list (home, each listing's
    first page, brand and worker pages ...), except articles that only show the change
    (related lists, 上一篇/下一篇): of articles, those whose own source changed
    (``changed``: source URIs read again) or that are new. The rest is mostly numbered
    pages of lists (kinds/base.py's pagination): the few near the top when a list grows
    a page, or the pages from a deleted or edited article's page up to the front (numbers
    count from the oldest): written right after, in the same update, in the same order."""
    first, rest = [], []
    for spec in render:
        pager = getattr(spec.data, "pager", None)
        if pager is not None:
            ahead = pager.front
        elif spec.kind == "article":
            ahead = spec.src_uri in changed or spec.src_uri not in old.specs
        else:
            ahead = True
        (first if ahead else rest).append(spec)
    return first, rest


def showing(files: set[str], specs: Iterable[Page], unseen: AbstractSet[str] = frozenset()) -> list[Page]:
    """The pages that show any of ``files`` (images, logos, photos; paths as in the content).

    Pages write each image's own width and height, which no digest holds: when an
    editor replaces an image under the same name, the pages showing it render again.
    A page shows the files its data names (images.IMAGE_FIELDS), and its body counts if
    it mentions the file's name (an image in the text).

    ``unseen``: source URIs of pages whose data is not read (their body still is): a warm
    build's article pages known unchanged that no article naming a file is near
    (kinds/kept.naming). Reading their data would make it: 10,000 article views, their
    related lists ranked, for one new photo (2.8 CPU-s at 10k articles)."""
    names = {f.rsplit("/", 1)[-1] for f in files}
    memo: dict[int, frozenset[str]] = {}
    return [s for s in specs if any(n in s.body for n in names)
            or (s.src_uri not in unseen and not files.isdisjoint(image_names(s.data, memo)))]


def images_shown(value: Any) -> set[str]:
    """Every image path named in a page's data, however deep."""
    return set(image_names(value, {}))
