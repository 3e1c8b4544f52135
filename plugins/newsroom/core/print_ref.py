"""Where an article stood in print: its ``print:`` (edition, page, area on the page).

Areas are percentages of the page image (x, y, width, height, 0–100), so they hold at
any size the image is shown at. No imports of ours: core/model.py's Article holds one.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional


@dataclass(frozen=True)
class Area:
    """A rectangle on a page image, in percent of its width and height."""

    x: float
    y: float
    w: float
    h: float

    def overlaps(self, other: "Area") -> bool:
        return (self.x < other.x + other.w and other.x < self.x + self.w
                and self.y < other.y + other.h and other.y < self.y + self.h)

    def css(self) -> str:
        """The inline position of an area's link: percentages, so it scales with the image."""
        return f"left:{_pc(self.x)}%;top:{_pc(self.y)}%;width:{_pc(self.w)}%;height:{_pc(self.h)}%"


def _pc(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


@dataclass(frozen=True)
class PrintRef:
    """An article's ``print:`` as written: edition date, page number, area, and their lines."""

    edition: str                     # YYYY-MM-DD
    page: int
    area: Optional[Area] = None
    line: int = 1                    # of ``print:``
    edition_line: int = 1
    page_line: int = 1
    area_line: int = 1
