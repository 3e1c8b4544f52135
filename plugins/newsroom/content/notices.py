"""Notices (通知公告, 政策文件): read from content/notices/, checked, and their references resolved.

A notice is read through its schema (core/model.Notice) like an article; this module adds
what only notices have: attachments under content/files/ (found, inside the site, of a
known type, with their size), the closed lists of categories and statuses, a
``replaced_by`` that must name another notice, and ``expires`` after ``date``.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import os
import re
from pathlib import Path
from typing import Any, Optional

from ..core import ids, names
from ..core.model import NOTICE_CATEGORIES, NOTICE_STATUSES, SCHEMAS, Attachment, Notice
from ..core.settings import Settings
from ..core.problems import WARNING, Problem, short
from .assets import AssetIndex, check_file
from .fields import Reader
from .load import RawDoc

# The types readers can open, by extension: what the page says beside each link.
ATTACHMENT_KINDS = {".pdf": "PDF", ".doc": "Word", ".docx": "Word", ".xls": "Excel", ".xlsx": "Excel",
                    ".zip": "ZIP"}
FILES_FOLDER = "files/"
# A date written without a time (`expires: 2024-07-05`) means the whole day.
_HAS_TIME = re.compile(r"\d\s*[:：时点]")
_OWN = ("title", "date", "attachments")


def notice_from(doc: RawDoc, src_uri: str, settings: Settings) -> tuple[Optional[Notice], list[Problem]]:
    """The notice of one file (None when it cannot be published), and its problems."""
    problems: list[Problem] = []
    schema = SCHEMAS["notice"]
    r = Reader(doc, "notice", settings.tz, problems)
    r.check_fields(schema.table())
    has_required = r.check_required()
    problems.extend(_body_empty(doc))
    date, title = r.datetime("date"), r.text("title")
    slug = _slug(doc, Path(src_uri).stem, problems)
    fields = r.read(f for f in schema.fields() if f.name not in _OWN)
    for key in ("expires", "pinned_until"):
        fields[key] = _whole_day(doc.meta.get(key), fields[key])
    fields["status"] = fields["status"] or "有效"
    known = (_check_choice(r, "category", fields["category"], NOTICE_CATEGORIES)
             & _check_choice(r, "status", fields["status"], NOTICE_STATUSES))
    if date and fields["expires"] and fields["expires"] < date:
        problems.append(Problem(doc.path, r.line("expires"), f"{r.named('expires')}早于{r.named('date')}",
                                "请检查年份和月份：截止日期应在发布之后"))
    if fields["replaced_by"] and fields["status"] == "有效":
        problems.append(Problem(doc.path, r.line("replaced_by"), f"写了{r.named('replaced_by')}，状态却是“有效”",
                                "被替代的文件请写 status: 已废止 或 status: 已修订", WARNING))
    if not (has_required and known and date and title and slug):
        return None, problems
    return schema.model(src_uri=src_uri, slug=slug, title=title, date=date, source=r.source(), body=doc.body,
                        **fields), problems


def _body_empty(doc: RawDoc) -> list[Problem]:
    if doc.body.strip():
        return []
    return [Problem(doc.path, doc.body_line, "通知正文为空", "在头信息的 --- 之后写正文")]


def _slug(doc: RawDoc, stem: str, problems: list[Problem]) -> str:
    slug = ids.slug_from_stem(stem)
    if ids.is_valid_id(slug) and not ids.is_reserved(slug):
        return slug
    better = ids.suggest_id(slug, "tong-zhi")
    problems.append(Problem(doc.path, 1, f"文件名“{short(stem)}”不能用作通知的网址：只能用小写英文字母、数字和 -",
                            f"请把文件改名为 {better}.md"))
    return ""


def _whole_day(raw: Any, when: Optional[dt.datetime]) -> Optional[dt.datetime]:
    """``2024-07-05`` closes at the end of that day, not at its first second."""
    if when is None or (isinstance(raw, str) and _HAS_TIME.search(raw)):
        return when
    return when.replace(hour=23, minute=59, second=59)


def _check_choice(r: Reader, key: str, value: str, choices: tuple[str, ...]) -> bool:
    if value in choices:
        return True
    if value:
        r.error(key, f"未知的{r.label(key)}“{short(value)}”", f"只能是 {'、'.join(choices)} 之一，例如 {key}: {choices[0]}")
    return False


# ---------------------------------------------------------------- attachments

@dataclasses.dataclass
class _Files:
    """What checking attachments needs of the site: content/ and its one walk."""

    content_dir: Path
    assets: AssetIndex
    content_root: str


def read_attachments(doc: RawDoc, files: _Files, problems: list[Problem]) -> list[Attachment]:
    """``attachments:`` as a list of ``{file, title}`` (or bare paths); each file checked."""
    value = doc.meta.get("attachments")
    if value is None or value == "" or value == []:
        return []
    items = value if isinstance(value, list) else [value]
    out = []
    for index, item in enumerate(items):
        path, title = _attachment_item(item)
        line = doc.item_line("attachments", index, "file") if isinstance(item, dict) else \
            doc.item_line("attachments", index)
        if not path:
            problems.append(Problem(doc.path, line, "附件的每一项应写出文件路径",
                                    "例如 - {file: files/2024/baoming.xlsx, title: 报名表}"))
            continue
        found = _attachment(path, title, doc.path, line, files, problems)
        if found is not None:
            out.append(found)
    return out


def _attachment_item(item: Any) -> tuple[str, str]:
    if isinstance(item, str):
        return item.strip(), ""
    if isinstance(item, dict) and isinstance(item.get("file"), str):
        title = item.get("title")
        return item["file"].strip(), title.strip() if isinstance(title, str) else ""
    return "", ""


def _attachment(path: str, title: str, where: str, line: int, files: _Files,
                problems: list[Problem]) -> Optional[Attachment]:
    kind = ATTACHMENT_KINDS.get(os.path.splitext(path)[1].lower())
    if kind is None:
        problems.append(Problem(where, line, f"附件“{short(path, 80)}”的类型不能发布",
                                "附件只能是 PDF、Word（.doc/.docx）、Excel（.xls/.xlsx）或 ZIP 文件"))
        return None
    if not check_file(path, files.content_dir, where, line, "附件", problems, home=FILES_FOLDER,
                      repo=files.content_root):
        return None
    rel = os.path.normpath(path.lstrip("/")).replace(os.sep, "/")
    if not rel.startswith(FILES_FOLDER) or rel not in files.assets.files():
        problems.append(Problem(where, line, f"附件“{short(path, 80)}”应放在 content/files/ 下",
                                "请把文件移到 content/files/ 下，并写成 files/… 的路径"))
        return None
    size = os.stat(files.content_dir / rel).st_size
    return Attachment(rel, title or Path(rel).stem, kind, size)


# ---------------------------------------------------------------- loading

def notice_with_files(doc: RawDoc, src_uri: str, settings: Settings, content_dir: Path, assets: AssetIndex,
                      content_root: str) -> tuple[Optional[Notice], list[Problem]]:
    """The notice of one file with its attachments (each checked, even when the notice fails)."""
    notice, problems = notice_from(doc, src_uri, settings)
    attachments = read_attachments(doc, _Files(content_dir, assets, content_root), problems)
    if notice is not None:
        notice.attachments = attachments
    return notice, problems


def check_notices(notices: list[Notice], problems: list[Problem]) -> list[Notice]:
    """The notices the graph loaded, one per URL, each ``replaced_by`` checked."""
    found: dict[str, Notice] = {}
    urls: dict[str, Notice] = {}
    for notice in notices:
        if _own_url(notice, urls, problems):
            found[notice.ref] = notice
    for notice in found.values():
        if notice.replaced_by and notice.replaced_by.removesuffix(".md") not in found:
            problems.append(_unknown_replacement(notice, found))
    return list(found.values())


def _own_url(notice: Notice, urls: dict[str, Notice], problems: list[Problem]) -> bool:
    other = urls.setdefault(notice.url, notice)
    if other is notice:
        return True
    problems.append(Problem(notice.source.path, 1, f"通知网址 /{notice.url} 与 {other.source.path} 重复",
                            "同一个月发布的两个通知不能用同一个文件名：请改一个文件名"))
    return False


def _unknown_replacement(notice: Notice, found: dict[str, Notice]) -> Problem:
    near = difflib.get_close_matches(notice.replaced_by, list(found), 1, 0.5)
    guess = f"是不是 {near[0]}？" if near else "请写 content/notices/ 下的路径，不带 .md，例如 2024/songqingliang"
    return Problem(notice.source.path, notice.source.line_of("replaced_by"),
                   f"替代文件“{short(notice.replaced_by)}”不存在：没有这个通知", guess)


# ---------------------------------------------------------------- the index

@dataclasses.dataclass
class NoticeIndex:
    """The notices the site publishes, in the orders pages need."""

    listed: list[Notice] = dataclasses.field(default_factory=list)   # pinned first, then newest first
    by_category: dict[str, list[Notice]] = dataclasses.field(default_factory=dict)   # each in ``listed`` order
    by_ref: dict[str, Notice] = dataclasses.field(default_factory=dict)   # replaced_by -> notice
    unpublished: list[Notice] = dataclasses.field(default_factory=list)


def index_notices(notices: list[Notice], settings: Settings) -> NoticeIndex:
    """Drafts and notices dated after the build stay out (unless previewing drafts)."""
    now = settings.build_time()
    shown = [n for n in notices if n.is_public(now) or settings.include_drafts]
    # Newest first; pinned ones (pinned_until still ahead) before all the others.
    shown.sort(key=lambda n: (n.date, n.url), reverse=True)
    shown.sort(key=lambda n: not n.is_pinned(now))
    by_category: dict[str, list[Notice]] = {c: [] for c in NOTICE_CATEGORIES}
    for n in shown:
        by_category[n.category].append(n)
    return NoticeIndex(shown, {c: listed for c, listed in by_category.items() if listed},
                       {n.ref: n for n in shown}, [n for n in notices if n not in shown])


def notice_pages(index: NoticeIndex) -> frozenset[str]:
    """The site URLs of the notices' pages, as a body links them (not percent-encoded):
    each published notice, /notices/, each category's listing, the feeds."""
    categories = {f"notices/{names.term_segment(c)}/" for c in index.by_category}
    return frozenset({n.url for n in index.listed} | categories
                     | {"notices/", "notices/feed.xml", "notices/feed.json"})
