"""Page shells (plugins/newsroom/shells.py): a spliced page is byte for byte the full render.

Every HTML file of two real builds is compared: one with the shells (the default),
one with ``NEWSROOM_SHELLS=0`` (every page through Material's whole template).
"""
from __future__ import annotations

from pathlib import Path

from jinja2 import DictLoader, Environment

from conftest import ENV, newsroom, write_tree
from newsroom.mkdocs.shells import ShellCache

NOW = "2026-11-20 12:00"


def html_files(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*.html"))
            if "pagefind" not in p.parts}


def assert_same(spliced: dict, full: dict) -> None:
    assert spliced.keys() == full.keys()
    differ = [name for name in full if spliced[name] != full[name]]
    assert not differ, f"{len(differ)} pages differ from the full render, e.g. {differ[:5]}"


def test_sample_site_spliced_equals_full(tmp_path, monkeypatch):
    monkeypatch.setitem(ENV, "NEWSROOM_NOW", NOW)
    spliced, full = _both(tmp_path, monkeypatch)
    assert len(full) > 100
    assert_same(spliced, full)


def test_hostile_titles_and_headings_spliced_equals_full(tmp_path, monkeypatch):
    """Titles with markup and quotes are escaped the same way; a heading gives a skip link."""
    root = write_tree(tmp_path / "tree", {
        "brands/kegongyi.md": """
            ---
            id: kegongyi
            name: 柯工益 & "公益"
            ---
            品牌介绍。
            """,
        "content/news/2022/script.md": """
            ---
            title: <script>alert(1)</script> 职工 & "书屋"
            date: 2022-05-01 09:00
            brands: [kegongyi]
            summary: 摘要 <b>粗体</b> & 引号 "x"
            ---
            ## 第一节

            正文 <em>强调</em>。

            ## 第二节

            更多正文。
            """,
        "content/news/2021/plain.md": """
            ---
            title: 普通的一篇
            date: 2021-03-02 10:00
            ---
            没有小标题的正文。
            """,
    })
    monkeypatch.setitem(ENV, "NEWSROOM_NOW", NOW)
    spliced, full = _both(tmp_path, monkeypatch, "--content", str(root / "content"),
                          "--brands", str(root / "brands"))
    assert_same(spliced, full)
    article = next(v for k, v in spliced.items() if k.startswith("news/2022/")).decode()
    assert "<script>alert(1)</script>" not in article
    assert 'class="md-skip"' in article          # the skip link to the first heading


def _both(tmp: Path, monkeypatch, *args: str) -> tuple[dict, dict]:
    spliced, full = tmp / "spliced", tmp / "full"
    newsroom("build", "-q", "--site-dir", str(spliced), *args, check=True)
    monkeypatch.setitem(ENV, "NEWSROOM_SHELLS", "0")
    newsroom("build", "-q", "--site-dir", str(full), *args, check=True)
    monkeypatch.delitem(ENV, "NEWSROOM_SHELLS")
    return html_files(spliced), html_files(full)


# ---------------------------------------------------------------- the mechanism, on plain Jinja

TEMPLATES = {
    "base.html": ("{% set shared = site %}<title>{% block title %}{% endblock %}</title>"
                  "<nav>{{ shared }} {{ depth }}</nav>"
                  "<main>{% block content %}{% endblock %}</main><footer>{{ shared }}</footer>"),
    "page.html": ('{% extends "base.html" %}{% block title %}{{ name | e }}{% endblock %}'
                  "{% block content %}<p>{{ name | e }} in {{ shared }}</p>{{ super() }}{% endblock %}"),
    # A top-level variable that depends on the page: a shell must not be used for it.
    "leaky.html": ('{% extends "base.html" %}{% set who = name %}'
                   "{% block content %}{{ who }}{% endblock %}"),
}


def _cache() -> ShellCache:
    env = Environment(loader=DictLoader(TEMPLATES))
    return ShellCache(env, slots=("title", "content"))


def test_splice_equals_full_render_page_by_page():
    cache = _cache()
    env = cache.env
    for n, name in enumerate(["甲", "<乙>", "丙 & 丁", "戊"]):
        context = {"site": "柯桥", "depth": 1, "name": name}
        assert cache.render("page.html", context, key=1) == env.get_template("page.html").render(context), n
    assert cache.shells[("page.html", 1)] is not None   # the shell was used after its checks


def test_a_key_whose_chrome_varies_is_not_spliced():
    cache = _cache()
    env = cache.env
    outputs = []
    for name in ["甲", "乙", "丙"]:
        context = {"site": "柯桥", "depth": 1, "name": name}
        outputs.append(cache.render("leaky.html", context, key=1))
        assert outputs[-1] == env.get_template("leaky.html").render(context)
    assert cache.shells[("leaky.html", 1)] is None
