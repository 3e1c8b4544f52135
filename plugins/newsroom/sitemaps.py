"""sitemap.xml (every page, with lastmod) and the Google News sitemap-news.xml.

Built from the graph and ``views.site_pages`` (page metadata only, nothing is
rendered again), so the cost is linear in the number of pages.
"""
from __future__ import annotations

import datetime as dt
import gzip
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Iterator, Optional

from . import dates
from .feeds import abs_url
from .graph import ContentGraph
from .model import Article, free_page_url
from .views import Home, Listing, site_pages

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"

MAX_URLS = 50_000          # per sitemap file (sitemaps.org)
NEWS_MAX = 1_000           # Google News sitemap limit
NEWS_WINDOW = dt.timedelta(days=2)
SKIP_KINDS = {"search"}    # pages with nothing for a search engine to index


def _newest(articles) -> Optional[dt.datetime]:
    return max((a.modified for a in articles), default=None)


def entries(graph: ContentGraph) -> Iterator[tuple[str, Optional[dt.datetime]]]:
    """(site-relative URL, lastmod or None) for every page a search engine should know."""
    for spec in site_pages(graph):
        if spec.kind in SKIP_KINDS:
            continue
        data = spec.data
        lastmod: Optional[dt.datetime] = None
        if isinstance(data, Article):
            lastmod = data.modified
        elif isinstance(data, Listing):
            # The newest article the page lists (brand/worker pages: else no lastmod).
            lastmod = _newest(data.articles)
        elif isinstance(data, Home):
            lastmod = _newest(([data.lead] if data.lead else []) + list(data.latest))
        yield spec.url, lastmod
    for src in graph.free_pages:
        yield free_page_url(src), None


def sitemap_xml(graph: ContentGraph, urls: list[tuple[str, Optional[dt.datetime]]]) -> bytes:
    s = graph.settings
    root = ET.Element("urlset", xmlns=SITEMAP_NS)
    for url, lastmod in urls:
        el = ET.SubElement(root, "url")
        ET.SubElement(el, "loc").text = abs_url(s, url)
        if lastmod is not None:
            ET.SubElement(el, "lastmod").text = dates.iso(lastmod.astimezone(s.tz))
    ET.indent(root, space=" ")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


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
        if a.draft or a.date > now:
            continue
        out.append(a)
        if len(out) >= NEWS_MAX:
            break
    return out


def news_sitemap_xml(graph: ContentGraph) -> bytes:
    s = graph.settings
    root = ET.Element("urlset", {"xmlns": SITEMAP_NS, "xmlns:news": NEWS_NS})
    for a in news_articles(graph):
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


def write_sitemaps(graph: ContentGraph, site_dir: Path) -> list[str]:
    """Write sitemap.xml (+ .gz, replacing MkDocs' own) and sitemap-news.xml."""
    urls = list(entries(graph))
    written = []
    if len(urls) <= MAX_URLS:
        main = sitemap_xml(graph, urls)
    else:
        parts = []
        for n, start in enumerate(range(0, len(urls), MAX_URLS), 1):
            part = f"sitemaps/sitemap-{n}.xml"
            target = site_dir / part
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(sitemap_xml(graph, urls[start:start + MAX_URLS]))
            parts.append(part)
            written.append(part)
        main = sitemap_index(graph, parts)
    (site_dir / "sitemap.xml").write_bytes(main)
    (site_dir / "sitemap.xml.gz").write_bytes(gzip.compress(main, mtime=0))
    (site_dir / "sitemap-news.xml").write_bytes(news_sitemap_xml(graph))
    (site_dir / "robots.txt").write_text(robots_txt(graph), encoding="utf-8")
    return written + ["sitemap.xml", "sitemap.xml.gz", "sitemap-news.xml", "robots.txt"]


def robots_txt(graph: ContentGraph) -> str:
    """Crawlers may read everything but the search results, and learn where the sitemaps are."""
    base = graph.settings.site_url.rstrip("/") + "/"
    return (f"User-agent: *\nDisallow: /search/\n\n"
            f"Sitemap: {base}sitemap.xml\nSitemap: {base}sitemap-news.xml\n")
