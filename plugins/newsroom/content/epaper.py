"""The print edition in the graph: every edition loaded, and each article placed on its page.

The graph calls ``load_epaper`` once its articles are read: editions come from
content/epaper/ (editions.py), then each article's ``print:`` must name an edition
and a page that exist; two published articles whose areas cover the same spot of a
page are a warning (the reader could not click one of them).
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Iterable, Optional

from ..core.epaper import Edition, EditionPage
from ..core.model import Article
from ..core.settings import Settings
from ..core.print_ref import Area
from ..core.problems import WARNING, Problem, short
from .editions import EDITION_FILE, EditionFiles, read_edition
from .load import is_scratch_file
from .safety import Listing

FOLDER = "epaper"


@dataclass(frozen=True)
class Placed:
    """An article on a page: where it stood (``area`` None: listed, not drawn)."""

    article: Article
    area: Optional[Area]


@dataclass
class EpaperIndex:
    """The editions the site publishes, newest first, and the articles on each page."""

    editions: list[Edition] = field(default_factory=list)
    on_page: dict[tuple[str, int], list[Placed]] = field(default_factory=dict)   # (date, page) -> articles
    placed: dict[str, tuple[Edition, EditionPage]] = field(default_factory=dict)  # article src_uri -> its page
    sections: dict[str, str] = field(default_factory=dict)      # article URL -> 版名 of its page

    def page_names(self) -> list[str]:
        """Every 版名, in the order pages are numbered (search's filter)."""
        seen: dict[str, int] = {}
        for e in self.editions:
            for p in e.pages:
                seen.setdefault(p.name, p.number)
        return sorted(seen, key=lambda name: (seen[name], name))

    def section_of(self, url: str) -> str:
        """The 版名 of the page the article at ``url`` appeared on ('' if none): search's filter."""
        return self.sections.get(url, "")


def load_epaper(listing: Listing, files: EditionFiles, settings: Settings, candidates: Iterable[Article],
                published: Iterable[Article], problems: list[Problem]) -> EpaperIndex:
    editions = _editions(listing, files, settings, problems)
    by_date = {e.key: e for e in editions}
    shown = {e.key for e in editions if _is_public(e, settings)}
    index = EpaperIndex([e for e in editions if e.key in shown])
    public = {a.src_uri for a in published}
    for article in candidates:
        ref = article.print_ref
        if ref is None:
            continue
        edition = by_date.get(ref.edition)
        if edition is None:
            problems.append(_no_edition(article, ref.edition, ref.edition_line, by_date))
            continue
        page = edition.page(ref.page)
        if page is None:
            problems.append(_no_page(article, edition, ref.page, ref.page_line))
            continue
        if article.src_uri in public and edition.key in shown:
            index.placed[article.src_uri] = (edition, page)
            index.sections[article.url] = page.name
            index.on_page.setdefault((edition.key, page.number), []).append(Placed(article, ref.area))
    for placed in index.on_page.values():
        placed.sort(key=_reading_order)
        problems.extend(_overlaps(placed))
    return index


def _editions(listing: Listing, files: EditionFiles, settings: Settings, problems: list[Problem]) -> list[Edition]:
    found: dict[str, Edition] = {}
    for rel, names in listing.walk(FOLDER):
        if EDITION_FILE not in names or is_scratch_file(rel.rpartition("/")[2]):
            continue
        edition = read_edition(listing.top / rel / EDITION_FILE, listing.display(f"{rel}/{EDITION_FILE}"), rel,
                               settings, files, problems)
        if edition is None:
            continue
        other = found.get(edition.key)
        if other is not None:
            problems.append(Problem(edition.source.path, edition.source.line_of("date"),
                                    f"两期报纸的日期都是 {edition.key}（另一期是 {other.source.path}）",
                                    "一天只能有一期：请改正其中一期的 date，或把两期合成一个 edition.yml"))
            continue
        found[edition.key] = edition
    return sorted(found.values(), key=lambda e: e.date, reverse=True)


def _is_public(edition: Edition, settings: Settings) -> bool:
    """An edition dated after the build's day waits, like a scheduled article."""
    return settings.include_drafts or edition.date <= settings.build_time().date()


def _reading_order(p: Placed) -> tuple:
    a = p.area
    return (a is None, round(a.y) if a else 0, a.x if a else 0, p.article.title)


def _overlaps(placed: list[Placed]) -> list[Problem]:
    out = []
    drawn = [p for p in placed if p.area is not None]
    for n, later in enumerate(drawn):
        for earlier in drawn[:n]:
            if later.area.overlaps(earlier.area):        # type: ignore[union-attr]
                ref = later.article.print_ref
                out.append(Problem(later.article.source.path, ref.area_line if ref else 1,
                                   f"区域与《{short(earlier.article.title)}》（{earlier.article.source.path}）在版面上重叠",
                                   "重叠处只能点到其中一篇：请按版面图改正两篇的 area", WARNING))
    return out


def _no_edition(article: Article, day: str, line: int, by_date: dict[str, Edition]) -> Problem:
    near = difflib.get_close_matches(day, list(by_date), 1, 0.6)
    hint = f"是不是 {near[0]}？" if near else "先在 content/epaper/ 下新建这一期：newsroom new edition " + day
    return Problem(article.source.path, line, f"见报日期 {day} 没有这一期报纸（content/epaper/{day}/edition.yml）", hint)


def _no_page(article: Article, edition: Edition, number: int, line: int) -> Problem:
    pages = "、".join(f"第{p.number}版 {p.name}" for p in edition.pages)
    return Problem(article.source.path, line, f"{edition.key} 这一期没有第{number}版",
                   f"这一期的版面：{pages}（{edition.source.path}）")
