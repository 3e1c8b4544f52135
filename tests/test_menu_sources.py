"""``newsroom check`` knows which menu entries will exist without making the site's pages.

The kinds say the sources of their pages from the graph (``Kind.sources``); ``check`` only
asks for them (mkdocs/config.menu_problems). These tests hold the two together: the
sources said are exactly those of the pages a build makes, paginated listings included,
and saying them makes no article page and no listing.
"""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from conftest import ROOT, newsroom
from newsroom.content.graph import build_graph
from newsroom.core.settings import Settings
from newsroom.pages.kinds import article, listing, site_pages, site_sources
from test_config_errors import _config


def _graph(per_page: int):
    settings = Settings(per_page=per_page, now=dt.datetime(2026, 12, 1, 12, tzinfo=ZoneInfo("Asia/Shanghai")))
    graph, _ = build_graph(ROOT / "content", ROOT / "brands", settings)
    return graph


@pytest.mark.parametrize("per_page", [2, 20])
def test_sources_are_the_sources_of_the_pages_made(per_page):
    graph = _graph(per_page)
    made = [page.src_uri for page in site_pages(graph)]
    assert len(made) == len(set(made))
    assert site_sources(graph) == set(made)
    if per_page == 2:    # listings, brands and workers with more than one page
        assert "news/page/2/index.md" in made and any("/page/2/" in src for src in made if src.startswith("brands/"))


def test_sources_make_no_article_page_and_no_listing(monkeypatch):
    graph = _graph(20)

    def made(*args, **kwargs):
        raise AssertionError("a page was made to know its source")

    monkeypatch.setattr(article.ArticleKind, "pages", made)
    monkeypatch.setattr(listing.ListingKind, "listing_pages", made)
    assert "news/index.md" in site_sources(graph)


def test_menu_entry_to_a_generated_page(tmp_path):
    """A menu entry to a generated page further down (a year's archive, a tag) is known;
    one to a listing page that will not exist is reported."""
    menu = "  - 关于我们: pages/about.md\n  - 2022年: news/2022/index.md\n  - 第九十九页: news/page/99/index.md"
    config, _ = _config(tmp_path, "  - 关于我们: pages/about.md", menu)
    proc = newsroom("check", "-f", str(config), cwd=tmp_path)
    out = proc.stdout + proc.stderr
    assert "news/page/99/index.md" in out and "news/2022/index.md" not in out, out
