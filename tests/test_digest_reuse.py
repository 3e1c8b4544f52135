"""The live preview's snapshots carry cards and fingerprints over (pages/digest.py).

Each save makes every page's data again; cards equal to the last snapshot's are the
same objects (``Cards.keep``) and their fingerprints are reused by id
(``Snapshot.of(specs, before)``). These tests prove the reuse happens and that it
changes no digest: a changed article still gets a new card and a new digest.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import ROOT

from newsroom.content.graph import build_graph
from newsroom.content.load import DocCache
from newsroom.core.model import Settings
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
        old = pages1[src].data
        assert spec.data is not old                          # each snapshot makes its views
        assert all(a is b for a, b in zip(spec.data.related, old.related))
        assert all(a is b for a, b in zip(spec.data.brands, old.brands))
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
