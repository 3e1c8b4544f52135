"""Article bodies through an allow-list, and text that XML can carry.

Correspondents paste from Word and WeChat: a paste brings ``<script>``, event
handlers, ``<style>``, comments, unclosed ``<div>``s and images from other sites.
Every body becomes HTML through Python-Markdown, and that HTML goes through
``clean_html`` once (``mdext.py``'s postprocessor): the page, the feeds (which
reuse the page's HTML) and the summary see the same cleaned markup; search,
which reads the Markdown, drops the same things with ``search_markdown``.

``clean_html`` is nh3 (Ammonia): it parses like a browser and re-serializes, so
tags are balanced and nothing outside the lists below survives. What Markdown
and our extensions produce is on the lists, so their output is unchanged but
for serialization details (``<br />`` is written ``<br>``, ``&#8617;`` as the
character itself, a no-break space as ``&nbsp;``).

``body_problems`` (sanitize_report.py) tells editors, at the file's line, what
the cleaning will remove. ``xml_text`` removes the characters XML 1.0 forbids.
"""
from __future__ import annotations

import re
import threading
from typing import Any, Callable, Optional

import nh3

from ..core.problems import WARNING, Problem
from .origin import same_site, same_site_srcset

# What editors legitimately paste, and everything Python-Markdown, its extensions
# (tables, footnotes, admonition, toc, attr_list, md_in_html) and mdext.py write.
TAGS = frozenset({
    "a", "abbr", "b", "bdi", "bdo", "blockquote", "br", "caption", "cite", "code", "col",
    "colgroup", "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p",
    "picture", "pre", "q", "rp", "rt", "ruby", "s", "samp", "small", "span", "strong", "sub", "summary", "sup",
    "source", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul", "var", "wbr",
})
# Removed with everything inside them: their content is code or another document, never text.
DROPPED_WITH_CONTENT = frozenset({"script", "style", "template", "iframe", "object", "noscript",
                                  "title", "textarea", "select"})
GENERIC_ATTRIBUTES = frozenset({"id", "class", "title", "lang", "dir"})
ATTRIBUTES: dict[str, frozenset[str]] = {
    "a": frozenset({"href", "hreflang"}),
    "img": frozenset({"src", "alt", "width", "height", "loading", "decoding", "srcset", "sizes"}),
    # <picture> of body photos (mdext.py): same-site variants only, as for <img srcset>.
    "source": frozenset({"srcset", "sizes", "type", "media", "width", "height"}),
    "td": frozenset({"colspan", "rowspan", "align", "headers"}),
    "th": frozenset({"colspan", "rowspan", "align", "headers", "scope", "abbr"}),
    "col": frozenset({"span", "align"}),
    "colgroup": frozenset({"span"}),
    "ol": frozenset({"start", "type", "reversed"}),
    "li": frozenset({"value"}),
    "time": frozenset({"datetime"}),
    "blockquote": frozenset({"cite"}),
    "q": frozenset({"cite"}),
    "del": frozenset({"cite", "datetime"}),
    "ins": frozenset({"cite", "datetime"}),
    "details": frozenset({"open"}),
}
# Python-Markdown's tables write alignment as a style: only these exact values are kept
# (so they stay byte for byte); any other style (Word's fonts, position:fixed overlays,
# background images from other sites) is removed.
ALIGN_STYLES = frozenset(f"text-align: {side};" for side in ("left", "right", "center"))
STYLE_VALUES = {"td": {"style": set(ALIGN_STYLES)}, "th": {"style": set(ALIGN_STYLES)}}
# Relative URLs pass; absolute ones only with these schemes (no javascript:, data:, vbscript:).
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})

# The attributes of allowed tags that make the browser load something (the HTML
# standard's fetching attributes: <a href>, <blockquote cite>… only load when followed).
LOADING_ATTRIBUTES: dict[str, dict[str, Callable[[str], bool]]] = {
    "img": {"src": same_site, "srcset": same_site_srcset},
    "source": {"srcset": same_site_srcset},
}
_dropped = threading.local()


def _same_site_only(tag: str, attribute: str, value: str) -> Optional[str]:
    """nh3's attribute filter: a loading attribute that leaves the site is removed (and noted)."""
    judge = LOADING_ATTRIBUTES.get(tag, {}).get(attribute)
    if judge is None or judge(value):
        return value
    noted = getattr(_dropped, "values", None)
    if noted is not None:
        noted.append((tag, attribute, value))
    return None


_CLEANER = nh3.Cleaner(
    tags=set(TAGS),
    clean_content_tags=set(DROPPED_WITH_CONTENT),
    attributes={"*": set(GENERIC_ATTRIBUTES), **{t: set(a) for t, a in ATTRIBUTES.items()}},
    tag_attribute_values=STYLE_VALUES,
    url_schemes=set(URL_SCHEMES),
    strip_comments=True,
    link_rel=None,          # links are kept as written (and as they were before)
    attribute_filter=_same_site_only,   # images from other sites: impossible, not just reported
)


def clean_html(html: str) -> str:
    """The body's HTML with only allowed tags, attributes and URLs, tags balanced;
    no image loads from another site."""
    return xml_text(_CLEANER.clean(html))


def dropped_loads(html: str) -> list[tuple[str, str, str]]:
    """``(tag, attribute, value)`` of each loading attribute ``clean_html`` removes from
    ``html`` because it leaves the site (what the editors' report reads back)."""
    _dropped.values = []
    try:
        _CLEANER.clean(html)
        return _dropped.values
    finally:
        _dropped.values = None


# ---------------------------------------------------------------- XML 1.0 characters

# C0 controls but tab, LF, CR; lone surrogates; U+FFFE and U+FFFF (XML 1.0, production Char).
_XML_FORBIDDEN = "\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff"
FORBIDDEN_IN_XML = re.compile(f"[{_XML_FORBIDDEN}]")


def xml_text(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids (a feed with one is not XML at all)."""
    return FORBIDDEN_IN_XML.sub("", text) if FORBIDDEN_IN_XML.search(text) else text


# Format characters that pastes from Word, WeChat and web pages bring: XML allows them, but
# they are invisible, split words (a search for 劳模工匠 misses 劳模\u200b工匠), and bidi
# controls can reorder a headline. Removed when read, with a warning, as the ones above. Left
# alone: ZWJ and ZWNJ (emoji sequences), variation selectors (not format characters), and a
# BOM at the very start (the file's encoding mark: load.py reads it as such).
INVISIBLE = "\u00ad\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
_STRIPPED = re.compile(f"[{_XML_FORBIDDEN}{INVISIBLE}]")

_CHARACTER_ZH = {"\x0b": "垂直制表符，多由 Word 的 Shift+Enter 换行带来", "\x08": "退格符",
                 "\x0c": "换页符", "\x00": "空字符", "\u200b": "零宽空格，多由微信或网页复制带来",
                 "\u00ad": "软连字符，多由 Word 带来", "\ufeff": "零宽不换行空格",
                 "\u2060": "词连接符", "\u200e": "文字方向标记", "\u200f": "文字方向标记",
                 **{chr(c): "文字方向控制符" for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]}}


def parse_clean(text: str, display: str, parse: Callable[[str, str], tuple[Any, list[Problem]]]
                ) -> tuple[Any, list[Problem]]:
    """``parse(text, display)`` (load's front matter + body split) on ``text`` without the
    characters XML forbids and the invisible ones (``INVISIBLE``), with a warning at each line
    that had some. Front matter values are cleaned too: a YAML escape ("\\v", "\\u200b")
    makes them after the text was read."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")   # as parse_doc
    problems: list[Problem] = []
    if _STRIPPED.search(text):
        lines = text.split("\n")
        for number, line in enumerate(lines, start=1):
            found = _STRIPPED.findall(line)
            if found:
                problems.append(_invisible(display, number, found))
                lines[number - 1] = _STRIPPED.sub("", line)
        text = "\n".join(lines)
    doc, found = parse(text, display)
    if doc is not None and "\\" in text:
        problems.extend(_clean_meta(doc))
    return doc, problems + found


def _clean_meta(doc: Any) -> list[Problem]:
    problems = []
    for key, value in doc.meta.items():
        chars = _STRIPPED.findall("".join(_strings(value)))
        if chars:
            doc.meta[key] = _clean_value(value)
            problems.append(_invisible(doc.path, doc.lines.get(key, 1), chars))
    return problems


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        value = [*value.keys(), *value.values()]
    return [s for v in value for s in _strings(v)] if isinstance(value, list) else []


def _clean_value(value: Any) -> Any:
    if isinstance(value, str):
        return visible_text(value)
    if isinstance(value, list):
        return [_clean_value(v) for v in value]
    if isinstance(value, dict):
        return {k: _clean_value(v) for k, v in value.items()}
    return value


def visible_text(text: str) -> str:
    """``text`` as it is kept when read: without the characters XML forbids nor ``INVISIBLE``."""
    return _STRIPPED.sub("", text)


def _invisible(path: str, line: int, chars: list[str]) -> Problem:
    names = "、".join(dict.fromkeys(f"U+{ord(c):04X}" + (f"（{_CHARACTER_ZH[c]}）" if c in _CHARACTER_ZH else "")
                                    for c in chars))
    if any(FORBIDDEN_IN_XML.match(c) for c in chars):
        return Problem(path, line, f"这一行有看不见的控制字符 {names}，已自动删除",
                       "订阅源（RSS）不能包含这些字符；确认这一行的文字无误即可", WARNING)
    return Problem(path, line, f"这一行有看不见的字符 {names}，已自动删除",
                   "这些字符会把词语隔开，读者搜索时就找不到；确认这一行的文字无误即可", WARNING)


# ---------------------------------------------------------------- search text

# What clean_html drops with its content, and comments: search must not find their text
# either. An element left open runs to the end, as in a browser.
_DROPPED_IN_MARKDOWN = re.compile(
    r"<!--.*?(?:-->|\Z)|<(" + "|".join(sorted(DROPPED_WITH_CONTENT)) + r")\b.*?(?:</\1\s*>|\Z)",
    re.S | re.I)


def search_markdown(markdown: str) -> str:
    """Markdown without comments and without what clean_html removes with its content."""
    if "<" not in markdown:
        return markdown
    return _DROPPED_IN_MARKDOWN.sub("", markdown)


__all__ = ["clean_html", "dropped_loads", "LOADING_ATTRIBUTES", "xml_text", "parse_clean", "search_markdown", "FORBIDDEN_IN_XML", "TAGS", "ATTRIBUTES",
           "GENERIC_ATTRIBUTES", "DROPPED_WITH_CONTENT", "URL_SCHEMES", "ALIGN_STYLES"]
