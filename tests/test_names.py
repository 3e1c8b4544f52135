"""Names that become paths (issue 19 item 3): every hostile name against every kind of
name-derived URL, through real builds.

A build with a hostile name either stops with the file's path:line in Chinese, or
publishes a site whose listing for that name sits at its own URL inside its section,
whose home page and /feed.xml are the real ones, and which has no file outside the
section that a build with a harmless name would not have.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Callable, NamedTuple

import feedparser
import pytest

from conftest import build_tree, check_tree, soup, write_tree
from test_config_errors import _check, _config, _fails_with

SITE_NAME = "柯桥工会新闻网"
PLAIN = """\
---
title: 正常的文章
date: 2021-12-01 09:00
---
一篇正常的文章。
"""

# Free text (tags, regions, columns): climbing out, separators, the site's own files,
# reserved names, invisible characters (YAML escapes in double quotes), too long.
HOSTILE_TERMS = [
    ".", "..", "../..", "../../outside", "a/../..", "/", "\\", "a/b", "a\\b", "./index.html",
    "index.html", "INDEX.HTML", "index", "page", "feed.xml", "feed.json", "sitemap.xml",
    "robots.txt", "%2e%2e", ".hidden", "con", "a\x00b", "a\u200bb", "\u202e反向", "a\u200db", "\x1f",
    "标" * 70, " - ", "?#",
]
# File stems and slugs: the validator allows lowercase ASCII ids only, minus reserved words.
HOSTILE_IDS = ["index", "page", "feed", "Index", "con", "a.b", "a\\b", "a..b", "sitemap.xml"]


def _yaml(text: str) -> str:
    """``text`` as a double-quoted YAML scalar (escapes for control characters)."""
    return json.dumps(text, ensure_ascii=True)


class Kind(NamedTuple):
    name: str
    section: str                                 # the folder the name's page must stay in
    files: Callable[[str], dict[str, str]]       # the content tree for a name


def _article(field: str) -> Callable[[str], dict[str, str]]:
    def files(name: str) -> dict[str, str]:
        value = f"[{_yaml(name)}]" if field == "tags" else _yaml(name)
        return {"content/news/2021/plain.md": PLAIN,
                "content/news/2021/named.md": f"---\ntitle: 有名字的文章\ndate: 2021-12-02 09:00\n"
                                              f"{field}: {value}\n---\n正文。\n"}
    return files


def _brand(name: str) -> dict[str, str]:
    return {"content/news/2021/plain.md": PLAIN.replace("date:", "brands: [测试品牌]\ndate:"),
            f"brands/{name}.md": "---\nname: 测试品牌\n---\n品牌介绍。\n"}


def _worker(name: str) -> dict[str, str]:
    return {"content/news/2021/plain.md": PLAIN.replace("date:", "workers: [测试劳模]\ndate:"),
            f"content/workers/{name}.md": "---\nname: 测试劳模\n---\n人物介绍。\n"}


def _page(name: str) -> dict[str, str]:
    return {"content/news/2021/plain.md": PLAIN, f"content/pages/{name}.md": "---\ntitle: 页面\n---\n内容。\n"}


def _slug(name: str) -> dict[str, str]:
    return {"content/news/2021/plain.md": PLAIN,
            "content/news/2021/named.md": f"---\ntitle: 有名字的文章\ndate: 2021-12-02 09:00\n"
                                          f"slug: {_yaml(name)}\n---\n正文。\n"}


TERM_KINDS = [Kind("tag", "tags", _article("tags")), Kind("region", "regions", _article("region")),
              Kind("column", "columns", _article("column"))]
ID_KINDS = [Kind("brand", "brands", _brand), Kind("worker", "workers", _worker),
            Kind("page", "", _page), Kind("slug", "news", _slug)]
HARMLESS = {"tag": "志愿服务", "region": "绍兴市柯桥区", "column": "工运速递", "brand": "ce-shi",
            "worker": "ce-shi", "page": "ce-shi", "slug": "ce-shi"}


def _files(site: Path) -> set[str]:
    # The search index's file names are hashes of its content: not names of ours.
    return {p.relative_to(site).as_posix() for p in site.rglob("*")
            if p.is_file() and not p.relative_to(site).as_posix().startswith("pagefind/")}


def _outside(files: set[str], kind: Kind, name: str) -> set[str]:
    """The files outside the kind's section (for a free page: outside its own folder)."""
    section = f"{name}/" if kind.name == "page" else f"{kind.section}/"
    return {f for f in files if not f.startswith(section)}


_BASELINES: dict[str, frozenset[str]] = {}


def _baseline(kind: Kind, tmp_path_factory) -> frozenset[str]:
    """The files outside the section that a build with a harmless name of this kind writes."""
    if kind.name not in _BASELINES:
        root = tmp_path_factory.mktemp("baseline")
        name = HARMLESS[kind.name]
        write_tree(root, kind.files(name))
        proc = build_tree(root)
        assert proc.returncode == 0, proc.stderr
        _BASELINES[kind.name] = frozenset(_outside(_files(root / "site"), kind, name))
    return _BASELINES[kind.name]


def _assert_real_home_and_feeds(site: Path) -> None:
    assert soup(site / "index.html").title.get_text(strip=True) == SITE_NAME
    feed = feedparser.parse((site / "feed.xml").read_bytes())
    assert not feed.bozo and feed.feed.title == SITE_NAME
    assert {e.title for e in feed.entries} >= {"正常的文章"}
    assert json.loads((site / "feed.json").read_text(encoding="utf-8"))["title"] == SITE_NAME


def _assert_stopped_at_the_line(proc, kind: Kind, name: str, root: Path) -> None:
    out = proc.stdout + proc.stderr
    assert "程序内部错误" not in out and "Traceback" not in out, out
    assert re.search(r"(content|brands)/[^\s:]+\.md:\d+: ", out), out
    assert not (root / "site").exists()          # nothing published


def _assert_own_listing(site: Path, kind: Kind, name: str) -> None:
    """The listing of a free-text name: one folder right inside its section, showing it."""
    from newsroom.core.names import term_segment
    from newsroom.content.sanitize import visible_text

    name = visible_text(name)   # characters XML forbids and invisible ones are removed when read (test_sanitize)
    if not name.strip():                         # only whitespace (\x1f is, to YAML and Python): no name at all
        assert [p.name for p in (site / kind.section).iterdir()] == ["index.html"]
        return
    folder = site / kind.section / term_segment(name)
    assert folder.resolve().parent == (site / kind.section).resolve()
    assert name.strip() in soup(folder / "index.html").h1.get_text()
    if kind.name == "region":
        feed = feedparser.parse((folder / "feed.xml").read_bytes())
        assert name.strip() in feed.feed.title


SLUG_KIND = ID_KINDS[-1]
CASES = ([(k, n) for k in TERM_KINDS for n in HOSTILE_TERMS] + [(k, n) for k in ID_KINDS for n in HOSTILE_IDS]
         + [(SLUG_KIND, n) for n in ("..", "../..", "a/b", "a\\b", "index.html", "a\x00b", "a\u200bb")])


@pytest.mark.parametrize("kind,name", CASES, ids=[f"{k.name}-{ascii(n)}" for k, n in CASES])
def test_hostile_name_stays_in_its_section_or_stops_the_build(tmp_path_factory, kind, name):
    root = tmp_path_factory.mktemp("hostile")
    write_tree(root, kind.files(name))
    proc = build_tree(root)
    if proc.returncode != 0:
        _assert_stopped_at_the_line(proc, kind, name, root)
        return
    site = root / "site"
    _assert_real_home_and_feeds(site)
    if kind in TERM_KINDS:
        _assert_own_listing(site, kind, name)
    baseline = _baseline(kind, tmp_path_factory)
    assert _outside(_files(site), kind, name) == baseline


# ---------------------------------------------------------------- two names, one page

def _tagged(tags: str, date: str = "2021-12-02 09:00", extra: str = "") -> str:
    return f"---\ntitle: 文章\ndate: {date}\n{extra}tags: {tags}\n---\n正文。\n"


@pytest.mark.parametrize("first,second", [("a/b", "a\\b"), ("工会 服务", "工会/服务"), ("AI", "ai"),
                                          (".NET", "NET"), ("e\u0301", "\u00e9")], ids=ascii)
def test_two_names_for_one_page_are_an_error_naming_both_files(tmp_path, first, second):
    root = write_tree(tmp_path, {"content/news/2021/one.md": _tagged(_yaml(first)),
                                 "content/news/2021/two.md": _tagged(_yaml(second), "2021-12-03 09:00")})
    proc = check_tree(root)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    line = next(l for l in proc.stderr.splitlines() if "对应同一个网址" in l)
    assert "content/news/2021/two.md:4: 标签“" in line
    assert "content/news/2021/one.md" in line and first in line and second in line


def test_a_draft_clashing_with_a_published_tag_is_reported_now(tmp_path):
    root = write_tree(tmp_path, {"content/news/2021/one.md": _tagged('["a/b"]'),
                                 "content/news/2021/two.md": _tagged('["a\\\\b"]', extra="draft: true\n")})
    proc = check_tree(root)
    assert proc.returncode == 1 and "对应同一个网址 /tags/a-b/" in proc.stderr, proc.stderr


def test_one_name_in_many_files_is_fine(tmp_path):
    root = write_tree(tmp_path, {"content/news/2021/one.md": _tagged("[a/b]"),
                                 "content/news/2021/two.md": _tagged("[a/b]", "2021-12-03 09:00")})
    proc = build_tree(root)
    assert proc.returncode == 0, proc.stderr
    listing = soup(root / "site/tags/a-b/index.html")
    assert "a/b" in listing.h1.get_text()
    assert listing.select_one(".nr-listing-count").get_text(strip=True) == "共 2 篇文章"


def test_a_bad_tag_is_reported_at_its_own_line_in_a_block_list(tmp_path):
    root = write_tree(tmp_path, {"content/news/2021/one.md":
                                 "---\ntitle: 文章\ndate: 2021-12-02\ntags:\n  - 志愿服务\n  - ..\n---\n正文。\n"})
    proc = check_tree(root)
    assert proc.returncode == 1
    assert "/content/news/2021/one.md:6: 标签“..”只有标点、点或空格" in proc.stderr, proc.stderr
    assert "tags: 志愿服务" in proc.stderr                       # the hint shows a good one


def test_the_views_refuse_an_unsafe_name_that_skipped_validation():
    from newsroom.core.urls import term_url

    assert term_url("tag", "a/b") == "tags/a-b/"
    for name in ("..", "index.html", "a\x00b"):
        with pytest.raises(ValueError):
            term_url("region", name)


# ---------------------------------------------------------------- small points (issue 19 item 10)

@pytest.mark.parametrize("null", ["~", "null", "NULL"])
def test_a_yaml_null_title_is_a_missing_title(tmp_path, null):
    root = write_tree(tmp_path, {"content/news/2021/one.md": f"---\ntitle: {null}\ndate: 2021-12-02\n---\n正文。\n",
                                 "content/news/2021/two.md": '---\ntitle: "~"\ndate: 2021-12-03\n---\n正文。\n'})
    proc = check_tree(root)
    assert proc.returncode == 1
    assert "/content/news/2021/one.md:2: 文章缺少必填字段“title”" in proc.stderr, proc.stderr
    assert "two.md" not in proc.stderr                         # quoted, "~" is text


@pytest.mark.parametrize("value", ["0", "-3", "true"])
def test_per_page_below_one_is_an_error_at_its_line(tmp_path, value):
    config, line = _config(tmp_path, "per_page: 20", f"per_page: {value}")
    _fails_with(_check(config), f"site_config.yml:{line}:", "per_page（每页文章数）应是 1 或更大的整数", value)


def test_per_page_one_still_builds(tmp_path):
    config, _ = _config(tmp_path, "per_page: 20", "per_page: 1")
    assert _check(config).returncode == 0


@pytest.mark.parametrize("slug,title", [("index", "Index"), ("Page", "page"), ("feed", "")])
def test_a_reserved_slug_is_never_told_to_use_a_reserved_slug(tmp_path, slug, title):
    root = write_tree(tmp_path, {"content/news/2021/one.md":
                                 f"---\ntitle: {title or '标题'}\ndate: 2021-12-02\nslug: {slug}\n---\n正文。\n"})
    proc = check_tree(root)
    hint = re.search(r"请改为 slug: ([\w-]+)", proc.stderr)
    assert proc.returncode == 1 and hint, proc.stderr
    from newsroom.core.ids import is_reserved, is_valid_id

    assert is_valid_id(hint.group(1)) and not is_reserved(hint.group(1))
