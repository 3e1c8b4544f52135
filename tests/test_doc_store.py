"""The doc store (content/doc_store.py): docs.marshal and its delta, written only when they change,
and a delta never used on a base other than the one it was made on; damaged, forged or of
another version, a store file is never used."""
from __future__ import annotations

import json
import marshal
import os
from pathlib import Path

import pytest

from newsroom.content import doc_store
from newsroom.content.doc_store import StoredDocs
from newsroom.core.sealed import seal, unseal

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


def _reseal(path: Path, record: dict, version: str = "v1") -> None:
    path.write_bytes(b"".join(seal(doc_store.dump_record(record, version))))


def _record(path: Path, version: str = "v1") -> dict:
    return doc_store.load_record(unseal(path.read_bytes()), version)


@pytest.fixture()
def files(tmp_path):
    folder = tmp_path / "content"
    folder.mkdir()
    return [_write(folder, f"a{n}.md", f"标题{n}") for n in range(5)]


@pytest.fixture()
def store_path(tmp_path, files):
    path = tmp_path / "cache" / doc_store.NAME
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
        delta.write_bytes(doc_store.dump_record(record, "v1") + b"\n" + b"0" * 64 + b"\n")
    else:                       # the base written again (another build, or edited and resealed)
        _reseal(delta, record)
        # The same entries, another checksum (in another order) than the one the delta names.
        base = _record(store_path)
        _reseal(store_path, {**base, "docs": dict(reversed(base["docs"].items()))})
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
    path = tmp_path / "cache" / doc_store.NAME
    first = StoredDocs(path, "v1")
    assert _read_all(first, files)["a1.md"] == "标题1"
    first.save()
    monkeypatch.setattr(doc_store, "read_doc_sha", real)
    assert set(_record(path)["docs"]) == {str(f) for f in files if f.name != "a1.md"}
    assert _read_all(StoredDocs(path, "v1"), files)["a1.md"] == "新标题"


def test_an_entry_holds_a_copy_of_the_parse(tmp_path, files):
    """What the store saves is what was parsed, whatever the build does to the parse it was handed."""
    path = tmp_path / "cache" / doc_store.NAME
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


def _all_parsed(store_path: Path, files: list[Path]) -> list[str]:
    """The files a store at ``store_path`` (version v1) has parsed again, reading ``files``."""
    store = StoredDocs(store_path, "v1")
    parsed = []
    real = doc_store.read_doc_sha
    doc_store.read_doc_sha = lambda path, display: parsed.append(display) or real(path, display)
    try:
        assert _read_all(store, files) == {f"a{n}.md": f"标题{n}" for n in range(5)}
    finally:
        doc_store.read_doc_sha = real
    return parsed


@pytest.mark.parametrize("damage", ["python", "marshal", "format", "version", "json", "payload", "truncated", "flipped"])
def test_a_store_file_of_another_kind_or_damaged_is_not_used(store_path, files, damage):
    """marshal is read only from a file that verifies and whose header names this format, this
    Python, this marshal version and this code's version: anything else, and every file is
    parsed again (a clean result), never an exception, never a stale entry."""
    data = unseal(store_path.read_bytes())
    header, payload = data.split(b"\n", 1)
    words = header.split(b" ")
    record = marshal.loads(payload)
    if damage in ("python", "marshal", "format", "version"):
        at = {"format": 1, "python": 3, "marshal": 4, "version": 5}[damage]
        words[at] = b"other"
        store_path.write_bytes(b"".join(seal(b" ".join(words) + b"\n" + payload)))
    elif damage == "json":          # the store of FORMAT 1, at the new file's name
        text = json.dumps({"format": 1, "version": "v1", **record}, ensure_ascii=False)
        store_path.write_bytes(b"".join(seal(text.encode())))
    elif damage == "payload":       # verifies, names this Python, is not marshal's
        store_path.write_bytes(b"".join(seal(header + b"\n" + b"\xff" * 100)))
    elif damage == "truncated":
        store_path.write_bytes(store_path.read_bytes()[:len(data) // 2])
    else:
        raw = bytearray(store_path.read_bytes())
        raw[len(raw) // 2] ^= 1
        store_path.write_bytes(bytes(raw))
    assert StoredDocs(store_path, "v1")._base is None
    assert sorted(_all_parsed(store_path, files)) == [f.name for f in files]


def _containers(value, seen: dict) -> None:
    if isinstance(value, (list, dict)):
        assert id(value) not in seen, "a list or mapping shared by two places"
        seen[id(value)] = value
        for item in (value.values() if isinstance(value, dict) else value):
            _containers(item, seen)


def test_what_the_store_writes_shares_no_list_or_mapping(store_path, files, monkeypatch):
    """marshal writes an object met twice once, and reads it back as one object: a list or
    mapping in two entries would be one for two documents. JSON never gave that; each entry is
    a copy (``_round_trip``) or a kept one, so the files hold none, through a delta and a
    base written whole."""
    new = _write(files[0].parent, "b.md", "新的一篇")
    store = StoredDocs(store_path, "v1")
    _read_all(store, [*files, new])
    store.stored(store.read(new, new.name)[0], "k", lambda: [1], None)
    store.save()
    assert store.delta_path.exists()
    _containers(_record(store.delta_path), {})
    monkeypatch.setattr(doc_store, "DELTA_MIN", 0)
    monkeypatch.setattr(doc_store, "DELTA_SHARE", 10**6)
    files[1].unlink()
    store = StoredDocs(store_path, "v1")
    _read_all(store, [files[0], *files[2:], new])
    store.save()
    assert not store.delta_path.exists()
    _containers(_record(store_path), {})


def test_the_json_store_of_format_1_is_removed_when_the_store_is_written_whole(tmp_path, files):
    """The store of FORMAT 1 (docs.json, 27 MB at 10k articles) is never read again: the first
    build that writes the new one whole removes it and its delta."""
    folder = tmp_path / "cache"
    folder.mkdir()
    for name in doc_store.LEGACY:
        (folder / name).write_text("{}\n" + "0" * 64 + "\n", encoding="utf-8")
    store = StoredDocs(folder / doc_store.NAME, "v1")
    _read_all(store, files)
    store.save()
    assert sorted(p.name for p in folder.iterdir()) == [doc_store.NAME]
    # A store given one of those names is never removed by its own save.
    own = StoredDocs(folder / "docs.json", "v1")
    _read_all(own, files)
    own.save()
    assert (folder / "docs.json").is_file() and StoredDocs(folder / "docs.json", "v1")._base is not None


@pytest.mark.parametrize("value", [
    {"a": "文", "b": ["x", {"c": 1, "d": [True, None, 1.5]}]}, {"a": -0.0}, {"a": float("inf")},
    ["\ud800"], {"a": 10**30}, [[[]]], {"": ""}, {"a": [1, 1.0, True, "1"]}])
def test_a_kept_entry_comes_back_from_the_file_as_json_gave_it(value):
    """What ``_round_trip`` keeps, through the file, is equal and of the very same types."""
    def typed(v):
        if isinstance(v, dict):
            return {k: typed(x) for k, x in v.items()}
        if isinstance(v, list):
            return [typed(x) for x in v]
        return (type(v).__name__, repr(v))
    copy = doc_store._round_trip(value)
    back = doc_store.load_record(memoryview(doc_store.dump_record({"v": copy}, "v1")), "v1")["v"]
    assert typed(back) == typed(value) == typed(json.loads(json.dumps(value, ensure_ascii=False)))


def test_the_keys_of_every_entry_are_one_text_each(store_path, files):
    """Each file's parse made its own key texts; the store interns them (``_round_trip``), so the
    file holds each once and a build that reads it makes one ``title`` for all entries (as
    ``json.loads`` shared them): 6 MB less at 10k articles, and a faster load."""
    docs = _record(store_path)["docs"]
    assert len(docs) == 5
    assert len({id(key) for entry in docs.values() for key in entry[3]["meta"]}) == 1
    assert len({id(key) for entry in docs.values() for key in entry[3]}) == len(next(iter(docs.values()))[3])
