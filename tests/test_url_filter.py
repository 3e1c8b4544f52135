"""Our ``url`` template filter answers as MkDocs' own (mkdocs.utils.templates.url_filter)."""
from __future__ import annotations

import itertools
from types import SimpleNamespace

from mkdocs.utils.templates import url_filter as mkdocs_url_filter

from newsroom.mkdocs.url_filter import url_filter

PAGE_URLS = ["", "index.html", "news/", "news/2021/", "news/2021/a-b/", "news/2021/a-b/index.html",
             "brands/x/", "tags/%E5%B7%A5/", "a/b/c/d/", "a/b.c/", "a/b.c/x.html", "404.html", "x.html",
             "news/2021/../2022/", "./a/", "a//b/"]
VALUES = ["", ".", "./", "..", "../", "../../x/", "news/", "news/2021/a-b/", "news/2021/c/",
          "news/2022/a/", "assets/images/favicon.png", "assets/stylesheets/main.css", "brands/x/",
          "brands/x/logo.png", "tags/%E5%B7%A5/", "a/b/c/", "a/b/c/d/e/", "a/b.c/", "a/./b/",
          "a/../b/", "a//b/", "/abs/", "#top", "https://example.cn/x", "mailto:a@b.cn", "x.html",
          "news/2021/a-b/index.html", "news/2021/a-b/photo.jpg", "a b/", "?q=1", "news/2021",
          "../../../../../../x"]


def test_the_filter_answers_as_mkdocs_for_every_pair():
    ours = url_filter()
    pages = [None, *[SimpleNamespace(url=u) for u in PAGE_URLS]]
    checked = 0
    # Pages in turn (the page kept), and the same page again after another one.
    for page, value in itertools.chain(itertools.product(pages, VALUES),
                                       ((p, v) for v in VALUES for p in pages)):
        for base in ("", ".", "../.."):
            context = {"page": page, "base_url": base}
            assert ours(context, value) == mkdocs_url_filter(context, value), (page, value, base)
            checked += 1
    assert checked > 3000


def test_values_that_are_not_text_are_turned_into_text():
    from markupsafe import Markup
    context = {"page": SimpleNamespace(url="news/2021/a/"), "base_url": "../../.."}
    for value in (Markup("brands/x/"), 2021, None):
        assert url_filter()(context, value) == mkdocs_url_filter(context, value)


def test_the_site_uses_it():
    """The filter the plugin installs is this module's (on_env)."""
    import inspect

    from newsroom.mkdocs import plugin
    assert 'env.filters["url"] = url_filter()' in inspect.getsource(plugin.NewsroomPlugin.on_env)
