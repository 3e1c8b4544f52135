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
import stat
from pathlib import Path

from .publish_keep import kept_hidden

INPLACE_PREFIX = ".newsroom."


def update_in_place(staging: Path, site: Path) -> None:
    """Make ``site`` hold exactly what ``staging`` holds (``staging`` is used up)."""
    files, folders = tree_of(staging)
    for folder in sorted(folders):           # a folder's parents sort before it
        ensure_folder(site / folder)
    for path in sorted(files):
        replace_file(staging / path, site / path)
    delete_others(site, files, folders)


def tree_of(top: Path, leave_out: frozenset[str] = frozenset()) -> tuple[set[str], set[str]]:
    """The files and the folders under ``top``, relative to it (``os.sep`` separated); a link
    to a folder counts as a file. Folders named in ``leave_out`` at the top are not entered."""
    files: set[str] = set()
    folders: set[str] = set()
    root = str(top)
    cut = len(root) + 1
    for folder, dirs, names in os.walk(root):
        rel = folder[cut:]
        if not rel:
            dirs[:] = [d for d in dirs if d not in leave_out]
        for name in dirs:                    # os.walk lists links to folders here, never enters them
            path = os.path.join(rel, name)
            (files if os.path.islink(os.path.join(folder, name)) else folders).add(path)
        files.update(os.path.join(rel, name) for name in names)
    return files, folders


def ensure_folder(path: "str | os.PathLike[str]") -> None:
    """``path`` is a folder (a file or link of that name is replaced by one). One ``lstat``
    for a folder that exists (a warm build's publish passes ~700 at 10k articles)."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        os.mkdir(path)
        return
    if not stat.S_ISDIR(st.st_mode):
        os.unlink(path)
        os.mkdir(path)


def replace_file(src: "str | os.PathLike[str]", dst: "str | os.PathLike[str]") -> None:
    """Put ``src`` at ``dst`` in one rename (a folder there is removed first); from another
    file system, copied to a hidden name beside ``dst`` and renamed. The rename is tried
    first: a folder in the way is the rare case, a ``stat`` before each file is not."""
    try:
        os.replace(src, dst)
    except OSError as exc:
        if exc.errno == errno.EXDEV:
            _copy_over(src, dst)
        elif exc.errno in (errno.EISDIR, errno.ENOTEMPTY, errno.EEXIST) and _is_folder(dst):
            shutil.rmtree(dst)
            os.replace(src, dst)
        else:
            raise


def _copy_over(src: "str | os.PathLike[str]", dst: "str | os.PathLike[str]") -> None:
    if _is_folder(dst):
        shutil.rmtree(dst)
    head, name = os.path.split(os.fspath(dst))
    partial = os.path.join(head, f".{name}.newsroom-partial")
    shutil.copy2(src, partial, follow_symlinks=False)
    os.replace(partial, dst)


def _is_folder(path: "str | os.PathLike[str]") -> bool:
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def delete_others(site: Path, files: set[str], folders: set[str], skip: tuple[str, ...] = ()) -> None:
    """Delete what ``site`` holds beyond ``files`` and ``folders`` (site-relative, ``os.sep``
    separated; strings, not Paths: ~30,000 names at 10k articles). Left alone at the top:
    our lock and staging, the owner's hidden entries (.git, .htaccess …) and ``skip``.
    A link to a folder counts as a file: it is kept or deleted, never entered."""
    _prune(str(site), "", files, folders, skip)


def left_at_top(name: str, skip: "tuple[str, ...] | frozenset[str]" = ()) -> bool:
    """A top-level entry of the site the publish leaves alone: our lock and staging, the
    owner's hidden entries (.git, .htaccess …) and ``skip``."""
    return name.startswith(INPLACE_PREFIX) or kept_hidden(name) or name in skip


def _prune(path: str, rel: str, files: set[str], folders: set[str], skip: tuple[str, ...]) -> None:
    # scandir, not os.walk: the entry's type comes with the name (os.walk lstats each folder again).
    with os.scandir(path) as found:
        entries = list(found)
    for entry in entries:
        name = entry.name
        if not rel and left_at_top(name, skip):
            continue
        here = f"{rel}{os.sep}{name}" if rel else name
        if entry.is_dir(follow_symlinks=False):
            if here in folders:
                _prune(entry.path, here, files, folders, skip)
            else:
                shutil.rmtree(entry.path)
        elif here not in files:
            try:
                os.unlink(entry.path)
            except FileNotFoundError:
                pass
