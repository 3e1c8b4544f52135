"""Parsed files kept between ``newsroom build`` runs (the build cache's ``docs.json``).

A warm build reads 10,000 files' front matter again although one changed. This
store keeps each file's parse (``RawDoc`` and its problems) with what identifies the
file's bytes:

- its stat as this machine saw it (size, mtime_ns, inode, device): the same stat, the
  same file, so it is not even read again;
- its SHA-256: a file whose stat differs (a checkout, a copy, a cache restored on
  another machine) is read and hashed, and its parse reused only if the hash matches.

The store is one JSON file whose last line is the SHA-256 of the rest, made for one
version of the code (``version``: another version, nothing is reused). A file that
is missing, truncated or edited is ignored as a whole; an entry never decides what a
file says unless its checksum or this machine's stat of it matches. Written to a
temporary name and renamed.
"""
from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import asdict
from pathlib import Path
from typing import Optional

from ..core.problems import Problem
from ..core.files import write_whole
from ..core.sealed import seal, stamp, unseal
from .load import DocCache, RawDoc, read_doc

FORMAT = 1
# A file modified this recently is kept by its checksum only (its stat is not trusted next
# time): a second save within the file system's timestamp granularity keeps the same mtime.
RACY_NS = 2_000_000_000


class StoredDocs(DocCache):
    """A ``DocCache`` (the preview's, in memory) filled from and saved to ``path``."""

    def __init__(self, path: Path, version: str) -> None:
        super().__init__()
        self.path, self.version = path, version
        self._kept: dict[str, list] = _load(path, version)     # file -> [display, stamp, sha, doc, problems]
        self._seen: dict[str, list] = {}

    def read(self, file: str | Path, display: str) -> tuple[RawDoc | None, list[Problem]]:
        path = os.fspath(file)
        stamp = _stamp(path)
        if not stamp:                       # gone: read_doc says so
            return read_doc(path, display)
        old = self._kept.pop(path, None)
        if old is not None and old[0] == display:
            sha = None if old[1] == stamp else _sha_of(path)
            if sha is None or sha == old[2]:
                found = _doc(old[3]), [Problem(*p) for p in old[4]]
                self._seen[path] = [display, stamp, old[2], old[3], old[4]]
                return found
        sha = _sha_of(path)
        doc, problems = read_doc(path, display)
        if doc is not None and sha is not None and sha == _sha_of(path) and _stamp(path) == stamp:
            if time.time_ns() - stamp[1] < RACY_NS:
                stamp = []          # written just now: it could change again within the same mtime
            entry = [display, stamp, sha, asdict(doc), [list(asdict(p).values()) for p in problems]]
            if _round_trips(entry):
                self._seen[path] = entry    # only a file whose bytes did not change while read
        return doc, problems

    def save(self) -> None:
        """The files read by this build (never fails the build: the next one parses again)."""
        try:
            data = json.dumps({"format": FORMAT, "version": self.version, "docs": self._seen},
                              ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")
            write_whole(self.path, *seal(data))
        except (OSError, ValueError):
            pass


def _stamp(path: str) -> list:
    try:
        return stamp(os.stat(path))
    except OSError:
        return []


def _doc(fields: dict) -> RawDoc:
    return RawDoc(**fields)


def _round_trips(entry: list) -> bool:
    """Whether JSON gives back exactly this entry (YAML keys that are not text, say, do not)."""
    try:
        return json.loads(json.dumps(entry, ensure_ascii=False)) == entry
    except (TypeError, ValueError):
        return False


def _load(path: Path, version: str) -> dict[str, list]:
    try:
        text = unseal(path.read_bytes())            # JSON has no raw newline
        if text is None:
            return {}
        record = json.loads(text)
        if record.get("format") != FORMAT or record.get("version") != version:
            return {}
        docs = record["docs"]
        for entry in docs.values():       # the shape every use below relies on
            display, stamp, sha, fields, problems = entry
            RawDoc(**fields)
            [Problem(*p) for p in problems]
            if not (isinstance(display, str) and isinstance(stamp, list) and isinstance(sha, str)):
                raise ValueError
        return docs
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return {}


def _sha_of(path: str) -> Optional[str]:
    try:
        with open(os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)), "rb") as f:
            return hashlib.file_digest(f, "sha256").hexdigest()
    except OSError:
        return None
