"""``newsroom build``'s use of the cyclic collector (core/memory.py): no collection while the
doc store and the graph load (``collector_paused``, then frozen), and none at the process's exit
once the build is published (``nothing_to_collect_at_exit``), while atexit handlers and
``weakref.finalize`` (the search indexer's stop) still run."""
from __future__ import annotations

import gc
import subprocess
import sys
from pathlib import Path


def test_no_collection_while_the_store_and_the_graph_load(monkeypatch):
    """``newsroom build`` loads its doc store and graph with the collector paused (a cold load at
    10k leaves no cyclic garbage to find), freezes them, and turns the collector on again."""
    from types import SimpleNamespace

    from newsroom.app import cli

    started: list[int] = []
    made: list = []

    def load(config, plugin, cache, background_photos=False):
        made.extend([i] for i in range(300_000))       # a graph: objects that live on
        return SimpleNamespace(articles=[]), []

    def on_collect(phase, info):
        if phase == "start":
            started.append(info["generation"])
    monkeypatch.setattr(cli, "load_graph", load)
    monkeypatch.setattr(cli, "run_build", lambda *a, **k: None)
    args = SimpleNamespace(no_reuse=True, quiet=True, verbose=False)
    plugin = SimpleNamespace(warm=None)
    frozen = gc.get_freeze_count()
    gc.callbacks.append(on_collect)
    try:
        assert gc.isenabled()
        assert cli._build_into_staging(args, None, plugin, Path("site")) is not None
        assert started == [] and gc.isenabled()
        assert gc.get_freeze_count() >= frozen + 300_000
    finally:
        gc.callbacks.remove(on_collect)
        gc.unfreeze()


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


def _keeper_after_plan(monkeypatch, specs: int, reused: int, warm: bool = True):
    """The keeper plugin's on_files and on_nav around a plan that left ``specs - reused`` pages."""
    from types import SimpleNamespace

    from newsroom.mkdocs import build
    from newsroom.mkdocs.plugin import NewsroomPlugin

    ours = NewsroomPlugin()
    ours.specs = {f"p{i}.md": None for i in range(specs)}
    ours.warm = SimpleNamespace(reused={f"p{i}.md" for i in range(reused)}) if warm else None
    config = SimpleNamespace(plugins={"newsroom": ours})
    keeper = build._keep_after_files()
    keeper.on_files([], config)
    keeper.on_nav(None, config, [])
    return keeper


def test_a_warm_build_with_few_pages_to_render_renders_them_with_the_collector_paused(monkeypatch):
    """Few pages to render (a new article's ~650 at 10k): no collection until MkDocs' build ends
    (run_build closes the pause); many (a template changed), a cold build: collected as before."""
    from newsroom.mkdocs import build

    assert gc.isenabled()
    try:
        keeper = _keeper_after_plan(monkeypatch, 15_000, 15_000 - build.FEW_PAGES)
        assert not gc.isenabled()
        keeper.paused.close()
        assert gc.isenabled()
        keeper = _keeper_after_plan(monkeypatch, 15_000, 15_000 - build.FEW_PAGES - 1)
        assert gc.isenabled()
        keeper = _keeper_after_plan(monkeypatch, 10, 0, warm=False)
        assert gc.isenabled()
    finally:
        gc.enable()
        gc.unfreeze()                              # this test process goes on collecting


def _run_build_rendering(monkeypatch, specs: int, reused: int, fail: bool = False):
    """``run_build`` around a stand-in for MkDocs' build that runs the keeper's on_files and on_nav
    after a plan that left ``specs - reused`` pages (and then fails, with ``fail``)."""
    import contextlib
    from types import SimpleNamespace

    import mkdocs.commands.build as mkdocs_build
    from mkdocs.exceptions import Abort

    from newsroom.mkdocs import build
    from newsroom.mkdocs.plugin import NewsroomPlugin

    ours = NewsroomPlugin()
    ours.specs = {f"p{i}.md": None for i in range(specs)}
    ours.warm = SimpleNamespace(reused={f"p{i}.md" for i in range(reused)})
    config = SimpleNamespace(plugins={"newsroom": ours})

    def fake_build(config, dirty=False):
        keeper = config.plugins[build._KEEPER]
        keeper.on_files([], config)
        keeper.on_nav(None, config, [])
        if fail:
            raise Abort("stopped")
    monkeypatch.setattr(mkdocs_build, "build", fake_build)
    monkeypatch.setattr(build, "walk_without_pages", lambda free: contextlib.nullcontext())
    monkeypatch.setattr(build, "written_by_a_child", lambda config: contextlib.nullcontext())
    paused = contextlib.ExitStack()
    try:
        build.run_build(config, dirty=True, kept_after_files=True, paused_after=paused)
    except build.CliError:
        assert fail
    return paused


def test_the_pause_of_a_build_that_rendered_few_pages_lasts_until_its_caller_closes_it(monkeypatch):
    """``newsroom build`` publishes and saves a +1 with the collector still paused (cli.py closes
    it after freezing everything): run_build hands its pause on instead of closing it. A failed
    build, or one that rendered many pages, leaves the collector running."""
    from newsroom.mkdocs import build

    assert gc.isenabled()
    try:
        paused = _run_build_rendering(monkeypatch, 15_000, 15_000 - build.FEW_PAGES)
        assert not gc.isenabled()                 # handed on: publish and save run without collections
        paused.close()
        assert gc.isenabled()
        paused = _run_build_rendering(monkeypatch, 15_000, 15_000 - build.FEW_PAGES, fail=True)
        assert gc.isenabled()                     # a failed build: collected again at once
        paused.close()
        paused = _run_build_rendering(monkeypatch, 15_000, 0)
        assert gc.isenabled()                     # many pages: closed in on_nav, as before
        paused.close()
        assert gc.isenabled()
    finally:
        gc.enable()
        gc.unfreeze()                              # this test process goes on collecting


def test_newsroom_build_closes_the_handed_pause_after_the_save(monkeypatch, tmp_path):
    """cli.cmd_build passes a pause to the build and closes it at its end, after the publish and
    the save, whatever happens: the collector is on again once it returns."""
    import contextlib
    from types import SimpleNamespace

    from newsroom.app import cli, publish

    order: list[str] = []

    class FakePublisher:
        staging, keeps_in_site, site_stats = tmp_path / "staging", False, None

        def __init__(self, *a, **k):
            pass

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def publish(self, left):
            order.append(f"publish paused={not gc.isenabled()}")

    warm = SimpleNamespace(left_in_site=None, save=lambda: order.append(f"save paused={not gc.isenabled()}"))
    plugin = SimpleNamespace(warm=warm, search_job=None, brands_dir=lambda c: tmp_path)
    config = {"site_dir": str(tmp_path / "site")}

    def build_into_staging(args, config, plugin, site_dir, in_site, stats, paused):
        paused.enter_context(contextlib.ExitStack()).callback(gc.enable)
        gc.disable()
        return SimpleNamespace(articles=[], brands=[], workers=[])
    monkeypatch.setattr(cli, "load_config", lambda args, site_dir: (config, plugin))
    monkeypatch.setattr(cli, "chosen_site_dir", lambda args, config: tmp_path / "site")
    monkeypatch.setattr(cli, "_sources", lambda config, plugin: None)
    monkeypatch.setattr(cli, "_admin_config", lambda config, plugin, quiet: None)
    monkeypatch.setattr(cli, "_build_into_staging", build_into_staging)
    monkeypatch.setattr(cli, "stop_on_signals", lambda: None)
    monkeypatch.setattr(cli, "nothing_to_collect_at_exit", lambda: order.append(f"frozen paused={not gc.isenabled()}"))
    monkeypatch.setattr(publish, "Publisher", FakePublisher)
    try:
        assert cli.cmd_build(SimpleNamespace(verbose=False, no_reuse=False, quiet=True)) == 0
        assert order == ["publish paused=True", "save paused=True", "frozen paused=True"]
        assert gc.isenabled()
    finally:
        gc.enable()
