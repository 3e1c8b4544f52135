"""A warm build's article fingerprint by the file's checksum (pages/kinds/kept._own with ``sha``).

``inputs_of`` takes each article read through the doc store as the SHA-256 of its file's bytes
(``StoredDocs.file_sums``), its source URI and display path, what its references resolved to,
and the fields the graph fills after reading (``kept._FILLED``), instead of walking its ~35
fields and hashing its body. That holds only while every other field of an article is what its
file says: these tests check the sums are the bytes read, that the sample site's graph changes
no field it read from a file, and that the print moves with each of its parts. (The warm tests
compare warm sites with clean ones; with the checksum left out of the print, four of them fail.)
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
from pathlib import Path

from newsroom.content.doc_store import StoredDocs
from newsroom.content.entities import article_from
from newsroom.content.graph import build_graph
from newsroom.content.load import read_doc
from newsroom.core.media import Video
from newsroom.core.model import Article, Brand, SourceRef, Worker
from newsroom.core.settings import Settings
from newsroom.pages.kinds import kept

REPO = Path(__file__).resolve().parent.parent
OLD = 1_700_000_000 * 10**9      # older than the doc store's racy window: its stat is trusted
# Left out of the copy: rendering the sample site's photos took a minute and reads no field.
PHOTOS = {".jpg", ".jpeg", ".png", ".webp", ".gif", ".heic", ".avif", ".tif", ".tiff"}


def _site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    for name in ("content", "brands"):
        for path in (REPO / name).rglob("*"):
            if path.is_file() and path.suffix.lower() not in PHOTOS:
                target = root / name / path.relative_to(REPO / name)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(path.read_bytes())
                os.utime(target, ns=(OLD, OLD))
    return root


def _graph(root: Path, store: StoredDocs):
    graph, _ = build_graph(root / "content", root / "brands", Settings(), display_base=root, cache=store)
    return graph


def _sums_of_files(root: Path, graph) -> dict[str, str]:
    return {a.source.path: hashlib.sha256((root / a.source.path).read_bytes()).hexdigest() for a in graph.articles}


def test_the_sums_are_the_bytes_each_article_was_read_from(tmp_path):
    root = _site(tmp_path)
    store = StoredDocs(tmp_path / "cache" / "docs.marshal", "v1")
    graph = _graph(root, store)
    assert graph.articles
    sums = store.file_sums()
    assert {a.source.path: sums[a.source.path] for a in graph.articles} == _sums_of_files(root, graph)
    store.save()
    # Kept (the stat trusted), then one file edited: its sum is its new bytes'.
    edited = root / graph.articles[0].source.path
    edited.write_text(edited.read_text(encoding="utf-8") + "\n补充一段。\n", encoding="utf-8")
    again = StoredDocs(tmp_path / "cache" / "docs.marshal", "v1")
    graph = _graph(root, again)
    sums = again.file_sums()
    assert {a.source.path: sums[a.source.path] for a in graph.articles} == _sums_of_files(root, graph)


def test_a_file_read_twice_has_no_sum(tmp_path):
    path = tmp_path / "a.md"
    path.write_text("---\ntitle: 甲\n---\n\n正文\n", encoding="utf-8")
    store = StoredDocs(tmp_path / "docs.marshal", "v1")
    store.read(path, "content/a.md")
    assert store.file_sums() == {"content/a.md": hashlib.sha256(path.read_bytes()).hexdigest()}
    path.write_text("---\ntitle: 乙\n---\n\n正文\n", encoding="utf-8")
    store.read(path, "content/a.md")
    assert store.file_sums() == {}


def test_the_graph_changes_no_field_an_article_read_from_its_file(tmp_path):
    """Every field but the references and ``_FILLED`` is the file's (the sample site: brands,
    workers, topics, print editions, galleries): the checksum may stand for them."""
    root = _site(tmp_path)
    settings = Settings()
    store = StoredDocs(tmp_path / "cache" / "docs.marshal", "v1")
    _graph(root, store)
    store.save()
    graph = _graph(root, StoredDocs(tmp_path / "cache" / "docs.marshal", "v1"))    # from the store
    skip = {*kept._REFS, *kept._FILLED}
    for a in graph.articles:
        doc, _ = read_doc(root / a.source.path, a.source.path)
        fresh, _ = article_from(doc, a.src_uri, settings)
        assert fresh is not None
        for f in dataclasses.fields(Article):
            if f.name not in skip:
                assert getattr(a, f.name) == getattr(fresh, f.name), (a.src_uri, f.name)


def test_the_filled_fields_are_the_graphs_own():
    # A new field without a front matter key is one the graph fills: it must be in the print.
    assert kept._FILLED == ("video_file",)


def _article(**changes) -> Article:
    base = Article(title="技能比武", date=dt.datetime(2021, 3, 1, 9, 0), source=SourceRef("content/news/race.md"),
                   src_uri="news/2021/race.md", slug="race", body="正文。",
                   brands=[Brand(id="ke-gong-sai", name="柯工赛", source=SourceRef("brands/ke-gong-sai.md"))],
                   workers=[Worker(id="zhang", name="张三", source=SourceRef("content/workers/zhang.md"))])
    return dataclasses.replace(base, **changes)


def _entity(e) -> str:
    return repr((type(e).__name__, e))


def test_the_print_moves_with_the_file_and_what_the_graph_filled():
    base = kept._own(_article(), _entity, "a" * 64)
    assert kept._own(_article(), _entity, "a" * 64) == base
    assert kept._own(_article(), _entity, "b" * 64) != base
    assert kept._own(_article(), _entity) != base             # read without the store: every field
    for change in ({"src_uri": "news/2021/race-2.md"}, {"source": SourceRef("content/news/other.md")},
                   {"brands": []}, {"workers": []},
                   {"brands": [Brand(id="ke-gong-sai", name="柯工赛行", source=SourceRef("brands/ke-gong-sai.md"))]},
                   {"video_file": Video("media/a.mp4", "", "", 1)}):
        assert kept._own(_article(**change), _entity, "a" * 64) != base, change
