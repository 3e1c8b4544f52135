"""One schema per entity (issue 12): each front-matter field is declared once, on the
model (core/model.py), and validation, `newsroom new`, search records and the desk's
export are derived from it."""
from __future__ import annotations

import dataclasses
import json
import re

import pytest

from conftest import newsroom, write_tree
from newsroom.app.scaffold import new_entity
from newsroom.content import fields
from newsroom.content.entities import article_from, page_problems, worker_from
from newsroom.content.load import parse_doc
from newsroom.core.model import SCHEMAS, Article, Brand, Worker
from newsroom.core.settings import Settings
from newsroom.core.schema import DESK_WIDGETS, SEARCH_PARTS, F, Schema, fm
from newsroom.search.records import record

SETTINGS = Settings(timezone="Asia/Shanghai")
CJK = re.compile(r"[\u4e00-\u9fff]")


def all_fields() -> list[tuple[str, F]]:
    return [(kind, f) for kind, schema in SCHEMAS.items() for f in schema.fields()]


# ------------------------------------------------------------------ the export the desk reads

def test_every_field_has_a_chinese_label_and_a_type_the_desk_maps():
    assert set(SCHEMAS) == {"article", "brand", "worker", "page", "topic", "notice"}
    for kind, f in all_fields():
        assert CJK.search(f.zh), (kind, f.name)
        assert f.type in DESK_WIDGETS, (kind, f.name, f.type)
        assert not f.search or (f.search[0] in SEARCH_PARTS and isinstance(f.search[1], int)), (kind, f.name)
        # records.py writes text and lists into the search text, nothing else.
        assert not f.search or f.type in ("text", "path", "list", "honors"), (kind, f.name)
        assert f.ref in ("", *SCHEMAS), (kind, f.name, f.ref)


def test_export_lists_every_field_with_what_a_form_needs():
    exported = json.loads(json.dumps([schema.export() for schema in SCHEMAS.values()], ensure_ascii=False))
    article = next(e for e in exported if e["kind"] == "article")
    assert article["zh"] == "文章"
    assert [f["key"] for f in article["fields"]] == list(fields.ARTICLE_FIELDS)
    brands = next(f for f in article["fields"] if f["key"] == "brands")
    assert brands == {"key": "brands", "type": "list", "widget": "list", "zh": "品牌", "required": False,
                      "ref": "brand", "hint": "品牌 id 或名称", "aliases": ["brand", "品牌"]}
    title = article["fields"][0]
    assert (title["key"], title["required"], title["widget"]) == ("title", True, "string")
    worker = next(e for e in exported if e["kind"] == "worker")
    assert [f["key"] for f in worker["fields"] if f["required"]] == ["name"]


def test_a_key_means_one_field_across_kinds():
    """FIELD_ZH and ALIASES are one dict over every kind: no key or alias may be declared
    two ways (the second would be silently dropped)."""
    labels: dict[str, set[str]] = {}
    targets: dict[str, set[str]] = {}
    for _, f in all_fields():
        labels.setdefault(f.name, set()).add(f.zh)
        for alias in f.aliases:
            targets.setdefault(alias, set()).add(f.name)
    assert {k: v for k, v in labels.items() if len(v) > 1} == {}
    assert {k: v for k, v in targets.items() if len(v) > 1} == {}


# ------------------------------------------------------------------ newsroom new, byte for byte

# The skeletons as app/scaffold.py wrote them before the schema (issue 12): the schema
# must reproduce them exactly.
OLD_ARTICLE = """---
title: "柯桥区总工会: 聚力“柯工”"
date: 2021-12-28 09:30
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
# image: images/2021/new-one.jpg
# image_caption:
# image_credit: 通讯员 某某 摄
draft: true             # 写好后删掉这一行即可发布
---

在这里写正文。
"""
OLD_BRAND = """---
name: "柯桥区总工会: 聚力“柯工”"
slogan:
owner:
region:
family:
attribute:              # 品牌属性
since: 2021
# logo: brands/img/new-one.svg
---

在这里写品牌介绍。
"""
OLD_WORKER = """---
name: "柯桥区总工会: 聚力“柯工”"
honors: []              # 例如 [全国劳动模范] 或 {title: 浙江工匠, year: 2021}
occupation:
employer:
region:
# photo: images/workers/new-one.jpg
---

在这里写人物介绍。
"""


@pytest.mark.parametrize("kind, rel, expected", [
    ("article", "content/news/2021/new-one.md", OLD_ARTICLE),
    ("brand", "brands/new-one.md", OLD_BRAND),
    ("worker", "content/workers/new-one.md", OLD_WORKER),
])
def test_new_writes_the_same_bytes_as_before_the_schema(tmp_path, kind, rel, expected):
    root = write_tree(tmp_path, {})
    proc = newsroom("new", "--content", str(root / "content"), "--brands", str(root / "brands"),
                    "--date", "2021-12-28 09:30", "--id", "new-one", kind, "柯桥区总工会: 聚力“柯工”")
    assert proc.returncode == 0, proc.stderr
    assert (root / rel).read_bytes() == expected.encode("utf-8")


# ------------------------------------------------------------------ search records

def doc(front: str, body: str = "正文。\n", path: str = "content/news/2021/x.md"):
    raw, problems = parse_doc(f"---\n{front.strip()}\n---\n{body}", path)
    assert raw is not None, problems
    return raw


def test_article_record_text_in_schema_order():
    a, _ = article_from(doc("""
title: 主题
date: 2021-12-28
kicker: 引题
subtitle: 副题
correspondents: [甲, 乙]
source: 本报讯
region: 柯桥区
tags: [产改, 志愿服务]
column: 工运速递
image_caption: 图说
image_credit: 摄影者
summary: 摘要
"""), "news/2021/x.md", SETTINGS)
    a.brands = [Brand(id="b", name="柯工益", source=a.source)]
    a.workers = [Worker(id="w", name="叶金龙", source=a.source), Worker(id="v", name="沈建华", source=a.source)]
    text = record("article", a).text
    # Reporters are empty: the correspondents still share the one "people" line.
    assert text == ("主题\n引题\n副题\n\ue000\n摘要\n正文。\n\ue000\n"
                    "柯工益\n叶金龙 沈建华\n柯桥区\n产改 志愿服务\n工运速递\n本报讯\n甲 乙\n图说")


def test_brand_and_worker_record_text_in_schema_order():
    b = Brand(id="b", name="柯工益", source=None, body="介绍。", slogan="口号", owner="总工会",  # type: ignore[arg-type]
              region="柯桥区", family="柯工", attribute="属性")
    assert record("brand", b).text == "柯工益\n\ue000\n口号\n介绍。\n\ue000\n属性\n总工会\n柯工\n柯桥区"
    w, _ = worker_from(doc("name: 叶金龙\nhonors: [{title: 浙江工匠, year: 2021}, 劳模]\noccupation: 技师\n"
                           "employer: 某厂\nregion: 临安区", "简介。\n", "content/workers/ye.md"), "ye", SETTINGS)
    assert record("worker", w).text == "叶金龙\n\ue000\n简介。\n\ue000\n2021年 浙江工匠 劳模\n技师\n某厂\n临安区"


# ------------------------------------------------------------------ add a field: one place

@dataclasses.dataclass
class WorkerWithDuty(Worker):
    # The one declaration a new field needs (here in a subclass, so the test leaves
    # core/model.py alone).
    duty: str = fm(F("text", zh="职务", aliases=("岗位",), search=("meta", 4), hint="例如 班组长"), "")


def test_a_field_added_to_a_schema_reaches_validation_new_search_and_the_desk(tmp_path, monkeypatch):
    worker_doc = doc("name: 叶金龙\nduty: 班组长\n", path="content/workers/ye.md")
    alias_doc = doc("name: 叶金龙\n岗位: 班组长\n", path="content/workers/ye.md")

    # Before: an unknown field, ignored with a warning.
    worker, problems = worker_from(worker_doc, "ye", SETTINGS)
    assert [p.message for p in problems] == ["未知字段“duty”，将被忽略"]
    assert not hasattr(worker, "duty")

    monkeypatch.setitem(SCHEMAS, "worker", Schema("worker", "劳模工匠", WorkerWithDuty,
                                                  new_body=SCHEMAS["worker"].new_body))
    # Validation: read, typed, no warning; its alias is suggested; it is checked like any text field.
    worker, problems = worker_from(worker_doc, "ye", SETTINGS)
    assert problems == [] and worker.duty == "班组长"
    _, problems = worker_from(alias_doc, "ye", SETTINGS)
    assert [(p.message, p.hint) for p in problems] == [("未知字段“岗位”，将被忽略", "是不是“duty”？")]
    _, problems = worker_from(doc("name: 叶金龙\nduty: [甲, 乙]\n", path="content/workers/ye.md"), "ye", SETTINGS)
    assert [p.message for p in problems] == ["“duty”（职务）应是一段文字，不能是列表或字段组"]
    # Search: in the metadata part, at its position (after the region).
    worker.employer, worker.region = "某厂", "临安区"
    assert record("worker", worker).text.endswith("\ue000\n某厂\n临安区\n班组长")
    # newsroom new: its line, aligned like the others, in declaration order (a subclass's
    # fields come last).
    path = new_entity("worker", "叶金龙", tmp_path / "content", tmp_path / "brands", SETTINGS, "ye-jinlong")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[6:9] == ["# photo: images/workers/ye-jinlong.jpg", "duty:                   # 职务", "---"]
    # The desk's export.
    exported = SCHEMAS["worker"].export()["fields"][-1]
    assert exported == {"key": "duty", "type": "text", "widget": "string", "zh": "职务", "required": False,
                        "ref": "", "hint": "例如 班组长", "aliases": ["岗位"]}


def test_a_required_field_added_to_a_schema_is_required(monkeypatch):
    @dataclasses.dataclass
    class PageWithLead:
        title: str = fm(F("text", zh="标题", required=True))
        lead: str = fm(F("text", zh="导语", required=True))

    monkeypatch.setitem(SCHEMAS, "page", Schema("page", "页面", PageWithLead))
    problems = page_problems(doc("title: 关于我们\n", path="content/pages/about.md"), "pages/about.md", SETTINGS)
    assert [p.message for p in problems] == ["页面缺少必填字段“lead”（导语）"]


def test_the_models_front_matter_fields_are_the_schema():
    """Attributes that are not front matter (ids, the source, resolved references,
    the copied logo's URL, the checked video) carry no F; every other attribute does."""
    not_front_matter = {Article: {"src_uri", "source", "body", "brands", "workers", "video_file"},
                        Brand: {"id", "source", "body", "logo"}, Worker: {"id", "source", "body"}}
    for model, others in not_front_matter.items():
        plain = {f.name for f in dataclasses.fields(model) if "nr" not in f.metadata}
        assert plain == others, model
    assert fields.ARTICLE_FIELDS["source"] == "text" and SCHEMAS["article"].field("source").attr == "dateline"
    assert SCHEMAS["brand"].field("logo").attr == "logo_src"


# The value each type of field cannot be (a mistake Reader reports, naming the field).
_WRONG = {"text": "[甲, 乙]", "path": "[甲, 乙]", "list": "{a: 1}", "datetime": "昨天", "bool": "也许", "year": "去年"}


@pytest.mark.parametrize("kind,f", [(kind, f) for kind, f in all_fields() if f.type in _WRONG],
                         ids=lambda value: getattr(value, "name", value))
def test_every_field_is_named_by_key_and_label_in_messages(kind, f):
    """Every field's messages name it the same way: its key, then its Chinese label
    (“slogan”（口号）), the fields that once showed their key alone included."""
    from newsroom.content.fields import Reader

    problems: list = []
    reader = Reader(doc(f"{f.name}: {_WRONG[f.type]}\n"), kind, SETTINGS.tz, problems)
    reader.read([f])
    assert problems, (kind, f.name)
    assert f"“{f.name}”（{f.zh}）" in problems[0].message, problems[0].message
