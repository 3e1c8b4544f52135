"""Content hashes of source images, remembered by file identity so a rebuild reads no photo.

The memo key is (size, mtime_ns, ctime_ns, inode, device): replacing a file (copy, rename,
git checkout, even `cp -p` that keeps the old mtime) changes ctime or inode, so a changed photo
is always hashed again. The memo is a plain JSON file in the cache folder; losing it only costs
one re-hash per photo.
"""
from __future__ import annotations

import json
import os
import threading
from pathlib import Path

from .cache import atomic_write, sha256_file

INDEX = "sources.json"


def identity(path: Path) -> list[int]:
    st = os.stat(path)
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev]


class SourceHashes:
    def __init__(self, root: Path) -> None:
        self.file = Path(root) / INDEX
        self.lock = threading.Lock()
        self.dirty = False
        try:
            self.memo: dict[str, list] = json.loads(self.file.read_text("utf-8"))
        except (OSError, ValueError):
            self.memo = {}

    def digest(self, path: Path) -> tuple[str, list[int]]:
        """(sha256, identity at hashing time); the caller re-checks the identity after use."""
        key = str(Path(path).resolve())
        ident = identity(path)
        with self.lock:
            known = self.memo.get(key)
        if known and known[:-1] == ident:
            return known[-1], ident
        sha = sha256_file(path)
        if identity(path) != ident:        # changed while we read it: do not remember
            return sha, []
        with self.lock:
            self.memo[key] = [*ident, sha]
            self.dirty = True
        return sha, ident

    def save(self) -> None:
        with self.lock:
            if not self.dirty:
                return
            data = json.dumps(self.memo, separators=(",", ":")).encode()
            self.dirty = False
        atomic_write(self.file, data)
