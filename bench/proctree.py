"""Peak resident memory of a whole process tree, sampled (issue 18: "the whole process tree,
all processes together"). GNU time reports only the largest single process; our build runs the
search indexer and Pagefind as children, Hugo + Pagefind is a shell with two children.

Standard library only: reads /proc every ``interval`` seconds and sums VmRSS over the root
process and all its descendants. A process that lives less than one interval can be missed,
so this is a lower bound on the true peak, as any sampler is.

Summed RSS counts a page shared by several processes (the Python interpreter and libraries
of the build and its indexer, say) once per process. The tree's PSS (proportional set size,
/proc/PID/smaps_rollup: a shared page divided among the processes that map it) counts it
once in all, and is sampled beside it: a second, fairer figure, not a replacement.
"""
from __future__ import annotations

import os
import threading
import time

PAGE = os.sysconf("SC_PAGE_SIZE")


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        # The command name may hold spaces and parentheses: the fields start after the last ')'.
        ppid = int(stat[stat.rindex(b")") + 2:].split()[1])
        tree.setdefault(ppid, []).append(int(name))
    return tree


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", "rb") as f:
            return int(f.read().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0


def _pss(pid: int) -> int:
    """The process's proportional set size in bytes (0 if gone or unreadable)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as f:
            for line in f:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, IndexError, ValueError):
        pass
    return 0


def _tree(root: int) -> list[int]:
    tree, found, todo = _children(), [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(tree.get(pid, ()))
    return found


def tree_rss(root: int) -> int:
    """Bytes resident in ``root`` and every descendant, now."""
    return sum(map(_rss, _tree(root)))


def tree_memory(root: int) -> tuple[int, int]:
    """(summed RSS, summed PSS) in bytes of ``root`` and every descendant, now."""
    pids = _tree(root)
    return sum(map(_rss, pids)), sum(map(_pss, pids))


class TreePeak:
    """``with TreePeak(pid) as peak: ...``; then ``peak.mib`` (summed RSS) and ``peak.pss_mib``.

    Each is the highest of its own samples: the two peaks may come from different moments."""

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        self.pid, self.interval, self.peak, self.pss_peak = pid, interval, 0, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            rss, pss = tree_memory(self.pid)
            self.peak, self.pss_peak = max(self.peak, rss), max(self.pss_peak, pss)
            self._stop.wait(self.interval)

    def __enter__(self) -> "TreePeak":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def mib(self) -> float:
        return self.peak / 2**20

    @property
    def pss_mib(self) -> float:
        return self.pss_peak / 2**20
