"""Every page of the site as data: what it lists, where it lives, which template.

``site_pages(graph)`` yields one ``PageSpec`` per output page. The MkDocs
adapter turns each into a generated file; another engine could render them
the same way. Listing pages carry article *metadata* only: they never render
an article's body again.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Iterator, Optional, Sequence
from urllib.parse import unquote

from ..content.graph import ContentGraph
from ..core.model import Article, Brand, Worker
from ..core.feedrules import FeedRef, brand_feed, region_feed, worker_feed
from ..core.terms import TERM_BY_KIND, TERM_RULES
from ..core.urls import term_url
from .text import summary_of, summary_text

HOME_LATEST = 12
SPOTLIGHT = 4


@dataclass
class Listing:
    """One page of a paginated list of articles."""

    kind: str                        # news, year, brand, worker, tag, region, column
    title: str
    base_url: str                    # the first page's URL
    articles: Sequence[Article]      # this page's articles
    page: int = 1
    pages: int = 1
    total: int = 0
    entity: Optional[Brand | Worker] = None
    term: str = ""                   # the tag, region, column or year listed

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


@dataclass
class Term:
    name: str
    url: str
    count: int


@dataclass
class Home:
    lead: Optional[Article]
    latest: list[Article]
    families: list[tuple[str, list[Brand]]]
    spotlight: list[Worker]


@dataclass
class PageSpec:
    src_uri: str                     # the (virtual) source path under content/
    url: str                         # site-root-relative, ends with '/'
    template: str
    title: str
    kind: str
    data: object = None
    body: str = ""                   # Markdown to render ('' for listings)
    description: str = ""
    feeds: list[FeedRef] = field(default_factory=list)   # the page's own feeds (links in the head)




def paginate(kind: str, title: str, base_url: str, articles: Sequence[Article], per_page: int,
             entity: Optional[Brand | Worker] = None, term: str = "") -> list[Listing]:
    pages = max(1, math.ceil(len(articles) / per_page))
    return [Listing(kind, title, base_url, articles[(n - 1) * per_page: n * per_page], n, pages,
                    len(articles), entity, term) for n in range(1, pages + 1)]


def _src_for(url: str) -> str:
    return f"{unquote(url)}index.md" if url else "index.md"


# ---------------------------------------------------------------- summaries





















# ---------------------------------------------------------------- related







# ---------------------------------------------------------------- pages

def site_pages(graph: ContentGraph) -> Iterator[PageSpec]:
    """Every generated page of the site, derived from the graph alone."""
    yield home_page(graph)
    yield from article_pages(graph)
    yield from news_pages(graph)
    yield from brand_pages(graph)
    yield from worker_pages(graph)
    yield from term_pages(graph)
    yield PageSpec("search/index.md", "search/", "search.html", "搜索", "search",
                   description="搜索本站新闻、品牌与劳模工匠")


def free_page_spec(src_uri: str, url: str, title: str, meta: dict, body: str) -> PageSpec:
    """A free page (content/pages/) as a spec for its head metadata only: MkDocs lays it out.

    Its description is the front matter's ``description`` (MkDocs' and Material's own
    field), else its first paragraph, as an article's summary.
    """
    description = str(meta.get("description") or "").strip() or summary_text(body)
    return PageSpec(src_uri, url, "", title, "page", description=description)


def home_page(graph: ContentGraph) -> PageSpec:
    lead = graph.lead
    latest = [a for a in graph.articles if a is not lead][:HOME_LATEST]
    home = Home(lead, latest, graph.brand_families(), spotlight_workers(graph))
    return PageSpec("index.md", "", "home.html", graph.settings.site_name, "home", home,
                    description=graph.settings.site_description)


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


def article_pages(graph: ContentGraph) -> Iterator[PageSpec]:
    for a in graph.articles:
        yield article_page(graph, a)


def article_page(graph: ContentGraph, a: Article) -> PageSpec:
    feeds = [brand_feed(graph.settings, b) for b in a.brands]
    return PageSpec(a.src_uri, a.url, "article.html", a.title, "article", a, a.body,
                    summary_of(a), feeds)


def news_pages(graph: ContentGraph) -> Iterator[PageSpec]:
    per = graph.settings.per_page
    for listing in paginate("news", "新闻", "news/", graph.articles, per):
        yield _listing_spec(listing, "listing.html")
    for year, articles in graph.by_year.items():
        for listing in paginate("year", f"{year}年新闻", f"news/{year}/", articles, per, term=str(year)):
            yield _listing_spec(listing, "listing.html")


def _listing_spec(listing: Listing, template: str, body: str = "", src: str = "") -> PageSpec:
    title = listing.title if listing.page == 1 else f"{listing.title}（第{listing.page}页）"
    return PageSpec(src or _src_for(listing.url), listing.url, template, title, listing.kind, listing,
                    body, description=f"{listing.title}，共 {listing.total} 篇文章")


def _entity_pages(graph: ContentGraph, kind: str, entity: Brand | Worker, listed: list[Article],
                  description: str, feeds: list[FeedRef]) -> Iterator[PageSpec]:
    """A brand's or worker's pages: the showcase with page 1 of its articles, then the rest."""
    for listing in paginate(kind, entity.name, entity.url, listed, graph.settings.per_page, entity=entity):
        first = listing.page == 1
        spec = _listing_spec(listing, f"{kind}.html", entity.body if first else "",
                             entity.src_uri if first else "")
        spec.description = description or spec.description
        spec.feeds = list(feeds)
        yield spec


def brand_pages(graph: ContentGraph) -> Iterator[PageSpec]:
    yield PageSpec("brands/index.md", "brands/", "brands.html", "工会品牌", "brands",
                   graph.brand_families(), description="工会服务品牌一览")
    for brand in graph.brands.values():
        yield from _entity_pages(graph, "brand", brand, graph.by_brand[brand.id],
                                 brand.slogan or brand.attribute,
                                 [brand_feed(graph.settings, brand)])


def worker_pages(graph: ContentGraph) -> Iterator[PageSpec]:
    workers = sorted(graph.workers.values(), key=lambda w: (-len(graph.by_worker[w.id]), w.id))
    yield PageSpec("workers/index.md", "workers/", "workers.html", "劳模工匠", "workers", workers,
                   description="劳动模范与工匠人物档案")
    for worker in graph.workers.values():
        yield from _entity_pages(graph, "worker", worker, graph.by_worker[worker.id],
                                 "、".join(str(h) for h in worker.honors), [worker_feed(graph.settings, worker)])


def terms(graph: ContentGraph, kind: str) -> list[Term]:
    index = getattr(graph, TERM_BY_KIND[kind].index)
    return sorted((Term(name, term_url(kind, name), len(listed)) for name, listed in index.items()),
                  key=lambda t: (-t.count, t.name))


def term_pages(graph: ContentGraph) -> Iterator[PageSpec]:
    for rule in TERM_RULES:
        kind, label = rule.kind, rule.label
        yield PageSpec(f"{rule.folder}/index.md", f"{rule.folder}/", "terms.html", label, rule.index_kind,
                       terms(graph, kind), description=f"按{label}浏览文章")
        for name, articles in getattr(graph, rule.index).items():
            feeds = [region_feed(graph.settings, name)] if rule.has_feed else []
            for listing in paginate(kind, f"{label}：{name}", term_url(kind, name), articles,
                                    graph.settings.per_page, term=name):
                spec = _listing_spec(listing, "listing.html")
                spec.feeds = list(feeds)
                yield spec
