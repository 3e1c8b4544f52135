"""Chinese typography, measured in Chromium: line height, measure, strict line breaking,
dates as 2021年12月28日, reading time from the character count (about 400 字 a minute)."""
from __future__ import annotations

import re

import pytest

from browser import DESKTOP, PAGES, PHONE, browser_fixture, goto
from conftest import build_tree, page, write_tree

CLOSING = "，。、；：！？）》」』”’…—"
ZH_DATE = re.compile(r"^(\d{4})年([1-9]|1[0-2])月([1-9]|[12]\d|3[01])日$")


@pytest.fixture(scope="module")
def browser():
    yield from browser_fixture()


def _prose_metrics(browser, url: str, viewport: dict) -> dict:
    ctx = browser.new_context(viewport=viewport, locale="zh-CN")
    try:
        page = ctx.new_page()
        goto(page, url)
        return page.evaluate("""() => {
            const p = document.querySelector('.nr-prose p');
            const cs = getComputedStyle(p);
            const fs = parseFloat(cs.fontSize);
            const summary = document.querySelector('.nr-item-summary, .nr-lead-summary');
            return {fontSize: fs, lineHeight: parseFloat(cs.lineHeight) / fs,
                    chars: p.getBoundingClientRect().width / fs, lineBreak: cs.lineBreak,
                    bodyBreak: getComputedStyle(document.querySelector('.md-typeset')).lineBreak,
                    align: cs.textAlign};
        }""")
    finally:
        ctx.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360", "1280"])
def test_article_body_line_height_measure_and_line_break(browser, site_server, viewport):
    m = _prose_metrics(browser, site_server + PAGES["article"], viewport)
    assert m["fontSize"] >= 16, m                      # readable on a phone
    assert 1.7 <= m["lineHeight"] <= 2.0, m            # CJK needs more leading than Latin
    assert m["lineBreak"] == "strict" and m["bodyBreak"] == "strict", m
    # Measure in characters (a CJK character is 1em wide): at most ~40 a line on a wide
    # screen, and the phone's width is used, not wasted.
    if viewport is DESKTOP:
        assert 30 <= m["chars"] <= 40, m
    else:
        assert m["chars"] >= 17, m


def test_no_line_starts_with_closing_punctuation(browser, site_server):
    """Reflow the article's paragraphs at 40 widths: no line may begin with ，。、” etc."""
    ctx = browser.new_context(viewport=PHONE, locale="zh-CN")
    try:
        page = ctx.new_page()
        goto(page, site_server + PAGES["article"])
        bad = page.evaluate("""(closing) => {
            const out = [];
            const paras = [...document.querySelectorAll('.nr-prose p, .nr-prose td')];
            for (let w = 200; w < 400; w += 5) {
                for (const p of paras) {
                    p.style.width = w + 'px';
                    const box = p.getBoundingClientRect();
                    const left = box.left + parseFloat(getComputedStyle(p).paddingLeft);
                    const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
                    const range = document.createRange();
                    let first = true;
                    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                        for (let i = 0; i < node.data.length; i++) {
                            if (!closing.includes(node.data[i])) continue;
                            range.setStart(node, i); range.setEnd(node, i + 1);
                            const r = range.getClientRects()[0];
                            if (r && r.top > box.top + 2 && Math.abs(r.left - left) < 1)
                                out.push(w + 'px: ' + node.data.slice(Math.max(0, i - 6), i + 3));
                        }
                    }
                    p.style.width = '';
                }
            }
            return out;
        }""", CLOSING)
    finally:
        ctx.close()
    assert not bad, bad[:10]


def test_dates_are_written_the_chinese_way(browser, site_server):
    ctx = browser.new_context(viewport=PHONE, locale="zh-CN")
    try:
        page = ctx.new_page()
        seen = []
        for name in ("article", "home", "news", "brand", "worker"):
            goto(page, site_server + PAGES[name])
            seen += page.evaluate("""[...document.querySelectorAll('.md-main time')].map(t =>
                [t.textContent.trim(), t.getAttribute('datetime')])""")
        goto(page, site_server + PAGES["article"])
        article_date = page.locator(".nr-article-meta time.nr-date").text_content()
    finally:
        ctx.close()
    assert len(seen) > 20
    for text, iso in seen:
        m = ZH_DATE.match(text)
        assert m, f"{text!r} is not written like 2021年12月28日"
        y, mo, d = (int(g) for g in m.groups())
        assert iso.startswith(f"{y:04d}-{mo:02d}-{d:02d}"), (text, iso)
    assert article_date == "2021年12月28日"


def _article(title: str, body: str) -> str:
    return f"---\ntitle: {title}\ndate: 2021-06-01 09:00\nreporters: [羊荣江]\n---\n\n{body}\n"


def test_reading_time_counts_characters(tmp_path):
    """About 400 characters a minute, at least one: 2000 字 → 5 分钟, 4400 字 → 11 分钟."""
    para = "柯桥区总工会开展职工技能竞赛，" * 10 + "\n\n"       # 150 characters
    files = {
        "content/news/2021/short.md": _article("短讯", "职工书屋新添图书三千册。"),
        "content/news/2021/medium.md": _article("中篇", (para * 14)[:2100 - 2] + "。"),   # ~2000 non-space
        "content/news/2021/long.md": _article("长篇", para * 30),                          # 4500
    }
    root = write_tree(tmp_path, files)
    proc = build_tree(root)
    assert proc.returncode == 0, proc.stderr + proc.stdout

    def minutes(slug: str) -> int:
        text = page(root / "site", f"news/2021/06/{slug}/").select_one(".nr-reading-time").text
        m = re.fullmatch(r"约 (\d+) 分钟读完", text.strip())
        assert m, text
        return int(m.group(1))

    def chars(slug: str) -> int:
        body = files[f"content/news/2021/{slug}.md"].split("---\n", 2)[2]
        return sum(1 for ch in body if not ch.isspace())

    for slug in ("short", "medium", "long"):
        assert minutes(slug) == max(1, round(chars(slug) / 400)), (slug, chars(slug))
    assert (minutes("short"), minutes("medium"), minutes("long")) == (1, 5, 11)
