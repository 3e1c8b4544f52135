"""Shared fixtures: real builds through the real CLI, served on loopback."""
from __future__ import annotations

import functools
import http.server
import os
import subprocess
import sys
import struct
import textwrap
import threading
import zlib
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
NEWSROOM = str(BIN / "newsroom")
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONUTF8": "1"}


def newsroom(*args: str, cwd: Path = ROOT, check: bool = False) -> subprocess.CompletedProcess:
    """Run the real CLI; output is text."""
    proc = subprocess.run([NEWSROOM, *args], cwd=cwd, env=ENV, capture_output=True, text=True,
                          timeout=600)
    if check and proc.returncode != 0:
        raise AssertionError(f"newsroom {' '.join(args)} failed ({proc.returncode}):\n"
                             f"{proc.stdout}\n{proc.stderr}")
    return proc


def write_tree(root: Path, files: dict[str, str]) -> Path:
    """Write a content tree: keys like 'content/news/2021/a.md', 'brands/x.md'."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    (root / "content").mkdir(exist_ok=True)
    (root / "brands").mkdir(exist_ok=True)
    # The project's site_config.yml has this page in its menu; a tree without it
    # would get a warning that the menu entry was dropped.
    about = root / "content" / "pages" / "about.md"
    if not about.exists():
        about.parent.mkdir(parents=True, exist_ok=True)
        about.write_text("---\ntitle: 关于我们\n---\n\n柯桥区总工会主办。\n", encoding="utf-8")
    return root


def build_tree(root: Path, *extra: str) -> subprocess.CompletedProcess:
    """Build a tree written by write_tree with the project's site_config.yml."""
    return newsroom("build", "-q", "--content", str(root / "content"), "--brands", str(root / "brands"),
                    "--site-dir", str(root / "site"), *extra)


def check_tree(root: Path, *extra: str) -> subprocess.CompletedProcess:
    return newsroom("check", "--content", str(root / "content"), "--brands", str(root / "brands"), *extra)


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def page(site: Path, url: str) -> BeautifulSoup:
    """The parsed HTML of a site URL like 'news/2021/12/slug/'."""
    from urllib.parse import unquote

    return soup(site / unquote(url) / "index.html")


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory) -> Path:
    """The sample site (content/, brands/), built once per test worker."""
    site = tmp_path_factory.mktemp("sample") / "site"
    newsroom("build", "-q", "--site-dir", str(site), check=True)
    return site


@pytest.fixture(scope="session")
def syndication_tree(tmp_path_factory) -> Path:
    """test_feeds.py's fixture tree (known titles, bylines, images), built once per test worker."""
    from test_feeds import build_syndication_tree

    return build_syndication_tree(tmp_path_factory.mktemp("syndication"))


@pytest.fixture(scope="session")
def syndication_site(syndication_tree) -> Path:
    return syndication_tree / "site"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # keep test output clean
        pass


class _CachingHandler(_QuietHandler):
    """Every response marked fresh for an hour, as a CDN or a tuned static host may send it."""

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "max-age=3600")
        super().end_headers()


def serve_dir(directory: Path, cached: bool = False):
    """Serve a folder on 127.0.0.1 on a free port; returns (server, base_url). ``cached``: every
    response says ``Cache-Control: max-age=3600``."""
    handler = functools.partial(_CachingHandler if cached else _QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


@pytest.fixture(scope="session")
def site_server(sample_site):
    """Base URL (ends with /) of an HTTP server serving the sample site."""
    server, base = serve_dir(sample_site)
    yield base
    server.shutdown()


def png(width: int, height: int) -> bytes:
    """A valid red PNG of the given size."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = b"".join(b"\0" + b"\xff\x00\x00" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
