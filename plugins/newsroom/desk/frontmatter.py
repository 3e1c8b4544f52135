"""What the desk writes: Decap's front matter turned back into the editors' own format.

Decap re-serialises the whole front matter on every save: fields move to its config's order,
``[a, b]`` becomes a block list, comments vanish, quotes change. The backend passes every saved
entry through ``normalise`` so that a file changes only where the editor changed it:

- a field whose value did not change keeps its original lines, byte for byte (comments, quotes,
  flow or block list, the date as it was written);
- an optional field the file had empty (``kicker:`` from ``newsroom new``) stays, though Decap
  drops empty fields;
- a new or changed field is written as ``newsroom new`` and the content model show it: at its
  place in the schema's order, ``key: 值`` plain when YAML reads it back as the same text,
  double-quoted otherwise, scalar lists in flow style (``[a, b]``), lists of mappings in block
  style, dates as ``YYYY-MM-DD HH:mm`` in the site's time zone (Decap's ISO/UTC forms converted);
- a boolean the file did not have is not added as ``false`` (the default; Decap writes them all);
- ``slug`` is dropped when it only repeats the file name (articles without a ``slug:`` line,
  brands and workers, whose id *is* the file name: the desk needs it to name a new file).

Values are compared as the content model reads them (``yaml.BaseLoader``: every value text), and
dates as the instant they name. Decap's text is trusted for nothing but the values.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from typing import Any, Optional
from zoneinfo import ZoneInfo

import yaml

from ..core.dates import DateError, parse_datetime
from ..core.model import SCHEMAS

_KEY_LINE = re.compile(r"^([^\s#\-?][^:]*?|-[^\s:][^:]*?)[ \t]*:(?:[ \t]|$)")
_PLAIN_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(?: \d{2}:\d{2})?$")
_UNPRINTABLE = yaml.reader.Reader.NON_PRINTABLE
EMPTY: tuple[Any, ...] = ("", None, [], {})
# Keys the desk adds for naming files only: dropped when they repeat the file name.
NAMING_KEY = "slug"


@dataclass
class Chunk:
    """One top-level key of a front matter with its lines (comments above it included)."""

    key: Optional[str]
    text: str

    def value(self) -> Any:
        try:
            data = yaml.load(self.text, Loader=yaml.BaseLoader)
        except yaml.YAMLError:
            return _UNREADABLE
        return data.get(self.key) if isinstance(data, dict) else _UNREADABLE


_UNREADABLE = object()


def split(text: str) -> tuple[Optional[str], str]:
    """``(front matter text, body)``; ``None`` when the file has no front matter."""
    if not text.startswith("---\n"):
        return None, text
    end = text.find("\n---\n", 3)
    if end < 0:
        if text.endswith("\n---"):
            return text[4:len(text) - 3], ""
        return None, text
    return text[4:end + 1], text[end + 5:]


def chunks(head: str) -> list[Chunk]:
    """The front matter cut at its top-level keys; trailing comments form a keyless chunk."""
    out: list[Chunk] = []
    pending = ""
    for line in head.splitlines(keepends=True):
        m = _KEY_LINE.match(line)
        if m:
            out.append(Chunk(m.group(1).strip().strip("'\""), pending + line))
            pending = ""
        elif line.startswith("#") or not out:
            pending += line
        elif pending:
            pending += line
        else:
            out[-1].text += line
    if pending:
        out.append(Chunk(None, pending))
    return out


# ------------------------------------------------------------------ rendering

def _plain_ok(text: str, flow: bool) -> bool:
    if not text or text != text.strip() or "\n" in text or "\t" in text:
        return False
    probe = f"k: [{text}]\n" if flow else f"k: {text}\n"
    try:
        back = yaml.load(probe, Loader=yaml.BaseLoader)
    except yaml.YAMLError:
        return False
    return back == {"k": [text] if flow else text}


def _typed_as_text(text: str) -> bool:
    """Whether a YAML 1.1 reader (Decap's, Python's SafeLoader) also reads ``text`` as text."""
    try:
        return isinstance(yaml.safe_load(f"k: {text}\n")["k"], str)
    except yaml.YAMLError:
        return False


def scalar(text: str, kind: str = "text", flow: bool = False) -> str:
    """``text`` as a YAML scalar an editor would write: plain if safe, else double-quoted."""
    if _plain_ok(text, flow) and (kind != "text" or _typed_as_text(text)):
        return text
    return _quoted(text)


def _quoted(text: str) -> str:
    """Double-quoted; characters YAML may not hold raw (DEL, C1 controls) as ``\\uXXXX``."""
    return _UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(text, ensure_ascii=False))


def render(key: str, value: Any, kind: str = "text") -> str:
    """One field, canonically (see the module doc)."""
    if isinstance(value, list):
        if all(isinstance(v, str) for v in value):
            return f"{key}: [{', '.join(scalar(v, flow=True) for v in value)}]\n"
        return f"{key}:\n" + "".join(_block_item(v) for v in value)
    if isinstance(value, dict):
        return f"{key}:\n" + "".join("  " + render(k, v, "any") for k, v in value.items())
    text = "" if value is None else str(value)
    if "\n" in text and not _UNPRINTABLE.search(text) and text == text.lstrip(" \n"):
        body = text.rstrip("\n")
        indicator = "|" if text.endswith("\n") and not text.endswith("\n\n") else "|-"
        return f"{key}: {indicator}\n" + "".join(f"  {line}\n" if line else "\n" for line in body.split("\n"))
    return f"{key}: {scalar(text, kind)}\n"


def _block_item(value: Any) -> str:
    if isinstance(value, dict):
        lines = [render(k, v, "any") for k, v in value.items()] or ["{}\n"]
        first, *rest = "".join(lines).splitlines(keepends=True)
        return "  - " + first + "".join("    " + line for line in rest)
    return "  - " + render("k", value, "any")[3:]


# ------------------------------------------------------------------ dates

def _instant(value: Any, tz: ZoneInfo) -> Optional[dt.datetime]:
    try:
        return parse_datetime(value, tz) if isinstance(value, str) else None
    except DateError:
        return None


def _date_text(value: Any, tz: ZoneInfo) -> Any:
    """A date Decap wrote in another form (ISO, UTC) as the content model shows it."""
    if not isinstance(value, str) or _PLAIN_DATE.match(value):
        return value
    when = _instant(value, tz)
    return when.astimezone(tz).strftime("%Y-%m-%d %H:%M") if when else value


def _same(old: Any, new: Any, kind: str, tz: ZoneInfo) -> bool:
    if old == new:
        return True
    if kind == "datetime":
        a, b = _instant(old, tz), _instant(new, tz)
        return a is not None and a == b
    return False


# ------------------------------------------------------------------ the whole entry

def _new_values(head: str) -> dict[str, Any]:
    data = yaml.load(head, Loader=yaml.BaseLoader) if head.strip() else {}
    if not isinstance(data, dict):
        raise ValueError("front matter is not a mapping")
    return data


def _order(kind: str) -> list[str]:
    return list(SCHEMAS[kind].table()) if kind in SCHEMAS else []


def normalise(new_text: str, old_text: Optional[str], kind: str, stem: str, tz: ZoneInfo) -> str:
    """The file to write for Decap's ``new_text`` (see the module doc); ``old_text`` is the
    file on disk before the save (``None`` for a new entry)."""
    new_head, body = split(new_text)
    if new_head is None:
        return new_text
    try:
        values = _new_values(new_head)
    except (yaml.YAMLError, ValueError):
        return new_text                     # not ours to repair: check reports it
    types = SCHEMAS[kind].table() if kind in SCHEMAS else {}
    old_head = split(old_text)[0] if old_text is not None else None
    old = {c.key: c for c in chunks(old_head or "")}
    if values.get(NAMING_KEY) == stem and (kind in ("brand", "worker") or NAMING_KEY not in old):
        values.pop(NAMING_KEY)
    out: dict[Optional[str], str] = {}
    for chunk in chunks(old_head or ""):
        if chunk.key is None or chunk.key not in values and chunk.value() in EMPTY:
            out[chunk.key] = chunk.text                     # comments, and empty fields Decap dropped
        elif chunk.key in values:
            new = values[chunk.key]
            kept = chunk.value() is not _UNREADABLE and _same(chunk.value(), new, types.get(chunk.key, ""), tz)
            out[chunk.key] = chunk.text if kept else _leading_comments(chunk) + _fresh(chunk.key, new, types, tz)
    order = _order(kind)
    for key, new in values.items():
        if key in out or new in EMPTY or (types.get(key) == "bool" and new == "false"):
            continue                        # Decap writes every boolean; false is the default
        out = _insert(out, key, _fresh(key, new, types, tz), order)
    return "---\n" + "".join(out.values()) + "---\n" + body


def _fresh(key: str, value: Any, types: dict[str, str], tz: ZoneInfo) -> str:
    kind = types.get(key, "text")
    if kind == "datetime":
        value = _date_text(value, tz)
    return render(key, value, kind)


def _leading_comments(chunk: Chunk) -> str:
    lines = chunk.text.splitlines(keepends=True)
    return "".join(line for line in lines[:_first_key_line(lines)])


def _first_key_line(lines: list[str]) -> int:
    return next((i for i, line in enumerate(lines) if _KEY_LINE.match(line)), len(lines))


def _insert(out: dict[Optional[str], str], key: str, text: str, order: list[str]) -> dict[Optional[str], str]:
    """``out`` with ``key`` after the last present key the schema puts before it (unknown keys
    and keys the schema puts last go before trailing comments)."""
    items = list(out.items())
    at = len(items) - (1 if items and items[-1][0] is None else 0)
    if key in order:
        before = set(order[:order.index(key)])
        later = [i for i, (k, _) in enumerate(items) if k in order and k not in before]
        at = min(later) if later else at
    items.insert(at, (key, text))
    return dict(items)


__all__ = ["normalise", "render", "scalar", "split", "chunks", "Chunk"]
