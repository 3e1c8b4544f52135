"""The published site listed by a child while the build runs (app/publish_listing.py): the
publish by changes deletes from that listing what the walk after the renames deleted, leaves
alone what the walk left alone, and walks the site itself when the listing is not whole."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

from newsroom.app import publish_delta as delta_module
from newsroom.app.publish import Publisher
from newsroom.app.publish_delta import LEFT_OUT, publish_delta
from newsroom.app.publish_inplace import delete_others, left_at_top, tree_of
from newsroom.app.publish_listing import SiteListing, delete_listed
from newsroom.app.publish_target import MARKER, MARKER_TEXT, Sources


def _write(top: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        (top / rel).parent.mkdir(parents=True, exist_ok=True)
        (top / rel).write_text(text, encoding="utf-8")


def _state(top: Path) -> dict[str, str]:
    """Every entry under ``top``: a file's text, "dir", or "-> target" for a link."""
    out = {}
    for folder, dirs, names in os.walk(top):
        for name in dirs + names:
            path = Path(folder, name)
            rel = path.relative_to(top).as_posix()
            if path.is_symlink():
                out[rel] = "-> " + os.readlink(path)
            elif path.is_dir():
                out[rel] = "dir"
            else:
                out[rel] = path.read_text(encoding="utf-8")
    return out


SITE = {MARKER: MARKER_TEXT, "index.html": "home", "a/index.html": "a", "a/old.html": "a page no longer made",
        "gone/deep/index.html": "a folder no longer made", "was-file/index.html": "a folder where a file goes",
        "was-folder": "a file where a folder goes", "news/stray.html": "a stray file",
        "news/2021/x/index.html": "x", ".git/HEAD": "ref: the owner's", ".htaccess": "the owner's",
        "a/.hidden/x": "hidden below the top is not the owner's",
        "pagefind/old.pf": "the bundle, published whole", "名字/页.html": "非 ASCII"}
NEW_FILES = {MARKER, "index.html", "a/index.html", "was-file", "was-folder/index.html",
             "news/2021/x/index.html", "名字/页.html"}
NEW_FOLDERS = {"a", "was-folder", "news", "news/2021", "news/2021/x", "名字"}


def _site(top: Path) -> Path:
    _write(top, SITE)
    os.symlink("/etc", top / "a/link-out")               # a link: deleted, never entered
    (top / "empty-stray").mkdir()
    return top


def _listing(site: Path) -> SiteListing:
    listing = SiteListing.start(site, lambda name: left_at_top(name, LEFT_OUT))
    assert listing is not None
    return listing


def test_deletes_what_the_walk_deletes(tmp_path):
    """The same site, the same new lists: the listing's deletions and the walk's agree."""
    walked, listed = _site(tmp_path / "walked"), _site(tmp_path / "listed")
    entries = _listing(listed).entries()
    assert entries is not None and (True, "gone") in entries and (False, "a/link-out") in entries
    assert not any(rel.startswith((".git", "pagefind")) for _, rel in entries)     # not entered
    delete_others(walked, set(NEW_FILES), set(NEW_FOLDERS), skip=("pagefind",))
    delete_listed(listed, entries, set(NEW_FILES), set(NEW_FOLDERS), lambda name: left_at_top(name, ("pagefind",)))
    assert _state(listed) == _state(walked)
    state = _state(listed)
    assert "gone" not in state and "news/stray.html" not in state and "a/old.html" not in state
    assert "a/link-out" not in state and "empty-stray" not in state and os.path.isdir("/etc")
    assert "a/.hidden" not in state
    assert state[".git/HEAD"] == "ref: the owner's" and state["pagefind/old.pf"] == "the bundle, published whole"
    assert state["名字/页.html"] == "非 ASCII"


def test_an_entry_of_the_other_kind_after_the_renames_is_kept(tmp_path):
    """Listed as a folder, a file by the publish's renames (and the other way): kept; still the
    old kind: deleted."""
    site = _site(tmp_path / "site")
    entries = _listing(site).entries()
    assert entries is not None
    shutil.rmtree(site / "was-file")
    (site / "was-file").write_text("now a file", encoding="utf-8")          # as replace_file does
    # "was-folder" is left a file: the new site wants a folder there, nothing put one.
    delete_listed(site, entries, set(NEW_FILES), set(NEW_FOLDERS), lambda name: left_at_top(name, LEFT_OUT))
    assert (site / "was-file").read_text(encoding="utf-8") == "now a file"
    assert not (site / "was-folder").exists()


def test_an_entry_gone_before_the_publish_is_skipped(tmp_path):
    site = _site(tmp_path / "site")
    entries = _listing(site).entries()
    assert entries is not None
    shutil.rmtree(site / "gone")
    (site / "news/stray.html").unlink()
    delete_listed(site, entries, set(NEW_FILES), set(NEW_FOLDERS), lambda name: left_at_top(name, LEFT_OUT))
    assert not (site / "a/old.html").exists()


def _publisher(tmp_path: Path, listed: bool = True) -> tuple[Publisher, Path]:
    site = tmp_path / "site"
    _write(site, {MARKER: MARKER_TEXT, "index.html": "old home", "a/index.html": "a",
                  "news/stray.html": "stray before the build", "pagefind/old.pf": "old shard"})
    src = tmp_path / "src"
    for name in ("content", "brands"):
        (src / name).mkdir(parents=True, exist_ok=True)
    return Publisher(site, Sources(src, src / "content", src / "brands"), say=lambda message: None, listed=listed), site


def _build_into(staging: Path) -> None:
    _write(staging, {"index.html": "new home", "pagefind/new.pf": "new shard"})


def test_a_stray_made_while_the_build_runs_goes_with_the_next_publish(tmp_path):
    publisher, site = _publisher(tmp_path)
    with publisher:
        assert publisher.keeps_in_site and publisher._listing is not None
        assert publisher._listing.entries() is not None         # listed: what comes now is not in it
        (site / "a/during.html").write_text("stray during the build", encoding="utf-8")
        _build_into(publisher.staging)
        publisher.publish({"a/index.html"})
    state = _state(site)
    assert "news/stray.html" not in state and state["a/during.html"] == "stray during the build"
    assert state["index.html"] == "new home" and state["pagefind/new.pf"] == "new shard"
    publisher, _ = _publisher(tmp_path)
    with publisher:
        _build_into(publisher.staging)
        publisher.publish({"a/index.html"})
    assert "a/during.html" not in _state(site)


def test_a_failed_listing_means_the_walk(tmp_path, monkeypatch):
    publisher, site = _publisher(tmp_path)
    walked = []
    real = delta_module.delete_others
    monkeypatch.setattr(delta_module, "delete_others", lambda *a, **k: (walked.append(1), real(*a, **k)))
    with publisher:
        publisher._listing._proc.kill()             # killed, or the child died: no END mark
        publisher._listing._reader.join()
        publisher._listing._raw = publisher._listing._raw and publisher._listing._raw[:-3]
        _build_into(publisher.staging)
        publisher.publish({"a/index.html"})
    assert walked and "news/stray.html" not in _state(site)


def test_a_bundle_not_published_whole_is_walked(tmp_path, monkeypatch):
    """The child did not enter pagefind/; a build whose staging has no bundle to exchange
    leaves it to step 4, which must then walk the site (the listing does not hold it)."""
    site = _site(tmp_path / "site")
    staging = tmp_path / ".site.building-x"
    _write(staging, {"index.html": "new"})
    listing = _listing(site)
    walked = []
    real = delta_module.delete_others
    monkeypatch.setattr(delta_module, "delete_others", lambda *a, **k: (walked.append(1), real(*a, **k)))
    publish_delta(staging, site, {MARKER, "a/index.html"}, tmp_path / ".site.publish-journal.json", listing)
    assert walked and not (site / "pagefind").exists()
    files, _ = tree_of(site)
    assert files == {MARKER, "index.html", "a/index.html", ".htaccess", ".git/HEAD"}


def test_no_listing_for_a_build_that_will_not_publish_by_changes(tmp_path):
    publisher, _ = _publisher(tmp_path, listed=False)      # newsroom build --no-reuse
    with publisher:
        assert publisher.keeps_in_site and publisher._listing is None


def test_the_child_stats_each_file_as_the_warm_build_would(tmp_path):
    """Each listed file's stat, as ``core.sealed.stamp(os.stat(...))`` (a link followed), by the
    same site-relative path; none for folders, nor for what the child did not enter."""
    from newsroom.core.sealed import stamp

    site = _site(tmp_path / "site")
    listing = _listing(site)
    listing._reader.join()
    stats = listing.stats()
    files = {rel for is_folder, rel in listing.entries() if not is_folder}
    assert stats is not None and set(stats) == files
    for rel in files:
        path = site / rel
        if rel in stats:
            assert stats[rel] == stamp(os.stat(path)), rel
    assert stats["名字/页.html"] == stamp(os.stat(site / "名字/页.html"))
    assert "a" not in stats and "pagefind/old.pf" not in stats and ".git/HEAD" not in stats


def test_no_stats_while_the_child_lists_or_when_it_failed(tmp_path):
    site = _site(tmp_path / "site")
    listing = _listing(site)
    listing._reader.join()
    listing._stats = b"not marshal"
    assert listing.stats() is None
    listing._stats = None
    assert listing.stats() is None
    slow = _listing(site)
    slow._reader.join()
    held = slow._reader
    slow._reader = type("Alive", (), {"is_alive": lambda self: True, "join": held.join})()
    assert slow.stats() is None                 # not waited for: the build stats for itself


def test_the_publisher_hands_the_stats_over(tmp_path):
    publisher, site = _publisher(tmp_path)
    with publisher:
        publisher._listing._reader.join()
        stats = publisher.site_stats()
        assert stats is not None and "index.html" in stats
    assert _publisher(tmp_path / "other", listed=False)[0].site_stats() is None
