"""Dates as editors write them, and as readers and feeds need them."""
from __future__ import annotations

import datetime as dt
import email.utils
import re
from zoneinfo import ZoneInfo

ACCEPTED_FORMATS = "2021-12-28、2021-12-28 09:30、2021-12-28 09:30:00+08:00、2021/12/28、2021年12月28日 09:30"

_DATE_RE = re.compile(
    r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:(?:\s+|T|\s*日?\s*)(\d{1,2})\s*[:：时]\s*(\d{1,2})(?:\s*[:：分]\s*(\d{1,2})(?:\.\d+)?)?\s*秒?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?\s*$"
)


class DateError(ValueError):
    """A date that cannot be read; the message is for editors (Chinese)."""


def parse_datetime(value: object, tz: ZoneInfo) -> dt.datetime:
    """Read a front-matter date; a date without a zone is in the site's zone."""
    if isinstance(value, dt.datetime):
        return value.astimezone(tz) if value.tzinfo else value.replace(tzinfo=tz)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=tz)
    if not isinstance(value, str):
        raise DateError("日期应写成一个值，不能是列表或字段组")
    m = _DATE_RE.match(value)
    if not m:
        raise DateError(f"无法识别的日期“{value}”")
    y, mo, d, h, mi, s, zone = m.groups()
    try:
        when = dt.datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(s or 0))
    except ValueError:
        raise DateError(f"日期“{value}”不存在（请检查月份、日期和时间）") from None
    if zone:
        return when.replace(tzinfo=_zone(zone)).astimezone(tz)
    return when.replace(tzinfo=tz)


def _zone(text: str) -> dt.tzinfo:
    if text == "Z":
        return dt.timezone.utc
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return dt.timezone(sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


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
