"""The search routes: which shards hold each token, so a query skips shards that cannot match
(docs/search.md). Written beside Pagefind's files into the bundle being built."""
from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Optional

from .pagefind import SearchIndexError
from .tokens import ROUTE_BUCKETS, TOKEN, route_bucket


class Routes:
    """The routes, written by a thread as soon as every shard's tokens are known.

    They depend only on the tokens each shard holds, known once a shard is tokenized (or
    found unchanged), before its Pagefind runs. Writing them is 1,024 small files, 0.3-0.7 s
    of the file system's time here: after one new article the build waited for them once
    Pagefind had indexed the changed shard. Now they are written while Pagefind indexes it."""

    def __init__(self, count: int, folder: Path) -> None:
        self.held: list[Optional[set[str]]] = [None] * count
        self.folder = folder
        self._lock = threading.Lock()
        self._thread: Optional[threading.Thread] = None
        self._error: Optional[BaseException] = None
        if count == 0:
            self._start()

    def known(self, n: int, held: set[str]) -> None:
        """Shard ``n`` holds ``held`` (each shard reports once; a second report would be ignored)."""
        with self._lock:
            if self.held[n] is not None or self._thread is not None:
                return
            self.held[n] = held
            if any(h is None for h in self.held):
                return
            self._start()

    def _start(self) -> None:
        self._thread = threading.Thread(target=self._write, name="search-routes", daemon=True)
        self._thread.start()

    def _write(self) -> None:
        try:
            write_routes(self.folder, route_masks([h or set() for h in self.held]))
        except BaseException as e:               # raised by join, in the caller's thread
            self._error = e

    def join(self, raising: bool = True) -> None:
        with self._lock:
            thread = self._thread
        if thread is None:
            if raising:
                raise SearchIndexError("搜索索引的分片没有全部完成")
            return
        thread.join()
        if self._error is not None and raising:
            raise self._error


def route_masks(held: list[set[str]]) -> dict[str, int]:
    """token -> bit mask of the shards (by position) that hold it."""
    routes: dict[str, int] = {}
    for n, tokens_of_shard in enumerate(held):
        bit = 1 << n
        for token in tokens_of_shard:
            routes[token] = routes.get(token, 0) | bit
    return routes


def write_routes(folder: Path, routes: dict[str, int]) -> None:
    """Which shards hold each token, so a query skips shards that cannot match.

    One small JSON file per bucket: {token: shard mask in hex}. A query reads one
    bucket per distinct token.
    """
    buckets: dict[int, dict[str, str]] = {}
    for token, mask in routes.items():
        if not TOKEN.fullmatch(token):
            continue                 # punctuation and line marks are not searched
        buckets.setdefault(route_bucket(token), {})[token] = format(mask, "x")
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(ROUTE_BUCKETS):
        (folder / f"{n}.json").write_text(json.dumps(buckets.get(n, {}), ensure_ascii=False,
                                                     separators=(",", ":"), sort_keys=True),
                                          encoding="utf-8")
