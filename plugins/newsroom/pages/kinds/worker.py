"""A model worker's pages: the profile (page 1) and the articles naming them."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, Optional

from ...content.graph_data import ContentGraph
from ...core.feedrules import worker_feed
from ...core.model import Worker
from ...core.settings import Settings
from ..jsonld import person
from .base import KindHead, Page, SiteFeed, logo_or
from .cards import Cards, TermLink
from .entity import EntityData, EntityKind


@dataclass(frozen=True)
class WorkerView:
    id: str
    url: str
    name: str
    honors: tuple[str, ...]
    occupation: str
    employer: str
    region: Optional[TermLink]
    photo: str


class WorkerKind(EntityKind[WorkerView]):
    name = "worker"
    template = "worker.html"
    order = 6

    def pages(self, graph: ContentGraph, cards: Cards) -> Iterator[Page[EntityData[WorkerView]]]:
        for worker in graph.workers.values():
            yield from self.entity_pages(cards, worker, view(worker, cards), graph.by_worker[worker.id],
                                         graph.settings.per_page, "、".join(str(h) for h in worker.honors),
                                         worker_feed(graph.settings, worker))

    def sources(self, graph: ContentGraph) -> Iterator[str]:
        return self.entity_sources(graph.workers.values(), graph.by_worker, graph.settings.per_page)

    def site_feeds(self, graph: ContentGraph) -> Iterator[SiteFeed]:
        for worker in graph.workers.values():
            yield SiteFeed(worker_feed(graph.settings, worker), "article", graph.by_worker.get(worker.id, []))

    def head(self, page: Page[EntityData[WorkerView]], s: Settings) -> KindHead:
        w = page.data.entity
        return KindHead("profile", logo_or(s, w.photo), (), person(s, w))


def view(w: Worker, cards: Cards) -> WorkerView:
    return WorkerView(w.id, w.url, w.name, tuple(str(h) for h in w.honors), w.occupation, w.employer,
                      cards.term("region", w.region), w.photo)


KINDS = (WorkerKind(),)
