"""Containment: what under content/ and brands/ may be read and published.

Anyone who can commit content can commit a symbolic link, and MkDocs follows links
when it walks docs_dir and copies what they point at: ``content/images/env.txt ->
/proc/self/environ`` would publish the build machine's environment. One rule, used
wherever an editors' folder is walked or a file named in content is opened:

- a link may lead only inside the site's folder (the folder of site_config.yml; a
  content or brands folder kept elsewhere is its own root), never into a hidden
  folder (``.git``, ``.env``: inside the site, but never meant to be published);
- only regular files are read or published: opening a FIFO blocks, a device never ends;
- a Markdown file over ``SOFT_LIMIT`` gets a warning, over ``HARD_LIMIT`` an error,
  decided from its size before it is read.

A folder is walked once (``list_folder``); the content graph, the files MkDocs may
copy (plugin.on_files) and the live preview's copies (mkdocs/preview.py) all use that listing.
"""
from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Optional, Union

from ..core.problems import WARNING, Problem

SOFT_LIMIT = 1 << 20        # 1 MB of text: a very long article already
HARD_LIMIT = 10 << 20       # 10 MB: no article is that long; a pasted dump or an attack is

_LINK_HINT = "链接只能指向网站目录中的文件：请删掉这个链接，把需要的文件本身复制进来"
_SPECIAL_KINDS = ((stat.S_ISFIFO, "命名管道（FIFO）"), (stat.S_ISSOCK, "套接字"),
                  (stat.S_ISCHR, "设备文件"), (stat.S_ISBLK, "设备文件"))

PathLike = Union[str, Path]


def site_root(folder: PathLike, base: PathLike) -> str:
    """The real folder links under ``folder`` may lead into: the site's folder ``base``
    when ``folder`` is in it, else ``folder`` itself (``--content`` kept elsewhere).

    "In it" is decided from the path as written, links not followed: a ``content`` that
    is itself a link out (or lies behind one) keeps the site as its root, so
    ``list_folder`` refuses it like any other link out instead of trusting its target."""
    site = os.path.realpath(base)
    if _within(os.path.abspath(folder), os.path.abspath(base)):
        return site
    real = os.path.realpath(folder)
    return site if _within(real, site) else real


def contained(path: PathLike, root: PathLike) -> bool:
    """Whether ``path``, every link in it followed, stays in ``root`` and out of hidden folders."""
    real_root = os.path.realpath(root)
    real = os.path.realpath(path)
    if not _within(real, real_root):
        return False
    rel = os.path.relpath(real, real_root)
    return rel == "." or not any(part.startswith(".") for part in rel.split(os.sep))


def regular_file(path: PathLike) -> bool:
    """A regular file (links followed), never opened: a FIFO or a device is not one."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


def _within(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def special_kind(mode: int) -> str:
    """What a file that is neither a folder nor a regular file is, in Chinese."""
    return next((name for test, name in _SPECIAL_KINDS if test(mode)), "特殊文件")


# ------------------------------------------------------------------ walking

@dataclass
class Listing:
    """The regular files under one folder, links that stay inside followed."""

    top: Path                                       # the folder walked, as given
    shown: str                                      # how editors call it: content, brands
    folders: list[tuple[str, list[str]]] = field(default_factory=list)  # ("" | "news/2021", names)
    escaped: list[str] = field(default_factory=list)    # links that lead out (files or folders)
    problems: list[Problem] = field(default_factory=list)
    _paths: Optional[set[str]] = None

    def walk(self, folder: str = "") -> Iterator[tuple[str, list[str]]]:
        """``(folder, file names)`` at or under ``folder`` ('' for all), in walk order."""
        for rel, names in self.folders:
            if not folder or rel == folder or rel.startswith(folder + "/"):
                yield rel, names

    def paths(self) -> set[str]:
        """Every listed file, relative to ``top`` (posix)."""
        if self._paths is None:
            self._paths = {f"{rel}/{name}" if rel else name for rel, names in self.folders for name in names}
        return self._paths

    def escapes(self, rel: str) -> bool:
        """Whether ``rel`` is, or lies behind, a link that leads out."""
        return any(not e or rel == e or rel.startswith(e + "/") for e in self.escaped)

    def display(self, rel: str) -> str:
        if not rel:
            return self.shown
        return f"{self.shown}/{rel}" if self.shown else rel


def list_folder(top: PathLike, root: PathLike, shown: str) -> Listing:
    """Walk ``top`` as MkDocs will (links followed), but never out of ``root``.

    Links out, links that loop and special files are reported (``Listing.problems``)
    and left out; hidden files and folders are skipped (never published), but a
    hidden link out is reported too: MkDocs would walk into it.
    """
    listing = Listing(Path(top), shown)
    real_top = os.path.realpath(top)
    if not os.path.isdir(real_top):
        return listing
    real_root = os.path.realpath(root)
    if not contained(real_top, real_root):      # the folder itself is (or lies behind) a link out
        _refuse_link(listing, "", real_top)
        return listing
    todo: list[tuple[str, str, tuple[str, ...]]] = [(os.fspath(top), "", (real_top,))]
    while todo:
        path, rel, stack = todo.pop()
        files, subdirs = _list_one(listing, path, rel, stack, real_root)
        listing.folders.append((rel, files))
        todo.extend(reversed(subdirs))          # depth first, sorted: os.walk's order
    return listing


def named_listing(folder: PathLike, base: PathLike) -> Listing:
    """``folder`` walked with the site's rule, named from ``base`` as written (``theme``):
    for folders outside the content graph, such as the theme's ``custom_dir``."""
    rel = os.path.relpath(os.path.abspath(folder), os.path.abspath(base))
    shown = os.fspath(folder) if rel == ".." or rel.startswith(".." + os.sep) else rel
    return list_folder(folder, site_root(folder, base), shown.replace(os.sep, "/"))


def _list_one(listing: Listing, path: str, rel: str, stack: tuple[str, ...], root: str
              ) -> tuple[list[str], list[tuple[str, str, tuple[str, ...]]]]:
    try:
        with os.scandir(path) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError:
        return [], []
    files: list[str] = []
    subdirs = []
    for entry in entries:
        child = f"{rel}/{entry.name}" if rel else entry.name
        hidden = entry.name.startswith(".")
        try:
            if entry.is_symlink():
                kind, real = _follow(listing, entry.path, child, stack, root, hidden)
            elif hidden:
                continue
            elif entry.is_dir(follow_symlinks=False):
                kind, real = "dir", os.path.join(stack[-1], entry.name)
            elif entry.is_file(follow_symlinks=False):
                kind, real = "file", ""
            else:
                kind, real = _special(listing, child, entry.stat(follow_symlinks=False).st_mode), ""
        except OSError:
            continue                            # gone while we looked: the next build sees it
        if hidden:
            continue
        if kind == "file":
            files.append(entry.name)
        elif kind == "dir":
            subdirs.append((entry.path, child, stack + (real,)))
    return files, subdirs


def _follow(listing: Listing, path: str, rel: str, stack: tuple[str, ...], root: str,
            hidden: bool) -> tuple[str, str]:
    """What a link leads to: ('file'|'dir', real path), or ('', '') once reported.

    A hidden link is never published, but MkDocs walks into it: only one that leads out
    or loops is reported (an Emacs lock, ``.#x.md``, is a dangling link by design)."""
    real = os.path.realpath(path)
    shown = listing.display(rel)
    if not contained(real, root):
        _refuse_link(listing, rel, real)
        return "", ""
    try:
        mode = os.stat(real).st_mode
    except OSError:
        if hidden:
            return "", ""
        listing.problems.append(Problem(shown, 1, f"链接指向的文件不存在：{real}，已跳过",
                                        "请删掉这个链接，或把文件本身放在这里", WARNING))
        return "", ""
    if stat.S_ISDIR(mode):
        if any(_within(s, real) for s in stack):
            listing.escaped.append(rel)
            listing.problems.append(Problem(shown, 1, "这个文件夹链接指向它自己或它的上级文件夹，会无限循环",
                                            "请删掉这个链接"))
            return "", ""
        return "dir", real
    if stat.S_ISREG(mode):
        return "file", real
    return ("", "") if hidden else (_special(listing, rel, mode), "")


def _refuse_link(listing: Listing, rel: str, real: str) -> None:
    listing.escaped.append(rel)
    listing.problems.append(Problem(listing.display(rel) or os.fspath(listing.top), 1,
                                    f"这是指向网站目录之外（或隐藏文件夹中）的链接：{real}，不会读取也不会发布",
                                    _LINK_HINT))


def _special(listing: Listing, rel: str, mode: int) -> str:
    listing.problems.append(Problem(listing.display(rel), 1,
                                    f"这不是普通文件（{special_kind(mode)}），已跳过：不会读取也不会发布",
                                    "请删掉它，或换成普通文件", WARNING))
    return ""


# ------------------------------------------------------------------ reading

def size_problem(st: os.stat_result, display: str) -> Optional[Problem]:
    """A Markdown file that is not a regular file or is too long: from its stat, unread."""
    if not stat.S_ISREG(st.st_mode):
        return Problem(display, 1, f"这不是普通文件（{special_kind(st.st_mode)}），无法读取",
                       "请删掉它，或换成普通文件")
    mb = st.st_size / (1 << 20)
    if st.st_size > HARD_LIMIT:
        return Problem(display, 1, f"文件有 {mb:.1f} MB，超过 {HARD_LIMIT >> 20} MB 的上限，没有读取",
                       "一篇文章的文字不会这么长：请检查是否粘贴了多余的内容，或拆成几篇")
    if st.st_size > SOFT_LIMIT:
        return Problem(display, 1, f"文件有 {mb:.1f} MB，超过 {SOFT_LIMIT >> 20} MB：网站生成和订阅都会变慢",
                       "请检查是否粘贴了多余的内容，或拆成几篇", WARNING)
    return None


def shared_value(meta: dict[str, Any], order: list[str]) -> Optional[str]:
    """The first key (in ``order``) whose value reuses a list or mapping met before.

    YAML aliases (``&a`` … ``*a``) make one value appear many times: a "billion laughs"
    file is nine lines that mean 10^9 items. Editors never need them, so a file with
    one is refused once, at the line that uses it, before anything expands it.
    """
    seen: set[int] = set()
    for key in order:
        todo = [meta.get(key)]
        while todo:
            value = todo.pop()
            if not isinstance(value, (list, dict)):
                continue
            if id(value) in seen:
                return key
            seen.add(id(value))
            todo.extend(value.values() if isinstance(value, dict) else value)
    return None


__all__ = ["SOFT_LIMIT", "HARD_LIMIT", "Listing", "list_folder", "named_listing", "site_root", "contained",
           "regular_file", "size_problem", "shared_value", "special_kind"]
