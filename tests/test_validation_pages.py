"""Free pages (content/pages/) and reserved names, through the real CLI.

Free pages are rendered by MkDocs itself, so a mistake that `check` lets through
is published as it is (`title： 关于我们` on the page) or breaks the build in
English; and a file named like a generated page (index.md, news.md) replaces it.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import build_tree
from test_errors import article, expect, run_check, tree

ABOUT = "---\ntitle: 关于我们\n---\n本站是工会新闻网站示例。\n"


def failed_build(root: Path, *fragments: str) -> str:
    """Build: it must fail with every fragment in the report, in Chinese, and publish nothing."""
    proc = build_tree(root)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    assert "Traceback" not in out and "程序内部错误" not in out and "Error" not in out, out
    for fragment in fragments:
        assert fragment in out, out
    assert not (root / "site").exists()
    return out


# ------------------------------------------------------------------ front matter of free pages

def test_good_free_page_is_published(tmp_path):
    root = tree(tmp_path, {"content/pages/about.md": ABOUT})
    assert run_check(root).returncode == 0
    proc = build_tree(root)
    assert proc.returncode == 0, proc.stderr
    assert "关于我们" in (root / "site/about/index.html").read_text(encoding="utf-8")


def test_free_page_full_width_colon(tmp_path):
    root = tree(tmp_path, {"content/pages/about.md": "---\ntitle： 关于我们\n---\n正文。\n"})
    expect(root, "content/pages/about.md", 2, "“title”后面是中文冒号“：”", "title: …")
    failed_build(root, "content/pages/about.md:2: ")


def test_free_page_without_closing_fence(tmp_path):
    text = "---\ntitle: 关于我们\n本站是一个面向职工群众的工会新闻网站示例，集中发布工作动态。\n\n---\n\n联系我们。\n"
    root = tree(tmp_path, {"content/pages/about.md": text})
    expect(root, "content/pages/about.md", 3, "YAML 头信息没有结束", "这一行之前加一行 ---")
    failed_build(root, "content/pages/about.md:3: ")


def test_free_page_in_gbk_fails_in_chinese(tmp_path):
    root = tree(tmp_path, {"content/pages/about.md": ABOUT.encode("gbk")})
    expect(root, "content/pages/about.md", 1, "文件不是 UTF-8 编码", "UTF-8 编码另存")
    out = failed_build(root, "content/pages/about.md:1: 文件不是 UTF-8 编码")
    assert "UnicodeDecodeError" not in out


def test_free_page_fields(tmp_path):
    root = tree(tmp_path, {
        "content/pages/about.md": "---\ntitle: 关于我们\ndate: 2021-12-28\n---\n正文。\n",
        "content/pages/contact.md": "---\ndescription: 联系方式\n---\n正文。\n",
        "content/pages/plain.md": "只有正文。\n",
    })
    expect(root, "content/pages/about.md", 3, "未知字段“date”", "可用字段：title、description、author",
           warning=True)
    expect(root, "content/pages/contact.md", 1, "页面缺少必填字段“title”", "title: …")
    expect(root, "content/pages/plain.md", 1, "文件开头缺少 YAML 头信息")


def test_free_page_chinese_file_name(tmp_path):
    root = tree(tmp_path, {"content/pages/关于我们.md": ABOUT})
    expect(root, "content/pages/关于我们.md", 1, "不能用作页面的网址", "guan-yu-wo-men")


# ------------------------------------------------------------------ reserved names

@pytest.mark.parametrize("rel, text", [
    ("content/workers/index.md", "---\nname: 索引\n---\n档案。\n"),
    ("brands/index.md", "---\nname: 索引\n---\n展示。\n"),
    ("brands/page.md", "---\nname: 翻页\n---\n展示。\n"),
    ("content/workers/feed.md", "---\nname: 订阅\n---\n档案。\n"),
])
def test_reserved_entity_ids(tmp_path, rel, text):
    root = tree(tmp_path, {rel: text})
    stem = Path(rel).stem
    line = expect(root, rel, 1, f"文件名“{stem}”是网站保留的名字", "请把文件改名")
    assert ".md" in line
    failed_build(root, f"{rel}:1: ")


def test_reserved_index_suggests_pinyin_of_name(tmp_path):
    root = tree(tmp_path, {"content/workers/index.md": "---\nname: 索引\n---\n档案。\n"})
    expect(root, "content/workers/index.md", 1, "保留的名字", "suo-yin.md")


@pytest.mark.parametrize("slug", ["index", "page", "feed"])
def test_reserved_article_slug(tmp_path, slug):
    root = tree(tmp_path, {"content/news/2021/a.md": article(f"title: 标题\ndate: 2021-12-28\nslug: {slug}")})
    expect(root, "content/news/2021/a.md", 4, f"网址名 slug“{slug}”是网站保留的名字", "slug: biao-ti")


def test_article_file_named_index(tmp_path):
    root = tree(tmp_path, {"content/news/2021/index.md": article("title: 标题\ndate: 2021-12-28\nslug: biao-ti")})
    expect(root, "content/news/2021/index.md", 1, "文件名“index”是网站保留的名字", "biao-ti.md")


@pytest.mark.parametrize("rel, fragment", [
    ("content/pages/index.md", "会占用网站首页的网址 /"),
    ("content/pages/news.md", "页面网址 /news/ 与网站自动生成的 /news/ 页面冲突"),
    ("content/pages/brands/ke-gong-sai.md", "页面网址 /brands/ke-gong-sai/ 与网站自动生成的 /brands/ 页面冲突"),
    ("content/pages/search.md", "/search/"),
])
def test_free_page_taking_a_generated_url(tmp_path, rel, fragment):
    root = tree(tmp_path, {rel: ABOUT})
    expect(root, rel, 1, fragment)
    failed_build(root, f"{rel}:1: ")


def test_generated_folders_are_all_reserved(sample_site):
    """Every top-level folder the build generates is in ids.generated_folders() (derived from
    the entity schemas and term rules: a free page cannot take over a generated URL)."""
    from newsroom.core.ids import generated_folders

    GENERATED_FOLDERS = generated_folders()

    from_content = {"about", "images", "files"}   # content/pages/about.md, content/images/, content/files/
    folders = {p.name for p in sample_site.iterdir() if p.is_dir()} - from_content
    assert folders <= GENERATED_FOLDERS, folders - GENERATED_FOLDERS
