"""Decap CMS's ``config.yml``, generated from the content field tables.

The fields, their types and which are required come from ``content/fields.py`` (the tables
that drive validation), so a field added to the model appears in the desk; labels are
``FIELD_ZH`` plus the desk's own labels for fields the validator never names. A field
type without a widget here, or a field without a label, raises: tests/test_desk_config.py
builds the config for every table, so such a field fails there first.
"""
from __future__ import annotations

from typing import Any

import yaml

from ..content.fields import ARTICLE_FIELDS, BRAND_FIELDS, FIELD_ZH, PAGE_FIELDS, REQUIRED, WORKER_FIELDS

# Labels for the fields FIELD_ZH (the validator's words) does not name, and "slug", where
# the desk says more than the validator (the editor types the pinyin here).
DESK_LABELS = {
    "source": "来源", "region": "地区", "image_caption": "图片说明",
    "image_credit": "图片作者", "summary": "摘要", "featured": "头条",
    "slogan": "口号", "owner": "主办单位", "family": "品牌系列", "attribute": "品牌简介",
    "occupation": "职业", "employer": "单位", "description": "页面说明", "author": "作者",
    "slug": "网址名（拼音）",
}
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
REFERENCES = {"brands": "brands", "workers": "workers"}      # field -> collection it names
DATETIME = {"widget": "datetime", "format": "YYYY-MM-DD HH:mm", "date_format": "YYYY-MM-DD",
            "time_format": "HH:mm", "picker_utc": False}
SLUG_PATTERN = ["^[a-z0-9-]+$", "只能用小写拼音、数字和连字符"]


def label(name: str) -> str:
    """The Chinese label of a field; KeyError for a field nobody named yet."""
    return DESK_LABELS[name] if name in DESK_LABELS else FIELD_ZH[name]


def widget(name: str, kind: str) -> dict[str, Any]:
    """The Decap widget settings for one field of the content model's type ``kind``."""
    if name in REFERENCES:
        return {"widget": "relation", "collection": REFERENCES[name], "value_field": "{{slug}}",
                "search_fields": ["name"], "display_fields": ["name"], "multiple": True}
    if kind == "text":
        return {"widget": "text" if name in LONG_TEXT else "string"}
    if kind == "datetime":
        return dict(DATETIME)
    if kind == "year":
        return {"widget": "number", "value_type": "int", "min": 1949}
    if kind == "bool":
        return {"widget": "boolean", "default": False}
    if kind == "list":
        return {"widget": "list"}
    if kind == "path":
        return {"widget": "image", "choose_url": False}     # no external images: the site is self-contained
    if kind == "honors":
        # Strings only: a Decap list holds plain values or objects, not both (docs/desk.md).
        return {"widget": "list", "field": {"name": "honor", "label": "荣誉称号", "widget": "string"}}
    if kind == "print":          # 见报 (content/print_field.py): the edition, the page, the area on it
        return {"widget": "object", "collapsed": True, "fields": [
            {"name": "edition", "label": "日期（例如 2021-12-28）", "widget": "string"},
            {"name": "page", "label": "版次", "widget": "number", "value_type": "int", "min": 1},
            {"name": "area", "label": "位置：x, y, 宽, 高（百分比）", "widget": "list", "required": False}]}
    raise KeyError(f"no desk widget for field {name!r} of type {kind!r}")


def fields(table: dict[str, str], entity: str, body_label: str) -> list[dict[str, Any]]:
    """Decap's field list for one kind of entity, in the table's order, then the body."""
    out = []
    for name, kind in table.items():
        field = {"name": name, "label": label(name), **widget(name, kind)}
        if name not in REQUIRED[entity]:
            field["required"] = False
        if name in HINTS:
            field["hint"] = HINTS[name]
        out.append(field)
    out.append({"name": "body", "label": body_label, "widget": "markdown"})
    return out


def _article_fields() -> list[dict[str, Any]]:
    out = fields(ARTICLE_FIELDS, "article", "正文")
    for field in out:
        if field["name"] == "slug":
            # The file name comes from it ({{fields.slug}}): required in the desk, pinyin only.
            field.pop("required", None)
            field["pattern"] = SLUG_PATTERN
    return out


def collections(content: str, brands: str) -> list[dict[str, Any]]:
    """The four collections; ``content`` and ``brands`` are the folders relative to the site."""
    common = {"extension": "md", "format": "frontmatter"}
    return [
        {"name": "news", "label": "新闻", "label_singular": "文章", "folder": f"{content}/news",
         "path": "{{year}}/{{slug}}", "slug": "{{fields.slug}}", "create": True, **common,
         # Beside the article the image would fail `newsroom check`: images live in images/<year>/.
         "media_folder": f"/{content}/images/{{{{year}}}}", "public_folder": "images/{{year}}",
         "sortable_fields": ["date", "title"], "summary": "{{title}}（{{date}}）",
         "fields": _article_fields()},
        # Brands, workers and pages are edited, not created, until the pinyin id widget
        # exists: a new one would get a Chinese file name, which `newsroom check` refuses.
        {"name": "brands", "label": "工会品牌", "label_singular": "品牌", "folder": brands,
         "identifier_field": "name", "create": False, **common,
         "media_folder": f"/{brands}/img", "public_folder": f"{brands}/img",
         "fields": fields(BRAND_FIELDS, "brand", "介绍")},
        {"name": "workers", "label": "劳模工匠", "label_singular": "劳模工匠", "folder": f"{content}/workers",
         "identifier_field": "name", "create": False, **common,
         "media_folder": f"/{content}/images/workers", "public_folder": "images/workers",
         "fields": fields(WORKER_FIELDS, "worker", "简介")},
        {"name": "pages", "label": "页面", "label_singular": "页面", "folder": f"{content}/pages",
         "create": False, **common, "fields": fields(PAGE_FIELDS, "page", "正文")},
    ]


def desk_config(content: str = "content", brands: str = "brands", proxy_url: str = "/admin/api/v1") -> dict[str, Any]:
    """The whole config for local editing through ``newsroom desk`` (root-relative proxy URL:
    the page and the backend share one origin, so no CORS)."""
    return {
        "backend": {"name": "proxy", "proxy_url": proxy_url},
        "locale": "zh_Hans",
        "media_folder": f"{content}/images",
        "public_folder": "images",
        "collections": collections(content, brands),
    }


def config_yaml(config: dict[str, Any]) -> str:
    return yaml.safe_dump(config, allow_unicode=True, sort_keys=False, width=1000)


__all__ = ["desk_config", "config_yaml", "collections", "fields", "widget", "label", "DESK_LABELS"]
