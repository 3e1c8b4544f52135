"""Decap CMS's ``config.yml``, generated from the schemas (``core/model.SCHEMAS``).

The fields, their types, which are required, what they reference and their hints come from
the schemas that drive validation, so a field added to the model appears in the desk; labels
are the desk's own where it says more, else the validator's. A field type without a widget
here raises: tests/test_desk_config.py builds the config for every kind, so it fails there.
Every kind the desk edits has a ``slug`` field that names the file (filled on save by
``newsroom-desk.js`` from the backend's ``newId``); the backend keeps it out of the file when it
only repeats the name.
"""
from __future__ import annotations

from typing import Any, Optional

import yaml

from ..content.fields import FIELD_ZH
from ..core.model import SCHEMAS

# One label per field, the validator's (FIELD_ZH, from the schemas): the desk's form names a
# field as the error message does. Only "slug" says more here: the editor types pinyin there.
DESK_LABELS = {"slug": "网址名（拼音）"}
# Hints under a field, where the editor needs more than the label.
HINTS = {
    "title": "不超过 30 个字为宜", "date": "按网站的时区（默认北京时间）；填将来的时间即定时发布",
    "slug": "文章网址的一部分，只能用小写拼音、数字和连字符，例如 kegong-brands；发布后不要再改",
    "brands": "从已有的工会品牌中选择", "workers": "从已有的劳模工匠中选择",
    "tags": "每个标签输入后用英文逗号分隔", "reporters": "多位记者用英文逗号分隔",
    "correspondents": "多位通讯员用英文逗号分隔", "summary": "不填则取正文第一段",
    "column": "栏目名称，例如 工运速递", "updated": "内容有实质更正时填写",
    "featured": "可在首页头条位置显示", "draft": "草稿不会发布到网站",
    "since": "四位年份，例如 2021", "honors": "每项一个荣誉称号",
}
LONG_TEXT = {"summary", "attribute", "description"}
# The kind of entity a reference field names -> the collection that holds it, and the value
# the file stores: an id (the file name) or, for notices, the path under the year folders.
REFERENCES = {"brand": ("brands", "{{slug}}"), "worker": ("workers", "{{slug}}"),
              "notice": ("notices", "{{slug}}")}
DATETIME = {"widget": "datetime", "format": "YYYY-MM-DD HH:mm", "date_format": "YYYY-MM-DD",
            "time_format": "HH:mm", "picker_utc": False}
# Fields the content model shows as a day (newsroom new writes `start: 2021-09-01`).
DATE_ONLY = {"start", "end", "written", "expires"}
SLUG_PATTERN = ["^[a-z0-9]+(-[a-z0-9]+)*$", "只能用小写拼音、数字和连字符，例如 kegong-brands"]
ID_FIELD = "slug"
FILE_TYPES = ".pdf、.doc、.docx、.xls、.xlsx、.zip"


def label(name: str) -> str:
    """The Chinese label of a field; KeyError for a field nobody named yet."""
    return DESK_LABELS[name] if name in DESK_LABELS else FIELD_ZH[name]


def _relation(ref: str) -> dict[str, Any]:
    collection, value = REFERENCES[ref]
    search = "title" if ref == "notice" else "name"
    return {"widget": "relation", "collection": collection, "value_field": value,
            "search_fields": [search], "display_fields": [search]}


def widget(name: str, kind: str, ref: str = "") -> dict[str, Any]:
    """The Decap widget settings for one field of the content model's type ``kind``."""
    if ref and kind == "list":
        return {**_relation(ref), "multiple": True}
    if ref:
        return _relation(ref)
    if kind == "text":
        return {"widget": "text" if name in LONG_TEXT else "string"}
    if kind == "datetime":
        if name in DATE_ONLY:
            return {**DATETIME, "format": "YYYY-MM-DD", "time_format": False}
        return dict(DATETIME)
    if kind == "year":
        return {"widget": "number", "value_type": "int", "min": 1949}
    if kind == "bool":
        return {"widget": "boolean", "default": False}
    if kind == "list":
        return {"widget": "list"}
    if kind == "path":
        return {"widget": "image", "choose_url": False}     # no external images: the site is self-contained
    if kind == "gallery":
        return {"widget": "list", "summary": "{{fields.caption}}", "fields": [
            {"name": "image", "label": "图片", "widget": "image", "choose_url": False},
            {"name": "caption", "label": "说明", "widget": "string", "required": False},
            {"name": "credit", "label": "摄影", "widget": "string", "required": False}]}
    if kind == "honors":
        # Strings only: a Decap list holds plain values or objects, not both (docs/desk.md).
        return {"widget": "list", "field": {"name": "honor", "label": "荣誉称号", "widget": "string"}}
    if kind == "print":          # 见报 (content/print_field.py): the edition, the page, the area on it
        return {"widget": "object", "collapsed": True, "fields": [
            # Not required inside: Decap checks an object's fields even when it is left empty,
            # and most articles never appeared in print (newsroom check checks a written one).
            {"name": "edition", "label": "日期（例如 2021-12-28）", "widget": "string", "required": False},
            {"name": "page", "label": "版次", "widget": "number", "value_type": "int", "min": 1,
             "required": False},
            {"name": "area", "label": "位置：x, y, 宽, 高（百分比）", "widget": "list", "required": False}]}
    if kind == "sections":
        return {"widget": "list", "fields": [
            {"name": "title", "label": "子栏目名称", "widget": "string"},
            {"name": "tags", "label": "按标签", "widget": "list", "required": False,
             "hint": "带这些标签的文章，新的在前"},
            {"name": "articles", "label": "指定文章", "required": False, "multiple": True,
             **_relation_articles()}]}
    if kind == "attachments":
        return {"widget": "list", "fields": [
            {"name": "file", "label": "文件", "widget": "file", "choose_url": False,
             "hint": f"只能是 {FILE_TYPES}"},
            {"name": "title", "label": "名称", "widget": "string"}]}
    raise KeyError(f"no desk widget for field {name!r} of type {kind!r}")


def _relation_articles() -> dict[str, Any]:
    # An article's slug in the desk is its path under news/ (2021/kegong-brands): what topics store.
    return {"widget": "relation", "collection": "news", "value_field": "{{slug}}",
            "search_fields": ["title"], "display_fields": ["title"]}


def _hint(f: Any) -> str:
    return HINTS.get(f.name) or f.hint


def fields(entity: str, body_label: str) -> list[dict[str, Any]]:
    """Decap's field list for one kind of entity, in the schema's order, then the body."""
    out = []
    for f in SCHEMAS[entity].fields():
        field = {"name": f.name, "label": DESK_LABELS.get(f.name) or FIELD_ZH.get(f.name) or f.zh,
                 **widget(f.name, f.type, f.ref)}
        if not f.required:
            field["required"] = False
        if _hint(f):
            field["hint"] = _hint(f)
        out.append(field)
    out.append({"name": "body", "label": body_label, "widget": "markdown"})
    return out


def _with_id(out: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The ``slug`` field names the file ({{fields.slug}}): left empty, it is filled on save from
    the title as `newsroom new` does (local desk: preSave + newId), or the editor types it. Not
    required in the form (the save fills it); its pattern is checked when it is typed. Articles
    have it in the schema; for the others it is the desk's own, and the backend drops it."""
    field = {"name": ID_FIELD, "label": label(ID_FIELD), "widget": "string", "required": False, "pattern": SLUG_PATTERN,
             "hint": "网址和文件名：小写拼音、数字和连字符。本机编辑台里可以不填，保存时按标题自动生成拼音；发布后不要再改"}
    kept = [f for f in out if f["name"] != ID_FIELD]
    return kept[:-1] + [field, kept[-1]]


def _year_folder(content: str, name: str, label_: str, singular: str, entity: str, body: str) -> dict[str, Any]:
    return {"name": name, "label": label_, "label_singular": singular, "folder": f"{content}/{name}",
            "path": "{{year}}/{{slug}}", "slug": "{{fields.slug}}", "create": True,
            "extension": "md", "format": "frontmatter",
            "media_folder": f"/{content}/images/{{{{year}}}}", "public_folder": "images/{{year}}",
            "sortable_fields": ["date", "title"], "summary": "{{title}}（{{date}}）",
            "fields": _with_id(fields(entity, body))}


def _flat(name: str, label_: str, singular: str, folder: str, entity: str, body: str, **extra: Any) -> dict[str, Any]:
    return {"name": name, "label": label_, "label_singular": singular, "folder": folder,
            "slug": "{{fields.slug}}", "create": True, "extension": "md", "format": "frontmatter", **extra,
            "fields": _with_id(fields(entity, body))}


def collections(content: str, brands: str) -> list[dict[str, Any]]:
    """One collection per kind; ``content`` and ``brands`` are the folders relative to the site."""
    notices = _year_folder(content, "notices", "通知公告", "通知", "notice", "正文")
    for field in notices["fields"]:
        if field["name"] == "attachments":
            field["media_folder"], field["public_folder"] = f"/{content}/files/{{{{year}}}}", "files/{{year}}"
    pages = _flat("pages", "页面", "页面", f"{content}/pages", "page", "正文")
    pages["create"] = False              # a free page also needs a menu entry in site_config.yml
    return [
        _year_folder(content, "news", "新闻", "文章", "article", "正文"),
        notices,
        _flat("topics", "专题", "专题", f"{content}/topics", "topic", "导语", identifier_field="title",
              media_folder=f"/{content}/images/topics", public_folder="images/topics"),
        _flat("brands", "工会品牌", "品牌", brands, "brand", "介绍", identifier_field="name",
              media_folder=f"/{brands}/img", public_folder=f"{brands}/img"),
        _flat("workers", "劳模工匠", "劳模工匠", f"{content}/workers", "worker", "简介", identifier_field="name",
              media_folder=f"/{content}/images/workers", public_folder="images/workers"),
        pages,
    ]


# Each collection's entity kind (the backend names new files and normalises saved ones by it).
COLLECTION_KINDS = {"news": "article", "notices": "notice", "topics": "topic", "brands": "brand",
                    "workers": "worker", "pages": "page"}

# The remote backends a site may choose (docs/editors.md): Decap's names.
REMOTE_BACKENDS = ("gitea", "forgejo", "gitlab")


def desk_config(content: str = "content", brands: str = "brands", proxy_url: str = "/admin/api/v1",
                remote: Optional[dict[str, Any]] = None) -> dict[str, Any]:
    """The whole config. Without ``remote``: local editing through ``newsroom desk`` (root-relative
    proxy URL, same origin, no CORS). With ``remote`` (site_config's ``desk:``): the forge's
    backend, for a built site's /admin/; nothing in it can reach a local backend."""
    return {
        "backend": remote_backend(remote) if remote else {"name": "proxy", "proxy_url": proxy_url},
        **({"publish_mode": "editorial_workflow"} if remote and remote.get("review", True)
           and remote.get("backend") != "gitea" else {}),
        "locale": "zh_Hans",
        "media_folder": f"{content}/images",
        "public_folder": "images",
        "collections": collections(content, brands),
    }


def remote_backend(remote: dict[str, Any]) -> dict[str, Any]:
    """Decap's ``backend:`` for a forge: name, repo, branch, base_url, app_id (PKCE)."""
    name = remote.get("backend")
    if name not in REMOTE_BACKENDS:
        raise ValueError(f"desk.backend 应是 {'、'.join(REMOTE_BACKENDS)} 之一，现在是“{name}”")
    if not remote.get("repo"):
        raise ValueError("desk.repo 不能为空：写内容仓库的“所有者/仓库名”，例如 kqzgh/news")
    out: dict[str, Any] = {"name": name, "repo": str(remote["repo"]), "branch": str(remote.get("branch", "main"))}
    if remote.get("base_url"):
        base = str(remote["base_url"]).rstrip("/")
        out["base_url"] = base
        out["api_root"] = base + ("/api/v4" if name == "gitlab" else "/api/v1")
    if remote.get("app_id"):
        out["app_id"] = str(remote["app_id"])
        out["auth_type"] = "pkce"
    return out


def config_yaml(config: dict[str, Any]) -> str:
    return yaml.safe_dump(config, allow_unicode=True, sort_keys=False, width=1000)


__all__ = ["desk_config", "config_yaml", "collections", "fields", "widget", "label", "remote_backend",
           "DESK_LABELS", "REMOTE_BACKENDS"]
