"""What brand and worker pages share: a profile on the front page, then their articles, paginated."""
from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Generic, Iterable, Iterator, Optional, Sequence, TypeVar

from ...core.feedrules import FeedRef
from ...core.model import Article
from ..charts import Activity
from .base import Kind, LazyPage, Page, Pager, newest, page_slices, pager_sources, paginate, src_for
from .cards import ArticleCard, Cards
from .listing import listed_marks

V = TypeVar("V")


@dataclass(frozen=True)
class EntityData(Generic[V]):
    entity: V                        # BrandView or WorkerView
    pager: Pager
    cards: tuple[ArticleCard, ...]   # this page's articles
    activity: Optional[Activity] = None   # a brand's activity chart (page 1), else None


class EntityKind(Kind[EntityData[V]]):
    """Brand and worker pages: the front at the entity's URL, with its body; the older articles under page/N/ (numbered from the oldest)."""

    def entity_pages(self, cards: Cards, entity, view: V, listed: Sequence[Article], per_page: int,
                     description: str, feed: FeedRef, activity: Optional[Activity] = None) -> Iterator[Page[EntityData[V]]]:
        marks = listed_marks(cards, listed)
        if marks is not None:       # a warm build: pages made only if read, digests from the marks
            for pager, at in page_slices(entity.url, len(listed), per_page):
                first, articles = pager.front, listed[at]
                stand_in = EntityData(view, pager, marks[at], activity if first else None)
                yield LazyPage(self, self.name, entity.src_uri if first else src_for(pager.url), pager.url,
                               pager.title(entity.name),
                               functools.partial(self._data, cards, view, pager, articles, activity if first else None),
                               entity.body if first else "", description or pager.description(entity.name),
                               (feed,), "", functools.partial(newest, articles), stand_in)
            return
        for pager, listed_cards in paginate(entity.url, cards.articles(listed), per_page):
            first = pager.front
            data = EntityData(view, pager, listed_cards, activity if first else None)
            yield self.page(entity.src_uri if first else src_for(pager.url), pager.url, pager.title(entity.name),
                            data, entity.body if first else "", description or pager.description(entity.name), [feed])

    @staticmethod
    def _data(cards: Cards, view: V, pager: Pager, listed: Sequence[Article],
              activity: Optional[Activity]) -> EntityData[V]:
        return EntityData(view, pager, cards.articles(listed), activity)

    def entity_sources(self, entities: Iterable, listed: dict[str, list[Article]], per_page: int) -> Iterator[str]:
        """The sources of ``entity_pages``' pages, from how many articles each entity has."""
        for entity in entities:
            yield from pager_sources(entity.url, len(listed[entity.id]), per_page, entity.src_uri)

    def lastmod(self, page: Page[EntityData[V]]) -> Optional[dt.datetime]:
        return page.lastmod if isinstance(page, LazyPage) else newest(page.data.cards)

