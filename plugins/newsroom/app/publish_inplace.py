"""Updating a published site in place, for a site folder that cannot be renamed.

A mount point (a Docker volume, say) or a folder whose parent is read-only cannot be
swapped; its content can. Every file of the new site replaces the old one with a
rename (or, from another file system, a copy to a hidden name in the same folder and
a rename), so a reader never sees half a file; then what the new site no longer has
is deleted. Names starting with ``INPLACE_PREFIX`` at the top (the lock and staging
folder a build keeps inside such a site) and the owner's hidden entries (``.git``,
``.htaccess``: publish_keep) are left alone.
"""
from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

from .publish_keep import kept_hidden

INPLACE_PREFIX = ".newsroom."


def update_in_place(staging: Path, site: Path) -> None:
    """Make ``site`` hold exactly what ``staging`` holds (``staging`` is used up)."""
    kept: set[Path] = set()
    for folder, dirs, files in os.walk(staging):
        here = Path(folder)
        rel = here.relative_to(staging)
        _ensure_folder(site / rel)
        links = [d for d in dirs if (here / d).is_symlink()]      # os.walk does not enter them
        for name in [*files, *links]:
            _replace(here / name, site / rel / name)
        kept.update(rel / name for name in [*dirs, *files])
    _delete_others(site, kept)


def _ensure_folder(path: Path) -> None:
    if path.is_symlink() or (path.exists() and not path.is_dir()):
        path.unlink()
    path.mkdir(exist_ok=True)


def _replace(src: Path, dst: Path) -> None:
    if dst.is_dir() and not dst.is_symlink():
        shutil.rmtree(dst)
    try:
        os.replace(src, dst)
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
        partial = dst.with_name(f".{dst.name}.newsroom-partial")
        shutil.copy2(src, partial, follow_symlinks=False)
        os.replace(partial, dst)


def _delete_others(site: Path, kept: set[Path]) -> None:
    for folder, dirs, files in os.walk(site):
        here = Path(folder)
        rel = here.relative_to(site)
        if rel == Path("."):        # our lock and staging, and the owner's .git, .htaccess …
            dirs[:] = [d for d in dirs if not d.startswith(INPLACE_PREFIX) and not kept_hidden(d)]
            files = [f for f in files if not f.startswith(INPLACE_PREFIX) and not kept_hidden(f)]
        for name in list(dirs):
            if rel / name not in kept:
                _remove(here / name)
                dirs.remove(name)
        for name in files:
            if rel / name not in kept:
                (here / name).unlink(missing_ok=True)


def _remove(path: Path) -> None:
    if path.is_symlink():
        path.unlink()
    else:
        shutil.rmtree(path)
