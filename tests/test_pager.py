"""The pager (theme/partials/nr-ui.html's ``pager`` macro) loops over ``Pager.numbers()``,
not over every page: the same HTML as the loop over ``range(1, pages + 1)`` it replaced."""
from __future__ import annotations

import posixpath

from conftest import ROOT
from jinja2 import DictLoader, Environment, pass_context

from newsroom.pages.kinds.base import Pager

UI = (ROOT / "theme" / "partials" / "nr-ui.html").read_text(encoding="utf-8")
LOOP = "{%- for n in listing.numbers() %}"


@pass_context
def _url(context, value: str) -> str:
    # Relative to the page like MkDocs' filter: enough to tell page URLs apart.
    return posixpath.relpath(value or ".", context["here"]) + "/"


def _env(ui: str) -> Environment:
    env = Environment(loader=DictLoader({"partials/nr-ui.html": ui,
                                         "t.html": '{% import "partials/nr-ui.html" as ui with context %}{{ ui.pager(p) }}'}))
    env.filters.update(url=_url, iso_date=str, zh_date=str)
    return env


def test_numbers_are_the_first_the_last_and_the_near_ones():
    assert Pager("news/", 1, 1, 3).numbers() == (1,)
    assert Pager("news/", 1, 500, 10_000).numbers() == (1, 2, 3, 4, 500)
    assert Pager("news/", 250, 500, 10_000).numbers() == (1, 247, 248, 249, 250, 251, 252, 253, 500)
    assert Pager("news/", 498, 500, 10_000).numbers() == (1, 495, 496, 497, 498, 499, 500)


def test_the_pager_prints_what_the_loop_over_every_page_printed():
    assert LOOP in UI
    new = _env(UI).get_template("t.html")
    old = _env(UI.replace(LOOP, "{%- for n in range(1, listing.pages + 1) %}")).get_template("t.html")
    compared = 0
    for pages in range(1, 13):
        for page in range(1, pages + 1):
            for base in ("news/", "tags/%E5%B7%A5%E4%BC%9A/"):
                pager = Pager(base, page, pages, pages * 20)
                context = {"p": pager, "here": pager.url}
                html = new.render(context)
                assert html == old.render(context), (pages, page)
                assert (f'aria-current="page">{page}<' in html) == (pages > 1)
                compared += 1
    assert compared == 156
