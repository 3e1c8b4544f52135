"""The indexer process: the index is built in a child process while pages render."""
from __future__ import annotations

import json
import os
import pickle
import shutil
import signal
import subprocess
import sys
import threading
import time
import traceback
import weakref
from pathlib import Path
from typing import TYPE_CHECKING, Optional

from ..core.memory import give_back
from .bundle import index_shards, staging_dir
from .pagefind import SearchIndexError
from .shards import StaleShard, plan_shards

# Annotations only: the indexer process imports this module, and the graph's modules
# (the photo engine, libvips: 13 MiB) have nothing to do there.
if TYPE_CHECKING:
    from ..content.graph_data import ContentGraph
    from .kept_shards import ShardReuse

INDEX_NICENESS = 10                 # the index, built while pages render, yields the CPU to them
# ... except a warm build's few shards to index again (FEW_SHARDS at most, the others linked):
# after one new article that index (the newest shard in Pagefind, ~1.5 CPU-s) is what the build
# waits for last, and at nice 10 it got a tenth of a core while the build rendered. A warm build
# that indexes more (a brand renamed) is a cold one for the index. NEWSROOM_INDEX_NICE sets
# either (benchmarks).
WARM_NICENESS = 0
FEW_SHARDS = 2


class IndexJob:
    """The search index, built by another process while MkDocs renders the pages.

    The records come from the content graph, not from the HTML, so indexing can
    start as soon as the graph exists. The shards are planned here (0.3 s at
    10,000 articles) and handed, pickled, to a fresh Python that tokenizes them
    and drives Pagefind: tokens, JSON and base64 would otherwise take the GIL
    from page rendering for seconds. Not a fork of this process: a fork holds on
    to every page of the build's memory that either process writes afterwards,
    and rendering writes most of them (+145 MiB at 10,000 articles, against
    55 MiB for a fresh one).

    ``finish`` waits and raises ``SearchIndexError`` with the indexer's message if
    the index failed, or if the indexer died, so a broken index still fails the
    build; the bundle is only ever renamed into place whole.
    """

    def __init__(self, graph: ContentGraph, site_dir: Path, reuse_from: Optional[Path] = None,
                 reuse: Optional[ShardReuse] = None, token_texts: Optional[Path] = None) -> None:
        site_dir = Path(site_dir).resolve()
        self._staging = staging_dir(site_dir)
        self.cancelled = False
        # For finish: a shard planned without its records (``reuse``) that the earlier bundle
        # does not hold as kept makes the whole index again, from records.
        self._again = (graph, site_dir, reuse_from, None, token_texts) if reuse is not None else None
        try:
            # Started before the shards are planned: its start and imports (~0.12 CPU-s) run
            # on the other core while this process plans (~0.1 CPU-s), and the index of a
            # warm build, often the last thing the build waits for, starts that much sooner.
            # Its own session: Ctrl-C in the terminal stops the build or the preview, which
            # stops the indexer (cancel, or the finalizer below); the indexer and its Pagefind
            # processes never see the signal, so they print no traceback of their own.
            self._indexer = subprocess.Popen([sys.executable, "-c", _INDEXER], stdin=subprocess.PIPE,
                                             stdout=subprocess.PIPE, env=_indexer_env(),
                                             start_new_session=True)
        except OSError as e:
            raise SearchIndexError(f"无法启动生成搜索索引的进程 {sys.executable}：{e}") from e
        try:
            work = _work(graph, site_dir, reuse_from, reuse, token_texts)
        except BaseException:
            _stop(self._indexer)         # it waits for its work: nothing written yet
            raise
        # The records are garbage now; their pages would stay with this process while the
        # indexer and Pagefind run (37 MiB at 10,000 articles with site_pages' leftovers).
        give_back()
        # An indexer left behind (the build stopped without finish) must not go on
        # writing into the site folder.
        self._finalizer = weakref.finalize(self, _stop, self._indexer)
        # Written by a thread (which releases the GIL while the pipe is full), read by the indexer.
        self._feeder = threading.Thread(target=_feed, args=(self._indexer, work), name="search-index-feed",
                                        daemon=True)
        self._feeder.start()

    def finish(self) -> None:
        assert self._indexer.stdout is not None
        try:
            report = self._indexer.stdout.read()     # the indexer's only output, at its end
            self._indexer.wait()
        except BaseException:                        # Ctrl-C while waiting: it must not write on
            self.cancel()
            raise
        self._feeder.join()
        self._finalizer.detach()
        try:
            outcome = json.loads(report)
        except ValueError:                       # no report: the indexer died
            shutil.rmtree(self._staging, ignore_errors=True)   # whatever it left half-written
            raise SearchIndexError(f"生成搜索索引的进程意外退出（退出码 {self._indexer.returncode}）") from None
        if isinstance(outcome, dict) and outcome.get("stale") and self._again is not None:
            IndexJob(*self._again).finish()      # the cache or the published bundle is not the last build's
            return
        if outcome:
            raise SearchIndexError(str(outcome))


    @property
    def interrupted(self) -> bool:
        """The indexer ended by Ctrl-C, kill or a closed terminal: stopped with its caller."""
        return self._indexer.returncode in (-signal.SIGINT, -signal.SIGTERM, -signal.SIGHUP)

    def cancel(self) -> None:
        """Stop the indexer at once (the build failed): nothing it wrote is kept."""
        self.cancelled = True
        _stop(self._indexer)
        self._feeder.join(timeout=5)
        self._finalizer.detach()
        shutil.rmtree(self._staging, ignore_errors=True)


def _work(graph: ContentGraph, site_dir: Path, reuse_from: Optional[Path], reuse: Optional[ShardReuse],
          token_texts: Optional[Path]) -> bytes:
    """The indexer's input: the shards planned (0.1 CPU-s at 10,000 articles), pickled."""
    shards = plan_shards(graph, reuse=reuse)
    if reuse is not None:
        reuse.verify(shards)
    return pickle.dumps((shards, str(site_dir), reuse_from and str(reuse_from), token_texts and str(token_texts),
                         niceness(shards, reuse is not None)), protocol=pickle.HIGHEST_PROTOCOL)


def start_index(graph: ContentGraph, site_dir: Path, reuse_from: Optional[Path] = None,
                reuse: Optional[ShardReuse] = None, token_texts: Optional[Path] = None) -> IndexJob:
    return IndexJob(graph, site_dir, reuse_from, reuse, token_texts)


_INDEXER = "from newsroom.search.indexer import _indexer_main; _indexer_main()"
NICE_VAR = "NEWSROOM_INDEX_NICE"


def _indexer_env() -> dict[str, str]:
    """The environment of the indexer: this one, with this copy of the package first on the path."""
    env = dict(os.environ)
    root = str(Path(__file__).resolve().parents[2])      # plugins/, above newsroom/search/
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
    return env


def niceness(shards: list, warm: bool) -> int:
    """The indexer's niceness for these planned shards: WARM_NICENESS for a warm build's few
    to index (``Shard.kept``: linked, not indexed), else INDEX_NICENESS."""
    to_index = sum(1 for shard in shards if shard.kept is None)
    return WARM_NICENESS if warm and to_index <= FEW_SHARDS else INDEX_NICENESS


def _feed(indexer: subprocess.Popen, work: bytes) -> None:
    try:
        assert indexer.stdin is not None
        indexer.stdin.write(work)
        indexer.stdin.close()
    except OSError:
        pass                                     # the indexer died: finish() reports it


def _stop(indexer: subprocess.Popen) -> None:
    if indexer.poll() is None:
        indexer.kill()                           # its Pagefind processes end with their stdin
        indexer.wait()


def _yield_to_rendering(planned: int) -> None:
    """Run the indexer and its Pagefind processes at a lower priority than the build.

    The build waits for its page rendering; the index takes the CPU left over,
    and all of it once the pages are done. At 10,000 articles on two cores:
    builds of 14.0-14.3 s, against 15.5-16.9 s at normal priority. ``planned``:
    the parent's choice (``niceness``), unless ``NICE_VAR`` says otherwise.
    """
    try:
        chosen = int(os.environ.get(NICE_VAR, planned))
    except ValueError:
        chosen = planned
    try:
        if chosen > 0:
            os.nice(chosen)
    except (AttributeError, OSError):           # no nice() on Windows
        pass


def _exit_with_parent() -> None:
    """End the indexer if the build or preview that started it is gone (killed with its
    terminal, say): in its own session it gets no signal of its own. Its Pagefind
    processes end with their input."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(3)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _indexer_main() -> None:
    """The indexer process: read the shards from stdin, index them, report on stdout.

    The report is a JSON string: empty when the bundle is written, else the
    message for the build. stdout carries only that: anything else printed goes
    to stderr.
    """
    report = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="utf-8")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    _exit_with_parent()
    try:
        shards, site_dir, reuse_from, token_texts, planned = pickle.load(sys.stdin.buffer)
        _yield_to_rendering(planned)       # before any Pagefind starts: they inherit it
        index_shards(shards, Path(site_dir), reuse_from and Path(reuse_from), keep_texts=False,
                     token_texts=token_texts and Path(token_texts))
        outcome: object = ""
    except StaleShard as e:             # the parent indexes every shard again, from records
        outcome = {"stale": e.key}
    except SearchIndexError as e:
        outcome = str(e)
    except BaseException as e:  # a bug or an OS error: with its traceback, for the build log
        outcome = f"生成搜索索引时出错：{e!r}\n{traceback.format_exc()}"
    report.write(json.dumps(outcome, ensure_ascii=False))
    report.close()


