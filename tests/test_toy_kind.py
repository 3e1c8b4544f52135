"""A new kind of entity costs a schema, a page kind, a template and tests: proved with a toy.

tests/toykind/venue.py defines 服务阵地 (a model with its fields and schema, and its page
kind) and registers both; tests/toykind/venue.html is its template. Nothing else in the
project names it. These tests run the real command line with it registered (toykind/run.py)
and check that every part the registry drives follows: the graph loads content/venues/,
pages render through MkDocs, the sitemap, the search index and the feed hold it,
``newsroom new venue`` writes its file, ``check`` names its fields and guards its folder.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import feedparser
import pytest

from conftest import ENV, ROOT, page, write_tree

TOY = Path(__file__).resolve().parent / "toykind"

VENUES = {
    "content/venues/ke-qiao-zhi-jia.md": """
        ---
        name: 柯桥职工之家
        date: 2022-05-01
        address: 柯桥区笛扬路 1 号
        region: 绍兴市柯桥区
        ---

        职工之家提供阅览、健身和法律咨询。
        """,
    "content/venues/hua-she-yi-zhan.md": """
        ---
        name: 华舍户外劳动者驿站
        date: 2023-07-01
        address: 华舍街道蜀山路 8 号
        ---

        驿站为环卫工人、快递小哥提供饮水和休息。
        """,
    "content/news/2023/yizhan-kaifang.md": """
        ---
        title: 华舍户外劳动者驿站开放
        date: 2023-07-01 09:00
        ---

        驿站今天开放。
        """,
}


def toy(root: Path, *args: str) -> subprocess.CompletedProcess:
    """The real command line with the toy kind registered, on a tree whose theme has its template."""
    return subprocess.run([sys.executable, str(TOY / "run.py"), *args, "-f", str(root / "site_config.yml"),
                           "--content", str(root / "content"), "--brands", str(root / "brands")],
                          cwd=root, env=ENV, capture_output=True, text=True, timeout=600)


def toy_tree(root: Path, files: dict[str, str]) -> Path:
    write_tree(root, files)
    shutil.copytree(ROOT / "theme", root / "theme")
    shutil.copy(TOY / "venue.html", root / "theme" / "venue.html")
    config = (ROOT / "site_config.yml").read_text(encoding="utf-8")
    (root / "site_config.yml").write_text(config, encoding="utf-8")   # custom_dir: theme, beside it
    return root


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = toy_tree(tmp_path_factory.mktemp("toy"), VENUES)
    proc = toy(root, "build", "-q", "--site-dir", str(root / "site"))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return root / "site"


def test_toy_pages_render_through_mkdocs(built):
    soup = page(built, "venues/ke-qiao-zhi-jia/")
    assert soup.select_one(".nr-venue .nr-title").get_text() == "柯桥职工之家"
    assert soup.select_one(".nr-venue-address").get_text() == "柯桥区笛扬路 1 号"
    assert "阅览、健身和法律咨询" in soup.select_one(".nr-venue .nr-body").get_text()
    assert soup.select_one("title").get_text().startswith("柯桥职工之家")
    # The page links its feed in its head (Page.feeds -> outputs/seo.py).
    assert soup.select_one('link[rel="alternate"][href$="venues/feed.xml"]') is not None
    assert "venues/hua-she-yi-zhan/" in (built / "sitemap.xml").read_text(encoding="utf-8")


def test_toy_feed_items_come_from_the_schema(built):
    feed = feedparser.parse((built / "venues" / "feed.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    assert feed.feed.title == "服务阵地 - 测试"
    assert [e.title for e in feed.entries] == ["华舍户外劳动者驿站", "柯桥职工之家"]   # newest first
    # ``address`` is a fact (F.feed): a labelled line opening the description and the JSON extension.
    assert feed.entries[1].summary == "地址：柯桥区笛扬路 1 号"
    items = json.loads((built / "venues" / "feed.json").read_text(encoding="utf-8"))["items"]
    assert items[1]["_newsroom"] == {"address": "柯桥区笛扬路 1 号"}
    assert items[1]["date_published"].startswith("2022-05-01")


def test_toy_entities_are_searched(built):
    shards = json.loads((built / "pagefind" / "newsroom-shards.json").read_text(encoding="utf-8"))["shards"]
    named = next(s["entities"] for s in shards if "entities" in s)
    assert named["label"] == "品牌、劳模工匠、专题与服务阵地" and named["pages"] == 2   # topics are named entities too
    assert "venue" in named["kinds"]


def test_new_writes_a_toy_file(tmp_path):
    root = toy_tree(tmp_path, {})
    proc = toy(root, "new", "venue", "柯岩职工书屋", "--date", "2024-03-01")
    assert proc.returncode == 0, proc.stderr
    text = (root / "content" / "venues" / "ke-yan-zhi-gong-shu-wu.md").read_text(encoding="utf-8")
    assert text.startswith("---\nname: 柯岩职工书屋\ndate: 2024-03-01\n")
    assert text.endswith("---\n\n在这里介绍阵地。\n")
    assert toy(root, "check").returncode == 0


def test_check_guards_the_toy_kind(tmp_path):
    root = toy_tree(tmp_path, {
        "content/venues/bad.md": "---\nname: 某驿站\naddres: 某路\n---\n\n正文。\n",
        "content/venues/old/hidden.md": "---\nname: 旧驿站\ndate: 2020-01-01\n---\n\n正文。\n",
        "content/pages/venues.md": "---\ntitle: 阵地\n---\n\n正文。\n",
    })
    proc = toy(root, "check")
    assert proc.returncode == 1
    out = proc.stdout + proc.stderr
    # Its required field, by its label; an unknown field at its line, with what was meant.
    assert "content/venues/bad.md:1: " in out and "启用时间" in out
    assert "content/venues/bad.md:3: " in out and "address" in out
    # A file in a sub-folder of a flat kind; a free page taking the kind's URL folder.
    assert "content/venues/old/hidden.md:1: 服务阵地的文件应直接放在 content/venues/ 下" in out
    assert "content/pages/venues.md:1: 页面网址 /venues/ 与网站自动生成的 /venues/ 页面冲突" in out
