"""The validator: turns raw front matter into typed entities, and bad content
into ``Problem``s with a Chinese message and the line to fix.

Nothing here raises on content: every mistake becomes a Problem, so an editor
sees all of them in one run.
"""
from __future__ import annotations

import datetime as dt
import difflib
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional
from urllib.parse import unquote

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
    "picture": "image", "cover": "image", "图片": "image", "照片": "image", "标志": "logo", "honor": "honors", "荣誉": "honors",
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
            self.error(key, f"“{key}”（{FIELD_ZH.get(key, key)}）应是一段文字，不能是列表或字段组",
                       "去掉方括号，或用引号把整段文字括起来，例如 " + key + ': "甲，乙"')
            return ""
        return str(value).strip()

    def list(self, key: str) -> list[str]:
        value = self.doc.meta.get(key)
        if value is None or value == "":
            return []
        if isinstance(value, str):
            return [v for v in _LIST_SPLIT.split(value.strip()) if v]
        if isinstance(value, dict):
            self.error(key, f"“{key}”（{FIELD_ZH.get(key, key)}）应是列表，不能是字段组", f"例如 {key}: [甲, 乙]")
            return []
        out = []
        for item in value:
            if isinstance(item, (list, dict)):
                self.error(key, f"“{key}”（{FIELD_ZH.get(key, key)}）的每一项应是文字", f"例如 {key}: [甲, 乙]")
            elif str(item).strip():
                out.append(str(item).strip())
        return out

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
        items = [value] if isinstance(value, (str, dict)) else value
        out = []
        for item in items:
            if isinstance(item, str):
                out.extend(Honor(t) for t in _LIST_SPLIT.split(item.strip()) if t)
            elif isinstance(item, dict) and isinstance(item.get("title"), str) and item["title"].strip():
                title = item["title"].strip()
                year = item.get("year", "")
                year = year.strip().removesuffix("年") if isinstance(year, str) else None
                if year is None or (year and not re.fullmatch(r"[0-9]{4}", year)):
                    self.error(key, f"荣誉“{_short(title)}”的年份应是四位数字，例如 2021",
                               "写成 {title: 荣誉名称, year: 2021}")
                    year = ""
                out.append(Honor(title, int(year) if year else None))
            else:
                self.error(key, "每项荣誉应是文字，或 {title: 荣誉名称, year: 年份}")
        return out

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
    if ids.is_valid_id(stem):
        return True
    problems.append(Problem(doc.path, 1, f"文件名“{_short(stem)}”不能用作{KIND_ZH[kind]}的网址：只能用小写英文字母、数字和 -",
                            f"请把文件改名为 {ids.pinyin_id(stem)}.md"))
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
        fixed = ids.pinyin_id(slug)
        if r.text("slug"):
            problems.append(Problem(doc.path, r.line("slug"), f"网址名 slug“{_short(slug)}”只能用小写英文字母、数字和 -",
                                    f"请改为 slug: {fixed}"))
        else:
            problems.append(Problem(doc.path, 1, f"文件名“{_short(stem)}”不能用作文章网址：只能用小写英文字母、数字和 -",
                                    f"请把文件改名为 {fixed}.md，或在头信息中加上 slug: {fixed}"))
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
    if stem == "index":
        slug = ""
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
                 key: str, problems: list[Problem], choices: Optional[list[str]] = None) -> list:
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

    def __init__(self, known: set[str], unpublished: set[str] = frozenset()):
        self.known = known
        self.unpublished = unpublished
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
    fence = ""
    for lineno, line in enumerate(article.body.split("\n"), start=article.source.body_line):
        m = _FENCE.match(line)
        if m:
            fence = "" if fence == m.group(1) else (fence or m.group(1))
            continue
        if fence or ".md" not in line:
            continue
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
            close = index.suggest(resolved, base)
            problems.append(Problem(article.source.path, lineno, f"链接“{_short(target, 80)}”指向的文章不存在",
                                    f"是不是 {close}？" if close else
                                    "请检查链接的相对路径：从本文所在的文件夹算起，上一级文件夹写 ../"))


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
               problems: list[Problem], prefix: Optional[str] = None) -> bool:
    """An image, photo or logo path must exist under its root.

    ``prefix`` is how editors call ``root`` in hints (``content/``); '' for the
    site's own folder (brand logos are written as ``brands/img/x.svg``).
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
        candidate = (root / path_text.lstrip("/")).resolve()
        inside = candidate.is_relative_to(root.resolve())
        exists = inside and candidate.is_file()
    except (OSError, ValueError):
        inside = exists = False
    if not inside:
        problems.append(Problem(doc_path, line, f"{what}“{shown}”不在网站目录中",
                                f"请把文件放进 {prefix} 下，并写相对于 {prefix} 的路径" if prefix else "请把文件放进 brands/img/ 下"))
        return False
    if not exists:
        problems.append(Problem(doc_path, line, f"{what}“{shown}”不存在",
                                f"文件应放在 {prefix}{path_text.lstrip('/')}；请检查文件名和大小写"))
        return False
    return True


__all__ = ["article_from", "brand_from", "worker_from", "resolve_refs", "check_links", "LinkIndex",
           "check_file", "suggest", "ERROR", "WARNING"]
