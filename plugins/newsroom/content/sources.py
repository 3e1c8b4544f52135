"""The Markdown files of content/ and brands/ as the loaders see them: each folder walked
once with the site's link rule (safety.py), every file named as the OS, the site and the
editors know it, and Markdown that no kind owns reported."""
from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Iterator, NamedTuple

from ..core.model import SCHEMAS
from ..core.problems import Problem
from .load import is_scratch_file
from .safety import Listing, list_folder, site_root


def markdown_files(listing: Listing, folder: str = "") -> list[tuple[Path, str]]:
    """The Markdown files of ``listing`` at or under ``folder``: (path, display path)."""
    top = listing.top
    return [(top / rel / name, listing.display(f"{rel}/{name}" if rel else name))
            for rel, names in listing.walk(folder) for name in names
            if name.endswith(".md") and not is_scratch_file(name)]


class SourceFile(NamedTuple):
    """A Markdown file of an entity, named three ways (strings: on every save of
    the live preview, 10,000 Path objects and their relative_to cost more than reading
    the folder)."""

    path: str           # as the OS knows it
    src_uri: str        # under its root (content/ or brands/), e.g. news/2021/x.md
    display: str        # as editors know it


def source_files(listing: Listing, folder: str) -> Iterator[SourceFile]:
    """The Markdown files at or under ``folder``, in walk order."""
    top = os.fspath(listing.top)
    for rel, names in listing.walk(folder):
        path = os.path.join(top, rel)
        for name in names:
            if name.endswith(".md") and not is_scratch_file(name):
                src_uri = f"{rel}/{name}" if rel else name
                yield SourceFile(os.path.join(path, name), src_uri, listing.display(src_uri))


def content_listing(folder: Path, base: Path) -> Listing:
    """``folder`` walked once, links kept inside the site (safety.py), named as editors know it."""
    return list_folder(folder, site_root(folder, base), _display_folder(folder, base))


@functools.lru_cache(maxsize=4096)
def _display_folder(folder: Path, base: Path) -> str:
    # Resolved once per folder, not once per file: 50,000 realpath calls cost seconds.
    # As written first: a ``content`` that is a link out is still called content.
    for mine, site in ((Path(os.path.abspath(folder)), Path(os.path.abspath(base))),
                       (folder.resolve(), base.resolve())):
        try:
            rel = mine.relative_to(site).as_posix()
            return "" if rel == "." else rel
        except ValueError:
            continue
    return folder.as_posix()


def stray_markdown(content: Listing, problems: list[Problem]) -> None:
    """Markdown outside every kind's folder would be rendered by MkDocs as a stray page, or
    clash with a generated one (index.md, brands/)."""
    schemas = [schema for schema in SCHEMAS.values() if schema.root == "content"]
    folders = {schema.folder for schema in schemas}
    homes = "、".join(f"{schema.folder}/" for schema in schemas[:-1]) + f" 或 {schemas[-1].folder}/"
    # Folders are skipped by their name before any file of theirs is looked at: on every
    # save of the live preview, a Path per file of news/ cost a quarter of a second.
    for rel, names in content.walk():
        if rel.split("/", 1)[0] in folders:
            continue
        for name in names:
            if not name.endswith(".md") or is_scratch_file(name):
                continue
            path = f"{rel}/{name}" if rel else name
            problems.append(Problem(content.display(path), 1, f"content/{path} 不在 {homes} 中，网站不知道它是什么",
                                    f"文章请放进 content/news/，其他页面请放进 content/pages/（例如 content/pages/{name}）"))


__all__ = ["SourceFile", "content_listing", "markdown_files", "source_files", "stray_markdown"]
