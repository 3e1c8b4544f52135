"""SHA-256 of files remembered by their stat: a warm build reads no file it hashed before.

Two memos, one class (``StatMemo``): the source photos' hashes (sources.py: by absolute path,
the stamp with the ctime) and the cached variants found intact (``VerifiedFiles``: by path
under the cache root, the stamp without it: cache.variant_stamp says why).

``VariantCache.load`` trusts a file only if its size and SHA-256 are the manifest's. At 10,000
articles with 1,000 photos that is 11,000 files and 1.3 GB hashed on every build (1.4 CPU-s,
the whole photo step of a build that changed nothing). A memo remembers, per file, the stamp
it had before and after it was hashed (size, mtime_ns, inode, device, for a source the
ctime_ns too) with that hash; the same stamp spares the read. A file edited in place gets
another mtime, a copy another inode: hashed again. A file changed within ``RACY_NS`` of its
check is remembered for this build only, not saved: a second write inside the file system's
timestamp granularity could keep its stamp (content/doc_store.py's rule).

One JSON file in the cache folder, naming its format and its stamp, whose last line is the
SHA-256 of the rest (as the build cache seals its files), written to a temporary name and
renamed. Missing, truncated, edited, of another format or stamp (sources.json before format
2 was a bare dict, not sealed): empty, and every file is hashed as before. Losing it costs one
read per file.
"""
from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

from .cache import atomic_write, variant_stamp

INDEX = "verified.json"
FORMAT = 2                 # 1: verified.json without its stamp's name; sources.json unsealed
RACY_NS = 2_000_000_000


@dataclass(frozen=True)
class Stamp:
    """What tells a file changed without reading it: some fields of its stat."""

    name: str                                     # in the memo's file: another stamp's memo is not read
    of: Callable[[os.stat_result], list[int]]
    ctime: bool = False                           # ``of`` holds the ctime: a recent one is racy too


VARIANT = Stamp("size mtime inode device", variant_stamp)


class StatMemo:
    """Stamp and SHA-256 of each file last hashed, by a key (its path, relative or absolute)."""

    def __init__(self, file: Path, stamp: Stamp) -> None:
        self.file = Path(file)
        self.stamp = stamp
        self.lock = threading.Lock()
        self.dirty = False
        self.fresh: set[str] = set()              # racy: trusted in this build only, not saved
        self.memo: dict[str, list] = _read(self.file, stamp.name)

    def known(self, key: str, st: os.stat_result, sha: str) -> bool:
        """Whether the file at ``key`` (stat ``st``) was hashed to ``sha`` at this very stamp."""
        return self.memo.get(key) == [*self.stamp.of(st), sha]

    def sha(self, key: str, st: os.stat_result) -> Optional[str]:
        """The SHA-256 the file at ``key`` was hashed to at the stamp of ``st``, if it was."""
        found = self.memo.get(key)
        if type(found) is list and found[:-1] == self.stamp.of(st) and type(found[-1]) is str:
            return found[-1]
        return None

    def remember(self, key: str, st: os.stat_result, sha: str) -> None:
        """``key`` hashed to ``sha`` and its stat was ``st`` before and after the read."""
        changed = max(st.st_mtime_ns, st.st_ctime_ns) if self.stamp.ctime else st.st_mtime_ns
        racy = time.time_ns() - changed < RACY_NS
        with self.lock:
            self.memo[key] = [*self.stamp.of(st), sha]
            if racy:
                self.fresh.add(key)
            else:
                self.fresh.discard(key)
                self.dirty = True

    def save(self) -> None:
        """Written only when a file was hashed and remembered. An entry of a file gone stays:
        it can only match a file at the same inode, size and mtime (and hash, for a variant)."""
        with self.lock:
            if not self.dirty:
                return
            files = {k: v for k, v in self.memo.items() if k not in self.fresh} if self.fresh else self.memo
            data = json.dumps({"format": FORMAT, "stamp": self.stamp.name, "files": files},
                              separators=(",", ":")).encode()
            self.dirty = False
        atomic_write(self.file, data + b"\n" + hashlib.sha256(data).hexdigest().encode() + b"\n")


class VerifiedFiles(StatMemo):
    """The cache's variant files found intact (size and SHA-256 as their manifest says), by
    their path under its root: cache.Checked."""

    def __init__(self, root: Path) -> None:
        super().__init__(Path(root) / INDEX, VARIANT)


def _read(path: Path, stamp: str) -> dict[str, list]:
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
    if (not isinstance(record, dict) or record.get("format") != FORMAT or record.get("stamp") != stamp
            or not isinstance(record.get("files"), dict)):
        return {}
    return record["files"]


__all__ = ["INDEX", "RACY_NS", "Stamp", "StatMemo", "VerifiedFiles"]
