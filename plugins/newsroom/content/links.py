"""Links in article bodies: to other articles (``.md``) and to notices (``/notices/…/``),
checked against what is published."""
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

# A link to a notice's page by its URL on this site: [通知](/notices/2022/09/jinqiu-zhuxue/).
NOTICES = "/notices/"
_URL_LINK = re.compile(r"(?<!\!)\[[^\]\n]*\]\(\s*<?(/notices/[^)\s>#?]*)[^)\n]*\)")
_URL_REF = re.compile(r"^ {0,3}\[[^\]\n]+\]:\s*<?(/notices/[^\s>#?]*)")


class LinkIndex:
    """The Markdown files a link may point at, and how to suggest the right one.

    The by-name and by-folder indexes are built once, and only when a link
    is broken: a site without broken links pays nothing for them.
    """

    def __init__(self, known: set[str], unpublished: set[str] = frozenset(),
                 broken: Optional[BrokenFiles] = None, pages: frozenset[str] = frozenset(),
                 pending_pages: frozenset[str] = frozenset()):
        self.known = known
        self.unpublished = unpublished
        self.broken = broken
        # Site URLs (notices/2022/09/x/, the listings) a body may link to, and those not published yet.
        self.pages = pages
        self.pending_pages = pending_pages
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
    """Relative links to other .md files must point at a published file that exists;
    links to a notice's URL (/notices/…/) at a published notice."""
    index = known if isinstance(known, LinkIndex) else LinkIndex(known)
    if NOTICES in article.body:
        check_page_links(article, index, problems)
    if ".md" not in article.body:
        return
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


def check_page_links(article: Article, index: LinkIndex, problems: list[Problem]) -> None:
    """``[…](/notices/2022/09/x/)``: the notice must be published (its listings are pages too)."""
    for lineno, line in lines_with(article.body, article.source.body_line, NOTICES):
        ref = _URL_REF.match(line)
        for target in _URL_LINK.findall(line) + ([ref.group(1)] if ref else []):
            path = unquote(target).strip("/") + "/"
            if path in index.pages or target.endswith((".xml", ".json")) and path[:-1] in index.pages:
                continue
            shown = short(target, 80)
            if path in index.pending_pages:
                problems.append(Problem(article.source.path, lineno, f"链接“{shown}”指向的通知还是草稿或尚未到发布时间",
                                        "先发布那个通知，或暂时删掉这个链接"))
                continue
            close = difflib.get_close_matches(path, sorted(index.pages), 1, 0.6)
            problems.append(Problem(article.source.path, lineno, f"链接“{shown}”指向的通知不存在",
                                    f"是不是 /{close[0]}？" if close else
                                    "通知的网址是 /notices/年/月/文件名/：请打开那个通知，复制它的网址"))


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


