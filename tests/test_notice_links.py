"""Articles that link to notices, and the notices' JSON-LD.

An article body may link to a notice by its URL on this site (``/notices/2024/06/x/``,
also a category's listing or /notices/ itself) or by its file (``../../notices/2024/x.md``,
which MkDocs turns into the page's URL). A link to a notice that does not exist, or is
not published yet, is an error at its line. Each notice page carries schema.org JSON-LD:
an Article by its 发文机关, with its 文号, status, closing date and attachments.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import page
from test_notices import NOW, notice, run

ARTICLE = """\
---
title: 一篇提到通知的新闻
date: 2024-07-01 09:00
---
第一段。

{line}
"""


def _tree(root: Path, line: str) -> Path:
    files = {
        "content/news/2024/wenzhang.md": ARTICLE.format(line=line),
        "content/notices/2024/songqingliang.md": notice(
            "关于开展2024年“送清凉”活动的通知", "2024-06-20 09:00", extra=(
                "doc_number: 柯工〔2024〕12号\nwritten: 2024-06-18\nexpires: 2024-07-05\n"
                "attachments:\n  - file: files/2024/fangan.pdf\n    title: 活动方案\n")),
        "content/notices/2024/caogao.md": notice("草稿通知", "2024-06-21 09:00", extra="draft: true\n"),
        "content/pages/about.md": "---\ntitle: 关于我们\n---\n柯桥区总工会主办。\n",
    }
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    pdf = root / "content/files/2024/fangan.pdf"
    pdf.parent.mkdir(parents=True, exist_ok=True)
    pdf.write_bytes(b"%PDF-1.4\n%%EOF\n")
    (root / "brands").mkdir(exist_ok=True)
    return root


@pytest.mark.parametrize("line", [
    "见[通知](/notices/2024/06/songqingliang/)。",
    "见[通知](/notices/2024/06/songqingliang)和[全部通知](/notices/)。",
    "见[通知](../../notices/2024/songqingliang.md)。",
    "见[通知类](/notices/%E9%80%9A%E7%9F%A5/)。",
    "见[通知][1]。\n\n[1]: /notices/2024/06/songqingliang/",
])
def test_a_link_to_a_published_notice_builds_and_leads_to_it(tmp_path, line):
    root = _tree(tmp_path, line)
    proc = run(root, "build")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    hrefs = [a["href"] for a in page(root / "site", "news/2024/07/wenzhang/").select(".nr-body a")]
    assert hrefs and all("notices/" in h for h in hrefs), hrefs
    if ".md" in line:
        assert hrefs == ["../../../../notices/2024/06/songqingliang/"]


@pytest.mark.parametrize("line,words", [
    ("见[通知](/notices/2024/06/songqingliang-x/)。", "链接“/notices/2024/06/songqingliang-x/”指向的通知不存在（是不是 /notices/2024/06/songqingliang/？）"),
    ("见[通知](/notices/2024/06/caogao/)。", "链接“/notices/2024/06/caogao/”指向的通知还是草稿或尚未到发布时间"),
    ("见[通知](../../notices/2024/nope.md)。", "链接“../../notices/2024/nope.md”指向的文章不存在"),
])
def test_a_link_to_a_missing_or_unpublished_notice_is_an_error_at_its_line(tmp_path, line, words):
    root = _tree(tmp_path, line)
    proc = run(root, "check")
    assert proc.returncode != 0
    assert f"content/news/2024/wenzhang.md:7: {words}" in proc.stdout + proc.stderr, proc.stdout + proc.stderr


def test_notice_page_has_json_ld(tmp_path):
    root = _tree(tmp_path, "正文。")
    proc = run(root, "build")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    doc = page(root / "site", "notices/2024/06/songqingliang/")
    data = json.loads(doc.select_one('script[type="application/ld+json"]').string)
    assert data["@type"] == "Article" and data["headline"] == "关于开展2024年“送清凉”活动的通知"
    assert data["author"] == {"@type": "Organization", "name": "柯桥区总工会"}
    assert data["identifier"]["value"] == "柯工〔2024〕12号" and data["articleSection"] == "通知"
    assert data["creativeWorkStatus"] == "有效"
    assert data["dateCreated"].startswith("2024-06-18") and data["expires"].startswith("2024-07-05T23:59:59")
    (media,) = data["associatedMedia"]
    assert media["contentUrl"].endswith("/files/2024/fangan.pdf") and media["encodingFormat"] == "application/pdf"
