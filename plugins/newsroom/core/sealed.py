"""Files the build keeps for itself (the build cache): written whole or not at all
(core/files.py), and trusted only when their last line, the SHA-256 of everything before it, still matches.

Also the stat "stamp" by which this machine recognises a file it saw before. Used by
content/doc_store.py (parsed files) and mkdocs/warm_store.py (pages, bodies, images). And
``stable_hash``, the digest of plain values that the build cache keeps (pages, feeds, the
articles' inputs): the same in every process and on every machine.
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Optional


def stamp(st: os.stat_result) -> list:
    """What identifies a file on this machine: [size, mtime_ns, inode, device]."""
    return [st.st_size, st.st_mtime_ns, st.st_ino, st.st_dev]


def seal(data: bytes) -> tuple[bytes, bytes]:
    """``data`` and its checksum line, to write one after the other (no 30 MB copy to add a line)."""
    return data, b"\n" + hashlib.sha256(data).hexdigest().encode() + b"\n"


def seal_parts(*parts: bytes) -> tuple[bytes, ...]:
    """``seal`` of the parts written one after the other, without joining them (the doc store's
    header and its 27 MB at 10k articles: a copy at the cold build's peak of memory)."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part)
    return (*parts, b"\n" + digest.hexdigest().encode() + b"\n")


def unseal(raw: bytes) -> Optional[bytes]:
    """What ``seal`` wrote, if its checksum line matches; None for a truncated or edited file."""
    found = unseal_with_sum(raw)
    return found[0] if found is not None else None


def unseal_with_sum(raw: bytes) -> Optional[tuple[bytes, str]]:
    """``unseal``'s data and the checksum it was verified by (a file bound to this one names it)."""
    found = unseal_view(raw)
    return (found[0].tobytes(), found[1]) if found is not None else None


def unseal_view(raw: bytes) -> Optional[tuple[memoryview, str]]:
    """``unseal_with_sum``, the data as a view of ``raw``: no copy (the doc store's 28 MB, which
    marshal reads from a view; ``json.loads`` takes no view)."""
    # By position: rstrip and rsplit copied docs.json's 29 MB twice.
    end = len(raw)
    while end and raw[end - 1] == 10:      # b"\n"
        end -= 1
    cut = raw.rfind(b"\n", 0, end)
    if cut < 0:
        return None
    data, sha = memoryview(raw)[:cut], raw[cut + 1:end]
    return (data, sha.decode()) if hashlib.sha256(data).hexdigest().encode() == sha else None


def read_sealed(path: Path) -> Optional[dict]:
    """The JSON object a sealed file holds, if it reads, verifies and is one; else None."""
    try:
        text = unseal(path.read_bytes())
        record = json.loads(text) if text is not None else None
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) else None


def stable_hash(value: tuple) -> str:
    """A digest of a tuple of plain values that every process and machine computes alike
    (``hash`` of a string changes from one Python process to the next)."""
    return hashlib.blake2b(repr(value).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


__all__ = ["read_sealed", "seal", "seal_parts", "stable_hash", "stamp", "unseal", "unseal_view", "unseal_with_sum"]
