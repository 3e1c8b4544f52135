"""Files written whole or not at all: the build cache, `newsroom fix` and the web desk write
through here. (photos/ keeps its own: it imports nothing of ours, see pyproject.toml.)"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Optional


def write_whole(path: Path, *parts: bytes, mode: Optional[int] = None) -> None:
    """Write ``parts`` to a temporary name beside ``path`` and rename it over ``path``: a
    process killed while writing leaves the old file or none, never half of one.

    The file gets ``mode``, else the mode of the file it replaces (an editor's file keeps
    its permissions), else what the umask allows, as for any file we write (mkstemp alone
    would make it 0600, unreadable to a web server)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            for part in parts:
                f.write(part)
        os.chmod(tmp, _mode_of(path) if mode is None else mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _mode_of(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        mask = os.umask(0o022)
        os.umask(mask)
        return 0o666 & ~mask


__all__ = ["write_whole"]
