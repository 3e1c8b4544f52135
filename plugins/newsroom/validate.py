"""The validator: turns raw front matter into typed entities, and bad content
into ``Problem``s with a Chinese message and the line to fix.

Nothing here raises on content: every mistake becomes a Problem, so an editor
sees all of them in one run.
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Optional

from . import ids
from .dates import ACCEPTED_FORMATS, DateError, parse_datetime
from .load import RawDoc
from .model import Article, Brand, Honor, Settings, SourceRef, Worker
from .problems import ERROR, WARNING, Problem

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
REQUIRED = {"article": ("title", "date"), "brand": ("name",), "worker": ("name",)}
KIND_ZH = {"article": "文章", "brand": "品牌", "worker": "劳模工匠"}
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
    "picture": "image", "cover": "image", "图片": "image", "honor": "honors", "荣誉": "honors",
    "job": "occupation", "company": "employer", "地区": "region", "名称": "name",
    "modified": "updated", "lastmod": "updated", "published": "date",
}
_LIST_SPLIT = re.compile(r"\s*[、，,；;]\s*")
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
            self.error(key, f"“{key}”应是一段文字，不能是列表或字段组")
            return ""
        return str(value).strip()

    def list(self, key: str) -> list[str]:
        value = self.doc.meta.get(key)
        if value is None or value == "":
            return []
        if isinstance(value, str):
            return [v for v in _LIST_SPLIT.split(value.strip()) if v]
        if isinstance(value, dict):
            self.error(key, f"“{key}”应是列表，例如 {key}: [甲, 乙]")
            return []
        out = []
        for item in value:
            if isinstance(item, (list, dict)):
                self.error(key, f"“{key}”的每一项应是文字")
            elif str(item).strip():
                out.append(str(item).strip())
        return out

    def boolean(self, key: str) -> bool:
        value = self.doc.meta.get(key)
        if value is None:
            return False
        text = str(value).strip().lower() if isinstance(value, str) else None
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        self.error(key, f"“{key}”只能是 true 或 false，不能是“{value}”")
        return False

    def datetime(self, key: str) -> Optional[dt.datetime]:
        value = self.doc.meta.get(key)
        if value is None or value == "":
            return None
        try:
            return parse_datetime(value, self.tz)
        except DateError as exc:
            self.error(key, f"{FIELD_ZH.get(key, key)}：{exc}", f"可用的写法：{ACCEPTED_FORMATS}")
            return None

    def year(self, key: str) -> Optional[int]:
        text = self.text(key)
        if not text:
            return None
        m = re.fullmatch(r"(\d{4})\s*年?", text)
        if not m:
            self.error(key, f"{FIELD_ZH.get(key, key)}应是四位年份，例如 2021，不能是“{text}”")
            return None
        return int(m.group(1))

    def honors(self, key: str) -> list[Honor]:
        value = self.doc.meta.get(key)
        if value is None or value == "":
            return []
        items = [value] if isinstance(value, (str, dict)) else value
        out = []
        for item in items:
            if isinstance(item, str):
                out.extend(Honor(t) for t in _LIST_SPLIT.split(item.strip()) if t)
            elif isinstance(item, dict) and str(item.get("title", "")).strip():
                year = str(item.get("year", "")).strip()
                if year and not year.isdigit():
                    self.error(key, f"荣誉“{item['title']}”的年份应是数字，不能是“{year}”")
                    year = ""
                out.append(Honor(str(item["title"]).strip(), int(year) if year else None))
            else:
                self.error(key, "每项荣誉应是文字，或 {title: 荣誉名称, year: 年份}")
        return out

    def check_fields(self, allowed: dict[str, str]) -> None:
        for key in self.doc.meta:
            if key in allowed:
                continue
            guess = ALIASES.get(str(key)) or next(iter(difflib.get_close_matches(str(key), allowed, 1, 0.6)), "")
            hint = f"是不是“{guess}”？" if guess and guess in allowed else f"可用字段：{'、'.join(allowed)}"
            self.problems.append(Problem(self.doc.path, self.line(key), f"未知字段“{key}”，将被忽略",
                                         hint, WARNING))

    def check_required(self) -> bool:
        ok = True
        for key in REQUIRED[self.kind]:
            if key not in self.doc.meta or self.doc.meta[key] in (None, "", [], {}):
                ok = False
                self.problems.append(Problem(
                    self.doc.path, self.doc.lines.get(key, 1),
                    f"{KIND_ZH[self.kind]}缺少必填字段“{key}”（{FIELD_ZH.get(key, key)}）",
                    f"在头信息中加上一行 {key}: …"))
        return ok

    def source(self) -> SourceRef:
        return SourceRef(self.doc.path, dict(self.doc.lines), self.doc.body_line)


def _check_id(stem: str, doc: RawDoc, kind: str, problems: list[Problem]) -> bool:
    if ids.is_valid_id(stem):
        return True
    problems.append(Problem(doc.path, 1, f"文件名“{stem}”不能用作{KIND_ZH[kind]}的网址：只能用小写英文字母、数字和 -",
                            f"请改名为 {ids.pinyin_id(stem)}.md"))
    return False


def _check_body(doc: RawDoc, kind: str, problems: list[Problem]) -> None:
    if kind == "article" and not doc.body.strip():
        problems.append(Problem(doc.path, doc.body_line, "文章正文为空", "在头信息的 --- 之后写正文"))


def article_from(doc: RawDoc, src_uri: str, settings: Settings) -> tuple[Optional[Article], list[Problem]]:
    problems: list[Problem] = []
    r = Reader(doc, "article", settings.tz, problems)
    r.check_fields(ARTICLE_FIELDS)
    has_required = r.check_required()
    _check_body(doc, "article", problems)
    date = r.datetime("date")
    stem = Path(src_uri).stem
    slug = r.text("slug") or ids.slug_from_stem(stem)
    if not ids.is_valid_id(slug):
        where = "slug" if r.text("slug") else "title"
        problems.append(Problem(doc.path, r.line("slug") if r.text("slug") else 1,
                                f"文章网址名“{slug}”只能用小写英文字母、数字和 -",
                                f"请改为 {ids.pinyin_id(slug)}" + ("" if where == "slug" else "（修改文件名，或加上 slug 字段）")))
        slug = ""
    if stem == "index":
        problems.append(Problem(doc.path, 1, "文章文件不能命名为 index.md", "请用文章的拼音或英文作文件名"))
    fields = dict(
        kicker=r.text("kicker"), subtitle=r.text("subtitle"), reporters=r.list("reporters"),
        correspondents=r.list("correspondents"), dateline=r.text("source"), region=r.text("region"),
        brand_refs=r.list("brands"), worker_refs=r.list("workers"), tags=r.list("tags"),
        column=r.text("column"), image=r.text("image"), image_caption=r.text("image_caption"),
        image_credit=r.text("image_credit"), summary=r.text("summary"), featured=r.boolean("featured"),
        draft=r.boolean("draft"), updated=r.datetime("updated"),
    )
    title = r.text("title")
    if not (has_required and date and slug and title):
        return None, problems
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


# ---------------------------------------------------------------- references

def suggest(name: str, candidates: list[str]) -> str:
    """The closest known name, for 柯工寨 -> 柯工赛."""
    match = difflib.get_close_matches(name, candidates, n=1, cutoff=0.5)
    return match[0] if match else ""


def resolve_refs(refs: list[str], by_id: dict, by_name: dict[str, list], entity: Article,
                 key: str, problems: list[Problem]) -> list:
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
        if found is None:
            close = suggest(ref, list(by_id) + list(by_name))
            problems.append(Problem(entity.source.path, entity.source.line_of(key),
                                    f"找不到{kind}“{ref}”",
                                    f"是不是“{close}”？" if close else f"请先在{'brands/' if key == 'brands' else 'content/workers/'}下建立它"))
        elif found not in out:
            out.append(found)
    return out


_MD_LINK = re.compile(r"(?<!\!)\[[^\]]*\]\(\s*<?([^)\s>]+\.md)(?:#[^)\s]*)?>?(?:\s+\"[^\"]*\")?\s*\)")


def check_links(article: Article, known_src: set[str], problems: list[Problem]) -> None:
    """Relative links to other .md files must point at a file that exists."""
    if ".md" not in article.body:
        return
    base = Path(article.src_uri).parent
    for lineno, line in enumerate(article.body.split("\n"), start=article.source.body_line):
        for target in _MD_LINK.findall(line):
            if "://" in target or target.startswith(("/", "mailto:")):
                continue
            resolved = _normalise(base / target)
            if resolved not in known_src:
                close = suggest(resolved, list(known_src))
                problems.append(Problem(article.source.path, lineno, f"链接“{target}”指向的文章不存在或未发布",
                                        f"是不是 {close}？" if close else "请检查链接的相对路径"))


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
               problems: list[Problem]) -> bool:
    """An image, photo or logo path must exist under its root."""
    if not path_text:
        return False
    if "://" in path_text:
        problems.append(Problem(doc_path, line, f"{what}“{path_text}”是外部网址：本站不引用其他网站的资源",
                                "请把图片放进 content/images/ 并写相对路径"))
        return False
    candidate = (root / path_text.lstrip("/")).resolve()
    try:
        candidate.relative_to(root.resolve())
    except ValueError:
        problems.append(Problem(doc_path, line, f"{what}“{path_text}”不在网站目录中"))
        return False
    if not candidate.is_file():
        problems.append(Problem(doc_path, line, f"{what}“{path_text}”不存在",
                                f"文件应放在 {root.name}/{path_text.lstrip('/')}"))
        return False
    return True


Parser = Callable[[RawDoc, str, Settings], tuple[Optional[object], list[Problem]]]
PARSERS: dict[str, Parser] = {"article": article_from, "brand": brand_from, "worker": worker_from}
__all__ = ["article_from", "brand_from", "worker_from", "resolve_refs", "check_links",
           "check_file", "suggest", "PARSERS", "ERROR", "WARNING"]
