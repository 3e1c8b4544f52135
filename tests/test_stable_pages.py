"""Page numbers count from the oldest (pages/kinds/base.paginate, docs/architecture.md
"Pagination"): a real build's listings, and the warm build after new articles.

The warm tests' tree (test_warm_build.tree) has 31 articles at 13 a page (2 x 13 + 5): each
list of them has a front of 18 (the newest) and a page 1 of the oldest 13. A new article
changes the fronts only: every numbered page keeps its bytes (and its published file); the
13th new article grows the lists by a page, which changes the fronts, the new top page and
the pages within 3 of it. Each warm build equals a clean ``--no-reuse`` build byte for byte
(test_warm_build._warm)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import urljoin, urlparse

from conftest import page, soup
from test_incremental import _article
from test_warm_build import PER_PAGE, _warm, tree  # noqa: F401 (fixture)


def _expected_news() -> list[str]:
    """Every article of the tree (test_incremental._files), newest first."""
    dated = [(dt.datetime(2021, 1 + i % 12, 1 + i % 27, 9, i), f"news/2021/{1 + i % 12:02d}/race-{i:02d}/")
             for i in range(30)]
    dated.append((dt.datetime(2021, 6, 15, 10, 0), "news/2021/06/linker/"))
    return [url for _, url in sorted(dated, reverse=True)]


def _listed(site: Path, url: str) -> list[str]:
    doc = page(site, url)
    return [_resolve(url, a["href"]) for a in doc.select("ol.nr-list a.nr-item-link")]


def _resolve(url: str, href: str) -> str:
    return urlparse(urljoin("http://x/" + url, href)).path.lstrip("/")


def _numbered(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("page/*/index.html")}


def test_front_holds_the_newest_and_page_one_the_oldest(tree):
    site = tree / "site"
    assert PER_PAGE == 13 and len(_expected_news()) == 2 * PER_PAGE + 5
    everything = _expected_news()
    assert _listed(site, "news/") == everything[:18]          # the front: P + 5
    assert _listed(site, "news/page/1/") == everything[18:]   # page 1: the oldest P, newest first
    assert not (site / "news/page/2").exists()

    front, first = page(site, "news/"), page(site, "news/page/1/")
    assert "共 31 篇文章" in front.select_one(".nr-listing-head").get_text()
    head = first.select_one(".nr-listing-head").get_text()
    assert "共" not in head and "/" not in head                # no total, no page count
    assert first.title.get_text().startswith("新闻（第1页）")
    assert "共" not in first.find("meta", attrs={"name": "description"})["content"]

    # The front: 较新 off, 最新 current, 1 linked, 较早 to page 1; rel next in the head.
    nav = front.select_one('nav.nr-pager[aria-label="分页"]')
    assert nav.select_one(".nr-pager-prev")["aria-disabled"] == "true"
    assert nav.select_one('[aria-current="page"]').get_text() == "最新"
    assert [(a.get_text(), _resolve("news/", a["href"])) for a in nav.select("a")] == \
           [("1", "news/page/1/"), ("较早 ›", "news/page/1/")]
    assert _resolve("news/", front.head.find("link", rel="next")["href"]) == "news/page/1/"
    assert front.head.find("link", rel="prev") is None
    # Page 1 (the top page here): 较新 and 最新 to the front, 较早 off; rel prev to the front.
    nav = first.select_one('nav.nr-pager[aria-label="分页"]')
    assert [(a.get_text(), _resolve("news/page/1/", a["href"])) for a in nav.select("a")] == \
           [("‹ 较新", "news/"), ("最新", "news/")]
    assert nav.select_one('[aria-current="page"]').get_text() == "1"
    assert nav.select_one(".nr-pager-next")["aria-disabled"] == "true"
    assert _resolve("news/page/1/", first.head.find("link", rel="prev")["href"]) == "news/"
    assert first.head.find("link", rel="next") is None

    # The same rule for a brand's and a tag's list; the brand's profile on its front only.
    assert _listed(site, "brands/ke-gong-sai/page/1/") == everything[18:]
    assert page(site, "brands/ke-gong-sai/").select_one("[data-pagefind-body]") is not None
    assert page(site, "brands/ke-gong-sai/page/1/").select_one("[data-pagefind-body]") is None
    assert _listed(site, "tags/技能竞赛/page/1/") == everything[18:]
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "/news/page/1/</loc>" in sitemap and "/news/page/2/</loc>" not in sitemap


def _new(tree: Path, n: int) -> None:
    (tree / f"content/news/2021/new-{n:02d}.md").write_text(
        _article(f"新的比武{n}", f"2021-12-{28 if n < 10 else 29} 1{n % 10}:00"), encoding="utf-8")


def test_a_new_article_changes_the_fronts_only_until_a_page_fills(tree, tmp_path):
    site = tree / "site"
    before = _numbered(site)
    assert {"news/page/1/index.html", "news/2021/page/1/index.html", "brands/ke-gong-sai/page/1/index.html",
            "tags/技能竞赛/page/1/index.html", "regions/绍兴市柯桥区/page/1/index.html",
            "columns/工运速递/page/1/index.html"} <= set(before)
    _new(tree, 1)
    reused, rendered = _warm(tree, tmp_path)                  # equal to a clean build's
    assert _numbered(site) == before                          # every numbered page, byte for byte
    assert set(before) <= reused                              # kept: the published files themselves
    assert {"news/index.html", "news/2021/index.html", "brands/ke-gong-sai/index.html",
            "tags/技能竞赛/index.html"} <= rendered
    assert "共 32 篇文章" in page(site, "news/").get_text()

    for n in range(2, 9):                                     # 39 articles: a page fills up
        _new(tree, n)
    _warm(tree, tmp_path)
    after = _numbered(site)
    assert "news/page/2/index.html" in after and "news/page/3/index.html" not in after
    news = _listed(site, "news/")
    assert len(news) == 13 and _listed(site, "news/page/2/") == _expected_news()[5:18]
    assert _listed(site, "news/page/1/") == _expected_news()[18:]     # its articles stay
    # Page 1 changed: it names page 2 now (its 较新 and a number), nothing else.
    changed = soup(site / "news/page/1/index.html").select_one("nav.nr-pager")
    assert [a.get_text() for a in changed.select("a")] == ["‹ 较新", "最新", "2"]
    assert after["news/page/1/index.html"] != before["news/page/1/index.html"]
