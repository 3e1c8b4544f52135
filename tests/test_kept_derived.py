"""What a warm build keeps of each file besides its parse (content/derived.py, kept_fields.py,
doc_store.StoredDocs.stored): an article's fields and problems, read back from the doc store
equal to reading the file again, never made from a value that does not verify."""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from newsroom.content import derived, entity_kinds
from newsroom.content.doc_store import StoredDocs, dump_record, load_record
from newsroom.content.graph import build_graph
from newsroom.core.model import SCHEMAS, GalleryPhoto
from newsroom.core.print_ref import Area, PrintRef
from newsroom.core.problems import Problem
from newsroom.core.settings import Settings
from newsroom.core.sealed import seal, unseal

OLD = 1_700_000_000 * 10**9      # older than the doc store's racy window: its stat is trusted
TZ = ZoneInfo("Asia/Shanghai")

ARTICLES = {
    # Plain: every field as written (kept by its bit).
    "news/2021/kegong.md": "---\ntitle: 柯工品牌\ndate: 2021-12-28 09:30\nkicker: 引题\n"
                           "reporters: [羊荣江]\ntags: [志愿服务, 疫情防控]\nbrands: []\n---\n\n正文。\n",
    # Read, not as written: a list in one string, spaces, a date with a zone, a gallery.
    "news/2021/mixed.md": "---\ntitle: '  留白的标题 '\ndate: 2021-06-01T08:00:00+00:00\nslug: mixed-slug\n"
                          "tags: 甲、乙\nreporters: [张 三]\nupdated: 2021-05-01\nfeatured: yes\n"
                          "gallery:\n  - images/a.jpg\n  - {image: images/b.jpg, caption: 说明}\n"
                          "unknown_field: 1\n---\n\n![图](../../images/missing.jpg)\n\n<script>x</script>\n",
    # Not an article: no date. Its problems are kept too.
    "news/2021/broken.md": "---\ntitle: 没有日期\n---\n\n正文。\n",
}


def _site(tmp_path: Path) -> Path:
    for src, text in ARTICLES.items():
        path = tmp_path / "content" / src
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        os.utime(path, ns=(OLD, OLD))
    (tmp_path / "brands").mkdir()
    return tmp_path


def _graph(root: Path, cache=None):
    graph, problems = build_graph(root / "content", root / "brands", Settings(), display_base=root, cache=cache)
    return [dataclasses.asdict(a) for a in graph.articles], [p.format() for p in problems]


def _no_fields(monkeypatch):
    """Articles must come from the store: reading their fields fails."""
    def fail(*_):
        raise AssertionError("fields read again")
    kept = entity_kinds.LOADERS["article"]
    monkeypatch.setitem(entity_kinds.LOADERS, "article", dataclasses.replace(kept, fields=fail))


def test_articles_from_the_store_equal_a_fresh_read(tmp_path, monkeypatch):
    root = _site(tmp_path)
    fresh = _graph(root)
    assert any("content/news/2021/broken.md:1:" in p for p in fresh[1])       # path:line, Chinese
    assert any("unknown_field" in p for p in fresh[1]) and any("updated" in p for p in fresh[1])
    store = root / "cache" / "docs.marshal"
    first = StoredDocs(store, "v1")
    assert _graph(root, first) == fresh
    first.save()
    _no_fields(monkeypatch)
    again = StoredDocs(store, "v1")
    assert _graph(root, again) == fresh
    again.save()                      # nothing new: the store is not written again
    assert not again.delta_path.exists()


def test_a_changed_file_is_read_again(tmp_path, monkeypatch):
    root = _site(tmp_path)
    store = root / "cache" / "docs.marshal"
    first = StoredDocs(store, "v1")
    _graph(root, first)
    first.save()
    path = root / "content/news/2021/kegong.md"
    path.write_text(ARTICLES["news/2021/kegong.md"].replace("柯工品牌", "新标题"), encoding="utf-8")
    articles, _ = _graph(root, StoredDocs(store, "v1"))
    assert "新标题" in [a["title"] for a in articles]


def _kept_then_changed(tmp_path, change) -> tuple[tuple, tuple]:
    """A fresh read of the site, and one from a store whose kept values ``change`` edited
    (each entry, in place) and sealed again: what a build makes of values that verify but are wrong."""
    root = _site(tmp_path)
    fresh = _graph(root)
    store = root / "cache" / "docs.marshal"
    first = StoredDocs(store, "v1")
    _graph(root, first)
    first.save()
    record = load_record(unseal(store.read_bytes()), "v1")
    for path, entry in record["docs"].items():
        assert len(entry) == 6 and entry[5]                         # kept beside the parse, as text
        kept = {key: json.loads(text) for key, text in entry[5].items()}
        change(path, kept)
        entry[5] = {key: json.dumps(value, ensure_ascii=False) for key, value in kept.items()}
    store.write_bytes(b"".join(seal(dump_record(record, "v1"))))
    return fresh, _graph(root, StoredDocs(store, "v1"))


def test_a_kept_value_that_does_not_decode_is_made_again(tmp_path):
    def foreign(path: str, kept: dict) -> None:
        for key in kept:
            kept[key] = {"$c": "os.system", "$f": {}}        # no class of ours
    fresh, again = _kept_then_changed(tmp_path, foreign)
    assert again == fresh


def test_derived_values_round_trip():
    value = ({"date": dt.datetime(2021, 12, 28, 9, 30, tzinfo=TZ), "tags": ["甲"], "n": None, "ok": True,
              "gallery": [GalleryPhoto("images/a.jpg", "说明", "", 3)],
              "print_ref": PrintRef("2021-12-28", 2, Area(1.5, 2.0, 30.0, 40.0))},
             [Problem("content/x.md", 3, "消息", "提示")])
    text = derived.kept_text(value, TZ)
    assert text is not None
    back = derived.from_text(text, TZ)
    assert back == value and back[0]["date"].tzinfo is TZ and type(back) is tuple


@pytest.mark.parametrize("value", [
    dt.datetime(2021, 1, 1, tzinfo=dt.timezone.utc),      # another zone: equal, but not the same
    float("nan"), {1: "a"}, object(), Path("x"),
])
def test_what_is_not_kept(value):
    assert derived.kept_text(value, TZ) is None


@pytest.mark.parametrize("raw", [{"$c": "Path", "$f": {}}, {"$dt": ["2021", 2]}, {"$x": 1}, {"$t": 1},
                                 {"$t": [], "x": 1}, {"$dt": "not a date"}])
def test_what_does_not_decode(raw):
    with pytest.raises((ValueError, TypeError, KeyError)):
        derived.decode(raw, TZ)
    with pytest.raises((ValueError, TypeError, KeyError)):
        derived.from_text(json.dumps(raw), TZ)


def test_kept_fields_name_the_schema():
    key = entity_kinds.kept_key(SCHEMAS["article"], "Asia/Shanghai")
    assert key.startswith("article|Asia/Shanghai|")
    assert entity_kinds.kept_key(SCHEMAS["article"], "UTC") != key


def test_kept_fields_that_do_not_fit_the_document_are_read_again(tmp_path):
    """A kept mask naming fields the document does not have, or no mask at all: read again."""
    def misfit(path: str, kept: dict) -> None:
        for key, value in kept.items():
            if key.startswith("article|") and value["$t"][0] is not None:
                value["$t"][0]["="] = 2 ** 40 - 1 if "kegong" in path else "x"
    fresh, again = _kept_then_changed(tmp_path, misfit)
    assert again == fresh
