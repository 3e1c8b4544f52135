"""An article's ``print:`` (见报): the edition, the page and the area it stood in.

```yaml
print:
  edition: 2021-12-28
  page: 2
  area: [8, 12, 46, 30]      # x, y, width, height in percent of the page image
```

Read here, field by field, each mistake at its own line (``RawDoc.item_line``);
whether the edition and page exist is checked once editions are loaded (epaper.py).
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any, Optional

from ..core.print_ref import Area, PrintRef
from ..core.problems import WARNING, Problem, short
from .load import RawDoc

EXAMPLE = "print:\n  edition: 2021-12-28\n  page: 2\n  area: [8, 12, 46, 30]"
_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_PAGE = re.compile(r"^第?\s*(\d{1,3})\s*版?$")
_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?%?$")
_KEYS = ("edition", "page", "area")
_AXES = ("x", "y", "宽", "高")


def read_print(doc: RawDoc, key: str, problems: list[Problem]) -> Optional[PrintRef]:
    """The ``PrintRef`` written, None when there is none or it cannot be read."""
    value = doc.meta.get(key)
    if value is None or value == "":
        return None
    line = doc.lines.get(key, 1)
    if not isinstance(value, dict):
        problems.append(Problem(doc.path, line, "“print”（见报）应写出 edition（日期）、page（版次）和 area（位置）",
                                "例如\n" + EXAMPLE))
        return None
    lines = {k: doc.item_line(key, 0, k) for k in (*_KEYS, *map(str, value))}
    for unknown in (str(k) for k in value if k not in _KEYS):
        problems.append(Problem(doc.path, lines[unknown], f"“print”里的“{short(unknown)}”不认识，将被忽略",
                                "print 只能写 edition、page、area", WARNING))
    edition = _edition(value.get("edition"), doc.path, lines["edition"], problems)
    page = _page(value.get("page"), doc.path, lines["page"], problems)
    area = read_area(value.get("area"), doc.path, lines["area"], problems)
    if edition is None or page is None:
        return None
    return PrintRef(edition, page, area, line, lines["edition"], lines["page"], lines["area"])


def _edition(raw: Any, path: str, line: int, problems: list[Problem]) -> Optional[str]:
    text = raw.strip() if isinstance(raw, str) else ""
    m = _DATE.match(text)
    try:
        day = dt.date(int(m[1]), int(m[2]), int(m[3])) if m else None
    except ValueError:
        day = None
    if day is None:
        shown = f"“{short(text)}”" if text else "空的"
        problems.append(Problem(path, line, f"见报日期 edition 不能是{shown}：应写哪一期报纸的日期",
                                "写成 edition: 2021-12-28（年-月-日），与 content/epaper/ 下那一期的文件夹同名"))
        return None
    return f"{day:%Y-%m-%d}"


def _page(raw: Any, path: str, line: int, problems: list[Problem]) -> Optional[int]:
    m = _PAGE.match(raw.strip()) if isinstance(raw, str) else None
    if m is None or int(m[1]) < 1:
        shown = f"“{short(raw)}”" if isinstance(raw, str) and raw.strip() else "空的"
        problems.append(Problem(path, line, f"见报版次 page 不能是{shown}：应是第几版的数字",
                                "例如 page: 2（第2版）"))
        return None
    return int(m[1])


def read_area(raw: Any, path: str, line: int, problems: list[Problem]) -> Optional[Area]:
    """``[x, y, 宽, 高]`` in percent: four numbers, the rectangle inside the page (0–100)."""
    if raw is None or raw == "" or raw == []:
        return None
    items = raw if isinstance(raw, list) else re.split(r"[\s,，、]+", raw.strip()) if isinstance(raw, str) else []
    numbers = [float(i.strip().rstrip("%")) for i in items if isinstance(i, str) and _NUMBER.match(i.strip())]
    if len(items) != 4 or len(numbers) != 4:
        problems.append(Problem(path, line, f"区域 area 应是四个数字 [x, y, 宽, 高]，不能是“{short(str(raw))}”",
                                "例如 area: [8, 12, 46, 30]：左上角在版面宽度的 8%、高度的 12% 处，宽 46%，高 30%"))
        return None
    x, y, w, h = numbers
    bad = [f"{_AXES[i]} = {_show(v)}" for i, v in enumerate(numbers) if not 0 <= v <= 100]
    bad += [f"{name} = {_show(v)}，不能为 0" for name, v in (("宽", w), ("高", h)) if v == 0]
    bad += [f"{a} + {b} = {_show(s)}，超过 100" for a, b, s in (("x", "宽", x + w), ("y", "高", y + h))
            if s > 100 and 0 <= x <= 100 and 0 <= y <= 100]
    if bad:
        problems.append(Problem(path, line, f"区域 area 超出版面：{'；'.join(bad)}",
                                "area 的四个数都是版面图的百分比（0–100），区域要整个落在版面里"))
        return None
    return Area(x, y, w, h)


def _show(value: float) -> str:
    return f"{value:g}"
