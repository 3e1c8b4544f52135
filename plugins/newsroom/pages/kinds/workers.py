"""The gallery of model workers and craftsmen, most reported first."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from ...content.graph_data import ContentGraph
from .base import Kind, Page
from .cards import Cards, WorkerCard


@dataclass(frozen=True)
class WorkersData:
    cards: tuple[WorkerCard, ...]


class WorkersKind(Kind[WorkersData]):
    name = "workers"
    template = "workers.html"
    order = 5

    def pages(self, graph: ContentGraph, cards: Cards) -> Iterator[Page[WorkersData]]:
        workers = sorted(graph.workers.values(), key=lambda w: (-len(graph.by_worker[w.id]), w.id))
        yield self.page("workers/index.md", "workers/", "劳模工匠", WorkersData(tuple(map(cards.worker, workers))),
                        description="劳动模范与工匠人物档案")


KINDS = (WorkersKind(),)
