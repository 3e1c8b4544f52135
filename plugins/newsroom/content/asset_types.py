"""Files under content/ and brands/ that must never be published as they are.

Everything a listing keeps (safety.list_folder) is copied to the site's origin, where a
browser opening its URL runs whatever it holds. So:

- a web page or script (``.html``, ``.js`` …) is refused: pages are written in
  Markdown, scripts are the theme's business;
- an SVG runs scripts when opened on its own (a link shared in WeChat, "open image"):
  one with ``<script>``, ``<foreignObject>``, an event handler, a ``javascript:`` URL,
  a reference to another site, an entity declaration or a style sheet instruction is
  refused at its line, as is one a scanner cannot read the way browsers do (not UTF-8).

``unsafe_files`` is called on the graph's listings, so ``check``, the build and the
live preview (which rebuilds the graph) refuse the same files.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Optional

from ..core.problems import Problem
from .origin import browser_form, same_site
from .safety import Listing

REFUSED_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".shtml", ".js", ".mjs", ".xml", ".xsl", ".xslt",
                              ".svgz"})
_PAGE_HINT = "网页请用 Markdown（.md）写；网页脚本属于网站主题（theme/），不能放在内容文件夹里。请删掉这个文件"
_SVG_HINT = "请用绘图软件重新导出为不含脚本和外部引用的 SVG，或改存为 PNG/JPG"
_DANGEROUS_ELEMENTS = frozenset({"script", "foreignobject", "iframe", "embed", "object", "handler", "listener"})
_URL_FUNCTION = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)|@import\s*(['\"])(.*?)\3", re.I | re.S)
_DECLARATIONS = re.compile(r"<!ENTITY|<!DOCTYPE[^>]*\[|<\?xml-stylesheet", re.I)
_ENCODING = re.compile(r"<\?xml[^>]*encoding\s*=\s*['\"]([^'\"]+)", re.I)
_SVG_LIMIT = 5 << 20        # an SVG over 5 MB is no chart: not read, refused


def unsafe_files(listing: Listing) -> list[Problem]:
    """An error for each listed file that must not be published (see the module's text)."""
    problems = []
    # The few files of a suffix to look at, in order (not 10,000 articles sorted and named).
    hits = [(rel, suffix) for rel in listing.paths()
            if not rel.endswith(".md") and ((suffix := _suffix(rel)) in REFUSED_SUFFIXES or suffix == ".svg")]
    for rel, suffix in sorted(hits):
        shown = listing.display(rel)
        if suffix in REFUSED_SUFFIXES:
            problems.append(Problem(shown, 1, f"内容文件夹里不能放 {suffix} 文件：它会作为网页或脚本在本站发布", _PAGE_HINT))
        elif suffix == ".svg":
            found = svg_problem(listing.top / rel)
            if found:
                problems.append(Problem(shown, found[0], f"这个 SVG 图片{found[1]}，不能发布", _SVG_HINT))
    return problems


def _suffix(rel: str) -> str:
    """The file's suffix in lower case, with its dot ('' for none)."""
    return "." + rel.rpartition(".")[2].lower() if "." in rel.rpartition("/")[2] else ""


def svg_problem(path) -> Optional[tuple[int, str]]:
    """``(line, 说明)`` of the first thing in the SVG at ``path`` that must not be published."""
    try:
        with open(path, "rb") as f:
            data = f.read(_SVG_LIMIT + 1)
    except OSError:
        return None               # gone or unreadable: not published either
    if len(data) > _SVG_LIMIT:
        return 1, f"超过 {_SVG_LIMIT >> 20} MB"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return 1, "不是 UTF-8 编码"
    declared = _ENCODING.search(text)
    if declared and declared.group(1).lower().replace("_", "-") not in ("utf-8", "utf8"):
        return _line(text, declared.start()), f"声明了 {declared.group(1)} 编码（只接受 UTF-8）"
    m = _DECLARATIONS.search(text)
    if m:
        return _line(text, m.start()), "含有实体声明或样式表指令（<!ENTITY、<?xml-stylesheet）"
    scanner = _SvgScanner()
    try:
        scanner.feed(text)
        scanner.close()
    except AssertionError:        # Python < 3.13 gives up on some "<!" forms: unreadable, refused
        return scanner.getpos()[0], "无法解析"
    return scanner.found


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _local(name: str) -> str:
    return name.rpartition(":")[2].lower()      # html:script, svg:script, xlink:href


def _script_url(value: str) -> bool:
    # Anywhere in the value: <animate values="0;javascript:…"> sets a link to it.
    seen = re.sub(r"[\x00-\x20]", "", browser_form(value)).lower()
    return "javascript:" in seen or "vbscript:" in seen


class _SvgScanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: Optional[tuple[int, str]] = None
        self.in_style = False

    def _report(self, why: str, below: int = 0) -> None:
        if self.found is None:
            self.found = (self.getpos()[0] + below, why)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, Optional[str]]]) -> None:
        local = _local(tag)
        if local in _DANGEROUS_ELEMENTS:
            self._report(f"含有 <{tag}>（网页脚本或嵌入的网页）")
        self.in_style = local == "style"
        for name, value in attrs:
            self._attribute(_local(name), name, value or "")

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag: str) -> None:
        self.in_style = False

    def handle_data(self, data: str) -> None:
        if self.in_style:
            self._urls(data)

    def handle_pi(self, data: str) -> None:
        if not data.lower().startswith("xml "):
            self._report(f"含有处理指令 <?{data[:30]}>")

    def _attribute(self, local: str, name: str, value: str) -> None:
        if name.lower().startswith("xmlns"):
            return                  # namespace names are identifiers, never loaded
        if local.startswith("on"):
            self._report(f"含有事件属性 {name}（网页脚本）")
        elif _script_url(value):
            self._report(f"含有“javascript:”链接（{name}）")
        elif local in ("href", "src") and value.strip() and not value.strip().startswith("#") and not same_site(value):
            self._report(f"引用了其他网站或其他协议的地址“{value[:60]}”（{name}）")
        else:
            self._urls(value)

    def _urls(self, text: str) -> None:
        for m in _URL_FUNCTION.finditer(text):
            url = m.group(2) if m.group(2) is not None else m.group(4)
            if url and not url.strip().startswith("#") and not same_site(url):
                # A <style>'s text starts at the parser's position: count the lines within it.
                self._report(f"在样式中引用了其他网站的地址“{url[:60]}”", text.count("\n", 0, m.start()))


__all__ = ["unsafe_files", "svg_problem", "REFUSED_SUFFIXES"]
