"""The newest shard's token texts kept in the build cache (search/token_texts.py).

A warm build after a new article tokenizes only the records whose text changed; what
Pagefind is given is the same as tokenizing all of them. The file is taken only whole,
verified and for this tokens.py and Unicode version; otherwise every text is tokenized.
Every warm build here is compared with a clean build, search index included
(test_warm_build._warm).
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsroom.core.sealed import seal
from newsroom.search import token_texts as tt
from newsroom.search.shards import Shard, prepare_shard
from newsroom.search.records import Record
from newsroom.search.tokens import token_list, token_text

from test_incremental import _article
from test_warm_build import CACHE, _edit, _race, _warm, tree  # noqa: F401 (a fixture)

TRICKY = ["疫情防控，职工　驿站\n\n“送清凉”ＡＢＣ 2024年 ｜ x", "", "，。", "单", "a\u00a0b\u3000c\n\n\n d", "Ⅻ ﬁ ㎏ 𠀀𠀁"]


def _shard(texts: list[str]) -> Shard:
    records = [Record(f"news/{n}/", "article", f"标题{n}", text, "2021-01-01") for n, text in enumerate(texts)]
    return Shard("nr2021", "2021年", 2021, records)


def test_a_kept_text_gives_what_tokenizing_gives(tmp_path):
    path = tmp_path / tt.FILE
    first = tt.TokenTexts(path)
    assert [first.of(t) for t in TRICKY] == [token_text(t) for t in TRICKY]
    first.save_soon()
    first.join()
    again = tt.TokenTexts(path)
    assert len(again.kept) == len(set(TRICKY))
    assert [again.of(t) for t in TRICKY] == [token_text(t) for t in TRICKY]
    for t in TRICKY:          # the kept text splits back into exactly the token list
        content = again.of(t)
        assert (content.split(" ") if content else []) == token_list(t)
    made, kept = prepare_shard(_shard(TRICKY)), prepare_shard(_shard(TRICKY), tt.TokenTexts(path))
    assert (made.payloads, made.held, made.digest) == (kept.payloads, kept.held, kept.digest)


def test_the_file_is_not_written_again_when_it_holds_the_same(tmp_path):
    path = tmp_path / tt.FILE
    first = tt.TokenTexts(path)
    for t in TRICKY:
        first.of(t)
    first.save_soon()
    first.join()
    stat = path.stat()
    second = tt.TokenTexts(path)
    for t in TRICKY:
        second.of(t)
    second.save_soon()
    second.join()
    assert path.stat().st_mtime_ns == stat.st_mtime_ns and path.stat().st_ino == stat.st_ino


def _kept_file(tmp_path: Path) -> Path:
    path = tmp_path / tt.FILE
    texts = tt.TokenTexts(path)
    texts.of("疫情防控")
    texts.save_soon()
    texts.join()
    return path


@pytest.mark.parametrize("damage", ["truncated", "flipped", "other context", "not text"])
def test_a_damaged_or_foreign_file_is_ignored(tmp_path, damage):
    path = _kept_file(tmp_path)
    if damage == "truncated":
        path.write_bytes(path.read_bytes()[:-30])
    elif damage == "flipped":
        data = bytearray(path.read_bytes())
        data[10] ^= 1
        path.write_bytes(bytes(data))
    else:
        record = json.loads(path.read_bytes().rstrip(b"\n").rsplit(b"\n", 1)[0])
        if damage == "other context":      # another tokens.py or Unicode version, sealed as such
            record["context"] = "1:" + "0" * 64 + ":15.0.0"
        else:
            record["texts"] = {k: 1 for k in record["texts"]}
        path.write_bytes(b"".join(seal(json.dumps(record, ensure_ascii=False).encode())))
    assert tt.TokenTexts(path).kept == {}


def test_a_warm_build_keeps_the_newest_shards_texts_and_an_edited_body_is_tokenized_again(tree, tmp_path):  # noqa: F811
    kept = tree / CACHE / tt.FILE
    assert kept.is_file()                                     # written by the first build
    before = json.loads(kept.read_bytes().rstrip(b"\n").rsplit(b"\n", 1)[0])["texts"]
    (tree / "content/news/2021/new-one.md").write_text(
        _article("新的比武", "2021-12-30 10:00", tags="[志愿服务]"), encoding="utf-8")
    _warm(tree, tmp_path)                                     # the search index compared with a clean one
    after = json.loads(kept.read_bytes().rstrip(b"\n").rsplit(b"\n", 1)[0])["texts"]
    assert len(after) == len(before) + 1 and set(before) < set(after)
    # An edited body (past its first line): its record's text changes, and it is tokenized again.
    _edit(tree / "content/news/2021/race-07.md", "职工技能比武现场气氛热烈。", "职工技能比武现场气氛热烈，送清凉进工地。")
    _, rendered = _warm(tree, tmp_path)
    assert _race(7) in rendered


def test_a_damaged_token_file_gives_the_clean_index(tree, tmp_path):  # noqa: F811
    kept = tree / CACHE / tt.FILE
    data = bytearray(kept.read_bytes())
    data[len(data) // 2] ^= 1
    kept.write_bytes(bytes(data))
    (tree / "content/news/2021/new-one.md").write_text(
        _article("新的比武", "2021-12-30 10:00", tags="[志愿服务]"), encoding="utf-8")
    _warm(tree, tmp_path)
    assert tt.TokenTexts(kept).kept                           # written again, whole
