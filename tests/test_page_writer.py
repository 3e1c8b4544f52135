"""Pages written by a child process (mkdocs/page_writer.py): the files MkDocs' write_file
makes, in the same order, every one on disk when ``finish`` returns, a failure raised."""
from __future__ import annotations

import os

import pytest
from mkdocs.utils import write_file

from newsroom.mkdocs.page_writer import PageWriter


def _pages(root) -> list[tuple[bytes, str]]:
    out = []
    for n in range(300):
        path = os.path.join(root, "news", str(2000 + n % 7), f"a-{n}", "index.html")
        out.append((f"<p>第 {n} 篇</p>".encode() * (n % 50 + 1), path))
    out.append(("大".encode() * 300_000, os.path.join(root, "big", "index.html")))   # larger than the pipe
    out.append((b"first", os.path.join(root, "twice.html")))
    out.append((b"second", os.path.join(root, "twice.html")))    # the later write wins, as in MkDocs
    out.append((b"", os.path.join(root, "empty", "x.xml")))
    return out


def _tree(root) -> dict[str, bytes]:
    found = {}
    for folder, _, files in os.walk(root):
        for name in files:
            path = os.path.join(folder, name)
            with open(path, "rb") as f:
                found[os.path.relpath(path, root)] = f.read()
    return found


def test_the_child_writes_what_write_file_writes(tmp_path):
    writer = PageWriter()
    for content, path in _pages(tmp_path / "ours"):
        writer.write(content, path)
    writer.finish()
    for content, path in _pages(tmp_path / "mkdocs"):
        write_file(content, path)
    ours, theirs = _tree(tmp_path / "ours"), _tree(tmp_path / "mkdocs")
    assert ours == theirs and len(ours) == 303 and ours["twice.html"] == b"second"
    writer.finish()     # again: nothing left to wait for


def test_a_file_that_cannot_be_written_fails_with_its_path(tmp_path):
    (tmp_path / "news").write_text("a file where a folder should be")
    writer = PageWriter()
    writer.write(b"ok", str(tmp_path / "ok" / "index.html"))
    with pytest.raises(OSError) as caught:
        for n in range(2000):       # the child stops at the first; the pipe breaks, or finish says so
            writer.write(b"x" * 1000, str(tmp_path / "news" / f"a-{n}" / "index.html"))
        writer.finish()
    assert str(tmp_path / "news") in str(caught.value)
    assert (tmp_path / "ok" / "index.html").read_bytes() == b"ok"
    with pytest.raises(OSError):
        writer.write(b"x", str(tmp_path / "later.html"))     # no writer any more: never silently lost


def test_a_stopped_writer_writes_nothing_more(tmp_path):
    writer = PageWriter()
    writer.stop()
    assert writer.proc is None
    writer.stop()
    writer.finish()


def test_newsroom_build_uses_it_only_without_the_render_worker(monkeypatch):
    import inspect

    from newsroom.mkdocs import build
    source = inspect.getsource(build.run_build)
    assert "written_by_a_child(config)" in source and "render_worker.enabled()" in source


def test_mkdocs_writes_through_it_for_one_build(tmp_path):
    """Inside ``written_by_a_child`` MkDocs' write_file is the child's; every file is on disk
    once on_post_build starts (before our feeds and sitemaps); afterwards MkDocs' own again."""
    from mkdocs import utils
    from mkdocs.plugins import PluginCollection

    from newsroom.mkdocs.page_writer import written_by_a_child

    cfg = type("Config", (), {"plugins": PluginCollection()})()
    original = utils.write_file
    with written_by_a_child(cfg):
        assert utils.write_file is not original
        for content, path in _pages(tmp_path / "site"):
            utils.write_file(content, path)
        cfg.plugins.on_post_build(config=cfg)
        assert len(_tree(tmp_path / "site")) == 303
        # A later plugin's write, after the child is done, goes straight to disk.
        assert utils.write_file is original
        utils.write_file(b"late", str(tmp_path / "site" / "late" / "index.html"))
        assert (tmp_path / "site" / "late" / "index.html").read_bytes() == b"late"
    assert utils.write_file is original

    (tmp_path / "blocked").write_text("x")
    with pytest.raises(OSError):
        with written_by_a_child(cfg):
            utils.write_file(b"x", str(tmp_path / "blocked" / "index.html"))
    assert utils.write_file is original
