"""Plain text from Markdown: summaries, reading time, and the text the search index gets."""
from __future__ import annotations

import re
from functools import lru_cache
from html.parser import HTMLParser
from typing import Optional

import markdown

from ..content.sanitize import clean_html, search_markdown
from ..core.model import Article

# The site's extensions (site_config.yml) that change what a block is or which of its
# characters are text; toc and body image sizes change neither.
_SUMMARY_EXTENSIONS = ("attr_list", "tables", "footnotes", "admonition", "md_in_html")


_BLANK_LINE = re.compile(r"\n[ \t]*\n")


# A block without any of these characters (and not indented) is a paragraph that Markdown
# leaves as it is: most ledes are, and they skip the converter (10,000 articles per build).
_MARKUP = re.compile(r"[\\`*_{}\[\]<>#+\-.!|=&]")


# Link or footnote definitions anywhere in the body (even in a list) change how a "[" in
# the lede renders: a "]:" anywhere may be one.
_DEFINITION = re.compile(r"\]:")


# Raw HTML at the start of a line may be a block that a later block closes.
_HTML_BLOCK = re.compile(r"^[ \t]*<", re.MULTILINE)


# Paragraphs in these are not the article's own flow: quotes, lists, tables, figures.
_NOT_FLOW = frozenset({"blockquote", "li", "dl", "table", "pre", "figure", "details", "aside", "nav"})


_NOT_FLOW_CLASSES = ("admonition", "footnote")


_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                   "source", "track", "wbr"})


def _outside_flow(tag: str, attrs: list[tuple[str, Optional[str]]]) -> bool:
    classes = dict(attrs).get("class") or ""
    return tag in _NOT_FLOW or any(c in classes for c in _NOT_FLOW_CLASSES)


class _FirstParagraph(HTMLParser):
    """The text of the first <p> with text that is not in a quote, list, table or note."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[tuple[str, bool]] = []   # (tag, whether it leaves the article's flow)
        self.parts: list[str] = []
        self.in_p = False
        self.skip = 0                            # depth inside footnote references
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, Optional[str]]]) -> None:
        if self.text:
            return
        if tag in ("br", "wbr"):
            self.parts.append(" ")
        if tag in _VOID:
            return
        if tag == "p" and not self.in_p and not any(out for _, out in self.open):
            self.in_p, self.parts = True, []
        if self.in_p and tag == "sup" and (dict(attrs).get("id") or "").startswith("fnref"):
            self.skip += 1
        self.open.append((tag, _outside_flow(tag, attrs)))

    def handle_endtag(self, tag: str) -> None:
        if self.text or not any(t == tag for t, _ in self.open):
            return  # stray end tag in raw HTML
        while self.open:
            t, _ = self.open.pop()
            if t == "sup" and self.skip:
                self.skip -= 1
            if t == tag:
                break
        if tag == "p" and self.in_p:
            self.in_p = False
            self.text = " ".join("".join(self.parts).split())

    def handle_data(self, data: str) -> None:
        if self.in_p and not self.skip and not self.text:
            self.parts.append(data)


@lru_cache(maxsize=1)
def _summary_markdown() -> markdown.Markdown:
    # One converter, reset per use: building one costs more than converting a lede.
    # Pages are built in one thread, so it is never used by two at once.
    return markdown.Markdown(extensions=list(_SUMMARY_EXTENSIONS))


def _paragraph_text(markdown_text: str) -> str:
    """The first paragraph of some Markdown as plain text, '' if it has none."""
    md = _summary_markdown()
    md.reset()
    parser = _FirstParagraph()
    try:
        parser.feed(clean_html(md.convert(markdown_text)))   # as the page shows it: no script text
        parser.close()
    except AssertionError:  # Python < 3.13 gives up on raw HTML like "<![x"; keep what came before
        pass
    return parser.text


def _needs_whole_body(prefix: str, body: str) -> bool:
    """Whether later blocks may change how ``prefix`` renders.

    A block of raw HTML (a tag at the start of a line) may end in a later block; a "["
    may be a reference to a link or footnote defined further down.
    """
    return (_HTML_BLOCK.search(prefix) is not None
            or ("[" in prefix and _DEFINITION.search(body) is not None))


@lru_cache(maxsize=None)
def _first_paragraph(body: str) -> str:
    """The body's first paragraph as plain text: what Markdown makes of it, tags stripped.

    Markdown decides what is a paragraph (a lede "2021 年……" is one, "1. ……" is a list)
    and an HTML parser takes the text. Blocks end at blank lines and, but for raw HTML and
    definitions, what follows cannot change them: only the blocks up to the first paragraph
    are converted, in prefixes that double in length.
    """
    # The leading "\n" makes blank lines before the first block a separator too.
    blocks = [b for b in _BLANK_LINE.split("\n" + body) if b.strip()]
    if not blocks:
        return ""
    first = blocks[0]
    if not first[0].isspace() and not _MARKUP.search(first):
        return " ".join(first.split())
    n = 1
    while True:
        prefix = "\n\n".join(blocks[:n])
        if n >= len(blocks) or _needs_whole_body(prefix, body):
            return _paragraph_text(body)
        text = _paragraph_text(prefix)
        if text:
            return text
        n *= 2


def summary_text(body: str, limit: int = 120) -> str:
    """The first paragraph of a Markdown body as text, cut to about ``limit`` characters."""
    text = _first_paragraph(body)
    return text if len(text) <= limit else text[:limit].rstrip("，、；：,;: ") + "……"


def summary_of(article: Article, limit: int = 120) -> str:
    """The article's summary, else its first paragraph cut to about 120 characters."""
    return article.summary or summary_text(article.body, limit)


def reading_minutes(article: Article) -> int:
    """Chinese reading time: about 400 characters a minute, at least one."""
    body = article.body
    # str.count runs in C: a Python loop over every character cost 1% of a 10k build.
    chars = len(body) - sum(body.count(ch) for ch in " \n\t\u3000#*-|>[]()`_")
    return max(1, round(chars / 400))




_MD = [
    (re.compile(r"^---\s*$", re.M), ""),
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),
    (re.compile(r"\[([^\]]*)\]\([^)]*\)"), r"\1"),
    (re.compile(r"\{[:#.][^}]*\}"), ""),          # attr_list
    (re.compile(r"<[^>]+>"), ""),
    (re.compile(r"^\s{0,3}(#{1,6}|>|[-*+]|\d+\.)\s+", re.M), ""),
    (re.compile(r"^\s*\|?\s*:?-{3,}.*$", re.M), ""),   # table rules
    (re.compile(r"[*_`~|]+"), " "),
    (re.compile(r"\[\^[^\]]*\]:?"), ""),             # footnotes
]


def plain(markdown: str) -> str:
    text = search_markdown(markdown)   # what the page does not show, search does not find
    for pattern, repl in _MD:
        text = pattern.sub(repl, text)
    return "\n".join(" ".join(line.split()) for line in text.splitlines() if line.strip())


