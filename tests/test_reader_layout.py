"""What readers see, measured in Debian's Chromium at 360 and 1280 px (issue 16, items 8 and 14).

The machine's fonts vary (this one has no CJK font: Chinese glyphs are narrow boxes), so
measurements that depend on text width use Latin text put into the page by the test.
"""
from __future__ import annotations

import pytest

from browser import DESKTOP, PHONE, browser_fixture, goto

WIDTHS = {"phone": PHONE, "desktop": DESKTOP}


@pytest.fixture(scope="module")
def browser():
    yield from browser_fixture()


@pytest.fixture()
def open_page(browser, site_server):
    contexts = []

    def load(path: str, viewport: dict):
        ctx = browser.new_context(viewport=viewport, locale="zh-CN")
        contexts.append(ctx)
        page = ctx.new_page()
        goto(page, site_server + path)
        return page

    yield load
    for ctx in contexts:
        ctx.close()


# ------------------------------------------------------------------ footer

TEXT_BOX = "el => { const r = document.createRange(); r.selectNodeContents(el); const b = r.getBoundingClientRect(); return [b.left, b.right, b.top, b.bottom]; }"


def _footer_link_boxes(page, word: str) -> list[list[float]]:
    page.evaluate("w => document.querySelectorAll('.nr-footer__links a').forEach(a => { a.textContent = w; })", word)
    return [page.evaluate(TEXT_BOX, el) for el in page.query_selector_all(".nr-footer__links a")]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("word", ["Hi", "Section"])
def test_footer_links_evenly_spaced(open_page, width, word):
    """Short words (narrower than a tap target, as 首页 in some fonts) and long ones."""
    page = open_page("", WIDTHS[width])
    links = _footer_link_boxes(page, word)
    assert len(links) >= 4
    gaps = [b[0] - a[1] for a, b in zip(links, links[1:]) if abs(a[2] - b[2]) < 1]   # on one line
    assert len(gaps) >= 2 and max(gaps) - min(gaps) < 1, f"gaps between footer links: {gaps}"


@pytest.mark.parametrize("width", WIDTHS)
def test_footer_first_link_lines_up_with_the_text_below(open_page, width):
    page = open_page("", WIDTHS[width])
    first = _footer_link_boxes(page, "Section")[0]
    publisher = page.evaluate(TEXT_BOX, page.query_selector(".nr-publisher p"))
    assert abs(first[0] - publisher[0]) < 1, (first, publisher)


def test_copyright_on_the_filing_line(open_page):
    page = open_page("", DESKTOP)
    copyright = page.evaluate(TEXT_BOX, page.query_selector(".nr-copyright"))
    icp = page.evaluate(TEXT_BOX, page.query_selector(".nr-icp"))
    assert abs((copyright[2] + copyright[3]) / 2 - (icp[2] + icp[3]) / 2) < 1, (copyright, icp)


# ------------------------------------------------------------------ search filters

@pytest.mark.parametrize("width,per_row", [("phone", 2), ("desktop", 4)])
def test_search_filters_in_even_rows(open_page, width, per_row):
    page = open_page("search/", WIDTHS[width])
    boxes = page.eval_on_selector_all(
        ".nr-search-form__filters label",
        "els => els.map(e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.width]; })")
    assert len(boxes) == 4
    rows: dict[int, list] = {}
    for box in boxes:
        rows.setdefault(round(box[1]), []).append(box)
    assert [len(r) for r in rows.values()] == [per_row] * (4 // per_row), boxes
    widths = [b[2] for b in boxes]
    assert max(widths) - min(widths) < 1, widths
    form = page.eval_on_selector(".nr-search-form", "e => e.getBoundingClientRect().right")
    assert max(b[0] + b[2] for b in boxes) <= form + 0.5


# ------------------------------------------------------------------ home page

def test_home_has_no_buttons_repeating_the_tabs(open_page):
    page = open_page("", PHONE)
    tabs = set(page.eval_on_selector_all(".md-tabs a", "els => els.map(a => a.pathname)"))
    groups = page.eval_on_selector_all(
        ".md-content nav", "els => els.map(n => [...n.querySelectorAll('a')].map(a => a.pathname))")
    repeats = [g for g in groups if len(g) >= 3 and set(g) <= tabs]
    assert not repeats, f"the home page repeats the tabs: {repeats}"
