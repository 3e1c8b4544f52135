"""Property-based tests: random and mutated files never crash or hang the loader.

Whatever an editor (or a broken editor program) saves, load.parse_doc, the
validators and build_graph return Problems with a path and a line >= 1; they
never raise and never take long.
"""
from __future__ import annotations

import datetime as dt
import shutil
import signal
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsroom.core import dates, ids
from newsroom.content.graph import build_graph
from newsroom.content.load import parse_doc
from newsroom.core.settings import Settings
from newsroom.core.problems import Problem
from newsroom.content.entities import article_from, brand_from, worker_from
from newsroom.content.fields import ARTICLE_FIELDS, BRAND_FIELDS, WORKER_FIELDS

SETTINGS = Settings(now=dt.datetime(2024, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=8))))
COMMON = settings(max_examples=200, deadline=2000, suppress_health_check=[HealthCheck.too_slow],
                  derandomize=True)


@contextmanager
def time_limit(seconds: int):
    """Fail (instead of hanging the suite) if the code under test loops forever."""
    def boom(*_):
        raise TimeoutError(f"took more than {seconds}s")
    old = signal.signal(signal.SIGALRM, boom)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


GOOD_ARTICLE = """---
title: 柯桥区总工会聚力构筑“柯工”品牌矩阵
date: 2021-12-28 09:30
kicker: 工会喊得响 职工记得住
reporters: [羊荣江]
correspondents: 曹张明、谢灿
brands: [ke-gong-yi, 柯工惠]
workers: [ye-jinlong]
tags: [志愿服务, 疫情防控]
image: images/2021/volunteers.jpg
featured: true
draft: false
updated: 2022-01-03
slug: kegong-brands
---
正文第一段，见[另一篇](other.md)。

## 小标题

第二段。
"""

# Pieces editors (and their tools) really produce: YAML syntax, Chinese text,
# dates, tabs, CRLF, BOMs, fences, odd Unicode.
TOKENS = ["---", "...", ":", ": ", "-", "- ", "[", "]", "{", "}", ",", "\"", "'", "#", "&a", "*a", "!!str",
          "|", ">", "?", "\t", "\r\n", "\n", "\n  ", "\ufeff", "\x00", "\x85", "\u2028", " ", "：", "，",
          "title", "date", "brands", "workers", "image", "featured", "draft", "slug", "honors", "since",
          "name", "logo", "photo", "year", "2021-12-28", "09:30", "+08:00", "2021-02-30", "明天", "是的",
          "柯工益", "ke-gong-yi", "[x](y.md)", "```", "%", "@", "`", "\\", "../", "/etc/passwd", "99999"]

text_piece = st.one_of(st.sampled_from(TOKENS), st.text(max_size=12))
random_doc = st.lists(text_piece, max_size=60).map("".join)

scalar = st.one_of(st.text(max_size=20), st.sampled_from(["2021-12-28 09:30", "2021-13-01", "是", "true",
                                                          "[a, b]", "{x: 1}", "", "~", "2021年12月28日"]))
yaml_value = st.recursive(scalar.map(lambda s: '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'),
                          lambda inner: st.one_of(
                              st.lists(inner, max_size=3).map(lambda xs: "[" + ", ".join(xs) + "]"),
                              st.lists(st.tuples(st.sampled_from(["title", "year", "x"]), inner), max_size=3)
                              .map(lambda kv: "{" + ", ".join(f"{k}: {v}" for k, v in kv) + "}")),
                          max_leaves=6)
raw_value = st.one_of(yaml_value, st.text(max_size=20).filter(lambda s: "\n" not in s and "\r" not in s))
field_name = st.one_of(st.sampled_from(sorted(set(ARTICLE_FIELDS) | set(BRAND_FIELDS) | set(WORKER_FIELDS))),
                       st.text(min_size=1, max_size=10))
front_matter = st.lists(st.tuples(field_name, raw_value), max_size=12).map(
    lambda kv: "---\n" + "".join(f"{k}: {v}\n" for k, v in kv) + "---\n")
markdown = st.lists(st.one_of(st.text(max_size=40), st.sampled_from(
    ["[链接](other.md)", "[x](../2020/a.md#top)", "[r]: ref.md", "```", "~~~", "![图](i.png)", "# 标题", ""])),
    max_size=10).map("\n".join)
structured_doc = st.tuples(front_matter, markdown).map("".join)


@st.composite
def mutated_doc(draw):
    """A good article with random edits: deletions, insertions, replacements."""
    text = GOOD_ARTICLE
    for _ in range(draw(st.integers(1, 6))):
        i = draw(st.integers(0, len(text)))
        j = draw(st.integers(i, min(len(text), i + 20)))
        text = text[:i] + draw(text_piece) + text[j:]
    return text


any_doc = st.one_of(random_doc, structured_doc, mutated_doc())


def assert_clean(problems: list, path: str) -> None:
    for p in problems:
        assert isinstance(p, Problem)
        assert p.path == path
        assert isinstance(p.line, int) and p.line >= 1
        assert p.message and isinstance(p.message, str)
        assert p.level in ("error", "warning")
        assert "Traceback" not in p.message
        p.format()


def check_one(text: str) -> None:
    path = "content/news/2021/x.md"
    with time_limit(10):
        doc, problems = parse_doc(text, path)
        assert_clean(problems, path)
        if doc is None:
            assert any(p.is_error for p in problems)
            return
        assert doc.body_line >= 1 and all(line >= 1 for line in doc.lines.values())
        for make, arg in ((article_from, "news/2021/x.md"), (brand_from, "x"), (worker_from, "x")):
            entity, found = make(doc, arg, SETTINGS)
            assert_clean(found, path)
            if entity is None and make is article_from:
                assert any(p.is_error for p in found)


@COMMON
@given(any_doc)
def test_parse_and_validate_never_crash(text):
    check_one(text)


@COMMON
@given(mutated_doc())
def test_mutated_articles(text):
    check_one(text)


@COMMON
@given(st.text(max_size=80))
def test_dates_never_crash(text):
    tz = SETTINGS.tz
    with time_limit(5):
        try:
            when = dates.parse_datetime(text, tz)
        except dates.DateError as exc:
            assert str(exc)
        else:
            assert when.tzinfo is not None
            dates.iso(when), dates.rfc822(when), when.astimezone(dt.timezone.utc)


@COMMON
@given(st.text(max_size=40))
def test_pinyin_ids_are_valid(text):
    assert ids.is_valid_id(ids.pinyin_id(text))


@settings(max_examples=60, deadline=5000, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
@given(st.lists(st.tuples(st.sampled_from(["content/news/2021", "content/news/2021/a", "content/workers",
                                            "brands", "content/pages", "content"]),
                          st.sampled_from(["a", "b", "ke-gong-yi", "柯工益", "index", "2021-12-28-a", "A B"]),
                          any_doc),
                max_size=8))
def test_build_graph_over_random_trees(files):
    root = Path(tempfile.mkdtemp(prefix="nr-prop-"))
    try:
        for folder, stem, text in files:
            path = root / folder / f"{stem}.md"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", errors="surrogatepass")
        (root / "content").mkdir(exist_ok=True)
        (root / "brands").mkdir(exist_ok=True)
        with time_limit(20):
            graph, problems = build_graph(root / "content", root / "brands", SETTINGS, display_base=root)
        for p in problems:
            assert isinstance(p, Problem) and p.line >= 1 and p.message
            assert (root / p.path).is_file(), p
        graph.index()
        urls = [a.url for a in graph.articles + graph.unpublished]
        assert len(urls) == len(set(urls))          # never two articles at one URL
        for a in graph.articles:
            assert ids.is_valid_id(a.slug) and a.date.tzinfo is not None
    finally:
        shutil.rmtree(root, ignore_errors=True)


@pytest.mark.parametrize("text", [
    "", "---", "---\n", "---\n---", "---\n---\n", "\ufeff---\n---\n", "---\r\n---\r\n", "---\n...\n",
    "---\n- a\n---\n", "---\nfoo\n---\n", "---\n[[[[[[[[[[[[[[[[[[[[\n---\n",
    "---\n" + "[" * 5000 + "\n---\n", "---\na: &a [*a]\n---\n",
    "---\na: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\nd: &d [*c, *c]\ne: &e [*d, *d]\nfeatured: *e\n---\n",
    "---\ntitle: x\ndate: 2021-12-28\nhonors: [{title: [a], year: ²}]\n---\nbody",
    "---\n? [a]\n: b\n---\n", "---\ntitle: \x00\n---\n", "---\ndate: 9999-12-31 23:59-05:00\n---\n",
])
def test_nasty_inputs(text):
    check_one(text)
