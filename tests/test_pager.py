"""Pagination counts from the oldest (pages/kinds/base.py): page k holds the k-th ``per_page``
items from the oldest and keeps them when new ones are published; the front holds the newest
(per_page to 2 * per_page - 1 of them). A numbered page's pager (theme/partials/nr-ui.html)
names nothing that grows with the list, so its HTML stays the same byte for byte."""
from __future__ import annotations

import posixpath

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT
from jinja2 import DictLoader, Environment, pass_context

from newsroom.pages.kinds.base import Pager, page_slices, paginate, pager_sources, src_for

UI = (ROOT / "theme" / "partials" / "nr-ui.html").read_text(encoding="utf-8")


@pass_context
def _url(context, value: str) -> str:
    # Relative to the page like MkDocs' filter: enough to tell page URLs apart.
    return posixpath.relpath(value or ".", context["here"] or ".") + "/"


def _env() -> Environment:
    env = Environment(loader=DictLoader({"partials/nr-ui.html": UI,
                                         "t.html": '{% import "partials/nr-ui.html" as ui with context %}{{ ui.pager(p) }}'}))
    env.filters.update(url=_url, iso_date=str, zh_date=str)
    return env


PAGER = _env().get_template("t.html")


def _html(pager: Pager) -> str:
    return PAGER.render(p=pager, here=pager.url)


def _pages(n: int, per_page: int) -> dict[str, tuple[Pager, tuple[int, ...]]]:
    """Item i is the i-th oldest: a list of n, newest first, paginated, by URL."""
    return {p.url: (p, cards) for p, cards in paginate("news/", tuple(range(n, 0, -1)), per_page)}


@pytest.mark.parametrize("n", [0, 1, 19, 20, 39, 40, 41, 45, 59, 60, 61, 200, 219])
def test_page_k_holds_the_kth_chunk_from_the_oldest_and_the_front_the_rest(n):
    pages = _pages(n, 20)
    full = n // 20
    top = max(full - 1, 0)
    assert set(pages) == {"news/", *(f"news/page/{k}/" for k in range(1, top + 1))}
    front, shown = pages["news/"]
    assert front.front and front.total == n and front.upto == top
    assert shown == tuple(range(n, top * 20, -1))                    # the newest, newest first
    assert len(shown) == n if full <= 1 else 20 <= len(shown) <= 39  # never a short page
    for k in range(1, top + 1):
        pager, shown = pages[f"news/page/{k}/"]
        assert pager.page == k and pager.total == 0                  # no total on a numbered page
        assert shown == tuple(range(k * 20, (k - 1) * 20, -1))       # page 1: items 20 … 1
    everything = [i for _, (_, shown) in pages.items() for i in shown]
    assert everything == list(range(n, 0, -1))                       # in the list's order, once each


@pytest.mark.parametrize("n", [0, 5, 40, 45, 61, 219])
def test_sources_from_the_length_alone_are_the_pages_made(n):
    made = [src_for(p.url) for p, _ in paginate("tags/x/", range(n), 20)]
    assert list(pager_sources("tags/x/", n, 20)) == made
    assert list(pager_sources("tags/x/", n, 20, "brands/x.md")) == ["brands/x.md", *made[1:]]


def test_a_numbered_page_does_not_change_when_items_are_published():
    """Every page of a list of 205 (top page 9) against the same page after 1 … 60 new items:
    the same items always; the same pager HTML unless the page is within 4 of the old top
    (pages 6 … 9, which name the pages above them or know one is left out) and the list grew a page."""
    before = _pages(205, 20)
    for new in range(1, 61):
        after = _pages(205 + new, 20)
        grew = (205 + new) // 20 - 1 > 9
        for url, (pager, shown) in before.items():
            if pager.front:
                continue
            again, again_shown = after[url]
            assert again_shown == shown, (new, url)
            same = again == pager and _html(again) == _html(pager)
            assert same == (not grew or pager.page < 6), (new, url)


def test_when_the_list_grows_a_page_only_the_top_five_and_the_front_change():
    before, after = _pages(219, 20), _pages(220, 20)     # top 9 -> 10
    changed = {u for u in after if before.get(u) is None or _html(before[u][0]) != _html(after[u][0])
               or before[u][1] != after[u][1]}
    assert changed == {"news/", "news/page/10/", "news/page/9/", "news/page/8/", "news/page/7/", "news/page/6/"}


def _links(html: str) -> list[tuple[str, str, str]]:
    nav = BeautifulSoup(html, "html.parser").select_one("nav.nr-pager")
    return [(el.name, el.get_text(), el.get("href", "")) for el in nav.select("a, span.nr-pager-num, span.nr-pager-gap")]


def test_the_pager_at_the_boundaries():
    pages = _pages(219, 20)                               # front (39 items), pages 9 … 1
    front = _html(pages["news/"][0])
    assert 'aria-label="分页"' in front and "共" not in front
    assert _links(front) == [("span", "最新", ""), ("a", "9", "page/9/"), ("a", "8", "page/8/"),
                             ("a", "7", "page/7/"), ("span", "…", ""), ("a", "1", "page/1/"),
                             ("a", "较早 ›", "page/9/")]
    assert 'aria-disabled="true">‹ 较新' in front and 'aria-current="page">最新' in front
    top = _html(pages["news/page/9/"][0])                 # k = F - 1: newer is the front
    assert _links(top) == [("a", "‹ 较新", "../../"), ("a", "最新", "../../"), ("span", "9", ""),
                           ("a", "8", "../8/"), ("a", "7", "../7/"), ("a", "6", "../6/"), ("span", "…", ""),
                           ("a", "1", "../1/"), ("a", "较早 ›", "../8/")]
    assert 'aria-current="page">9' in top
    middle = _links(_html(pages["news/page/5/"][0]))
    assert [t for _, t, _ in middle] == ["‹ 较新", "最新", "…", "8", "7", "6", "5", "4", "3", "2", "1", "较早 ›"]
    first = _html(pages["news/page/1/"][0])               # k = 1: nothing older
    assert _links(first) == [("a", "‹ 较新", "../2/"), ("a", "最新", "../../"), ("span", "…", ""), ("a", "4", "../4/"),
                             ("a", "3", "../3/"), ("a", "2", "../2/"), ("span", "1", "")]
    assert 'aria-disabled="true">较早 ›' in first and 'aria-current="page">1' in first
    assert pages["news/page/1/"][0].older_url == "" and pages["news/page/9/"][0].newer_url == "news/"


def test_a_single_page_has_no_pager_and_titles_number_the_numbered_pages():
    one = Pager("news/", 0, 0, 12)
    assert _html(one).strip() == "" and one.numbers() == () and one.older_url == one.newer_url == ""
    assert one.title("新闻") == "新闻" and one.description("新闻") == "新闻，共 12 篇文章"
    page = Pager("news/", 7, 10)
    assert page.title("新闻") == "新闻（第7页）" and page.description("新闻") == "新闻，第 7 页"
    assert page.numbers() == (10, 9, 8, 7, 6, 5, 4, 1) and page.gap()
    assert Pager("news/", 4, 7).numbers() == (7, 6, 5, 4, 3, 2, 1) and not Pager("news/", 4, 7).gap()
    # Pages above the near ones and below the front are left out: "…" says so (upto is one beyond).
    assert Pager("news/", 5, 9).gap_above() and not Pager("news/", 6, 9).gap_above()
    assert not Pager("news/", 0, 9, 200).gap_above()


def test_slices_cover_the_list_once():
    for n in range(0, 130):
        for per_page in (1, 2, 7, 20):
            covered = [i for _, at in page_slices("x/", n, per_page) for i in range(n)[at]]
            assert covered == list(range(n)), (n, per_page)
