"""Articles, brands, workers and free pages read from their documents, field by field."""
from __future__ import annotations

import datetime as dt
import posixpath
from typing import Any, Optional

from ..core import ids, names
from ..core.model import SCHEMAS, Article, Brand, SourceRef, Worker
from ..core.settings import Settings
from ..core.problems import WARNING, Problem, short
from ..core.urls import free_page_url
from .fields import Reader
from .kept_fields import compact, expanded
from .load import RawDoc
from .sanitize_report import body_problems


def _check_id(stem: str, doc: RawDoc, kind: str, problems: list[Problem]) -> bool:
    if ids.is_reserved(stem):
        name = doc.meta.get("name")
        better = ids.suggest_id(name if isinstance(name, str) and name.strip() else stem, kind)
        problems.append(_reserved(doc.path, 1, f"文件名“{stem}”", f"请把文件改名，例如 {better}.md", stem))
        return False
    if ids.is_valid_id(stem):
        return True
    problems.append(Problem(doc.path, 1, f"文件名“{short(stem)}”不能用作{SCHEMAS[kind].zh}的网址：只能用小写英文字母、数字和 -",
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
        r.problems.append(Problem(r.doc.path, r.line("slug"), f"网址名 slug“{short(slug)}”只能用小写英文字母、数字和 -",
                                  f"请改为 slug: {fixed}"))
    else:
        r.problems.append(Problem(r.doc.path, 1, f"文件名“{short(stem)}”不能用作文章网址：只能用小写英文字母、数字和 -",
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
    r.problems.append(Problem(r.doc.path, line, f"{label}“{short(names.visible(name))}”{reason}",
                              f"它会成为网址 /{folder}/…/ 的一部分：请写成普通的{label}名称，例如 {key}: {example}"))
    return False


# Read on their own, around the others: the date and slug first (other checks need
# them), the title last.
_ARTICLE_OWN = ("title", "date", "slug")


def article_from(doc: RawDoc, src_uri: str, settings: Settings) -> tuple[Optional[Article], list[Problem]]:
    return article_made(doc, src_uri, settings, *article_read(doc, src_uri, settings.tz))


def article_read(doc: RawDoc, src_uri: str, tz: Any) -> tuple[Optional[dict[str, Any]], list[Problem]]:
    """What an article's front matter says, field by field (the model's arguments but its
    source and body), or None when it cannot be an article; with the problems found. A
    function of the document and the time zone alone: a warm build keeps it (derived.py)."""
    problems: list[Problem] = []
    schema = SCHEMAS["article"]       # looked up now: a test may give it one more field
    r = Reader(doc, "article", tz, problems)
    r.check_fields(schema.table())
    has_required = r.check_required()
    _check_body(doc, "article", problems)
    date = r.datetime("date")
    # Path.stem, cheaper; the two differ only for names of leading dots (``..md``), which
    # never get here: safety.py skips hidden files.
    slug = _article_slug(r, posixpath.splitext(posixpath.basename(src_uri))[0])
    fields = r.read(schema.fields_without(_ARTICLE_OWN))
    _check_terms(r, fields)
    title = r.text("title")
    if not (has_required and date and slug and title):
        return None, problems
    # Kept by a warm build: only what the front matter does not say as it is (kept_fields.py).
    return compact(schema, doc.meta, {"slug": slug, "title": title, "date": date, **fields}), problems


def article_made(doc: RawDoc, src_uri: str, settings: Settings, kept: Optional[dict[str, Any]],
                 found: list[Problem]) -> tuple[Optional[Article], list[Problem]]:
    """The article of what ``article_read`` gave, with the checks that depend on the build's time."""
    problems = list(found)            # ``found`` may be kept: never added to
    if kept is None:
        return None, problems
    fields = expanded(SCHEMAS["article"], doc.meta, kept)
    date, lines = fields["date"], doc.lines
    if date > settings.build_time() + dt.timedelta(days=366):
        problems.append(Problem(doc.path, lines.get("date", 1), f"发布时间 {date:%Y-%m-%d} 在一年以后，文章要到那时才会发布",
                                "请检查年份是否打错", WARNING))
    if fields.get("updated") and fields["updated"] < date:
        schema = SCHEMAS["article"]
        problems.append(Problem(doc.path, lines.get("updated", 1), f"{schema.named('updated')}早于{schema.named('date')}",
                                "updated 应是发布之后的更正时间", WARNING))
    return SCHEMAS["article"].model(src_uri=src_uri, source=SourceRef(doc.path, dict(lines), doc.body_line),
                                    body=doc.body, **fields), problems


def brand_from(doc: RawDoc, stem: str, settings: Settings) -> tuple[Optional[Brand], list[Problem]]:
    # Brands have no body-image check (content/assets.py), so the allow-list report is made here.
    return entity_from(doc, "brand", stem, settings, report_body=True)


def worker_from(doc: RawDoc, stem: str, settings: Settings) -> tuple[Optional[Worker], list[Problem]]:
    return entity_from(doc, "worker", stem, settings)


def entity_from(doc: RawDoc, kind: str, stem: str, settings: Settings,
                report_body: bool = False) -> tuple[Optional[Any], list[Problem]]:
    """An entity read by its schema alone (brands, workers, any kind without a loader of its
    own): the file's name is its id; None unless the id is good and every required field is
    there. Its model takes ``id``, ``source``, ``body`` and its ``fm`` fields."""
    problems: list[Problem] = []
    schema = SCHEMAS[kind]
    r = Reader(doc, kind, settings.tz, problems)
    r.check_fields(schema.table())
    ok = _check_id(stem, doc, kind, problems) & r.check_required()
    if report_body:
        problems.extend(body_problems(doc.body, doc.body_line, doc.path))
    entity = schema.model(id=stem, source=r.source(), body=doc.body, **r.read(schema.fields()))
    ok = ok and all(getattr(entity, f.attr) for f in schema.fields() if f.required)
    return (entity if ok else None), problems


def page_problems(doc: RawDoc, src_uri: str, settings: Settings) -> list[Problem]:
    """A free page under content/pages/: its fields, and a URL of its own.

    MkDocs renders these pages itself, reading the front matter again: a file it
    would misread (a full-width colon, GBK) must be stopped here.
    """
    problems: list[Problem] = []
    schema = SCHEMAS["page"]
    r = Reader(doc, "page", settings.tz, problems)
    r.check_fields(schema.table())
    r.check_required()
    r.read(schema.fields())
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
            problems.append(Problem(doc.path, 1, f"“{short(name)}”不能用作页面的网址：只能用小写英文字母、数字和 -",
                                    f"请把“{short(name)}”改名为 {ids.suggest_id(name, 'page')}"))
            return
    url = free_page_url(src_uri)
    first = url.split("/")[0]
    if not url:
        problems.append(Problem(doc.path, 1, "这个文件会占用网站首页的网址 /，而首页是自动生成的",
                                "请把文件改名，例如 content/pages/about.md"))
    elif first in (generated := ids.generated_folders()):
        problems.append(Problem(doc.path, 1, f"页面网址 /{url} 与网站自动生成的 /{first}/ 页面冲突",
                                "请换一个文件名或文件夹名，不要用 " + "、".join(sorted(generated))))


