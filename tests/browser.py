"""Shared by the browser tests: Debian's Chromium driven by Playwright, npm's axe-core.

Nothing here downloads a browser. A missing Chromium, Playwright or node_modules makes
the tests FAIL with what to install: they never skip.
"""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--no-first-run"]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}

# The pages the reader's experience is checked on (site-root-relative URLs).
PAGES = {
    "home": "",
    "article": "news/2021/12/kegong-brands/",
    "video": "news/2022/07/yizhan-shipin/",       # a self-hosted video with poster and captions
    "brands": "brands/",
    "brand": "brands/ke-gong-yi/",
    "worker": "workers/shen-jianhua/",
    "news": "news/",
    "search": "search/",
    "topics": "topics/",
    "topic": "topics/songqingliang/",
    "notices": "notices/",
    "notice": "notices/2021/04/jineng-jingsai-banfa-shixing/",   # 已修订, with a Word attachment
    "epaper": "epaper/",                                 # 数字报: newest edition, the 往期 calendar
    "epaper-page": "epaper/2021-12-28/2/",               # a page: its image with the areas as links
}
# The search page once more, with a query: the index loads (fetch) and results show.
VISITS = {**PAGES, "search-results": "search/?q=%E6%9F%AF%E5%B7%A5%E7%9B%8A"}   # ?q=柯工益


def require_axe() -> Path:
    if not AXE.exists():
        pytest.fail(f"axe-core is missing ({AXE}): run `npm ci` in {ROOT}", pytrace=False)
    return AXE


def launch_chromium(playwright):
    """Debian's Chromium, headless; a clear failure when it is not installed."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make system-deps` (apt-get install chromium). "
                    "Browsers are never downloaded.", pytrace=False)
    return playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)


def browser_fixture():
    """A module-scoped fixture body: one browser for a whole test file."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the test extra installs it
        pytest.fail("Python package playwright is missing: pip install -e '.[test]'", pytrace=False)
    with sync_playwright() as p:
        browser = launch_chromium(p)
        try:
            yield browser
        finally:
            browser.close()


def page_fixture(browser):
    """A function-scoped fixture body: a page in a fresh context (cold cache); the page's
    uncaught errors collect in ``page.errors``."""
    ctx = browser.new_context()
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.errors = errors
    yield pg
    ctx.close()


def goto(page, url: str) -> None:
    """Load a page and wait until it is quiet; on the search page, until results are shown."""
    page.goto(url, wait_until="networkidle")
    if "search/" in url and "q=" in url:
        page.wait_for_selector("[data-search-results][data-search-state=done]", timeout=15000)


def run_axe(page) -> list[dict]:
    """axe-core's violations on the loaded page (WCAG 2.x A/AA rules and best practices)."""
    page.add_script_tag(path=str(require_axe()))
    return page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' + n.failureSummary)}));
    }""")
