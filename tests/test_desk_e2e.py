"""Issue 17's "Done means": Chromium drives the real desk (`newsroom desk`, the vendored Decap
and our local backend) against a scratch copy of the sample site. It logs in, creates an
article with a brand and a worker from the pickers, a lead photo uploaded through the media
library and a body paragraph, and publishes it; the file on disk passes `newsroom check`, and
a real build shows the article on the brand page, the worker page and in /feed.xml.

The same session edits a sample article (one line changes in the file), creates a brand and a
worker (pinyin file names, the pickers offer them), and runs axe on the desk's screens.
No request may leave the origin. Waits are on selectors and files, never on fixed sleeps."""
from __future__ import annotations

import os
import re
from contextlib import contextmanager
from pathlib import Path

import feedparser
import pytest
from playwright.sync_api import expect
from browser import browser_fixture, require_axe
from conftest import ROOT, newsroom, png, soup
from desk_helpers import running_desk, sample_copy

browser = pytest.fixture(scope="module")(browser_fixture)
TITLE = "柯工益志愿者走进华舍街道"
NEW_ID = "ke-gong-yi-zhi-yuan-zhe-zou-jin"             # `newsroom new article` gives the same
BODY = "七月五日，柯工益志愿者走进华舍街道，为居民磨剪刀、测血压。"
# What Decap 3.16.3's own screens still fail after our fixes (docs/desk.md, "Accessibility"):
# rule -> the element of the upstream app it concerns (in axe's selector). Any other serious
# finding, or one of these rules on another element, fails the test.
UPSTREAM_AXE = {
    "color-contrast": "StyledDropdownButton",        # the list's sort/filter buttons, #798291 on #eff0f4
    "aria-required-attr": "e11cox784",               # the rich text / Markdown role=switch lacks aria-checked
    "nested-interactive": "ToolbarDropdownWrapper",  # the Markdown toolbar's heading and "+" dropdowns
}


@pytest.fixture(scope="module")
def desk(tmp_path_factory):
    """A copy of the sample site with `newsroom desk` on a free loopback port: (url, site)."""
    site = sample_copy(tmp_path_factory.mktemp("desk"))
    with running_desk(site) as url:
        yield url, site


@contextmanager
def editor_tab(browser, url: str):
    """A logged-in editor's tab in a context of its own (its own storage: Decap keeps a local
    backup of unsaved forms in IndexedDB and offers it back on the next visit). Every request
    elsewhere is aborted and recorded."""
    origin = url.removesuffix("/admin/")
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai",
                                  viewport={"width": 1400, "height": 900})
    context.set_default_timeout(60000)     # Decap's bundle on a loaded 2-core machine
    tab = context.new_page()
    tab.elsewhere, tab.errors = [], []

    def route(r):
        if r.request.url.startswith((origin + "/", "data:", "blob:")):
            return r.continue_()
        tab.elsewhere.append(r.request.url)
        return r.abort()

    tab.route("**/*", route)
    tab.on("pageerror", lambda e: tab.errors.append(str(e)))
    tab.on("dialog", lambda d: d.accept())          # "leave with unsaved changes?": yes
    tab.goto(url)
    tab.get_by_role("button", name="登录").click()
    tab.get_by_text("柯桥区总工会聚力构筑“柯工”品牌矩阵").wait_for(timeout=60000)
    try:
        yield tab
    finally:
        context.close()


@pytest.fixture(scope="module")
def page(browser, desk):
    """The editor's tab the writing tests share, one after another."""
    with editor_tab(browser, desk[0]) as tab:
        yield tab


def wait_for_file(path: Path, tab, unlike: str | None = None) -> str:
    """The file's text once the backend has written it (differing from ``unlike``): polled,
    a condition, not a fixed sleep."""
    for _ in range(300):
        if path.exists() and (text := path.read_text(encoding="utf-8")) != unlike:
            return text
        tab.wait_for_timeout(100)
    raise AssertionError(f"{path} not written; folder: {sorted(p.name for p in path.parent.iterdir())}")


def open_screen(tab, url: str, where: str) -> None:
    """A fresh load of one screen: going from one "new entry" screen straight to another by
    its URL, Decap 3.16.3 keeps the first one's widgets under the second one's labels.
    Right after a publish, Decap moves to the saved entry's URL; a goto racing that move can
    be undone by it (seen once in CI under load: the next test typed into the entry just
    published), so the URL is checked after the reload and the load done again if needed."""
    for _ in range(5):
        tab.goto(url + where)
        tab.reload()
        if tab.url.endswith(where):
            return
        tab.wait_for_timeout(500)
    raise AssertionError(f"the desk stayed at {tab.url}, not {where}")


def publish(tab) -> None:
    tab.get_by_role("button", name="发布").first.click()
    tab.get_by_text("立即发布").click()


def desk_axe(tab) -> list[dict]:
    """axe-core on the desk. Its CSP refuses inline script tags (browser.run_axe adds one), so
    axe's source is evaluated instead."""
    tab.evaluate(require_axe().read_text(encoding="utf-8") + "\n;0")
    return tab.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' + n.failureSummary)}));
    }""")


def serious(violations: list[dict]) -> list[dict]:
    """Serious or critical findings not on the upstream elements listed above."""
    return [v for v in violations if v["impact"] in ("serious", "critical")
            and not all(UPSTREAM_AXE.get(v["id"], "\0") in node for node in v["nodes"])]


def test_an_editor_creates_an_article_that_passes_check_and_reaches_brand_worker_and_feed(page, desk, tmp_path):
    url, site = desk
    photo = tmp_path / "lead.png"
    photo.write_bytes(png(64, 48))
    open_screen(page, url, "#/collections/news/new")
    page.locator("input[id^=title-field]").fill(TITLE)
    page.locator("input[id^=date-field]").fill("2024-07-05 09:30")
    page.locator("[id^=brands-field]").click()
    page.get_by_role("option", name="柯工益", exact=True).click()
    page.locator("[id^=workers-field]").click()
    page.get_by_role("option", name="陈鑫", exact=True).click()
    # The first image picker is the lead photo's (video, poster and captions come after it).
    page.get_by_role("button", name="选择图片").first.click()
    page.locator("input[type=file]").set_input_files(str(photo))
    page.get_by_role("button", name="选用已选中项目").click()
    page.locator("input[id^=image_caption-field]").fill("志愿者在华舍街道为居民服务")
    body = page.locator("[contenteditable=true]").first
    body.click()
    body.type(BODY)
    # The preview frame shows the article in the site's own markup and stylesheets.
    preview = page.frame_locator("#preview-pane")
    assert preview.locator("h1.nr-title").inner_text() == TITLE
    assert "nr-lead-image" in preview.locator("figure").first.get_attribute("class")
    if os.environ.get("DESK_SCREENSHOT"):      # README's picture: DESK_SCREENSHOT=1 pytest tests/test_desk_e2e.py
        page.screenshot(path=str(ROOT / "docs" / "screenshots" / "desk.png"))
    publish(page)

    written = wait_for_file(site / "content" / "news" / "2024" / f"{NEW_ID}.md", page)
    assert written == ("---\ntitle: 柯工益志愿者走进华舍街道\ndate: 2024-07-05 09:30\nbrands: [ke-gong-yi]\n"
                       "workers: [chen-xin]\nimage: images/2024/lead.png\nimage_caption: 志愿者在华舍街道为居民服务\n"
                       f"---\n{BODY}\n")
    assert (site / "content" / "images" / "2024" / "lead.png").read_bytes() == photo.read_bytes()
    check = newsroom("check", cwd=site)
    assert check.returncode == 0, check.stdout + check.stderr

    newsroom("build", "-q", "--site-dir", str(site / "site"), cwd=site, check=True)
    article_url = f"news/2024/07/{NEW_ID}/"
    article = soup(site / "site" / article_url / "index.html")
    assert article.select_one("h1.nr-title").get_text(strip=True) == TITLE
    assert article.select_one(".nr-lead-image img") is not None
    for listing in ("brands/ke-gong-yi/index.html", "workers/chen-xin/index.html"):
        links = [a.get("href", "") for a in soup(site / "site" / listing).select("a")]
        assert any(NEW_ID in href for href in links), listing
    feed = feedparser.parse((site / "site" / "feed.xml").read_bytes())
    assert not feed.bozo and any(e.title == TITLE and e.link.endswith(article_url) for e in feed.entries)
    assert page.elsewhere == [] and page.errors == []


def test_editing_a_sample_article_changes_only_the_edited_line(page, desk):
    url, site = desk
    path = site / "content" / "news" / "2021" / "kegong-brands.md"
    before = path.read_text(encoding="utf-8")
    open_screen(page, url, "#/collections/news/entries/2021/kegong-brands")
    title = page.locator("input[id^=title-field]")
    title.wait_for(timeout=60000)
    expect(title).to_have_value("柯桥区总工会聚力构筑“柯工”品牌矩阵", timeout=60000)   # this entry's form
    title.press("End")
    title.type("！")
    publish(page)
    after = wait_for_file(path, page, unlike=before)
    changed = [(a, b) for a, b in zip(before.splitlines(), after.splitlines()) if a != b]
    assert changed == [("title: 柯桥区总工会聚力构筑“柯工”品牌矩阵", "title: 柯桥区总工会聚力构筑“柯工”品牌矩阵！")]
    assert len(before.splitlines()) == len(after.splitlines())


@pytest.mark.parametrize(("collection", "name", "file"), [
    ("brands", "柯工新", "brands/ke-gong-xin.md"),
    ("workers", "王小红", "content/workers/wang-xiao-hong.md"),
])
def test_new_brands_and_workers_get_pinyin_file_names_and_appear_in_the_pickers(page, desk, collection, name, file):
    url, site = desk
    open_screen(page, url, f"#/collections/{collection}/new")
    page.locator("input[id^=name-field]").fill(name)
    page.locator("[contenteditable=true]").first.click()
    page.locator("[contenteditable=true]").first.type("简介。")
    publish(page)
    written = wait_for_file(site / file, page)
    assert written == f"---\nname: {name}\n---\n简介。\n"
    page.wait_for_url(re.compile(f"#/collections/{collection}/entries/{Path(file).stem}$"))
    open_screen(page, url, "#/collections/news/new")
    page.locator(f"[id^={collection}-field]").click()
    page.keyboard.type(name[:2])                    # the picker searches as the editor types
    page.get_by_role("option", name=name, exact=True).wait_for(timeout=60000)


def test_required_fields_are_enforced_in_the_form_in_chinese(page, desk):
    url, site = desk
    open_screen(page, url, "#/collections/news/new")
    page.locator("input[id^=slug-field]").fill("Not Pinyin")
    publish(page)
    page.get_by_text("只能用小写拼音、数字和连字符").first.wait_for(timeout=60000)
    assert page.get_by_text("必须").count() or page.get_by_text("必填").count()


def test_axe_finds_nothing_serious_of_ours_on_the_desk(browser, desk):
    """In a fresh context: the tab the other tests share may hold a backup of a form left
    unsaved (the required-fields test leaves one), which Decap restores on the "new" screen
    with its own unsaved-changes badge; axe then judged that state, and only in some orders."""
    url, _ = desk
    found = {}
    with editor_tab(browser, url) as tab:
        for screen, hash_ in (("list", "#/collections/news"), ("new", "#/collections/news/new"),
                              ("editor", "#/collections/news/entries/2021/kegong-brands")):
            open_screen(tab, url, hash_)
            ready = "input[id^=title-field]" if screen != "list" else "text=“职工线上运动会”在“开尔新材”火了"
            tab.locator(ready).first.wait_for(timeout=60000)
            found[screen] = serious(desk_axe(tab))
        assert tab.elsewhere == [] and tab.errors == []
    assert found == {"list": [], "new": [], "editor": []}
