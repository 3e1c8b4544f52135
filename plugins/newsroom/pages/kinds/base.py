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
import math
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

@dataclass(frozen=True)
class Pager:
    """Where one page of a paginated list sits among its pages."""

    base_url: str                    # the first page's URL
    page: int
    pages: int
    total: int                       # articles on all pages

    def page_url(self, n: int) -> str:
        return self.base_url if n <= 1 else f"{self.base_url}page/{n}/"

    @property
    def url(self) -> str:
        return self.page_url(self.page)

    @property
    def prev_url(self) -> str:
        return self.page_url(self.page - 1) if self.page > 1 else ""

    @property
    def next_url(self) -> str:
        return self.page_url(self.page + 1) if self.page < self.pages else ""

    def numbers(self) -> tuple[int, ...]:
        """The page numbers the pager prints something for, in order: the first, the last,
        and those within 3 of this one (a number or the gap mark; partials/nr-ui.html).

        The macro looped over every number and printed nothing for the rest: at 500 news
        pages that loop was a third of rendering each of the 500 a new article shifts."""
        near = range(max(1, self.page - 3), min(self.pages, self.page + 3) + 1)
        return tuple(sorted({1, self.pages, *near})) if self.pages > 0 else ()

    def title(self, title: str) -> str:
        """The page's title: the list's, with its number after the first page."""
        return title if self.page == 1 else f"{title}（第{self.page}页）"


def paginate(base_url: str, cards: Sequence["ArticleCard"], per_page: int
             ) -> Iterator[tuple[Pager, tuple["ArticleCard", ...]]]:
    pages = max(1, math.ceil(len(cards) / per_page))
    for n in range(1, pages + 1):
        yield Pager(base_url, n, pages, len(cards)), tuple(cards[(n - 1) * per_page: n * per_page])


def pager_sources(base_url: str, total: int, per_page: int, first: str = "") -> Iterator[str]:
    """The sources of a paginated list's pages (``paginate``'s, from its length alone);
    ``first``: the first page's own source, if not ``src_for(base_url)``."""
    pages = max(1, math.ceil(total / per_page))
    for n in range(1, pages + 1):
        yield first if n == 1 and first else src_for(Pager(base_url, n, pages, total).url)


@functools.lru_cache(maxsize=1 << 16)
def src_for(url: str) -> str:
    """The virtual source of a generated page at ``url`` (memoized: the live preview asks
    for the same 5,000 on every save, most of them percent-encoded)."""
    return f"{unquote(url)}index.md" if url else "index.md"


def newest(cards: Iterable["ArticleCard"]) -> Optional[dt.datetime]:
    # The lastmod of 5,000 listing pages, on every save of the live preview (sitemaps): in C.
    return max(map(_MODIFIED, cards), default=None)


_MODIFIED = operator.attrgetter("modified")


__all__ = ["Page", "LazyPage", "Kind", "KindHead", "SiteFeed", "Pager", "paginate", "src_for", "newest"]
