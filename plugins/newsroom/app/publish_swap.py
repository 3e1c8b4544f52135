"""Swapping a finished site in for the published one, never leaving no site at all.

Linux exchanges two folders atomically with ``renameat2(RENAME_EXCHANGE)`` (called
through ctypes: Python has no binding); a reader sees the old site or the new one.
Where the call or the file system lacks it, two renames do, with a moment in between.
"""
from __future__ import annotations

import ctypes
import errno
import functools
import os
import sys
import uuid
from pathlib import Path
from typing import Optional

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
# The exchange is not available here: fall back to two renames.
NO_EXCHANGE = {errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP}


def exchange_or_rename(staging: Path, site: Path, old_prefix: str) -> Optional[Path]:
    """Put ``staging`` at ``site``; returns where the old site now is (None if there was none).

    An ``OSError`` (a mount point: EBUSY; a read-only parent: EROFS) leaves both as they were.
    """
    if not site.exists():
        os.rename(staging, site)
        return None
    try:
        exchange(staging, site)
        return staging                   # the staging path now holds the old site
    except OSError as exc:
        if exc.errno not in NO_EXCHANGE:
            raise
    old = site.with_name(f"{old_prefix}{uuid.uuid4().hex[:8]}")
    os.rename(site, old)
    try:
        os.rename(staging, site)
    except OSError:
        os.rename(old, site)             # put the published site back before saying why
        raise
    return old


def exchange(a: Path, b: Path) -> None:
    """Atomically exchange two existing paths (Linux 3.15+, glibc 2.28+), or raise OSError."""
    call = _renameat2()
    if call is None:
        raise OSError(errno.ENOSYS, "renameat2 is not available")
    if call(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) != 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code), str(a), None, str(b))


@functools.cache              # the publish by changes exchanges ~800 files after one new article
def _renameat2():
    if not sys.platform.startswith("linux"):
        return None
    try:
        call = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):    # an older or another C library
        return None
    call.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    call.restype = ctypes.c_int
    return call
