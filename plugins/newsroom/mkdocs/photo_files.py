"""The photo engine's files as MkDocs files: variants and stand-ins, linked from the cache.

The cache (content/photo_refs.py) already holds every file the site publishes under its final
bytes; copying 10+ files a photo into a fresh site folder on every build would cost more than
the rest of a rebuild. They are hard-linked when the cache and the site share a disk (copied
otherwise). A link is safe: the cache checks each file's size and hash before using it again,
so a site file edited in place is noticed and rendered anew, never served.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any, Iterable, Mapping, Optional

from mkdocs.structure.files import File


class LinkedFile(File):
    """A generated file whose bytes are a cache file: linked into the site, else copied."""

    def copy_file(self, dirty: bool = False) -> None:
        if dirty and not self.is_modified():
            return
        assert self.abs_src_path is not None
        dest = self.abs_dest_path
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        try:
            if os.path.samefile(self.abs_src_path, dest):
                return
        except OSError:
            pass
        try:
            os.unlink(dest)            # never write through an old link into the cache
        except FileNotFoundError:
            pass
        try:
            os.link(self.abs_src_path, dest)
        except OSError:                # another disk, or links not allowed
            shutil.copyfile(self.abs_src_path, dest)


def photo_files(config: Any, graph: Any) -> list[File]:
    """Every variant and stand-in the graph's photos publish, as MkDocs files.

    Made as ``File.generated(config, site_path, abs_src_path=path)`` makes them, without its
    work per file (a PurePath to normalise a path already normal, the plugin asked its name):
    ~12,000 files at 1,000 photos cost 0.35 profiled s that way. tests/test_photo_files.py
    checks that both make the same object."""
    made = LinkedFile.generated(config, "x.jpg", abs_src_path="x")
    common = {k: v for k, v in vars(made).items() if k not in _OWN}
    new, out = object.__new__, []
    for site_path, path in graph.photos.published():
        f = new(LinkedFile)
        f.__dict__.update(common, src_uri=site_path, abs_src_path=path, dest_uri=site_path)
        out.append(f)
    return out


# What differs from file to file (``dest_uri``: a static file's is its src_uri, set at once).
_OWN = frozenset({"src_uri", "abs_src_path", "dest_uri"})


def leave_in_site(files: Iterable[File], site: Path, left: set[str],
                  site_stats: Optional[Mapping[str, list]] = None,
                  seen: Optional[Mapping[str, tuple[int, int]]] = None) -> None:
    """The variants and stand-ins the published ``site`` already holds as the very cache file
    (the same inode: the last build linked it there) stay where they are, like a warm build's
    reused pages (``left``: WarmBuild.left_in_site, published by app/publish_delta.py), and
    MkDocs does not link them into staging (dirty build: ``is_modified`` says no).

    Why: 1,000 photos are ~12,000 files. Each warm build linked every one into staging (a
    makedirs, two stats, an unlink and a link each) and publish_delta put each back in the
    site in place of itself (an exchange each, the old left for the deletion): ~1 s of a
    warm +1 at 10k articles with 1,000 photos. The same inode is the same bytes: the cache
    checks each file before using it (verified.py: a file edited in place through the
    site's link is hashed and rendered again, under a new inode); a site file that is a copy
    (another disk) or another file is linked or copied as before.

    Neither file is stat'ed again when known (22,000 stats at 1,000 photos): the site's from
    ``site_stats`` (the publish's listing child, ``[size, mtime_ns, inode, device]`` by site
    path, taken as the build started: trusted as mkdocs/warm.py's ``_link`` trusts it for
    pages), the cache's from ``seen`` (content/photo_refs.PhotoSet.seen: the stat that found
    it intact this build)."""
    into = os.path.join(str(site), "")
    stats, known = site_stats or {}, seen or {}
    for f in files:
        if not isinstance(f, LinkedFile) or f.abs_src_path is None:
            continue
        try:
            found = stats.get(f.dest_uri)
            there = (found[2], found[3]) if found is not None else _inode(into + f.dest_uri)
            cached = known.get(f.abs_src_path) or _inode(f.abs_src_path)
        except OSError:
            continue
        if there == cached:
            f.is_modified = _in_site          # type: ignore[method-assign]
            left.add(f.dest_uri)


def _inode(path: str) -> tuple[int, int]:
    st = os.stat(path)
    return st.st_ino, st.st_dev


def _in_site() -> bool:
    return False


def replaced(graph: Any, src_uri: str) -> bool:
    """Whether a file MkDocs found is an original the photo build publishes otherwise."""
    return graph.photos.replaces_original(src_uri)


def new_photos(statics: Mapping[str, list], kept: Mapping[str, list]) -> set[str]:
    """The photos this build renders (mkdocs/warm.py's ``["photo", sha]`` statics) at a site
    path the last build published nothing at: no page the last build published can show one.

    Why: a page shows an image its data or body names, and naming a file that is not there is
    an error that stops the build (content/assets.check_file, the body's images), so the last
    build (it succeeded: its cache was saved) had no page naming such a path. Every page that
    names it now is one whose inputs changed (a new or edited article, its cards on lists),
    and renders by its digest. Without this, one new article's new photo made warm.py ask
    every page's data for its images (``showing``): 3.4 CPU-s at 10,000 articles, to find
    only the pages rendered anyway. A photo replaced under a kept path is not new: the pages
    showing it are looked for as before."""
    return {src for src, value in statics.items() if value[0] == "photo" and src not in kept}


__all__ = ["LinkedFile", "leave_in_site", "new_photos", "photo_files", "replaced"]
