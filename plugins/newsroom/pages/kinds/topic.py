"""Topics (专题): the index of topics (active ones, then 往期专题) and each topic's page."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterator, Optional

from ...content.graph_data import ContentGraph
from ...content.topics import TopicArticles
from ...core.model import Topic
from ...core.settings import Settings
from .base import Kind, KindHead, Page, logo_or, newest
from .cards import ArticleCard, Cards


@dataclass(frozen=True)
class TopicCard:
    """A topic as listings show it (/topics/, the home page, an article's foot)."""

    url: str
    title: str
    summary: str
    banner: str
    start: dt.datetime
    end: Optional[dt.datetime]
    active: bool


@dataclass(frozen=True)
class TopicSectionView:
    title: str
    cards: tuple[ArticleCard, ...]


@dataclass(frozen=True)
class TopicData:
    topic: TopicCard
    sections: tuple[TopicSectionView, ...]


@dataclass(frozen=True)
class TopicsData:
    active: tuple[TopicCard, ...]
    past: tuple[TopicCard, ...]      # 往期专题: over as of the build


@dataclass(frozen=True)
class TopicLink:
    """A topic as an article's foot shows it (所属专题): its title, linked. Not its card: a
    banner, summary or end date changed makes the topic's own pages again, not its articles'."""

    url: str
    title: str


def article_topics(graph: ContentGraph, src: str) -> tuple[TopicLink, ...]:
    """The topics the article ``src`` is in, as its page links them."""
    return tuple(TopicLink(t.url, t.title) for t in graph.topics_of.get(src, ()))


def topic_card(t: Topic, now: dt.datetime) -> TopicCard:
    return TopicCard(t.url, t.title, t.summary, t.banner, t.start, t.end, t.is_active(now))


def topic_cards(graph: ContentGraph) -> tuple[TopicCard, ...]:
    """Every topic shown, newest start first."""
    now = graph.settings.build_time()
    return tuple(topic_card(t.topic, now) for t in graph.topics)


class TopicsKind(Kind[TopicsData]):
    name = "topics"
    template = "topics.html"
    order = 2.5

    def pages(self, graph: ContentGraph, cards: Cards) -> Iterator[Page[TopicsData]]:
        shown = topic_cards(graph)
        if not shown:
            return      # no topics, no empty index (the tabs do not link it either)
        data = TopicsData(tuple(c for c in shown if c.active), tuple(c for c in shown if not c.active))
        yield self.page("topics/index.md", "topics/", "专题", data, description="专题报道一览")


class TopicKind(Kind[TopicData]):
    name = "topic"
    template = "topic.html"
    order = 2.6

    def pages(self, graph: ContentGraph, cards: Cards) -> Iterator[Page[TopicData]]:
        now = graph.settings.build_time()
        for filled in graph.topics:
            t = filled.topic
            yield self.page(t.src_uri, t.url, t.title, _data(filled, cards, now), t.body, t.summary)

    def sources(self, graph: ContentGraph) -> Iterator[str]:
        return (filled.topic.src_uri for filled in graph.topics)

    def lastmod(self, page: Page[TopicData]) -> Optional[dt.datetime]:
        return newest(c for s in page.data.sections for c in s.cards)

    def head(self, page: Page[TopicData], s: Settings) -> KindHead:
        banner = page.data.topic.banner
        return KindHead("website", logo_or(s, banner), preload=banner)


def _data(filled: TopicArticles, cards: Cards, now: dt.datetime) -> TopicData:
    return TopicData(topic_card(filled.topic, now),
                     tuple(TopicSectionView(section.title, cards.articles(listed))
                           for section, listed in filled.sections))


KINDS = (TopicsKind(), TopicKind())
