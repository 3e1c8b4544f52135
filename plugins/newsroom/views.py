"""Every page of the site as data: what it lists, where it lives, which template.

``site_pages(graph)`` yields one ``PageSpec`` per output page. The MkDocs
adapter turns each into a generated file; another engine could render them
the same way. Listing pages carry article *metadata* only: they never render
an article's body again.
"""
from __future__ import annotations

import heapq
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from html.parser import HTMLParser
from typing import Iterator, Optional, Sequence
from urllib.parse import quote, unquote

import markdown

from . import names
from .graph import ContentGraph
from .model import Article, Brand, Worker
from .sanitize import clean_html

HOME_LATEST = 12
SPOTLIGHT = 4
RELATED = 5


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
    feeds: list[tuple[str, str]] = field(default_factory=list)   # (title, url) alternates


def term_url(kind: str, name: str) -> str:
    """Percent-encoded, as MkDocs writes every URL: tags/%E5%BF%97.../

    The segment is ``names.term_segment``; the validator reports names that have no
    safe one, so one reaching here is a bug: it stops rather than write outside tags/.
    """
    folder = names.TERM_FOLDERS[kind][0]
    problem = names.term_problem(name)
    if problem:
        raise ValueError(f"unsafe {kind} name {name!r} reached the views: {problem}")
    return f"{folder}/{quote(names.term_segment(name))}/"


def paginate(kind: str, title: str, base_url: str, articles: Sequence[Article], per_page: int,
             entity: Optional[Brand | Worker] = None, term: str = "") -> list[Listing]:
    pages = max(1, math.ceil(len(articles) / per_page))
    return [Listing(kind, title, base_url, articles[(n - 1) * per_page: n * per_page], n, pages,
                    len(articles), entity, term) for n in range(1, pages + 1)]


def _src_for(url: str) -> str:
    return f"{unquote(url)}index.md" if url else "index.md"


# ---------------------------------------------------------------- summaries

# The site's extensions (site_config.yml) that change what a block is or which of its
# characters are text; toc and body image sizes change neither.
_SUMMARY_EXTENSIONS = ("attr_list", "tables", "footnotes", "admonition", "md_in_html")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
# A block without any of these characters (and not indented) is a paragraph that Markdown
# leaves as it is: most ledes are, and they skip the converter (10,000 articles per build).
_MARKUP = re.compile(r"[\\`*_{}\[\]<>#+\-.!|=&]")
# Link or footnote definitions anywhere in the body (even in a list) change how a "[" in
# the lede renders: a "]:" anywhere may be one.
_DEFINITION = re.compile(r"\]:")
# Raw HTML at the start of a line may be a block that a later block closes.
_HTML_BLOCK = re.compile(r"^[ \t]*<", re.MULTILINE)
# Paragraphs in these are not the article's own flow: quotes, lists, tables, figures.
_NOT_FLOW = frozenset({"blockquote", "li", "dl", "table", "pre", "figure", "details", "aside", "nav"})
_NOT_FLOW_CLASSES = ("admonition", "footnote")
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                   "source", "track", "wbr"})


def _outside_flow(tag: str, attrs: list[tuple[str, Optional[str]]]) -> bool:
    classes = dict(attrs).get("class") or ""
    return tag in _NOT_FLOW or any(c in classes for c in _NOT_FLOW_CLASSES)


class _FirstParagraph(HTMLParser):
    """The text of the first <p> with text that is not in a quote, list, table or note."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[tuple[str, bool]] = []   # (tag, whether it leaves the article's flow)
        self.parts: list[str] = []
        self.in_p = False
        self.skip = 0                            # depth inside footnote references
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, Optional[str]]]) -> None:
        if self.text:
            return
        if tag in ("br", "wbr"):
            self.parts.append(" ")
        if tag in _VOID:
            return
        if tag == "p" and not self.in_p and not any(out for _, out in self.open):
            self.in_p, self.parts = True, []
        if self.in_p and tag == "sup" and (dict(attrs).get("id") or "").startswith("fnref"):
            self.skip += 1
        self.open.append((tag, _outside_flow(tag, attrs)))

    def handle_endtag(self, tag: str) -> None:
        if self.text or not any(t == tag for t, _ in self.open):
            return  # stray end tag in raw HTML
        while self.open:
            t, _ = self.open.pop()
            if t == "sup" and self.skip:
                self.skip -= 1
            if t == tag:
                break
        if tag == "p" and self.in_p:
            self.in_p = False
            self.text = " ".join("".join(self.parts).split())

    def handle_data(self, data: str) -> None:
        if self.in_p and not self.skip and not self.text:
            self.parts.append(data)


@lru_cache(maxsize=1)
def _summary_markdown() -> markdown.Markdown:
    # One converter, reset per use: building one costs more than converting a lede.
    # Pages are built in one thread, so it is never used by two at once.
    return markdown.Markdown(extensions=list(_SUMMARY_EXTENSIONS))


def _paragraph_text(markdown_text: str) -> str:
    """The first paragraph of some Markdown as plain text, '' if it has none."""
    md = _summary_markdown()
    md.reset()
    parser = _FirstParagraph()
    try:
        parser.feed(clean_html(md.convert(markdown_text)))   # as the page shows it: no script text
        parser.close()
    except AssertionError:  # Python < 3.13 gives up on raw HTML like "<![x"; keep what came before
        pass
    return parser.text


def _needs_whole_body(prefix: str, body: str) -> bool:
    """Whether later blocks may change how ``prefix`` renders.

    A block of raw HTML (a tag at the start of a line) may end in a later block; a "["
    may be a reference to a link or footnote defined further down.
    """
    return (_HTML_BLOCK.search(prefix) is not None
            or ("[" in prefix and _DEFINITION.search(body) is not None))


@lru_cache(maxsize=None)
def _first_paragraph(body: str) -> str:
    """The body's first paragraph as plain text: what Markdown makes of it, tags stripped.

    Markdown decides what is a paragraph (a lede "2021 年……" is one, "1. ……" is a list)
    and an HTML parser takes the text. Blocks end at blank lines and, but for raw HTML and
    definitions, what follows cannot change them: only the blocks up to the first paragraph
    are converted, in prefixes that double in length.
    """
    # The leading "\n" makes blank lines before the first block a separator too.
    blocks = [b for b in _BLANK_LINE.split("\n" + body) if b.strip()]
    if not blocks:
        return ""
    first = blocks[0]
    if not first[0].isspace() and not _MARKUP.search(first):
        return " ".join(first.split())
    n = 1
    while True:
        prefix = "\n\n".join(blocks[:n])
        if n >= len(blocks) or _needs_whole_body(prefix, body):
            return _paragraph_text(body)
        text = _paragraph_text(prefix)
        if text:
            return text
        n *= 2


def summary_text(body: str, limit: int = 120) -> str:
    """The first paragraph of a Markdown body as text, cut to about ``limit`` characters."""
    text = _first_paragraph(body)
    return text if len(text) <= limit else text[:limit].rstrip("，、；：,;: ") + "……"


def summary_of(article: Article, limit: int = 120) -> str:
    """The article's summary, else its first paragraph cut to about 120 characters."""
    return article.summary or summary_text(article.body, limit)


def reading_minutes(article: Article) -> int:
    """Chinese reading time: about 400 characters a minute, at least one."""
    body = article.body
    # str.count runs in C: a Python loop over every character cost 1% of a 10k build.
    chars = len(body) - sum(body.count(ch) for ch in " \n\t\u3000#*-|>[]()`_")
    return max(1, round(chars / 400))


# ---------------------------------------------------------------- related

def related(graph: ContentGraph, article: Article, n: int = RELATED) -> list[Article]:
    """Articles sharing brands, workers or tags, closest in time first among equals.

    Only the neighbours in time of each shared index are scored, so the cost
    per article stays flat however large the archive grows.
    """
    scores: dict[int, float] = {}
    pool: dict[int, Article] = {}
    when = article.timestamp

    def take(listed: list[Article], weight: float, window: int) -> None:
        pos = _position(listed, article)
        for other in listed[max(0, pos - window): pos + window + 1]:
            key = id(other)
            if other is not article:
                scores[key] = scores.get(key, 0) + weight
                pool[key] = other

    for w in article.workers:
        take(graph.by_worker.get(w.id, []), 3, 20)
    for b in article.brands:
        take(graph.by_brand.get(b.id, []), 3, 10)
    for t in article.tags:
        take(graph.by_tag.get(t, []), 1, 6)
    ranked = heapq.nsmallest(n, pool.items(), key=lambda kv: (-scores[kv[0]], abs(kv[1].timestamp - when),
                                                              kv[1].url))
    return [a for _, a in ranked]


class RelatedMemo:
    """``related`` results kept between builds of the live preview.

    An article's related list depends only on the index lists of its workers,
    brands and tags (who is in them, in which order). Each list gets a version;
    a cached result is reused while the versions it was computed from hold.
    """

    def __init__(self) -> None:
        self._graph: Optional[ContentGraph] = None
        self._versions: dict[tuple, int] = {}
        self._cache: dict[str, tuple[tuple, list[str]]] = {}

    def _use(self, graph: ContentGraph) -> None:
        if graph is not self._graph:
            self._graph = graph
            self._versions = {}
            for prefix, index in (("w", graph.by_worker), ("b", graph.by_brand), ("t", graph.by_tag)):
                for key, listed in index.items():
                    self._versions[(prefix, key)] = hash(tuple(a.sort_key for a in listed))

    def related(self, graph: ContentGraph, article: Article) -> list[Article]:
        self._use(graph)
        keys = ([("w", w.id) for w in article.workers] + [("b", b.id) for b in article.brands]
                + [("t", t) for t in article.tags])
        stamp = (article.sort_key, tuple(keys), tuple(self._versions.get(k) for k in keys))
        hit = self._cache.get(article.src_uri)
        if hit is not None and hit[0] == stamp:
            return [graph.by_src[src] for src in hit[1]]
        found = related(graph, article)
        self._cache[article.src_uri] = (stamp, [a.src_uri for a in found])
        return found


def _position(listed: list[Article], article: Article) -> int:
    lo, hi = 0, len(listed)
    key = article.sort_key
    while lo < hi:  # binary search on a newest-first list
        mid = (lo + hi) // 2
        if listed[mid].sort_key > key:
            lo = mid + 1
        else:
            hi = mid
    return lo


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
    feeds = [(f"{b.name} 的文章", b.feed_url) for b in a.brands]
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
                  description: str, feeds: list[tuple[str, str]]) -> Iterator[PageSpec]:
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
                                 [(f"{brand.name} 的文章", brand.feed_url)])


def worker_pages(graph: ContentGraph) -> Iterator[PageSpec]:
    workers = sorted(graph.workers.values(), key=lambda w: (-len(graph.by_worker[w.id]), w.id))
    yield PageSpec("workers/index.md", "workers/", "workers.html", "劳模工匠", "workers", workers,
                   description="劳动模范与工匠人物档案")
    for worker in graph.workers.values():
        yield from _entity_pages(graph, "worker", worker, graph.by_worker[worker.id],
                                 "、".join(str(h) for h in worker.honors), [])


TERM_KINDS = (("tag", "tags", "标签", "by_tag"), ("region", "regions", "地区", "by_region"),
              ("column", "columns", "栏目", "by_column"))


def terms(graph: ContentGraph, kind: str) -> list[Term]:
    index = getattr(graph, next(t[3] for t in TERM_KINDS if t[0] == kind))
    return sorted((Term(name, term_url(kind, name), len(listed)) for name, listed in index.items()),
                  key=lambda t: (-t.count, t.name))


def term_pages(graph: ContentGraph) -> Iterator[PageSpec]:
    for kind, folder, label, attr in TERM_KINDS:
        yield PageSpec(f"{folder}/index.md", f"{folder}/", "terms.html", label, f"{kind}s",
                       terms(graph, kind), description=f"按{label}浏览文章")
        for name, articles in getattr(graph, attr).items():
            for listing in paginate(kind, f"{label}：{name}", term_url(kind, name), articles,
                                    graph.settings.per_page, term=name):
                yield _listing_spec(listing, "listing.html")
