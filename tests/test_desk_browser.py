"""``newsroom desk`` for real: the CLI starts it on loopback, Chromium loads /admin/, logs in to
the local backend and lists the sample's articles, with no request leaving the origin."""
from __future__ import annotations


import pytest
from browser import browser_fixture
from conftest import newsroom
from desk_helpers import running_desk, sample_copy

browser = pytest.fixture(scope="module")(browser_fixture)


@pytest.fixture(scope="module")
def desk_url(tmp_path_factory):
    """A copy of the sample site with `newsroom desk` running on a free loopback port."""
    site = sample_copy(tmp_path_factory.mktemp("desk"))
    with running_desk(site) as url:
        yield url, site


def test_desk_lists_and_opens_the_sample_articles_without_leaving_the_origin(browser, desk_url):
    url, site = desk_url
    origin = url.removesuffix("/admin/")
    elsewhere: list[str] = []
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()

    def route(r):
        if r.request.url.startswith(origin + "/") or r.request.url.startswith(("data:", "blob:")):
            return r.continue_()
        elsewhere.append(r.request.url)
        return r.abort()

    page.route("**/*", route)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url)
    page.get_by_role("button", name="登录").click()
    # Titles come from the files on disk, through the backend (entriesByFolder).
    page.get_by_text("柯桥区总工会聚力构筑“柯工”品牌矩阵").wait_for(timeout=30000)
    page.get_by_text("柯桥区总工会聚力构筑“柯工”品牌矩阵").click()
    title = page.locator("input[id^=title-field]")
    title.wait_for(timeout=30000)
    assert title.input_value() == "柯桥区总工会聚力构筑“柯工”品牌矩阵"
    assert page.locator("label", has_text="引题").count() == 1
    page.goto(url + "#/collections/brands")
    page.get_by_text("柯工益").first.wait_for(timeout=30000)
    assert elsewhere == [] and errors == []
    context.close()


def test_desk_refuses_an_address_that_is_not_loopback():
    proc = newsroom("desk", "--dev-addr", "0.0.0.0:8001")
    assert proc.returncode == 1
    assert "只能在本机地址上运行" in proc.stderr and "Traceback" not in proc.stderr
