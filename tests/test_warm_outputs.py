"""A warm build's feeds and sitemaps: made only where what they show changed, byte for byte a clean build's.

Feeds are keyed by what each item is made from (outputs/feeds.FeedBuilder.mark), so a
feed listing no changed entity is linked from the published site; the sitemap's
``<url>`` elements are kept in the build cache (outputs/kept_urls.py). Every warm build
here is compared file by file with a clean build of the same tree (test_warm_build._warm).
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from test_incremental import _article
from test_warm_build import CACHE, _edit, _outputs, _warm, tree  # noqa: F401 (a fixture)

URLS = "sitemap-urls.json"


def _feeds(site: Path) -> dict[str, int]:
    return {p: ino for p, ino in _outputs(site).items() if p.endswith(("feed.xml", "feed.json"))}


def _listing(site: Path, text: str) -> set[str]:
    return {p for p in _feeds(site) if text in (site / p).read_text(encoding="utf-8")}


def test_an_edited_body_rewrites_exactly_the_feeds_listing_it(tree):  # noqa: F811
    """The body is not in the feed's own key (title, dates): only the item's mark says it changed."""
    site = tree / "site"
    before = _feeds(site)
    listing = _listing(site, "技能比武第7场")
    assert listing and set(before) - listing
    _edit(tree / "content/news/2021/race-07.md", "职工技能比武现场气氛热烈。", "比武现场来了新的选手。")
    _warm(tree, tree.parent)
    after = _feeds(site)
    assert _listing(site, "比武现场来了新的选手。") == listing
    assert [p for p in listing if after[p] == before[p]] == []                 # made again
    assert [p for p in set(after) - listing if after[p] != before[p]] == []    # linked


def test_a_renamed_brand_rewrites_the_feeds_of_its_articles(tree):  # noqa: F811
    """An item shows its references' names (categories): a reference's name is part of its mark."""
    site = tree / "site"
    before = _feeds(site)
    _edit(tree / "brands/ke-gong-yi.md", "name: 柯工益", "name: 柯工益行")
    _warm(tree, tree.parent)
    showing = _listing(site, "柯工益行")
    after = _feeds(site)
    assert "feed.xml" in showing and [p for p in showing if after[p] == before[p]] == []


def test_a_deleted_article_leaves_every_feed(tree):  # noqa: F811
    site = tree / "site"
    listing = _listing(site, "技能比武第7场")
    (tree / "content/news/2021/race-07.md").unlink()
    _warm(tree, tree.parent)
    assert listing and _listing(site, "技能比武第7场") == set()


def _kept_urls(tree: Path) -> dict:
    text, sha = (tree / CACHE / URLS).read_text(encoding="utf-8").rstrip("\n").rsplit("\n", 1)
    assert hashlib.sha256(text.encode()).hexdigest() == sha
    return json.loads(text)


def _reseal(tree: Path, record: dict) -> None:
    text = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
    (tree / CACHE / URLS).write_text(text + "\n" + hashlib.sha256(text.encode()).hexdigest() + "\n",
                                     encoding="utf-8")


RACE3 = "news/2021/04/race-03/"


@pytest.mark.parametrize("damage", ["none", "deleted", "truncated", "edited", "forged", "other-key"])
def test_sitemap_elements_are_kept_and_never_used_stale(tree, damage):  # noqa: F811
    """A new article changes sitemap.xml: its elements come from the cache, the new page's is made.
    A cache deleted, truncated, edited without its checksum, of another key, or with an entry
    forged for another lastmod (checksum redone) gives the same sitemap as a clean build."""
    record = _kept_urls(tree)
    assert RACE3 in record["urls"] and record["urls"][RACE3][0]          # [lastmod, element]
    path = tree / CACHE / URLS
    fake = record["urls"][RACE3][1].replace("race-03", "forged-03")
    if damage == "deleted":
        path.unlink()
    elif damage == "truncated":
        path.write_bytes(path.read_bytes()[:300])
    elif damage == "edited":                       # the element changed, the checksum line left
        path.write_text(path.read_text(encoding="utf-8").replace("race-03/", "forged-03/", 1), encoding="utf-8")
    elif damage == "forged":                       # another lastmod's element, checksum redone
        record["urls"][RACE3] = ["2020-01-01T00:00:00+08:00", fake]
        _reseal(tree, record)
    elif damage == "other-key":                    # made by other code or for another config
        record["urls"][RACE3][1] = fake
        record["key"][0] = "0" * 32
        _reseal(tree, record)
    new = tree / "content/news/2021/new-one.md"
    new.write_text(_article("新的比武", "2021-12-30 10:00", tags="[志愿服务]"), encoding="utf-8")
    _warm(tree, tree.parent)                       # byte for byte a clean build's, sitemaps included
    sitemap = (tree / "site/sitemap.xml").read_text(encoding="utf-8")
    assert "forged-03" not in sitemap and "race-03/" in sitemap and "new-one/" in sitemap
    kept = _kept_urls(tree)["urls"]
    assert "news/2021/12/new-one/" in kept and "forged-03" not in kept[RACE3][1]
    assert set(kept) >= set(record["urls"]) | {"news/2021/12/new-one/"}
