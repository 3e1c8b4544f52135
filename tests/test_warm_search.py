"""A warm build plans the search shards whose articles' inputs are the last build's without
their records (search/kept_shards.py, .cache/newsroom/build/shards.json): the published
bundle's shard is linked. Each scenario compares the site and its search index with a clean
build's (``_warm``); every build makes the records of the shards it took anyway and fails if
their source digest differs (``NEWSROOM_CHECK_KNOWN``), and reports which it took (``TAKEN``).
A shard.json that does not verify is ignored; one that verifies but names a shard the
published bundle does not hold (forged, or the bundle damaged) makes the whole index again.
"""
from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ENV, NEWSROOM
from test_incremental import NOW, _article
from test_warm_build import CACHE, TAKEN, _build, _warm, tree  # noqa: F401 (fixture)

OLD = "nr2019"                      # the older year's shard: articles only, takeable


@pytest.fixture()
def two_years(tree):
    """The tree with a second year of articles, built warm again (shards.json names both shards)."""
    for n in range(4):
        (tree / f"content/news/2019/old-{n}.md").parent.mkdir(parents=True, exist_ok=True)
        (tree / f"content/news/2019/old-{n}.md").write_text(
            _article(f"往年的比武{n}", f"2019-0{n + 3}-0{n + 1} 08:00", body=f"往年的第{n}篇。"), encoding="utf-8")
    _build(tree, tree / "site")
    return tree


def _warm_taking(tree: Path, tmp_path: Path) -> list[str]:
    """Build warm and compare with a clean build; the shards the warm build took."""
    _warm(tree, tmp_path)
    return TAKEN[0]


def _build_unchecked(tree: Path) -> None:
    """A warm build without NEWSROOM_CHECK_KNOWN (which would stop at a forged record)."""
    proc = subprocess.run([NEWSROOM, "build", "-q", "-f", str(tree / "site_config.yml"),
                           "--content", str(tree / "content"), "--brands", str(tree / "brands"),
                           "--site-dir", str(tree / "site")],
                          cwd=tree, env={**ENV, "NEWSROOM_NOW": NOW}, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr


def _new_article(tree: Path) -> None:
    (tree / "content/news/2021/new-one.md").write_text(
        _article("新的比武", "2021-12-30 10:00", tags="[志愿服务]"), encoding="utf-8")


def _shards(tree: Path) -> dict:
    text, _ = (tree / CACHE / "shards.json").read_text(encoding="utf-8").rstrip("\n").rsplit("\n", 1)
    return json.loads(text)


def _reseal(tree: Path, record: dict) -> None:
    text = json.dumps(record, separators=(",", ":"))
    (tree / CACHE / "shards.json").write_text(text + "\n" + hashlib.sha256(text.encode()).hexdigest() + "\n",
                                              encoding="utf-8")


def test_new_article_takes_the_older_shard(two_years, tmp_path):
    _new_article(two_years)
    assert _warm_taking(two_years, tmp_path) == [OLD]  # the newest shard (with brands and workers) is made
    assert set(_shards(two_years)["shards"]) == {OLD}     # never the one with brands and workers
    assert _warm_taking(two_years, tmp_path) == [OLD]  # nothing changed: the same


def test_older_article_edited_makes_its_shard(two_years, tmp_path):
    path = two_years / "content/news/2019/old-2.md"
    path.write_text(path.read_text(encoding="utf-8").replace("往年的第2篇。", "往年的第二篇，改过。"), encoding="utf-8")
    assert _warm_taking(two_years, tmp_path) == []
    assert _warm_taking(two_years, tmp_path) == [OLD]


@pytest.mark.parametrize("damage", ["checksum", "truncated", "shape"])
def test_shards_json_that_does_not_verify_is_ignored(two_years, tmp_path, damage):
    path = two_years / CACHE / "shards.json"
    if damage == "checksum":
        path.write_text(path.read_text(encoding="utf-8").replace('"nr2019"', '"nr2018"'), encoding="utf-8")
    elif damage == "truncated":
        path.write_bytes(path.read_bytes()[:40])
    else:
        _reseal(two_years, {"format": 1, "shards": {OLD: "not a pair"}})
    _new_article(two_years)
    assert _warm_taking(two_years, tmp_path) == []    # every record made
    assert _warm_taking(two_years, tmp_path) == [OLD]


def test_forged_source_digest_makes_the_whole_index_again(two_years, tmp_path):
    record = _shards(two_years)
    inputs, source = record["shards"][OLD]
    record["shards"][OLD] = [inputs, "0" * 64]         # the right inputs, a shard the bundle does not hold
    _reseal(two_years, record)
    _new_article(two_years)
    _build_unchecked(two_years)                       # the indexer reports it stale: indexed from records
    assert _shards(two_years)["shards"][OLD] == [inputs, source]
    assert _warm_taking(two_years, tmp_path) == [OLD]  # and compared with a clean build


def test_published_shard_damaged_makes_the_whole_index_again(two_years, tmp_path):
    bundle = two_years / "site" / "pagefind"
    for f in (bundle / "fragment").glob(f"{OLD}_*"):
        f.write_bytes(f.read_bytes() + b"!")          # another size: Earlier.link refuses the shard
    _new_article(two_years)
    assert _warm_taking(two_years, tmp_path) == [OLD]  # taken, found damaged: indexed from records
    assert _warm_taking(two_years, tmp_path) == [OLD]


def test_published_bundle_gone(two_years, tmp_path):
    shutil.rmtree(two_years / "site" / "pagefind")
    assert _warm_taking(two_years, tmp_path) == [OLD]  # taken, not found: indexed from records
