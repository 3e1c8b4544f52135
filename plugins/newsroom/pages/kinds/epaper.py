"""The print edition (数字报): /epaper/, each edition /epaper/<date>/ and each page /epaper/<date>/<n>/.

Every one of them shows a page: its image with the articles' areas as links (positioned
in percent, so they follow the image at any width), the list of its articles with
引题/主题/副题, the edition's pages, previous and next page and edition, and its PDF.
/epaper/ shows the newest edition's first page and the calendar of every edition (往期);
an edition's own URL opens on its first page.
"""
from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Iterator, Optional

from ...content.epaper import EpaperIndex
from ...content.graph_data import ContentGraph
from ...core.epaper import Edition, EditionPage
from ...core.feedrules import epaper_feed
from ...core.model import Article
from ...core.settings import Settings
from .base import Kind, KindHead, Page, SiteFeed, logo_or
from .cards import Cards

TITLE = "数字报"


@dataclass(frozen=True)
class PageLink:
    number: int
    name: str                        # 版名
    url: str


@dataclass(frozen=True)
class EditionLink:
    title: str                       # 《柯桥工人报》2021年12月28日 第318期
    url: str


@dataclass(frozen=True)
class AreaLink:
    """An article on the page: its link in the list, and over the image if it has an area."""

    url: str
    title: str
    kicker: str
    subtitle: str
    style: str                       # left/top/width/height in %; '' when it has no area


@dataclass(frozen=True)
class CalendarDay:
    day: int                         # 0: a blank before the first of the month
    url: str                         # the edition of that day, '' if none
    label: str                       # 2021年12月28日 第318期 (the link's name)
    current: bool


@dataclass(frozen=True)
class CalendarMonth:
    label: str                       # 2021年12月
    weeks: tuple[tuple[CalendarDay, ...], ...]


@dataclass(frozen=True)
class EpaperData:
    """What every epaper page shows; ``calendar`` is filled on /epaper/ only."""

    kind: str                        # epaper, edition, epaper_page
    paper: str
    number: Optional[int]
    date: dt.datetime                # the edition's day, 00:00 in the site's zone
    date_text: str                   # 2021年12月28日 星期二
    edition: EditionLink
    page: PageLink
    citation: str                    # 《柯桥工人报》2021年12月28日 第2版
    image: str                       # the scan's path under content/ (ui.image, slot "scan")
    full: str                        # 查看大图: the scan's widest rendition (photo_refs.PhotoSet.full_view)
    pdf: str
    articles: tuple[AreaLink, ...]
    pages: tuple[PageLink, ...]
    prev_page: Optional[PageLink]
    next_page: Optional[PageLink]
    prev_edition: Optional[EditionLink]    # the one before (older)
    next_edition: Optional[EditionLink]    # the one after (newer)
    calendar: tuple[CalendarMonth, ...] = ()


@dataclass(frozen=True)
class EditionEntry:
    """An edition as its feed lists it: the edition, and its day at 00:00 in the site's zone."""

    edition: Edition
    date: dt.datetime

    @property
    def url(self) -> str:
        return self.edition.url

    @property
    def modified(self) -> dt.datetime:
        return self.date


@dataclass(frozen=True)
class Citation:
    """见报 on an article: 《柯桥工人报》2021年12月28日 第2版, linking to that page."""

    text: str
    url: str
    edition: str = ""                # JSON-LD printEdition: 《柯桥工人报》2021年12月28日 第318期
    page: int = 0                    # printPage
    section: str = ""                # printSection: the 版名


def citation(index: EpaperIndex, article: Article) -> Optional[Citation]:
    found = index.placed.get(article.src_uri)
    if found is None:
        return None
    edition, page = found
    return Citation(edition.citation(page.number), edition.page_url(page.number), edition.title(), page.number,
                    page.name)


def _page_link(e: Edition, p: EditionPage) -> PageLink:
    return PageLink(p.number, p.name, e.page_url(p.number))


def _edition_link(e: Optional[Edition]) -> Optional[EditionLink]:
    return EditionLink(e.title(), e.url) if e is not None else None


SLOT = "scan"                        # photos.SLOTS: a raster scan's variants


def page_data(graph: ContentGraph, n: int, page: EditionPage, kind: str,
              months: tuple[CalendarMonth, ...] = ()) -> EpaperData:
    """Page ``page`` of the ``n``-th edition (newest first)."""
    index, s, photos = graph.epaper, graph.settings, graph.photos
    e = index.editions[n]
    at = e.pages.index(page)
    articles = tuple(AreaLink(p.article.url, p.article.title, p.article.kicker, p.article.subtitle,
                              p.area.css() if p.area else "")
                     for p in index.on_page.get((e.key, page.number), ()))
    return EpaperData(
        kind, e.paper, e.number, dt.datetime.combine(e.date, dt.time(), s.tz), f"{e.date_text} {e.weekday}", EditionLink(e.title(), e.url),
        _page_link(e, page), e.citation(page.number), page.image, photos.full_view(page.image, SLOT), page.pdf,
        articles,
        tuple(_page_link(e, p) for p in e.pages),
        _page_link(e, e.pages[at - 1]) if at > 0 else None,
        _page_link(e, e.pages[at + 1]) if at + 1 < len(e.pages) else None,
        _edition_link(index.editions[n + 1]) if n + 1 < len(index.editions) else None,
        _edition_link(index.editions[n - 1]) if n > 0 else None, months)


def calendar_months(editions: list[Edition], current: Optional[Edition]) -> tuple[CalendarMonth, ...]:
    """Every month that has an edition, newest first, as weeks from Monday."""
    by_day = {e.date: e for e in editions}
    months = sorted({(e.date.year, e.date.month) for e in editions}, reverse=True)
    out = []
    for year, month in months:
        weeks = []
        for week in calendar.Calendar().monthdayscalendar(year, month):
            days = []
            for day in week:
                e = by_day.get(dt.date(year, month, day)) if day else None
                label = e.title().split("》", 1)[1] if e else ""
                days.append(CalendarDay(day, e.url if e else "", label, e is current and e is not None))
            weeks.append(tuple(days))
        out.append(CalendarMonth(f"{year}年{month}月", tuple(weeks)))
    return tuple(out)


class EpaperKind(Kind[EpaperData]):
    """/epaper/: the newest edition's first page and the calendar (往期)."""

    name = "epaper"
    template = "epaper.html"
    order = 2.7

    def pages(self, graph: ContentGraph, cards: Cards) -> Iterator[Page[EpaperData]]:
        index = graph.epaper
        if not index.editions:
            return
        newest = index.editions[0]
        data = page_data(graph, 0, newest.pages[0], self.name, calendar_months(index.editions, newest))
        yield self.page("epaper/index.md", "epaper/", TITLE, data, description=f"{newest.title()}，往期报纸",
                        feeds=(epaper_feed(graph.settings),))

    def lastmod(self, page: Page[EpaperData]) -> Optional[dt.datetime]:
        return page.data.date

    def head(self, page: Page[EpaperData], s: Settings) -> KindHead:
        # A raster scan is the first screen's picture: preloaded in its slot (an SVG has none).
        raster = "" if page.data.image.endswith(".svg") else page.data.image
        return KindHead("website", logo_or(s, raster), preload=raster, preload_slot=SLOT)


class EditionKind(EpaperKind):
    """/epaper/<date>/: the edition, opening on its first page; the editions' feed."""

    name = "edition"
    order = 2.71

    def pages(self, graph: ContentGraph, cards: Cards) -> Iterator[Page[EpaperData]]:
        index, feeds = graph.epaper, (epaper_feed(graph.settings),)
        for n, e in enumerate(index.editions):
            data = page_data(graph, n, e.pages[0], self.name)
            yield self.page(f"{e.url}index.md", e.url, e.title(), data, description=_pages_text(e), feeds=feeds)

    def site_feeds(self, graph: ContentGraph) -> Iterator[SiteFeed]:
        """/epaper/feed.xml: one item per edition, newest first (outputs/epaper_feed.py makes them)."""
        editions = graph.epaper.editions
        if editions:
            tz = graph.settings.tz
            yield SiteFeed(epaper_feed(graph.settings), self.name,
                           [EditionEntry(e, dt.datetime.combine(e.date, dt.time(), tz)) for e in editions])


class EpaperPageKind(EpaperKind):
    """/epaper/<date>/<n>/: one page."""

    name = "epaper_page"
    order = 2.72

    def pages(self, graph: ContentGraph, cards: Cards) -> Iterator[Page[EpaperData]]:
        index, feeds = graph.epaper, (epaper_feed(graph.settings),)
        for n, e in enumerate(index.editions):
            for p in e.pages:
                data = page_data(graph, n, p, self.name)
                url = e.page_url(p.number)
                titles = "、".join(a.title for a in data.articles)
                yield self.page(f"{url}index.md", url, f"{e.citation(p.number)} {p.name}", data,
                                description=titles or _pages_text(e), feeds=feeds)


def _pages_text(e: Edition) -> str:
    return f"{e.title()}：" + "、".join(f"第{p.number}版 {p.name}" for p in e.pages)


KINDS = (EpaperKind(), EditionKind(), EpaperPageKind())
