"""Shared by the desk's browser tests: a scratch copy of the sample site with a real
`newsroom desk` (or `newsroom serve --desk`) running on a free loopback port."""
from __future__ import annotations

import contextlib
import re
import shutil
import subprocess
from pathlib import Path
from typing import Iterator

from conftest import ENV, NEWSROOM, ROOT


def sample_copy(folder: Path) -> Path:
    site = folder / "site"
    for name in ("content", "brands", "theme"):
        shutil.copytree(ROOT / name, site / name)
    shutil.copy(ROOT / "site_config.yml", site)
    return site


@contextlib.contextmanager
def running_desk(site: Path, *command: str) -> Iterator[str]:
    """The desk's URL once the command has printed it (it prints once the port is bound)."""
    proc = subprocess.Popen([NEWSROOM, *(command or ("desk", "--dev-addr", "127.0.0.1:0"))], cwd=site, env=ENV,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        m = re.search(r"http://127\.0\.0\.1:\d+/admin/", line)
        assert m, (line, proc.stderr.read() if proc.poll() is not None else "")
        assert line.startswith("编辑台已启动")
        yield m.group(0)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
