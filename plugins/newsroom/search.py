"""The search index: built from the finished HTML, after every page is written."""
from __future__ import annotations

from pathlib import Path

from .graph import ContentGraph


def index_site(graph: ContentGraph, site_dir: Path) -> None:
    """Build the search index for the site in ``site_dir``. Filled in by the search work."""
