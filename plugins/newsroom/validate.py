"""The validator: turns raw front matter into typed entities, and bad content
into ``Problem``s with a Chinese message and the line to fix.

Nothing here raises on content: every mistake becomes a Problem, so an editor
sees all of them in one run.
"""
from __future__ import annotations

import datetime as dt
import difflib
import os
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Optional
from urllib.parse import unquote, urlsplit

from . import ids, names
from .dates import ACCEPTED_FORMATS, DateError, parse_datetime
from .load import RawDoc, is_scratch_file
from .model import Article, Brand, Honor, Settings, SourceRef, Worker, free_page_url
from .problems import ERROR, WARNING, Problem
from .sanitize_report import body_problems
from .safety import Listing, contained, regular_file

# Fields each kind of file may have; the value says how to read it.
ARTICLE_FIELDS = {
    "title": "text", "date": "datetime", "kicker": "text", "subtitle": "text",
    "reporters": "list", "correspondents": "list", "source": "text", "region": "text",
    "brands": "list", "workers": "list", "tags": "list", "column": "text",
    "image": "path", "image_caption": "text", "image_credit": "text", "summary": "text",
    "featured": "bool", "draft": "bool", "updated": "datetime", "slug": "text",
}
BRAND_FIELDS = {
    "name": "text", "slogan": "text", "owner": "text", "region": "text", "family": "text",
    "attribute": "text", "since": "year", "logo": "path",
}
WORKER_FIELDS = {
    "name": "text", "honors": "honors", "occupation": "text", "employer": "text",
    "region": "text", "photo": "path",
}
# Free pages (content/pages/): MkDocs renders them; the theme shows these three.
PAGE_FIELDS = {"title": "text", "description": "text", "author": "text"}
REQUIRED = {"article": ("title", "date"), "brand": ("name",), "worker": ("name",), "page": ("title",)}
KIND_ZH = {"article": "文章", "brand": "品牌", "worker": "劳模工匠", "page": "页面"}
FIELD_ZH = {
    "title": "标题", "date": "发布时间", "name": "名称", "kicker": "引题", "subtitle": "副题",
    "reporters": "记者", "correspondents": "通讯员", "brands": "品牌", "workers": "劳模工匠",
    "tags": "标签", "column": "栏目", "image": "题图", "updated": "更新时间", "since": "创立年份",
    "honors": "荣誉", "logo": "标志", "photo": "照片", "slug": "网址名",
}
# Words editors reach for, mapped to the field they mean.
ALIASES = {
    "reporter": "reporters", "author": "reporters", "authors": "reporters", "记者": "reporters",
    "correspondent": "correspondents", "通讯员": "correspondents", "brand": "brands",
    "品牌": "brands", "worker": "workers", "劳模": "workers", "tag": "tags", "标签": "tags",
    "category": "column", "categories": "tags", "栏目": "column", "caption": "image_caption",
    "credit": "image_credit", "description": "summary", "摘要": "summary", "引题": "kicker",
    "副题": "subtitle", "标题": "title", "日期": "date", "时间": "date", "photo": "image",
    "picture": "image", "cover": "image", "图片": "image", "照片": "image", "标志": "logo", "honor": "honors", "荣誉": "honors",
    "job": "occupation", "company": "employer", "地区": "region", "名称": "name",
    "modified": "updated", "lastmod": "updated", "published": "date",
}
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

    def error(self, key: str, message: str, hint: str = "") -> None:
        self.problems.append(Problem(self.doc.path, self.line(key), message, hint))

    def text(self, key: str) -> str:
        value = self.doc.meta.get(key)
        if value is None:
            return ""
        if isinstance(value, (list, dict)):
            self.error(key, f"“{key}”（{FIELD_ZH.get(key, key)}）应是一段文字，不能是列表或字段组",
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
            self.error(key, f"“{key}”（{FIELD_ZH.get(key, key)}）应是列表，不能是字段组", f"例如 {key}: [甲, 乙]")
            return []
        out = []
        for index, item in enumerate(value):
            if isinstance(item, str) and item and not _SUSPECT.search(item):
                out.append(item)          # the common case, kept cheap: 10,000 articles' tags
            elif isinstance(item, (list, dict)):
                self.error(key, f"“{key}”（{FIELD_ZH.get(key, key)}）的每一项应是文字", f"例如 {key}: [甲, 乙]")
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
        label = f"“{key}”（{FIELD_ZH.get(key, key)}）"
        separator = _CN_SEPARATORS.search(text) if index >= 0 else None
        if text[0] in _FULL_WIDTH_BRACKETS or text[-1] in _FULL_WIDTH_BRACKETS:
            parts = _LIST_SPLIT.split(text.strip(_FULL_WIDTH_BRACKETS + " \u3000"))
            self._item_error(line, f"{label}用了全角方括号“［ ］”", "改用半角的方括号和逗号", key, parts)
        elif "- " in text and _DASHED.search(text):
            parts = _DASHED.split(text)
            self._item_error(line, f"{label}的列表缩进不对，几项被连成了一项“{_short(text)}”",
                             f"每项单独一行，以“- ”开头，并比 {key} 多缩进两个空格；或者写在一行", key, parts)
        elif separator:
            parts = _LIST_SPLIT.split(text)
            self._item_error(line, f"{label}的一项“{_short(text)}”里有{_CN_SEPARATOR_ZH[separator.group()]}，"
                             "会被当成一项", "方括号里的各项要用半角逗号加空格分隔", key, parts)
        parts = [p.strip() for p in parts if p.strip()]
        for part in parts:
            if (" " in part or "\u3000" in part) and _CJK_SPACE.search(part):
                self.problems.append(Problem(
                    self.doc.path, line, f"{label}的“{_short(part)}”中间有空格，将作为一项",
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
        shown = f"“{_short(value)}”" if isinstance(value, str) else "列表或字段组"
        self.error(key, f"“{key}”只能是 true 或 false，不能是{shown}",
                   f"要的话写 {key}: true，不要就写 {key}: false 或删掉这一行")
        return False

    def datetime(self, key: str) -> Optional[dt.datetime]:
        value = self.doc.meta.get(key)
        if value is None or value == "":
            return None
        try:
            return parse_datetime(value, self.tz)
        except DateError as exc:
            self.error(key, f"{FIELD_ZH.get(key, key)}（{key}）有误：{exc}", f"可用的写法：{ACCEPTED_FORMATS}")
            return None

    def year(self, key: str) -> Optional[int]:
        text = self.text(key)
        if not text:
            return None
        m = re.fullmatch(r"([0-9]{4})\s*年?", text)
        if not m:
            self.error(key, f"{FIELD_ZH.get(key, key)}应是四位年份，例如 2021，不能是“{_short(text)}”")
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

    def honor(self, key: str, item: dict, index: int) -> Honor:
        title = item["title"].strip()
        year = item.get("year", "")
        year = year.strip().removesuffix("年") if isinstance(year, str) else None
        if year is None or (year and not re.fullmatch(r"[0-9]{4}", year)):
            # At the year's own line: in a list over many lines, `honors:` may be far above.
            self.problems.append(Problem(self.doc.path, self.doc.item_line(key, index, "year"),
                                         f"荣誉“{_short(title)}”的年份应是四位数字，例如 2021",
                                         "写成 {title: 荣誉名称, year: 2021}"))
            year = ""
        return Honor(title, int(year) if year else None)

    def check_fields(self, allowed: dict[str, str]) -> None:
        for key in self.doc.meta:
            if key in allowed:
                continue
            name = str(key)[:60]
            guess = ALIASES.get(name) or ALIASES.get(name.strip().lower()) or ""
            if "image" in (guess, name) or name in ("logo", "photo") or guess in ("logo", "photo"):  # each kind has its own picture field
                guess = next((f for f in ("image", "photo", "logo") if f in allowed), guess)
            if guess not in allowed:
                guess = next(iter(difflib.get_close_matches(name.strip().lower(), allowed, 1, 0.6)), "")
            hint = f"是不是“{guess}”？" if guess and guess in allowed else f"可用字段：{'、'.join(allowed)}"
            self.problems.append(Problem(self.doc.path, self.line(key), f"未知字段“{name}”，将被忽略",
                                         hint, WARNING))

    def check_required(self) -> bool:
        ok = True
        for key in REQUIRED[self.kind]:
            value = self.doc.meta.get(key)
            if value is None or value in ([], {}) or (isinstance(value, str) and not value.strip()):
                ok = False
                self.problems.append(Problem(
                    self.doc.path, self.doc.lines.get(key, 1),
                    f"{KIND_ZH[self.kind]}缺少必填字段“{key}”（{FIELD_ZH.get(key, key)}）",
                    f"在头信息中加上一行 {key}: …"))
        return ok

    def source(self) -> SourceRef:
        return SourceRef(self.doc.path, dict(self.doc.lines), self.doc.body_line)


def _short(value: object, limit: int = 40) -> str:
    """A value quoted back to the editor, cut so one bad line cannot flood the report."""
    text = value if isinstance(value, str) else str(type(value).__name__)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"


def _check_id(stem: str, doc: RawDoc, kind: str, problems: list[Problem]) -> bool:
    if ids.is_reserved(stem):
        name = doc.meta.get("name")
        better = ids.suggest_id(name if isinstance(name, str) and name.strip() else stem, kind)
        problems.append(_reserved(doc.path, 1, f"文件名“{stem}”", f"请把文件改名，例如 {better}.md", stem))
        return False
    if ids.is_valid_id(stem):
        return True
    problems.append(Problem(doc.path, 1, f"文件名“{_short(stem)}”不能用作{KIND_ZH[kind]}的网址：只能用小写英文字母、数字和 -",
                            f"请把文件改名为 {ids.suggest_id(stem, kind)}.md"))
    return False


def _reserved(path: str, line: int, what: str, hint: str, name: str) -> Problem:
    """index, page, feed …: the generator's own pages would be replaced by this one."""
    reason = names.reserved_reason(name) or "是网站保留的名字，不能用作网址"
    return Problem(path, line, f"{what}{reason}", hint)


def _check_body(doc: RawDoc, kind: str, problems: list[Problem]) -> None:
    if kind == "article" and not doc.body.strip():
        problems.append(Problem(doc.path, doc.body_line, "文章正文为空", "在头信息的 --- 之后写正文"))


def _article_slug(r: Reader, stem: str) -> str:
    """The slug from `slug:` or the file name; '' (and a problem) when it cannot be a URL."""
    given = r.text("slug")
    slug = given or ids.slug_from_stem(stem)
    if ids.is_reserved(slug) or stem == "index":
        title = r.text("title")
        better = ids.suggest_id(title, "wen-zhang")
        if stem == "index":   # news/2021/index.md is the 2021 archive's own file, whatever the slug
            r.problems.append(_reserved(r.doc.path, 1, "文件名“index”", f"请把文件改名为 {better}.md", stem))
        elif given:
            r.problems.append(_reserved(r.doc.path, r.line("slug"), f"网址名 slug“{slug}”", f"请改为 slug: {better}", slug))
        else:
            r.problems.append(_reserved(r.doc.path, 1, f"文件名“{stem}”",
                                        f"请把文件改名为 {better}.md，或在头信息中加上 slug: {better}", slug))
        return ""
    if ids.is_valid_id(slug):
        return slug
    fixed = ids.suggest_id(slug, "wen-zhang")
    if given:
        r.problems.append(Problem(r.doc.path, r.line("slug"), f"网址名 slug“{_short(slug)}”只能用小写英文字母、数字和 -",
                                  f"请改为 slug: {fixed}"))
    else:
        r.problems.append(Problem(r.doc.path, 1, f"文件名“{_short(stem)}”不能用作文章网址：只能用小写英文字母、数字和 -",
                                  f"请把文件改名为 {fixed}.md，或在头信息中加上 slug: {fixed}"))
    return ""


def _check_terms(r: Reader, fields: dict[str, Any]) -> None:
    """Tags, region and column become folders (tags/<标签>/): a name that cannot be one
    is an error at its line, and left out so nothing else fails around it."""
    fields["tags"] = [t for t in fields["tags"] if _term_ok(r, "tags", "tag", t)]
    for kind in ("region", "column"):
        if fields[kind] and not _term_ok(r, kind, kind, fields[kind]):
            fields[kind] = ""


def _term_ok(r: Reader, key: str, kind: str, name: str) -> bool:
    reason = names.term_problem(name)
    if reason is None:
        return True
    folder, label, example = names.TERM_FOLDERS[kind]
    raw = r.doc.meta.get(key)
    index = next((i for i, item in enumerate(raw) if isinstance(item, str) and item.strip() == name), -1) \
        if isinstance(raw, list) else -1
    line = r.doc.item_line(key, index) if index >= 0 else r.line(key)
    r.problems.append(Problem(r.doc.path, line, f"{label}“{_short(names.visible(name))}”{reason}",
                              f"它会成为网址 /{folder}/…/ 的一部分：请写成普通的{label}名称，例如 {key}: {example}"))
    return False


def article_from(doc: RawDoc, src_uri: str, settings: Settings) -> tuple[Optional[Article], list[Problem]]:
    problems: list[Problem] = []
    r = Reader(doc, "article", settings.tz, problems)
    r.check_fields(ARTICLE_FIELDS)
    has_required = r.check_required()
    _check_body(doc, "article", problems)
    date = r.datetime("date")
    slug = _article_slug(r, Path(src_uri).stem)
    fields = dict(
        kicker=r.text("kicker"), subtitle=r.text("subtitle"), reporters=r.list("reporters"),
        correspondents=r.list("correspondents"), dateline=r.text("source"), region=r.text("region"),
        brand_refs=r.list("brands"), worker_refs=r.list("workers"), tags=r.list("tags"),
        column=r.text("column"), image=r.text("image"), image_caption=r.text("image_caption"),
        image_credit=r.text("image_credit"), summary=r.text("summary"), featured=r.boolean("featured"),
        draft=r.boolean("draft"), updated=r.datetime("updated"),
    )
    _check_terms(r, fields)
    title = r.text("title")
    if not (has_required and date and slug and title):
        return None, problems
    if date > settings.build_time() + dt.timedelta(days=366):
        problems.append(Problem(doc.path, r.line("date"), f"发布时间 {date:%Y-%m-%d} 在一年以后，文章要到那时才会发布",
                                "请检查年份是否打错", WARNING))
    if fields["updated"] and fields["updated"] < date:
        problems.append(Problem(doc.path, r.line("updated"), "更新时间早于发布时间",
                                "updated 应是发布之后的更正时间", WARNING))
    return Article(src_uri=src_uri, slug=slug, title=title, date=date, source=r.source(),
                   body=doc.body, **fields), problems


def brand_from(doc: RawDoc, stem: str, settings: Settings) -> tuple[Optional[Brand], list[Problem]]:
    problems: list[Problem] = []
    r = Reader(doc, "brand", settings.tz, problems)
    r.check_fields(BRAND_FIELDS)
    ok = _check_id(stem, doc, "brand", problems) & r.check_required()
    problems.extend(body_problems(doc.body, doc.body_line, doc.path))   # brands have no body images check
    brand = Brand(id=stem, name=r.text("name"), source=r.source(), body=doc.body,
                  slogan=r.text("slogan"), owner=r.text("owner"), region=r.text("region"),
                  family=r.text("family"), attribute=r.text("attribute"), since=r.year("since"),
                  logo_src=r.text("logo"))
    return (brand if ok and brand.name else None), problems


def worker_from(doc: RawDoc, stem: str, settings: Settings) -> tuple[Optional[Worker], list[Problem]]:
    problems: list[Problem] = []
    r = Reader(doc, "worker", settings.tz, problems)
    r.check_fields(WORKER_FIELDS)
    ok = _check_id(stem, doc, "worker", problems) & r.check_required()
    worker = Worker(id=stem, name=r.text("name"), source=r.source(), body=doc.body,
                    honors=r.honors("honors"), occupation=r.text("occupation"),
                    employer=r.text("employer"), region=r.text("region"), photo=r.text("photo"))
    return (worker if ok and worker.name else None), problems


def page_problems(doc: RawDoc, src_uri: str, settings: Settings) -> list[Problem]:
    """A free page under content/pages/: its fields, and a URL of its own.

    MkDocs renders these pages itself, reading the front matter again: a file it
    would misread (a full-width colon, GBK) must be stopped here.
    """
    problems: list[Problem] = []
    r = Reader(doc, "page", settings.tz, problems)
    r.check_fields(PAGE_FIELDS)
    r.check_required()
    for key in PAGE_FIELDS:
        r.text(key)
    _check_page_url(doc, src_uri, problems)
    return problems


def _check_page_url(doc: RawDoc, src_uri: str, problems: list[Problem]) -> None:
    folders = src_uri.removeprefix("pages/").removesuffix(".md").split("/")
    for position, name in enumerate(folders):
        if name != "index" and ids.is_reserved(name) or name == "index" and position < len(folders) - 1:
            problems.append(_reserved(doc.path, 1, f"“{name}”", f"请把“{name}”改名为 {ids.suggest_id(name, 'page')}",
                                      name))
            return
        if not ids.is_valid_id(name) and name != "index":
            problems.append(Problem(doc.path, 1, f"“{_short(name)}”不能用作页面的网址：只能用小写英文字母、数字和 -",
                                    f"请把“{_short(name)}”改名为 {ids.suggest_id(name, 'page')}"))
            return
    url = free_page_url(src_uri)
    first = url.split("/")[0]
    if not url:
        problems.append(Problem(doc.path, 1, "这个文件会占用网站首页的网址 /，而首页是自动生成的",
                                "请把文件改名，例如 content/pages/about.md"))
    elif first in ids.GENERATED_FOLDERS:
        problems.append(Problem(doc.path, 1, f"页面网址 /{url} 与网站自动生成的 /{first}/ 页面冲突",
                                "请换一个文件名或文件夹名，不要用 " + "、".join(sorted(ids.GENERATED_FOLDERS))))


# ---------------------------------------------------------------- references

class BrokenFiles:
    """Files that exist but could not be loaded (errors of their own), by every name
    a reference might use: id, ``name:``, article path.

    A reference to one of them is not "unknown": saying so, with the closest other
    entity as a suggestion, would send the editor to retag a good article. At most
    one note per broken file says where the real error is.
    """

    def __init__(self) -> None:
        self._paths: dict[tuple[str, str], str] = {}
        self._kinds: set[str] = set()
        self._noted: set[str] = set()

    def add(self, kind: str, path: str, *names: object) -> None:
        self._kinds.add(kind)
        for name in names:
            if isinstance(name, str) and name.strip():
                self._paths.setdefault((kind, name.strip()), path)

    def find(self, kind: str, ref: str) -> str:
        """The broken file ``ref`` means, '' if none."""
        if kind not in self._kinds:
            return ""
        path = self._paths.get((kind, ref))
        if path is None and not ref.isascii():   # 柯工益 for brands/ke-gong-yi.md, its name unreadable
            path = self._paths.get((kind, ids.pinyin_id(ref)))
        return path or ""

    def note(self, path: str, where: str, line: int, what: str, problems: list[Problem]) -> None:
        if path in self._noted:
            return
        self._noted.add(path)
        problems.append(Problem(where, line, f"{what}所在的文件 {path} 本身有错误，这里的引用暂时无效",
                                f"先改好 {path} 里的错误，这里不用改", WARNING))


def suggest(name: str, candidates: list[str]) -> str:
    """The closest known name, for 柯工寨 -> 柯工赛."""
    match = difflib.get_close_matches(name, candidates, n=1, cutoff=0.5)
    return match[0] if match else ""


def resolve_refs(refs: list[str], by_id: dict, by_name: dict[str, list], entity: Article,
                 key: str, problems: list[Problem], choices: Optional[list[str]] = None,
                 broken: Optional[BrokenFiles] = None) -> list:
    """Resolve brand or worker references (ids or exact names) in order, once each."""
    out: list = []
    kind = "品牌" if key == "brands" else "劳模工匠"
    for ref in refs:
        found = by_id.get(ref)
        if found is None:
            named = by_name.get(ref, [])
            if len(named) == 1:
                found = named[0]
            elif len(named) > 1:
                problems.append(Problem(entity.source.path, entity.source.line_of(key),
                                        f"{kind}名称“{ref}”对应多个条目，无法确定是哪一个",
                                        "请改用 id：" + "、".join(e.id for e in named)))
                continue
        broken_path = broken.find(key, ref) if found is None and broken is not None else ""
        if broken_path:
            broken.note(broken_path, entity.source.path, entity.source.line_of(key), f"{kind}“{_short(ref)}”",
                        problems)
        elif found is None:
            close = suggest(ref, choices if choices is not None else list(by_id) + list(by_name))
            problems.append(Problem(entity.source.path, entity.source.line_of(key),
                                    f"找不到{kind}“{_short(ref)}”",
                                    f"是不是“{close}”？" if close else f"请先在{'brands/' if key == 'brands' else 'content/workers/'}下建立它"))
        elif found not in out:
            out.append(found)
    return out


_MD_LINK = re.compile(r"(?<!\!)\[[^\]\n]*\]\(\s*<?([^)\s>]+?\.md)(?:#[^)\s>]*)?>?(?:\s+[\"'][^\"'\n]*[\"'])?\s*\)")
_REF_LINK = re.compile(r"^ {0,3}\[[^\]\n]+\]:\s*<?([^\s>]+?\.md)(?:#\S*)?>?(?:\s.*)?$")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")


class LinkIndex:
    """The Markdown files a link may point at, and how to suggest the right one.

    The by-name and by-folder indexes are built once, and only when a link
    is broken: a site without broken links pays nothing for them.
    """

    def __init__(self, known: set[str], unpublished: set[str] = frozenset(),
                 broken: Optional[BrokenFiles] = None):
        self.known = known
        self.unpublished = unpublished
        self.broken = broken
        self._by_name: dict[str, list[str]] | None = None
        self._by_dir: dict[str, list[str]] | None = None

    def _build(self) -> None:
        self._by_name, self._by_dir = {}, {}
        for src in self.known:
            folder, _, name = src.rpartition("/")
            self._by_name.setdefault(name, []).append(src)
            self._by_dir.setdefault(folder, []).append(name)

    def suggest(self, resolved: str, base: str) -> str:
        """A relative link that probably was meant, '' if none is close."""
        if self._by_name is None:
            self._build()
        assert self._by_name is not None and self._by_dir is not None
        folder, _, name = resolved.rpartition("/")
        same = sorted(self._by_name.get(name, []))
        if not same:
            close = difflib.get_close_matches(name, self._by_dir.get(folder, []), 1, 0.6)
            same = [f"{folder}/{close[0]}" if folder else close[0]] if close else []
        return posixpath.relpath(same[0], base or ".") if same else ""


def check_links(article: Article, known: "set[str] | LinkIndex", problems: list[Problem]) -> None:
    """Relative links to other .md files must point at a published file that exists."""
    if ".md" not in article.body:
        return
    index = known if isinstance(known, LinkIndex) else LinkIndex(known)
    base = posixpath.dirname(article.src_uri)
    for lineno, line in _lines_with(article.body, article.source.body_line, ".md"):
        targets = _MD_LINK.findall(line)
        ref = _REF_LINK.match(line)
        if ref:
            targets.append(ref.group(1))
        for target in targets:
            if "://" in target or target.startswith(("/", "mailto:")):
                continue
            resolved = _normalise(Path(base) / unquote(target))
            if resolved in index.known:
                continue
            if resolved in index.unpublished:
                problems.append(Problem(article.source.path, lineno,
                                        f"链接“{_short(target, 80)}”指向的文章还是草稿或尚未到发布时间",
                                        "先发布那篇文章，或暂时删掉这个链接"))
                continue
            broken_path = index.broken.find("articles", resolved) if index.broken is not None else ""
            if broken_path:   # the file is there, with errors of its own: no other article to suggest
                index.broken.note(broken_path, article.source.path, lineno, f"链接“{_short(target, 80)}”指向的文章",
                                  problems)
                continue
            close = index.suggest(resolved, base)
            problems.append(Problem(article.source.path, lineno, f"链接“{_short(target, 80)}”指向的文章不存在",
                                    f"是不是 {close}？" if close else
                                    "请检查链接的相对路径：从本文所在的文件夹算起，上一级文件夹写 ../"))


def _lines_with(body: str, first_line: int, needle: str) -> Iterator[tuple[int, str]]:
    """The body's lines containing ``needle``, with their file line numbers, fenced code
    left out. Without fences, only those lines are looked at (not every line of 10,000
    bodies)."""
    if "```" not in body and "~~~" not in body:
        start = body.find(needle)
        while start >= 0:
            begin = body.rfind("\n", 0, start) + 1
            end = body.find("\n", start)
            end = len(body) if end < 0 else end
            yield first_line + body.count("\n", 0, begin), body[begin:end]
            start = body.find(needle, end)
        return
    fence = ""
    for lineno, line in enumerate(body.split("\n"), start=first_line):
        m = _FENCE.match(line)
        if m:
            fence = "" if fence == m.group(1) else (fence or m.group(1))
        elif not fence and needle in line:
            yield lineno, line


_MD_IMAGE = re.compile(r"!\[[^\]\n]*\]\(\s*<?([^)\s>]+)>?(?:\s+[\"'][^\"'\n]*[\"'])?\s*\)")
_CODE_SPAN = re.compile(r"`[^`\n]*`")


class AssetIndex:
    """Every file under content/ that may be published (safety.list_folder's one walk of
    the folder: links out and special files left out) instead of a stat per image, in
    exact case, as the web server will see it, even on a case-insensitive disk."""

    def __init__(self, root: Path, listing: Listing):
        self.root = root
        self.listing = listing
        self._files: Optional[set[str]] = None
        self._by_name: Optional[dict[str, list[str]]] = None

    def files(self) -> set[str]:
        if self._files is None:
            self._files = {rel for rel in self.listing.paths()
                           if not rel.endswith(".md") and not is_scratch_file(rel.rpartition("/")[2])}
        return self._files

    def near(self, rel: str) -> str:
        """A file that was probably meant: same name in another folder, or another case."""
        if self._by_name is None:
            self._by_name = {}
            for file in self.files():
                self._by_name.setdefault(file.rpartition("/")[2].lower(), []).append(file)
        found = sorted(self._by_name.get(rel.rpartition("/")[2].lower(), []))
        return found[0] if found else ""


def check_body_images(doc: RawDoc, src_uri: str, assets: AssetIndex, problems: list[Problem]) -> None:
    """Markdown images in the body (``![说明](../../images/x.jpg)``) must exist, resolved from
    the file's own folder as MkDocs will. Raw HTML ``<img src>`` is left alone: MkDocs does
    not rewrite it, so it is relative to the published page, not to the file.

    Also what the allow-list removes from the body, and images from other sites
    (``sanitize_report``)."""
    problems.extend(body_problems(doc.body, doc.body_line, doc.path))
    if "![" not in doc.body:
        return
    base = posixpath.dirname(src_uri)
    for lineno, line in _lines_with(doc.body, doc.body_line, "!["):
        line = _CODE_SPAN.sub("", line)
        for src in _MD_IMAGE.findall(line):
            problem = _body_image_problem(src, base, assets)
            if problem:
                problems.append(Problem(doc.path, lineno, *problem))


def _body_image_problem(src: str, base: str, assets: AssetIndex) -> Optional[tuple[str, str]]:
    path = src
    if ":" in src or "?" in src or "#" in src or src.startswith("//"):   # else plainly a path: skip the parsing
        parts = urlsplit(src)
        if parts.scheme or parts.netloc or not parts.path:
            return None          # another site's image, or data: — not a file of this site
        path = parts.path
    if "%" in path:
        path = unquote(path)
    target = posixpath.normpath(path.lstrip("/") if path.startswith("/") else posixpath.join(base, path))
    prefix = f"{assets.root.name}/"
    shown = _short(src, 80)
    if target == ".." or target.startswith("../"):
        return (f"正文图片“{shown}”不在网站目录中",
                f"请把图片放进 {prefix}images/，再从本文所在的文件夹写相对路径，上一级写 ../")
    if target in assets.files():
        return None
    if assets.listing.escapes(target):
        return (f"正文图片“{shown}”是指向网站目录之外的链接，不会发布",
                f"请把图片本身（不是链接）放进 {prefix}images/")
    near = assets.near(target)
    guess = f"；是不是 {posixpath.relpath(near, base or '.')}？" if near else ""
    return (f"正文图片“{shown}”不存在",
            f"程序找的是 {prefix}{target}：请把图片放到那里，或改正路径（从本文所在的文件夹算起，上一级写 ../）{guess}")


def _normalise(path: Path) -> str:
    parts: list[str] = []
    for part in path.as_posix().split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if parts:
                parts.pop()
            continue
        parts.append(part)
    return "/".join(parts)


def check_file(path_text: str, root: Path, doc_path: str, line: int, what: str,
               problems: list[Problem], prefix: Optional[str] = None, home: str = "",
               repo: Optional[str] = None) -> bool:
    """An image, photo or logo path must exist under its root.

    ``prefix`` is how editors call ``root`` in hints (``content/``); '' for the
    site's own folder (brand logos are written as ``brands/img/x.svg``). ``home``
    is the folder such paths must start with (``brands/``), '' if any. The path
    must stay in ``root`` as written; links in it may lead anywhere in ``repo``
    (safety.site_root; ``root`` if not given), never out.
    """
    if not path_text:
        return False
    prefix = f"{root.name}/" if prefix is None else prefix
    shown = _short(path_text, 80)
    if "://" in path_text or path_text.startswith("//"):
        problems.append(Problem(doc_path, line, f"{what}“{shown}”是外部网址：本站不引用其他网站的资源",
                                f"请把图片放进 {prefix}images/ 并写相对路径" if prefix else "请把图片放进 brands/img/ 并写相对路径"))
        return False
    if "\\" in path_text:
        problems.append(Problem(doc_path, line, f"{what}路径“{shown}”里不能用反斜杠 \\",
                                "请改用 /，例如 images/2021/photo.jpg"))
        return False
    try:
        base = os.path.abspath(root)
        candidate = os.path.normpath(os.path.join(base, path_text.lstrip("/")))
        inside = candidate == base or candidate.startswith(base.rstrip(os.sep) + os.sep)
    except ValueError:            # a NUL in the path
        inside = False
    if inside and _through_link(candidate, base) and not contained(candidate, repo or root):
        problems.append(Problem(doc_path, line, f"{what}“{shown}”不能使用：它是指向网站目录之外的链接，或在隐藏文件夹中，不会发布",
                                f"请把文件本身（不是链接）放进 {prefix or 'brands/img/'} 下"))
        return False
    exists = inside and regular_file(candidate)
    if not inside:
        problems.append(Problem(doc_path, line, f"{what}“{shown}”不在网站目录中",
                                f"请把文件放进 {prefix} 下，并写相对于 {prefix} 的路径" if prefix else "请把文件放进 brands/img/ 下"))
        return False
    if not exists:
        problems.append(Problem(doc_path, line, f"{what}“{shown}”不存在",
                                _missing_file_hint(path_text.lstrip("/"), root, prefix, home)))
        return False
    return True


def _through_link(candidate: str, base: str) -> bool:
    """Whether a link lies on the way from ``base`` to ``candidate`` (the rest is as written)."""
    try:
        real = os.path.relpath(os.path.realpath(candidate), os.path.realpath(base))
    except ValueError:
        return True
    return real != os.path.relpath(candidate, base)


def _missing_file_hint(rel: str, root: Path, prefix: str, home: str) -> str:
    """Where the file should be; a path written from the wrong folder gets the path to write."""
    if prefix and rel.startswith(prefix):        # content/images/x.jpg: content/ written twice
        fixed = rel[len(prefix):]
        where = "" if (root / fixed).is_file() else f"，并确认文件在 {prefix}{fixed}"
        return f"路径从 {prefix} 算起，开头不要再写 {prefix}：请写成 {fixed}{where}"
    if home and not rel.startswith(home):        # img/x.svg for a logo: brands/img/x.svg
        fixed = home + rel
        where = "" if (root / fixed).is_file() else f"，并确认文件在 {fixed}"
        return f"路径从网站目录算起，要以 {home} 开头：请写成 {fixed}{where}"
    other_case = _other_case(root, rel)
    if other_case:         # SongQingLiang.JPG for songqingliang.jpg: the web server tells them apart
        return f"文件应放在 {prefix}{rel}；大小写不同的文件是有的：是不是 {other_case}？"
    return f"文件应放在 {prefix}{rel}；请检查文件名和大小写"


def _other_case(root: Path, rel: str) -> str:
    """``rel`` with each part in the case the disk has it, '' if no such file."""
    folder, found = root, []
    for part in rel.split("/"):
        if part in ("", "."):
            continue
        try:
            names = os.listdir(folder)
        except OSError:
            return ""
        match = part if part in names else next((n for n in sorted(names) if n.lower() == part.lower()), "")
        if not match:
            return ""
        found.append(match)
        folder = folder / match
    return "/".join(found) if folder.is_file() else ""


__all__ = ["article_from", "brand_from", "worker_from", "page_problems", "resolve_refs", "check_links",
           "LinkIndex", "BrokenFiles", "AssetIndex", "check_body_images", "check_file", "suggest",
           "ERROR", "WARNING"]
