"""A brand's activity: how many articles named it, per month or per quarter.

Pure Python on the content graph (no MkDocs, no HTML). ``brand_activity``
returns the counts and the geometry of a small bar chart in SVG user units;
``theme/partials/activity.html`` draws it as inline SVG at build time, with a
text alternative (``Activity.summary`` and a table of every period).

The window runs from the brand's first article to the newest article on the
whole site (so a brand that went quiet shows it), both from content alone:
the chart never changes with the day of the build. A window of at most
``MONTHLY_UP_TO`` months is counted per month, a longer one per quarter, and
only the last ``MAX_PERIODS`` periods are drawn (``Activity.earlier`` counts
the articles before them).
"""
from __future__ import annotations

import datetime as dt
import functools
import operator
from dataclasses import dataclass
from typing import Iterable, Optional

from ..content.graph_data import ContentGraph
from ..core.model import Article, Brand

MONTHLY_UP_TO = 12        # months in the window still drawn one bar per month
MAX_PERIODS = 16          # at most four years of quarters
SLOT = 22                 # width of one period, SVG units
BAR = 14                  # width of one bar
TOP = 16                  # room above the tallest bar for its count
PLOT = 72                 # height of the tallest bar
AXIS = 20                 # room below the baseline for the year labels
ZERO = 1.5                # a period without articles: a stub on the baseline


@dataclass(frozen=True)
class Bar:
    year: int
    index: int            # month 1-12 or quarter 1-4
    label: str            # 2021年第1季度 / 2021年3月
    count: int
    x: float
    y: float
    width: float
    height: float

    @property
    def center(self) -> float:
        return self.x + self.width / 2


@dataclass(frozen=True)
class YearMark:
    year: int
    x: float              # centre of the year's periods in the window
    start: float          # left edge of its first period (a separator line there)


@dataclass(frozen=True)
class Activity:
    unit: str             # "month" or "quarter"
    unit_name: str        # 月 / 季度
    bars: tuple[Bar, ...]
    years: tuple[YearMark, ...]
    total: int            # articles inside the window
    earlier: int          # articles before the window
    peak: int
    width: int
    height: int
    baseline: float

    @property
    def first(self) -> Bar:
        return self.bars[0]

    @property
    def last(self) -> Bar:
        return self.bars[-1]

    @property
    def busiest(self) -> list[Bar]:
        return [b for b in self.bars if b.count == self.peak and self.peak > 0]

    @property
    def title(self) -> str:
        return f"每{'月' if self.unit == 'month' else '季度'}报道数量"

    @property
    def summary(self) -> str:
        """One sentence a screen reader says instead of the bars (plain text)."""
        text = f"{self.first.label}至{self.last.label}，共 {self.total} 篇报道"
        busiest, unit = self.busiest, "月份" if self.unit == "month" else "季度"
        if len(busiest) == 1 and len(self.bars) > 1:
            text += f"；最多的是{busiest[0].label}（{self.peak} 篇）"
        elif 1 < len(busiest) <= 3 and self.peak > 1:
            text += f"；最多的{unit}是{'、'.join(b.label for b in busiest)}（各 {self.peak} 篇）"
        empty = sum(1 for b in self.bars if b.count == 0)
        if empty:
            text += f"；{empty} 个{'月' if self.unit == 'month' else '季度'}没有报道"
        if self.earlier:
            text += f"；此前另有 {self.earlier} 篇"
        return text + "。"


def _month_number(when: dt.datetime) -> int:
    return when.year * 12 + when.month - 1


def activity(articles: Iterable[Article], until: Optional[dt.datetime] = None,
             monthly_up_to: int = MONTHLY_UP_TO, max_periods: int = MAX_PERIODS) -> Optional[Activity]:
    """Counts per period for these articles, up to ``until`` (default: their newest)."""
    return dated_activity(tuple(map(_DATE, articles)), until, monthly_up_to, max_periods)


_DATE = operator.attrgetter("date")


# The live preview asks for the same 50 brand charts on every save (a Python loop over every
# article's date, 0.03 CPU-s at 10,000 articles): the same dates give the very same chart.
@functools.lru_cache(maxsize=256)
def dated_activity(dates: tuple[dt.datetime, ...], until: Optional[dt.datetime] = None,
                   monthly_up_to: int = MONTHLY_UP_TO, max_periods: int = MAX_PERIODS) -> Optional[Activity]:
    """``activity`` of articles with these dates."""
    if not dates:
        return None
    end = max(dates + ((until,) if until else ()))
    first_month, last_month = _month_number(min(dates)), _month_number(end)
    monthly = last_month - first_month + 1 <= monthly_up_to
    size = 1 if monthly else 3

    def period(month_number: int) -> int:
        return month_number // size

    first, last = period(first_month), period(last_month)
    start = max(first, last - max_periods + 1)
    counts = [0] * (last - start + 1)
    earlier = 0
    for when in dates:
        p = period(_month_number(when))
        if p < start:
            earlier += 1
        elif p <= last:
            counts[p - start] += 1
    peak = max(counts)
    baseline = TOP + PLOT
    bars = []
    for i, count in enumerate(counts):
        p = start + i
        year, index = divmod(p * size, 12)
        index = index // size + 1
        label = f"{year}年{index}月" if monthly else f"{year}年第{index}季度"
        height = round(PLOT * count / peak, 2) if count and peak else ZERO
        x = i * SLOT + (SLOT - BAR) / 2
        bars.append(Bar(year, index, label, count, x, round(baseline - height, 2), BAR, height))
    years = []
    for year in sorted({b.year for b in bars}):
        idx = [i for i, b in enumerate(bars) if b.year == year]
        years.append(YearMark(year, (idx[0] + idx[-1] + 1) * SLOT / 2, idx[0] * SLOT))
    return Activity("month" if monthly else "quarter", "月" if monthly else "季度", tuple(bars),
                    tuple(years), sum(counts), earlier, peak, len(counts) * SLOT,
                    baseline + AXIS, baseline)


def brand_activity(graph: ContentGraph, brand: Brand) -> Optional[Activity]:
    """The brand's chart: from its first article to the site's newest one.

    The live preview re-renders a brand's first page when this changes (incremental.Facts.activity)."""
    listed = graph.by_brand.get(brand.id, [])
    newest = graph.articles[0].date if graph.articles else None
    return activity(listed, until=newest)


__all__ = ["Activity", "Bar", "YearMark", "activity", "brand_activity"]
