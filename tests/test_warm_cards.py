"""Article cards kept between builds (mkdocs/kept_cards.py): byte for byte a clean build's.

A warm build takes each listed card's ``<li>`` from the build cache's ``cards.json`` when the
card's fields are the ones it was made from, and puts the page's own link in. Every warm build
here is compared file by file with a clean build of the same tree (``--no-reuse``: no store,
every card rendered by the macro; test_warm_build._warm), after each kind of change to what a
card shows, to the card macro, and to the cache file. The builds report what their store did
(``NEWSROOM_CARDS_REPORT``): a test that meant to reuse cards proves that it did.
"""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

import conftest
from test_incremental import _article
from test_warm_build import CACHE, _edit, _warm, tree  # noqa: F401 (a fixture)

from newsroom.mkdocs.kept_cards import FILE, HOLES, REPORT

NEWS = "site/news/index.html"


def _url(n: int) -> str:
    return f"news/2021/{1 + n % 12:02d}/race-{n:02d}/"


@pytest.fixture()
def reported(tree, monkeypatch):  # noqa: F811
    """The tree, its builds reporting to a file; the fixture's cold build wrote cards.json."""
    log = tree.parent / "cards-report.jsonl"
    monkeypatch.setitem(conftest.ENV, REPORT, str(log))
    # The tree's first build ran before the report was asked for: build once more with a
    # new article (enough cards shown to read the file), so that every test starts warm.
    (tree / "content/news/2021/zz-first.md").write_text(
        _article("预热的一篇", "2021-12-29 10:00"), encoding="utf-8")
    _warm(tree, tree.parent)
    assert _last(log)["kept"] > 0
    return tree, log


def _last(log: Path) -> dict:
    return json.loads(log.read_text(encoding="utf-8").splitlines()[-1])


def _kept(tree: Path) -> dict:
    """cards.dat as a dict: its head, and its texts by "variant\x1furl" as [digest, text]."""
    data, sha = (tree / CACHE / FILE).read_bytes().rstrip(b"\n").rsplit(b"\n", 1)
    assert hashlib.sha256(data).hexdigest().encode() == sha
    head, _, body = data.partition(b"\n")
    record = json.loads(head)
    cards = {}
    for item in body.split(b"\x1e"):
        n, url, digest, text = item.split(b"\x1f")
        cards[record["variants"][int(n)] + "\x1f" + url.decode()] = [digest.decode(), text.decode()]
    return {**record, "cards": cards}


def _reseal(tree: Path, record: dict) -> None:
    """``record`` (as ``_kept`` reads it) written back, its checksum redone."""
    variants = record["variants"]
    body = b"\x1e".join(b"\x1f".join((str(variants.index(name.split("\x1f")[0])).encode(),
                                       name.split("\x1f", 1)[1].encode(), digest.encode(), text.encode()))
                        for name, (digest, text) in record["cards"].items())
    data = json.dumps({k: v for k, v in record.items() if k != "cards"}).encode() + b"\n" + body
    (tree / CACHE / FILE).write_bytes(data + b"\n" + hashlib.sha256(data).hexdigest().encode() + b"\n")


def _cards(tree: Path, page: str = NEWS) -> list[tuple[str, str, str]]:
    """A listing page's cards as a reader sees them: title, link, brands."""
    soup = BeautifulSoup((tree / page).read_text(encoding="utf-8"), "html.parser")
    return [(li.select_one(".nr-item-link").get_text(), li.select_one(".nr-item-link")["href"],
             " ".join(b.get_text() for b in li.select(".nr-item-brand"))) for li in soup.select("li.nr-item")]


def _texts_for(tree: Path, url: str) -> list[str]:
    return [text for name, (_, text) in _kept(tree)["cards"].items() if name.endswith("\x1f" + url)]


def test_a_new_article_reuses_every_other_card(reported):
    tree, log = reported
    (tree / "content/news/2021/new-one.md").write_text(
        _article("新的比武", "2021-12-30 10:00", tags="[志愿服务]"), encoding="utf-8")
    _warm(tree, tree.parent)                     # byte for byte the clean build (it asserts)
    report = _last(log)
    assert report["made"] == 1 and report["kept"] > 30 and report["direct"] == 0 and report["saved"]
    assert _cards(tree)[0][:2] == ("新的比武", "2021/12/new-one/")
    # One text per card, whatever the page's folder and heading: the link and heading are holes.
    texts = _texts_for(tree, "news/2021/12/new-one/")
    assert len(texts) == 1 and HOLES[0] in texts[0] and f"<{HOLES[1]} " in texts[0]
    # The year's listing (one folder deeper) and a brand page (h3) show it with their own link.
    year = _cards(tree, "site/news/2021/index.html")
    assert year[0][:2] == ("新的比武", "12/new-one/")


def test_an_edited_title_makes_its_card_again(reported):
    tree, log = reported
    _edit(tree / "content/news/2021/race-07.md", "title: 技能比武第7场", "title: 技能比武第七场（更正）")
    _warm(tree, tree.parent)
    report = _last(log)
    assert report["made"] == 1 and report["kept"] > 10
    assert any(title == "技能比武第七场（更正）" for title, _, _ in _cards(tree, "site/news/2021/index.html"))
    assert [t for t in _texts_for(tree, _url(7)) if "技能比武第7场" in t] == []


def test_a_renamed_brand_makes_the_cards_naming_it_again(reported):
    tree, log = reported
    _edit(tree / "brands/ke-gong-yi.md", "name: 柯工益", "name: 柯工益行")
    _warm(tree, tree.parent)
    report = _last(log)
    assert report["made"] == 8 and report["kept"] > 10      # race-00, 04 … 28: both brands
    shown = [brands for _, _, brands in _cards(tree, "site/news/2021/index.html") if "柯工益" in brands]
    assert shown and all(b == "柯工赛 柯工益行" for b in shown)


@pytest.mark.parametrize("change", ["summary", "image"])
def test_a_changed_summary_or_image_makes_the_card_again(reported, change):
    """The card macro shows the summary; it does not show the image, which is in the card's
    digest all the same: any field of the card, shown or not, makes it again."""
    tree, log = reported
    path = tree / "content/news/2021/race-00.md"
    if change == "summary":
        _edit(path, "职工技能比武现场气氛热烈。", "比武现场来了新的选手。")
    else:
        (tree / "content/images/other.png").write_bytes(conftest.png(20, 20))
        _edit(path, "image: images/race.png", "image: images/other.png")
    _warm(tree, tree.parent)
    assert _last(log)["made"] == 1
    if change == "summary":
        shown = [p.get_text() for page in (tree / "site/news/2021").glob("**/index.html")
                 for p in BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select(".nr-item-summary")]
        assert "比武现场来了新的选手。" in shown


def test_a_deleted_article_leaves_the_cache(reported):
    tree, log = reported
    assert _texts_for(tree, _url(7))
    (tree / "content/news/2021/race-07.md").unlink()
    _warm(tree, tree.parent)
    assert _last(log)["made"] == 0 and _last(log)["saved"]
    assert _texts_for(tree, _url(7)) == []
    assert "技能比武第7场" not in [t for t, _, _ in _cards(tree, "site/news/2021/index.html")]


def _macro_edited(tree: Path, old: str, new: str) -> dict:
    """The card macro edited, a warm build; what its store did."""
    _edit(tree / "theme/partials/nr-card.html", old, new)
    _warm(tree, tree.parent)
    return _last(tree.parent / "cards-report.jsonl")


def test_a_changed_card_macro_makes_every_card_again(reported):
    tree, _ = reported
    report = _macro_edited(tree, '<li class="nr-item">', '<li class="nr-item nr-item--new">')
    assert report["kept"] == 0 and report["made"] > 30
    assert 'class="nr-item nr-item--new"' in (tree / NEWS).read_text(encoding="utf-8")


def test_a_macro_that_does_more_with_its_link_is_not_kept(reported):
    """The placeholder stands for the link as it is given: a macro that changes it is found on
    its first card (rendered both ways), and the build renders every card as before."""
    tree, _ = reported
    report = _macro_edited(tree, 'href="{{ href | e }}"', 'href="{{ href | replace("/", "/./") | e }}"')
    assert not report["on"] and not report["saved"] and report["made"] == 0
    assert all("/./" in href for _, href, _ in _cards(tree))


@pytest.mark.parametrize("damage", ["deleted", "truncated", "edited", "forged", "all-forged", "other-key"])
def test_a_damaged_cache_file_is_never_trusted(reported, damage):
    """Deleted, truncated, edited without its checksum, an entry forged for other fields (its
    checksum redone), every text changed (checksum redone: found by the first check), or made
    under another key: the build is byte for byte a clean one's (``_warm``)."""
    tree, log = reported
    path = tree / CACHE / FILE
    record = _kept(tree)
    race = next(name for name in record["cards"] if name.endswith("\x1f" + _url(3)))
    if damage == "deleted":
        path.unlink()
    elif damage == "truncated":
        path.write_bytes(path.read_bytes()[:300])
    elif damage == "edited":
        path.write_bytes(path.read_bytes().replace("技能比武第3场".encode(), "伪造的标题".encode(), 1))
    elif damage == "forged":                  # a text for other fields, under another digest
        record["cards"][race] = ["0" * 32, record["cards"][race][1].replace("技能比武第3场", "伪造的标题")]
        _reseal(tree, record)
    elif damage == "all-forged":
        record["cards"] = {n: [d, t.replace("nr-item-title", "nr-forged")] for n, (d, t) in record["cards"].items()}
        _reseal(tree, record)
    else:
        record["key"] = "0" * 32
        record["cards"][race][1] = record["cards"][race][1].replace("技能比武第3场", "伪造的标题")
        _reseal(tree, record)
    (tree / "content/news/2021/new-one.md").write_text(
        _article("新的比武", "2021-12-30 10:00", tags="[志愿服务]"), encoding="utf-8")
    _warm(tree, tree.parent)
    pages = "".join(p.read_text(encoding="utf-8") for p in (tree / "site/news").rglob("index.html"))
    assert "伪造的标题" not in pages and "nr-forged" not in pages and "技能比武第3场" in pages
    report = _last(log)
    assert report["saved"] and report["direct"] <= 1
    if damage == "forged":
        assert report["kept"] > 30                     # the other entries are good
    elif damage == "all-forged":
        assert report["dropped"]
    else:
        assert report["kept"] == 0
    kept = _kept(tree)["cards"]                       # written again, as it should be
    assert not any("伪造的标题" in t or "nr-forged" in t for _, t in kept.values())


def test_a_card_holding_the_placeholder_is_rendered_not_kept(reported):
    tree, log = reported
    mark = HOLES[0]
    _edit(tree / "content/news/2021/race-07.md", "title: 技能比武第7场", f"title: 技能比武{mark}")
    _warm(tree, tree.parent)
    assert _last(log)["direct"] >= 1
    assert f"技能比武{mark}" in [t for t, _, _ in _cards(tree, "site/news/2021/index.html")]
    assert not any(re.search("技能比武" + re.escape(mark), t) for t in _texts_for(tree, _url(7)))
