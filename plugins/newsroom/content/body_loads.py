"""Images from other sites in a body, found the way the page gets them.

``sanitize.clean_html`` removes every image URL that leaves the site (nh3's attribute
filter), so the page, the feeds and search never carry one. Editors still need to
know, at the line: this renders the body with the site's Markdown extensions, reads
back what the cleaner dropped, and finds the line that wrote it. Reading the HTML
rather than the Markdown means every spelling Markdown turns into an image counts:
reference-style images, an image inside a link, attr_list's ``{src=…}``, raw HTML
inside or after code-looking text.
"""
from __future__ import annotations

import html
import re
from functools import lru_cache

import markdown

from ..core.problems import ERROR, Problem, short
from .sanitize import dropped_loads

# The site's extensions (site_config.yml) that decide what becomes an <img> and its attributes.
_EXTENSIONS = ("attr_list", "tables", "footnotes", "admonition", "md_in_html")
_HINT = "请把图片下载后放进 content/images/，再用相对路径引用"
_PIECES = re.compile(r"[\s/\\,]+")


@lru_cache(maxsize=1)
def _converter() -> markdown.Markdown:
    # One converter, reset per use (building one costs more than converting a body).
    return markdown.Markdown(extensions=list(_EXTENSIONS))


def may_load(body: str) -> bool:
    """Whether ``body`` can make an image at all (most bodies stop here, unrendered)."""
    return "![" in body or "img" in body.lower()


def external_image_problems(body: str, first_line: int, path: str) -> list[Problem]:
    """An error at its line for each image URL of ``body`` that the cleaner drops."""
    if not may_load(body):
        return []
    md = _converter()
    md.reset()
    try:
        dropped = dropped_loads(md.convert(body))
    except Exception:          # Markdown never fails on text; if it ever did, the build will say so
        return []
    lines = [html.unescape(line) for line in body.split("\n")]
    problems = []
    for _tag, attribute, value in dropped:
        what = "正文图片" if attribute == "src" else "正文图片的 srcset"
        problems.append(Problem(path, first_line + _line_of(value, lines),
                                f"{what}“{short(value, 80)}”是外部网址：本站不引用其他网站的资源，已删除", _HINT, ERROR))
    return problems


def _line_of(value: str, lines: list[str]) -> int:
    """The 0-based body line that wrote ``value``: the line holding it whole, else the
    first holding all its pieces (a tab written ``&#9;``, a value across lines), else 0."""
    for number, line in enumerate(lines):
        if value in line:
            return number
    pieces = [p for p in _PIECES.split(value) if p]
    for number, line in enumerate(lines):
        if pieces and all(p in line for p in pieces):
            return number
    for number, line in enumerate(lines):
        if pieces and max(pieces, key=len) in line:
            return number
    return 0


__all__ = ["external_image_problems", "may_load"]
