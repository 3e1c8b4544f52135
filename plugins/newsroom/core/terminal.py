"""Progress of a long build, for a person watching a terminal.

Prints ``页面 3200/14901  812 页/秒  预计还需 14 秒`` on one line, at most five
times a second; prints nothing when disabled (not a terminal, or ``-q``).
``stop_on_signals`` makes kill and a closed terminal stop a command as Ctrl-C does;
``stops_held`` defers them (and Ctrl-C) across statements that must not be cut.
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


class StopsHeld:
    """The stop signals caught while held, and the handlers to put back."""

    def __init__(self) -> None:
        self.caught: list[int] = []
        self.before: dict[int, Any] = {}

    def catch(self, signum: int, frame: Any) -> None:
        self.caught.append(signum)

    def release(self) -> None:
        """The handlers put back; a signal caught meanwhile acts now (Ctrl-C raises)."""
        for number, handler in self.before.items():
            signal.signal(number, handler)
        self.before = {}
        if self.caught:
            signal.raise_signal(self.caught[0])


@contextmanager
def stops_held() -> Iterator[StopsHeld]:
    """Ctrl-C, kill and a closed terminal take effect when the block ends (raised again then).

    By handler, not by signal mask: Python runs handlers in the main thread whichever
    thread the kernel gave the signal to, and a mask would hold it for one thread only.
    A child forked inside the block inherits the holding handler and must call
    ``release()`` itself (the block does not end in it)."""
    held = StopsHeld()
    for name in STOPS:
        number = getattr(signal, name, None)
        if number is None:
            continue
        try:
            held.before[number] = signal.signal(number, held.catch)
        except ValueError:               # not the main thread: signals are not ours to hold
            break
    try:
        yield held
    finally:
        held.release()


def on_signals(handler: Callable[[int, Any], None], names: tuple[str, ...]) -> None:
    """``handler`` for each signal this platform has of ``names`` (Windows has no SIGHUP)."""
    for name in names:
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), handler)


