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
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from .cache import DEFAULT_ROOT, VariantCache
from .engine import PhotoJob, PhotoResult, cached, planned, process
from .render import Header, setup
from .sources import SourceHashes
from .verified import VerifiedFiles

BIG_PIXELS = 40_000_000
SHRINK_ON_LOAD = {"jpegload", "jpegload_source", "webpload", "webpload_source"}
# At most this many renders go on in the background (start_all): a warm build's few new photos.
# With more (a cold build: every photo) the batch is waited for at once, as before: its renders
# would hold their memory beside the pages made meanwhile (the whole build's 600 MiB).
BACKGROUND = 4


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
    return start_all(jobs, root, workers, background=False).wait()


def start_all(jobs: Iterable[PhotoJob], root: Path = DEFAULT_ROOT, workers: int | None = None,
              background: bool = True) -> "Batch":
    """Every job's result as ``process_all``'s, but the renders left running (``background``):
    ``Batch.now`` holds each cache hit, and for each miss whose header reads the result its
    render will make (``engine.planned``: names, widths, folder; no heights or sizes yet).
    ``Batch.wait`` gives the rendered results. A warm build's one new photo (1.3 CPU-s, ~0.8 s
    wall on both cores) then renders while the build plans its pages on the other core.
    More than BACKGROUND misses: every render is waited for here."""
    workers = workers or default_workers()
    setup(threads_per_image=1)
    checked = VerifiedFiles(root)
    batch = Batch(VariantCache(root, checked), SourceHashes(root), checked, workers)
    try:
        # Cache hits here, one after the other: each is ~0.2 ms of Python (a stat per file,
        # the manifest), which threads only slowed by passing the GIL (1,000 photos: 0.3
        # CPU-s, 0.6-1 s wall in the pool). A miss starts rendering as soon as it is found.
        for job in jobs:
            batch.add(job, background)
    except BaseException:
        batch.wait()
        raise
    if any(r is None for r in batch.now):     # more misses than BACKGROUND: a cold build's
        batch.wait()
    return batch


class Batch:
    """The jobs of one ``start_all``: results now (hits, plans) and the renders still running."""

    def __init__(self, cache: VariantCache, hashes: SourceHashes, checked: VerifiedFiles, workers: int) -> None:
        self.cache, self.hashes, self.checked = cache, hashes, checked
        self.gate = MemoryGate(workers)
        self.now: list = []        # in job order: a hit, a plan, or a finished result (None: rendering)
        self.running: dict[int, Future] = {}    # index in ``now`` -> the render
        # A second pool for one photo's encodes (render.render): a warm build renders one new
        # photo while the other jobs are cache hits, and its encodes then take every core.
        # With many photos (a cold build) both pools share the same cores.
        self.pools = (ThreadPoolExecutor(max_workers=workers, thread_name_prefix="photos"),
                      ThreadPoolExecutor(max_workers=workers, thread_name_prefix="encodes"))
        self.done = False

    def add(self, job: PhotoJob, background: bool) -> None:
        found = cached(job, self.cache, self.hashes)
        if found is None and background and len(self.running) < BACKGROUND:
            found = planned(job, self.cache, self.hashes)
            if found is None:      # the header does not read: its notice at once, nothing to render
                self.now.append(process(job, self.cache, self.hashes))
                return
        if found is None or not found.from_cache:
            self.running[len(self.now)] = self.pools[0].submit(
                process, job, self.cache, self.hashes, self.gate, self.pools[1])
        self.now.append(found)      # a hit, a plan, or None until ``wait``

    @property
    def pending(self) -> bool:
        return not self.done and bool(self.running)

    def wait(self) -> list[PhotoResult]:
        """Every result, rendered; the pools shut down and the memos saved (once)."""
        if self.done:
            return self.now
        try:
            for i, future in self.running.items():
                self.now[i] = future.result()
        finally:
            self.done = True
            for pool in self.pools:
                pool.shutdown(wait=True)
            for memo in (self.hashes, self.checked):
                try:
                    memo.save()
                except OSError:      # a memo only saves re-hashing next time
                    pass
        return self.now
