"""The editors' commands themselves: output, quiet mode, exit codes."""
from __future__ import annotations

import io
import shutil
import signal
import subprocess

from conftest import ENV, NEWSROOM, ROOT, newsroom


def test_progress_line_shows_count_rate_and_eta():
    from newsroom.core.terminal import Progress

    out = io.StringIO()
    progress = Progress(enabled=True, stream=out)
    progress.start(3)
    for _ in range(3):
        progress.tick()
    progress.finish()
    text = out.getvalue()
    assert "页面 3/3" in text and "页/秒" in text and "预计还需" in text


def test_progress_rate_counts_from_the_first_page(monkeypatch):
    """Markdown is converted before the first page is written: that wait is not in the rate."""
    from newsroom.core import terminal as progress_module

    clock = [100.0]
    monkeypatch.setattr(progress_module.time, "monotonic", lambda: clock[0])
    progress = progress_module.Progress(enabled=True, stream=io.StringIO())
    progress.start(1000)
    clock[0] += 5.0                      # converting every page's Markdown
    for _ in range(100):
        progress.tick()
        clock[0] += 0.01
    line = progress.line(clock[0])
    assert "页面 100/1000" in line
    assert " 100 页/秒" in line and "预计还需 9 秒" in line, line


def test_build_is_quiet_when_not_a_terminal(tmp_path):
    proc = newsroom("build", "--site-dir", str(tmp_path / "site"))
    assert proc.returncode == 0, proc.stderr
    assert "页/秒" not in proc.stdout + proc.stderr
    assert "网站已生成" in proc.stdout


def test_build_shows_progress_in_a_terminal_unless_quiet(tmp_path):
    script = shutil.which("script")
    assert script, "util-linux 'script' provides the pseudo-terminal for this test"
    cmd = f"{NEWSROOM} build --site-dir {tmp_path / 'a'}"
    shown = subprocess.run([script, "-qec", cmd, "/dev/null"], cwd=ROOT, env=ENV, capture_output=True,
                           text=True, timeout=600)
    assert shown.returncode == 0 and "页/秒" in shown.stdout
    quiet = subprocess.run([script, "-qec", cmd + " -q", "/dev/null"], cwd=ROOT, env=ENV,
                           capture_output=True, text=True, timeout=600)
    assert quiet.returncode == 0 and "页/秒" not in quiet.stdout


def test_sample_content_checks_clean():
    proc = newsroom("check")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_missing_content_folder_is_a_chinese_error(tmp_path):
    proc = newsroom("build", "--content", str(tmp_path / "nope"), "--site-dir", str(tmp_path / "s"))
    assert proc.returncode == 1
    assert "找不到文章目录" in proc.stderr and "Traceback" not in proc.stderr


def test_build_stopped_by_a_closed_terminal_leaves_nothing_behind(tmp_path):
    """SIGHUP to the build's process group mid-index: the staging folder goes, and the
    indexer (in its own session, so it gets no signal) does not write on into it."""
    import os
    import signal
    import time

    from newsroom.search.pagefind import pagefind_binary

    slow = tmp_path / "slow-pagefind"
    slow.write_text(f'#!/bin/sh\nsleep 3\nexec "{pagefind_binary()}" "$@"\n', encoding="utf-8")
    slow.chmod(0o755)
    out = tmp_path / "out"
    out.mkdir()
    proc = subprocess.Popen([NEWSROOM, "build", "-q", "--site-dir", str(out / "site")], cwd=ROOT,
                            env={**ENV, "NEWSROOM_PAGEFIND": str(slow)}, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)
    deadline = time.monotonic() + 60
    while not list(out.glob(".site.building-*/.pagefind-staging")) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert list(out.glob(".site.building-*/.pagefind-staging")), "the index never started"
    os.killpg(proc.pid, signal.SIGHUP)
    output = proc.communicate(timeout=60)[0]
    assert proc.returncode != 0
    assert "Traceback" not in output, output
    time.sleep(4)                                 # longer than the slow Pagefind's pause
    assert os.listdir(out) == [], os.listdir(out)


def test_stops_held_whichever_thread_the_signal_reaches():
    """Ctrl-C inside ``stops_held`` acts at its end, even when the kernel hands the signal to
    another thread (the indexer's feeder, say): a signal mask would hold it for one thread."""
    import threading

    import pytest
    from newsroom.core.terminal import stops_held

    go, done = threading.Event(), threading.Event()

    def other() -> None:              # a thread that was running before the block
        go.wait()
        signal.pthread_kill(threading.get_ident(), signal.SIGINT)
        done.set()

    before = signal.signal(signal.SIGINT, signal.default_int_handler)
    thread = threading.Thread(target=other)
    thread.start()
    reached = False
    try:
        with pytest.raises(KeyboardInterrupt):
            with stops_held():
                go.set()
                done.wait()
                for _ in range(1000):        # bytecodes: where Python would run the handler
                    pass
                reached = True
        assert reached
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler     # put back
    finally:
        signal.signal(signal.SIGINT, before)
        thread.join()
