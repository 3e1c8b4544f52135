"""What every page kind has: the ``Page`` it makes, and the ``Kind`` that makes it.

A kind (article, news listing, brand, ...) is a class in its own module of this
package. It owns its template, which pages it makes and where (``pages``), their
typed data (a frozen dataclass, the only thing its template reads besides pure
helpers), their sitemap date (``lastmod``) and their head metadata (``head``).
The live preview's digest of a page is a fingerprint of that data (digest.py),
so what a page shows and what makes it render again cannot drift apart.
"""
from __future__ import annotations

import datetime as dt
import functools
import operator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Iterable, Iterator, Optional, Sequence, TypeVar
from urllib.parse import unquote

from ...core.feedrules import FeedRef
from ...core.settings import Settings
from ...core.urls import abs_url, publisher_logo

if TYPE_CHECKING:
    from ...content.graph_data import ContentGraph
    from .cards import ArticleCard, Cards

D = TypeVar("D")
T = TypeVar("T")

@dataclass(frozen=True)
class Page(Generic[D]):
    """One generated page, as its template receives it (``spec``; its data as ``data``)."""

    maker: "Kind"                    # the kind that made it (its rules: template, head, lastmod)
    kind: str                        # the kind's name, as templates test it: article, news, tag, tags ...
    src_uri: str                     # the (virtual) source path under content/
    url: str                         # site-root-relative, ends with '/'
    title: str
    data: D
    body: str = ""                   # Markdown to render ('' for listings)
    description: str = ""
    feeds: tuple[FeedRef, ...] = ()  # the page's own feeds (links in its head)

    @property
    def template(self) -> str:
        return self.maker.template


class LazyPage(Page[D]):
    """A page whose data is made when something first reads it (``make``), and whose
    stable digest is known without it (``known_digest``: a warm build's, kinds/kept.py).

    A warm build links most article pages from the published site: nothing reads their
    data (their digest is known, sitemaps ask ``Kind.lastmod`` for ``lastmod``). A page
    it renders after all (its published file did not verify) reads its data as any other.

    A warm build's listing pages (kinds/listing.py, entity.py) have no known digest but a
    ``stand_in``: their data with each article card as the card's mark (kinds/kept.py:
    its article's fingerprint), which pages/digest.stable_digests fingerprints as it would
    the data (a mark is what the card's fingerprint is): their digest without their cards."""

    def __init__(self, maker: "Kind", kind: str, src_uri: str, url: str, title: str, make: Any,
                 body: str, description: Any, feeds: Iterable[FeedRef], known_digest: str,
                 lastmod: Any, stand_in: Any = None) -> None:
        object.__setattr__(self, "_make", make)
        object.__setattr__(self, "known_digest", known_digest)
        object.__setattr__(self, "_lastmod", lastmod)
        object.__setattr__(self, "stand_in", stand_in)
        super().__init__(maker, kind, src_uri, url, title, None, body, description, tuple(feeds))

    @property  # type: ignore[override]
    def data(self) -> D:
        made = self.__dict__.get("_data")
        if made is None:
            made = self._make()
            object.__setattr__(self, "_data", made)
        return made

    @data.setter
    def data(self, value: D) -> None:
        if value is not None:
            object.__setattr__(self, "_data", value)

    @property  # type: ignore[override]
    def description(self) -> str:
        """Given, or made when first read (an article's summary: its first paragraph parsed, for
        10,000 pages of which a warm build renders a few)."""
        found = self.__dict__["_description"]
        if callable(found):
            found = found()
            object.__setattr__(self, "_description", found)
        return found

    @description.setter
    def description(self, value: Any) -> None:
        object.__setattr__(self, "_description", value)

    @property
    def lastmod(self) -> Optional[dt.datetime]:
        """The sitemap's date; a listing's is taken when asked (``newest`` of its articles:
        4,900 pages' aware datetimes compared, which the sitemap does after rendering)."""
        when = self.__dict__["_lastmod"]
        return when() if callable(when) else when

    @property
    def made(self) -> bool:
        return self.__dict__.get("_data") is not None


@dataclass(frozen=True)
class SiteFeed:
    """A feed a kind produces (outputs/feeds.py writes it as RSS and JSON Feed): where it
    lives and what it is called (``ref``), and its entries, newest first, all of one entity
    kind (``kind``: the schema its items are made from, or the kind of an item maker in
    outputs/feeds.ITEM_MAKERS). Drafts are left out when written."""

    ref: FeedRef
    kind: str                        # article, notice …: a key of core/model.SCHEMAS; edition
    entries: Sequence[Any]


@dataclass(frozen=True)
class KindHead:
    """What a kind adds to a page's head (outputs/seo.py puts the common parts around it)."""

    og_type: str = "website"
    image: str = ""                  # absolute; '' for the publisher's logo
    meta: tuple[tuple[str, str], ...] = ()   # further Open Graph properties, after og:image
    jsonld: Any = None               # the JSON-LD object, or None
    preload: str = ""                # site path of the photo in the first screen (lead), if any
    preload_slot: str = "lead"       # the photo slot whose variants that photo is shown in


class Kind(Generic[D]):
    """A kind of page. Subclasses set the class variables and make their pages."""

    name: ClassVar[str]
    template: ClassVar[str] = ""
    order: float = 0.0               # site_pages' order (and so sitemap.xml's)
    in_sitemap: ClassVar[bool] = True
    keeps_html: ClassVar[bool] = False   # its rendered body is kept (feeds carry articles' HTML)

    def pages(self, graph: "ContentGraph", cards: "Cards") -> Iterator[Page[D]]:
        return iter(())

    def lastmod(self, page: Page[D]) -> Optional[dt.datetime]:
        return None

    def sources(self, graph: "ContentGraph") -> Optional[Iterable[str]]:
        """The sources (``Page.src_uri``) of the pages it makes, without making them:
        ``newsroom check`` needs to know which menu entries will exist. None: make the
        pages to know (cheap kinds); a kind with many pages says it from the graph."""
        return None

    def site_feeds(self, graph: "ContentGraph") -> Iterator[SiteFeed]:
        """The feeds this kind's pages follow (their ``Page.feeds`` link them)."""
        return iter(())

    def head(self, page: Page[D], s: Settings) -> KindHead:
        return KindHead()

    def page(self, src_uri: str, url: str, title: str, data: D, body: str = "", description: str = "",
             feeds: Iterable[FeedRef] = (), kind: str = "") -> Page[D]:
        return Page(self, kind or self.name, src_uri, url, title, data, body, description, tuple(feeds))


def logo_or(s: Settings, url: str) -> str:
    """An absolute image URL for og:image: ``url`` if the page has one, else the publisher's logo."""
    return abs_url(s, url) if url else publisher_logo(s)


# ---------------------------------------------------------------- pagination
#
# Page numbers count from the oldest (docs/architecture.md, "Pagination"): page k
# (``<base>page/k/``) holds the k-th ``per_page`` items counted from the oldest, newest first
# within the page, and keeps them when new ones are published; the front (``<base>``) holds
# the newest, between per_page and 2 * per_page - 1 of them (its remainder plus the top full
# chunk), so no page is short. A numbered page's data names nothing that depends on the
# list's length (no total, no page count): publishing an article changes the front and, every
# per_page-th article, the new top page and the pages within 4 of it. A warm build keeps the
# other pages by their unchanged digests (digest.py, kept.py) instead of rendering them all.

NEAR = 3                             # the pager names the page numbers within 3 of its own


@dataclass(frozen=True)
class Pager:
    """Where one page of a paginated list sits: the front (``page`` 0) or page k ≥ 1."""

    base_url: str                    # the front's URL
    page: int                        # 0: the front; k: <base_url>page/k/, the k-th chunk from the oldest
    upto: int                        # the highest page number it names: the front's, the top page
                                     # (0: the list has one page); page k's, min(top, k + 4):
                                     # one beyond its near numbers, so it knows a gap is above them
    total: int = 0                   # the front's: items in the whole list (0 on numbered pages)

    @property
    def front(self) -> bool:
        return self.page == 0

    @property
    def paged(self) -> bool:
        """The list has numbered pages (the pager shows)."""
        return self.upto > 0

    def page_url(self, n: int) -> str:
        return self.base_url if n <= 0 else f"{self.base_url}page/{n}/"

    @property
    def url(self) -> str:
        return self.page_url(self.page)

    @property
    def newer_url(self) -> str:
        """较新: the page above (the front above the top page); none on the front."""
        if self.front:
            return ""
        return self.base_url if self.page == self.upto else self.page_url(self.page + 1)

    @property
    def older_url(self) -> str:
        """较早: the page below (the top page below the front); none on page 1 or a single page."""
        below = self.upto if self.front else self.page - 1
        return self.page_url(below) if below > 0 else ""

    def numbers(self) -> tuple[int, ...]:
        """The page numbers the pager links, newest first: those within 3 of this page (the
        front counts as the page above the top) and page 1; never the top page from a page
        far below it, whose number grows with the list."""
        if not self.paged:
            return ()
        here = self.upto + 1 if self.front else self.page
        near = range(min(self.upto, here + NEAR), max(1, here - NEAR) - 1, -1)
        return tuple(near) if near[-1] == 1 else (*near, 1)

    def gap_above(self) -> bool:
        """Numbers left out between the front (最新) and the near ones (the pager's "…")."""
        return not self.front and self.upto > self.page + NEAR

    def gap(self) -> bool:
        """Numbers left out between the near ones and page 1 (the pager's "…")."""
        found = self.numbers()
        return len(found) > 1 and found[-2] > 2

    def title(self, title: str) -> str:
        """The page's title: the list's, with its number on a numbered page."""
        return title if self.front else f"{title}（第{self.page}页）"

    def description(self, title: str, unit: str = "篇文章") -> str:
        """The front's: the list's size; a numbered page's: its number (no size: it would
        change the page with every new item)."""
        return f"{title}，共 {self.total} {unit}" if self.front else f"{title}，第 {self.page} 页"


def page_slices(base_url: str, total: int, per_page: int) -> Iterator[tuple[Pager, slice]]:
    """Each page of a list of ``total`` items, newest first, with the slice of the list it
    shows: the front, then the numbered pages from the top down to page 1."""
    top = max(total // per_page - 1, 0)
    front = total - top * per_page
    yield Pager(base_url, 0, top, total), slice(0, front)
    for k in range(top, 0, -1):
        yield Pager(base_url, k, min(top, k + NEAR + 1)), slice(total - k * per_page, total - (k - 1) * per_page)


def paginate(base_url: str, cards: Sequence[T], per_page: int) -> Iterator[tuple[Pager, tuple[T, ...]]]:
    for pager, at in page_slices(base_url, len(cards), per_page):
        yield pager, tuple(cards[at])


def pager_sources(base_url: str, total: int, per_page: int, first: str = "") -> Iterator[str]:
    """The sources of a paginated list's pages (``paginate``'s, from its length alone);
    ``first``: the front's own source, if not ``src_for(base_url)``."""
    for pager, _ in page_slices(base_url, total, per_page):
        yield first if pager.front and first else src_for(pager.url)


@functools.lru_cache(maxsize=1 << 16)
def src_for(url: str) -> str:
    """The virtual source of a generated page at ``url`` (memoized: the live preview asks
    for the same 5,000 on every save, most of them percent-encoded)."""
    return f"{unquote(url)}index.md" if url else "index.md"


def newest(cards: Iterable["ArticleCard"]) -> Optional[dt.datetime]:
    # The lastmod of 5,000 listing pages, on every save of the live preview (sitemaps): in C.
    return max(map(_MODIFIED, cards), default=None)


_MODIFIED = operator.attrgetter("modified")


__all__ = ["Page", "LazyPage", "Kind", "KindHead", "SiteFeed", "Pager", "page_slices", "paginate", "pager_sources", "src_for", "newest"]
