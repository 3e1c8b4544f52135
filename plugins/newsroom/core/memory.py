"""Freed memory handed back to the system (glibc's ``malloc_trim``).

CPython frees objects into the C allocator, which keeps the pages for later
allocations: after a burst of short-lived objects (the search records built and
pickled for the indexer, 10,000 articles' texts) the build process stays that
much larger while its children run beside it. ``malloc_trim(0)`` returns whole
free pages to the system (a few milliseconds). Elsewhere than glibc: nothing.
"""
from __future__ import annotations

import ctypes
import functools
from typing import Callable, Optional


@functools.cache
def _trim() -> Optional[Callable[[int], int]]:
    try:
        return ctypes.CDLL(None).malloc_trim        # glibc only (not macOS, not musl's stub)
    except (AttributeError, OSError):
        return None


def give_back() -> None:
    """Return the allocator's free pages to the system, where the C library can."""
    trim = _trim()
    if trim is not None:
        trim(0)
