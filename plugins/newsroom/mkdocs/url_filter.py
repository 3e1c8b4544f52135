"""MkDocs' ``url`` template filter, the same answers with each path split once.

Every link a template prints goes through ``url`` (MkDocs' ``url_filter``: ``normalize_url``
of the value against the page's URL). MkDocs normalizes both paths again on each call
(``posixpath.normpath`` twice): a warm build's new article renders ~650 listing pages with
~26,000 links, 22,400 of them a distinct (link, page) pair, ~0.13 CPU-s. Here each link's
and each page's parts are kept once (a site has ~30,000 links and ~15,000 pages), and only
the common prefix is compared per call. The steps are MkDocs' own (``_get_norm_url``,
``_norm_parts``, ``get_relative_url``'s arithmetic); tests/test_url_filter.py compares the
answers with ``normalize_url``'s for every kind of link and page.
"""
from __future__ import annotations

import functools
import posixpath
from typing import Any

from jinja2 import pass_context
from mkdocs.utils import _get_norm_url, _norm_parts

# Links and pages of one site; the preview's saves ask for the same ones again.
_MAX = 1 << 17


@functools.lru_cache(maxsize=_MAX)
def _link(value: str) -> tuple[str, int, tuple[str, ...], bool]:
    """The link as ``normalize_url`` reads it: its path, how many ``../`` it starts with (-1: an
    absolute URL or an anchor, printed as it is), its parts, and whether it ends in a slash."""
    path, level = _get_norm_url(value)
    return path, level, (tuple(_norm_parts(path)) if level != -1 else ()), path.endswith("/")


@functools.lru_cache(maxsize=_MAX)
def _page_parts(page_url: str) -> tuple[str, ...]:
    """The folder a page's links are relative to (its last part left out if it names a file)."""
    folder, _, name = page_url.rpartition("/")
    return tuple(_norm_parts(folder if "." in name else page_url))


def normalize_url(value: str, page: Any = None, base: str = "") -> str:
    """``mkdocs.utils.normalize_url``'s answer."""
    path, level, dest, slash = _link(value)
    if level == -1:
        return path
    if page is None:
        return posixpath.join(base, path)
    other = _page_parts(page.url)
    common = 0
    for a, b in zip(other, dest):
        if a != b:
            break
        common += 1
    rel = "/".join(("..",) * (len(other) - common) + dest[common:]) or "."
    if slash:
        rel += "/"
    return "../" * level + rel if level > 0 else rel


@pass_context
def url_filter(context: Any, value: str) -> str:
    """MkDocs' ``url`` filter (``mkdocs.utils.templates.url_filter``)."""
    return normalize_url(str(value), page=context["page"], base=context["base_url"])


__all__ = ["normalize_url", "url_filter"]
