"""The results page's loading order, in headless Chromium (issue 18: results within 1.5 s).

Fragment requests are held with Playwright's routing and let go one at a time, so the
order is tested, not the machine's speed: each result card shows as soon as its fragment
and those before it have come. A query no shard holds loads nothing of Pagefind (the
routes tell). Uses tests/conftest.py's ``site_server``.
"""
from __future__ import annotations

import time
from urllib.parse import quote

import pytest

from browser import browser_fixture, page_fixture

DONE = '[data-search-results][data-search-state="done"]'
ARTICLE_CARDS = "[data-search-list] [data-search-result]"
# The results' state, aria-busy and article links, read at one moment
SNAPSHOT = f"""() => {{ const r = document.querySelector('[data-search-results]');
  return [r.getAttribute('data-search-state'), r.getAttribute('aria-busy'),
          [...document.querySelectorAll('{ARTICLE_CARDS} a')].map(a => a.getAttribute('href'))]; }}"""


@pytest.fixture(scope="module")
def browser():
    yield from browser_fixture()


@pytest.fixture()
def page(browser):
    yield from page_fixture(browser)


def bundle_file(url: str) -> str:
    return url.split("/pagefind/", 1)[1] if "/pagefind/" in url else ""


def hrefs(page) -> list[str]:
    return page.eval_on_selector_all(f"{ARTICLE_CARDS} a", "els => els.map(e => e.getAttribute('href'))")


def test_a_query_no_shard_holds_loads_nothing_of_pagefind(page, site_server):
    files: list[str] = []
    page.on("request", lambda r: files.append(bundle_file(r.url)))
    page.goto(f"{site_server}search/?q={quote('量子计算')}")
    page.wait_for_selector(DONE, timeout=30000)
    assert "没有找到" in page.inner_text("[data-search-status]")
    assert "newsroom-shards.json" in files
    assert not [f for f in files if f.startswith("pagefind") and f.endswith((".js", ".pf_meta"))
                or f.startswith(("wasm.", "index/", "fragment/"))], files


def test_first_results_show_before_the_batchs_last_fragment(page, site_server):
    """Fragments let go one at a time, in the order requested: the first article cards show
    while the rest are held (state still "loading"), and the final list is the same as
    without holding."""
    page.goto(f"{site_server}search/?q={quote('工会')}")
    page.wait_for_selector(DONE, timeout=30000)
    expected = hrefs(page)
    assert len(expected) >= 3

    held: list = []
    page.route("**/pagefind/fragment/**", lambda route: held.append(route))
    page.goto(f"{site_server}search/?q={quote('工会')}", wait_until="commit")
    released, partial = 0, []
    deadline = time.monotonic() + 30
    while page.get_attribute("[data-search-results]", "data-search-state") != "done":
        assert time.monotonic() < deadline, f"not done; {released} of {len(held)} fragments let go"
        if released < len(held):
            held[released].continue_()
            released += 1
        page.wait_for_timeout(60)
        state, busy, shown = page.evaluate(SNAPSHOT)
        if state == "loading" and 0 < len(shown) < len(expected):
            partial.append(shown)
            # aria-live="polite" on the results: screen readers wait for the whole list
            assert busy == "true"
    assert partial, "no card was shown before the batch's last fragment came"
    assert page.get_attribute("[data-search-results]", "aria-busy") == "false"
    assert all(p == expected[:len(p)] for p in partial), "cards shown out of order"
    assert hrefs(page) == expected
    assert not page.errors


def test_search_js_is_fetched_at_high_priority(page, site_server):
    """An async script is fetched at low priority, after the stylesheets; search.js starts
    the query's downloads, so the results page asks for it at high priority."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    priority: dict[str, str] = {}
    cdp.on("Network.requestWillBeSent",
           lambda e: priority.setdefault(e["request"]["url"].rsplit("/", 1)[-1], e["request"]["initialPriority"]))
    page.goto(f"{site_server}search/?q={quote('工会')}")
    page.wait_for_selector(DONE, timeout=30000)
    assert priority.get("search.js") in ("High", "VeryHigh"), priority
    assert priority.get("newsroom.js") not in (None, "High", "VeryHigh"), priority   # a deferred script, for contrast
