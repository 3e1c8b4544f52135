"""Compiled templates and 404.html kept between warm builds (mkdocs/template_cache.py,
mkdocs/kept_theme.py): never a stale page.

Unit tests drive ``TemplateCache`` with a Jinja environment of their own: a second
environment takes every template from the file and renders the same; an edited source,
another context (key, filters, Python's magic) or a damaged, truncated or forged file
compiles again. The warm builds below are compared file by file with a clean build
(``test_warm_build._warm``): 404.html is the published file itself (same inode) while
nothing it shows changed, and is rendered again when the site's name, the menu or its
template changes.
"""
from __future__ import annotations

import marshal
from pathlib import Path

import jinja2
import pytest

from test_warm_build import CACHE, _edit, _warm, tree  # noqa: F401  (tree: the fixture)

from newsroom.core.sealed import seal
from newsroom.mkdocs.template_cache import NAME, TemplateCache

SOURCES = {
    "base.html": "<title>{% block title %}{% endblock %}</title>{{ x | shout }}{% block body %}{% endblock %}",
    "page.html": '{% extends "base.html" %}{% block title %}{{ t }}{% endblock %}'
                 "{% block body %}{% for i in range(3) %}{{ i }}{% endfor %}{% endblock %}",
}


def _env(sources: dict[str, str], shout=lambda s: str(s).upper()) -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.DictLoader(sources))
    env.filters["shout"] = shout
    return env


def _counted(env: jinja2.Environment, monkeypatch) -> list[str]:
    compiled: list[str] = []
    real = env.compile

    def compile(source, name=None, filename=None, raw=False, defer_init=False):
        compiled.append(name)
        return real(source, name, filename, raw, defer_init)

    monkeypatch.setattr(env, "compile", compile)
    return compiled


def _render(path: Path, monkeypatch, sources=SOURCES, key="k1", **env_args) -> tuple[str, list[str]]:
    env = _env(sources, **env_args)
    compiled = _counted(env, monkeypatch)
    cache = TemplateCache(path, key)
    cache.attach(env)
    out = env.get_template("page.html").render(t="标题", x="hi")
    cache.save()
    return out, compiled


def test_a_second_build_compiles_nothing_and_renders_the_same(tmp_path, monkeypatch):
    path = tmp_path / NAME
    first, compiled = _render(path, monkeypatch)
    assert sorted(compiled) == ["base.html", "page.html"] and path.is_file()
    mtime = path.stat().st_mtime_ns
    again, compiled = _render(path, monkeypatch)
    assert again == first == "<title>标题</title>HI012" and compiled == []
    assert path.stat().st_mtime_ns == mtime            # nothing compiled: not written again


def test_an_edited_template_is_compiled_again(tmp_path, monkeypatch):
    path = tmp_path / NAME
    _render(path, monkeypatch)
    edited = {**SOURCES, "page.html": SOURCES["page.html"].replace("range(3)", "range(2)")}
    out, compiled = _render(path, monkeypatch, edited)
    assert out == "<title>标题</title>HI01" and compiled == ["page.html"]
    out, compiled = _render(path, monkeypatch, edited)   # both versions' entries: the new one used
    assert out == "<title>标题</title>HI01" and compiled == []


@pytest.mark.parametrize("change", ["key", "filter", "filter_kind"])
def test_another_context_compiles_everything(tmp_path, monkeypatch, change):
    """The global key (our code, the theme, versions, config), and the filters the generated
    code calls (a filter passed the context is called differently): another one, a clean compile."""
    path = tmp_path / NAME
    _render(path, monkeypatch)
    if change == "key":
        out, compiled = _render(path, monkeypatch, key="k2")
    elif change == "filter":
        def shout(s):
            return str(s) + "!"
        out, compiled = _render(path, monkeypatch, shout=shout)
        assert out.endswith("hi!012")
    else:
        out, compiled = _render(path, monkeypatch, shout=jinja2.pass_context(lambda ctx, s: "C"))
        assert out == "<title>标题</title>C012"
    assert sorted(compiled) == ["base.html", "page.html"]


@pytest.mark.parametrize("damage", ["truncated", "flipped", "forged_context", "not_code", "garbage"])
def test_a_damaged_or_foreign_file_compiles_again(tmp_path, monkeypatch, damage):
    path = tmp_path / NAME
    want, _ = _render(path, monkeypatch)
    raw = path.read_bytes()
    if damage == "truncated":
        path.write_bytes(raw[: len(raw) // 2])
    elif damage == "flipped":
        path.write_bytes(raw[:100] + bytes([raw[100] ^ 1]) + raw[101:])
    else:
        record = marshal.loads(raw.rstrip(b"\n").rsplit(b"\n", 1)[0])
        if damage == "forged_context":      # sealed as the cache seals, for another context
            record["context"] = "0" * 32
        elif damage == "not_code":
            record["entries"] = {k: [sha, "print('x')"] for k, (sha, _) in record["entries"].items()}
        else:
            record = ["not", "a", "record"]
        path.write_bytes(b"".join(seal(marshal.dumps(record))))
    out, compiled = _render(path, monkeypatch)
    assert out == want and sorted(compiled) == ["base.html", "page.html"]


def test_an_entry_is_used_only_for_its_own_source(tmp_path, monkeypatch):
    """An entry moved under another template's name (sealed again) is refused: its source's
    SHA-256 is not the one loaded."""
    path = tmp_path / NAME
    want, _ = _render(path, monkeypatch)
    record = marshal.loads(path.read_bytes().rstrip(b"\n").rsplit(b"\n", 1)[0])
    a, b = sorted(record["entries"])
    record["entries"][a], record["entries"][b] = record["entries"][b], record["entries"][a]
    path.write_bytes(b"".join(seal(marshal.dumps(record))))
    out, compiled = _render(path, monkeypatch)
    assert out == want and sorted(compiled) == ["base.html", "page.html"]


# ------------------------------------------------------------ warm builds


def _ino(tree: Path, name: str = "404.html") -> int:
    return (tree / "site" / name).stat().st_ino


def test_404_is_published_as_it_was_while_nothing_it_shows_changed(tree, tmp_path):  # noqa: F811
    assert (tree / CACHE / NAME).is_file()
    before = _ino(tree)
    _warm(tree, tmp_path)                       # nothing changed: byte for byte a clean build
    assert _ino(tree) == before
    (tree / "content/news/2021/new-one.md").write_text(
        "---\ntitle: 新的比武\ndate: 2021-12-30 10:00\n---\n\n正文。\n", encoding="utf-8")
    _, rendered = _warm(tree, tmp_path)
    assert "news/2021/12/new-one/index.html" in rendered and _ino(tree) == before


@pytest.mark.parametrize("change", ["site_name", "menu", "template"])
def test_404_is_rendered_again_when_what_it_shows_changed(tree, tmp_path, change):  # noqa: F811
    before = _ino(tree)
    if change == "site_name":
        _edit(tree / "site_config.yml", "site_name: 柯桥工会新闻网", "site_name: 柯桥职工新闻网")
    elif change == "menu":
        _edit(tree / "site_config.yml", "  - 新闻: news/index.md", "  - 要闻: news/index.md")
    else:
        _edit(tree / "theme/404.html", "<h1>页面不存在</h1>", "<h1>页面找不到了</h1>")
    _warm(tree, tmp_path)                       # byte for byte a clean build's 404.html too
    assert _ino(tree) != before
    text = (tree / "site/404.html").read_text(encoding="utf-8")
    assert {"site_name": "柯桥职工新闻网", "menu": "要闻", "template": "页面找不到了"}[change] in text


@pytest.mark.parametrize("damage", ["truncated", "forged_context"])
def test_a_damaged_template_cache_builds_a_clean_site(tree, tmp_path, damage):  # noqa: F811
    path = tree / CACHE / NAME
    raw = path.read_bytes()
    if damage == "truncated":
        path.write_bytes(raw[:1000])
    else:
        record = marshal.loads(raw.rstrip(b"\n").rsplit(b"\n", 1)[0])
        record["context"] = "0" * 32
        path.write_bytes(b"".join(seal(marshal.dumps(record))))
    _edit(tree / "theme/404.html", "<h1>页面不存在</h1>", "<h1>页面找不到了</h1>")
    _warm(tree, tmp_path)
    assert "页面找不到了" in (tree / "site/404.html").read_text(encoding="utf-8")
    assert path.read_bytes() != raw and marshal.loads(path.read_bytes().rstrip(b"\n").rsplit(b"\n", 1)[0])
