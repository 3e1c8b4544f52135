"""Pagefind's files written in memory and placed into the bundle (search/scratch.py): what the
earlier bundle holds alike is hard-linked from it, the rest copied, nothing left in memory, and
the bundle the same as one Pagefind wrote in place."""
from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from newsroom.search import bundle as search_bundle
from newsroom.search import scratch
from newsroom.search import shards as search_shards
from newsroom.content.graph import build_graph
from newsroom.core.settings import Settings

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def graph():
    return build_graph(ROOT / "content", ROOT / "brands", Settings())[0]


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_place_links_what_the_earlier_bundle_holds_alike_and_copies_the_rest(tmp_path):
    out, part, earlier = tmp_path / "out", tmp_path / "part", tmp_path / "earlier"
    for folder, files in ((out, {"fragment/a_1.pf_fragment": b"same", "fragment/a_2.pf_fragment": b"new",
                                 "index/a_3.pf_index": b"longer here", "pagefind.js": b"js"}),
                          (earlier, {"fragment/a_1.pf_fragment": b"same", "index/a_3.pf_index": b"other bytes",
                                     "pagefind.js": b"js"})):
        for name, data in files.items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_bytes(data)
    scratch.place(out, part, earlier)
    assert _files(part) == _files(out)
    inode = lambda p: p.stat().st_ino        # noqa: E731
    assert inode(part / "fragment/a_1.pf_fragment") == inode(earlier / "fragment/a_1.pf_fragment")
    assert inode(part / "pagefind.js") == inode(earlier / "pagefind.js")
    assert inode(part / "index/a_3.pf_index") != inode(earlier / "index/a_3.pf_index")   # same size, other bytes
    assert (earlier / "index/a_3.pf_index").read_bytes() == b"other bytes"


@pytest.mark.parametrize("root", ["memory", "off", "missing"])
def test_the_bundle_is_the_same_wherever_pagefind_writes(tmp_path, graph, monkeypatch, root):
    """A reused build: the changed shard's unchanged fragments are the earlier bundle's very
    files when Pagefind wrote in memory; the same bytes either way; nothing left behind."""
    memory = tmp_path / "shm"
    memory.mkdir()
    monkeypatch.setenv("NEWSROOM_PAGEFIND_SCRATCH", {"memory": str(memory), "off": "off",
                                                      "missing": str(tmp_path / "none")}[root])
    monkeypatch.setattr(scratch, "MIN_FREE", 1)
    site = tmp_path / "site"
    shards = search_shards.plan_shards(graph)
    search_bundle.index_shards(shards, site)
    earlier = tmp_path / "earlier"
    shutil.copytree(site / "pagefind", earlier, copy_function=os.link)
    changed = shards[0]
    changed.records[-1] = dataclasses.replace(changed.records[-1], text=changed.records[-1].text + "\n量子纠缠")
    search_bundle.index_shards(shards, site, reuse_from=site / "pagefind")
    bundle = site / "pagefind"
    new = {p.name: p for p in (bundle / "fragment").glob(f"{changed.key}_*")}
    old = {p.name: p for p in (earlier / "fragment").glob(f"{changed.key}_*")}
    kept = set(new) & set(old)
    assert len(kept) == len(new) - 1 and len(old) == len(new)       # one fragment changed
    same_inode = {name for name in kept if new[name].stat().st_ino == old[name].stat().st_ino}
    assert same_inode == (kept if root == "memory" else set())
    assert all(new[name].read_bytes() == old[name].read_bytes() for name in kept)
    assert list(memory.iterdir()) == []                              # nothing left in memory
    assert sorted(os.listdir(site)) == ["pagefind"]


def test_scratch_root_refuses_a_folder_without_room(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSROOM_PAGEFIND_SCRATCH", str(tmp_path))
    monkeypatch.setattr(scratch, "MIN_FREE", 1)
    assert scratch.scratch_root() == str(tmp_path)
    monkeypatch.setattr(scratch, "MIN_FREE", 1 << 62)
    assert scratch.scratch_root() is None
    monkeypatch.setenv("NEWSROOM_PAGEFIND_SCRATCH", str(tmp_path / "nowhere"))
    monkeypatch.setattr(scratch, "MIN_FREE", 1)
    assert scratch.scratch_root() is None


def test_a_cold_index_is_written_in_place(tmp_path, monkeypatch):
    """No earlier bundle to link from: every file would be copied, so Pagefind writes into the
    part folder itself (a cold build's files are made once, not twice)."""
    monkeypatch.setenv("NEWSROOM_PAGEFIND_SCRATCH", str(tmp_path))
    monkeypatch.setattr(scratch, "MIN_FREE", 1)
    part = tmp_path / "part"
    with scratch.pagefind_output(part, None) as out:
        assert out == part
    with scratch.pagefind_output(part, tmp_path / "earlier") as out:
        assert out.parent == tmp_path and out.name.startswith("newsroom-pagefind-")
    assert not out.exists()


def test_folders_left_by_a_killed_indexer_are_removed_by_the_next(tmp_path, monkeypatch):
    """A folder named for a process that is gone (kill -9: no ``finally``) is removed before the
    next shard is written; a live process's, a symlink and names of others stay."""
    monkeypatch.setenv("NEWSROOM_PAGEFIND_SCRATCH", str(tmp_path))
    monkeypatch.setattr(scratch, "MIN_FREE", 1)
    gone = subprocess.Popen(["true"])
    gone.wait()
    stale = tmp_path / f"{scratch.PREFIX}{gone.pid}-abc"
    (stale / "fragment").mkdir(parents=True)
    (stale / "fragment" / "x.pf_fragment").write_bytes(b"left")
    live = tmp_path / f"{scratch.PREFIX}{os.getpid()}-def"
    live.mkdir()
    (tmp_path / "target").mkdir()
    planted = tmp_path / f"{scratch.PREFIX}{gone.pid}-lnk"
    planted.symlink_to(tmp_path / "target")
    other = tmp_path / "someone-else"
    other.mkdir()
    with scratch.pagefind_output(tmp_path / "part", tmp_path / "earlier") as out:
        assert out.name.startswith(f"{scratch.PREFIX}{os.getpid()}-")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([live.name, planted.name, other.name, "target", "part"])
    assert (tmp_path / "target").is_dir()
