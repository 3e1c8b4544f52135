"""A feed item's text parts from its schema: the whole Chinese headline, bylines, facts.

A Chinese news headline has up to three parts: 引题 (kicker, above), 主题 (the
title) and 副题 (subtitle, below, printed after a dash). Feeds have one title
field, which stays the 主题 (what readers and aggregators list); the kicker and
subtitle open the description and the content, so a newspaper that syndicates
the item gets the headline whole. Reporters (记者) and correspondents (通讯员)
are different roles in a Chinese byline: each name carries its role (the field's
label). A notice's facts (文号, 发文机关, 状态) open its item the same way, each
with its label. Which field plays which part is its ``F.feed`` (core/schema.FEED_ROLES).
"""
from __future__ import annotations

import html
from typing import Any

from ..core.schema import Schema


def _dashed(text: str) -> str:
    """A 副题 as printed: after a dash (unless the editor already wrote one)."""
    return text if not text or text.startswith(("—", "-")) else f"——{text}"


def headline_lines(schema: Schema, e: Any) -> list[str]:
    """The kicker and subtitle lines that open an item (empty when it has neither)."""
    lines = []
    for f in schema.fields():
        text = getattr(e, f.attr).strip() if ("kicker" in f.feed or "subhead" in f.feed) else ""
        if text:
            lines.append(_dashed(text) if "subhead" in f.feed else text)
    return lines


def facts(schema: Schema, e: Any) -> list[str]:
    """The facts that have a value, each with its label: 文号：柯工〔2022〕19号."""
    return [f"{f.zh}：{getattr(e, f.attr)}" for f in schema.with_role("fact") if getattr(e, f.attr)]


def description(schema: Schema, e: Any, summary: str) -> str:
    """The feed description: kicker and subtitle lines, then the summary."""
    return "\n".join([*headline_lines(schema, e), summary]).strip()


def headline_html(schema: Schema, e: Any) -> str:
    """The kicker and subtitle (or the facts) as HTML paragraphs, to open the content."""
    parts = []
    for f in schema.fields():
        text = getattr(e, f.attr).strip() if ("kicker" in f.feed or "subhead" in f.feed) else ""
        if text:
            shown = _dashed(text) if "subhead" in f.feed else text
            parts.append(f'<p class="nr-{f.name}">{html.escape(shown)}</p>')
    head = "".join(parts) + ("\n" if parts else "")
    return head + "".join(f"<p>{html.escape(line)}</p>" for line in facts(schema, e))


def bylines(schema: Schema, e: Any) -> list[str]:
    """The item's authors: each person of a byline once, with the role (记者 羊荣江, 通讯员
    曹张明, in the fields' order), then the authors as written (a notice's issuer)."""
    seen: dict[str, str] = {}
    for f in schema.with_role("byline"):
        for name in getattr(e, f.attr):
            name = name.strip()
            if name and name not in seen:
                seen[name] = f.zh
    return [f"{role} {name}" for name, role in seen.items()] + [getattr(e, f.attr) for f in schema.with_role("author")]


def extension(schema: Schema, e: Any) -> dict:
    """The JSON Feed extension ``_newsroom``: the headline's parts, the bylines and the facts
    as data. Facts and extension fields are always there; the others when they have a value."""
    out: dict = {}
    for f in schema.fields():
        value = getattr(e, f.attr)
        if "extension" in f.feed or "fact" in f.feed:
            out[f.name] = value
        elif ("kicker" in f.feed or "subhead" in f.feed) and value.strip():
            out[f.name] = value.strip()
        elif "byline" in f.feed and value:
            out[f.name] = [n for n in value if n.strip()]
    return out
