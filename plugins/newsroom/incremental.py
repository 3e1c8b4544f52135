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

from . import views
from .graph import ContentGraph
from .model import Article, Brand, Worker
from .views import Home, Listing, PageSpec


def _brand(b: Brand) -> tuple:
    return (b.id, b.name, b.slogan, b.owner, b.region, b.family, b.attribute, b.since, b.logo, b.body)


def _worker(w: Worker) -> tuple:
    return (w.id, w.name, tuple(map(str, w.honors)), w.occupation, w.employer, w.region, w.photo, w.body)


class Entries(dict):
    """``entry`` per article, computed once per snapshot (an article is on ~15 pages)."""

    def __getitem__(self, a: Article) -> tuple:
        key = id(a)
        if key not in self.keys():
            dict.__setitem__(self, key, entry(a))
        return dict.__getitem__(self, key)


def entry(a: Article) -> tuple:
    """What any page may show of an article it links to (listings, related, feeds)."""
    return (a.url, a.title, a.kicker, a.subtitle, a.date, a.updated, a.summary, views.summary_of(a),
            a.image, a.image_caption, a.image_credit, a.region, a.column, a.dateline, a.featured,
            tuple(a.reporters), tuple(a.correspondents), tuple(a.tags),
            tuple((b.id, b.name) for b in a.brands), tuple((w.id, w.name) for w in a.workers))


def page_digest(graph: ContentGraph, spec: PageSpec, memo: views.RelatedMemo,
                entries: Entries | None = None) -> int:
    entries = Entries() if entries is None else entries
    data = spec.data
    parts: list = [spec.url, spec.template, spec.title, spec.description, tuple(spec.feeds), spec.body]
    if isinstance(data, Article):
        parts += [entries[data], data.body, tuple(_brand(b) for b in data.brands),
                  tuple(entries[r] for r in memo.related(graph, data))]
    elif isinstance(data, Listing):
        parts += [data.kind, data.page, data.pages, data.total, data.term,
                  tuple(entries[a] for a in data.articles)]
        # Entity pages also summarise all the entity's articles (the activity chart).
        # charts.brand_activity runs to the site's newest article: that date counts too.
        if isinstance(data.entity, Brand):
            parts += [_brand(data.entity), tuple(a.date for a in graph.by_brand.get(data.entity.id, [])),
                      graph.articles[0].date if graph.articles else None]
        elif isinstance(data.entity, Worker):
            parts += [_worker(data.entity), tuple(a.date for a in graph.by_worker.get(data.entity.id, []))]
        if data.kind in ("news", "year"):
            parts.append(tuple(graph.by_year))      # the year archive links
    elif isinstance(data, Home):
        parts += [entries[data.lead] if data.lead else None, tuple(entries[a] for a in data.latest),
                  _families(graph, data.families), tuple(_worker(w) for w in data.spotlight)]
    elif spec.kind == "brands":
        parts.append(_families(graph, data))
    elif spec.kind == "workers":
        parts.append(tuple((_worker(w), len(graph.by_worker.get(w.id, []))) for w in data))
    elif isinstance(data, list):                  # tags, regions, columns: terms with counts
        parts.append(tuple(dataclasses.astuple(t) for t in data))
    elif data is None:                            # e.g. search: filters list the site's facets
        parts += [tuple(graph.by_year), tuple((b.id, b.name) for b in graph.brands.values()),
                  tuple(graph.by_region), tuple(graph.by_column), tuple(graph.by_tag)]
    return hash(tuple(parts))


def _families(graph: ContentGraph, families) -> tuple:
    return tuple((name, tuple((_brand(b), len(graph.by_brand.get(b.id, []))) for b in brands))
                 for name, brands in families)


@dataclass
class Snapshot:
    """One build's pages: spec and digest by source URI."""

    specs: dict[str, PageSpec] = field(default_factory=dict)
    digests: dict[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, graph: ContentGraph, specs: list[PageSpec], memo: views.RelatedMemo) -> "Snapshot":
        snap = cls({s.src_uri: s for s in specs})
        entries = Entries()
        snap.digests = {s.src_uri: page_digest(graph, s, memo, entries) for s in specs}
        return snap


@dataclass
class Plan:
    render: list[PageSpec]          # new or changed pages
    remove: list[PageSpec]          # pages gone (their old spec, for the old URL)

    def __bool__(self) -> bool:
        return bool(self.render or self.remove)


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
    if moved:
        # Relative links between articles are rendered to their targets' URLs:
        # when any URL moved or vanished, pages linking to .md files render again.
        queued = {s.src_uri for s in render}
        render += [s for s in new.specs.values() if s.src_uri not in queued and ".md" in s.body]
    return Plan(render, remove)
