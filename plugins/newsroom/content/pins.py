"""Pinned articles (`pinned_until`): the home page's lead (焦点) slots the editors choose.

An article pinned until a time later than the build's holds a lead slot; the next
build after that time drops it. Order: the pin that lasts longest first (the editor
who wants a story on top pins it longest), then the newest article. ``newsroom check``
says how long each pin has left (``pin_notes``): a note, not a warning.
"""
from __future__ import annotations

import datetime as dt

from ..core.model import Article

LEAD_SLOTS = 3


def pinned(articles: list[Article], now: dt.datetime) -> list[Article]:
    """The published articles pinned past ``now``, in lead order (at most LEAD_SLOTS)."""
    return _held(articles, now)[:LEAD_SLOTS]


def _held(articles: list[Article], now: dt.datetime) -> list[Article]:
    held = [a for a in articles if a.pinned_until is not None and a.pinned_until > now]
    return sorted(held, key=lambda a: (a.pinned_until, a.sort_key), reverse=True)


def pin_notes(articles: list[Article], now: dt.datetime) -> list[str]:
    """One line per pinned article, ``path:line: 说明``, in lead order."""
    lines = []
    for n, a in enumerate(_held(articles, now)):
        until = a.pinned_until
        assert until is not None
        place = f"首页焦点第 {n + 1} 位" if n < LEAD_SLOTS else f"焦点位置已满（最多 {LEAD_SLOTS} 篇），暂不显示"
        lines.append(f"{a.source.path}:{a.source.line_of('pinned_until')}: 提示：置顶到 {until:%Y-%m-%d %H:%M}，"
                     f"还剩{_left(until - now)}（{place}）")
    return lines


def _left(delta: dt.timedelta) -> str:
    days, seconds = delta.days, delta.seconds
    hours, minutes = seconds // 3600, seconds % 3600 // 60
    if days:
        return f" {days} 天 {hours} 小时"
    if hours:
        return f" {hours} 小时 {minutes} 分钟"
    return f" {max(minutes, 1)} 分钟"
