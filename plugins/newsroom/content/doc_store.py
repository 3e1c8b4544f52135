"""Parsed files kept between ``newsroom build`` runs (the build cache's ``docs.marshal``).

A warm build reads 10,000 files' front matter again although one changed. This
store keeps each file's parse (``RawDoc`` and its problems) with what identifies the
file's bytes:

- its stat as this machine saw it (size, mtime_ns, inode, device): the same stat, the
  same file, so it is not even read again;
- its SHA-256: a file whose stat differs (a checkout, a copy, a cache restored on
  another machine) is read and hashed, and its parse reused only if the hash matches.

The store is one file (``docs.marshal``) whose last line is the SHA-256 of the rest, made for
one version of the code and of Python (``version`` and the header line: another version,
nothing is reused), and beside it ``docs.delta.marshal``, sealed the same way: the entries a
few builds changed and the files gone since, with the checksum of the base it was made on (a
delta on another base is ignored). A build that changed nothing writes neither; one new
article writes the delta (kilobytes, not 27 MB at 10k articles); many changes write the base
whole. A file that is missing, truncated or edited is ignored as a whole (its delta with it);
an entry never decides what a file says unless its checksum or this machine's stat of it
matches. Written to a temporary name and renamed.

After the header line, the record is in ``marshal``'s format, not JSON: the same plain values
(``_round_trip`` keeps an entry to what JSON would give back), decoded in 0.08 CPU-s at 10k
articles instead of ``json.loads``' 0.14 (its texts' keys and repeated strings written once),
written in 0.03 instead of 0.14. ``marshal`` builds no object but plain values and code objects
(never run here: ``_record`` takes only the shapes below); it reads only a file whose checksum
verified and whose header names this Python and this marshal version. Sealed against damage,
not against whoever can write the cache folder (they could as well edit content/).

Beside each parse, what this code read from it (``stored``: an article's fields and
problems, what the allow-list removes from its body), as derived.py encodes it: good
exactly as long as the parse is, so a warm build does not read 10,000 articles' fields
again. A kept value that does not decode is made again.
"""
from __future__ import annotations

import hashlib
import marshal
import math
import os
import sys
import time
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Callable, Optional

from ..core.problems import Problem
from ..core.files import write_whole
from ..core.sealed import seal_parts, stamp, unseal_view
from .derived import from_text, kept_text
from .load import DocCache, RawDoc, read_doc, read_doc_sha

FORMAT = 2
NAME = "docs.marshal"
# The JSON files of FORMAT 1, removed when the store is written whole (27 MB at 10k articles).
LEGACY = ("docs.json", "docs.delta.json")
# The delta beside docs.marshal (docs.delta.marshal) until it would hold more than one entry in
# DELTA_SHARE of the files, or DELTA_MIN entries: then the base is written whole again.
DELTA_SUFFIX = ".delta.marshal"
DELTA_MIN, DELTA_SHARE = 200, 10
# A file modified this recently is kept by its checksum only (its stat is not trusted next
# time): a second save within the file system's timestamp granularity keeps the same mtime.
RACY_NS = 2_000_000_000


class StoredDocs(DocCache):
    """A ``DocCache`` (the preview's, in memory) filled from and saved to ``path``."""

    def __init__(self, path: Path, version: str) -> None:
        super().__init__()
        self.path, self.version = path, version
        self.delta_path = path.with_name(path.stem + DELTA_SUFFIX)
        base = _load(path, version)
        self._base: Optional[_Base] = base
        self._kept: dict[str, list] = dict(base.docs) if base else {}   # file -> [display, stamp, sha, doc, problems]
        self._from_delta: set[str] = _apply_delta(self.delta_path, version, base, self._kept) if base else set()
        self._seen: dict[str, list] = {}
        # The documents this store handed out, by id, with their file: what ``stored`` keeps goes
        # to that file's entry. The document is held so that its id is not reused.
        self._handed: dict[int, tuple[RawDoc, str]] = {}
        # The files whose entry this build changed (read again, or the same bytes at another stat):
        # with the delta's, what the next delta holds. A build that read every file as its kept
        # entry, at the same stat, writes nothing (27 MB at 10k articles).
        self._changed: set[str] = set()
        self._twice: set[str] = set()      # files read more than once by this build (``file_sums``)

    def read(self, file: str | Path, display: str) -> tuple[RawDoc | None, list[Problem]]:
        path = os.fspath(file)
        if path in self._seen:
            self._twice.add(path)
        stamp = _stamp(path)
        if not stamp:                       # gone: read_doc says so
            return read_doc(path, display)
        old = self._kept.pop(path, None)
        if old is not None and old[0] == display:
            sha = None if old[1] == stamp else _sha_of(path)
            kept = _kept_parse(old) if sha is None or sha == old[2] else None
            if kept is not None:
                found = self._hand(kept[0], path), kept[1]
                # What was read from it (derived.py) is kept with it: the same bytes, the same code.
                self._seen[path] = [display, stamp, old[2], old[3], old[4], *old[5:]]
                if sha is not None:
                    self._changed.add(path)
                return found
        self._changed.add(path)
        # The checksum is of the bytes parsed; the stat before and after the read agree.
        doc, problems, sha = read_doc_sha(path, display)
        if doc is not None and sha is not None and _stamp(path) == stamp:
            if time.time_ns() - stamp[1] < RACY_NS:
                stamp = []          # written just now: it could change again within the same mtime
            entry = _round_trip([display, stamp, sha, _fields(doc), [_fields(p) for p in problems]])
            if entry is not None:
                self._seen[path] = entry    # only a file whose bytes did not change while read
                self._hand(doc, path)
        return doc, problems

    keeps_between_builds = True

    def stored(self, doc: RawDoc, key: str, make: Callable[[], Any], tz: Any) -> Any:
        """``make()``'s result for ``doc`` (one this store read), kept in its file's entry as
        derived.py encodes it, and decoded from there by the next build that finds the entry
        good for the file (its checksum or this machine's stat). A value derived.py does not
        keep, or a kept one that does not decode, is made again."""
        handed = self._handed.get(id(doc))
        entry = self._seen.get(handed[1]) if handed is not None and handed[0] is doc else None
        if entry is None:
            return make()
        kept = entry[5] if len(entry) > 5 else {}
        if key in kept:
            try:
                return from_text(kept[key], tz)
            except (ValueError, TypeError, KeyError):
                pass
        value = make()
        encoded = kept_text(value, tz)
        if encoded is not None:
            if len(entry) == 5:
                entry.append({})
            # The base's dict may be shared: not changed in place. The key interned: one text
            # for 10,000 entries, in memory and in the file (marshal writes it once).
            entry[5] = {**entry[5], sys.intern(key): encoded}
            self._changed.add(handed[1])
        return value

    def file_sums(self) -> dict[str, str]:
        """The SHA-256 of the bytes of each file this build read through the store, by its
        display path (``RawDoc.path``): what the document it handed out was parsed from (a kept
        entry's checksum or this machine's stat verified it, a new one's was taken around the read).
        Not of a file read twice: the entry is the last read's, an entity may be the first's."""
        return {entry[0]: entry[2] for path, entry in self._seen.items() if path not in self._twice}

    def _hand(self, doc: RawDoc, path: str) -> RawDoc:
        self._handed[id(doc)] = (doc, path)
        return doc

    def save(self) -> None:
        """The files read by this build (never fails the build: the next one parses again).

        Nothing is written when the store already says it all: every entry read back, none
        new, none left unread (a file deleted or not read this time), no stat changed. A few
        changes (a new article: one entry) go to the delta file beside it, bound to the base
        file by its checksum; many, or no base, and the base is written whole."""
        base = self._base
        if base is not None and not self._changed and not self._kept:
            return
        try:
            if base is not None:
                changed = {p: self._seen[p] for p in self._changed | self._from_delta if p in self._seen}
                gone = sorted(p for p in base.docs if p not in self._seen)
                if len(changed) + len(gone) <= max(DELTA_MIN, len(self._seen) // DELTA_SHARE):
                    self._write(self.delta_path, {"base": base.sha, "docs": changed, "gone": gone})
                    return
            self._write(self.path, {"docs": self._seen})
            self.delta_path.unlink(missing_ok=True)     # bound to the old base: ignored anyway
            for name in LEGACY:
                if name not in (self.path.name, self.delta_path.name):     # never the store itself
                    self.path.with_name(name).unlink(missing_ok=True)
        except (OSError, ValueError):
            pass

    def _write(self, path: Path, record: dict) -> None:
        # The header and the data sealed apart: joined, they were one more 27 MB copy at 10k
        # articles, at the moment a cold build's process is largest (its save).
        write_whole(path, *seal_parts(_header(self.version), marshal.dumps(record, marshal.version)))


@dataclass(frozen=True)
class _Base:
    """docs.marshal as read: its entries and the checksum its seal line holds (a delta names it)."""

    docs: dict[str, list]
    sha: str


def _stamp(path: str) -> list:
    try:
        return stamp(os.stat(path))
    except OSError:
        return []


def _kept_parse(entry: list) -> Optional[tuple[RawDoc, list[Problem]]]:
    """The parse and problems an entry holds; None if they are not of their classes' shape
    (the file is then read again). Built here, once, not when the store loads: a check there
    made 10,000 documents twice."""
    try:
        return RawDoc(**entry[3]), [Problem(*p) for p in entry[4]]
    except TypeError:
        return None


def _fields(obj: Any) -> Any:
    """A RawDoc as a mapping of its fields, a Problem as the list of its values (not copied)."""
    if isinstance(obj, RawDoc):
        return {f: getattr(obj, f) for f in _DOC_FIELDS}
    return [getattr(obj, f) for f in _PROBLEM_FIELDS]


_DOC_FIELDS = tuple(f.name for f in fields(RawDoc))
_PROBLEM_FIELDS = tuple(f.name for f in fields(Problem))


class _NotJson(Exception):
    pass


def _round_trip(entry: list) -> Optional[list]:
    """A copy of the entry's lists and mappings (its texts shared, as ``asdict`` shared them), if
    JSON gives back exactly the entry: mappings with text keys, lists, texts, numbers (not NaN),
    booleans and None, nothing else (YAML keys that are not text, say); else None.

    The keys interned: each file's parse has its own ``title``; marshal writes an object met
    again as a reference to the first, so the store holds (and the next build makes) one key
    text for all entries, as ``json.loads`` shared them (+6 MB and slower to load without)."""
    try:
        return _copy(entry)
    except (_NotJson, RecursionError):
        return None


def _copy(value: Any) -> Any:
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return value
    if kind is dict:
        out = {}
        for key, item in value.items():
            if type(key) is not str:
                raise _NotJson
            out[sys.intern(key)] = _copy(item)
        return out
    if kind is list:
        return [_copy(item) for item in value]
    if kind is float and not math.isnan(value):
        return value
    raise _NotJson


def _header(version: str) -> bytes:
    """The first line of a store file: what ``marshal`` data is read only under (this format,
    this Python and its marshal version, this code's ``version``)."""
    return (f"newsroom-docs {FORMAT} {sys.implementation.cache_tag} {sys.hexversion:x} {marshal.version} "
            f"{version}\n").encode("utf-8", "surrogatepass")


def dump_record(record: dict, version: str) -> bytes:
    """A store file's data before its seal: the header line, then ``record`` in marshal's format."""
    return _header(version) + marshal.dumps(record, marshal.version)


def load_record(data: bytes | memoryview, version: str) -> Any:
    """What ``dump_record`` was given, if ``data`` (a store file, unsealed) has this header; else
    None. Raises ValueError if the data after it does not decode."""
    header = _header(version)
    if data[:len(header)] != header:
        return None
    try:
        return marshal.loads(data[len(header):])
    except (EOFError, TypeError) as exc:
        raise ValueError("not a record") from exc


def _load(path: Path, version: str) -> Optional[_Base]:
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    found = unseal_view(raw)
    record = _record(found[0], version) if found is not None else None
    return _Base(record["docs"], found[1]) if record is not None and found is not None else None


def _apply_delta(path: Path, version: str, base: _Base, docs: dict[str, list]) -> set[str]:
    """The delta's entries put over the base's in ``docs`` (its files gone taken out), if it
    verifies and was made on this very base; the files it names. Else nothing: the base alone."""
    try:
        found = unseal_view(path.read_bytes())
        record = _record(found[0] if found is not None else None, version, base.sha)
    except OSError:
        return set()
    if record is None:
        return set()
    docs.update(record["docs"])
    for p in record["gone"]:
        docs.pop(p, None)
    return set(record["docs"]) | set(record["gone"])


def _record(text: Optional[memoryview], version: str, base: Optional[str] = None) -> Optional[dict]:
    """A store file's record (``text``: its data, unsealed; None if it did not verify), if of
    this format and version (a delta: made on ``base``, with the list of files ``gone``) and
    every entry of the shape the store relies on."""
    try:
        if text is None:
            return None
        record = load_record(text, version)
        if type(record) is not dict or record.get("base") != base or type(record["docs"]) is not dict:
            return None
        for entry in record["docs"].values():
            if type(entry) is not list:
                raise ValueError
            display, stamp, sha, fields, problems, *derived = entry
            if not (type(display) is str and type(stamp) is list and type(sha) is str and type(fields) is dict
                    and type(problems) is list and len(derived) <= 1 and all(type(d) is dict for d in derived)):
                raise ValueError
        gone = record.get("gone", [])
        if base is not None and not (isinstance(gone, list) and all(isinstance(p, str) for p in gone)):
            raise ValueError
        return record
    except (ValueError, TypeError, KeyError, AttributeError):
        return None


def _sha_of(path: str) -> Optional[str]:
    try:
        with open(os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)), "rb") as f:
            return hashlib.file_digest(f, "sha256").hexdigest()
    except OSError:
        return None
