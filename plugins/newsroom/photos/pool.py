"""Many photos on the machine's cores within the memory goal (whole build <= 600 MiB).

Threads, not processes: libvips releases the GIL while it decodes and encodes (pyvips calls
through cffi), so N threads with one libvips thread each use N cores, share one interpreter
and pickle nothing. Measured (docs/photos.md): a 12-MP camera JPEG needs ~60-100 MB while it
is rendered and a 60-MP one about as much (shrink-on-load), but a huge image whose format
cannot shrink on load (PNG, HEIC, interlaced) is held whole, so it takes every slot of the
gate and runs alone.
"""
from __future__ import annotations

import os
import threading
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .cache import DEFAULT_ROOT, VariantCache
from .engine import PhotoJob, PhotoResult, cached, process
from .render import Header, setup
from .sources import SourceHashes
from .verified import VerifiedFiles

BIG_PIXELS = 40_000_000
SHRINK_ON_LOAD = {"jpegload", "jpegload_source", "webpload", "webpload_source"}


class MemoryGate:
    """A counting semaphore where a big image costs every slot."""

    def __init__(self, slots: int) -> None:
        self.slots = slots
        self.free = slots
        self.cond = threading.Condition()

    def weight(self, header: Header) -> int:
        big = header.width * header.height * max(1, header.pages) > BIG_PIXELS
        return self.slots if big and header.loader not in SHRINK_ON_LOAD else 1

    def acquire(self, weight: int) -> None:
        with self.cond:
            self.cond.wait_for(lambda: self.free >= weight)
            self.free -= weight

    def release(self, weight: int) -> None:
        with self.cond:
            self.free += weight
            self.cond.notify_all()


def default_workers() -> int:
    return max(1, min(2, os.cpu_count() or 1))


def process_all(jobs: Iterable[PhotoJob], root: Path = DEFAULT_ROOT,
                workers: int | None = None) -> list[PhotoResult]:
    """Results in job order. Errors come back as notices, never as exceptions."""
    workers = workers or default_workers()
    setup(threads_per_image=1)
    checked = VerifiedFiles(root)
    cache, hashes, gate = VariantCache(root, checked), SourceHashes(root), MemoryGate(workers)
    try:
        # A second pool for one photo's encodes (render.render): a warm build renders one new
        # photo while the other jobs are cache hits, and its encodes then take every core.
        # With many photos (a cold build) both pools share the same cores.
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="photos") as ex, \
                ThreadPoolExecutor(max_workers=workers, thread_name_prefix="encodes") as encoders:
            # Cache hits here, one after the other: each is ~0.2 ms of Python (a stat per file,
            # the manifest), which threads only slowed by passing the GIL (1,000 photos: 0.3
            # CPU-s, 0.6-1 s wall in the pool). A miss starts rendering as soon as it is found.
            found: list = []
            for job in jobs:
                hit = cached(job, cache, hashes)
                found.append(hit if hit is not None else ex.submit(process, job, cache, hashes, gate, encoders))
            return [r if isinstance(r, PhotoResult) else r.result() for r in found]
    finally:
        for memo in (hashes, checked):
            try:
                memo.save()
            except OSError:      # a memo only saves re-hashing next time
                pass
