"""The print edition (数字报) in headless Chromium: the page image's areas are links a
keyboard reaches in reading order, named by the articles' titles, drawn where their
``print: area`` says at phone and desktop widths, with no sideways scroll at 360 px and
no serious axe finding; search's 版名 filter (?ban=) keeps only articles of such pages.

/epaper/ and a page are also in browser.PAGES: test_a11y and test_browser check them too.
"""
from __future__ import annotations

import pytest

from browser import DESKTOP, PHONE, browser_fixture, goto, require_axe, run_axe
from test_epaper import printed_articles

PAGE = "epaper/2021-12-28/2/"


@pytest.fixture(scope="module")
def browser():
    require_axe()
    yield from browser_fixture()


def _expected(edition: str, number: int) -> list[tuple[str, list[float]]]:
    """(title, area) of the sample's articles on one page, in reading order (top, then left)."""
    found = [(m["title"], m["print"]["area"]) for m in printed_articles().values()
             if str(m["print"]["edition"]) == edition and m["print"]["page"] == number]
    return sorted(found, key=lambda t: (t[1][1], t[1][0]))


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_areas_sit_where_print_says_at_every_width(browser, site_server, viewport):
    ctx = browser.new_context(viewport=viewport, locale="zh-CN")
    try:
        page = ctx.new_page()
        goto(page, site_server + PAGE)
        boxes = page.evaluate("""() => {
            const img = document.querySelector('.nr-epaper-scan img').getBoundingClientRect();
            return [...document.querySelectorAll('a.nr-epaper-area')].map(a => {
                const r = a.getBoundingClientRect();
                return [a.textContent.trim(), (r.left - img.left) / img.width * 100, (r.top - img.top) / img.height * 100,
                        r.width / img.width * 100, r.height / img.height * 100, img.width];
            });
        }""")
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    finally:
        ctx.close()
    expected = _expected("2021-12-28", 2)
    assert [b[0] for b in boxes] == [title for title, _ in expected]
    for box, (title, area) in zip(boxes, expected):
        assert box[1:5] == pytest.approx(area, abs=0.6), title
    assert boxes[0][5] <= viewport["width"]            # the image fits the screen


def test_keyboard_reaches_every_area_in_reading_order_and_opens_it(browser, site_server):
    ctx = browser.new_context(viewport=PHONE, locale="zh-CN")
    try:
        page = ctx.new_page()
        goto(page, site_server + PAGE)
        seen = []
        for _ in range(80):
            page.keyboard.press("Tab")
            state = page.evaluate("""() => {
                const a = document.activeElement;
                if (!a || !a.classList.contains('nr-epaper-area')) return null;
                const r = a.getBoundingClientRect(), s = getComputedStyle(a);
                return [a.textContent.trim(), s.outlineStyle, r.top >= 0 && r.bottom <= innerHeight + 1];
            }""")
            if state:
                seen.append(state)
            elif seen:
                break
        expected = [title for title, _ in _expected("2021-12-28", 2)]
        assert [s[0] for s in seen] == expected
        assert all(s[1] != "none" and s[2] for s in seen), seen      # a visible focus, scrolled into view
        # Back (from the link after the last area) to the first area, and Enter opens the article.
        for _ in range(len(seen)):
            page.keyboard.press("Shift+Tab")
        assert page.evaluate("document.activeElement.textContent.trim()") == expected[0]
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.locator("h1.nr-title").text_content().strip() == expected[0]
        assert page.locator("p.nr-printed a").text_content().strip() == "《柯桥工人报》2021年12月28日 第2版"
    finally:
        ctx.close()


def test_area_names_reach_the_accessibility_tree(browser, site_server):
    ctx = browser.new_context(viewport=PHONE, locale="zh-CN")
    try:
        page = ctx.new_page()
        goto(page, site_server + PAGE)
        names = [page.locator("a.nr-epaper-area").nth(n).get_attribute("href") for n in range(3)]
        for title, _ in _expected("2021-12-28", 2):
            assert page.get_by_role("link", name=title, exact=True).count() == 2     # the area and the list
        assert all(h and h.startswith("../../../news/") for h in names)
    finally:
        ctx.close()


@pytest.mark.parametrize("url", ["epaper/2022-01-18/", "epaper/2021-12-28/1/"])
def test_edition_and_page_are_axe_clean_at_360(browser, site_server, url):
    ctx = browser.new_context(viewport=PHONE, locale="zh-CN")
    try:
        page = ctx.new_page()
        goto(page, site_server + url)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        serious = [v for v in run_axe(page) if v["impact"] in ("serious", "critical")]
    finally:
        ctx.close()
    assert not serious, serious


def test_search_filters_by_page_name(browser, site_server):
    ctx = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    try:
        page = ctx.new_page()
        goto(page, site_server + "search/?q=%E5%B7%A5%E4%BC%9A&ban=%E8%81%8C%E5%B7%A5")     # q=工会 ban=职工
        results = page.evaluate("""() => [...document.querySelectorAll('[data-search-results] [data-search-result]')]
            .map(r => [r.dataset.kind, r.querySelector('a').textContent.trim()])""")
        chosen = page.locator('select[name="ban"]').input_value()
    finally:
        ctx.close()
    on_zhigong = {m["title"] for m in printed_articles().values() if m["print"]["edition"].isoformat() == "2022-01-18"
                  and m["print"]["page"] == 2}
    assert chosen == "职工"
    assert results and all(kind == "article" for kind, _ in results)
    assert {title for _, title in results} <= on_zhigong
