"""A warm build's listing pages (news, years, terms, brands' and workers' articles) made only if read.

Their digest is taken from a stand-in: their data with each article card as the card's mark
(its article's fingerprint, kinds/kept.card_mark), which pages/digest.stable_digests
fingerprints as it does the data, so the cards (10,000 at 10k articles) and the pages' data
are made only for the pages rendered. These tests check that the stand-in's digest is the
data's for every listing page of the sample site, that the pages are the eager ones, and a
warm site against a clean one after a card changed (tests/test_warm_build.py's scenarios
cover the rest, in the check mode, which compares the two digests of every listing page).
"""
from __future__ import annotations

import dataclasses

from newsroom.content.doc_store import StoredDocs
from newsroom.pages.digest import stable_digests
from newsroom.pages.kinds import LazyPage, site_pages
from newsroom.pages.kinds.kept import Known, article_marks, card_marks, inputs_of
from newsroom.pages.related import RelatedMemo
from test_kept_prints import _graph, _site
import test_warm_build
from test_warm_build import _edit, _warm

tree = test_warm_build.tree           # the warm tests' content tree, built once (a fixture)


def _lazy_and_eager(tmp_path):
    root = _site(tmp_path)
    store = StoredDocs(tmp_path / "cache" / "docs.json", "v1")
    graph = _graph(root, store)
    inputs = inputs_of(graph, "v1", store.file_sums())
    memo = RelatedMemo()
    lazy = list(site_pages(graph, memo, Known({}, article_marks(graph, inputs))))
    eager = list(site_pages(graph, RelatedMemo(), Known({})))
    return graph, inputs, memo, lazy, eager


def test_a_listing_pages_digest_from_its_stand_in_is_its_datas(tmp_path):
    graph, inputs, memo, lazy, eager = _lazy_and_eager(tmp_path)
    listings = [p for p in lazy if isinstance(p, LazyPage) and p.stand_in is not None]
    assert {p.kind for p in listings} >= {"news", "year", "tag", "region", "column", "brand", "worker"}
    before = stable_digests(lazy, card_marks(inputs, memo.article_cards))
    assert not any(p.made for p in listings)          # the digests took no page's data
    made = [p for p in listings if p.data is not None]
    again = stable_digests(made, card_marks(inputs, memo.article_cards), from_data=True)
    assert {p.src_uri: before[p.src_uri] for p in made} == again


def test_listing_pages_show_what_the_eager_ones_do(tmp_path):
    graph, inputs, memo, lazy, eager = _lazy_and_eager(tmp_path)
    by_src = {p.src_uri: p for p in eager}
    assert [p.src_uri for p in lazy] == [p.src_uri for p in eager]
    for page in lazy:
        if not isinstance(page, LazyPage) or page.stand_in is None:
            continue
        was = by_src[page.src_uri]
        fields = ("url", "title", "body", "description", "feeds", "kind", "template")
        assert [getattr(page, f) for f in fields] == [getattr(was, f) for f in fields], page.src_uri
        assert page.maker.lastmod(page) == was.maker.lastmod(was)
        assert dataclasses.astuple(page.data) == dataclasses.astuple(was.data), page.src_uri


def test_a_changed_card_renders_the_listings_showing_it(tree, tmp_path):
    _edit(tree / "content/news/2021/race-07.md", "title: 技能比武第7场", "title: 技能比武第七场（更正）")
    reused, rendered = _warm(tree, tmp_path)
    assert "news/2021/index.html" in rendered or "news/2021/page/1/index.html" in rendered
    assert any("（更正）" in (tree / "site" / page).read_text(encoding="utf-8")
               for page in rendered if page.startswith("tags/"))
