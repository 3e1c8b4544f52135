"""sitemap.xml (every page, with lastmod) and the Google News sitemap-news.xml.

Built from the graph and ``pages.kinds.site_pages`` (page metadata only, nothing is
rendered again), so the cost is linear in the number of pages. Each ``<url>``
element is serialized on its own by ElementTree; the live preview keeps them
between saves, and hands the writer the list of URLs as the sitemap's key, so
a save that moves no URL and no date writes no sitemap. A warm build takes the
elements from the build cache (outputs/kept_urls.py): one new page makes one.
"""
from __future__ import annotations

import concurrent.futures
import datetime as dt
import functools
import gzip
import threading
import xml.etree.ElementTree as ET
from typing import Callable, Iterable, Iterator, Optional
from zoneinfo import ZoneInfo

from ..content.graph_data import ContentGraph
from ..core import dates
from ..core.model import Article
from ..core.urls import abs_url, free_page_url, join_site_url
from ..pages.kinds import Page, site_pages
from .kept_urls import NAME, KeptUrls
from .writer import Writer

URL = tuple[str, Optional[dt.datetime]]      # (site-relative URL, lastmod)

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"

MAX_URLS = 50_000          # per sitemap file (sitemaps.org)
NEWS_MAX = 1_000           # Google News sitemap limit
NEWS_WINDOW = dt.timedelta(days=2)


def entries(graph: ContentGraph, specs: Optional[Iterable[Page]] = None) -> Iterator[URL]:
    """(site-relative URL, lastmod or None) for every page a search engine should know.

    ``specs``: the site's pages if the caller has them already (else from ``site_pages``)."""
    for spec in site_pages(graph) if specs is None else specs:
        if spec.maker.in_sitemap:
            yield spec.url, spec.maker.lastmod(spec)
    for src in graph.free_pages:
        yield free_page_url(src), None


def sitemap_xml(graph: ContentGraph, urls: list[URL], kept: Optional[KeptUrls] = None) -> bytes:
    """``kept``: a warm build's elements from the last build (outputs/kept_urls.py)."""
    s = graph.settings
    if not urls:
        return ET.tostring(ET.Element("urlset", xmlns=SITEMAP_NS), encoding="utf-8", xml_declaration=True)
    head, tail = _urlset_around()
    if kept is not None:
        elements = "\n ".join(kept.element(_url_element, url, lastmod) for url, lastmod in urls)
    else:
        elements = "\n ".join(_url_element(s.site_url, s.timezone, url, lastmod) for url, lastmod in urls)
    return head + elements.encode("utf-8") + tail


# Kept between the live preview's saves (a pure function of its arguments): a save
# then serializes only the URLs it moved or dated anew.
@functools.lru_cache(maxsize=1 << 18)
def _url_element(site_url: str, timezone: str, url: str, lastmod: Optional[dt.datetime]) -> str:
    """One <url>, serialized and indented as it sits in the <urlset>."""
    el = ET.Element("url")
    ET.SubElement(el, "loc").text = join_site_url(site_url, url)
    if lastmod is not None:
        ET.SubElement(el, "lastmod").text = dates.iso(lastmod.astimezone(ZoneInfo(timezone)))
    ET.indent(el, space=" ", level=1)
    return ET.tostring(el, encoding="unicode")


@functools.cache
def _urlset_around() -> tuple[bytes, bytes]:
    """The serialized <urlset> before and after its <url> elements (one space indents them)."""
    root = ET.Element("urlset", xmlns=SITEMAP_NS)
    ET.SubElement(root, "url")
    ET.indent(root, space=" ")
    head, tail = ET.tostring(root, encoding="utf-8", xml_declaration=True).split(b"<url />")
    return head, tail


def sitemap_index(graph: ContentGraph, parts: list[str]) -> bytes:
    root = ET.Element("sitemapindex", xmlns=SITEMAP_NS)
    for part in parts:
        el = ET.SubElement(root, "sitemap")
        ET.SubElement(el, "loc").text = abs_url(graph.settings, part)
    ET.indent(root, space=" ")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def news_articles(graph: ContentGraph) -> list[Article]:
    """Articles published in the two days before the build, newest first (at most 1,000)."""
    now = graph.settings.build_time()
    since = now - NEWS_WINDOW
    out = []
    for a in graph.articles:          # newest first: stop at the first one too old
        if a.date < since:
            break
        if not a.is_public(now):
            continue
        out.append(a)
        if len(out) >= NEWS_MAX:
            break
    return out


def news_sitemap_xml(graph: ContentGraph, articles: Optional[list[Article]] = None) -> bytes:
    s = graph.settings
    root = ET.Element("urlset", {"xmlns": SITEMAP_NS, "xmlns:news": NEWS_NS})
    for a in news_articles(graph) if articles is None else articles:
        el = ET.SubElement(root, "url")
        ET.SubElement(el, "loc").text = abs_url(s, a.url)
        news = ET.SubElement(el, "news:news")
        pub = ET.SubElement(news, "news:publication")
        ET.SubElement(pub, "news:name").text = s.site_name
        ET.SubElement(pub, "news:language").text = "zh"
        ET.SubElement(news, "news:publication_date").text = dates.iso(a.date)
        ET.SubElement(news, "news:title").text = a.title
    ET.indent(root, space=" ")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def write_sitemaps(graph: ContentGraph, out: Writer, specs: Optional[Iterable[Page]] = None) -> None:
    """Hand sitemap.xml (+ .gz, replacing MkDocs' own), sitemap-news.xml and robots.txt to ``out``.

    Each file's key is what it lists, so the writer skips those a save did not change."""
    s = graph.settings
    urls = list(entries(graph, specs))
    found = out.earlier.kept_file(NAME) if out.earlier is not None else None
    # Read only if a sitemap is made (its key changed), and saved after.
    kept = functools.cache(lambda: KeptUrls.load(found[0], (found[1], s.site_url, s.timezone)) if found else None)
    if len(urls) <= MAX_URLS:
        main_key: tuple = (s.site_url, s.timezone, tuple(urls))
        main = functools.cache(lambda: sitemap_xml(graph, urls, kept()))     # once, for both files
    else:
        parts = []
        for n, start in enumerate(range(0, len(urls), MAX_URLS), 1):
            part, chunk = f"sitemaps/sitemap-{n}.xml", urls[start:start + MAX_URLS]
            out.write(part, (s.site_url, s.timezone, tuple(chunk)), lambda chunk=chunk: sitemap_xml(graph, chunk, kept()))
            parts.append(part)
        main_key = (s.site_url, tuple(parts))
        main = functools.cache(lambda: sitemap_index(graph, parts))
    packed = _Packed(main)
    out.write("sitemap.xml", main_key, packed.made)
    news = news_articles(graph)
    out.write("sitemap-news.xml", (s.site_url, s.site_name, tuple((a.url, a.date, a.title) for a in news)),
              functools.partial(news_sitemap_xml, graph, news))
    out.write("robots.txt", s.site_url, lambda: robots_txt(graph).encode("utf-8"))
    if kept.cache_info().currsize and kept() is not None:
        kept().save()
    out.write("sitemap.xml.gz", main_key, packed.gz)      # last: compressed meanwhile (_Packed)


class _Packed:
    """sitemap.xml and its gzip. Made, the sitemap starts being compressed on a thread (zlib
    works without the GIL: ~0.055 CPU-s at 10k articles, level 9) while the news sitemap,
    robots.txt and the kept elements are written; the .gz, written last, waits for it."""

    def __init__(self, main: Callable[[], bytes]) -> None:
        self._main = main
        self._gz: Optional[concurrent.futures.Future] = None

    def made(self) -> bytes:
        data = self._main()
        if self._gz is None:
            self._gz = concurrent.futures.Future()
            threading.Thread(target=self._compress, args=(data,), name="sitemap-gzip", daemon=True).start()
        return data

    def _compress(self, data: bytes) -> None:
        assert self._gz is not None
        try:
            self._gz.set_result(gzip.compress(data, mtime=0))
        except BaseException as exc:      # raised by gz() in the build's thread
            self._gz.set_exception(exc)

    def gz(self) -> bytes:
        if self._gz is None:               # sitemap.xml was not made (taken as it was)
            return gzip.compress(self._main(), mtime=0)
        return self._gz.result()


def robots_txt(graph: ContentGraph) -> str:
    """Crawlers may read everything but the search results, and learn where the sitemaps are."""
    base = graph.settings.site_url.rstrip("/") + "/"
    return (f"User-agent: *\nDisallow: /search/\n\n"
            f"Sitemap: {base}sitemap.xml\nSitemap: {base}sitemap-news.xml\n")
