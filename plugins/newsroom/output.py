"""Files written after the pages: feeds and sitemaps, from the graph alone."""
from __future__ import annotations

from pathlib import Path

from .graph import ContentGraph


def write_all(graph: ContentGraph, site_dir: Path, article_html: dict[str, str]) -> None:
    """Write feeds and sitemaps into ``site_dir``.

    ``article_html`` maps an article's URL to its rendered body (relative links,
    as MkDocs rendered it for that page).
    """
