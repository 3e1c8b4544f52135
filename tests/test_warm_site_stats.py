"""mkdocs/warm.py ``_link``: a kept page's stat taken ahead by the publish's listing child
(app/publish_listing.py, ``WarmBuild.site_stats``) is used when it is the recorded one; any
other, or none, and the file is stat'ed and verified here as before."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

from newsroom.core.sealed import stamp
from newsroom.mkdocs import warm
from newsroom.mkdocs.warm import WarmBuild
from newsroom.mkdocs.warm_store import CacheStore

DEST = "news/a/index.html"


def _page(tmp_path: Path, text: str = "<p>kept</p>") -> tuple[WarmBuild, Path, list]:
    site = tmp_path / "site"
    (site / "news/a").mkdir(parents=True)
    path = site / DEST
    path.write_text(text, encoding="utf-8")
    build = WarmBuild(CacheStore(tmp_path / "cache"), site, in_site=True)
    return build, path, stamp(os.stat(path))


def _counting_stat(monkeypatch) -> list:
    calls, real = [], os.stat
    monkeypatch.setattr(warm.os, "stat", lambda path, *a, **k: (calls.append(str(path)), real(path, *a, **k))[1])
    return calls


def _link(build: WarmBuild, path: Path, sha: str, seen: list) -> bool:
    return build._link(DEST, str(path), str(path.parent / "staging.html"), sha, seen)


def test_the_listing_stat_spares_the_stat_when_it_is_the_recorded_one(tmp_path, monkeypatch):
    build, path, seen = _page(tmp_path)
    build._ahead = {DEST: list(seen)}
    calls = _counting_stat(monkeypatch)
    assert _link(build, path, "not read: the stat is the recorded one", seen)
    assert calls == [] and build._linked[DEST] == seen and DEST in build.left_in_site


def test_a_file_listed_otherwise_is_stated_and_verified_here(tmp_path, monkeypatch):
    build, path, seen = _page(tmp_path)
    path.write_text("<p>changed by someone</p>", encoding="utf-8")     # after the last build
    build._ahead = {DEST: stamp(os.stat(path))}
    calls = _counting_stat(monkeypatch)
    kept_sha = hashlib.sha256(b"<p>kept</p>").hexdigest()
    assert not _link(build, path, kept_sha, seen)           # its bytes are not the kept ones
    assert calls == [str(path)] and DEST not in build.left_in_site


def test_without_the_listing_each_file_is_stated(tmp_path, monkeypatch):
    build, path, seen = _page(tmp_path)
    calls = _counting_stat(monkeypatch)
    assert _link(build, path, "", seen)
    assert calls == [str(path)] and build._linked[DEST] == seen


def test_no_listing_stats_by_default(tmp_path):
    """The live preview and ``--no-reuse`` builds have no listing child: every file stat'ed."""
    assert WarmBuild(CacheStore(tmp_path / "cache"), tmp_path).site_stats() is None
