"""``newsroom new``: a new file with its front matter ready to fill in.

It asks nothing it can infer: the date is now in the site's zone, the id is
the title in pinyin, the file goes in the right folder.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Optional

from ..content.load import guess_name, read_doc
from ..core import ids
from ..core.dates import ACCEPTED_FORMATS, DateError, parse_datetime
from ..core.model import SCHEMAS
from ..core.settings import Settings
from ..core.problems import CliError

# An article's id is its headline's first syllables: short and readable. Many headlines
# open alike ("柯桥区总工会开展…"), so when that id is taken the whole headline's pinyin
# (up to LONG_WORDS syllables) is tried, then the short id numbered: -2, -3 …
SHORT_WORDS = 8
LONG_WORDS = 16


def new_entity(kind: str, title: str, content_dir: Path, brands_dir: Path, settings: Settings,
               entity_id: Optional[str] = None, date_text: Optional[str] = None) -> Path:
    title = " ".join(title.split())          # no line breaks or tabs inside a title
    if not title:
        raise CliError("标题或名称不能为空")
    try:
        when = parse_datetime(date_text, settings.tz) if date_text else dt.datetime.now(settings.tz)
    except DateError as exc:
        raise CliError(f"--date 有误：{exc}（可用的写法：{ACCEPTED_FORMATS}）") from None
    if entity_id is not None:
        _check_chosen_id(entity_id)
    # The new file's text: each field's line is declared with the field (core/model.py);
    # its folder, with the kind (core/model.SCHEMAS).
    schema = SCHEMAS[kind]
    template = schema.skeleton()
    folder = (brands_dir if schema.root == "brands" else content_dir) / schema.folder
    if schema.dated:                         # articles and notices: one folder per year, ids from the title
        folder = folder / f"{when:%Y}"
        candidates = iter([entity_id]) if entity_id else ids.article_ids(title, SHORT_WORDS, LONG_WORDS)
        taken = ids.taken_slugs(folder)
    elif schema.field("name") is not None:   # brands, workers: one file per name
        new_id = entity_id or ids.pinyin_id(title)
        _refuse_existing(kind, title, new_id, folder, explicit_id=entity_id is not None)
        candidates, taken = iter([new_id]), {}
    else:                                    # a topic's file is only ever refused if it exists (_create)
        candidates, taken = iter([entity_id or ids.pinyin_id(title)]), {}
    folder.mkdir(parents=True, exist_ok=True)
    for new_id in candidates:
        path = folder / f"{new_id}.md"
        free = new_id not in taken and not ids.is_reserved(new_id)
        if free and _create(path, template.format(title=_yaml_text(title), date=when, id=new_id)):
            return path
        if entity_id or not schema.dated:   # only an article's (or notice's) own id is ours to change
            raise CliError(_taken_message(new_id, taken.get(new_id, path)))
    raise AssertionError("unreachable: an article's ids never run out")


def _check_chosen_id(entity_id: str) -> None:
    if not ids.is_valid_id(entity_id):
        raise CliError(f"文件名“{entity_id}”只能用小写英文字母、数字和 -，例如 {ids.pinyin_id(entity_id)}")


def _taken_message(new_id: str, holder: Path) -> str:
    again = "请用 --id 另取一个文件名"
    if ids.is_reserved(new_id):
        return f"“{new_id}”是网站自己要用的名字（一览页、翻页、订阅），不能用作文件名；{again}"
    if holder.stem == new_id:
        return f"{_shown(holder)} 已存在，没有覆盖它；{again}"
    return f"网址名“{new_id}”已被 {_shown(holder)} 使用，没有新建；{again}"


def _refuse_existing(kind: str, title: str, new_id: str, folder: Path, explicit_id: bool) -> None:
    """A brand or worker that already has a file: by its name, or by an id that differs only
    in its hyphens (ye-jinlong and ye-jin-long are one person, spelt two ways)."""
    schema = SCHEMAS[kind]
    label = schema.zh
    files = sorted(folder.glob("*.md")) if folder.is_dir() else []
    named = next((f for f in files if _name_of(f) == title), None)
    if named is not None and (schema.unique_name or not explicit_id):
        advice = (f"{label}名称不能重复" if schema.unique_name
                  else "如果是同名的另一个人，请用 --id 另取文件名，文章中再用 id 指明是哪一位")
        raise CliError(f"{label}“{title}”已存在：{_shown(named)}，没有新建。要修改请直接打开这个文件；{advice}")
    if explicit_id:
        return                               # an id the editor chose: only an identical file stops it
    squashed = new_id.replace("-", "")
    spelt = next((f for f in files if f.stem.replace("-", "") == squashed), None)
    if spelt is not None:
        other = _name_of(spelt) or spelt.stem
        raise CliError(f"{_shown(spelt)} 已存在（{label}“{other}”，文件名与 {new_id} 只差连字符），没有新建。"
                       f"如果是同一个，请直接打开这个文件；如果不是，请用 --id 另取文件名，例如 {new_id}-2")


def _name_of(file: Path) -> str:
    """The file's `name:`, spaces normalised; for a file whose YAML is broken, a guess."""
    doc, _ = read_doc(file, file.name)
    name = doc.meta.get("name") if doc is not None else guess_name(file)
    return " ".join(name.split()) if isinstance(name, str) else ""


def _create(path: Path, text: str) -> bool:
    """Write a new file; False when one is there ("x": never overwrite, even in a race)."""
    try:
        with path.open("x", encoding="utf-8") as out:
            out.write(text)
    except FileExistsError:
        return False
    return True


def _shown(path: Path) -> str:
    """A path as the editor sees it: relative to the current folder when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


_PLAIN = re.compile(r"[^\s:#{}\[\],&*!|>'\"%@`\\?-][^:#{}\[\],&*!|>'\"%@`\\]*")


def _yaml_text(text: str) -> str:
    """Quote a title when YAML would misread it (colons, brackets, leading symbols)."""
    if _PLAIN.fullmatch(text) and not text.endswith(" "):
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
