"""What ``check --fix`` may touch in front matter, and the proof that it changed only that.

Two guards keep ``--fix`` from changing what an editor meant:

- lines inside a multi-line scalar (a ``|`` or ``>`` block, a quoted value that goes on
  to the next lines) are text, not fields: ``tel:0575…`` there is a phone number;
- after the fix, every field the fix did not target reads back with the value it had.
  Front matter that was valid YAML must read back identical: only how it is written
  may change. Otherwise the file is left as it was (``check`` still reports it).
"""
from __future__ import annotations

import re

from ..content.load import parse_doc
from ..content.yaml_lines import reads_alone

# A top-level field: its name, then the value as written.
_TOP_KEY = re.compile(r"^(?P<key>[A-Za-z_][A-Za-z0-9_-]{0,40})[ \t]*[:：][ \t\u3000]*(?P<value>.*)$")
_BLOCK = re.compile(r"^[|>][0-9+-]*[ \t]*(#.*)?$")


def text_lines(lines: list[str]) -> list[bool]:
    """For each line, whether it is part of a multi-line scalar (a quoted value left open
    counts from its first line; a block from the line after its ``|`` or ``>``)."""
    mask: list[bool] = []
    block, quote = False, ""
    for text in lines:
        if quote:
            mask.append(True)
            quote = "" if _closes(text, quote, 0) else quote
            continue
        if block and (not text.strip() or text[:1] in " \t"):
            mask.append(True)
            continue
        block, quote = _opens(text)
        mask.append(bool(quote))        # a quote left open: its first line is text too
    return mask


def _opens(text: str) -> tuple[bool, str]:
    """(a block scalar starts, the quote left open) for a top-level field's line."""
    m = _TOP_KEY.match(text)
    if not m:
        return False, ""
    value = m["value"].strip()
    if _BLOCK.match(value):
        return True, ""
    opener = value[:1]
    if opener in ("'", '"') and not _closes(value, opener, 1):
        return False, opener
    return False, ""


def _closes(text: str, quote: str, start: int) -> bool:
    """Whether ``text`` from ``start`` holds the quote's closing character (YAML escapes)."""
    i = start
    while i < len(text):
        ch = text[i]
        if quote == '"' and ch == "\\":
            i += 2
            continue
        if ch == quote:
            if quote == "'" and text[i + 1:i + 2] == "'":
                i += 2
                continue
            return True
        i += 1
    return False


def targeted_keys(old: list[str], new: list[str]) -> set[str]:
    """The top-level fields whose lines the fix changed (an indented line: its field's)."""
    keys: set[str] = set()
    current = ""
    for before, after in zip(old, new):
        for text in (before, after):
            m = _TOP_KEY.match(text)
            if m and text[:1] not in " \t\u3000":
                current = m["key"]
        if before != after and current:
            keys.add(current)
    return keys


def keeps_values(old: list[str], new: list[str]) -> bool:
    """Whether the fixed front matter reads back, for every field it did not target, as before."""
    # Each line with its line end, as in the file: a block scalar's last line keeps its "\n".
    after = reads_alone("".join(t + "\n" for t in new)) if any(t.strip() for t in new) else {}
    if after is None:
        return False
    before = reads_alone("".join(t + "\n" for t in old))
    if before is not None:               # valid already: only how it is written may change
        return before == after
    doc, _ = parse_doc("---\n" + "\n".join(old) + "\n---\n", "")
    if doc is None:
        return False
    targeted = targeted_keys(old, new)
    untouched = {k: v for k, v in doc.meta.items() if k not in targeted}
    return (all(after.get(k) == v for k, v in untouched.items())
            and set(after) <= set(doc.meta) | targeted)
