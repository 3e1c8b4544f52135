"""Files written after the pages: feeds and sitemaps, from the graph alone.

Every file is handed to a ``Writer`` with a key: everything the file shows.
A clean build writes them all. The live preview keeps an ``OutputMemo`` from
one save to the next, so a file whose key did not change is neither computed
nor written again (rewriting ~540 feeds and sitemaps was most of the fixed cost
of a save at 10,000 articles), and a file the site no longer has (the feed of
a region whose last article was deleted) is deleted.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Hashable, Iterable, Optional

from ..content.graph_data import ContentGraph
from ..pages.kinds import Page
from .feeds import write_feeds
from .sitemaps import write_sitemaps
from .writer import Earlier, Writer


@dataclass
class OutputMemo:
    """What the live preview last wrote into its site folder, kept between saves.

    Only valid for the folder it was filled in: start a new one when the folder is emptied
    (every full build)."""

    keys: dict[str, Hashable] = field(default_factory=dict)     # site path -> key of its content
    # entry URL -> (stamp, feeds.Item[, the entity, its references]): feeds.FeedBuilder._kept_item
    feed_items: dict[str, tuple] = field(default_factory=dict)


def write_all(graph: ContentGraph, site_dir: Path, article_html: dict[str, str],
              memo: Optional[OutputMemo] = None, specs: Optional[Iterable[Page]] = None,
              earlier: Optional[Earlier] = None) -> list[str]:
    """Write feeds and sitemaps into ``site_dir``; returns the site-relative paths the site has.

    ``article_html`` maps an article's URL to its rendered body (relative links,
    as MkDocs rendered it for that page); feeds make every URL in it absolute.

    - ``feed.xml`` / ``feed.json``: the site's latest 50 articles (RSS 2.0, JSON Feed 1.1);
    - ``brands/<id>/``, ``workers/<id>/``, ``regions/<name>/``, ``notices/``, ``epaper/``: the same
      pair for each (every feed a page kind declares, ``Kind.site_feeds``);
    - ``sitemap.xml`` (+ ``.gz``, replacing MkDocs' own), ``sitemap-news.xml`` and ``robots.txt``.

    ``memo``: the live preview's, between saves (see ``OutputMemo``). ``specs``: the
    site's pages, if the caller has them (else derived from the graph again). ``earlier``: a
    warm build's record of the last build's files (``writer.Earlier``): unchanged ones are
    taken from the published site, not made again.
    """
    out = Writer(Path(site_dir), memo.keys if memo is not None else {}, earlier)
    items = write_feeds(graph, out, article_html, memo.feed_items if memo is not None else None)
    if memo is not None:
        memo.feed_items = items   # this build's items only: deleted articles' go
    write_sitemaps(graph, out, specs)
    out.remove_stale()
    return out.paths
