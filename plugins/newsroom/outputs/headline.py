"""The whole Chinese headline and the bylines with their roles, for feeds.

A Chinese news headline has up to three parts: 引题 (kicker, above), 主题 (the
title) and 副题 (subtitle, below, printed after a dash). Feeds have one title
field, which stays the 主题 (what readers and aggregators list); the kicker and
subtitle open the description and the content, so a newspaper that syndicates
the item gets the headline whole. Reporters (记者) and correspondents (通讯员)
are different roles in a Chinese byline: each name carries its role.
"""
from __future__ import annotations

import html

from ..core.model import Article

REPORTER = "记者"
CORRESPONDENT = "通讯员"


def subtitle_line(a: Article) -> str:
    """The 副题 as printed: after a dash (unless the editor already wrote one)."""
    sub = a.subtitle.strip()
    return sub if not sub or sub.startswith(("—", "-")) else f"——{sub}"


def headline_lines(a: Article) -> list[str]:
    """The kicker and subtitle lines that open an item (empty when the article has neither)."""
    return [line for line in (a.kicker.strip(), subtitle_line(a)) if line]


def description(a: Article, summary: str) -> str:
    """The feed description: kicker and subtitle lines, then the summary."""
    return "\n".join([*headline_lines(a), summary]).strip()


def headline_html(a: Article) -> str:
    """The kicker and subtitle as HTML paragraphs, to open content:encoded / content_html."""
    parts = []
    if a.kicker.strip():
        parts.append(f'<p class="nr-kicker">{html.escape(a.kicker.strip())}</p>')
    if a.subtitle.strip():
        parts.append(f'<p class="nr-subtitle">{html.escape(subtitle_line(a))}</p>')
    return "".join(parts) + ("\n" if parts else "")


def bylines(a: Article) -> list[str]:
    """Each person once, with the role: 记者 羊荣江, 通讯员 曹张明 (reporters first)."""
    seen: dict[str, str] = {}
    for role, names in ((REPORTER, a.reporters), (CORRESPONDENT, a.correspondents)):
        for name in names:
            name = name.strip()
            if name and name not in seen:
                seen[name] = role
    return [f"{role} {name}" for name, role in seen.items()]


def extension(a: Article) -> dict:
    """The JSON Feed extension ``_newsroom``: the headline's parts and the bylines, as data."""
    out: dict = {"title": a.title}
    if a.kicker.strip():
        out["kicker"] = a.kicker.strip()
    if a.subtitle.strip():
        out["subtitle"] = a.subtitle.strip()
    if a.reporters:
        out["reporters"] = [n for n in a.reporters if n.strip()]
    if a.correspondents:
        out["correspondents"] = [n for n in a.correspondents if n.strip()]
    return out
