"""What changed between two builds: a digest per page, and the plan to update.

Every generated page shows a known set of facts (an article's fields and its
related articles, a listing's entries, the brand wall's counts ...). A page's
digest is a hash of exactly those facts, computed from the graph, not from
HTML; a page is rendered again only when its digest changes. This is the core
of the live preview: plain Python, no MkDocs.

Digests use Python's ``hash`` and are only compared within one process.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from ..content.graph import ContentGraph
from ..core.model import Article, Brand, Worker
from . import charts
from .related import RelatedMemo
from .text import summary_of
from .views import Home, Listing, PageSpec


def _brand(b: Brand) -> tuple:
    return (b.id, b.name, b.slogan, b.owner, b.region, b.family, b.attribute, b.since, b.logo, b.body)


def _worker(w: Worker) -> tuple:
    return (w.id, w.name, tuple(map(str, w.honors)), w.occupation, w.employer, w.region, w.photo, w.body)


def entry(a: Article) -> tuple:
    """What any page may show of an article it links to (listings, related, feeds)."""
    return (a.url, a.title, a.kicker, a.subtitle, a.date, a.updated, a.summary, summary_of(a),
            a.image, a.image_caption, a.image_credit, a.region, a.column, a.dateline, a.featured,
            tuple(a.reporters), tuple(a.correspondents), tuple(a.tags),
            tuple((b.id, b.name) for b in a.brands), tuple((w.id, w.name) for w in a.workers))


class Facts:
    """Hashes of what pages show of each article, brand and worker, for one snapshot.

    An article is on ~15 pages (listings, related lists), a brand on each of its pages:
    each is hashed once per snapshot, and pages hash tuples of ints.
    Keyed by ``id()``: the graph keeps every object alive while the snapshot is taken.
    """

    def __init__(self, graph: ContentGraph, memo: RelatedMemo) -> None:
        self.graph = graph
        self.memo = memo
        self._articles: dict[int, int] = {}
        self._others: dict[tuple[str, int], int] = {}

    def article(self, a: Article) -> int:
        # The hot path (~150,000 calls at 10,000 articles): no closure, no tuple key.
        found = self._articles.get(id(a))
        if found is None:
            found = self._articles[id(a)] = hash(entry(a))
        return found

    def articles(self, articles: Iterable[Article]) -> tuple[int, ...]:
        return tuple(map(self.article, articles))

    def related(self, a: Article) -> tuple[int, ...]:
        return self.articles(self.memo.related(self.graph, a))

    def brand(self, b: Brand) -> int:
        return self._once("brand", b, _brand)

    def worker(self, w: Worker) -> int:
        return self._once("worker", w, _worker)

    def activity(self, b: Brand) -> int:
        """The brand's activity chart (its first page), as charts.brand_activity computes it."""
        return self._once("activity", b, lambda brand: (charts.brand_activity(self.graph, brand),))

    def _once(self, kind: str, obj: Any, facts: Callable[[Any], tuple]) -> int:
        key = (kind, id(obj))
        found = self._others.get(key)
        if found is None:
            found = self._others[key] = hash(facts(obj))
        return found


def page_digest(spec: PageSpec, facts: Facts) -> int:
    graph, data = facts.graph, spec.data
    parts: list = [spec.url, spec.template, spec.title, spec.description, tuple(spec.feeds), spec.body]
    if isinstance(data, Article):
        parts += [facts.article(data), data.body, tuple(map(facts.brand, data.brands)), facts.related(data)]
    elif isinstance(data, Listing):
        parts += [data.kind, data.page, data.pages, data.total, data.term, facts.articles(data.articles)]
        entity = data.entity
        if isinstance(entity, Brand):
            parts.append(facts.brand(entity))
        elif isinstance(entity, Worker):
            parts.append(facts.worker(entity))
        if entity is not None and data.page == 1:
            # The first page has the profile: its region is a link while the region has
            # a listing, and a brand's activity chart summarises all its articles (up to
            # the site's newest month, so a new month elsewhere changes it too).
            parts.append(bool(entity.region) and entity.region in graph.by_region)
            if isinstance(entity, Brand):
                parts.append(facts.activity(entity))
        if data.kind in ("news", "year"):
            parts.append(tuple(graph.by_year))      # the year archive links
    elif isinstance(data, Home):
        parts += [facts.article(data.lead) if data.lead else None, facts.articles(data.latest),
                  _families(facts, data.families), tuple(map(facts.worker, data.spotlight))]
    elif spec.kind == "brands":
        parts.append(_families(facts, data))
    elif spec.kind == "workers":
        parts.append(tuple((facts.worker(w), len(graph.by_worker.get(w.id, []))) for w in data))
    elif isinstance(data, list):                  # tags, regions, columns: terms with counts
        parts.append(tuple(dataclasses.astuple(t) for t in data))
    elif data is None:                            # e.g. search: filters list the site's facets
        parts += [tuple(graph.by_year), tuple((b.id, b.name) for b in graph.brands.values()),
                  tuple(graph.by_region), tuple(graph.by_column), tuple(graph.by_tag)]
    return hash(tuple(parts))


def _families(facts: Facts, families) -> tuple:
    by_brand = facts.graph.by_brand
    return tuple((name, tuple((facts.brand(b), len(by_brand.get(b.id, []))) for b in brands))
                 for name, brands in families)


@dataclass
class Snapshot:
    """One build's pages: spec and digest by source URI."""

    specs: dict[str, PageSpec] = field(default_factory=dict)
    digests: dict[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, graph: ContentGraph, specs: list[PageSpec], memo: RelatedMemo) -> "Snapshot":
        facts = Facts(graph, memo)
        return cls({s.src_uri: s for s in specs}, {s.src_uri: page_digest(s, facts) for s in specs})


@dataclass
class Plan:
    render: list[PageSpec]          # new or changed pages
    remove: list[PageSpec]          # pages gone (their old spec, for the old URL)

    def __bool__(self) -> bool:
        return bool(self.render or self.remove)

    def add(self, specs: Iterable[PageSpec]) -> None:
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


def showing(files: set[str], specs: Iterable[PageSpec], graph: ContentGraph,
            memo: RelatedMemo) -> list[PageSpec]:
    """The pages that show any of ``files`` (images, logos, photos; paths as in the content).

    Pages write each image's own width and height, which no digest holds: when an
    editor replaces an image under the same name, the pages showing it render again.
    A page's body counts if it mentions the file's name (an image in the text)."""
    names = {f.rsplit("/", 1)[-1] for f in files}
    return [s for s in specs
            if not files.isdisjoint(_files_shown(s, graph, memo)) or any(n in s.body for n in names)]


def _files_shown(spec: PageSpec, graph: ContentGraph, memo: RelatedMemo) -> set[str]:
    data = spec.data
    articles: list[Article] = []
    brands: list[Brand] = []
    workers: list[Worker] = []
    if isinstance(data, Article):
        articles = [data, *memo.related(graph, data)]
    elif isinstance(data, Listing):
        articles = list(data.articles)
        if isinstance(data.entity, Brand):
            brands.append(data.entity)
        elif isinstance(data.entity, Worker):
            workers.append(data.entity)
    elif isinstance(data, Home):
        articles = ([data.lead] if data.lead else []) + list(data.latest)
        brands = [b for _, family in data.families for b in family]
        workers = list(data.spotlight)
    elif spec.kind == "brands":
        brands = [b for _, family in data for b in family]
    elif spec.kind == "workers":
        workers = list(data)
    for a in articles:          # an article's card may show its brands and workers too
        brands += a.brands
        workers += a.workers
    return {a.image for a in articles} | {b.logo for b in brands} | {w.photo for w in workers}

