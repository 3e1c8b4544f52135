"""The article page: the story, its bylines and terms, related articles."""
from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Iterator, NamedTuple, Optional

from ...content.graph_data import ContentGraph
from ...core import dates
from ...core.media import Video
from ...core.model import Article, GalleryPhoto
from ...core.settings import Settings
from ...core.urls import abs_url, term_url
from ..jsonld import news_article
from ..reading_on import ColumnNeighbours
from ..text import reading_minutes, summary_of
from .base import Kind, KindHead, LazyPage, Page, logo_or
from .cards import ArticleCard, BrandLink, Cards, TermLink, WorkerCard
from .epaper import Citation, citation
from .kept import Known
from .notice import size_text
from .topic import TopicLink, article_topics
from .unchanged import Diff, seen, unchanged


@dataclass(frozen=True)
class VideoView:
    """The article's video (core/media.Video) with what its download link says."""

    file: Video
    size_text: str                  # 8.3 KB
    length: str                     # 0:04, '' if unknown


def video_view(video: Optional[Video]) -> Optional[VideoView]:
    if video is None:
        return None
    minutes, seconds = divmod(round(video.seconds), 60)
    return VideoView(video, size_text(video.size), f"{minutes}:{seconds:02d}" if video.seconds > 0 else "")


@dataclass(frozen=True)
class ArticleView:
    """Everything the article page and its head show of one article."""

    url: str
    title: str
    kicker: str
    subtitle: str
    reporters: tuple[str, ...]
    correspondents: tuple[str, ...]
    dateline: str
    date: dt.datetime
    updated: Optional[dt.datetime]
    modified: dt.datetime
    region: Optional[TermLink]
    column: Optional[TermLink]
    tags: tuple[TermLink, ...]
    image: str
    image_caption: str
    image_credit: str
    summary: str
    brands: tuple[BrandLink, ...]
    workers: tuple[WorkerCard, ...]
    reading_minutes: int
    related: tuple[ArticleCard, ...]
    topics: tuple[TopicLink, ...] = ()       # the topics (专题) it is in
    prev: Optional[ArticleCard] = None       # 上一篇 / 下一篇 in its column
    next: Optional[ArticleCard] = None
    printed: Optional[Citation] = None       # 见报: the print page it appeared on
    gallery: tuple[GalleryPhoto, ...] = ()   # 图集
    video: Optional["VideoView"] = None      # self-hosted, played with the browser's own controls


class ArticleKind(Kind[ArticleView]):
    name = "article"
    template = "article.html"
    order = 1
    keeps_html = True

    def pages(self, graph: ContentGraph, cards: Cards) -> Iterator[Page[ArticleView]]:
        neighbours = ColumnNeighbours(graph)
        known: Optional[Known] = cards.known  # type: ignore[assignment]
        if known is None:
            # The live preview: pages whose inputs this save cannot have changed are the last ones.
            after = seen(graph)
            diff = unchanged(cards.memo.seen, after)
            cards.memo.seen = after
        else:       # a warm build: one snapshot, no next save to compare with (0.02 CPU-s at 10k)
            diff, cards.memo.seen = Diff(set(), set()), None
        cards.same_cards = diff.cards
        for a in graph.articles:
            kept = cards.carried(a.src_uri) if a.src_uri in diff.pages else None
            if kept is not None:
                yield kept
                continue
            digest = known.digests.get(a.src_uri) if known is not None else None
            if digest is not None:         # a warm build: the last build's page, made if read
                yield LazyPage(self, self.name, a.src_uri, a.url, a.title,
                               functools.partial(self._made, graph, cards, neighbours, a), a.body,
                               functools.partial(summary_of, a), map(cards.brand_feed, a.brands), digest,
                               a.modified)
                continue
            yield self._page(graph, cards, neighbours, a)

    def _made(self, graph: ContentGraph, cards: Cards, neighbours: ColumnNeighbours, a: Article) -> ArticleView:
        return self._page(graph, cards, neighbours, a).data

    def _page(self, graph: ContentGraph, cards: Cards, neighbours: ColumnNeighbours, a: Article) -> Page[ArticleView]:
        topics = tuple(map(cards.keep, article_topics(graph, a.src_uri)))
        prev, next = (cards.article(n) if n else None for n in neighbours.of(a))
        shown = Shown(cards.term("region", a.region), cards.term("column", a.column),
                      tuple(cards.keep(TermLink(t, term_url("tag", t))) for t in a.tags),
                      tuple(map(cards.brand_link, a.brands)), tuple(map(cards.worker, a.workers)),
                      cards.related(a), topics, prev, next,
                      cards.keep(citation(graph.epaper, a)))
        feeds = tuple(map(cards.brand_feed, a.brands))
        # Everything the page is made of, as kept objects (equal is the same object): the
        # article (an unchanged file parses to the same one), what it shows of others, its
        # feeds. Tuples are flattened with their lengths (small ints are unique objects).
        inputs = (a, *_flat(shown), len(feeds), *feeds)
        return cards.reused(a.src_uri, inputs, lambda: self.page(
            a.src_uri, a.url, a.title, view(a, shown), a.body, summary_of(a), feeds))

    def sources(self, graph: ContentGraph) -> Iterator[str]:
        return (a.src_uri for a in graph.articles)

    def lastmod(self, page: Page[ArticleView]) -> Optional[dt.datetime]:
        return page.lastmod if isinstance(page, LazyPage) else page.data.modified

    def head(self, page: Page[ArticleView], s: Settings) -> KindHead:
        a = page.data
        meta = [("article:published_time", dates.iso(a.date)), ("article:modified_time", dates.iso(a.modified))]
        if a.column:
            meta.append(("article:section", a.column.name))
        meta.extend(("article:tag", t.name) for t in a.tags)
        video = a.video.file if a.video else None
        if video:
            meta += [("og:video", abs_url(s, video.src)), ("og:video:type", video.type)]
            if video.width and video.height:
                meta += [("og:video:width", str(video.width)), ("og:video:height", str(video.height))]
        return KindHead("article", logo_or(s, a.image or (video.poster if video else "")), tuple(meta),
                        news_article(s, a), a.image)


class Shown(NamedTuple):
    """What an article page shows of other entities: cards and links, kept (``Cards.keep``)."""

    region: Optional[TermLink]
    column: Optional[TermLink]
    tags: tuple[TermLink, ...]
    brands: tuple[BrandLink, ...]
    workers: tuple[WorkerCard, ...]
    related: tuple[ArticleCard, ...]
    topics: tuple[TopicLink, ...] = ()
    prev: Optional[ArticleCard] = None
    next: Optional[ArticleCard] = None
    printed: Optional[Citation] = None


def _flat(shown: Shown) -> Iterator[object]:
    for part in shown:
        if type(part) is tuple:
            yield len(part)
            yield from part
        else:
            yield part


def view(a: Article, shown: Shown) -> ArticleView:
    return ArticleView(
        a.url, a.title, a.kicker, a.subtitle, tuple(a.reporters), tuple(a.correspondents), a.dateline,
        a.date, a.updated, a.modified, shown.region, shown.column, shown.tags,
        a.image, a.image_caption, a.image_credit, summary_of(a), shown.brands, shown.workers,
        reading_minutes(a), shown.related, shown.topics, shown.prev, shown.next, shown.printed,
        tuple(a.gallery), video_view(a.video_file))


KINDS = (ArticleKind(),)
