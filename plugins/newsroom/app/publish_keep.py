"""What a build keeps of the published site: its hidden top-level entries.

A site folder is often more than the build's output: a git checkout of the deploy
branch (``.git``), a server's ``.htaccess``, ``.well-known/`` for certificates,
``.nojekyll``. MkDocs never copies hidden files, so it never deletes them either; a
build that swaps the whole folder must carry them over, or they are lost. Our own
hidden names (the marker, the lock, staging and partial files) are left to the build.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Iterator

from ..outputs.writer import link_or_copy

OWN_PREFIX = ".newsroom"          # .newsroom-site (the marker), .newsroom.lock, .newsroom.building-*
_PARTIAL = ".newsroom-partial"    # publish_inplace's half-copied files


def kept_hidden(name: str) -> bool:
    """A hidden top-level entry of the site that belongs to its owner, not to the build."""
    return name.startswith(".") and not name.startswith(OWN_PREFIX) and not name.endswith(_PARTIAL)


def carry_hidden(site: Path, staging: Path) -> None:
    """Copy ``site``'s kept hidden entries into ``staging`` before the swap.

    Hard links where possible (same file system: instant, no second copy of a large
    ``.git``); the originals stay until the swap, so a failed swap loses nothing."""
    for entry in _kept_entries(site):
        target = staging / entry.name
        if os.path.lexists(target):
            continue
        if entry.is_symlink():
            os.symlink(os.readlink(entry), target)
        elif entry.is_dir():
            shutil.copytree(entry, target, symlinks=True, copy_function=link_or_copy)
        elif entry.is_file():
            link_or_copy(entry, target)


def _kept_entries(site: Path) -> Iterator[Path]:
    try:
        entries = sorted(site.iterdir())
    except FileNotFoundError:
        return
    for entry in entries:
        if kept_hidden(entry.name):
            yield entry
