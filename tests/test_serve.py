"""`newsroom serve` as editors run it: a real process, real HTTP, real signals.

The preview's page logic is tested in test_incremental.py; here: it keeps answering
through a typo, and Ctrl-C or ``kill`` stop it cleanly (no traceback, no folder left).
"""
from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import ENV, NEWSROOM, ROOT, write_tree

ARTICLE = "---\ntitle: {}\ndate: 2021-03-0{} 09:00\nbrands: [ke-gong-yi]\n---\n\n职工志愿服务进社区。\n"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Serve:
    """``newsroom serve`` in its own process group, as a terminal runs it."""

    def __init__(self, tmp_path: Path, env: dict[str, str] | None = None) -> None:
        self.tree = write_tree(tmp_path / "tree", {
            "brands/ke-gong-yi.md": "---\nname: 柯工益\n---\n\n工会有为，志愿有我。\n",
            **{f"content/news/2021/a{n}.md": ARTICLE.format(f"志愿服务第{n}场", n) for n in range(1, 4)},
        })
        self.tmp = tmp_path / "tmp"                  # where the preview makes its folder
        self.tmp.mkdir()
        port = _free_port()
        self.base = f"http://127.0.0.1:{port}/"
        self.proc = subprocess.Popen(
            [NEWSROOM, "serve", "--content", str(self.tree / "content"), "--brands", str(self.tree / "brands"),
             "--dev-addr", f"127.0.0.1:{port}"],
            cwd=ROOT, env={**ENV, "TMPDIR": str(self.tmp), **(env or {})}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True, start_new_session=True)
        self.output: list[str] = []
        self.ready = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()
        assert self.ready.wait(120), "the preview did not start:\n" + self.text
        self.wait_for("", "<html")                   # answering (MkDocs logs a moment before)

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.output.append(line)
            if "Serving on" in line:             # after the watchers started
                self.ready.set()

    @property
    def text(self) -> str:
        return "".join(self.output)

    def get(self, path: str) -> str:
        with urllib.request.urlopen(self.base + path, timeout=10) as r:
            return r.read().decode("utf-8")

    def wait_for(self, path: str, text: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if text in self.get(path):
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise AssertionError(f"{path} never showed {text!r}:\n{self.text}")

    def stop(self, sig: int) -> int:
        os.killpg(self.proc.pid, sig)                # the whole group, as Ctrl-C in a terminal
        return self.proc.wait(timeout=60)


@pytest.fixture()
def served(tmp_path):
    s = Serve(tmp_path)
    yield s
    if s.proc.poll() is None:
        os.killpg(s.proc.pid, signal.SIGKILL)
        s.proc.wait()


def test_a_free_page_typo_keeps_the_preview_answering(served):
    about = served.tree / "content/pages/about.md"
    about.write_text("---\ntitle: [关于我们\n---\n\n正文。\n", encoding="utf-8")
    deadline = time.monotonic() + 30
    while "内容有错误" not in served.text and time.monotonic() < deadline:
        time.sleep(0.2)
    assert "内容有错误，预览保持上一次的结果" in served.text
    assert "志愿服务第1场" in served.get("")                   # answers, with the last good site
    assert "BuildError" not in served.text and "Traceback" not in served.text
    about.write_text("---\ntitle: 关于本站\n---\n\n柯桥区总工会主办。\n", encoding="utf-8")
    served.wait_for("about/", "柯桥区总工会主办")


def test_ctrl_c_while_the_search_catches_up(tmp_path):
    from newsroom.search.pagefind import pagefind_binary

    slow = tmp_path / "slow-pagefind"                        # so that Ctrl-C comes mid-index
    slow.write_text(f'#!/bin/sh\nsleep 3\nexec "{pagefind_binary()}" "$@"\n', encoding="utf-8")
    slow.chmod(0o755)
    served = Serve(tmp_path, {"NEWSROOM_PAGEFIND": str(slow)})
    article = served.tree / "content/news/2021/a2.md"
    article.write_text(ARTICLE.format("志愿服务第二场（更正）", 2), encoding="utf-8")
    served.wait_for("news/2021/03/a2/", "志愿服务第二场（更正）")
    assert served.stop(signal.SIGINT) == 0                   # the index is still being updated
    assert "Traceback" not in served.text and "没有生成" not in served.text, served.text
    assert list(served.tmp.iterdir()) == []                  # the preview's folder is gone


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP])
def test_kill_and_closed_terminal_remove_the_preview_folder(served, sig):
    assert [p.name.startswith("newsroom-preview-") for p in served.tmp.iterdir()] == [True]
    served.stop(sig)
    assert list(served.tmp.iterdir()) == []
    assert "Traceback" not in served.text, served.text


@pytest.mark.parametrize("flags", [["--dev-addr", "bad"], ["--content", "/no/such/folder"]])
def test_a_refused_flag_leaves_no_preview_folder(tmp_path, flags):
    """The preview's folder is made before the config is read: a refused flag must remove it
    too (an empty newsroom-preview-* was left in /tmp on every such typo)."""
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    proc = subprocess.run([NEWSROOM, "serve", *flags], cwd=ROOT, env={**ENV, "TMPDIR": str(tmp)},
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode != 0 and "错误" in proc.stdout + proc.stderr, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    assert list(tmp.iterdir()) == []


# ---------------------------------------------------------------- odd request paths (issue 19)

ODD_PATHS = ["/%00", "/news/%00/", "/%ff", "/a%0ab", "/..%2f..%2fetc/passwd", "/%2e%2e/%2e%2e/etc/passwd",
             "/../../etc/passwd"]


def _raw_get(served: Serve, path: str) -> tuple[int, str]:
    """GET ``path`` sent exactly as written: no client normalises or re-quotes it."""
    host, port = served.base[len("http://"):-1].split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        conn.putrequest("GET", path, skip_accept_encoding=True)
        conn.endheaders()
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        conn.close()


def test_odd_paths_get_the_404_page(served):
    for path in ODD_PATHS:
        status, body = _raw_get(served, path)
        assert status in (400, 404), (path, status, body[:200])
        assert "root:" not in body, path                      # /etc/passwd never leaks
    assert "Traceback" not in served.text and "code 500" not in served.text, served.text
    assert "志愿服务第1场" in served.get("")                    # and the preview answers on


# ---------------------------------------------------------------- errors in the browser (issue 16 item 6)

@pytest.fixture(scope="module")
def browser():
    from browser import browser_fixture

    yield from browser_fixture()


def _break(served: Serve) -> Path:
    article = served.tree / "content/news/2021/a2.md"
    article.write_text(ARTICLE.format("志愿服务第2场", 2).replace("2021-03-02", "2021-02-30"), encoding="utf-8")
    return article


def test_content_errors_show_over_the_page_until_fixed(served, browser):
    page = browser.new_page()
    page.goto(served.base + "news/2021/03/a1/", wait_until="load")
    page.wait_for_timeout(300)                                # the live reload's first poll is out
    assert page.locator("#nr-preview-errors").count() == 0
    article = _break(served)
    overlay = page.locator("#nr-preview-errors")
    overlay.wait_for(state="visible", timeout=30000)           # the live reload brought it, no manual reload
    text = overlay.inner_text()
    assert "content/news/2021/a2.md:3: “date”（发布时间）有误" in text, text
    assert "2021 年 2 月没有 30 日" in text and "预览显示的是上一次的结果" in text
    assert overlay.get_attribute("role") == "alert"
    assert "志愿服务第1场" in page.locator("h1").first.inner_text()  # the last good page, under it
    article.write_text(ARTICLE.format("志愿服务第2场（更正）", 2), encoding="utf-8")
    overlay.wait_for(state="detached", timeout=30000)
    page.close()


def test_the_overlay_is_served_never_written(served):
    _break(served)
    served.wait_for("", "nr-preview-errors")
    missing = urllib.request.Request(served.base + "no-such-page/")
    try:
        urllib.request.urlopen(missing, timeout=10)
        raise AssertionError("no 404")
    except urllib.error.HTTPError as e:                       # the 404 page says it too
        assert e.code == 404 and "content/news/2021/a2.md:3:" in e.read().decode("utf-8")
    [folder] = served.tmp.iterdir()
    written = [p for p in folder.rglob("*.html") if "nr-preview-errors" in p.read_text(encoding="utf-8")]
    assert written == []


def test_the_overlay_shows_editors_text_as_text(served):
    """What the editor typed comes back inside the message: escaped, never markup."""
    article = served.tree / "content/news/2021/a3.md"
    article.write_text(ARTICLE.format("志愿服务第3场", 3).replace("2021-03-03 09:00", '"<img src=x onerror=alert(1)>"'),
                       encoding="utf-8")
    served.wait_for("", "nr-preview-errors")
    html = served.get("")
    assert "无法识别的日期“&lt;img src=x onerror=alert(1)&gt;”" in html
    assert "<img src=x" not in html


def test_the_browser_reloads_when_the_first_pages_are_written(tmp_path):
    """``reload_now`` inside a save answers the browsers' live-reload poll before the save
    ends (the pages an editor looks at are written); ``reload_again`` makes them reload once
    more when it ends (the shifted pages 2…N written after)."""
    from newsroom.mkdocs.preview_server import PreviewServer

    (tmp_path / "index.html").write_text("<html><body>首页</body></html>", encoding="utf-8")
    release, building = threading.Event(), threading.Event()
    server: PreviewServer

    def builder() -> None:
        server.reload_now()
        building.set()
        assert release.wait(30)
        server.reload_again()

    port = _free_port()
    server = PreviewServer(builder=builder, host="127.0.0.1", port=port, root=str(tmp_path), errors_now=list)
    loop = threading.Thread(target=server.serve, daemon=True)
    loop.start()
    try:
        start = server._visible_epoch

        def poll(epoch: int) -> int:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/livereload/{epoch}/1", timeout=30) as r:
                return int(r.read())

        with server._rebuild_cond:                 # what a saved file does (MkDocs' watcher)
            server._want_rebuild = True
            server._rebuild_cond.notify_all()
        assert building.wait(30)
        shown = poll(start)                        # answered while the save is still running
        assert shown > start and not release.is_set()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30) as r:
            assert "首页" in r.read().decode("utf-8")   # files are served meanwhile
        release.set()
        assert poll(shown) > shown                 # and once more when the save is done
    finally:
        release.set()
        server.shutdown()
        loop.join(10)


def test_the_build_loop_ends_on_the_stop_flag_alone(tmp_path):
    """While serving, Ctrl-C's handler sets the loop's stop flag instead of raising
    KeyboardInterrupt: raised inside nh3's attribute filter during a save it was swallowed (a
    traceback, and the preview never stopped: seen in two full test runs). The loop must end on
    the flag alone, with no exception and no lock taken."""
    from newsroom.mkdocs.preview_server import PreviewServer

    server = PreviewServer(builder=lambda: None, host="127.0.0.1", port=_free_port(), root=str(tmp_path),
                           errors_now=list)
    loop = threading.Thread(target=server.serve, daemon=True)
    loop.start()
    try:
        time.sleep(0.5)
        assert loop.is_alive()                     # serving, waiting for saves
        server.stop_soon()
        loop.join(5)
        assert not loop.is_alive()
    finally:
        server.shutdown()
        loop.join(5)
