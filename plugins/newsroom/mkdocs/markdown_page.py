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
from typing import Any

import markdown
from mkdocs.structure.pages import (Page, _ExtractAnchorsTreeprocessor, _ExtractTitleTreeprocessor,
                                    _RawHTMLPreprocessor, _RelativePathTreeprocessor)
from mkdocs.structure.toc import get_toc

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


class SharedMarkdownPage(Page):
    converter: SharedConverter | None = None   # set per build by the plugin

    def render(self, config: Any, files: Any) -> None:
        if self.markdown is None:
            raise RuntimeError("`markdown` field hasn't been set (via `read_source`)")
        if self.converter is None:
            return super().render(config, files)
        self.converter.render(self, files)
