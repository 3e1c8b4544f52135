"""Files written after the pages: feeds and sitemaps, from the graph alone."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

from .feeds import write_feeds
from .graph import ContentGraph
from .sitemaps import write_sitemaps


def write_all(graph: ContentGraph, site_dir: Path, article_html: dict[str, str],
              feed_cache: Optional[dict] = None) -> list[str]:
    """Write feeds and sitemaps into ``site_dir``; returns the site-relative paths written.

    ``article_html`` maps an article's URL to its rendered body (relative links,
    as MkDocs rendered it for that page); feeds make every URL in it absolute.

    - ``feed.xml`` / ``feed.json``: the site's latest 50 articles (RSS 2.0, JSON Feed 1.1);
    - ``brands/<id>/``, ``workers/<id>/``, ``regions/<name>/``: the same pair for each;
    - ``sitemap.xml`` (+ ``.gz``, replacing MkDocs' own) and ``sitemap-news.xml``.

    ``feed_cache``, a dict the caller keeps, lets the live preview reuse feed items.
    """
    site_dir = Path(site_dir)
    return write_feeds(graph, site_dir, article_html, feed_cache) + write_sitemaps(graph, site_dir)
