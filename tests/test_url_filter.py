"""mkdocs/url_filter.py: the ``url`` filter answers as MkDocs' own for every kind of link and page."""
from __future__ import annotations

import itertools
from types import SimpleNamespace

import pytest
from jinja2 import Environment
from mkdocs.utils import normalize_url as mkdocs_normalize_url
from mkdocs.utils.templates import url_filter as mkdocs_url_filter

from newsroom.mkdocs import url_filter as ours

PAGES = ["", ".", "index.html", "news/", "news/2024/05/slug/", "news/page/37/", "brands/brand-0002/",
         "tags/%E7%96%97%E4%BC%91%E5%85%BB/", "tags/疗休养/page/2/", "404.html", "pages/about/",
         "search/index.html", "a/b.c/d/", "a/b/c.html", "epaper/2024-05-01/1/", "news/2024/05/slug",
         "deep/er/than/most/pages/"]
LINKS = ["", ".", "./", "..", "../", "../../x/", "news/", "news/2024/05/slug/", "news/2024/05/other/",
         "news/page/2/", "assets/stylesheets/main.css", "assets/images/favicon.png", "index.html",
         "brands/brand-0002/", "tags/疗休养/", "tags/%E7%96%97/", "#top", "/abs/path/", "https://example.org/x",
         "mailto:a@b.c", "?q=1", "news/?q=1#x", "news/2024/05/slug/#comments", "a/./b/../c/", "a//b/",
         "../../../../../../up/", "x.html", "dir.with.dots/", "search/", "feed.xml", "sitemap.xml",
         "news/2024/", "news/2025/12/zz/", "brands", "a\\b"]


@pytest.mark.parametrize("page_url", PAGES)
def test_the_same_answer_as_mkdocs_for_every_link(page_url):
    page = SimpleNamespace(url=page_url)
    for link in LINKS:
        assert ours.normalize_url(link, page, "") == mkdocs_normalize_url(link, page, ""), (link, page_url)
    # Asked again (the parts are kept): still the same.
    for link in LINKS:
        assert ours.normalize_url(link, page, "") == mkdocs_normalize_url(link, page, "")


def test_without_a_page_joined_to_the_base():
    for link, base in itertools.product(LINKS, ["", ".", "..", "../..", "/root"]):
        assert ours.normalize_url(link, None, base) == mkdocs_normalize_url(link, None, base)


def test_the_filter_in_a_template_as_mkdocs_own():
    env = Environment()
    template = "{% for l in links %}[{{ l | url }}]{% endfor %}"
    for page_url in PAGES:
        context = {"links": LINKS, "page": SimpleNamespace(url=page_url), "base_url": ".."}
        env.filters["url"] = mkdocs_url_filter
        theirs = env.from_string(template).render(context)
        env.filters["url"] = ours.url_filter
        assert env.from_string(template).render(context) == theirs


def test_the_plugin_installs_it(tmp_path):
    from newsroom.mkdocs.plugin import NewsroomPlugin

    plugin = NewsroomPlugin()
    env = Environment()
    config = SimpleNamespace(theme=SimpleNamespace(), site_dir=str(tmp_path))
    try:
        plugin.on_env(env, config, None)
    except Exception:       # KeptTheme may want more of the config: the filter is set before it
        pass
    assert env.filters["url"] is ours.url_filter
