"""A warm build takes article pages whose inputs are the last build's as unchanged, without
making their data (pages/kinds/kept.py, kept in .cache/newsroom/build/articles.json).

Each scenario changes one input that kinds/unchanged.py lists for an article page, builds
warm, and compares the site with a clean build's (``_warm``). Every build also makes the data
of each page it took as unchanged and fails if its digest differs (``NEWSROOM_CHECK_KNOWN``):
a page taken wrongly fails the test even where the published file would hide it. The
scenarios also check which pages were taken (``KNOWN``): the changed ones never, others yes.
"""
from __future__ import annotations

import json
from pathlib import Path

from test_warm_build import CACHE, KNOWN, _build, _edit, _race, _warm, tree  # noqa: F401 (fixture)

ALL = {f"news/2021/race-{n:02d}.md" for n in range(30)} | {"news/2021/linker.md"}


def _src(n: int) -> str:
    return f"news/2021/race-{n:02d}.md"


def _page(tree: Path, n: int) -> str:
    return (tree / "site" / _race(n)).read_text(encoding="utf-8")


def _articles(tree: Path) -> tuple[dict, str]:
    text, sha = (tree / CACHE / "articles.json").read_text(encoding="utf-8").rstrip("\n").rsplit("\n", 1)
    return json.loads(text), sha


def _reseal(tree: Path, record: dict) -> None:
    """Write the record with a checksum line that matches it (as a cache from elsewhere could)."""
    import hashlib

    text = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
    sha = hashlib.sha256(text.encode()).hexdigest()
    (tree / CACHE / "articles.json").write_text(text + "\n" + sha + "\n", encoding="utf-8")


def test_nothing_changed_takes_every_article_page(tree, tmp_path):
    _warm(tree, tmp_path)
    assert KNOWN[0] == ALL            # fingerprints are the same in another process


def test_title_edit_in_others_related_window(tree, tmp_path):
    _edit(tree / "content/news/2021/race-07.md", "title: 技能比武第7场", "title: 技能比武第七场（更正）")
    reused, rendered = _warm(tree, tmp_path)
    assert _src(7) not in KNOWN[0] and KNOWN[0]
    showing = [n for n in range(30) if n != 7 and "技能比武第七场（更正）" in _page(tree, n)]
    assert showing and all(_src(n) not in KNOWN[0] and _race(n) in rendered for n in showing)


def test_brand_renamed(tree, tmp_path):
    _edit(tree / "brands/ke-gong-yi.md", "name: 柯工益", "name: 柯工益行")
    _warm(tree, tmp_path)
    assert not {_src(n) for n in range(0, 30, 4)} & KNOWN[0]          # the brand's articles
    assert "柯工益行" in _page(tree, 4)


def test_worker_edited(tree, tmp_path):
    _edit(tree / "content/workers/ye-jinlong.md", "honors: [全国劳动模范]", "honors: [浙江工匠]")
    _warm(tree, tmp_path)
    assert not {_src(n) for n in range(0, 30, 5)} & KNOWN[0]          # the worker's articles
    assert "浙江工匠" in _page(tree, 5)


def test_tag_loses_its_last_article(tree, tmp_path):
    _edit(tree / "content/news/2021/race-20.md", "tags: [技能竞赛]", "tags: [技能竞赛, 独有的标签]")
    _warm(tree, tmp_path)
    assert "独有的标签" in _page(tree, 20)
    (tree / "content/news/2021/race-20.md").unlink()
    _warm(tree, tmp_path)             # its listing and feed are gone, as in a clean build
    assert KNOWN[0] and _src(20) not in KNOWN[0]


def test_topic_changed(tree, tmp_path):
    topic = tree / "content/topics/zhiyuan.md"
    topic.parent.mkdir(exist_ok=True)
    topic.write_text("---\ntitle: 志愿服务在身边\nstart: 2021-01-01\nsections:\n  - title: 动态\n"
                     "    tags: [志愿服务]\n---\n志愿服务。\n", encoding="utf-8")
    _warm(tree, tmp_path)
    assert "志愿服务在身边" in _page(tree, 3)
    _edit(topic, "title: 志愿服务在身边", "title: 志愿服务进万家")
    _warm(tree, tmp_path)
    assert not {_src(n) for n in range(0, 30, 3)} & KNOWN[0]          # the topic's articles
    assert "志愿服务进万家" in _page(tree, 3) and KNOWN[0]


def test_topic_summary_and_end_changed_keep_its_articles(tree, tmp_path):
    """An article's foot links its topics by title only: a topic's summary edited, or its end
    set in the past, makes the topic's own pages again, not its ten articles'."""
    topic = tree / "content/topics/zhiyuan.md"
    topic.parent.mkdir(exist_ok=True)
    topic.write_text("---\ntitle: 志愿服务在身边\nstart: 2021-01-01\nsummary: 身边的志愿者。\nsections:\n"
                     "  - title: 动态\n    tags: [志愿服务]\n---\n志愿服务。\n", encoding="utf-8")
    _warm(tree, tmp_path)
    _edit(topic, "summary: 身边的志愿者。", "summary: 身边的志愿者，天天在。\nend: 2022-12-31")
    reused, rendered = _warm(tree, tmp_path)
    assert {_src(n) for n in range(0, 30, 3)} <= KNOWN[0]             # the topic's articles
    assert {_race(n) for n in range(0, 30, 3)} <= reused
    assert "topics/zhiyuan/index.html" in rendered
    assert "志愿服务在身边" in _page(tree, 3)


def test_article_deleted(tree, tmp_path):
    (tree / "content/news/2021/race-11.md").unlink()
    _warm(tree, tmp_path)
    assert KNOWN[0] and _src(11) not in KNOWN[0]
    assert all("技能比武第11场" not in _page(tree, n) for n in range(30) if n != 11)


def test_date_change_moves_lists(tree, tmp_path):
    _edit(tree / "content/news/2021/race-07.md", "date: 2021-08-08 09:07", "date: 2021-12-31 09:07")
    _warm(tree, tmp_path)
    assert (tree / "site/news/2021/12/race-07/index.html").is_file()
    assert not (tree / "site" / _race(7)).exists()
    assert KNOWN[0] and _src(7) not in KNOWN[0]


def test_record_edited_without_its_checksum_is_ignored(tree, tmp_path):
    path = tree / CACHE / "articles.json"
    path.write_text(path.read_text(encoding="utf-8").replace("race-05", "race-06", 1), encoding="utf-8")
    _warm(tree, tmp_path)
    assert KNOWN[0] == set()


def test_forged_digest_only_renders_its_page(tree, tmp_path, monkeypatch):
    """A record from elsewhere whose checksum matches: a forged digest is taken (nothing tells
    it apart without making the page: the check is off here), and only makes the page render,
    as its published file is not the one the manifest names for that digest."""
    import test_warm_build

    record, _ = _articles(tree)
    record["digests"][_src(5)] = "0" * 32
    _reseal(tree, record)
    monkeypatch.setattr(test_warm_build, "CHECK", "NEWSROOM_NO_CHECK")
    reused, rendered = _warm(tree, tmp_path)
    assert _race(5) in rendered and _race(6) in reused


def test_forged_fingerprint_or_key_takes_nothing_it_names(tree, tmp_path):
    record, _ = _articles(tree)
    record["inputs"]["prints"][record["inputs"]["articles"].index(_src(9))] = "f" * 32
    _reseal(tree, record)
    _warm(tree, tmp_path)
    assert _src(9) not in KNOWN[0] and _src(28) in KNOWN[0]
    record, _ = _articles(tree)
    record["inputs"]["key"] = "another-version"
    _reseal(tree, record)
    _warm(tree, tmp_path)
    assert KNOWN[0] == set()


def test_first_build_takes_nothing(tree):
    assert KNOWN[0] == set() and (tree / CACHE / "articles.json").is_file()
