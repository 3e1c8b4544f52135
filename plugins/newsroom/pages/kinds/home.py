"""The home page: the lead story, the latest articles, the workers in the news, the brand wall."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterator, Optional

from ...content.graph_data import ContentGraph
from ...content.pins import pinned
from ...core.model import Worker
from ...core.settings import Settings
from ...core.service import ServiceLine
from ..jsonld import home_graph
from ...core.feedrules import site_feed
from .base import Kind, KindHead, Page, SiteFeed, newest
from .cards import ArticleCard, BrandCard, Cards, WorkerCard
from .topic import TopicCard, topic_cards
from .notice import NoticeCard, card as notice_card

HOME_LATEST = 12
SPOTLIGHT = 4

Families = tuple[tuple[str, tuple[BrandCard, ...]], ...]   # (owner, its brands), as the wall groups them


@dataclass(frozen=True)
class HomeData:
    lead: Optional[ArticleCard]
    latest: tuple[ArticleCard, ...]
    families: Families
    spotlight: tuple[WorkerCard, ...]
    focus: tuple[ArticleCard, ...] = ()      # the pinned articles after the lead (焦点)
    topics: tuple[TopicCard, ...] = ()       # active topics (专题)
    notices: tuple[NoticeCard, ...] = ()    # 通知公告: pinned first, then the newest (home_notices)
    service: tuple[ServiceLine, ...] = ()   # 服务热线 (site_config.yml's extra.service)


class HomeKind(Kind[HomeData]):
    name = "home"
    template = "home.html"
    order = 0

    def pages(self, graph: ContentGraph, cards: Cards) -> Iterator[Page[HomeData]]:
        # Pinned articles hold the lead slots; without any, the newest featured (or newest) leads.
        leads = pinned(graph.articles, graph.settings.build_time()) or ([graph.lead] if graph.lead else [])
        shown = {id(a) for a in leads}
        latest = [a for a in graph.articles if id(a) not in shown][:HOME_LATEST]
        data = HomeData(cards.article(leads[0]) if leads else None, cards.articles(latest), families(graph, cards),
                        tuple(map(cards.worker, spotlight_workers(graph))), cards.articles(leads[1:]),
                        tuple(c for c in topic_cards(graph) if c.active),
                        home_notices(graph), graph.settings.identity.service)
        yield self.page("index.md", "", graph.settings.site_name, data, description=graph.settings.site_description)

    def site_feeds(self, graph: ContentGraph) -> Iterator[SiteFeed]:
        yield SiteFeed(site_feed(graph.settings), "article", graph.articles)     # the site's latest articles

    def lastmod(self, page: Page[HomeData]) -> Optional[dt.datetime]:
        data = page.data
        return newest(((data.lead,) if data.lead else ()) + data.focus + data.latest)

    def head(self, page: Page[HomeData], s: Settings) -> KindHead:
        lead = page.data.lead
        return KindHead(jsonld=home_graph(s), preload=lead.image if lead is not None else "")


def families(graph: ContentGraph, cards: Cards) -> Families:
    return tuple((owner, tuple(map(cards.brand, brands))) for owner, brands in graph.brand_families())


def spotlight_workers(graph: ContentGraph) -> list[Worker]:
    """The workers most recently in the news, one each."""
    seen: list[Worker] = []
    for a in graph.articles:
        for w in a.workers:
            if w not in seen:
                seen.append(w)
        if len(seen) >= SPOTLIGHT:
            break
    return seen[:SPOTLIGHT]


KINDS = (HomeKind(),)


HOME_NOTICES = 6


def home_notices(graph: ContentGraph) -> tuple[NoticeCard, ...]:
    """The home page's 通知公告 block: as /notices/ begins (pinned first, then the newest)."""
    now = graph.settings.build_time()
    return tuple(notice_card(n, now) for n in graph.notices.listed[:HOME_NOTICES])
