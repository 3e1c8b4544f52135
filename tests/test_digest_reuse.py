"""The live preview's snapshots carry cards and fingerprints over (pages/digest.py).

Cards equal to the last snapshot's are the same objects (``Cards.keep``) and their
fingerprints are reused by id (``Snapshot.of(specs, before)``); an article page made
from the very same inputs (the article, the kept cards it shows) is the last
snapshot's page, with its digest (``Cards.reused``). These tests prove the reuse
happens and that it changes no digest: after every kind of edit the snapshot's
digests equal those of a snapshot made from scratch, and the pages showing the edit
are made again.
"""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Callable

import pytest

from conftest import ROOT

from newsroom.content.graph import build_graph
from newsroom.content.load import DocCache
from newsroom.core.settings import Settings
from newsroom.core.urls import term_url
from newsroom.pages.digest import Snapshot
from newsroom.pages.kinds import site_pages
from newsroom.pages.related import RelatedMemo


def _tree(tmp: Path) -> Path:
    shutil.copytree(ROOT / "content", tmp / "content")
    shutil.copytree(ROOT / "brands", tmp / "brands")
    return tmp


def _snapshot(root: Path, cache: DocCache, memo: RelatedMemo, before: Snapshot | None = None) -> Snapshot:
    graph, _ = build_graph(root / "content", root / "brands", Settings(), cache=cache)
    return Snapshot.of(list(site_pages(graph, memo)), before)


def _article_pages(snap: Snapshot) -> dict[str, object]:
    return {src: spec for src, spec in snap.specs.items() if spec.kind == "article"}


def test_unchanged_cards_and_fingerprints_are_carried_over(tmp_path):
    root, cache, memo = _tree(tmp_path), DocCache(), RelatedMemo()
    first = _snapshot(root, cache, memo)
    second = _snapshot(root, cache, memo, first)
    assert second.digests == first.digests
    pages1, pages2 = _article_pages(first), _article_pages(second)
    assert pages1
    for src, spec in pages2.items():
        assert spec is pages1[src]                           # nothing changed: the very page
    # The cards' fingerprints came from the last snapshot's memo, not a new walk.
    shared = {k: v for k, v in second.memo.items() if k in first.memo}
    assert shared and all(first.memo[k] == v for k, v in shared.items())


def test_a_changed_article_gets_a_new_card_and_digest(tmp_path):
    root, cache, memo = _tree(tmp_path), DocCache(), RelatedMemo()
    first = _snapshot(root, cache, memo)
    src = next(s for s, spec in _article_pages(first).items() if spec.data.related)
    linked = next(iter(_article_pages(first)[src].data.related))
    path = next(p for p in (root / "content").rglob("*.md") if p.as_posix().endswith(_src_of(first, linked.url)))
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("title:", "title: 更正", 1), encoding="utf-8")
    second = _snapshot(root, cache, memo, first)
    changed = _article_pages(second)[src].data.related
    assert any(c.title.startswith("更正") for c in changed)
    assert second.digests[src] != first.digests[src]          # the page listing it renders again
    assert second.digests == Snapshot.of(list(second.specs.values())).digests   # same as from scratch


def _src_of(snap: Snapshot, url: str) -> str:
    return next(src for src, spec in snap.specs.items() if spec.url == url)


def test_term_url_still_refuses_unsafe_names_every_time():
    assert term_url("tag", "柯桥") == term_url("tag", "柯桥")
    for _ in range(2):                    # memoized: an error is not cached as a result
        with pytest.raises(ValueError):
            term_url("tag", "..")


def _fresh(root: Path) -> Snapshot:
    """The same content as a first snapshot: no cache, no memo, nothing carried over."""
    return _snapshot(root, DocCache(), RelatedMemo())


def _news(root: Path) -> list[Path]:
    return sorted((root / "content" / "news").rglob("*.md"))


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _reused(before: Snapshot, after: Snapshot) -> set[str]:
    return {src for src, spec in _article_pages(after).items() if before.specs.get(src) is spec}


def _src(root: Path, path: Path) -> str:
    return path.relative_to(root / "content").as_posix()


def test_title_edit_remakes_its_page_and_the_pages_showing_it(tmp_path):
    root, cache, memo = _tree(tmp_path), DocCache(), RelatedMemo()
    first = _snapshot(root, cache, memo)
    path = _news(root)[0]
    edited = _src(root, path)
    _edit(path, "title:", "title: 更正")
    second = _snapshot(root, cache, memo, first)
    assert second.digests == _fresh(root).digests
    reused = _reused(first, second)
    assert edited not in reused and second.digests[edited] != first.digests[edited]
    # Pages whose related list or neighbours show the edited article are made again; the others are not.
    url = second.specs[edited].url
    showing = {src for src, spec in _article_pages(second).items()
               if url in {c.url for c in (*spec.data.related, spec.data.prev, spec.data.next) if c}}
    assert showing and not (showing & reused)
    assert reused == set(_article_pages(second)) - showing - {edited}


def test_deleted_and_added_articles(tmp_path):
    root, cache, memo = _tree(tmp_path), DocCache(), RelatedMemo()
    first = _snapshot(root, cache, memo)
    gone = _news(root)[1]
    gone_src = _src(root, gone)
    gone.unlink()
    second = _snapshot(root, cache, memo, first)
    assert gone_src not in second.specs and second.digests == _fresh(root).digests
    # Only the pages that listed it (related, 上一篇/下一篇) are made again: not every page of
    # its brands, though a brand's count of articles changed (article pages do not show it).
    gone_url = first.specs[gone_src].url
    showed = {src for src, spec in _article_pages(first).items()
              if gone_url in {c.url for c in (*spec.data.related, spec.data.prev, spec.data.next) if c}}
    assert _reused(first, second) == set(_article_pages(second)) - showed
    new = root / "content" / "news" / "2022" / "zz-new.md"
    new.write_text("---\ntitle: 新文章\ndate: 2022-12-31 23:00\nbrands: [ke-gong-sai]\n---\n\n新的正文。\n",
                   encoding="utf-8")
    third = _snapshot(root, cache, memo, second)
    assert "news/2022/zz-new.md" in third.specs and third.digests == _fresh(root).digests
    assert "news/2022/zz-new.md" not in _reused(second, third)


def test_brand_rename_remakes_the_pages_of_its_articles(tmp_path):
    root, cache, memo = _tree(tmp_path), DocCache(), RelatedMemo()
    first = _snapshot(root, cache, memo)
    _edit(root / "brands" / "ke-gong-sai.md", "name: 柯工赛", "name: 柯工赛事")
    second = _snapshot(root, cache, memo, first)
    assert second.digests == _fresh(root).digests
    reused = _reused(first, second)
    of_brand = {src for src, spec in _article_pages(second).items()
                if any(b.id == "ke-gong-sai" for b in spec.data.brands)}
    assert of_brand and not (of_brand & reused)
    for src in of_brand:
        assert "柯工赛事" in {b.name for b in second.specs[src].data.brands}
        assert second.digests[src] != first.digests[src]


def test_related_lists_are_reused_while_their_neighbours_are_the_same(tmp_path, monkeypatch):
    """One deletion changes the tag's index list of every article with that tag; only those
    whose neighbours in time (what ``related`` scores) included it are ranked again, and
    every list equals one ranked from scratch."""
    import newsroom.pages.related as rel

    news = _numbered(tmp_path, lambda i: "tags: [技能竞赛]\n")
    cache, memo = DocCache(), RelatedMemo()

    def lists() -> dict[str, list[str]]:
        graph, _ = build_graph(tmp_path / "content", tmp_path / "brands", Settings(), cache=cache)
        got = {a.src_uri: [r.src_uri for r in memo.related(graph, a)] for a in graph.articles}
        counting.clear()                         # from here on: ranked from scratch, not counted
        assert got == {a.src_uri: [r.src_uri for r in rel.related(graph, a)] for a in graph.articles}
        return got

    ranked: list[str] = []
    counting: list[bool] = []
    real = rel._rank
    monkeypatch.setattr(rel, "_rank", lambda article, parts, n=rel.RELATED: (
        counting and ranked.append(article.src_uri)) or real(article, parts, n))
    counting.append(True)
    lists()
    assert len(ranked) == 120                    # the first time: every article
    ranked.clear()
    counting.append(True)
    (news / "a-005.md").unlink()
    after = lists()
    assert len(after) == 119
    assert 0 < len(ranked) <= 14                 # its neighbours within the tag's window (±6), not 119


def _numbered(root: Path, fields: Callable[[int], str]) -> Path:
    """120 articles 第0篇 … 第119篇 of 2021, oldest first, each with ``fields(i)`` (front-matter lines)."""
    news = root / "content" / "news" / "2021"
    news.mkdir(parents=True)
    (root / "brands").mkdir()
    for i in range(120):
        (news / f"a-{i:03d}.md").write_text(
            f"---\ntitle: 第{i}篇\ndate: 2021-{1 + i // 28:02d}-{1 + i % 28:02d} 08:00\n{fields(i)}---\n\n正文。\n",
            encoding="utf-8")
    return news


def test_a_save_makes_the_inputs_only_of_pages_it_can_have_changed(tmp_path, monkeypatch):
    """The graph-level diff (kinds/unchanged.py): a save that changes nothing makes no
    article page's inputs (related list, cards, links); a title edit or a deletion makes
    those of the articles whose windows of the tag's list held it (±6), not of all 120;
    and after each save the digests equal a snapshot made from scratch."""
    from newsroom.pages.kinds.cards import Cards

    news = _numbered(tmp_path, lambda i: "tags: [技能竞赛]\ncolumn: 工会动态\n")
    made: list[str] = []
    real = Cards.related
    monkeypatch.setattr(Cards, "related", lambda self, a: made.append(a.src_uri) or real(self, a))
    cache, memo = DocCache(), RelatedMemo()

    def save(before: Snapshot | None) -> Snapshot:
        made.clear()
        snap = _snapshot(tmp_path, cache, memo, before)
        counted = list(made)
        assert snap.digests == _fresh(tmp_path).digests
        made[:] = counted
        return snap

    first = save(None)
    assert len(made) == 120
    second = save(first)
    assert made == [] and _reused(first, second) == set(_article_pages(first))
    _edit(news / "a-050.md", "title: 第50篇", "title: 第50篇（更正）")
    third = save(second)
    assert "news/2021/a-050.md" in made and 1 < len(made) <= 13
    assert third.digests["news/2021/a-050.md"] != second.digests["news/2021/a-050.md"]
    (news / "a-005.md").unlink()
    fourth = save(third)
    assert 0 < len(made) <= 14 and "news/2021/a-005.md" not in fourth.specs


def test_brands_read_again_equal_keep_their_articles_pages(tmp_path):
    """Brands and workers are made anew on every load: equal ones count as unchanged, and a
    renamed brand makes its articles' pages and cards (shown on other pages) again."""
    root, cache, memo = _tree(tmp_path), DocCache(), RelatedMemo()
    first = _snapshot(root, cache, memo)
    second = _snapshot(root, cache, memo, first)
    assert _reused(first, second) == set(_article_pages(first))
    _edit(root / "brands" / "ke-gong-sai.md", "name: 柯工赛", "name: 柯工赛事")
    third = _snapshot(root, cache, memo, second)
    assert third.digests == _fresh(root).digests
    shown = [c for spec in _article_pages(third).values() for c in spec.data.related]
    assert shown and not any("柯工赛" in c.brand_names for c in shown)


def test_pages_made_again_equal_take_the_last_digest_without_a_walk(tmp_path, monkeypatch):
    """Listings are made on every save, from the kept cards: an equal page takes the last
    snapshot's digest (``_same_page``) without fingerprinting; an edit still shows."""
    import newsroom.pages.digest as digest

    root, cache, memo = _tree(tmp_path), DocCache(), RelatedMemo()
    first = _snapshot(root, cache, memo)
    walked: list[str] = []
    real = digest.page_digest
    monkeypatch.setattr(digest, "page_digest", lambda page, *a: walked.append(page.src_uri) or real(page, *a))
    second = _snapshot(root, cache, memo, first)
    listings = [src for src, spec in second.specs.items() if spec.kind != "article" and spec is not first.specs[src]]
    assert listings and walked == [] and second.digests == first.digests
    path = _news(root)[0]
    _edit(path, "title:", "title: 更正")
    third = _snapshot(root, cache, memo, second)
    changed = {src for src, spec in third.specs.items() if third.digests[src] != second.digests.get(src)}
    listing = {src for src in changed if third.specs[src].kind != "article"}
    assert _src(root, path) in changed and listing and listing <= set(walked)   # the pages listing it
    assert third.digests == _fresh(root).digests != second.digests


def test_a_title_edit_versions_only_the_lists_of_the_articles_it_makes_again(tmp_path):
    """``RelatedMemo`` versions an index list when an article made again asks for it: a title
    edit made ~15 articles' pages again and hashed the sort keys of every list of the site."""
    news = _numbered(tmp_path, lambda i: f"tags: [技能竞赛, 标签{i % 40}]\n")
    cache, memo = DocCache(), RelatedMemo()
    first = _snapshot(tmp_path, cache, memo)
    assert len(memo._versions) == 41                 # the first snapshot ranks every article
    _edit(news / "a-050.md", "title: 第50篇", "title: 第50篇（更正）")
    second = _snapshot(tmp_path, cache, memo, first)
    assert second.digests == _fresh(tmp_path).digests
    asked = {key for kind, key in memo._versions}
    assert "技能竞赛" in asked and "标签10" in asked and len(asked) < 20
