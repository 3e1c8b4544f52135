"""The MkDocs files a newsroom build publishes: which of those MkDocs found it keeps, and
the files it makes (one per generated page, the brands' logos).

Kept out of plugin.py, the adapter's events, so that each stays short."""
from __future__ import annotations

import os
import posixpath
from typing import Any, Optional
from urllib.parse import unquote

from mkdocs.structure.files import File, InclusionLevel

from ..content.editions import is_edition_file
from ..content.graph_data import ContentGraph
from ..content.load import is_scratch_file
from ..content.safety import Listing
from ..pages.kinds import Page as KindPage
from .photo_files import replaced

# The theme's custom_dir and docs_dir, absolute, and each File's src_dir made absolute once.
Roots = tuple[Optional[str], str, dict]


def publishable(graph: ContentGraph, theme: Optional[Listing], f: File, roots: Roots, pages: set[str]) -> bool:
    """Whether a file MkDocs found is ours to publish as it is.

    MkDocs' walk of docs_dir follows every link and lists FIFOs: only files the graph's
    own walk kept (safety.list_folder) are copied, and only pages the graph checked
    (free pages) are rendered as they are. Theme files pass, those of custom_dir only
    if its walk kept them (no link out)."""
    custom, docs, absolute = roots
    src_dir = absolute.get(f.src_dir) or absolute.setdefault(f.src_dir, os.path.abspath(f.src_dir or ""))
    if theme and src_dir == custom:
        return f.src_uri in theme.paths()
    if src_dir != docs:
        return True
    if is_scratch_file(posixpath.basename(f.src_uri)):     # x.md~ is no image
        return False
    if is_edition_file(f.src_uri):          # 数字报: edition.yml is the editors' source, not a page
        return False
    listed = graph.content_files
    if listed is not None and f.src_uri not in listed.paths():
        return False
    return not f.is_documentation_page() or f.src_uri in pages


class GeneratedFiles:
    """The MkDocs file for one generated page, at the page's URL.

    What ``File.generated`` makes, copied from one file it made: it normalises each path
    through a PurePath and reads the config three times (0.3 s for 15,000 pages); ours are
    normal already (a path that is not is made by ``File.generated`` itself)."""

    def __init__(self) -> None:
        self._proto: tuple[Any, dict] = (None, {})      # the model file's attributes, per config

    def make(self, config: Any, spec: KindPage) -> File:
        src = spec.src_uri
        if self._proto[0] is not config:
            made = File.generated(config, "p.md", content="", inclusion=InclusionLevel.NOT_IN_NAV)
            self._proto = (config, {k: v for k, v in vars(made).items() if k not in ("src_uri", "_content")})
        if posixpath.normpath(src) == src and not src.startswith("/"):
            f = File.__new__(File)
            f.__dict__.update(self._proto[1])
            f.src_uri, f._content = src, "\n" + spec.body
        else:
            f = File.generated(config, src, content="\n" + spec.body, inclusion=InclusionLevel.NOT_IN_NAV)
        f.dest_uri = unquote(spec.url) + "index.html"
        return f


def brand_assets(config: Any, graph: ContentGraph) -> list[File]:
    """The brands' logos, from brands/ (unless a photo variant replaces one)."""
    return [File.generated(config, b.logo, abs_src_path=str(graph.brands_dir / b.logo.removeprefix("brands/")))
            for b in graph.brands.values() if b.logo and not replaced(graph, b.logo)]
