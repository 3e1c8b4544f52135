"""``newsroom new``: a new file with its front matter ready to fill in.

It asks nothing it can infer: the date is now in the site's zone, the id is
the title in pinyin, the file goes in the right folder.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Optional

from . import ids
from .dates import ACCEPTED_FORMATS, DateError, parse_datetime
from .model import Settings

ARTICLE = """---
title: {title}
date: {date:%Y-%m-%d %H:%M}
kicker:                 # 引题（可不填）
subtitle:               # 副题（可不填）
reporters: []           # 记者
correspondents: []      # 通讯员
source: 本报讯
region:
brands: []              # 品牌 id 或名称
workers: []             # 劳模工匠 id 或姓名
tags: []
column:
# image: images/{date:%Y}/{id}.jpg
# image_caption:
# image_credit: 通讯员 某某 摄
draft: true             # 写好后删掉这一行即可发布
---

在这里写正文。
"""

BRAND = """---
name: {title}
slogan:
owner:
region:
family:
attribute:              # 品牌属性
since: {date:%Y}
# logo: brands/img/{id}.svg
---

在这里写品牌介绍。
"""

WORKER = """---
name: {title}
honors: []              # 例如 [全国劳动模范] 或 {{title: 浙江工匠, year: 2021}}
occupation:
employer:
region:
# photo: images/workers/{id}.jpg
---

在这里写人物介绍。
"""


def new_entity(kind: str, title: str, content_dir: Path, brands_dir: Path, settings: Settings,
               entity_id: Optional[str] = None, date_text: Optional[str] = None) -> Path:
    from .cli import CliError

    title = " ".join(title.split())          # no line breaks or tabs inside a title
    if not title:
        raise CliError("标题或名称不能为空")
    try:
        when = parse_datetime(date_text, settings.tz) if date_text else dt.datetime.now(settings.tz)
    except DateError as exc:
        raise CliError(f"--date 有误：{exc}（可用的写法：{ACCEPTED_FORMATS}）") from None
    new_id = entity_id or ids.pinyin_id(title)
    if not ids.is_valid_id(new_id):
        raise CliError(f"文件名“{new_id}”只能用小写英文字母、数字和 -，例如 {ids.pinyin_id(new_id)}")
    if kind == "article":
        path, template = content_dir / "news" / f"{when:%Y}" / f"{new_id}.md", ARTICLE
    elif kind == "brand":
        path, template = brands_dir / f"{new_id}.md", BRAND
    else:
        path, template = content_dir / "workers" / f"{new_id}.md", WORKER
    if path.exists():
        raise CliError(f"{path} 已存在，没有覆盖它；请用 --id 另取一个文件名")
    path.parent.mkdir(parents=True, exist_ok=True)
    text = template.format(title=_yaml_text(title), date=when, id=new_id)
    try:
        with path.open("x", encoding="utf-8") as out:   # "x": never overwrite, even in a race
            out.write(text)
    except FileExistsError:
        raise CliError(f"{path} 已存在，没有覆盖它；请用 --id 另取一个文件名") from None
    return path


_PLAIN = re.compile(r"[^\s:#{}\[\],&*!|>'\"%@`\\?-][^:#{}\[\],&*!|>'\"%@`\\]*")


def _yaml_text(text: str) -> str:
    """Quote a title when YAML would misread it (colons, brackets, leading symbols)."""
    if _PLAIN.fullmatch(text) and not text.endswith(" "):
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
