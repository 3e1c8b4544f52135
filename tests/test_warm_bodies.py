"""The articles' bodies in the build cache: bodies.json, and bodies.delta.json beside it.

A build that changed a few bodies (one new article) writes them to the delta, not bodies.json
whole (20 MB at 10k articles); both files are named in the sealed manifest with their SHA-256
(mkdocs/warm_store.py). A delta that is missing, damaged, or made against another bodies.json
means no cache at all: the build renders everything, and its site is a clean build's.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from newsroom.core.sealed import seal
from newsroom.mkdocs.warm_store import BODIES, BODIES_DELTA, DELTA_MIN, CacheStore, Kept

from test_incremental import _article
from test_warm_build import CACHE, _race, _warm, tree  # noqa: F401 (a fixture)


def _bodies(n: int, text: str = "正文") -> dict[str, tuple[str, str]]:
    return {f"news/{i}/": (f"sha-{text}-{i}", f"<p>{text}{i}</p>") for i in range(n)}


def _save(folder: Path, bodies: dict) -> CacheStore:
    store = CacheStore(folder)
    store.save(Kept("key", "site", bodies=bodies))
    return store


def _load(folder: Path) -> Kept | None:
    return CacheStore(folder).load("key", "site")


def _stat(path: Path) -> tuple[int, int]:
    return path.stat().st_mtime_ns, path.stat().st_ino


def test_a_few_changed_bodies_go_to_the_delta_and_load_back(tmp_path):
    base = _bodies(300)
    _save(tmp_path, base)
    assert not (tmp_path / BODIES_DELTA).exists()
    whole = _stat(tmp_path / BODIES)
    store = CacheStore(tmp_path)
    kept = store.load("key", "site")
    assert kept is not None and kept.bodies == base
    changed = {**base, "news/new/": ("sha-new", "<p>新的</p>"), "news/3/": ("sha-edited", "<p>改过</p>")}
    del changed["news/5/"]
    store.save(Kept("key", "site", bodies=changed))
    assert _stat(tmp_path / BODIES) == whole                  # not written again
    delta = json.loads((tmp_path / BODIES_DELTA).read_text(encoding="utf-8"))
    assert set(delta["bodies"]) == {"news/new/", "news/3/"} and delta["gone"] == ["news/5/"]
    assert _load(tmp_path).bodies == changed


def test_the_delta_holds_every_change_since_bodies_json_and_nothing_is_written_without_one(tmp_path):
    base = _bodies(300)
    _save(tmp_path, base)
    first = {**base, "news/a/": ("sha-a", "<p>a</p>")}
    store = CacheStore(tmp_path)
    store.load("key", "site")
    store.save(Kept("key", "site", bodies=first))
    second = {**first, "news/b/": ("sha-b", "<p>b</p>")}
    store = CacheStore(tmp_path)
    store.load("key", "site")
    store.save(Kept("key", "site", bodies=second))
    delta = json.loads((tmp_path / BODIES_DELTA).read_text(encoding="utf-8"))
    assert set(delta["bodies"]) == {"news/a/", "news/b/"}
    files = {p.name: _stat(p) for p in (tmp_path).iterdir() if p.name != "manifest.json"}
    store = CacheStore(tmp_path)
    assert store.load("key", "site").bodies == second
    store.save(Kept("key", "site", bodies=second))           # the same bodies: nothing written
    assert {p.name: _stat(p) for p in (tmp_path).iterdir() if p.name != "manifest.json"} == files


def test_many_changes_write_bodies_json_whole_and_drop_the_delta(tmp_path):
    base = _bodies(300)
    _save(tmp_path, base)
    store = CacheStore(tmp_path)
    store.load("key", "site")
    store.save(Kept("key", "site", bodies={**base, "news/a/": ("sha-a", "<p>a</p>")}))
    assert (tmp_path / BODIES_DELTA).exists()
    rewritten = _bodies(300, "改版")                         # every body changed: more than DELTA_MIN
    assert len(rewritten) > DELTA_MIN
    store = CacheStore(tmp_path)
    store.load("key", "site")
    store.save(Kept("key", "site", bodies=rewritten))
    assert not (tmp_path / BODIES_DELTA).exists()
    assert _load(tmp_path).bodies == rewritten


def _with_delta(folder: Path) -> None:
    base = _bodies(300)
    _save(folder, base)
    store = CacheStore(folder)
    store.load("key", "site")
    store.save(Kept("key", "site", bodies={**base, "news/a/": ("sha-a", "<p>a</p>")}))
    assert (folder / BODIES_DELTA).exists() and _load(folder) is not None


@pytest.mark.parametrize("damage", ["missing", "truncated", "flipped", "another cache's", "bodies json rewritten"])
def test_a_damaged_or_foreign_delta_means_no_cache(tmp_path, damage):
    _with_delta(tmp_path)
    delta = tmp_path / BODIES_DELTA
    if damage == "missing":
        delta.unlink()
    elif damage == "truncated":
        delta.write_bytes(delta.read_bytes()[:-20])
    elif damage == "flipped":
        data = bytearray(delta.read_bytes())
        data[len(data) // 2] ^= 1
        delta.write_bytes(bytes(data))
    elif damage == "another cache's":             # a valid delta of another cache, put in its place
        other = tmp_path / "other"
        _with_delta(other)
        (other / BODIES_DELTA).write_text((other / BODIES_DELTA).read_text(encoding="utf-8").replace(
            "<p>a</p>", "<p>b</p>"), encoding="utf-8")
        delta.write_bytes((other / BODIES_DELTA).read_bytes())
    else:                                         # bodies.json written whole by someone else
        _save(tmp_path / "other", _bodies(300, "别的"))
        (tmp_path / BODIES).write_bytes((tmp_path / "other" / BODIES).read_bytes())
    assert _load(tmp_path) is None


def test_a_delta_naming_another_base_is_refused_even_when_the_manifest_names_it(tmp_path):
    """The manifest names the delta's SHA-256; the delta names the bodies.json it was made on.
    A manifest sealed again over a delta of another base (the case the seal cannot tell)
    is still refused by the delta's own base."""
    _with_delta(tmp_path)
    delta = tmp_path / BODIES_DELTA
    record = json.loads(delta.read_text(encoding="utf-8"))
    record["base"] = "0" * 64
    data = json.dumps(record).encode()
    delta.write_bytes(data)
    manifest = tmp_path / "manifest.json"
    text, _ = manifest.read_bytes().rstrip(b"\n").rsplit(b"\n", 1)
    found = json.loads(text)
    found["bodies_delta_sha256"] = hashlib.sha256(data).hexdigest()
    manifest.write_bytes(b"".join(seal(json.dumps(found, ensure_ascii=False, sort_keys=True).encode())))
    assert _load(tmp_path) is None


def _new_article(tree: Path, name: str, title: str) -> None:  # noqa: F811 (the fixture's name)
    (tree / f"content/news/2021/{name}.md").write_text(
        _article(title, "2021-12-30 10:00", tags="[志愿服务]"), encoding="utf-8")


def test_a_new_article_writes_the_delta_and_the_next_builds_read_it(tree, tmp_path):  # noqa: F811
    cache = tree / CACHE
    whole = _stat(cache / BODIES)
    _new_article(tree, "new-one", "新的比武")
    _, rendered = _warm(tree, tmp_path)
    assert "news/2021/12/new-one/index.html" in rendered
    assert _stat(cache / BODIES) == whole and (cache / BODIES_DELTA).exists()
    _new_article(tree, "new-two", "又一场比武")                  # a second delta on the same base
    reused, rendered = _warm(tree, tmp_path)
    assert "news/2021/12/new-two/index.html" in rendered and _race(5) in reused      # the cache was read
    assert _stat(cache / BODIES) == whole
    (tree / "content/news/2021/new-one.md").unlink()         # only in the delta: it leaves it
    (tree / "content/news/2021/race-07.md").unlink()         # in bodies.json: the delta says it is gone
    reused, _ = _warm(tree, tmp_path)
    delta = json.loads((cache / BODIES_DELTA).read_text(encoding="utf-8"))
    assert reused and _stat(cache / BODIES) == whole
    assert [url for url in delta["gone"] if "race-07" in url] and not [url for url in delta["bodies"] if "new-one" in url]


@pytest.mark.parametrize("damage", ["flipped", "missing"])
def test_a_build_over_a_damaged_delta_is_a_clean_build(tree, tmp_path, damage):  # noqa: F811
    """The feeds carry the bodies: a delta taken wrongly would publish an old body. Damaged,
    the whole cache is ignored and every page renders; the site equals a clean build's."""
    _new_article(tree, "new-one", "新的比武")
    _warm(tree, tmp_path)
    delta = tree / CACHE / BODIES_DELTA
    if damage == "missing":
        delta.unlink()
    else:
        data = bytearray(delta.read_bytes())
        data[len(data) // 2] ^= 1
        delta.write_bytes(bytes(data))
    _new_article(tree, "new-two", "又一场比武")
    reused, _ = _warm(tree, tmp_path)                          # compared with a clean build inside
    assert reused == set()


def test_an_edited_body_is_what_the_next_build_reads_back(tree, tmp_path):  # noqa: F811
    """The delta holds every body that differs from bodies.json's, not only new URLs: an
    edited article's body read back from the cache is the edited one (the feeds carry it)."""
    from test_warm_build import _edit

    _edit(tree / "content/news/2021/race-07.md", "职工技能比武现场气氛热烈。", "比武现场来了新的选手。")
    _, rendered = _warm(tree, tmp_path)
    assert _race(7) in rendered
    store = CacheStore(tree / CACHE)
    found = store._read_manifest()
    assert found is not None and found["bodies_delta_sha256"]
    _, bodies = store._read_bodies(found)
    url = _race(7).removesuffix("index.html")
    assert bodies is not None and "比武现场来了新的选手。" in bodies[url][1]
