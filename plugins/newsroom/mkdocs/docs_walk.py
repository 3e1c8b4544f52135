"""MkDocs' walk of docs_dir, without the Markdown files the graph makes pages of.

``mkdocs build`` walks docs_dir before ``on_files`` and makes a ``File`` of each of its
files: at 10,000 articles, 10,000 ``File``s (their paths normalised, their destination and
URL worked out, the exclusion patterns matched) that ``on_files`` then drops, since an
article's page is generated from the graph (site_files.publishable: a Markdown file of
docs_dir is published as it is only if it is a free page). ``walk_without_pages`` hands
MkDocs a ``get_files`` that makes no ``File`` of such a Markdown file, and nothing else
changes: the same walk (links followed, the same order), the same exclusions, and a
folder where two files would have the same destination (``README.md`` and ``index.md``,
which MkDocs settles by dropping one, with a warning) is listed whole, as MkDocs lists it.
So ``on_files`` receives MkDocs' own list less files it drops anyway
(tests/test_docs_walk.py compares the two).

MkDocs then adds the theme's static files (``Files.add_files_from_theme``): it lists every
file of the theme's folders and filters the names, and Material's hidden ``.icons`` folder
holds 14,000 of them, every one refused (a name with a hidden part: ``.*``, ``*/.*``).
``DocsFiles`` lists the folders without walking into hidden ones, and MkDocs' own method and
filter do the rest.

A ``newsroom build`` only (app/cli.py): MkDocs looks ``get_files`` up in its build module,
which is replaced for the one build and put back after it.
"""
from __future__ import annotations

import contextlib
import logging
import os
import posixpath
from typing import Any, Callable, Collection, Iterator

import jinja2
from mkdocs.structure.files import File, Files, set_exclusions
from mkdocs.utils import is_markdown_file

log = logging.getLogger("mkdocs.structure.files")     # MkDocs' own warning, from its logger


def docs_files(config: Any, pages: Collection[str]) -> Files:
    """MkDocs' ``get_files`` less the Markdown files that are not in ``pages`` (the free pages'
    src_uri) in folders without two files of one destination."""
    docs, files = config["docs_dir"], []
    conflicting: list[tuple[File, File]] = []
    for source_dir, dirnames, filenames in os.walk(docs, followlinks=True):
        relative_dir = os.path.relpath(source_dir, docs)
        dirnames.sort()
        filenames.sort(key=_file_sort_key)
        prefix = "" if relative_dir == "." else relative_dir.replace(os.sep, "/") + "/"
        if not _clashes(filenames, config["use_directory_urls"]):
            filenames = [n for n in filenames if not is_markdown_file(n) or prefix + n in pages]
        by_dest: dict[str, File] = {}
        for filename in filenames:
            file = File(os.path.join(relative_dir, filename), docs, config["site_dir"], config["use_directory_urls"])
            before = by_dest.setdefault(file.dest_uri, file)
            if before is not file:
                conflicting.append((before, file))
            files.append(file)
    set_exclusions(files, config)
    for a, b in conflicting:      # as get_files: README.md yields to index.md (part 2)
        loser = a if b.inclusion.is_included() else b
        if b.inclusion.is_included() and a.inclusion.is_included():
            log.warning(f"Excluding '{a.src_uri}' from the site because it conflicts with '{b.src_uri}'.")
        with contextlib.suppress(ValueError):
            files.remove(loser)
    return DocsFiles(files)


class DocsFiles(Files):
    """MkDocs' ``Files``, whose theme files are found without a walk of hidden folders."""

    def add_files_from_theme(self, env: jinja2.Environment, config: Any) -> None:
        if type(env.loader) is not jinja2.FileSystemLoader:     # not the loader MkDocs' theme makes
            return super().add_files_from_theme(env, config)
        return super().add_files_from_theme(_Unhidden(env.loader), config)


class _Unhidden:
    """What ``add_files_from_theme`` asks of the environment: its templates' names (as the
    loader lists them, sorted) that ``filter_func`` keeps; hidden folders are not walked."""

    def __init__(self, loader: jinja2.FileSystemLoader) -> None:
        self.loader = loader

    def list_templates(self, filter_func: Callable[[str], bool]) -> list[str]:
        found: set[str] = set()
        for top in self.loader.searchpath:
            for folder, dirnames, filenames in os.walk(top, followlinks=self.loader.followlinks):
                dirnames[:] = [d for d in dirnames if not d.startswith(".")]
                for filename in filenames:      # as jinja2's FileSystemLoader.list_templates
                    name = os.path.join(folder, filename)[len(top):].strip(os.path.sep).replace(os.path.sep, "/")
                    found.add(name[2:] if name[:2] == "./" else name)
        return [name for name in sorted(found) if filter_func(name)]


def _file_sort_key(name: str) -> tuple[bool, str]:
    """MkDocs' order of a folder's files (``mkdocs.structure.files._file_sort_key``)."""
    return (os.path.splitext(name)[0] not in ("index", "README"), name)


def _clashes(names: list[str], directory_urls: bool) -> bool:
    """Whether two of a folder's files would have one destination (``File.dest_uri``, by name)."""
    seen: set[str] = set()
    for name in names:
        if is_markdown_file(name):
            stem = posixpath.splitext(name)[0]
            stem = "index" if stem == "README" else stem
            dest = stem + ".html" if not directory_urls or stem == "index" else stem + "/index.html"
        else:
            dest = name
        if dest in seen:
            return True
        seen.add(dest)
    return False


@contextlib.contextmanager
def walk_without_pages(pages: Callable[[], Collection[str] | None]) -> Iterator[None]:
    """For one MkDocs build: its walk of docs_dir skips the Markdown files that are not
    free pages (``pages()``, asked after ``on_config``; None: MkDocs' own walk)."""
    import mkdocs.commands.build as build

    own = build.get_files

    def get_files(config: Any) -> Files:
        free = pages()
        return own(config) if free is None else docs_files(config, free)

    build.get_files = get_files
    try:
        yield
    finally:
        build.get_files = own
