"""The doc store (content/doc_store.py): docs.json and its delta, written only when they change,
and a delta never used on a base other than the one it was made on."""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from newsroom.content import doc_store
from newsroom.content.doc_store import StoredDocs

OLD = 1_700_000_000 * 10**9      # files older than the racy window: their stat is trusted


def _write(folder: Path, name: str, title: str) -> Path:
    path = folder / name
    path.write_text(f"---\ntitle: {title}\n---\n\n正文{title}\n", encoding="utf-8")
    os.utime(path, ns=(OLD, OLD))
    return path


def _read_all(store: StoredDocs, files: list[Path]) -> dict[str, str]:
    out = {}
    for f in files:
        doc, _ = store.read(f, f.name)
        out[f.name] = doc.meta["title"]
    return out


def _bytes(path: Path) -> bytes | None:
    return path.read_bytes() if path.exists() else None


def _reseal(path: Path, record: dict) -> None:
    text = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
    path.write_text(text + "\n" + hashlib.sha256(text.encode()).hexdigest() + "\n", encoding="utf-8")


def _record(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8").rstrip("\n").rsplit("\n", 1)[0])


@pytest.fixture()
def files(tmp_path):
    folder = tmp_path / "content"
    folder.mkdir()
    return [_write(folder, f"a{n}.md", f"标题{n}") for n in range(5)]


@pytest.fixture()
def store_path(tmp_path, files):
    path = tmp_path / "cache" / "docs.json"
    first = StoredDocs(path, "v1")
    _read_all(first, files)
    first.save()
    assert path.is_file() and not first.delta_path.exists()
    return path


def _no_parse(monkeypatch):
    """Reading a file the store keeps must not parse it."""
    def fail(*_):
        raise AssertionError("parsed again")
    monkeypatch.setattr(doc_store, "read_doc", fail)
    monkeypatch.setattr(doc_store, "read_doc_sha", fail)


def test_nothing_changed_nothing_written(store_path, files, monkeypatch):
    before = store_path.stat().st_mtime_ns, store_path.read_bytes()
    store = StoredDocs(store_path, "v1")
    _no_parse(monkeypatch)
    assert _read_all(store, files) == {f"a{n}.md": f"标题{n}" for n in range(5)}
    store.save()
    assert (store_path.stat().st_mtime_ns, store_path.read_bytes()) == before
    assert not store.delta_path.exists()


def test_a_new_and_a_deleted_file_go_to_the_delta(store_path, files, monkeypatch):
    base = store_path.read_bytes()
    new = _write(files[0].parent, "b.md", "新的一篇")
    files[1].unlink()
    kept = [files[0], *files[2:], new]
    store = StoredDocs(store_path, "v1")
    _read_all(store, kept)
    store.save()
    assert store_path.read_bytes() == base                   # the base as it was
    delta = _record(store.delta_path)
    assert set(delta["docs"]) == {str(new)} and delta["gone"] == [str(files[1])]
    assert delta["base"] == base.rstrip(b"\n").rsplit(b"\n", 1)[1].decode()
    # The next build: the new file from the delta, not parsed; the deleted one not kept.
    store = StoredDocs(store_path, "v1")
    assert str(files[1]) not in store._kept and str(new) in store._kept
    _no_parse(monkeypatch)
    assert _read_all(store, kept)["b.md"] == "新的一篇"
    before = _bytes(store.delta_path)
    store.save()                                             # nothing changed since: nothing written
    assert _bytes(store.delta_path) == before and store_path.read_bytes() == base


@pytest.mark.parametrize("damage", ["other base", "seal", "base resealed"])
def test_a_delta_is_used_only_on_its_own_base(store_path, files, damage):
    new = _write(files[0].parent, "b.md", "新的一篇")
    store = StoredDocs(store_path, "v1")
    _read_all(store, [*files, new])
    store.save()
    delta = store.delta_path
    record = _record(delta)
    record["docs"][str(new)][3]["meta"]["title"] = "伪造的标题"      # under the file's true stat and SHA-256
    if damage == "other base":
        record["base"] = "0" * 64
        _reseal(delta, record)
    elif damage == "seal":
        text = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
        delta.write_text(text + "\n" + "0" * 64 + "\n", encoding="utf-8")
    else:                       # the base written again (another build, or edited and resealed)
        _reseal(delta, record)
        # The same entries, another checksum (spaces after the commas) than the one the delta names.
        text = json.dumps(_record(store_path), ensure_ascii=False, separators=(", ", ":"))
        store_path.write_text(text + "\n" + hashlib.sha256(text.encode()).hexdigest() + "\n", encoding="utf-8")
    store = StoredDocs(store_path, "v1")
    assert str(new) not in store._kept
    assert _read_all(store, [*files, new])["b.md"] == "新的一篇"     # parsed again


def test_many_changes_write_the_base_whole(store_path, files, monkeypatch):
    monkeypatch.setattr(doc_store, "DELTA_MIN", 1)
    monkeypatch.setattr(doc_store, "DELTA_SHARE", 1000)
    store = StoredDocs(store_path, "v1")
    _read_all(store, [*files, _write(files[0].parent, "b.md", "新的一篇")])
    store.save()
    assert store.delta_path.exists()           # one change: the delta
    for n, f in enumerate(files[:3]):
        _write(f.parent, f.name, f"改过的标题{n}")
        os.utime(f, ns=(OLD + 10**9, OLD + 10**9))
    store = StoredDocs(store_path, "v1")
    _read_all(store, files)
    store.save()
    assert not store.delta_path.exists()       # three changes, and b.md gone: the base whole
    assert {e[3]["meta"]["title"] for e in _record(store_path)["docs"].values()} == {
        "改过的标题0", "改过的标题1", "改过的标题2", "标题3", "标题4"}
    _no_parse(monkeypatch)
    assert _read_all(StoredDocs(store_path, "v1"), files)["a1.md"] == "改过的标题1"


@pytest.mark.parametrize("damage", ["fields", "problem", "fields not a mapping"])
def test_an_entry_not_of_its_shape_is_read_again(store_path, files, damage):
    """An entry whose parse or problems do not make a document (resealed: the checksum holds)
    is that file read again, the other entries kept; the next save puts the file's own back."""
    record = _record(store_path)
    entry = record["docs"][str(files[2])]
    if damage == "fields":
        entry[3]["not_a_field"] = 1
    elif damage == "problem":
        entry[4] = [[1, 2, 3, 4, 5, 6, 7]]
    else:
        entry[3] = ["meta"]
    _reseal(store_path, record)
    store = StoredDocs(store_path, "v1")
    parsed = []
    real, real_sha = doc_store.read_doc, doc_store.read_doc_sha
    doc_store.read_doc = lambda path, display: parsed.append(display) or real(path, display)
    doc_store.read_doc_sha = lambda path, display: parsed.append(display) or real_sha(path, display)
    try:
        assert _read_all(store, files) == {f"a{n}.md": f"标题{n}" for n in range(5)}
    finally:
        doc_store.read_doc, doc_store.read_doc_sha = real, real_sha
    # "fields not a mapping": the whole file refused (the store's shape), every file parsed.
    assert parsed == (["a2.md"] if damage != "fields not a mapping" else [f.name for f in files])
    store.save()
    assert StoredDocs(store_path, "v1")._kept[str(files[2])][3]["meta"]["title"] == "标题2"


def test_a_file_changed_while_it_is_read_is_not_kept(tmp_path, files, monkeypatch):
    """The entry's checksum is of the bytes parsed, and the file's stat must be the same after
    the read as before: a file saved meanwhile is parsed again by the next build."""
    real = doc_store.read_doc_sha

    def read_then_edit(path, display):
        found = real(path, display)
        if display == "a1.md":      # an editor saves while the build reads
            _write(Path(path).parent, "a1.md", "新标题")
        return found
    monkeypatch.setattr(doc_store, "read_doc_sha", read_then_edit)
    path = tmp_path / "cache" / "docs.json"
    first = StoredDocs(path, "v1")
    assert _read_all(first, files)["a1.md"] == "标题1"
    first.save()
    monkeypatch.setattr(doc_store, "read_doc_sha", real)
    assert set(_record(path)["docs"]) == {str(f) for f in files if f.name != "a1.md"}
    assert _read_all(StoredDocs(path, "v1"), files)["a1.md"] == "新标题"


def test_an_entry_holds_a_copy_of_the_parse(tmp_path, files):
    """What the store saves is what was parsed, whatever the build does to the parse it was handed."""
    path = tmp_path / "cache" / "docs.json"
    first = StoredDocs(path, "v1")
    doc, _ = first.read(files[0], files[0].name)
    doc.meta["title"] = "改过"
    first.save()
    assert _record(path)["docs"][str(files[0])][3]["meta"]["title"] == "标题0"


@pytest.mark.parametrize("value", [
    {"a": "文", "b": ["x", {"c": 1, "d": [True, None, 1.5]}]}, {"a": ("x",)}, {1: "x"}, {"a": {None: 1}},
    {"a": float("nan")}, {"a": float("inf")}, {"a": -0.0}, {"a": b"x"}, {"a": {"b": [set()]}}, ["\ud800"],
    {"a": 10**30}, [[[]]], {"": ""}])
def test_an_entry_is_kept_exactly_when_json_gives_it_back(value):
    """doc_store._round_trip: a copy, where JSON gives back the very same value; else None."""
    try:
        back = json.loads(json.dumps(value, ensure_ascii=False))
        same = back == value
    except (TypeError, ValueError):
        same = False
    copy = doc_store._round_trip(value)
    assert (copy is not None) == same
    if same:
        assert copy == value and copy is not value
