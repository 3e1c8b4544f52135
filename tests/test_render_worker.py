"""Rendering on both cores (mkdocs/render_worker.py, ``NEWSROOM_RENDER_WORKER=1``).

A forked worker renders half of the generated pages. The site must be byte for byte the
one a single process builds; a worker that fails fails the build with its message, and
the published site stays as it was; Ctrl-C stops the worker with the build.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

from conftest import ENV, NEWSROOM
from test_incremental import NOW, _search_of, _tree_of
from test_publish import leftovers, project, snapshot

WORKER = "NEWSROOM_RENDER_WORKER"
TEST = "NEWSROOM_RENDER_WORKER_TEST"


def _build(proj: Path, site: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([NEWSROOM, "build", "-q", "--site-dir", site], cwd=proj,
                          env={**ENV, "NEWSROOM_NOW": NOW, **env}, capture_output=True, text=True, timeout=600)


def test_site_with_the_worker_is_the_site_without(tmp_path):
    proj = project(tmp_path)
    one = _build(proj, "one", **{WORKER: "0"})
    assert one.returncode == 0, one.stderr
    two = _build(proj, "two", **{WORKER: "1"})
    assert two.returncode == 0, two.stderr
    got, want = _tree_of(proj / "two"), _tree_of(proj / "one")
    assert sorted(set(got) ^ set(want)) == []
    assert [k for k in want if got[k] != want[k]] == []
    assert sum(k.endswith("index.html") for k in want) > 100       # articles, listings, brands …
    assert _search_of(proj / "two") == _search_of(proj / "one")
    # The worker ran (a failing one fails this very build; see below).
    failed = _build(proj, "three", **{WORKER: "1", TEST: "fail"})
    assert failed.returncode == 1


def test_a_failing_worker_fails_the_build_and_the_site_stays(tmp_path):
    proj = project(tmp_path)
    first = _build(proj, "site")
    assert first.returncode == 0, first.stderr
    before = snapshot(proj / "site")
    shutil.rmtree(proj / ".cache")                    # a cold build over the published site
    proc = _build(proj, "site", **{WORKER: "1", TEST: "fail"})
    assert proc.returncode == 1
    assert "渲染页面时出错：RuntimeError('NEWSROOM_RENDER_WORKER_TEST=fail')" in proc.stderr
    assert "网站生成失败" in proc.stderr and "已发布的网站保持原样" in proc.stderr
    assert snapshot(proj / "site") == before
    assert leftovers(proj) == []


def _ctrl_c_as_in_a_terminal() -> None:
    """The build starts with Ctrl-C acting, as from a terminal: a pytest started in the
    background by a shell (``make test &``, without job control) ignores SIGINT, and the
    build would inherit that and ignore this test's Ctrl-C for good (both processes then
    waited out the worker's 60 s: the fresh clones of sessions 10 and 12)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_stops_the_worker_with_the_build(tmp_path):
    proj = project(tmp_path)
    first = _build(proj, "site")
    assert first.returncode == 0, first.stderr
    before = snapshot(proj / "site")
    shutil.rmtree(proj / ".cache")
    ready = tmp_path / "worker-waiting"
    # PYTHONFAULTHANDLER: a build that hangs is made to print where (SIGABRT, below).
    proc = subprocess.Popen([NEWSROOM, "build", "-q"], cwd=proj, start_new_session=True,
                            env={**ENV, "NEWSROOM_NOW": NOW, WORKER: "1", TEST: f"wait:{ready}",
                                 "PYTHONFAULTHANDLER": "1"},
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            preexec_fn=_ctrl_c_as_in_a_terminal)
    deadline = time.monotonic() + 120
    while not ready.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert ready.exists(), f"no worker was forked: {proc.poll()=}"
    time.sleep(0.5)                                   # the pid written; the parent renders its half
    worker = int(ready.read_text())
    started = time.monotonic()
    os.killpg(proc.pid, signal.SIGINT)                # Ctrl-C in a terminal: the whole group
    try:
        _, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        for pid in (proc.pid, worker):                # their threads' stacks, to stderr
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGABRT)
        raise AssertionError("the build did not stop:\n" + proc.communicate(timeout=30)[1]) from None
    assert proc.returncode == 130, err
    assert time.monotonic() - started < 30            # not the worker's minute of waiting
    assert "Traceback" not in err
    assert not Path(f"/proc/{worker}").exists() or b") Z" in Path(f"/proc/{worker}/stat").read_bytes()
    assert snapshot(proj / "site") == before
    assert leftovers(proj) == []
