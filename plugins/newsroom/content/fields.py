"""The fields of each kind of entity, and ``Reader``: raw front matter into typed
values, and bad values into ``Problem``s with a Chinese message and the line to fix
(``entities.py`` builds the entities with it).

Nothing here raises on content: every mistake becomes a Problem, so an editor
sees all of them in one run.
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Optional

from ..core.dates import ACCEPTED_FORMATS, DateError, parse_datetime
from ..core.model import SCHEMAS, GalleryPhoto, Honor, SourceRef
from ..core.problems import WARNING, Problem, short
from ..core.schema import F
from .load import RawDoc
from .print_field import read_print

# Every table here comes from the schemas (core/model.py): add a field there, not here.
# Reader looks the schemas up when it runs; these names are for tests and tools.
def _merged(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """One dict over every kind; a key must mean the same everywhere (tests check it)."""
    out: dict[str, str] = {}
    for key, value in pairs:
        out.setdefault(key, value)
    return out


def all_fields() -> list[F]:
    return [f for schema in SCHEMAS.values() for f in schema.fields()]


def aliases() -> dict[str, str]:
    """Words editors reach for, mapped to the field they mean (over every kind)."""
    return _merged((alias, f.name) for f in all_fields() for alias in f.aliases)


ARTICLE_FIELDS = SCHEMAS["article"].table()
BRAND_FIELDS = SCHEMAS["brand"].table()
WORKER_FIELDS = SCHEMAS["worker"].table()
# Free pages (content/pages/): MkDocs renders them; the theme shows these three.
PAGE_FIELDS = SCHEMAS["page"].table()
REQUIRED = {kind: schema.required() for kind, schema in SCHEMAS.items()}
KIND_ZH = {kind: schema.zh for kind, schema in SCHEMAS.items()}
FIELD_ZH = _merged((f.name, f.zh) for f in all_fields())
ALIASES = aliases()
_LIST_SPLIT = re.compile(r"\s*[、，,；;]\s*")
# Typed on a Chinese keyboard inside a list: each makes one wrong item.
_CN_SEPARATORS = re.compile(r"[、，；]")
_CN_SEPARATOR_ZH = {"、": "顿号“、”", "，": "中文逗号“，”", "；": "中文分号“；”"}
_FULL_WIDTH_BRACKETS = "［］【】"
_DASHED = re.compile(r"(?:^|\s)-\s+(?=\S)")        # `羊荣江 - 张三`: a list indented wrongly
# Anything items() looks at; an item without any of these is fine as it is.
_SUSPECT = re.compile(r"[、，；［］【】\s]")
_CJK_SPACE = re.compile(r"[\u3400-\u9fff][ \u3000]+[\u3400-\u9fff]")
_TRUE = {"true", "yes", "on", "y", "是", "1"}
_FALSE = {"false", "no", "off", "n", "否", "0", ""}


@dataclass
class Reader:
    """Reads the fields of one document, collecting problems."""

    doc: RawDoc
    kind: str
    tz: Any
    problems: list[Problem]

    def line(self, key: str) -> int:
        return self.doc.lines.get(key, 1)

    def label(self, key: str) -> str:
        return SCHEMAS[self.kind].label(key)

    def named(self, key: str) -> str:
        """The field as messages name it: “kicker”（引题）."""
        return SCHEMAS[self.kind].named(key)

    def error(self, key: str, message: str, hint: str = "") -> None:
        self.problems.append(Problem(self.doc.path, self.line(key), message, hint))

    def text(self, key: str) -> str:
        value = self.doc.meta.get(key)
        if value is None:
            return ""
        if isinstance(value, (list, dict)):
            self.error(key, f"{self.named(key)}应是一段文字，不能是列表或字段组",
                       "去掉方括号，或用引号把整段文字括起来，例如 " + key + ': "甲，乙"')
            return ""
        return str(value).strip()

    def list(self, key: str) -> list[str]:
        value = self.doc.meta.get(key)
        if value is None or value == "":
            return []
        if isinstance(value, str):
            return self.items(key, value, -1)
        if isinstance(value, dict):
            self.error(key, f"{self.named(key)}应是列表，不能是字段组", f"例如 {key}: [甲, 乙]")
            return []
        out = []
        for index, item in enumerate(value):
            if isinstance(item, str) and item and not _SUSPECT.search(item):
                out.append(item)          # the common case, kept cheap: 10,000 articles' tags
            elif isinstance(item, (list, dict)):
                self.error(key, f"{self.named(key)}的每一项应是文字", f"例如 {key}: [甲, 乙]")
            else:
                out.extend(self.items(key, str(item), index))
        return out

    def items(self, key: str, text: str, index: int) -> list[str]:
        """The items one string stands for: all of ``key: 甲、乙`` (``index`` -1), or one
        item of a YAML list. Chinese punctuation that would make wrong items is an
        error (the items meant are still used, so nothing else fails around it);
        spaces, which may be meant, a warning."""
        text = text.strip()
        if not text:
            return []
        line = self.line(key) if index < 0 else self.doc.item_line(key, index)   # only read on a problem
        parts = _LIST_SPLIT.split(text) if index < 0 else [text]
        label = self.named(key)
        separator = _CN_SEPARATORS.search(text) if index >= 0 else None
        if text[0] in _FULL_WIDTH_BRACKETS or text[-1] in _FULL_WIDTH_BRACKETS:
            parts = _LIST_SPLIT.split(text.strip(_FULL_WIDTH_BRACKETS + " \u3000"))
            self._item_error(line, f"{label}用了全角方括号“［ ］”", "改用半角的方括号和逗号", key, parts)
        elif "- " in text and _DASHED.search(text):
            parts = _DASHED.split(text)
            self._item_error(line, f"{label}的列表缩进不对，几项被连成了一项“{short(text)}”",
                             f"每项单独一行，以“- ”开头，并比 {key} 多缩进两个空格；或者写在一行", key, parts)
        elif separator:
            parts = _LIST_SPLIT.split(text)
            self._item_error(line, f"{label}的一项“{short(text)}”里有{_CN_SEPARATOR_ZH[separator.group()]}，"
                             "会被当成一项", "方括号里的各项要用半角逗号加空格分隔", key, parts)
        parts = [p.strip() for p in parts if p.strip()]
        for part in parts:
            if (" " in part or "\u3000" in part) and _CJK_SPACE.search(part):
                self.problems.append(Problem(
                    self.doc.path, line, f"{label}的“{short(part)}”中间有空格，将作为一项",
                    f"如果是几项，请写成 {key}: [{', '.join(part.split())}]；确是一项可以不管", WARNING))
        return parts

    def _item_error(self, line: int, message: str, how: str, key: str, parts: list[str]) -> None:
        shown = ", ".join(p.strip() for p in parts if p.strip())
        self.problems.append(Problem(self.doc.path, line, message, f"{how}：{key}: [{shown}]"))

    def boolean(self, key: str) -> bool:
        value = self.doc.meta.get(key)
        if value is None:
            return False
        text = value.strip().lower() if isinstance(value, str) else None
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        shown = f"“{short(value)}”" if isinstance(value, str) else "列表或字段组"
        self.error(key, f"{self.named(key)}只能是 true 或 false，不能是{shown}",
                   f"要的话写 {key}: true，不要就写 {key}: false 或删掉这一行")
        return False

    def datetime(self, key: str) -> Optional[dt.datetime]:
        value = self.doc.meta.get(key)
        if value is None or value == "":
            return None
        try:
            return parse_datetime(value, self.tz)
        except DateError as exc:
            self.error(key, f"{self.named(key)}有误：{exc}", f"可用的写法：{ACCEPTED_FORMATS}")
            return None

    def year(self, key: str) -> Optional[int]:
        text = self.text(key)
        if not text:
            return None
        m = re.fullmatch(r"([0-9]{4})\s*年?", text)
        if not m:
            self.error(key, f"{self.named(key)}应是四位年份，例如 2021，不能是“{short(text)}”")
            return None
        return int(m.group(1))

    def honors(self, key: str) -> list[Honor]:
        value = self.doc.meta.get(key)
        if value is None or value == "":
            return []
        if isinstance(value, str):
            return [Honor(t) for t in self.items(key, value, -1)]
        items = [value] if isinstance(value, dict) else value
        out = []
        for index, item in enumerate(items):
            if isinstance(item, str):
                out.extend(Honor(t) for t in self.items(key, item, index))
            elif isinstance(item, dict) and isinstance(item.get("title"), str) and item["title"].strip():
                out.append(self.honor(key, item, index))
            else:
                self.problems.append(Problem(self.doc.path, self.doc.item_line(key, index),
                                             "每项荣誉应是文字，或 {title: 荣誉名称, year: 年份}"))
        return out

    def gallery(self, key: str) -> list[GalleryPhoto]:
        """``[{image, caption, credit}, ...]``; a plain path is a photo without caption."""
        value = self.doc.meta.get(key)
        if value is None or value == "":
            return []
        items = value if isinstance(value, list) else [value]
        out = []
        for index, item in enumerate(items):
            line = self.doc.item_line(key, index)
            if isinstance(item, str) and item.strip():
                out.append(GalleryPhoto(item.strip(), line=line))
            elif isinstance(item, dict) and isinstance(item.get("image"), str) and item["image"].strip():
                text = {k: item.get(k) if isinstance(item.get(k), str) else "" for k in ("caption", "credit")}
                out.append(GalleryPhoto(item["image"].strip(), text["caption"].strip(), text["credit"].strip(), line))
            else:
                self.problems.append(Problem(self.doc.path, line, "图集的每一项应写成 {image: 图片路径, caption: 说明, credit: 摄影}",
                                             "例如 - {image: images/2024/a.jpg, caption: 活动现场, credit: 通讯员 某某 摄}"))
        return out

    def honor(self, key: str, item: dict, index: int) -> Honor:
        title = item["title"].strip()
        year = item.get("year", "")
        year = year.strip().removesuffix("年") if isinstance(year, str) else None
        if year is None or (year and not re.fullmatch(r"[0-9]{4}", year)):
            # At the year's own line: in a list over many lines, `honors:` may be far above.
            self.problems.append(Problem(self.doc.path, self.doc.item_line(key, index, "year"),
                                         f"荣誉“{short(title)}”的年份应是四位数字，例如 2021",
                                         "写成 {title: 荣誉名称, year: 2021}"))
            year = ""
        return Honor(title, int(year) if year else None)

    def check_fields(self, allowed: dict[str, str]) -> None:
        words: Optional[dict[str, str]] = None
        for key in self.doc.meta:
            if key in allowed:
                continue
            name = str(key)[:60]
            words = words if words is not None else aliases()     # only on a mistake
            guess = words.get(name) or words.get(name.strip().lower()) or ""
            if "image" in (guess, name) or name in ("logo", "photo") or guess in ("logo", "photo"):  # each kind has its own picture field
                guess = next((f for f in ("image", "photo", "logo") if f in allowed), guess)
            if guess not in allowed:
                guess = next(iter(difflib.get_close_matches(name.strip().lower(), allowed, 1, 0.6)), "")
            hint = f"是不是“{guess}”？" if guess and guess in allowed else f"可用字段：{'、'.join(allowed)}"
            self.problems.append(Problem(self.doc.path, self.line(key), f"未知字段“{name}”，将被忽略",
                                         hint, WARNING))

    def check_required(self) -> bool:
        ok = True
        for key in SCHEMAS[self.kind].required():
            value = self.doc.meta.get(key)
            if value is None or value in ([], {}) or (isinstance(value, str) and not value.strip()):
                ok = False
                self.problems.append(Problem(
                    self.doc.path, self.doc.lines.get(key, 1),
                    f"{SCHEMAS[self.kind].zh}缺少必填字段{self.named(key)}",
                    f"在头信息中加上一行 {key}: …"))
        return ok

    def source(self) -> SourceRef:
        return SourceRef(self.doc.path, dict(self.doc.lines), self.doc.body_line)

    def read(self, fields: Iterable[F]) -> dict[str, Any]:
        """Each field's value by its model attribute, read in the order given (so
        problems are found in that order)."""
        return {attr: read(self, name) for attr, read, name in _plan(fields)}


# The last fields read and how to read each (a schema's fields: the same tuple every time).
_PLANS: dict[int, tuple[tuple, list]] = {}


def _plan(fields: Iterable[F]) -> list[tuple[str, Callable[["Reader", str], Any], str]]:
    """(attribute, reader, front-matter key) per field, worked out once per tuple of fields."""
    kept = _PLANS.get(id(fields))
    if kept is not None and kept[0] is fields:
        return kept[1]
    plan = [(f.attr, _READ[f.type], f.name) for f in fields]
    if isinstance(fields, tuple) and len(_PLANS) < 64:
        _PLANS[id(fields)] = (fields, plan)      # the tuple itself is kept: its id is not reused
    return plan


# How each type of field (core/schema.py) is read.
_READ: dict[str, Callable[[Reader, str], Any]] = {
    "text": Reader.text, "path": Reader.text, "list": Reader.list, "datetime": Reader.datetime,
    "bool": Reader.boolean, "year": Reader.year, "honors": Reader.honors,
    "print": lambda r, key: read_print(r.doc, key, r.problems),
    "gallery": Reader.gallery,
}
