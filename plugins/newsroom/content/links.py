"""Links in article bodies: to other articles, checked against what is published."""
from __future__ import annotations

import difflib
import posixpath
import re
from pathlib import Path
from typing import Iterator, Optional
from urllib.parse import unquote

from ..core.model import Article
from ..core.problems import Problem, short
from .refs import BrokenFiles

_MD_LINK = re.compile(r"(?<!\!)\[[^\]\n]*\]\(\s*<?([^)\s>]+?\.md)(?:#[^)\s>]*)?>?(?:\s+[\"'][^\"'\n]*[\"'])?\s*\)")


_REF_LINK = re.compile(r"^ {0,3}\[[^\]\n]+\]:\s*<?([^\s>]+?\.md)(?:#\S*)?>?(?:\s.*)?$")


_FENCE = re.compile(r"^ {0,3}(```|~~~)")


class LinkIndex:
    """The Markdown files a link may point at, and how to suggest the right one.

    The by-name and by-folder indexes are built once, and only when a link
    is broken: a site without broken links pays nothing for them.
    """

    def __init__(self, known: set[str], unpublished: set[str] = frozenset(),
                 broken: Optional[BrokenFiles] = None):
        self.known = known
        self.unpublished = unpublished
        self.broken = broken
        self._by_name: dict[str, list[str]] | None = None
        self._by_dir: dict[str, list[str]] | None = None

    def _build(self) -> None:
        self._by_name, self._by_dir = {}, {}
        for src in self.known:
            folder, _, name = src.rpartition("/")
            self._by_name.setdefault(name, []).append(src)
            self._by_dir.setdefault(folder, []).append(name)

    def suggest(self, resolved: str, base: str) -> str:
        """A relative link that probably was meant, '' if none is close."""
        if self._by_name is None:
            self._build()
        assert self._by_name is not None and self._by_dir is not None
        folder, _, name = resolved.rpartition("/")
        same = sorted(self._by_name.get(name, []))
        if not same:
            close = difflib.get_close_matches(name, self._by_dir.get(folder, []), 1, 0.6)
            same = [f"{folder}/{close[0]}" if folder else close[0]] if close else []
        return posixpath.relpath(same[0], base or ".") if same else ""


def check_links(article: Article, known: "set[str] | LinkIndex", problems: list[Problem]) -> None:
    """Relative links to other .md files must point at a published file that exists."""
    if ".md" not in article.body:
        return
    index = known if isinstance(known, LinkIndex) else LinkIndex(known)
    base = posixpath.dirname(article.src_uri)
    for lineno, line in lines_with(article.body, article.source.body_line, ".md"):
        targets = _MD_LINK.findall(line)
        ref = _REF_LINK.match(line)
        if ref:
            targets.append(ref.group(1))
        for target in targets:
            if "://" in target or target.startswith(("/", "mailto:")):
                continue
            resolved = _normalise(Path(base) / unquote(target))
            if resolved in index.known:
                continue
            if resolved in index.unpublished:
                problems.append(Problem(article.source.path, lineno,
                                        f"链接“{short(target, 80)}”指向的文章还是草稿或尚未到发布时间",
                                        "先发布那篇文章，或暂时删掉这个链接"))
                continue
            broken_path = index.broken.find("article", resolved) if index.broken is not None else ""
            if broken_path:   # the file is there, with errors of its own: no other article to suggest
                index.broken.note(broken_path, article.source.path, lineno, f"链接“{short(target, 80)}”指向的文章",
                                  problems)
                continue
            close = index.suggest(resolved, base)
            problems.append(Problem(article.source.path, lineno, f"链接“{short(target, 80)}”指向的文章不存在",
                                    f"是不是 {close}？" if close else
                                    "请检查链接的相对路径：从本文所在的文件夹算起，上一级文件夹写 ../"))


def lines_with(body: str, first_line: int, needle: str) -> Iterator[tuple[int, str]]:
    """The body's lines containing ``needle``, with their file line numbers, fenced code
    left out. Without fences, only those lines are looked at (not every line of 10,000
    bodies)."""
    if "```" not in body and "~~~" not in body:
        start = body.find(needle)
        while start >= 0:
            begin = body.rfind("\n", 0, start) + 1
            end = body.find("\n", start)
            end = len(body) if end < 0 else end
            yield first_line + body.count("\n", 0, begin), body[begin:end]
            start = body.find(needle, end)
        return
    fence = ""
    for lineno, line in enumerate(body.split("\n"), start=first_line):
        m = _FENCE.match(line)
        if m:
            fence = "" if fence == m.group(1) else (fence or m.group(1))
        elif not fence and needle in line:
            yield lineno, line


def _normalise(path: Path) -> str:
    parts: list[str] = []
    for part in path.as_posix().split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if parts:
                parts.pop()
            continue
        parts.append(part)
    return "/".join(parts)


