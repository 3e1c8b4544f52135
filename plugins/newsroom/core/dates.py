"""Dates as editors write them, and as readers and feeds need them."""
from __future__ import annotations

import datetime as dt
import email.utils
import re
from zoneinfo import ZoneInfo

ACCEPTED_FORMATS = "2021-12-28、2021-12-28 09:30、2021-12-28 09:30:00+08:00、2021/12/28、2021年12月28日 09:30"

_DATE_RE = re.compile(
    r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:(?:\s+|T|\s*)(\d{1,2})\s*[:：时点]\s*(\d{1,2})"
    r"(?:\s*(?:[:：]|分)\s*(\d{1,2})(?:\.\d+)?\s*秒?|\s*分)?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?\s*$"
)


class DateError(ValueError):
    """A date that cannot be read; the message is for editors (Chinese)."""


# Publication dates outside these years are typing mistakes (1021, 2201), and
# datetimes near year 1 or 9999 overflow when converted between zones.
MIN_YEAR, MAX_YEAR = 1900, 2100


def parse_datetime(value: object, tz: ZoneInfo) -> dt.datetime:
    """Read a front-matter date; a date without a zone is in the site's zone."""
    if isinstance(value, dt.datetime):
        _check_year(value.year, str(value))
        return value.astimezone(tz) if value.tzinfo else value.replace(tzinfo=tz)
    if isinstance(value, dt.date):
        _check_year(value.year, str(value))
        return dt.datetime(value.year, value.month, value.day, tzinfo=tz)
    if not isinstance(value, str):
        raise DateError("日期应写成一个值，不能是列表或字段组")
    value = " ".join(value.split())      # one space between parts: no slow regex backtracking
    m = _DATE_RE.match(value) if len(value) <= 64 else None
    if not m:
        raise DateError(f"无法识别的日期“{value[:40]}”")
    y, mo, d, h, mi, s, zone = (int(g) if g and g[0].isdigit() else g for g in m.groups())
    _check_year(y, value)
    if not 1 <= mo <= 12:
        raise DateError(f"日期“{value.strip()}”不存在：没有 {mo} 月")
    try:
        dt.date(y, mo, d)
    except ValueError:
        raise DateError(f"日期“{value.strip()}”不存在：{y} 年 {mo} 月没有 {d} 日") from None
    if (h or 0) > 23 or (mi or 0) > 59 or (s or 0) > 59:
        raise DateError(f"时间“{value.strip()}”不存在：小时应在 0–23 之间，分、秒应在 0–59 之间")
    when = dt.datetime(y, mo, d, h or 0, mi or 0, s or 0)
    if zone:
        offset = _zone(zone)
        if offset is None:
            raise DateError(f"时区“{zone}”不存在（北京时间是 +08:00，也可以不写时区）")
        return when.replace(tzinfo=offset).astimezone(tz)
    return when.replace(tzinfo=tz)


def _check_year(year: int, value: str) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise DateError(f"日期“{value.strip()}”的年份 {year} 不对（请检查是否打错）")


def _zone(text: str) -> dt.tzinfo | None:
    if text == "Z":
        return dt.timezone.utc
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:])
    if hours > 14 or minutes > 59:
        return None
    return dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes))


def zh_date(when: dt.datetime | dt.date) -> str:
    """2021年12月28日: how Chinese newspapers print a date."""
    return f"{when.year}年{when.month}月{when.day}日"


def zh_datetime(when: dt.datetime) -> str:
    return f"{zh_date(when)} {when:%H:%M}"


def rfc822(when: dt.datetime) -> str:
    """RSS pubDate: ``Tue, 28 Dec 2021 09:30:00 +0800``."""
    return email.utils.format_datetime(when)


def iso(when: dt.datetime) -> str:
    """ISO 8601 with the offset: ``2021-12-28T09:30:00+08:00``."""
    return when.isoformat(timespec="seconds")
