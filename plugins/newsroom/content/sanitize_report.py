"""What ``sanitize.clean_html`` will remove from a body, said to the editor at the file's line.

The cleaning itself happens on the rendered HTML, where lines are lost; this reads
the Markdown source with an HTML tokenizer (which knows the line of every tag) and
judges each tag, attribute and URL by the same lists as the cleaner. Code (fenced
blocks, code spans) is blanked first: a ``<script>`` there is shown, not run.

Warnings, one per line, list what goes. An image or frame from another site is an
error: the site promises that readers' browsers call no other origin. Images are
judged on the rendered HTML (``body_loads``: what the cleaner drops), frames here.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Optional
from urllib.parse import urlsplit

from ..core.problems import ERROR, WARNING, Problem
from .body_loads import external_image_problems
from .origin import same_site
from .sanitize import ALIGN_STYLES, ATTRIBUTES, DROPPED_WITH_CONTENT, GENERIC_ATTRIBUTES, TAGS, URL_SCHEMES

_URL_ATTRIBUTES = frozenset({"href", "src", "cite"})
_EMBEDS = frozenset({"iframe", "frame", "embed", "object", "video", "audio", "source", "picture"})
# Tags whose missing end tag lets the rest of the page (the footer) fall inside them.
_MUST_CLOSE = frozenset({"div", "table", "blockquote", "figure", "details", "ul", "ol", "dl",
                         "span", "a", "b", "strong", "em", "i", "u", "sup", "sub"})
# Raw HTML blocks: Markdown leaves everything up to their end tag as it is.
_BLOCKS = frozenset({"div", "table", "blockquote", "figure", "details", "ul", "ol", "dl"})
_VOID = frozenset({"br", "hr", "img", "wbr", "col", "area", "base", "embed", "input", "link", "meta",
                   "source", "track", "param"})
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,}).*?^ {0,3}\1[ \t]*$|^ {0,3}(`{3,}|~{3,}).*\Z", re.M | re.S)
_CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.S)
# Markdown links and images, inline and as definitions: ](url) and [x]: url
_MD_URL = re.compile(r"(!?)\[[^\]\n]*\]\(\s*<?([^)\s>]+)|^ {0,3}\[[^\]\n]+\]:\s*<?(\S+?)>?(?:\s|$)", re.M)
# attr_list may write any attribute: ![x](a.jpg){onerror=...}
_ATTR_LIST_EVENT = re.compile(r"\{[^}\n]*?\b(on[a-z]+)\s*=")
# Markdown's own autolinks, <https://…> and <name@example.com>: links, not tags.
_AUTOLINK = re.compile(r"<(?:(?:https?|ftp)://[^<>]*|[^<> !]+@[^@<> ]+)>\Z", re.I)


def body_problems(body: str, first_line: int, path: str) -> list[Problem]:
    """Problems for everything the allow-list removes from ``body`` (file line ``first_line``)."""
    images = external_image_problems(body, first_line, path)
    return images + _source_problems(body, first_line, path)


def _source_problems(body: str, first_line: int, path: str) -> list[Problem]:
    if "<" not in body and "](" not in body and "]:" not in body and "{" not in body:
        return []   # plain prose: most bodies stop here
    text = _blank_code(body)
    found = _Found(path, first_line)
    if "<" in text:
        _Scanner(found).scan(text)
    _markdown_urls(text, found)
    return found.problems()


def _blank_code(body: str) -> str:
    """``body`` with code replaced by spaces (line breaks kept, so lines still count)."""
    def blank(m: re.Match) -> str:
        return re.sub(r"[^\n]", " ", m.group(0))
    if "```" in body or "~~~" in body:
        body = _FENCE.sub(blank, body)
    return _CODE_SPAN.sub(blank, body) if "`" in body else body


class _Found:
    """Removed things per body line; errors on their own."""

    def __init__(self, path: str, first_line: int) -> None:
        self.path, self.first_line = path, first_line
        self.removed: dict[int, list[str]] = {}
        self.errors: list[Problem] = []

    def remove(self, line: int, what: str) -> None:
        listed = self.removed.setdefault(line, [])
        if what not in listed:
            listed.append(what)

    def error(self, line: int, message: str, hint: str, level: str = ERROR) -> None:
        self.errors.append(Problem(self.path, self.first_line + line - 1, message, hint, level))

    def problems(self) -> list[Problem]:
        out = list(self.errors)
        for line, things in sorted(self.removed.items()):
            out.append(Problem(self.path, self.first_line + line - 1,
                               f"正文中有不能发布的代码，已自动删除：{'、'.join(things)}",
                               "多半是从 Word 或微信粘贴带来的；确认页面显示无误即可，也可以删掉这些代码", WARNING))
        return out


class _Scanner(HTMLParser):
    def __init__(self, found: _Found) -> None:
        super().__init__(convert_charrefs=True)
        self.found = found
        self.open: list[tuple[str, int]] = []

    def scan(self, text: str) -> None:
        try:
            self.feed(text)
            self.close()
        except AssertionError:   # Python < 3.13 gives up on some "<!" forms; report what came before
            pass
        for tag, line in self.open:
            if tag in _MUST_CLOSE:
                swallowed = "，Markdown 不再转换" if tag in _BLOCKS else ""
                self.found.error(line, f"<{tag}> 没有对应的 </{tag}>：其后的正文都在它里面{swallowed}",
                                 f"在该结束的地方补上 </{tag}>；网页会在正文末尾自动补上", WARNING)

    @property
    def line(self) -> int:
        return self.getpos()[0]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, Optional[str]]]) -> None:
        self._tag(tag, attrs)
        if tag in TAGS and tag not in _VOID:
            self.open.append((tag, self.line))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, Optional[str]]]) -> None:
        self._tag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.open) - 1, -1, -1):
            if self.open[i][0] == tag:
                del self.open[i:]
                return

    def handle_comment(self, data: str) -> None:
        self.found.remove(self.line, "HTML 注释 <!-- -->")

    def handle_decl(self, decl: str) -> None:
        self.found.remove(self.line, f"<!{decl[:20]}>")

    def handle_pi(self, data: str) -> None:
        self.found.remove(self.line, f"<?{data[:20]}>")

    def unknown_decl(self, data: str) -> None:
        self.found.remove(self.line, f"<![{data[:20]}]>")

    def _tag(self, tag: str, attrs: list[tuple[str, Optional[str]]]) -> None:
        if (":" in tag or "@" in tag) and _AUTOLINK.match(self.get_starttag_text() or ""):
            return
        line = self.line
        if tag in _EMBEDS:     # images: body_loads, from the rendered HTML
            _external_source(tag, attrs, line, self.found)
        if tag == "img" or tag in _EMBEDS:
            _lazy_source(tag, attrs, line, self.found)
        if tag not in TAGS:
            if tag in DROPPED_WITH_CONTENT:
                self.found.remove(line, f"<{tag}> 及其内容")
            else:
                self.found.remove(line, f"<{tag}> 标签" + ("" if tag in _VOID else "（其中的文字保留）"))
            return
        allowed = GENERIC_ATTRIBUTES | ATTRIBUTES.get(tag, frozenset())
        for name, value in attrs:
            what = _attribute_removed(tag, name, value or "", allowed)
            if what:
                self.found.remove(line, what)


def _attribute_removed(tag: str, name: str, value: str, allowed: frozenset[str]) -> str:
    """What goes of this attribute, '' if it stays."""
    if name.startswith("on"):
        return f"事件属性 {name}（网页脚本）"
    if name == "style":
        return "" if tag in ("td", "th") and value in ALIGN_STYLES else "style 样式"
    if name not in allowed:
        return f"属性 {name}"
    if name in _URL_ATTRIBUTES and _bad_scheme(value):
        return f"“{_scheme(value)}:”开头的链接"
    return ""


def _scheme(url: str) -> str:
    # As browsers read it: spaces and control characters inside the scheme do not count.
    cleaned = re.sub(r"[\x00-\x20]+", "", url)
    return urlsplit(cleaned).scheme.lower() if ":" in cleaned else ""


def _bad_scheme(url: str) -> bool:
    scheme = _scheme(url)
    return bool(scheme) and scheme not in URL_SCHEMES


def _is_external(url: str) -> bool:
    return bool(url.strip()) and not same_site(url)


# Where lazy-loading pages keep an image's real address (WeChat's articles: data-src on
# mmbiz.qpic.cn): a paste keeps the attribute, the cleaning drops it, and the photo the editor
# saw would silently be missing from the page. So it is an error where it is the only address:
# from elsewhere as a src elsewhere is, of the site's own with the fix (call it src) in the hint.
_LAZY_SOURCES = ("data-src", "data-original", "data-lazy-src", "data-actualsrc")


def _external_source(tag: str, attrs: list[tuple[str, Optional[str]]], line: int, found: _Found) -> None:
    for name, value in attrs:
        urls = [c.strip().split(" ")[0] for c in (value or "").split(",")] if name == "srcset" else [value or ""]
        if name in ("src", "srcset", "data", "poster") and any(_is_external(u) for u in urls):
            shown = (value or "")[:80]
            found.error(line, f"正文嵌入了其他网站的内容 <{tag}>“{shown}”：本站不引用其他网站的资源",
                        "删掉这段嵌入代码；图片请下载后放进 content/images/，视频请放到本站")
            return


def _lazy_source(tag: str, attrs: list[tuple[str, Optional[str]]], line: int, found: _Found) -> None:
    """An image whose only address is a lazy-loading one: the cleaning drops it, the image is gone.
    With a ``src`` of its own it shows (an external ``src`` is body_loads' error already)."""
    if any(name in ("src", "srcset") and (value or "").strip() for name, value in attrs):
        return
    for name, value in attrs:
        url = (value or "").strip()
        if name not in _LAZY_SOURCES or not url:
            continue
        if _is_external(url):
            found.error(line, f"正文里的图片 <{tag} {name}=“{(value or '')[:80]}”> 在其他网站上"
                              "（多半是从微信公众号文章复制来的）：本站不引用其他网站的图片，这张图不会显示",
                        "把图片保存下来放进 content/images/，再在这里写 ![图片说明](images/文件名.jpg)")
        else:
            found.error(line, f"正文里的图片 <{tag} {name}=“{(value or '')[:80]}”> 没有 src，网页上不会显示",
                        f"把 {name} 改成 src，或者写成 ![图片说明]({url[:80]})")
        return


def _markdown_urls(text: str, found: _Found) -> None:
    if "](" not in text and "]:" not in text and "{" not in text:
        return
    for m in _MD_URL.finditer(text):
        line = text.count("\n", 0, m.start()) + 1
        image, url = m.group(1), m.group(2) or m.group(3)
        if _bad_scheme(url):
            found.remove(line, f"“{_scheme(url)}:”开头的{'图片' if image else '链接'}")
    for m in _ATTR_LIST_EVENT.finditer(text):
        found.remove(text.count("\n", 0, m.start()) + 1, f"事件属性 {m.group(1)}（网页脚本）")


__all__ = ["body_problems"]
