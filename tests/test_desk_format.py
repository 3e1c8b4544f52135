"""What the desk writes is what the content model accepts (issue 17, docs/desk.md "The
front-matter format"): every sample file, re-serialised the way Decap's stock front-matter
format does it and passed through the backend's normaliser, comes back byte for byte; new
and edited fields come out as `newsroom new` and the content model write them.

The Decap side is emulated here (YAML 1.2 core types, keys in the config's field order then
the unknown ones, block lists, comments lost); tests/test_desk_e2e.py checks the real bundle
on a saved edit."""
from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from conftest import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

from newsroom.content.load import parse_doc
from newsroom.content.sanitize import visible_text
from newsroom.core.model import SCHEMAS
from newsroom.desk.frontmatter import normalise, render, split

TZ = ZoneInfo("Asia/Shanghai")
KINDS = {"content/news": "article", "content/notices": "notice", "content/topics": "topic",
         "content/workers": "worker", "content/pages": "page", "brands": "brand"}


class Yaml12Loader(yaml.SafeLoader):
    """js-yaml/`yaml` as Decap reads front matter: no YAML 1.1 timestamps (dates stay text)."""


Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def decap_save(text: str, kind: str, edit: dict | None = None) -> str:
    """The text Decap's stock `frontmatter` format sends to the backend for ``text``."""
    head, body = split(text)
    data = yaml.load(head, Loader=Yaml12Loader) or {}
    data.update(edit or {})
    order = list(SCHEMAS[kind].table())
    ordered = {k: data[k] for k in order if k in data and data[k] not in ("", None, [])}
    ordered.update({k: v for k, v in data.items() if k not in ordered and v not in ("", None, [])})
    return "---\n" + yaml.safe_dump(ordered, allow_unicode=True, sort_keys=False, width=10000) + "---\n" + body


def sample_files() -> list[tuple[str, str]]:
    out = []
    for folder, kind in KINDS.items():
        out += [(p.relative_to(ROOT).as_posix(), kind) for p in sorted((ROOT / folder).rglob("*.md"))]
    return out


SAMPLES = sample_files()


def test_the_samples_cover_every_kind_the_desk_edits():
    assert {kind for _, kind in SAMPLES} == set(KINDS.values())
    assert len(SAMPLES) > 60


@pytest.mark.parametrize(("rel", "kind"), SAMPLES, ids=[r for r, _ in SAMPLES])
def test_every_sample_file_round_trips_byte_for_byte(rel, kind):
    text = (ROOT / rel).read_text(encoding="utf-8")
    sent = decap_save(text, kind)
    assert normalise(sent, text, kind, Path(rel).stem, TZ) == text


def test_an_edit_changes_only_its_own_line():
    rel = "content/news/2021/kegong-brands.md"
    text = (ROOT / rel).read_text(encoding="utf-8")
    sent = decap_save(text, "article", {"title": "柯桥区总工会聚力构筑“柯工”品牌矩阵！"})
    written = normalise(sent, text, "article", "kegong-brands", TZ)
    old, new = text.splitlines(), written.splitlines()
    assert [i for i, (a, b) in enumerate(zip(old, new)) if a != b] == [1] and len(old) == len(new)
    assert new[1] == "title: 柯桥区总工会聚力构筑“柯工”品牌矩阵！"


def test_skeleton_comments_and_empty_fields_survive_a_save():
    text = ("---\ntitle: 甲\ndate: 2024-07-05 09:30\nkicker:                 # 引题（可不填）\n"
            "# image: images/2024/jia.jpg\ntags: []\ndraft: true             # 写好后删掉这一行即可发布\n---\n正文。\n")
    sent = decap_save(text, "article", {"tags": ["志愿服务"]})
    assert normalise(sent, text, "article", "jia", TZ) == text.replace("tags: []", "tags: [志愿服务]")


def test_a_new_article_is_written_in_the_schema_order_with_flow_lists_no_slug_and_no_false():
    sent = ("---\nimage: images/2024/lead.png\nslug: ke-gong-yi-zhiyuan\ntitle: '“柯工益”志愿者: 走进社区'\n"
            "date: 2024-07-05T01:30:00.000Z\nbrands:\n  - ke-gong-yi\nworkers:\n  - chen-xin\n"
            "featured: false\ntags:\n  - 志愿服务\n  - '#学雷锋'\n---\n正文第一段。\n")
    written = normalise(sent, None, "article", "ke-gong-yi-zhiyuan", TZ)
    assert written == ("---\ntitle: \"“柯工益”志愿者: 走进社区\"\ndate: 2024-07-05 09:30\n"
                       "brands: [ke-gong-yi]\nworkers: [chen-xin]\ntags: [志愿服务, \"#学雷锋\"]\n"
                       "image: images/2024/lead.png\n---\n正文第一段。\n")
    doc, problems = parse_doc(written, "x.md")
    assert problems == [] and doc.meta["title"] == "“柯工益”志愿者: 走进社区"


def test_a_changed_date_is_written_in_beijing_time_and_an_equal_one_kept_as_written():
    text = "---\ntitle: 甲\ndate: 2021年12月28日 09:30\n---\n"
    same = decap_save(text, "article", {"date": "2021-12-28T01:30:00.000Z"})
    assert normalise(same, text, "article", "jia", TZ) == text
    moved = decap_save(text, "article", {"date": "2021-12-28T02:00:00.000Z"})
    assert "date: 2021-12-28 10:00\n" in normalise(moved, text, "article", "jia", TZ)


def test_a_brand_or_worker_keeps_its_id_in_the_file_name_only():
    sent = "---\nname: 柯工新\nslug: ke-gong-xin\n---\n介绍。\n"
    assert normalise(sent, None, "brand", "ke-gong-xin", TZ) == "---\nname: 柯工新\n---\n介绍。\n"
    # A slug that differs from the file name is the editor's choice: kept (check names it).
    assert "slug: other" in normalise(sent.replace("ke-gong-xin\n---", "other\n---"), None, "brand", "ke-gong-xin", TZ)


def test_honors_objects_and_topic_sections_render_as_block_lists():
    assert render("honors", ["全国劳动模范", {"title": "浙江工匠", "year": "2021"}]) == (
        "honors:\n  - 全国劳动模范\n  - title: 浙江工匠\n    year: 2021\n")
    assert render("sections", [{"title": "赛场动态", "tags": ["技能竞赛"]}]) == (
        "sections:\n  - title: 赛场动态\n    tags: [技能竞赛]\n")


# Control characters and the invisible ones a paste brings (sanitize.INVISIBLE) are left out:
# the content model's loader drops them (not the desk's doing).
DROPPED = "".join(c for c in map(chr, range(0x80, 0x10000)) if not visible_text(c))
LETTERS = st.characters(exclude_categories=("Cs", "Cc"), exclude_characters=DROPPED, include_characters="\n")
TEXT = st.text(st.characters(exclude_categories=("Cs", "Cc"), exclude_characters=DROPPED), min_size=1, max_size=30)


@settings(max_examples=300, deadline=None)
@given(title=TEXT, tags=st.lists(TEXT, max_size=4), summary=st.text(LETTERS, min_size=0, max_size=60))
def test_whatever_an_editor_types_is_read_back_as_typed(title, tags, summary):
    """Quotes, colons, #, a leading [ or *, numbers-as-text: the written file reads back the same
    in the content model's loader."""
    values = {"title": title, "date": "2024-07-05 09:30", "tags": tags, "summary": summary}
    sent = "---\n" + yaml.safe_dump(values, allow_unicode=True, sort_keys=False) + "---\n正文。\n"
    doc, problems = parse_doc(normalise(sent, None, "article", "x", TZ), "x.md")
    assert doc is not None, problems
    expect = {k: v for k, v in values.items() if v not in ("", [])}
    got = {k: doc.meta.get(k) for k in expect}
    if "summary" in expect:      # a block scalar's trailing spaces/newlines follow YAML's chomping
        assert got.pop("summary").rstrip() == expect.pop("summary").rstrip()
    assert got == expect
