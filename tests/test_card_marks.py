"""A warm build marks each article card by its article's fingerprint (pages/kinds/kept.card_marks)
instead of walking the card's fields for every listing page's digest (pages/digest.stable_digests).

That is sound only while a card shows nothing its article's fingerprint (``kept._own``) does not
hold. These tests keep the card's fields to that list, check that a card's mark moves with each
of those fields, and build warm after an edit that only listings show (through the card) and
compare the site with a clean build's (test_warm_build._warm): a listing page whose digest
missed the change would be left as it was, and differ.
"""
from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from newsroom.core.model import Article, Brand, SourceRef
from newsroom.pages.digest import stable_digests
from newsroom.pages.kinds.base import Kind, Page
from newsroom.pages.kinds.cards import ArticleCard
from newsroom.pages.kinds.kept import _own
from test_warm_build import _edit, _warm, tree  # noqa: F401 (fixture)

# Each field of a card, and the article's fields it is made of (pages/kinds/cards.Cards.article).
CARD_FROM = {
    "url": ("date", "slug"), "title": ("title",), "kicker": ("kicker",), "subtitle": ("subtitle",),
    "date": ("date",), "modified": ("updated", "date"), "column": ("column",), "brand_names": ("brands",),
    "summary": ("summary", "body"), "image": ("image",), "image_caption": ("image_caption",),
}


def test_a_card_shows_only_its_articles_own_fields():
    # A card field read from elsewhere (a graph index, the settings) would need its own mark.
    assert {f.name for f in dataclasses.fields(ArticleCard)} == set(CARD_FROM)
    fields = {f.name for f in dataclasses.fields(Article)}
    assert all(source in fields for sources in CARD_FROM.values() for source in sources)


def _brand(name: str) -> Brand:
    return Brand(id="ke-gong-sai", name=name, source=SourceRef("brands/ke-gong-sai.md"))


def _article(**changes) -> Article:
    base = Article(title="技能比武", date=dt.datetime(2021, 3, 1, 9, 0), source=SourceRef("content/news/race.md"),
                   src_uri="news/2021/race.md", slug="race", body="正文。", brands=[_brand("柯工赛")])
    return dataclasses.replace(base, **changes)


@pytest.mark.parametrize("change", [
    {"title": "技能比武（更正）"}, {"kicker": "引题"}, {"subtitle": "副题"}, {"date": dt.datetime(2021, 3, 2, 9, 0)},
    {"updated": dt.datetime(2021, 4, 1, 9, 0)}, {"column": "工运速递"}, {"summary": "摘要"}, {"body": "另一段正文。"},
    {"image": "images/a.png"}, {"image_caption": "说明"}, {"slug": "race-2"},
    {"brands": [_brand("柯工赛行")]},
])
def test_every_field_a_card_shows_moves_its_articles_fingerprint(change):
    def entity(e):
        return repr((type(e).__name__, e))
    assert _own(_article(**change), entity) != _own(_article(), entity)


def _listing(cards: tuple) -> Page:
    return Page(Kind(), "news", "news/index.md", "news/", "新闻", cards)


def test_a_marked_card_is_not_walked_and_its_mark_is_the_digest():
    card = ArticleCard("news/a/", "甲", "", "", dt.datetime(2021, 1, 1), dt.datetime(2021, 1, 1), "", (), "", "", "")
    other = dataclasses.replace(card, title="乙")
    page, changed = _listing((card,)), _listing((other,))
    walked = stable_digests([page])["news/index.md"]
    assert stable_digests([changed])["news/index.md"] != walked
    marked = stable_digests([page], {id(card): "card 1"})["news/index.md"]
    assert marked != walked
    # The mark, not the card's fields, decides: the same mark, the same digest ...
    assert stable_digests([changed], {id(other): "card 1"})["news/index.md"] == marked
    # ... and another mark, another.
    assert stable_digests([page], {id(card): "card 2"})["news/index.md"] != marked


@pytest.mark.parametrize("line", ["summary: 只在列表里看得到的摘要", "kicker: 新加的引题"])
def test_an_edit_only_listings_show_renders_them_as_a_clean_build(tree, tmp_path, line):  # noqa: F811
    # race-01 (no tag 志愿服务; it has the fixture's image) is on /news/page/1/ (the oldest 13) and the lists of
    # its year, tag 技能竞赛, region, column and brand ke-gong-sai.
    _edit(tree / "content/news/2021/race-01.md", "column: 工运速递\n", f"column: 工运速递\n{line}\n")
    reused, rendered = _warm(tree, tmp_path)          # the site equals a clean build's
    shown = line.split(": ", 1)[1]
    listing = (tree / "site/news/page/1/index.html").read_text(encoding="utf-8")
    assert "news/page/1/index.html" in rendered
    assert shown in listing
    assert "tags/志愿服务/index.html" in reused         # it does not list race-01
