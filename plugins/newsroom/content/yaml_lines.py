"""Single front-matter lines as editors type them, read and repaired one at a time.

``load`` uses these once YAML has failed (to read a quoted headline, or to set a
bad line aside so the file's other problems are still found); ``fix`` uses the
same repairs to rewrite files in place. Nothing here knows of files or MkDocs.
"""
from __future__ import annotations

import re

import yaml

try:
    _Loader = yaml.CBaseLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.BaseLoader

# Top-level fields whose value is free text (headlines, names, captions): a quote,
# bracket or `#` in them is part of the text an editor meant, not YAML syntax.
TEXT_KEYS = frozenset({
    "title", "kicker", "subtitle", "summary", "source", "column", "region", "image_caption",
    "image_credit", "caption", "name", "slogan", "owner", "family", "attribute", "occupation",
    "employer", "description", "author", "issuer",
})
_CLOSERS = {'"': '"', "'": "'", "[": "]", "{": "}"}
OPENER_ZH = {'"': "英文双引号", "'": "英文单引号", "[": "方括号", "{": "花括号"}
# `title: …` at the start of a line; the colon may be a full-width one.
_KEY_LINE = re.compile(r"^(?P<key>[A-Za-z_][A-Za-z0-9_-]{0,40})[ \t]*(?P<colon>[:：])"
                       r"(?P<space>[ \t\u3000]*)(?P<value>.*)$")
# A comment as editors copy it from the template: `   # 引题`, a space after the #.
_TEMPLATE_COMMENT = re.compile(r"[ \t]+#[ \t\u3000].*$")
# ` #柯工暖`: YAML reads it as a comment; an editor means a hashtag in the text.
_HASHTAG = re.compile(r"[ \t]+#(?P<rest>[^\s#].*)$")


def yaml_quote(text: str) -> str:
    """``text`` as one YAML scalar that reads back exactly as ``text``."""
    if "'" not in text:
        return f"'{text}'"
    if '"' not in text and "\\" not in text:
        return f'"{text}"'
    return "'" + text.replace("'", "''") + "'"


def reads_alone(line: str) -> dict | None:
    """The mapping one line makes on its own, None if it is not valid YAML."""
    try:
        data = yaml.load(line, Loader=_Loader)
    except (yaml.YAMLError, RecursionError, ValueError, TypeError):
        return None
    return data if isinstance(data, dict) else None


def quoted_text(line: str) -> tuple[str, str, str] | None:
    """``title: "娘家人"送温暖到工地`` → (key, the opening character, the line to write).

    A text field whose value opens with a quote or bracket and goes on after it is
    closed (YAML fails on it): the editor meant the whole rest of the line as text.
    """
    m = _KEY_LINE.match(line)
    if not m or m["colon"] != ":" or m["key"] not in TEXT_KEYS:
        return None
    value = _TEMPLATE_COMMENT.sub("", m["value"]).strip()
    opener = value[:1]
    closer = _CLOSERS.get(opener)
    if closer is None or value.find(closer, 1) < 0 or reads_alone(line) is not None:
        return None       # no closing quote (a real mistake), or valid YAML as it is
    return m["key"], opener, f"{m['key']}: {yaml_quote(value)}"


def set_aside(line: str) -> str:
    """A line YAML failed on, made harmless so the rest of the file can be read.

    ``key: value`` at the top level keeps its key (so no "missing title" follows the
    real error) with its value as typed, or as text when that is not valid YAML;
    any other line becomes blank. Line numbers never change.
    """
    m = _KEY_LINE.match(line.lstrip("\t\u3000"))
    if not m or line[:1] == " ":
        return ""
    key, value = m["key"], _TEMPLATE_COMMENT.sub("", m["value"]).strip()
    plain = f"{key}: {value}"
    if reads_alone(plain) is not None:
        return plain
    # Text stays text; a broken list or date is read as empty, so the one error at
    # this line is not followed by others about the same mistake.
    return f"{key}: {yaml_quote(value)}" if key in TEXT_KEYS else f"{key}:"


def cut_by_comment(line: str, key: str, value_end: int) -> tuple[str, str] | None:
    """(the text YAML dropped as a comment, the line that keeps it) for a text field
    whose value is followed by ``#word`` on its line, e.g. ``title: 送清凉 #柯工暖 专场``."""
    if key not in TEXT_KEYS:
        return None
    m = _HASHTAG.match(line[value_end:])
    if not m:
        return None
    kept = _KEY_LINE.match(line)
    value = kept["value"].strip() if kept else ""
    return "#" + m["rest"], f"{key}: {yaml_quote(value)}"
