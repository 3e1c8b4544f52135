"""Accessibility in a real browser: axe-core (npm, node_modules/) on the main pages.

No serious or critical violation on the home page, an article, the brand wall, a brand,
a worker, the news list and the search page (with results), at phone and desktop width,
and with the 大字 (large text) switch on. Moderate and minor findings are printed.
"""
from __future__ import annotations

import pytest

from browser import DESKTOP, PHONE, VISITS, browser_fixture, goto, require_axe, run_axe


@pytest.fixture(scope="module")
def browser():
    require_axe()
    yield from browser_fixture()


CASES = [pytest.param(n, m, id=f"{n}-{m}") for n, m in
         [(name, "phone") for name in VISITS] + [(name, "desktop") for name in VISITS]
         + [("article", "large"), ("home", "large")]]


@pytest.mark.parametrize("name,mode", CASES)
def test_no_serious_axe_violations(browser, site_server, name, mode):
    ctx = browser.new_context(viewport=DESKTOP if mode == "desktop" else PHONE, locale="zh-CN")
    if mode == "large":
        ctx.add_init_script("try{localStorage.setItem('nr-large','1')}catch(e){}")
    try:
        page = ctx.new_page()
        goto(page, site_server + VISITS[name])
        if mode == "large":
            assert page.evaluate("document.documentElement.classList.contains('nr-large')")
        violations = run_axe(page)
    finally:
        ctx.close()
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    for v in violations:
        if v not in serious:
            print(f"{name}/{mode}: {v['impact']} {v['id']}: {v['help']}")
    assert not serious, "\n".join(f"{v['impact']} {v['id']} ({v['help']}):\n  " + "\n  ".join(v["nodes"])
                                  for v in serious)


def test_header_controls_have_names(browser, site_server):
    """The menu, search and 大字 controls are named in Chinese for screen readers."""
    ctx = browser.new_context(viewport=PHONE)
    try:
        page = ctx.new_page()
        goto(page, site_server)
        names = page.evaluate("""() => {
            const out = {};
            const menu = document.querySelector('.md-header label[for=__drawer]');
            out.menu = menu && menu.textContent.trim();
            const large = document.querySelector('[data-nr-large]');
            out.large = large && large.textContent.trim();
            out.pressed = large && large.getAttribute('aria-pressed');
            return out;
        }""")
    finally:
        ctx.close()
    assert names["menu"] == "栏目导航"
    assert names["large"] == "大字" and names["pressed"] == "false"
