"""A warm build published by its changes (app/publish_delta.py, issue 18): the reused pages
stay in the site, the files the build wrote are renamed in, what it no longer makes is
deleted; a build killed mid-publish is completed by the next one; the result is byte for
byte a clean build's."""
from __future__ import annotations

import json
import os
import signal
import subprocess
from pathlib import Path

import pytest

from conftest import ENV, NEWSROOM
from newsroom.app import publish_delta
from newsroom.app.publish_delta import publish_delta as publish, roll_forward
from test_incremental import _article
from test_warm_build import _race, _warm, tree  # noqa: F401  (the fixture)


def _files_of(top: Path) -> dict[str, bytes]:
    return {p.relative_to(top).as_posix(): p.read_bytes() for p in sorted(top.rglob("*")) if p.is_file()}


def _write(top: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        (top / rel).parent.mkdir(parents=True, exist_ok=True)
        (top / rel).write_text(text, encoding="utf-8")


def test_changed_new_and_deleted_pages_a_damaged_page_and_a_stray_file(tree, tmp_path):  # noqa: F811
    site = tree / "site"
    (tree / "content/news/2021/new-one.md").write_text(_article("新的比武", "2021-12-30 10:00"), encoding="utf-8")
    text = (tree / "content/news/2021/race-07.md").read_text(encoding="utf-8")
    (tree / "content/news/2021/race-07.md").write_text(text.replace("title: 技能比武第7场", "title: 第七场（更正）"),
                                                         encoding="utf-8")
    (tree / "content/news/2021/race-09.md").unlink()
    damaged = site / _race(3)
    damaged.write_bytes(damaged.read_bytes().replace("技能比武".encode(), "被改动的".encode()))
    (site / "news/stray.html").write_text("no build made me", encoding="utf-8")
    (site / "stray-folder/deep").mkdir(parents=True)
    reused, rendered = _warm(tree, tmp_path)          # the site equals a clean build's, file by file
    assert "news/2021/12/new-one/index.html" in rendered and _race(7) in rendered
    assert _race(3) in rendered and "被改动的" not in damaged.read_text(encoding="utf-8")
    assert not (site / _race(9)).exists() and not (site / _race(9)).parent.exists()
    assert _race(0) in reused                          # left where it was: the same inode
    assert not (site / "news/stray.html").exists() and not (site / "stray-folder").exists()
    assert not (tree / ".site.publish-journal.json").exists()


def _cli_build(tree: Path) -> subprocess.CompletedProcess:
    return subprocess.run([NEWSROOM, "build", "-q", "-f", str(tree / "site_config.yml"), "--content",
                           str(tree / "content"), "--brands", str(tree / "brands"), "--site-dir", str(tree / "site")],
                          cwd=tree, env=ENV, capture_output=True, text=True, timeout=600)


def _staging(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A published site, and a staging folder beside it holding a new, a changed and a
    whole search bundle; ``keep`` is the site's unchanged page."""
    site, staging = tmp_path / "site", tmp_path / ".site.building-x"
    _write(site, {"index.html": "old home", "a/index.html": "a", "gone/index.html": "deleted page",
                  "pagefind/old.pf": "old shard", ".newsroom-site": "marker"})
    _write(staging, {"index.html": "new home", "b/index.html": "new page -> a", "pagefind/new.pf": "new shard",
                     ".newsroom-site": "marker"})
    return site, staging, tmp_path / ".site.publish-journal.json"


EXPECTED = {".newsroom-site": b"marker", "a/index.html": b"a", "b/index.html": b"new page -> a",
            "index.html": b"new home", "pagefind/new.pf": b"new shard"}


def test_a_folder_file_or_link_in_the_way_is_replaced_and_nothing_outside_is_touched(tmp_path):
    """``replace_file`` renames first and clears a folder only when the rename says one is in
    the way; ``ensure_folder`` replaces a file or a link (to a folder outside the site) with a
    folder of its own, never entering the link."""
    site, staging, journal = _staging(tmp_path)
    outside = tmp_path / "outside"
    _write(outside, {"keep.txt": "not the site's"})
    (site / "index.html").unlink()
    _write(site, {"index.html/inner.html": "a folder where the home page goes"})
    _write(staging, {"c/d/index.html": "deep new page", "e/index.html": "new page e"})
    (site / "c").write_text("a file where a folder goes", encoding="utf-8")
    (site / "e").symlink_to(outside, target_is_directory=True)
    publish(staging, site, {"a/index.html"}, journal)
    assert _files_of(site) == {**EXPECTED, "c/d/index.html": b"deep new page", "e/index.html": b"new page e"}
    assert not (site / "e").is_symlink() and _files_of(outside) == {"keep.txt": b"not the site's"}


def test_delta_publish_renames_new_then_changed_files_and_deletes_the_rest(tmp_path):
    site, staging, journal = _staging(tmp_path)
    keep = (site / "a/index.html").stat().st_ino
    publish(staging, site, {"a/index.html"}, journal)
    assert _files_of(site) == EXPECTED and not journal.exists()
    assert (site / "a/index.html").stat().st_ino == keep
    # The old bundle and the old file the changed one was exchanged with, for the caller.
    assert _files_of(staging) == {"pagefind/old.pf": b"old shard", "index.html": b"old home",
                                  ".newsroom-site": b"marker"}


@pytest.mark.parametrize("exchanges", [True, False])
@pytest.mark.parametrize("moves", [0, 1, 2])
def test_a_publish_killed_midway_is_completed_by_the_next_build(tmp_path, monkeypatch, moves, exchanges):
    """Killed after 0, 1 or 2 of its moves (a new page renamed in, the changed home page
    exchanged with the old one, or renamed over it where the file system cannot exchange):
    the roll forward puts what is left, never the old home page left in staging."""
    site, staging, journal = _staging(tmp_path)
    done = []
    real = publish_delta._Mover.put

    def killed_after(self, src: str, dst: str, over_a_file: bool) -> None:
        if len(done) == moves:
            raise SystemExit("killed")        # stands for SIGKILL: nothing after it runs
        done.append(dst)
        self.exchanges = exchanges
        real(self, src, dst, over_a_file)

    monkeypatch.setattr(publish_delta._Mover, "put", killed_after)
    with pytest.raises(SystemExit):
        publish(staging, site, {"a/index.html"}, journal)
    assert journal.exists() and _files_of(site) != EXPECTED
    record = json.loads(journal.read_text(encoding="utf-8"))
    assert record["staging"] == str(staging) and "a/index.html" in record["files"]
    assert sorted(record["staged"]) == [".newsroom-site", "b/index.html", "index.html"]
    monkeypatch.setattr(publish_delta._Mover, "put", real)
    assert roll_forward(journal, site)
    assert _files_of(site) == EXPECTED and not journal.exists()
    assert not roll_forward(journal, site)            # nothing left to complete
    assert _files_of(site) == EXPECTED


def test_a_publish_killed_after_its_exchanges_does_not_put_the_old_files_back(tmp_path, monkeypatch):
    """Every staged file put, the old home page left in staging by the exchange: the roll
    forward knows it by its inode (not the one the journal names) and leaves it there."""
    site, staging, journal = _staging(tmp_path)
    monkeypatch.setattr(publish_delta, "_delete_the_rest", lambda *a, **k: (_ for _ in ()).throw(SystemExit))
    with pytest.raises(SystemExit):
        publish(staging, site, {"a/index.html"}, journal)
    assert (staging / "index.html").read_text(encoding="utf-8") == "old home"
    assert (site / "index.html").read_text(encoding="utf-8") == "new home"
    monkeypatch.undo()
    assert roll_forward(journal, site)
    assert _files_of(site) == EXPECTED and not journal.exists()


def test_a_journal_naming_another_folder_moves_nothing_into_the_site(tmp_path):
    """A journal edited (or copied from elsewhere) to name a folder that is not one of this
    site's staging folders: dropped, nothing of that folder reaches the site."""
    site, staging, journal = _staging(tmp_path)
    elsewhere = tmp_path / "private"
    _write(elsewhere, {"secret.txt": "not for the public"})
    before = _files_of(site)
    journal.write_text(json.dumps({"staging": str(elsewhere), "whole": {}, "files": ["secret.txt"],
                                   "folders": []}), encoding="utf-8")
    assert roll_forward(journal, site)
    assert not journal.exists() and _files_of(site) == before
    assert (elsewhere / "secret.txt").is_file()


def test_the_next_newsroom_build_rolls_forward_first(tree, tmp_path, monkeypatch):  # noqa: F811
    """A real site: a publish killed after its first move; the CLI completes it, then builds."""
    site = tree / "site"
    staging = tree / ".site.building-killed"
    _write(staging, {"news/killed/index.html": "a page the killed build wrote", "z/index.html": "z"})
    monkeypatch.setattr(publish_delta, "delete_others", lambda *a, **k: (_ for _ in ()).throw(SystemExit))
    kept = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    with pytest.raises(SystemExit):
        publish(staging, site, kept, tree / ".site.publish-journal.json")
    assert (tree / ".site.publish-journal.json").exists()
    proc = _cli_build(tree)
    assert proc.returncode == 0, proc.stderr
    assert "已先把它发布完整" in proc.stderr
    assert not (tree / ".site.publish-journal.json").exists()
    # Completed, then replaced by this build's site: no page of the killed build is left.
    assert not (site / "news/killed").exists() and not (site / "z").exists()
    assert (site / _race(5)).is_file()


def test_ctrl_c_during_the_publish_waits_for_its_end(tmp_path, monkeypatch):
    site, staging, journal = _staging(tmp_path)
    real = publish_delta.replace_file

    def interrupted(src: Path, dst: Path) -> None:
        os.kill(os.getpid(), signal.SIGINT)
        real(src, dst)

    monkeypatch.setattr(publish_delta, "replace_file", interrupted)
    # Python's own Ctrl-C handler, whatever this process inherited (a job started in the
    # background by a shell ignores SIGINT, and the deferred signal must then stay ignored).
    before = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with pytest.raises(KeyboardInterrupt):
            publish(staging, site, {"a/index.html"}, journal)
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler     # put back
    finally:
        signal.signal(signal.SIGINT, before)
    assert _files_of(site) == EXPECTED and not journal.exists()
