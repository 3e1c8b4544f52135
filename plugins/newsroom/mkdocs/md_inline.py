"""Python-Markdown's inline processor, without trying every pattern on text none can match.

For each text of each element (a paragraph, a heading, a list item, a cell), the inline
processor runs every inline pattern in turn, a regular-expression search and some Python
per pattern: 15 per text, 230,000 pattern calls in a cold build of 2,000 articles, about a
third of their Markdown time. Most of an article's texts are plain Chinese sentences in
which no pattern can match, and then the processor returns the text unchanged.

``PlainTextSkipping`` returns such a text at once. Which texts those are is decided from
the patterns actually registered: each must be one of the patterns below, with exactly the
regular expression written here (Python-Markdown 3.11's), each of which can only match
where one of its characters is (``[``, ``<``, ``*`` ...). Any other pattern, or one whose
expression differs (another version, an extension adding its own), and nothing is skipped.
tests/test_markdown_page.py converts texts both ways.
"""
from __future__ import annotations

import re
from typing import Any, Optional

from markdown import util
from markdown.treeprocessors import InlineProcessor

# Pattern name -> (its expression, what any match of it contains).
_KNOWN: dict[str, tuple[str, str]] = {
    "backtick": ("(?:(?<!\\\\)((?:\\\\{2})+)(?=`+)|(?<!\\\\)`)", "`"),
    "escape": ("\\\\(.)", "\\\\"),
    "footnote": ("\\[\\^([^\\]]*)\\]", "\\["),
    "reference": ("(?<!\\!)\\[", "\\["),
    "link": ("(?<!\\!)\\[", "\\["),
    "image_link": ("\\!\\[", "\\["),
    "image_reference": ("\\!\\[", "\\["),
    "short_reference": ("(?<!\\!)\\[", "\\["),
    "short_image_ref": ("\\!\\[", "\\["),
    "autolink": ("<([A-Za-z][A-Za-z0-9+.-]*://[^<>]*)>", "<"),
    "automail": ("<([^<> !]+@[^@<> ]+)>", "<"),
    "linebreak": ("  \\n", "  \\n"),
    "html": ("(<(\\/?+[a-zA-Z][^\\s\"'<>@]*+(?:\\s+[^\\s\"'=<>]++(?:\\s*+=\\s*+(?:\"[^\"]*+\"|'[^']*+'|"
             "[^\\s\"'=<>]++))?+)*+\\s*+/?|!--(?:(?!<!--|-->).)*--|[?](?:(?!<[?]|[?]>).)*[?]|!\\[CDATA\\["
             "(?:(?!<!\\[CDATA\\[|\\]\\]>).)*\\]\\])>)", "<"),
    "entity": ("(&(?:\\#[0-9]+|\\#x[0-9a-fA-F]+|[a-zA-Z0-9]+);)", "&"),
    "em_strong": ("\\*|_", "\\*|_"),
}


def trigger(md: Any) -> Optional[re.Pattern]:
    """What a text must contain for any of ``md``'s inline patterns to match; None if one of
    them is not known here exactly."""
    needs = []
    for name in md.inlinePatterns._priority:
        pattern = md.inlinePatterns[name.name]
        known = _KNOWN.get(name.name)
        if known is None or pattern.getCompiledRegExp().pattern != known[0]:
            return None
        needs.append(known[1])
    return re.compile("|".join(dict.fromkeys(needs)) or "(?!)")


class PlainTextSkipping(InlineProcessor):
    """The inline processor, but a text in which no pattern can match is returned at once
    (what the patterns, none matching, would return). ``needs``: ``trigger(md)``."""

    needs: re.Pattern

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:
        if isinstance(data, util.AtomicString) or not self.needs.search(data):
            return data
        return super()._InlineProcessor__handleInline(data, patternIndex)


def skip_plain_text(md: Any) -> bool:
    """Make ``md``'s inline processor a ``PlainTextSkipping`` where every pattern is known."""
    inline = md.treeprocessors["inline"] if "inline" in md.treeprocessors else None
    needs = trigger(md)
    if type(inline) is not InlineProcessor or needs is None:
        return False
    inline.__class__ = PlainTextSkipping
    inline.needs = needs
    return True


__all__ = ["PlainTextSkipping", "skip_plain_text", "trigger"]
