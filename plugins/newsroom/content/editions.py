"""Editions of the print paper (数字报): ``content/epaper/<YYYY-MM-DD>/edition.yml`` read and checked.

```yaml
paper: 柯桥工人报          # else site_config's extra.paper
number: 318               # 期号
date: 2021-12-28
pages:
  - page: 1
    name: 要闻            # 版名
    image: 01.jpg         # JPEG, PNG or SVG beside edition.yml
    pdf: 01.pdf           # optional
```

The file is YAML alone, read like front matter (load.py: libyaml's base loader, every
mistake at its line). Scans and PDFs are found like every other file named in content
(assets.check_file: inside the site, no link out, regular files only).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import posixpath
import re
from pathlib import Path
from typing import Any, Optional

from ..core.epaper import SCAN_TYPES, Edition, EditionPage
from ..core.model import SourceRef
from ..core.settings import Settings
from ..core.problems import WARNING, Problem, short
from .assets import AssetIndex, check_file
from .load import RawDoc, parse_doc, read_doc

EDITION_FILE = "edition.yml"
_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_KEYS = ("paper", "number", "date", "pages")
_PAGE_KEYS = ("page", "name", "image", "pdf")


@dataclasses.dataclass
class EditionFiles:
    """What checking an edition's files needs of the site."""

    content_dir: Path
    assets: AssetIndex
    content_root: str                # where links under content/ may lead (safety.site_root)


def is_edition_file(src_uri: str) -> bool:
    """content/epaper/…/edition.yml: read by the build, never published as it is."""
    return src_uri.startswith("epaper/") and src_uri.endswith("/" + EDITION_FILE)


def parse_yaml_file(text: str, display: str) -> tuple[Optional[RawDoc], list[Problem]]:
    """A file that is YAML alone, read as front matter would be, with its own line numbers."""
    lines = text.removeprefix("\ufeff").replace("\r\n", "\n").split("\n")
    if lines and lines[0].strip() in ("---", "%YAML 1.1", "%YAML 1.2"):
        lines[0] = ""                # a document marker editors copy from YAML examples
    doc, problems = parse_doc("---\n" + "\n".join(lines) + "\n---\n", display)
    problems = [dataclasses.replace(p, line=max(1, p.line - 1)) for p in problems]
    if doc is not None:
        doc.lines = {k: n - 1 for k, n in doc.lines.items()}
        doc.items = {k: [{s: n - 1 for s, n in item.items()} for item in found] for k, found in doc.items.items()}
    return doc, problems


def read_edition(path: Path, display: str, folder: str, settings: Settings, files: EditionFiles,
                 problems: list[Problem]) -> Optional[Edition]:
    """One edition.yml (``folder``: its folder under content/), or None when it cannot be published."""
    doc, found = read_doc(path, display, parse_yaml_file)
    problems.extend(found)
    if doc is None:
        return None
    for key in (str(k) for k in doc.meta if k not in _KEYS):
        problems.append(Problem(display, doc.lines.get(key, 1), f"未知字段“{short(key)}”，将被忽略",
                                f"edition.yml 可用字段：{'、'.join(_KEYS)}", WARNING))
    date = _date(doc, folder, problems)
    paper = _text(doc, "paper") or settings.paper
    if not paper:                    # the site's name stands in: the edition still builds
        paper = settings.site_name
        problems.append(Problem(display, doc.lines.get("paper", 1), f"没有写报名 paper，暂用网站名称“{paper}”",
                                "在 edition.yml 里写 paper: 柯桥工人报，或在 site_config.yml 的 extra 下写 paper: 报名",
                                WARNING))
    number = _number(doc, problems)
    pages = _pages(doc, folder, files, problems)
    if date is None or not paper or not pages:
        return None
    return Edition(date, paper, number, SourceRef(doc.path, dict(doc.lines), 1), folder, pages)


def _text(doc: RawDoc, key: str) -> str:
    value = doc.meta.get(key)
    return value.strip() if isinstance(value, str) else ""


def parse_day(text: str) -> Optional[dt.date]:
    m = _DATE.match(text.strip())
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3])) if m else None
    except ValueError:
        return None


def _date(doc: RawDoc, folder: str, problems: list[Problem]) -> Optional[dt.date]:
    """``date:``, else the folder's name; a folder named for another day is a warning."""
    named = parse_day(posixpath.basename(folder))
    written = _text(doc, "date")
    line = doc.lines.get("date", 1)
    if not written:
        if named is None:
            problems.append(Problem(doc.path, line, "没有写出版日期 date",
                                    "写 date: 2021-12-28，文件夹也用这个日期命名：content/epaper/2021-12-28/"))
        return named
    day = parse_day(written)
    if day is None:
        problems.append(Problem(doc.path, line, f"出版日期“{short(written)}”有误：应写成 年-月-日",
                                "例如 date: 2021-12-28"))
    elif named is not None and named != day:
        problems.append(Problem(doc.path, line, f"出版日期 {day:%Y-%m-%d} 与文件夹名 {posixpath.basename(folder)} 不一致，"
                                                "网址和文章的见报日期以 date 为准",
                                f"请把文件夹改名为 content/epaper/{day:%Y-%m-%d}/，或改正 date", WARNING))
    return day


def _number(doc: RawDoc, problems: list[Problem]) -> Optional[int]:
    text = _text(doc, "number").removeprefix("第").removesuffix("期").strip()
    if not text and doc.meta.get("number") in (None, ""):
        return None
    if not text.isdigit():
        problems.append(Problem(doc.path, doc.lines.get("number", 1), "期号 number 应是数字",
                                "例如 number: 318（第318期）"))
        return None
    return int(text)


def _pages(doc: RawDoc, folder: str, files: EditionFiles, problems: list[Problem]) -> list[EditionPage]:
    raw = doc.meta.get("pages")
    if not isinstance(raw, list) or not raw:
        problems.append(Problem(doc.path, doc.lines.get("pages", 1), "这一期没有列出版面 pages",
                                "pages:\n  - page: 1\n    name: 要闻\n    image: 01.jpg"))
        return []
    pages: dict[int, EditionPage] = {}
    ok = True
    for index, item in enumerate(raw):
        page = _page(doc, index, item, folder, files, problems)
        if page is None:
            ok = False
        elif page.number in pages:
            ok = False
            problems.append(Problem(doc.path, page.line, f"第{page.number}版写了两次（另一处在第 {pages[page.number].line} 行）",
                                    "每一版只写一次：请改正 page 的数字"))
        else:
            pages[page.number] = page
    return sorted(pages.values(), key=lambda p: p.number) if ok else []


def _page(doc: RawDoc, index: int, item: Any, folder: str, files: EditionFiles,
          problems: list[Problem]) -> Optional[EditionPage]:
    line = doc.item_line("pages", index)
    if not isinstance(item, dict):
        problems.append(Problem(doc.path, line, f"pages 的第 {index + 1} 项应写 page、name、image",
                                "例如\n  - page: 1\n    name: 要闻\n    image: 01.jpg"))
        return None
    for key in (str(k) for k in item if k not in _PAGE_KEYS):
        problems.append(Problem(doc.path, doc.item_line("pages", index, key), f"版面里的“{short(key)}”不认识，将被忽略",
                                f"每一版可写：{'、'.join(_PAGE_KEYS)}", WARNING))
    text = {k: item[k].strip() if isinstance(item.get(k), str) else "" for k in _PAGE_KEYS}
    number = int(text["page"].removeprefix("第").removesuffix("版")) \
        if text["page"].removeprefix("第").removesuffix("版").isdigit() else 0
    if number < 1:
        problems.append(Problem(doc.path, doc.item_line("pages", index, "page"),
                                f"pages 的第 {index + 1} 项缺少版次 page（第几版的数字）", "例如 page: 1"))
        return None
    name = text["name"] or f"第{number}版"
    if not text["name"]:
        problems.append(Problem(doc.path, line, f"第{number}版没有版名 name，将显示为“{name}”",
                                "例如 name: 要闻", WARNING))
    image = _file(doc, index, "image", text["image"], folder, files, problems, number)
    pdf = _file(doc, index, "pdf", text["pdf"], folder, files, problems, number) if text["pdf"] else ""
    if image is None or pdf is None:
        return None
    return EditionPage(number, name, image, pdf, line, doc.item_line("pages", index, "image"))


_WHAT = {"image": "版面图", "pdf": "版面 PDF"}
_TYPES = {"image": SCAN_TYPES, "pdf": (".pdf",)}


def _file(doc: RawDoc, index: int, key: str, written: str, folder: str, files: EditionFiles,
          problems: list[Problem], number: int) -> Optional[str]:
    """A scan or PDF beside edition.yml: its path under content/, None when it is not there."""
    line = doc.item_line("pages", index, key)
    what = f"第{number}版的{_WHAT[key]}"
    if not written:
        problems.append(Problem(doc.path, line, f"第{number}版没有版面图 image",
                                f"把这一版的图片（JPEG、PNG 或 SVG）放在 content/{folder}/ 下，写 image: {number:02d}.jpg"))
        return None
    if posixpath.splitext(written)[1].lower() not in _TYPES[key]:
        kinds = "JPEG、PNG 或 SVG 图片" if key == "image" else "PDF 文件"
        problems.append(Problem(doc.path, line, f"{what}“{short(written, 80)}”的类型不对", f"应是 {kinds}"))
        return None
    rel = posixpath.normpath(posixpath.join(folder, written.lstrip("/")))
    if not check_file(written, files.content_dir / folder, doc.path, line, what, problems,
                      prefix=f"content/{folder}/", repo=files.content_root):
        return None
    if rel not in files.assets.files():
        problems.append(Problem(doc.path, line, f"{what}“{short(written, 80)}”不能发布：它不在 content/ 下，或是指向外面的链接",
                                f"请把文件本身放在 content/{folder}/ 下"))
        return None
    return rel
