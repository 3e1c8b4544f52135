"""Freed memory handed back to the system (glibc's ``malloc_trim``), and the cyclic
collector paused while the live preview makes a save and while ``newsroom build`` loads its
doc store and graph (``collector_paused``, then ``keep_for_the_build``), and spared the
objects of a finished build at the process's exit (``nothing_to_collect_at_exit``).

CPython frees objects into the C allocator, which keeps the pages for later
allocations: after a burst of short-lived objects (the search records built and
pickled for the indexer, 10,000 articles' texts) the build process stays that
much larger while its children run beside it. ``malloc_trim(0)`` returns whole
free pages to the system (a few milliseconds). Elsewhere than glibc: nothing.
"""
from __future__ import annotations

import contextlib
import ctypes
import functools
import gc
from typing import Callable, Iterator, Optional


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


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """No automatic cyclic collection inside the block (it is restored after, if it was on).

    The live preview's save makes a whole graph and snapshot of new objects: CPython's
    collector ran about 80 times a save at 10,000 articles, one of them over every object
    not frozen (the last save's graph and this one's), 0.07-0.17 CPU-s of a 1.0-1.3 s
    save. The preview pauses it for the save and collects once after, while the editor reads."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def keep_for_the_build() -> None:
    """Every object made so far is left out of the cyclic collector's walks (``gc.freeze``):
    ``newsroom build``'s graph and doc store live until the process ends, and each full
    collection walked their millions of objects again, seven times in a warm build that
    changed nothing at 10k articles (1.3 of its 14 CPU-s). Garbage cycles made before the
    call are kept until the process ends; objects made after are collected as before."""
    gc.freeze()


def nothing_to_collect_at_exit() -> None:
    """Every object left out of the collections the interpreter runs as it exits (``gc.freeze``).

    Once ``newsroom build`` has published and saved its cache, the interpreter's exit ran
    full collections over what the build made since ``keep_for_the_build`` (pages, the plan,
    the cache's records) and freed it object by object: 0.4-0.5 s of a warm build at 10k,
    for memory the system takes back whole. Nothing else is skipped: atexit handlers and
    ``weakref.finalize`` run as before, objects freed by their last reference as before,
    and files are closed by the code that wrote them; only garbage in reference cycles is
    not finalized, which CPython does not promise at exit either."""
    gc.freeze()
