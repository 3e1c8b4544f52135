"""Writing output files only when their bytes changed."""
from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path
from typing import Callable, Hashable, Mapping, Optional, Protocol
from urllib.parse import unquote

from ..core.sealed import stable_hash


class Earlier(Protocol):
    """The files the last build published (a warm build, mkdocs/warm.py), by their key's digest."""

    def take(self, path: str, key: str) -> bool:
        """Put the last build's file at ``path`` into this site if it was made from ``key``
        and is still what that build wrote (verified); False if it was not."""

    def made(self, path: str, key: str, data: bytes) -> None:
        """``data`` was written at ``path`` from ``key``: recorded for the next build."""

    def prints(self) -> tuple[Mapping[str, str], Mapping[str, str]]:
        """Fingerprints this build took: of the entities (src_uri -> every field, with what its
        references resolved to) and of the articles' rendered bodies (URL -> SHA-256)."""

    def kept_file(self, name: str) -> Optional[tuple[Path, str]]:
        """Where the build cache keeps the parts an output is made of between builds (parts that
        are a pure function of their inputs and of the cache's key), and that key; None: nowhere."""


class Writer:
    """Writes files into the site folder, skipping those written before from an equal key.

    ``earlier`` (a warm build): a file whose key's digest is the one the last build wrote it
    from is taken from the published site instead of made again. Keys must then be stable
    between processes (``stable``: feeds key their items by content, not by serial)."""

    def __init__(self, site_dir: Path, keys: dict[str, Hashable], earlier: Optional[Earlier] = None) -> None:
        self.site_dir = site_dir
        self.keys = keys                    # path -> key of the file on disk (updated as we go)
        self.paths: list[str] = []          # every path handed in this build
        self.earlier = earlier
        self._digests: dict[int, tuple[Hashable, str]] = {}    # id(key) -> (key, its digest): ``_digest``

    @property
    def stable(self) -> bool:
        return self.earlier is not None

    def write(self, path: str, key: Hashable, make: Callable[[], bytes]) -> None:
        """Write ``make()`` at ``path`` (site-relative, URL-quoted) unless its key is unchanged."""
        self.paths.append(path)
        if path in self.keys and self.keys[path] == key:
            return
        self.keys.pop(path, None)           # if make() fails, the file on disk is unknown
        digest = self._digest(key) if self.earlier is not None else ""
        if self.earlier is not None and self.earlier.take(path, digest):
            self.keys[path] = key
            return
        target = self.site_dir / unquote(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        data = make()
        target.write_bytes(data)
        self.keys[path] = key
        if self.earlier is not None:
            self.earlier.made(path, digest, data)

    def _digest(self, key: Hashable) -> str:
        """``stable_hash`` of the key, once per key object: files written in pairs share their key
        (a feed's RSS and JSON; sitemap.xml and its .gz, with the news sitemap and robots.txt
        written between them), and the sitemap's lists 14,903 dates (repr: 0.02 CPU-s at 10k).
        The key is held with its digest, so that its id is not another's."""
        found = self._digests.get(id(key))
        if found is None or found[0] is not key:
            found = self._digests[id(key)] = (key, stable_hash(key))
        return found[1]

    def remove_stale(self) -> None:
        """Delete the files an earlier build wrote that this one did not."""
        current = set(self.paths)
        for path in [p for p in self.keys if p not in current]:
            del self.keys[path]
            delete_file(self.site_dir, Path(unquote(path)))


def delete_file(site_dir: Path, rel: Path) -> None:
    """Delete ``site_dir/rel`` and the folders it leaves empty (not the site folder itself)."""
    (site_dir / rel).unlink(missing_ok=True)
    # Remove folders left empty (the page may be gone already), up to the site root.
    for folder in rel.parents:
        path = site_dir / folder
        if folder == Path(".") or not path.is_dir() or any(path.iterdir()):
            break
        path.rmdir()




def link_or_copy(src: os.PathLike | str, dst: os.PathLike | str) -> None:
    """A hard link to ``src`` at ``dst``; a copy where the file system has none (or another one)."""
    try:
        os.link(src, dst, follow_symlinks=False)
    except OSError as exc:
        if exc.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP, errno.EOPNOTSUPP):
            raise
        shutil.copy2(src, dst, follow_symlinks=False)
