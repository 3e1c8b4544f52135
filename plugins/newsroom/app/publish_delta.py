"""Publishing a warm build by its changes: the files it wrote, renamed into the site.

A warm build (mkdocs/warm.py) verifies each page it reuses against the published site
(the very file the last build published, or its checksum) and, when ``Publisher`` says
the site may be updated this way, leaves that file where it is instead of linking it
into the staging folder. The staging folder then holds only what this build wrote:
the pages rendered again, the feeds and sitemaps that changed, the theme's assets, the
admin folder and the search bundle (built whole, its unchanged shards linked). At 10k
articles that spares ~15,000 links and mkdirs per build, and the deletion of the old
site's ~27,000 files and 15,000 folders. Publishing:

1. writes a journal beside the site (``.site.publish-journal.json``): the staging folder,
   every file and folder the new site has, the reused and the staged ones, and the staged
   files' inode numbers;
2. exchanges the search bundle whole (``renameat2``: a search never sees half a bundle);
3. puts each staged file into the site: new files first, then changed ones, so a
   changed page never links to a page not there yet; a new file by a rename, a changed one
   by exchanging it with the old one (``_Mover``), which stays in staging;
4. deletes what the site holds beyond the journal's list (pages no longer made, and stray
   files no build made, as the swap did); the owner's hidden entries stay (publish_keep);
5. deletes the journal.

SIGINT, SIGTERM and SIGHUP wait until step 5 (a few hundred renames and one walk of the
site: under a second at 10k articles): Ctrl-C never leaves a half-published site. A
killed build (SIGKILL, a power cut) leaves the journal, and the next build completes
the publish before anything else (``roll_forward``): each step can be done again.
Readers may see old and new pages side by side for the moment of the renames, as with
a site updated in place (publish_inplace); a page is never half-written.
"""
from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Iterable, Optional

from ..core.terminal import stops_held
from ..search.bundle import BUNDLE as SEARCH_BUNDLE
from .publish_inplace import delete_others, ensure_folder, left_at_top, replace_file
from .publish_listing import SiteListing, delete_listed
from .publish_swap import NO_EXCHANGE, exchange

JOURNAL = "publish-journal.json"      # beside the site, after its prefix: .site.publish-journal.json
WHOLE = (SEARCH_BUNDLE,)              # top-level folders built whole, put in place whole
# Not walked file by file: the whole folders, and the old ones ``_exchange`` puts beside them.
LEFT_OUT = frozenset([*WHOLE, *(f"{name}.old" for name in WHOLE)])


def publish_delta(staging: Path, site: Path, kept: Iterable[str], journal: Path,
                  listing: Optional[SiteListing] = None) -> None:
    """Make ``site`` hold the files of ``staging`` and ``kept`` (site-relative paths of
    files already in ``site``), nothing else of ours; ``staging`` is left with what the
    site had in its whole folders (the old search bundle) and the files the staged ones
    replaced, for the caller to delete.
    ``listing``: the site as listed when the build started (publish_listing), which step 4
    deletes from instead of walking the site."""
    inodes, folders = _staged(staging)
    files = set(inodes)
    for path in kept:                    # ~15,000 at 10k: each folder's parents added once
        files.add(path)
        folder = os.path.dirname(path)
        while folder and folder not in folders:
            folders.add(folder)
            folder = os.path.dirname(folder)
    whole = {name: _identity(staging / name) for name in WHOLE if _is_folder(staging / name)}
    record = {"staging": str(staging), "whole": whole, "files": sorted(files), "folders": sorted(folders),
              "staged": inodes}
    _write_journal(journal, record)
    with stops_held():
        _complete(staging, site, record, listing)
        journal.unlink()


def roll_forward(journal: Path, site: Path) -> bool:
    """Complete the publish a killed build left (its journal); True if there was one.

    A journal whose staging folder is gone cannot be completed: it is dropped, and the
    warm build repairs the site (every reused file is verified against the cache, which
    still describes the build before; stray files go with the next publish)."""
    try:
        record = json.loads(journal.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return False
    except (OSError, ValueError):        # written whole or not at all (_write_journal): not ours
        journal.unlink(missing_ok=True)
        return True
    staging = Path(str(record.get("staging", "")))
    if _is_staging_of(staging, journal) and staging.is_dir():
        with stops_held():
            _complete(staging, site, record)
    journal.unlink(missing_ok=True)
    return True


def _is_staging_of(staging: Path, journal: Path) -> bool:
    """Only a staging folder of this site's builds is published from: a journal naming any
    other folder (edited, or copied from elsewhere) would move outside files into the site."""
    prefix = journal.name[: -len(JOURNAL)]
    return staging.parent == journal.parent and staging.name.startswith(f"{prefix}building-")


def _complete(staging: Path, site: Path, record: dict, listing: Optional[SiteListing] = None) -> None:
    """Steps 2-4 of the module's doc; each can be done again after a kill."""
    whole = record["whole"]
    for name, identity in whole.items():
        new, old = staging / name, site / name
        if _identity(old) == identity or not _is_folder(new):
            continue                     # done before the kill
        if _is_folder(old):
            _exchange(new, old)
        else:
            if os.path.lexists(old):
                old.unlink()
            os.rename(new, old)
    staged, _ = _staged(staging)
    named = record.get("staged")
    if isinstance(named, dict):
        # The files the journal named: one exchanged in before a kill left the old one at its
        # staged path (another inode), which stays there.
        staged = {path: ino for path, ino in staged.items() if named.get(path) == ino}
    # Strings, not Paths: ~1,300 files and ~700 folders after one new article at 10k articles.
    into, out_of = os.path.join(str(site), ""), os.path.join(str(staging), "")
    there = {path: _mode(into + path) for path in staged}
    fresh = sorted(path for path, mode in there.items() if mode is None)
    made: set[str] = set()
    mover = _Mover()
    for path in [*fresh, *sorted(path for path, mode in there.items() if mode is not None)]:
        for folder in _parents(path)[::-1]:
            if folder not in made:
                ensure_folder(into + folder)
                made.add(folder)
        mode = there[path]
        mover.put(out_of + path, into + path, mode is not None and stat.S_ISREG(mode))
    _delete_the_rest(site, set(record["files"]), set(record["folders"]), tuple(whole), listing)


def _delete_the_rest(site: Path, files: set[str], folders: set[str], whole: tuple[str, ...],
                     listing: Optional[SiteListing]) -> None:
    """Step 4: from the listing made while the build ran, if there is a whole one that left
    out only what this step leaves alone; else by a walk of the site."""
    entries = listing.entries() if listing is not None else None
    if listing is None or entries is None or not all(left_at_top(name, whole) for name in listing.skipped):
        delete_others(site, files, folders, skip=whole)
        return
    delete_listed(site, entries, files, folders, lambda name: left_at_top(name, whole))


class _Mover:
    """Puts a staged file at its place in the site. Over a file there, by exchanging the two
    (``renameat2(RENAME_EXCHANGE)``: readers see the old page or the new one, as with a rename):
    the old file is left at the staged path, deleted with the staging folder by a detached
    process. A rename over a file made ext4 (``auto_da_alloc``) write the new file's data out
    and free the old one's blocks inside the rename: after one new article at 10k articles,
    ~810 such renames took 0.11 s of wall on a quiet disk and 0.66-1.7 s on a busy one, for
    0.05-0.09 CPU-s (/tmp/tail15/rn/rb2.py: 800 files, 0.3-1.6 s renamed over, 0.02-0.07 s
    exchanged). Where the file system cannot exchange, a rename as before."""

    def __init__(self) -> None:
        self.exchanges = True

    def put(self, src: str, dst: str, over_a_file: bool) -> None:
        if over_a_file and self.exchanges:
            try:
                exchange(src, dst)
                return
            except OSError as exc:
                if exc.errno not in NO_EXCHANGE:
                    raise
                self.exchanges = False
        replace_file(src, dst)


def _staged(staging: Path) -> tuple[dict[str, int], set[str]]:
    """``tree_of(staging, LEFT_OUT)``, each file with its inode number as the folder's listing
    gives it (no stat): the journal names the staged files by it (see ``_complete``)."""
    files: dict[str, int] = {}
    folders: set[str] = set()

    def walk(path: str, rel: str) -> None:
        with os.scandir(path) as found:
            entries = list(found)
        for entry in entries:
            if not rel and entry.name in LEFT_OUT:
                continue
            here = f"{rel}{os.sep}{entry.name}" if rel else entry.name
            if entry.is_dir(follow_symlinks=False):
                folders.add(here)
                walk(entry.path, here)
            else:                        # a link to a folder counts as a file, as in tree_of
                files[here] = entry.inode()

    walk(str(staging), "")
    return files, folders


def _mode(path: str) -> Optional[int]:
    """What is at ``path`` (its ``st_mode``), None if nothing (or a file where a folder is on the way)."""
    try:
        return os.lstat(path).st_mode
    except OSError:
        return None


def _exchange(new: Path, old: Path) -> None:
    """``new`` at ``old``'s place, the old folder at ``new``'s: at once where the file system
    exchanges, else in two renames (each a step a roll forward can take after a kill)."""
    try:
        exchange(new, old)
    except OSError as exc:
        if exc.errno not in NO_EXCHANGE:
            raise
        os.rename(old, new.with_name(new.name + ".old"))
        os.rename(new, old)


def _parents(path: str) -> list[str]:
    """``a/b/c.html`` -> ``["a/b", "a"]``."""
    out = []
    folder = os.path.dirname(path)
    while folder:
        out.append(folder)
        folder = os.path.dirname(folder)
    return out


def _is_folder(path: Path) -> bool:
    return path.is_dir() and not path.is_symlink()


def _identity(path: Path) -> Optional[list[int]]:
    try:
        st = os.lstat(path)
    except OSError:
        return None
    return [st.st_dev, st.st_ino]


def _write_journal(journal: Path, record: dict) -> None:
    """Written whole (a temporary name, synced, renamed) before the first move."""
    partial = journal.with_name(journal.name + ".partial")
    with open(partial, "w", encoding="utf-8") as out:
        out.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")))    # one write, not 30,000
        out.flush()
        os.fsync(out.fileno())
    os.replace(partial, journal)
