"""``newsroom build``'s use of the cyclic collector (core/memory.py): no full collection while
the doc store and the graph load (``young_collections_only``), and none at the process's exit
once the build is published (``nothing_to_collect_at_exit``), while atexit handlers and
``weakref.finalize`` (the search indexer's stop) still run."""
from __future__ import annotations

import gc
import subprocess
import sys
from pathlib import Path


_LOAD = """
import contextlib, gc, sys, weakref
from newsroom.core.memory import young_collections_only

class Cycle:
    def __init__(self):
        self.me = self

started = []
gc.callbacks.append(lambda phase, info: phase == "start" and started.append(info["generation"]))
block = young_collections_only() if sys.argv[1] == "block" else contextlib.nullcontext()
before = gc.get_threshold()
with block:
    garbage = Cycle()
    gone = weakref.ref(garbage)
    del garbage                                  # a young cycle: only a collection frees it
    kept = [[i] for i in range(300_000)]         # a graph: objects that live on
    print(gone() is None, 0 in started, 2 in started, gc.get_threshold()[:2] == before[:2])
print(gc.get_threshold() == before)
"""


def _load(how: str) -> list[str]:
    plugins = Path(__file__).resolve().parents[1] / "plugins"
    run = subprocess.run([sys.executable, "-c", _LOAD, how], capture_output=True, text=True,
                         env={"PYTHONPATH": str(plugins)}, timeout=60)
    assert run.returncode == 0, run.stderr
    return run.stdout.split()


def test_young_collections_run_and_full_ones_wait_inside_the_block():
    # Without the block, this load runs full collections (the test's own check that it would).
    assert _load("plain") == ["True", "True", "True", "True", "True"]
    # Inside: the young cycle is still freed, by young collections, and no full one runs.
    assert _load("block") == ["True", "True", "False", "True", "True"]


def test_a_threshold_set_inside_the_block_is_kept():
    from newsroom.core.memory import young_collections_only

    before = gc.get_threshold()
    try:
        with young_collections_only():
            gc.set_threshold(before[0], before[1], 33)
        assert gc.get_threshold()[2] == 33
    finally:
        gc.set_threshold(*before)


_EXIT = """
import atexit, sys, weakref
from newsroom.core.memory import nothing_to_collect_at_exit

class Job:
    pass

job = Job()
weakref.finalize(job, print, "finalizer ran", flush=True)   # as the search indexer's stop
atexit.register(print, "atexit ran", flush=True)
with open(sys.argv[1], "w", encoding="utf-8") as out:
    out.write("written")
nothing_to_collect_at_exit()
print("end", flush=True)
"""


def test_nothing_to_collect_at_exit_keeps_finalizers_and_atexit(tmp_path: Path):
    plugins = Path(__file__).resolve().parents[1] / "plugins"
    target = tmp_path / "out.txt"
    run = subprocess.run([sys.executable, "-c", _EXIT, str(target)], capture_output=True, text=True,
                         env={"PYTHONPATH": str(plugins)}, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split("\n")[:3] == ["end", "atexit ran", "finalizer ran"]
    assert target.read_text(encoding="utf-8") == "written"


def test_the_keeper_pauses_the_collector_from_the_first_on_files_and_freezes_after_the_last_on_nav():
    from mkdocs.plugins import PluginCollection
    from newsroom.mkdocs.build import _KEEPER, _keep_after_files
    from newsroom.mkdocs.plugin import NewsroomPlugin

    plugins = PluginCollection()
    plugins["newsroom"] = NewsroomPlugin()
    plugins[_KEEPER] = _keep_after_files()
    files_order = [m.__self__ for m in plugins.events["files"]]
    nav_order = [m.__self__ for m in plugins.events["nav"]]
    assert [type(p).__name__ for p in files_order] == ["KeepAfterFiles", "NewsroomPlugin"]
    assert [type(p).__name__ for p in nav_order] == ["NewsroomPlugin", "KeepAfterFiles"]
    keeper, files, nav = files_order[0], object(), object()
    gc.unfreeze()
    assert gc.isenabled()
    try:
        assert keeper.on_files(files, config=None) is files
        assert not gc.isenabled()                 # pages, files and the plan: no collection over them
        assert keeper.on_nav(nav, config=None, files=files) is nav
        assert gc.isenabled()
        assert gc.get_freeze_count() > 0          # what on_files and on_nav made: out of the collector's walks
        keeper.on_files(files, config=None)
        keeper.paused.close()                     # run_build's finally, after a failed build
        assert gc.isenabled()
    finally:
        gc.enable()
        gc.unfreeze()                              # this test process goes on collecting
