"""The photo stat memos (photos/verified.py): a variant file this machine hashed right at
the same stat is not read again, and anything else is hashed as before, so an edited, damaged
or replaced file is never served; a source photo's hash likewise (photos/sources.py, its stamp
with the ctime), in the same sealed format. The engine-level companion of test_photos.py's
cache tests."""
from __future__ import annotations

import hashlib
import json
import os
import time

import pytest

from newsroom import photos
from newsroom.photos import cache as cache_module, sources, verified

from test_photos import camera_jpeg, job, run


def _age(result: photos.PhotoResult) -> None:
    """Make the entry's files older than the racy window (a build an hour later sees them so)."""
    old = time.time_ns() - 3600 * 10**9
    for f in result.files:
        os.utime(result.folder / f.name, ns=(old, old))


def _hashes(monkeypatch, module=cache_module) -> list[str]:
    """Record every file ``module`` hashes: the cache its variants, sources its source photos."""
    seen: list[str] = []
    real = module.sha256_file

    def counting(path):
        seen.append(os.path.basename(path))
        return real(path)
    monkeypatch.setattr(module, "sha256_file", counting)
    return seen


@pytest.fixture()
def remembered(tmp_path):
    """A lead photo rendered, aged, then checked once: its files are in the memo."""
    src = camera_jpeg(tmp_path / "a.jpg", size=(1200, 900))
    [first] = run(tmp_path, job(src, ("lead", "feed"), photos.CENTRE))
    _age(first)
    [second] = run(tmp_path, job(src, ("lead", "feed"), photos.CENTRE))
    assert second.from_cache
    memo = json.loads((tmp_path / "cache" / verified.INDEX).read_bytes().rstrip(b"\n").rsplit(b"\n", 1)[0])
    assert len(memo["files"]) == len(first.files)
    return src, first


def test_a_file_checked_at_the_same_stat_is_not_read_again(tmp_path, monkeypatch, remembered):
    src, first = remembered
    seen = _hashes(monkeypatch)
    [again] = run(tmp_path, job(src, ("lead", "feed"), photos.CENTRE))
    assert again.from_cache and again.files == first.files and seen == []


def test_fresh_files_are_not_remembered(tmp_path):
    src = camera_jpeg(tmp_path / "a.jpg", size=(1200, 900))
    run(tmp_path, job(src))
    [second] = run(tmp_path, job(src))            # written a moment ago: hashed, not remembered
    assert second.from_cache and not (tmp_path / "cache" / verified.INDEX).exists()


@pytest.mark.parametrize("damage", ["flip", "truncate", "replace"])
def test_a_remembered_file_changed_is_hashed_and_rendered_again(tmp_path, monkeypatch, remembered, damage):
    src, first = remembered
    victim = first.folder / first.files[0].name
    original = victim.read_bytes()
    data = bytearray(original)
    if damage == "flip":                           # in place, as through the site's hard link
        data[len(data) // 2] ^= 0xFF
        with open(victim, "r+b") as fh:
            fh.write(bytes(data))
    elif damage == "truncate":
        victim.write_bytes(bytes(data[:100]))
    else:                                          # another file under the name, same bytes but one
        data[-3] ^= 0x01
        tmp = victim.with_name("x.tmp")
        tmp.write_bytes(bytes(data))
        os.replace(tmp, victim)
    seen = _hashes(monkeypatch)
    [again] = run(tmp_path, job(src, ("lead", "feed"), photos.CENTRE))
    assert not again.from_cache and again.files == first.files
    assert victim.read_bytes() == original               # rendered again: the same bytes
    assert seen == [] if damage == "truncate" else first.files[0].name in seen   # size differs: no read needed


def test_an_edit_that_keeps_size_and_mtime_through_a_copy_is_caught_by_the_inode(tmp_path, monkeypatch, remembered):
    src, first = remembered
    victim = first.folder / first.files[0].name
    st = victim.stat()
    data = bytearray(victim.read_bytes())
    data[len(data) // 2] ^= 0xFF
    tmp = victim.with_name("x.tmp")
    tmp.write_bytes(bytes(data))
    os.utime(tmp, ns=(st.st_atime_ns, st.st_mtime_ns))
    os.replace(tmp, victim)                         # cp -p over it: same size and mtime, new inode
    [again] = run(tmp_path, job(src, ("lead", "feed"), photos.CENTRE))
    assert not again.from_cache


@pytest.mark.parametrize("damage", ["truncate", "edit", "forged-sha", "other-format", "other-stamp", "format-1"])
def test_a_damaged_or_forged_memo_means_every_file_is_hashed(tmp_path, monkeypatch, remembered, damage):
    src, first = remembered
    memo_file = tmp_path / "cache" / verified.INDEX
    raw = memo_file.read_bytes()
    data, sha = raw.rstrip(b"\n").rsplit(b"\n", 1)
    record = json.loads(data)
    if damage == "truncate":
        memo_file.write_bytes(raw[: len(raw) // 2])
    elif damage == "edit":                          # edited without its checksum line
        edited = data.replace(b'"files":', b'"files" :')
        assert edited != data
        memo_file.write_bytes(edited + b"\n" + sha + b"\n")
    elif damage == "forged-sha":                    # sealed again, but naming another hash
        victim = first.files[0]
        data_bad = data.replace(victim.sha256.encode(), b"0" * 64)
        assert data_bad != data
        memo_file.write_bytes(data_bad + b"\n" + hashlib.sha256(data_bad).hexdigest().encode() + b"\n")
    else:
        if damage == "other-format":
            record["format"] = 0
        elif damage == "other-stamp":             # sources.json's stamp (with the ctime) is not this one
            record["stamp"] = "size mtime ctime inode device"
        else:                                     # as format 1 wrote it: no stamp named
            record = {"format": 1, "files": record["files"]}
        body = json.dumps(record).encode()
        memo_file.write_bytes(body + b"\n" + hashlib.sha256(body).hexdigest().encode() + b"\n")
    seen = _hashes(monkeypatch)
    [again] = run(tmp_path, job(src, ("lead", "feed"), photos.CENTRE))
    assert again.from_cache and again.files == first.files
    expected = {first.files[0].name} if damage == "forged-sha" else {f.name for f in first.files}
    assert set(seen) == expected


# ------------------------------------------------------------------ source photos (photos/sources.py)

def _sources_memo(tmp_path) -> dict:
    data, sha = (tmp_path / "cache" / sources.INDEX).read_bytes().rstrip(b"\n").rsplit(b"\n", 1)
    assert hashlib.sha256(data).hexdigest().encode() == sha        # sealed as verified.json is
    return json.loads(data)


def test_a_source_photo_is_hashed_once_per_build_and_remembered_once_settled(tmp_path, monkeypatch):
    src = camera_jpeg(tmp_path / "a.jpg", size=(800, 600))
    seen = _hashes(monkeypatch, sources)
    [first] = run(tmp_path, job(src))
    assert seen == ["a.jpg"]                        # the cache lookup's hash serves the render too
    assert not (tmp_path / "cache" / sources.INDEX).exists()       # its ctime is within the racy window
    monkeypatch.setattr(verified, "RACY_NS", 0)    # a build later: settled
    [second] = run(tmp_path, job(src))
    assert seen == ["a.jpg", "a.jpg"] and second.source_sha == first.source_sha
    memo = _sources_memo(tmp_path)
    assert memo["stamp"] == sources.SOURCE.name and list(memo["files"]) == [str(src.resolve())]
    [third] = run(tmp_path, job(src))
    assert seen == ["a.jpg", "a.jpg"] and third.from_cache and third.source_sha == first.source_sha


@pytest.mark.parametrize("damage", ["unsealed-format-1", "edit", "other-stamp"])
def test_a_damaged_or_old_sources_memo_means_every_source_is_hashed(tmp_path, monkeypatch, damage):
    monkeypatch.setattr(verified, "RACY_NS", 0)
    src = camera_jpeg(tmp_path / "a.jpg", size=(800, 600))
    [first] = run(tmp_path, job(src))
    memo_file = tmp_path / "cache" / sources.INDEX
    memo = _sources_memo(tmp_path)
    [entry] = memo["files"].values()
    forged = {str(src.resolve()): [*entry[:-1], "0" * 64]}      # its stamp, another hash
    if damage == "unsealed-format-1":              # sources.json as format 1 wrote it: a bare dict
        memo_file.write_text(json.dumps(forged), encoding="utf-8")
    else:
        record = {**memo, "files": forged}
        if damage == "other-stamp":                # verified.json's stamp (without the ctime)
            record["stamp"] = verified.VARIANT.name
        body = json.dumps(record, separators=(",", ":")).encode()
        seal = hashlib.sha256(body).hexdigest().encode()
        if damage == "edit":                       # edited after it was sealed
            body = body.replace(b'"files":', b'"files" :')
        memo_file.write_bytes(body + b"\n" + seal + b"\n")
    seen = _hashes(monkeypatch, sources)
    [again] = run(tmp_path, job(src))
    assert seen == ["a.jpg"] and again.source_sha == first.source_sha and again.from_cache
