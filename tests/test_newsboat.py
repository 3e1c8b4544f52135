"""A real feed reader reads the site: Debian's newsboat, driven headless.

The sample site is served on 127.0.0.1 (conftest.site_server); newsboat
subscribes to /feed.xml and a brand feed, reloads (`-x reload`) and reports
its unread count (`-x print-unread`), which must be every item the feeds
carry. newsboat is a build requirement (the Makefile installs it): if it is
missing this test fails rather than skips.
"""
from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest


def _newsboat() -> str:
    exe = shutil.which("newsboat")
    if exe is None:
        pytest.fail("newsboat is not installed (apt-get install newsboat): the feed-reader test cannot run")
    return exe


def _guids(site: Path, feed: str) -> list[str]:
    root = ET.parse(site / feed).getroot()
    return [item.findtext("guid") for item in root.findall("./channel/item")]


def _biggest_brand_feed(site: Path) -> str:
    feeds = sorted(site.glob("brands/*/feed.xml"), key=lambda p: (-len(_guids(site, str(p.relative_to(site)))), p))
    assert feeds, "the sample site has no brand feeds"
    return feeds[0].relative_to(site).as_posix()


def _run(exe: str, home: Path, *args: str) -> subprocess.CompletedProcess:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "TERM": "dumb",
        # No proxy may divert the loopback requests.
        "no_proxy": "127.0.0.1,localhost",
        "NO_PROXY": "127.0.0.1,localhost",
    }
    return subprocess.run([exe, "-u", str(home / "urls"), "-c", str(home / "cache.db"),
                           "-C", str(home / "newsboat.conf"), *args],
                          env=env, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)


def _subscribe(exe: str, home: Path, urls: list[str]) -> tuple[int, sqlite3.Connection]:
    """Subscribe a fresh newsboat to ``urls``, reload, and return (unread count, its cache)."""
    home.mkdir(parents=True)
    for sub in ("config", "data", "cache"):
        (home / sub).mkdir()
    (home / "urls").write_text("".join(u + "\n" for u in urls), encoding="utf-8")
    (home / "newsboat.conf").write_text("max-items 100\nreload-threads 2\ndownload-retries 2\n"
                                        "download-timeout 30\nshow-read-feeds yes\n", encoding="utf-8")
    reload = _run(exe, home, "-x", "reload")
    assert reload.returncode == 0, reload.stdout + reload.stderr
    unread = _run(exe, home, "-x", "print-unread")
    assert unread.returncode == 0, unread.stdout + unread.stderr
    m = re.search(r"(\d+)\s+unread articles?", unread.stdout)
    assert m, f"unexpected newsboat output: {unread.stdout!r} {unread.stderr!r}"
    return int(m.group(1)), sqlite3.connect(home / "cache.db")


def test_newsboat_reads_site_and_brand_feeds(sample_site, site_server, tmp_path):
    exe = _newsboat()
    brand_feed = _biggest_brand_feed(sample_site)
    site_guids = _guids(sample_site, "feed.xml")
    brand_guids = _guids(sample_site, brand_feed)
    assert site_guids and brand_guids

    # The brand feed alone: every item it carries is listed, with its title and link.
    count, db = _subscribe(exe, tmp_path / "brand", [site_server + brand_feed])
    assert count == len(brand_guids) > 0
    rows = db.execute("SELECT guid, url, title, feedurl FROM rss_item").fetchall()
    assert sorted(r[0] for r in rows) == sorted(brand_guids)
    root = ET.parse(sample_site / brand_feed).getroot()
    expected = {i.findtext("guid"): (i.findtext("link"), i.findtext("title")) for i in root.iter("item")}
    for guid, url, title, feedurl in rows:
        assert feedurl == site_server + brand_feed
        assert (url, title) == expected[guid]

    # The site feed and the brand feed: newsboat keeps one copy of an article both carry.
    count, db = _subscribe(exe, tmp_path / "both", [site_server + "feed.xml", site_server + brand_feed])
    assert count == len(set(site_guids) | set(brand_guids)) > 0
    feeds = {r[0] for r in db.execute("SELECT rssurl FROM rss_feed WHERE title != ''")}
    assert site_server + "feed.xml" in feeds
