"""A toy kind of entity, registered by a test: 服务阵地 (a union's service venue).

It is what a new kind costs: a model with its fields and a schema (in the project:
core/model.py), a page kind (pages/kinds/venue.py), a template (theme/venue.html, here
``venue.html`` beside this file) and tests. Nothing else: the graph loads content/venues/,
``newsroom new venue`` writes a file there, search indexes it, its feed is written, a free
page cannot take its URL, messages name its fields. ``run.py`` registers it and runs the
real command line; tests/test_toy_kind.py builds a site with it.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterator

from newsroom.core.feedrules import FeedRef
from newsroom.core.model import SourceRef, register as register_schema
from newsroom.core.schema import F, Schema, fm
from newsroom.pages.kinds import register as register_kind
from newsroom.pages.kinds.base import Kind, Page, SiteFeed, src_for


@dataclass
class Venue:
    """A service venue (content/venues/<id>.md)."""

    id: str
    name: str = fm(F("text", zh="名称", required=True, new="name: {title}", search=("head", 0)))
    date: dt.datetime = fm(F("datetime", zh="启用时间", required=True, new="date: {date:%Y-%m-%d}"))
    source: SourceRef
    body: str = ""
    address: str = fm(F("text", zh="地址", search=("meta", 0), feed=("fact",)), "")
    region: str = fm(F("text", zh="地区", search=("meta", 1), facet="region"), "")

    @property
    def url(self) -> str:
        return f"venues/{self.id}/"


@dataclass(frozen=True)
class VenueData:
    name: str
    address: str
    opened: str


class VenueKind(Kind[VenueData]):
    name = "venue"
    template = "venue.html"
    order = 6.5

    def pages(self, graph, cards) -> Iterator[Page[VenueData]]:
        for v in graph.of_kind("venue"):
            data = VenueData(v.name, v.address, f"{v.date:%Y-%m-%d}")
            yield self.page(src_for(v.url), v.url, v.name, data, v.body, v.address, (FEED,))

    def site_feeds(self, graph) -> Iterator[SiteFeed]:
        newest = sorted(graph.of_kind("venue"), key=lambda v: (v.date, v.url), reverse=True)
        yield SiteFeed(FEED, "venue", newest)


FEED = FeedRef("venues/feed.xml", "服务阵地", "服务阵地 - 测试", "venues/", "新开的职工服务阵地")
register_schema(Schema("venue", "服务阵地", Venue, new_body="在这里介绍阵地。", folder="venues", search="entities"))
register_kind(VenueKind())
