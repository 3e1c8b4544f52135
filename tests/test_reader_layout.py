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

    def load(path: str, viewport: dict, base: str = site_server):
        ctx = browser.new_context(viewport=viewport, locale="zh-CN")
        contexts.append(ctx)
        page = ctx.new_page()
        goto(page, base + path)
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
    # brand, region, year, sort; the sample adds 通知公告类别 and 版面 (notices, print edition)
    assert len(boxes) >= 4
    rows: dict[int, list] = {}
    for box in boxes:
        rows.setdefault(round(box[1]), []).append(box)
    full, rest = divmod(len(boxes), per_row)
    assert [len(r) for r in rows.values()] == [per_row] * full + ([rest] if rest else []), boxes
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


# ------------------------------------------------------------------ the home page's brand wall

WALL = """() => {
    const wall = document.querySelector('.nr-brand-wall').getBoundingClientRect();
    const chips = [...document.querySelectorAll('.nr-brand-wall .nr-brand-chip')].map(c => {
        const r = c.getBoundingClientRect();
        return {h: r.height, right: r.right, logo: !!c.querySelector('img'),
                name: c.querySelector('.nr-brand-name').textContent};
    });
    const groups = [...document.querySelectorAll('.nr-brand-wall .nr-owner h3')].map(h => h.textContent.trim());
    return {height: wall.height, chips, groups, scroll: document.documentElement.scrollWidth};
}"""


def test_sample_brand_wall_is_compact_and_grouped_by_owner(open_page):
    page = open_page("", DESKTOP)
    wall = page.evaluate(WALL)
    # Eleven brands of six owners (was about 1,070 px: seven groups, one card a row each).
    assert wall["height"] < 450, wall["height"]
    assert len(wall["chips"]) == 11
    assert wall["groups"][:2] == ["柯桥区总工会", "嘉兴市总工会"]
    # A brand family is not an owner: 嘉工惠 is a brand of 嘉兴市总工会, shown on its family's chip.
    assert "嘉工惠" not in wall["groups"] and "柯工" not in wall["groups"]
    family = page.eval_on_selector_all(".nr-brand-chip", "els => els.map(e => e.textContent.replace(/\\s+/g, ''))")
    assert "美好生活能量站嘉工惠品牌" in family


def _many_brands(root, n: int) -> None:
    from conftest import write_tree

    files = {}
    for i in range(n):
        logo = f"logo: brands/img/b{i}.svg\n" if i % 2 else ""      # every other one has no logo
        files[f"brands/b{i}.md"] = (f"---\nname: 品牌{i}号{'服务站' * (i % 3)}\nowner: 第{i % 7}工会\n"
                                   f"since: 2020\n{logo}---\n品牌{i}的介绍。\n")
        if logo:
            files[f"brands/img/b{i}.svg"] = ('<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64">'
                                             '<rect width="64" height="64" fill="#c62828"/></svg>')
    write_tree(root, files)


@pytest.fixture(scope="module")
def brand_sites(tmp_path_factory):
    """A site with one brand and one with fifty, each built once for this module."""
    from conftest import build_tree, serve_dir

    servers, bases = [], {}
    for count in (1, 50):
        root = tmp_path_factory.mktemp(f"brands{count}")
        _many_brands(root, count)
        assert build_tree(root).returncode == 0
        server, bases[count] = serve_dir(root / "site")
        servers.append(server)
    yield bases
    for server in servers:
        server.shutdown()


@pytest.mark.parametrize("count", [1, 50])
@pytest.mark.parametrize("width", WIDTHS)
def test_brand_wall_chips_one_height_with_or_without_logo(open_page, brand_sites, count, width):
    page = open_page("", WIDTHS[width], base=brand_sites[count])
    wall = page.evaluate(WALL)
    chips = wall["chips"]
    assert len(chips) == count
    if count > 1:
        assert {c["logo"] for c in chips} == {True, False}
    heights = {round(c["h"]) for c in chips}
    assert len(heights) == 1 and heights.pop() <= 64, chips
    assert wall["scroll"] <= WIDTHS[width]["width"]
    assert all(c["right"] <= WIDTHS[width]["width"] for c in chips)
    if count == 50 and width == "desktop":
        assert wall["height"] < 1000, wall["height"]        # 50 brands of 7 owners, several a row
