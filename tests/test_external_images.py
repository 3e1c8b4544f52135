"""Images from other sites are impossible in bodies, not just reported (review finding 3).

Twelve spellings that slipped past the old Markdown regexes: each is an error at its
line from ``check``, and the HTML the site's own Markdown pipeline makes of it (the
page's and the feeds' body) makes Chromium request nothing outside the site.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import markdown
import pytest

from browser import browser_fixture
from conftest import check_tree, png, serve_dir, write_tree

LOCAL = "../../images/2021/local.png"
# (body, 1-based line of the external URL in the body)
SPELLINGS = {
    "e1": ("![图][p]\n\n[p]: https://evil.example/1.png", 3),
    "e2": ("[![图](https://evil.example/2.png)](https://example.org/)", 1),
    "e3": ("![图 [一] 二](https://evil.example/3.png)", 1),
    "e4": ("![第一行\n第二行](https://evil.example/4.png)", 2),
    "e5": (f'![图]({LOCAL}){{src="https://evil.example/5.png"}}', 1),
    "e6": (f'![图]({LOCAL}){{srcset="https://evil.example/6.png 2x"}}', 1),
    "e7": ('<img src="\\\\evil.example/7.png" alt="x">', 1),
    "e8": ('<img src="/\\evil.example/8.png" alt="x">', 1),
    "e9": ('<img src="/&#9;/evil.example/9.png" alt="x">', 1),
    "e10": ('```\n\n段落 <img src="https://evil.example/10.png" alt="x">', 3),
    "e11": ('一个 `反引号\n\n<img src="https://evil.example/11.png">\n\n另一个` 反引号', 3),
    "e12": ('<div><img alt="`" src="https://evil.example/12.png" title="`"></div>', 1),
}
HEADER_LINES = 5    # "---", title, date, region, "---": the body starts at line 6


def _article(name: str, body: str) -> str:
    return f"---\ntitle: 外图{name}\ndate: 2023-01-01\nregion: 绍兴市柯桥区\n---\n{body}\n"


def test_check_reports_each_spelling_as_an_error_at_its_line(tmp_path):
    write_tree(tmp_path, {f"content/news/2023/{n}.md": _article(n, b) for n, (b, _) in SPELLINGS.items()})
    (tmp_path / "content/images/2021").mkdir(parents=True)
    (tmp_path / "content/images/2021/local.png").write_bytes(png(8, 8))
    proc = check_tree(tmp_path)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    for name, (_, line) in SPELLINGS.items():
        where = f"content/news/2023/{name}.md:{HEADER_LINES + line}: "
        hits = [row for row in out.splitlines() if where in row]
        assert any("外部网址" in row and f"evil.example/{name[1:]}.png" in row for row in hits), (name, out)


def _site_html(body: str) -> str:
    """The body's HTML as the build makes it: the site's extensions, then the allow-list."""
    md = markdown.Markdown(extensions=["attr_list", "tables", "footnotes", "admonition", "md_in_html",
                                       "toc", "newsroom.mkdocs.mdext"])
    return md.convert(body)


@pytest.fixture(scope="module")
def browser():
    yield from browser_fixture()


def test_no_spelling_makes_the_browser_leave_the_origin(tmp_path, browser):
    site = tmp_path / "site"
    page_dir = site / "news/2023/01/all"
    page_dir.mkdir(parents=True)
    (site / "images/2021").mkdir(parents=True)
    (site / "images/2021/local.png").write_bytes(png(8, 8))
    bodies = "\n".join(f"<section>{_site_html(b)}</section>" for b, _ in SPELLINGS.values())
    (page_dir / "index.html").write_text(f"<!doctype html><meta charset=utf-8><title>t</title>{bodies}",
                                         encoding="utf-8")
    server, base = serve_dir(site)
    requested: list[str] = []
    try:
        context = browser.new_context(device_scale_factor=2)     # phones pick the 2x srcset
        page = context.new_page()

        def record(route):
            requested.append(route.request.url)
            if urlsplit(route.request.url).hostname == "127.0.0.1":
                route.continue_()
            else:
                route.abort()
        page.route("**/*", record)
        page.goto(base + "news/2023/01/all/", wait_until="networkidle")
        context.close()
    finally:
        server.shutdown()
    outside = [u for u in requested if urlsplit(u).hostname != "127.0.0.1"]
    assert outside == [], outside
    assert any(u.endswith("/images/2021/local.png") for u in requested), requested   # images do load
