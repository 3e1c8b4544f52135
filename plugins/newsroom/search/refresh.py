"""The preview's search index, refreshed in the background after each save."""
from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any, Optional

from .bundle import BUNDLE
from .indexer import IndexJob
from .pagefind import SearchIndexError

log = logging.getLogger("mkdocs.plugins.newsroom")



class SearchRefresh:
    """The preview's search index, brought up to date after each save, in the background.

    A save's pages are written within the preview's 2 s; the index follows a
    moment later. ``IndexJob`` re-indexes, in another process, only the
    shards whose records changed (one year's shard: about a second at 10,000
    articles), links the others from the live bundle and swaps the bundle in
    whole. One job at a time: saves during a job make one more job, with the
    newest content.
    """

    def __init__(self, site_dir: Path, lock: threading.RLock) -> None:
        self.site_dir = site_dir
        self._lock = lock
        self._mutex = threading.Lock()
        self._wanted: Any = None                 # the newest graph not yet indexed
        self._job: Optional[IndexJob] = None
        self._running = False
        self._stopping = False
        self._idle = threading.Event()
        self._idle.set()

    def request(self, graph: Any) -> None:
        with self._mutex:
            self._wanted = graph
            if self._running:
                return                           # the running loop takes it next
            self._running = True
            self._idle.clear()
        threading.Thread(target=self._run, name="search-refresh", daemon=True).start()

    def wait(self, timeout: Optional[float] = None) -> bool:
        """Until no job runs or waits; False on timeout."""
        return self._idle.wait(timeout)

    def stop(self) -> None:
        """Drop what waits, stop the running job (its staging folder goes with it) and
        wait until the loop has ended: nothing of it writes into the site afterwards."""
        with self._mutex:
            self._wanted = None
            self._stopping = True                # a job being started is cancelled at once
            job = self._job
        if job is not None:
            job.cancel()
        self._idle.wait()
        with self._mutex:
            self._stopping = False

    def _run(self) -> None:
        try:
            while True:
                with self._mutex:
                    graph, self._wanted = self._wanted, None
                    if graph is None:
                        return
                self._refresh(graph)
        finally:
            with self._mutex:
                self._running = False
                self._idle.set()

    def _refresh(self, graph: Any) -> None:
        job: Optional[IndexJob] = None
        try:
            with self._lock:                     # no save is changing what the graph shares
                job = IndexJob(graph, self.site_dir, reuse_from=self.site_dir / BUNDLE)
            with self._mutex:
                stopping = self._stopping
                self._job = None if stopping else job
            if stopping:
                job.cancel()
            job.finish()
            log.info("搜索索引已更新")
        except SearchIndexError as e:
            # Not when it was stopped on purpose, or by the same Ctrl-C that stops the
            # preview (a signal can reach an indexer in the instant before its own session).
            if job is None or not (job.cancelled or job.interrupted):
                log.warning(f"搜索索引没有更新，预览中的搜索结果可能是旧的：{e}")
        except Exception as e:                   # a bug: said, and the next save tries again
            log.warning(f"搜索索引没有更新，预览中的搜索结果可能是旧的（程序内部错误：{e!r}）")
        finally:
            with self._mutex:
                self._job = None


