"""The print edition (数字报): editions, their pages, and where an article stood on a page.

``content/epaper/<YYYY-MM-DD>/edition.yml`` is one edition (one issue of the paper);
an article's ``print:`` (a ``PrintRef``) names its edition, page and area. Areas are
percentages of the page image (x, y, width, height, 0–100), so they hold at any size
the image is shown at (core/print_ref.py). Plain dataclasses: content/epaper.py reads and checks them.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Optional

from .model import SourceRef
from .print_ref import Area, PrintRef

# What a page scan may be: browsers show these, and the photo engine reads the first two.
SCAN_TYPES = (".jpg", ".jpeg", ".png", ".svg")
WEEKDAYS = "一二三四五六日"


@dataclass
class EditionPage:
    """One page (版) of an edition."""

    number: int                      # 版次: 1, 2 …
    name: str                        # 版名: 要闻, 工会 …
    image: str                       # path under content/: epaper/2021-12-28/01.svg
    pdf: str = ""                    # path under content/, '' if none
    line: int = 1                    # of its ``- page:`` item
    image_line: int = 1              # of its ``image:`` (the photo build's messages)


@dataclass
class Edition:
    """One issue of the paper (content/epaper/<YYYY-MM-DD>/edition.yml)."""

    date: dt.date
    paper: str                       # 报名: 柯桥工人报
    number: Optional[int]            # 期号
    source: SourceRef
    folder: str                      # under content/: epaper/2021-12-28
    pages: list[EditionPage] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.date:%Y-%m-%d}"

    @property
    def url(self) -> str:
        return f"epaper/{self.key}/"

    def page_url(self, number: int) -> str:
        return f"epaper/{self.key}/{number}/"

    def page(self, number: int) -> Optional[EditionPage]:
        return next((p for p in self.pages if p.number == number), None)

    @property
    def date_text(self) -> str:
        """2021年12月28日, as the citation writes it."""
        return f"{self.date.year}年{self.date.month}月{self.date.day}日"

    @property
    def weekday(self) -> str:
        return "星期" + WEEKDAYS[self.date.weekday()]

    def citation(self, number: int) -> str:
        """《柯桥工人报》2021年12月28日 第2版: how readers and archivists cite a page."""
        return f"《{self.paper}》{self.date_text} 第{number}版"

    def title(self) -> str:
        issue = f" 第{self.number}期" if self.number is not None else ""
        return f"《{self.paper}》{self.date_text}{issue}"
