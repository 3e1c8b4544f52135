"""Progress of a long build, for a person watching a terminal.

Prints ``页面 3200/14901  812 页/秒  预计还需 14 秒`` on one line, at most five
times a second; prints nothing when disabled (not a terminal, or ``-q``).
``stop_on_signals`` makes kill and a closed terminal stop a command as Ctrl-C does;
``stops_held`` defers them (and Ctrl-C) across a few statements that must not be cut.
"""
from __future__ import annotations

import signal
import sys
import time
from contextlib import contextmanager
from typing import Any, Callable, Iterator, Optional, TextIO

STOPS = ("SIGINT", "SIGTERM", "SIGHUP")     # Ctrl-C, kill, a closed terminal


class Progress:
    def __init__(self, enabled: bool, stream: Optional[TextIO] = None, label: str = "页面") -> None:
        self.enabled = enabled
        self.stream = stream or sys.stderr
        self.label = label
        self.total = 0
        self.done = 0
        self._start = 0.0
        self._shown = 0.0

    @classmethod
    def for_terminal(cls, quiet: bool, stream: Optional[TextIO] = None) -> "Progress":
        stream = stream or sys.stderr
        return cls(enabled=not quiet and stream.isatty(), stream=stream)

    def start(self, total: int) -> None:
        self.total, self.done = total, 0
        self._start = self._shown = time.monotonic()

    def tick(self, n: int = 1) -> None:
        self.done += n
        if not self.enabled:
            return
        now = time.monotonic()
        if self.done == n:
            # The rate counts from the first page written: before it, the Markdown of
            # every page is converted, and counting that time made the first ETA absurd.
            self._start = now - 1e-3
        if now - self._shown >= 0.2 or self.done >= self.total:
            self._shown = now
            self.stream.write("\r" + self.line(now) + "\033[K")
            self.stream.flush()

    def line(self, now: float) -> str:
        elapsed = max(now - self._start, 1e-6)
        rate = self.done / elapsed
        left = (self.total - self.done) / rate if rate > 0 else 0
        eta = f"预计还需 {left:.0f} 秒" if elapsed >= 0.5 or self.done >= self.total else "正在估算剩余时间"
        return f"{self.label} {self.done}/{self.total}  {rate:.0f} 页/秒  {eta}"

    def finish(self) -> None:
        if self.enabled and self.total:
            self.stream.write("\r" + self.line(time.monotonic()) + "\033[K\n")
            self.stream.flush()


def stop_on_signals() -> None:
    """SIGTERM (kill) and SIGHUP (a closed terminal) stop the command as Ctrl-C does,
    so its ``finally`` runs: no staging or preview folder, no indexer left behind."""
    def stop(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    on_signals(stop, ("SIGTERM", "SIGHUP"))


def stop_signals() -> set[signal.Signals]:
    return {getattr(signal, name) for name in STOPS if hasattr(signal, name)}


@contextmanager
def stops_held() -> Iterator[None]:
    """Ctrl-C, kill and hang-up wait until the block ends, then act (Python raises then).

    A fork must not be cut between ``os.fork()`` and the moment its caller records the
    child: a KeyboardInterrupt there would leave a child nobody stops. The child inherits
    the mask, and must unblock the signals itself (``release_stops``)."""
    if not hasattr(signal, "pthread_sigmask"):      # Windows: no fork either
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, stop_signals())
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def release_stops() -> None:
    """In a child forked inside ``stops_held``: the stop signals act again."""
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, stop_signals())


def on_signals(handler: Callable[[int, Any], None], names: tuple[str, ...]) -> None:
    """``handler`` for each signal this platform has of ``names`` (Windows has no SIGHUP)."""
    for name in names:
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), handler)


