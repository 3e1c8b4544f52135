"""A MkDocs page that converts its Markdown with one shared converter.

MkDocs' ``Page.render`` builds a new ``markdown.Markdown`` with every extension
for every page: 8% of a 10,000-article build is spent only constructing them.
``SharedMarkdownPage`` does what ``Page.render`` does (MkDocs 1.6.1 is pinned
and frozen upstream) with one converter per build, reset between pages. The
per-page state MkDocs keeps in its processors (anchors found, links to anchors,
the first <h1>, the current file) is reset or repointed before each page, so
the output is byte for byte what MkDocs makes (tests compare the two).
"""
from __future__ import annotations

import logging
import re
from typing import Any
from urllib.parse import urljoin, urlsplit
from xml.etree.ElementTree import Element

import markdown
from markdown.extensions.toc import TocTreeprocessor
from mkdocs.structure.pages import (Page, _ExtractAnchorsTreeprocessor, _ExtractTitleTreeprocessor,
                                    _RawHTMLPreprocessor, _RelativePathTreeprocessor)
from mkdocs.structure.toc import get_toc
from mkdocs.utils import get_build_date

from .md_inline import skip_plain_text

log = logging.getLogger("mkdocs.structure.pages")


class SharedConverter:
    """One Markdown converter with MkDocs' own processors, reused page after page."""

    def __init__(self, config: Any, files: Any) -> None:
        self.md = markdown.Markdown(extensions=config["markdown_extensions"],
                                    extension_configs=config["mdx_configs"] or {})
        self.raw_html = _RawHTMLPreprocessor()
        self.raw_html._register(self.md)
        self.anchors = _ExtractAnchorsTreeprocessor(None, files, config)
        self.anchors._register(self.md)
        self.relative = _RelativePathTreeprocessor(None, files, config)
        self.relative._register(self.md)
        self.title = _ExtractTitleTreeprocessor()
        self.title._register(self.md)
        toc = self.md.treeprocessors["toc"] if "toc" in self.md.treeprocessors else None
        if type(toc) is TocTreeprocessor:
            toc.__class__ = _TocTokens
        skip_plain_text(self.md)

    def render(self, page: Page, files: Any) -> None:
        md = self.md
        md.reset()
        self.raw_html.present_anchor_ids = set()
        self.anchors.present_anchor_ids = set()
        self.relative.file, self.relative.files = page.file, files
        self.relative.links_to_anchors = {}
        self.title.title = None
        page.content = md.convert(page.markdown)
        page.toc = get_toc(getattr(md, "toc_tokens", []))
        page._title_from_render = self.title.title
        page.present_anchor_ids = self.anchors.present_anchor_ids | self.raw_html.present_anchor_ids
        if log.getEffectiveLevel() > logging.DEBUG:
            page.links_to_anchors = self.relative.links_to_anchors


class _TocTokens(TocTreeprocessor):
    """toc's tree processor, but for the table of contents' own ``<div>`` where a page has no
    ``[TOC]`` marker to put it at. toc builds that div for every page, serializes it and runs
    every postprocessor (the allow-list too) over it, for ``md.toc``, which neither MkDocs nor
    we read (MkDocs makes ``page.toc`` from ``md.toc_tokens``, which stay as they are): half of
    toc's time, 4 % of the Markdown of an article. With no marker, the div is an empty one."""

    def run(self, doc: Any) -> None:
        # Any text holding the marker: a superset of where replace_marker would put the div.
        marker = self.marker
        self._whole = bool(marker) and any(marker in (el.text or "") for el in doc.iter())
        super().run(doc)

    def build_toc_div(self, toc_list: list) -> Any:
        if self._whole:
            return super().build_toc_div(toc_list)
        return Element("div")


class SharedMarkdownPage(Page):
    converter: SharedConverter | None = None   # set per build by the plugin

    def render(self, config: Any, files: Any) -> None:
        if self.markdown is None:
            raise RuntimeError("`markdown` field hasn't been set (via `read_source`)")
        if self.converter is None:
            return super().render(config, files)
        self.converter.render(self, files)


# What ``urljoin`` and ``urlsplit`` would change or read as more than a path: a scheme, a
# query, a fragment, a leading or doubled "/", control characters and spaces.
_NOT_PLAIN = re.compile(r"[:?#\\\x00-\x20\x7f]|//|^/")


# A folder's index.html whose URL quoting leaves as it is (what ``File.url`` makes of it: the folder).
_FOLDER_INDEX = re.compile(r"[A-Za-z0-9_.~-][A-Za-z0-9_.~/-]*/index\.html")


def _plain(url: str) -> bool:
    """Whether ``urljoin(base, url)`` is ``base + url`` (a base that is itself plain): nothing
    ``_NOT_PLAIN`` finds, and no ``.`` or ``..`` part (by substrings, not a split of each of
    15,000 URLs: a third of ``PageMaker.page``)."""
    if _NOT_PLAIN.search(url):
        return False
    wrapped = f"/{url}/"
    return "/./" not in wrapped and "/../" not in wrapped


class PageMaker:
    """``SharedMarkdownPage(None, file, config)`` for thousands of generated files, as
    ``Page.__init__`` makes it but for two costs (0.5 CPU-s at 15,000 pages): the build date is
    formatted once per build, not per page, and a plain URL is joined to ``site_url`` by
    concatenation, which is what ``urljoin`` returns for it (anything else goes through
    ``Page._set_canonical_url`` itself). tests/test_markdown_page.py compares both ways."""

    def __init__(self, config: Any) -> None:
        self.config = config
        self.date = get_build_date()
        base = config.get("site_url", None)
        self.base = base if not base or base.endswith("/") else base + "/"
        self.path = urlsplit(self.base).path if self.base else None
        # The base itself must join by concatenation (no "//" or dot segments in its path).
        self.plain = bool(self.base) and urljoin(self.base, "a/b/") == self.base + "a/b/" \
            and urlsplit(self.base + "a/b/").path == self.path + "a/b/"
        # Read once, not three config lookups a page: without an edit_uri (or its template)
        # ``Page._set_edit_url`` sets None and returns.
        self.edit = (config.get("repo_url", None), config.get("edit_uri"), config.get("edit_uri_template"))
        self.no_edit = not self.edit[1] and not self.edit[2]

    def page(self, file: Any) -> SharedMarkdownPage:
        page = SharedMarkdownPage.__new__(SharedMarkdownPage)
        file.page, page.file = page, file
        page.children = page.previous_page = page.next_page = None
        page.active = False
        page.update_date = self.date
        if file.use_directory_urls and "url" not in vars(file) and _FOLDER_INDEX.fullmatch(file.dest_uri):
            file.url = file.dest_uri[:-len("index.html")]      # not File.url's split and quote (15,000 pages)
        url = page.url
        if self.plain and _plain(url):
            page.canonical_url, page.abs_url = self.base + url, self.path + url
        else:
            page._set_canonical_url(self.config.get("site_url", None))
        if self.no_edit:
            page.edit_url = None
        else:
            page._set_edit_url(*self.edit)
        page.markdown = None
        page._title_from_render = None
        page.content = None
        page.toc = []  # type: ignore[assignment]
        page.meta = {}
        return page
