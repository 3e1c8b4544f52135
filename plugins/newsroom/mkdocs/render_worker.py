"""Rendering on both cores: a forked worker renders a share of the generated pages.

MkDocs converts and renders every page in one process, on one core, while the other core
has only the search indexer (niced) to run. ``newsroom build`` therefore forks, once the
pages and the nav exist (the end of ``on_nav``), a worker that converts and renders a
share of the generated pages outside the nav (the second half of each kind's) and writes
their files into the staging folder. The parent's MkDocs skips those pages (a dirty
build: their file says it is not modified, as for the warm build's reused pages) and
renders the rest. The worker sends back what the parent keeps of a rendered page: the
warm build's record of its file (digest, path, SHA-256), and an article's rendered body
(feeds carry it).

Why a fork and not a fresh process: the worker needs the build's whole state (graph, page
data, MkDocs' files and nav, the shared Markdown converter) and rebuilding it would cost
what it saves. ``gc.freeze()`` before forking keeps the collector of either process from
writing to every object's header, so most memory pages stay shared (copy on write).

Failures: an exception in the worker is sent back as text and the parent's build fails
with it (``WorkerFailed``); the staging folder is then thrown away as for any failed
build. The plugin's ``on_build_error`` kills the worker when the build fails or is stopped
(``build.run_build`` runs it on Ctrl-C too), before the staging folder is thrown away; the
worker also dies with its parent (``PR_SET_PDEATHSIG``), and stops on Ctrl-C as the parent
does.

Off by default; ``NEWSROOM_RENDER_WORKER=1`` turns it on. At 10,000 articles the two
processes share most of the build's memory at first, but each copies the pages it writes
(reference counts): the process tree's peak (PSS, with the indexer and a Pagefind writing a
shard) was 615-649 MiB against 542 without the worker, over the 600 MiB goal of issue 18
(docs/performance.md, session 9, branch ``cold3``).
"""
from __future__ import annotations

import ctypes
import gc
import os
import pickle
import signal
import time
import traceback
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from mkdocs.commands.build import _build_page, _populate_page
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, InclusionLevel

from ..core.memory import give_back
from ..core.terminal import Progress, stops_held
from .warm import skip_in_dirty_build

ENV_VAR = "NEWSROOM_RENDER_WORKER"
# tests/test_render_worker.py: "fail", the worker raises before its first page; "wait:PATH",
# it writes its pid to PATH and waits a minute (to be stopped meanwhile).
TEST_VAR = "NEWSROOM_RENDER_WORKER_TEST"
_PR_SET_PDEATHSIG = 1
# Pages between two malloc_trim calls while rendering: each page's output (30-60 KB of text)
# is freed into the C allocator, which otherwise keeps the pages.
TRIM_EVERY = 256


class WorkerFailed(RuntimeError):
    """The worker's exception, as text (its traceback included)."""


def enabled() -> bool:
    return os.environ.get(ENV_VAR, "0") == "1" and hasattr(os, "fork")


def worker_share(groups: Iterable[list[File]]) -> list[File]:
    """The pages the worker renders: the second half of each group (a kind's pages).

    Halves, not every other page: a page's own objects (its data, MkDocs' file and page)
    were made one after another, so each process then writes (reference counts) mostly
    to memory pages the other does not, and fewer shared pages are copied."""
    return [f for group in groups for f in group[len(group) // 2:]]


@dataclass
class Report:
    """What the parent keeps of the worker's pages."""

    pages: dict[str, tuple[str, str, str]] = field(default_factory=dict)   # warm build's record per src
    bodies: dict[str, str] = field(default_factory=dict)                    # article url -> rendered body
    error: str = ""


class RenderWorker:
    """The forked worker, seen from the parent: its progress and its report."""

    def __init__(self, pid: int, results: int, progress: int) -> None:
        self.pid, self._results, self._progress = pid, results, progress
        self.ended = False            # its progress pipe closed: it has exited (``finish`` won't wait)
        self.closed = False           # waited for or killed: its pipes are closed

    @classmethod
    def start(cls, share: list[File], read: list[File], build: tuple[Any, Any, Any],
              setup: Callable[[], None], report: Callable[[list[File]], Report]) -> "RenderWorker":
        """Fork; the worker renders ``share`` and sends ``report(share)``. ``build``: MkDocs'
        config, files and nav. In the worker, first ``setup()``, then the pages of ``read`` are
        converted and not written (the nav's: what other pages may show of them)."""
        results_r, results_w = os.pipe()
        progress_r, progress_w = os.pipe()
        gc.collect()                # garbage freed now is not copied into the worker
        give_back()
        # The objects made so far: neither collector touches them. Never unfrozen: gc has one
        # frozen generation, and core.memory.keep_for_the_build froze the graph in it already.
        gc.freeze()
        parent = os.getpid()
        try:
            pid = os.fork()
        except OSError:
            for fd in (results_r, results_w, progress_r, progress_w):
                os.close(fd)
            raise
        if pid == 0:                # the worker: never returns
            os.close(results_r)
            os.close(progress_r)
            _worker_main((share, read), build, setup, report, (results_w, progress_w), parent)
        os.close(results_w)
        os.close(progress_w)
        os.set_blocking(progress_r, False)
        return cls(pid, results_r, progress_r)

    def progress(self) -> int:
        """Pages the worker has written since the last call."""
        try:
            got = os.read(self._progress, 1 << 16)
        except (BlockingIOError, OSError):
            return 0
        self.ended = not got
        return len(got)

    def finish(self) -> tuple[Report, int]:
        """Wait for the worker; its report and the pages not counted by ``progress`` yet.
        Raises ``WorkerFailed`` if it failed or died."""
        try:
            data = _read_all(self._results)
            os.set_blocking(self._progress, True)
            ticks = len(_read_all(self._progress))
            _, status = os.waitpid(self.pid, 0)
        except BaseException:            # Ctrl-C while waiting: the worker must not write on
            self.cancel()
            raise
        self._close()
        code = os.waitstatus_to_exitcode(status)
        try:
            report = pickle.loads(data)
        except Exception:                # no report: the worker died (killed, out of memory)
            raise WorkerFailed(f"渲染页面的子进程意外退出（退出码 {code}）") from None
        if report.error or code != 0:
            raise WorkerFailed(report.error or f"渲染页面的子进程退出码 {code}")
        return report, ticks

    def cancel(self) -> None:
        """Stop the worker now (the build failed or was stopped)."""
        if self.closed:
            return
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except OSError:
            pass
        self._close()

    def _close(self) -> None:
        self.closed = True
        for fd in (self._results, self._progress):
            try:
                os.close(fd)
            except OSError:
                pass
        self._results = self._progress = -1


def _read_all(fd: int) -> bytes:
    chunks = []
    while chunk := os.read(fd, 1 << 16):
        chunks.append(chunk)
    return b"".join(chunks)


def _worker_main(pages: tuple[list[File], list[File]], build: tuple[Any, Any, Any], setup: Callable[[], None],
                 report: Callable[[list[File]], Report], pipes: tuple[int, int], parent: int) -> None:
    share, read = pages
    config, files, nav = build
    results, progress = pipes
    code = 1
    try:
        _die_with_parent(parent)
        setup()
        _test_hook(os.environ.get(TEST_VAR, ""))
        for file in read:
            _populate_page(file.page, config, files)
        env = config.plugins.on_env(config.theme.get_env(), config=config, files=files)
        doc_files = files.documentation_pages(inclusion=InclusionLevel.is_included)
        os.set_blocking(progress, False)
        for n, file in enumerate(share, 1):  # page by page: converted, written, its HTML dropped
            _populate_page(file.page, config, files)
            _build_page(file.page, config, doc_files, nav, env, excluded=file.inclusion.is_excluded())
            file.page.content = None        # (an article's body stays, for the feeds)
            _tick(progress)
            if n % TRIM_EVERY == 0:
                give_back()
        out, code = report(share), 0
    except BaseException as exc:     # Ctrl-C included: say so, the parent fails the build
        out = Report(error=f"渲染页面时出错：{exc!r}\n{traceback.format_exc()}")
    try:
        _write_all(results, pickle.dumps(out, protocol=pickle.HIGHEST_PROTOCOL))
    finally:
        os._exit(code)            # never the parent's cleanup (staging, indexer, atexit)


def _tick(progress: int) -> None:
    """One page done. A full pipe (the parent busy elsewhere) loses the tick, never blocks."""
    try:
        os.write(progress, b".")
    except BlockingIOError:
        pass


def _test_hook(what: str) -> None:
    if what == "fail":
        raise RuntimeError("NEWSROOM_RENDER_WORKER_TEST=fail")
    if what.startswith("wait:"):      # says so in that file (its pid), then waits
        with open(what[len("wait:"):], "w", encoding="ascii") as f:
            f.write(str(os.getpid()))
        time.sleep(60)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]
    os.close(fd)


def _die_with_parent(parent: int) -> None:
    """Linux: the worker gets SIGKILL when the build process ends, however it ends."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:    # the parent died before prctl
        os._exit(1)


# ---------------------------------------------------------------- the plugin's side

def start_for(plugin: Any, config: Any, files: Any, nav: Any) -> None:
    """Fork the worker (``plugin.worker``) for ``plugin``'s generated pages outside the nav
    that are not reused; this process's MkDocs is then told they are not modified (it must
    run a dirty build)."""
    reused = plugin.warm.reused if plugin.warm is not None else set()
    groups: dict[str, list[File]] = {}
    for src, spec in plugin.specs.items():
        file = files.get_file_from_path(src)
        if file is not None and src not in plugin.in_nav and src not in reused:
            groups.setdefault(spec.kind, []).append(file)
    share = worker_share(groups.values())
    if not share:
        return

    def setup() -> None:          # in the worker: the indexer is the parent's, no progress line
        held.release()            # held since before the fork (below): Ctrl-C ends us here
        plugin.search_job = None
        plugin.progress = Progress(enabled=False)
        plugin.article_html = {}

    def report(done: list[File]) -> Report:
        pages = plugin.warm.pages if plugin.warm is not None else {}
        return Report({f.src_uri: pages[f.src_uri] for f in done if f.src_uri in pages}, dict(plugin.article_html))

    try:
        # On the plugin before Ctrl-C can act (its on_build_error is what stops the worker):
        # a KeyboardInterrupt between the fork and this assignment would leave the worker
        # running, and in the worker, running the build's own cleanup (staging, lock).
        with stops_held() as held:
            plugin.worker = RenderWorker.start(share, [p.file for p in nav.pages], (config, files, nav), setup,
                                               report)
    except OSError:               # no fork (out of processes or memory): one process renders all
        return
    for file in share:
        skip_in_dirty_build(file)


def page_done(plugin: Any) -> None:
    """After each page the parent wrote: the worker's progress; its failure, at once."""
    worker = plugin.worker
    plugin.progress.tick(worker.progress())
    if worker.ended:
        finish_for(plugin)
    elif plugin.progress.done % TRIM_EVERY < 2:
        give_back()


def finish_for(plugin: Any) -> None:
    """Wait for the worker; keep what it rendered as if this process had (raises PluginError)."""
    worker, plugin.worker = plugin.worker, None
    if worker is None:
        return
    try:
        report, ticks = worker.finish()
    except WorkerFailed as exc:
        raise PluginError(str(exc)) from None
    plugin.progress.tick(ticks)
    if plugin.warm is not None:
        plugin.warm.pages.update(report.pages)
    for url, html in report.bodies.items():
        plugin.keep_body(url, html)


__all__ = ["ENV_VAR", "TEST_VAR", "RenderWorker", "Report", "WorkerFailed", "enabled", "finish_for", "page_done",
           "start_for", "worker_share"]
