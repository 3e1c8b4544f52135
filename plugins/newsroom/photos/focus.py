"""The Open Graph crop: a 1200x630 window placed on `image_focus: x,y` (0-1) or the centre."""
from __future__ import annotations

import math

CENTRE = (0.5, 0.5)


def parse_focus(text: object) -> tuple[float, float] | None:
    """`0.3,0.6` -> (0.3, 0.6); None when it is not two numbers within 0..1 (the validator
    reports that; the engine then uses the centre)."""
    if isinstance(text, (list, tuple)):
        parts = list(text)
    else:
        parts = str(text).replace("，", ",").split(",")
    if len(parts) != 2:
        return None
    try:
        x, y = (float(p) for p in parts)
    except (TypeError, ValueError):
        return None
    if not (0 <= x <= 1 and 0 <= y <= 1) or math.isnan(x) or math.isnan(y):
        return None
    return (x, y)


def cover_scale(width: int, height: int, box: tuple[int, int]) -> float:
    """Scale at which the image just covers the box (never above 1: no upscaling)."""
    return min(1.0, max(box[0] / width, box[1] / height))


def crop_window(width: int, height: int, box: tuple[int, int],
                focus: tuple[float, float]) -> tuple[int, int, int, int]:
    """(left, top, w, h) of the largest box-shaped window in a width x height image, centred on
    the focus point as far as the edges allow."""
    ratio = box[0] / box[1]
    w = min(width, round(height * ratio))
    h = min(height, round(w / ratio))
    left = _place(focus[0] * width, w, width)
    top = _place(focus[1] * height, h, height)
    return left, top, w, h


def _place(centre: float, size: int, total: int) -> int:
    return int(min(max(round(centre - size / 2), 0), total - size))
