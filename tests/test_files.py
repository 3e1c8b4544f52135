"""core/files.write_whole, through which the build cache, `newsroom fix` and the web desk write:
a write that fails leaves the old file whole and no temporary file behind; an editor's file
keeps its permissions; a new file is readable like any other (not mkstemp's 0600)."""
from __future__ import annotations

import os

import pytest

from newsroom.core.files import write_whole


def test_a_failed_write_leaves_the_old_file_and_no_scratch(tmp_path):
    target = tmp_path / "a.md"
    target.write_bytes(b"old")
    with pytest.raises(TypeError):
        write_whole(target, b"new, first half", "not bytes")     # fails after a first part
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.md"]


def test_the_replaced_file_keeps_its_mode(tmp_path):
    target = tmp_path / "a.md"
    target.write_bytes(b"old")
    target.chmod(0o640)
    write_whole(target, b"new ", b"text")
    assert target.read_bytes() == b"new text"
    assert target.stat().st_mode & 0o777 == 0o640


def test_a_new_file_gets_the_umask_mode_and_its_folder(tmp_path):
    old = os.umask(0o027)
    try:
        write_whole(tmp_path / "deep" / "b.json", b"{}")
    finally:
        os.umask(old)
    assert (tmp_path / "deep" / "b.json").stat().st_mode & 0o777 == 0o640


def test_an_explicit_mode_wins(tmp_path):
    target = tmp_path / "c"
    target.write_bytes(b"")
    target.chmod(0o600)
    write_whole(target, b"x", mode=0o644)
    assert target.stat().st_mode & 0o777 == 0o644
