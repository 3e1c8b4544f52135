"""``newsroom new edition 2024-05-01``: a new edition.yml, with the paper's name and the next 期号.

The paper is site_config's ``extra.paper``, else the newest edition's; the number is
the last edition's before that day plus one. The file lists page 1 with the scan it
expects beside it (01.jpg), so ``newsroom check`` says what is still missing.
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

from ..content.editions import EDITION_FILE, parse_day, parse_yaml_file
from ..content.epaper import FOLDER
from ..content.load import read_doc
from ..core.settings import Settings
from ..core.problems import CliError

SKELETON = """\
# 《{paper_shown}》{day.year}年{day.month}月{day.day}日{issue}。版面图（JPEG、PNG 或 SVG）和 PDF 放在这个文件夹里。
paper: {paper}
number: {number}
date: {day:%Y-%m-%d}
pages:                          # 每一版：版次 page、版名 name、版面图 image；pdf 可不写
  - page: 1
    name: 要闻
    image: 01.jpg
    # pdf: 01.pdf
# - page: 2
#   name: 工会
#   image: 02.jpg
"""


def new_edition(date_text: str, content_dir: Path, settings: Settings) -> Path:
    day = parse_day(date_text)
    if day is None:
        raise CliError(f"日期“{date_text}”有误：请写成 年-月-日，例如 newsroom new edition 2024-05-01")
    folder = content_dir / FOLDER / f"{day:%Y-%m-%d}"
    target = folder / EDITION_FILE
    earlier = _editions(content_dir)
    before = [e for e in earlier if e[0] < f"{day:%Y-%m-%d}"]
    paper = settings.paper or next((e[1] for e in reversed(earlier) if e[1]), "")
    last = max((e for e in before if e[2] is not None), default=None)
    number = last[2] + 1 if last is not None else None
    text = SKELETON.format(paper_shown=paper or "报名", paper=paper or "                         # 报名，例如 柯桥工人报",
                           number=number if number is not None else "                        # 期号，例如 318",
                           day=day, issue=f" 第{number}期" if number is not None else "")
    folder.mkdir(parents=True, exist_ok=True)
    try:
        with target.open("x", encoding="utf-8") as out:
            out.write(text)
    except FileExistsError:
        raise CliError(f"{target} 已存在，没有覆盖它：要修改请直接打开这个文件") from None
    return target


def _editions(content_dir: Path) -> list[tuple[str, str, Optional[int]]]:
    """(date, paper, number) of every edition already there, oldest first."""
    out = []
    for path in sorted((content_dir / FOLDER).glob(f"*/{EDITION_FILE}")):
        doc, _ = read_doc(path, path.name, parse_yaml_file)
        if doc is None:
            continue
        meta = doc.meta
        day = parse_day(str(meta.get("date") or path.parent.name))
        number = str(meta.get("number") or "").strip()
        if day is not None:
            out.append((f"{day:%Y-%m-%d}", str(meta.get("paper") or "").strip(),
                        int(number) if number.isdigit() else None))
    return sorted(out)
