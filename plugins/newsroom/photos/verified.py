"""Which cached variants this machine has already checked, by their stat: a warm build reads none.

``VariantCache.load`` trusts a file only if its size and SHA-256 are the manifest's. At 10,000
articles with 1,000 photos that is 11,000 files and 1.3 GB hashed on every build (1.4 CPU-s,
the whole photo step of a build that changed nothing). This memo remembers, per file, the stat
it had when it last hashed right (size, mtime_ns, inode, device: the stamp the build cache's
other files are known by, core/sealed.py) with that hash; the same stamp and the manifest's
same hash spare the read. A file edited in place (the site's hard link written through, a
tool) gets another mtime, a copy another inode: hashed again. A file modified within
``RACY_NS`` of its check is not remembered: a second write inside the file system's timestamp
granularity could keep its mtime (content/doc_store.py's rule).

One JSON file in the cache folder whose last line is the SHA-256 of the rest (as the build
cache seals its files), written to a temporary name and renamed. Missing, truncated, edited or
of another format: empty, and every file is hashed as before. Losing it costs one read.
"""
from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from pathlib import Path

from .cache import atomic_write, variant_stamp

INDEX = "verified.json"
FORMAT = 1
RACY_NS = 2_000_000_000


class VerifiedFiles:
    """Stamp and SHA-256 of each variant file last found intact, by its path under the root."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.file = self.root / INDEX
        self.lock = threading.Lock()
        self.dirty = False
        self.memo: dict[str, list] = _read(self.file)

    def known(self, rel: str, st: os.stat_result, sha: str) -> bool:
        """Whether the file at ``rel`` (stat ``st``) was hashed to ``sha`` at this very stat."""
        return self.memo.get(rel) == [*variant_stamp(st), sha]

    def remember(self, rel: str, st: os.stat_result, sha: str) -> None:
        """``rel`` hashed to ``sha`` and its stat was ``st`` before and after the read."""
        if time.time_ns() - st.st_mtime_ns < RACY_NS:
            return
        with self.lock:
            self.memo[rel] = [*variant_stamp(st), sha]
            self.dirty = True

    def save(self) -> None:
        """Written only when a file was hashed. An entry of a file gone (a discarded entry)
        stays: it can only match a file at the same inode, size and mtime with the same hash."""
        with self.lock:
            if not self.dirty:
                return
            data = json.dumps({"format": FORMAT, "files": self.memo}, separators=(",", ":")).encode()
            self.dirty = False
        atomic_write(self.file, data + b"\n" + hashlib.sha256(data).hexdigest().encode() + b"\n")


def _read(path: Path) -> dict[str, list]:
    try:
        raw = path.read_bytes()
    except OSError:
        return {}
    data, _, sha = raw.rstrip(b"\n").rpartition(b"\n")
    if hashlib.sha256(data).hexdigest().encode() != sha:
        return {}
    try:
        record = json.loads(data)
    except ValueError:
        return {}
    if not isinstance(record, dict) or record.get("format") != FORMAT or not isinstance(record.get("files"), dict):
        return {}
    return record["files"]


__all__ = ["INDEX", "VerifiedFiles"]
