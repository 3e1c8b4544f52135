"""Search: the index (plugins/newsroom/search.py) and the results page, in headless Chromium.

Uses the session fixtures ``sample_site`` / ``site_server`` (tests/conftest.py).
Debian's /usr/bin/chromium driven by Playwright; a missing browser fails, never skips.
"""
from __future__ import annotations

import dataclasses
import gzip
import json
import os
import shutil
import random
import re
import threading
import time
import unicodedata
from pathlib import Path
from urllib.parse import quote, urlparse, unquote

import pytest
from browser import page_fixture
from search_manifest import comparable_manifest

from newsroom.search import bundle as search_bundle
from newsroom.search import indexer as search_indexer
from newsroom.search import pagefind as search_pagefind
from newsroom.search import shards as search_shards
from newsroom.search import tokens as search_tokens
from newsroom.pages import text as pages_text
from newsroom import search
from newsroom.content.graph import build_graph
from newsroom.core.model import SCHEMAS
from newsroom.core.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]
DONE = '[data-search-results][data-search-state="done"]'

# Words from the sample content: names, brands, places, topics, multi-word queries.
QUERIES = [
    "疫情防控", "工会", "劳模 乡村振兴", "叶金龙", "柯工赛", "松阳", "疗休养", "区块链", "工人先锋号",
    "长三角", "职工书屋", "技能竞赛", "集体协商", "新就业形态", "快递", "送清凉", "困难职工",
    "法律援助", "共同富裕", "产业工人", "劳动模范", "开化", "嘉善", "临安", "柯桥 疗休养",
    "志愿服务", "工匠", "大数据", "互助", "女职工", "黄酒", "电缆", "杭州", "劳模 工匠", "帮扶",
    "职工 驿站", "品牌", "文成", "湖州", "温暖", "竞赛 柯桥", "娘家人", "暖心",
]


# ---------------------------------------------------------------- fixtures

@pytest.fixture(scope="module")   # one Playwright per module: test files share workers
def browser():
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), f"{CHROMIUM} is missing: install Debian's chromium"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser):
    yield from page_fixture(browser)


@pytest.fixture(scope="session")
def graph():
    g, _ = build_graph(ROOT / "content", ROOT / "brands", Settings())
    return g


def run_query(page, base: str, q: str, params: str = "", everything: bool = False) -> list[dict]:
    page.goto(f"{base}search/?q={quote(q)}{params}")
    page.wait_for_selector(DONE, timeout=30000)
    if everything:
        for _ in range(100):
            if not page.is_visible("[data-search-more]"):
                break
            page.click("[data-search-more]")
            page.wait_for_selector(DONE, timeout=30000)
        else:
            raise AssertionError(f"{q}: the 更多结果 button never goes away")
    return results(page)


def results(page) -> list[dict]:
    return page.eval_on_selector_all(
        "[data-search-results] [data-search-result]",
        """els => els.map(e => ({href: e.querySelector('a').getAttribute('href'),
                                 kind: e.dataset.kind,
                                 meta: e.querySelector('.nr-sr-meta').textContent,
                                 excerpt: e.querySelector('.nr-sr-excerpt').innerHTML}))""")


def site_path(href: str) -> str:
    return unquote(urlparse(href).path).lstrip("/")


# ---------------------------------------------------------------- tokens

def test_tokens_bigrams_and_words():
    assert search_tokens.tokens("疫情防控") == ["疫情", "情防", "防控"]
    assert search_tokens.tokens("会") == ["会"]
    assert search_tokens.tokens("e港之家 ABC１２３") == ["e", "港之", "之家", "abc123"]
    assert search_tokens.token_text("工会，会员\n6月") == "工会 , 会员 ¦ 6 月"
    # An opening quote starts the next line, not the end of this one ("“ 柯工益”" in excerpts).
    assert search_tokens.token_text("服务；\n“柯工益”是") == "服务 ; ¦ “ 柯工 工益 ” 是"


def _reference_token_text(text: str) -> str:
    """token_text as first written (one character at a time): the fast one must match it."""
    out: list[str] = []
    norm = unicodedata.normalize("NFKC", text).lower()
    pos = 0
    for m in search_tokens.TOKEN.finditer(norm):
        gap = norm[pos:m.start()]
        if out and gap:
            # Marks before a line break stay before '¦', marks after it follow it.
            for n, line in enumerate(gap.split("\n")):
                if n and out[-1] != "¦":
                    out.append("¦")
                mark = "".join(line.split())
                if mark:
                    out.append(mark)
        run, word = m.group(1), m.group(2)
        if run:
            out.extend([run] if len(run) == 1 else [run[i:i + 2] for i in range(len(run) - 1)])
        else:
            out.append(word)
        pos = m.end()
    return " ".join(out)


# Ideographs next to combining marks, compatibility ideographs, full-width and
# half-width forms, Hangul jamo, final sigma, line breaks and punctuation.
_TRICKY = ("疫情防控工会职工中一，。、“”：；！？（）《》　 \n\t¦-·ＡＢＣａｂｃ１２３abcXYZ09"
           "\u0301\u0316\u0327\u3099\uf900\ufa0e\U0002f800\U00020000\u1100\u1161가ΣΑσ㈠①ﬁ½Åかｶﾞ\u2028")


def test_fast_tokens_match_the_plain_definition(graph):
    texts = [r.text for shard in search_shards.plan_shards(graph) for r in shard.records]
    rng = random.Random(3)
    texts += ["".join(rng.choice(_TRICKY) for _ in range(rng.randint(0, 24))) for _ in range(5000)]
    for text in texts:
        assert search_tokens.normalize(text) == unicodedata.normalize("NFKC", text).lower(), repr(text)
        expected = _reference_token_text(text)
        assert search_tokens.token_text(text) == expected, repr(text)
        assert search_tokens.tokens(text) == [t for t in expected.split(" ") if search_tokens.TOKEN.fullmatch(t)], repr(text)


def test_js_tokens_match_python(page, site_server):
    page.goto(site_server + "search/")
    page.wait_for_selector(DONE)
    samples = ["疫情防控", "劳模 乡村振兴", "e港之家 ABC１２３", "“工人先锋号”", "2021年，柯桥区总工会", "𠀀字"]
    for text in samples:
        assert page.evaluate("t => window.newsroomSearch.tokens(t)", text) == search_tokens.tokens(text), text
    content = search_tokens.token_text("武林商圈工会，会员“工人先锋号”\n今年 6 月以来")
    assert page.evaluate("c => window.newsroomSearch.decode(c)", content) == "武林商圈工会,会员“工人先锋号”\n今年6月以来"


# ---------------------------------------------------------------- the index

def test_bundle_layout(sample_site, graph):
    bundle = sample_site / "pagefind"
    manifest = json.loads((bundle / "newsroom-shards.json").read_text(encoding="utf-8"))
    assert manifest["version"] == search_pagefind.PAGEFIND_VERSION
    keys = [s["key"] for s in manifest["shards"]]
    years = [s["year"] for s in manifest["shards"]]
    assert years == sorted(years, reverse=True)            # newest first
    # The named entities are in the newest shard, ahead of its articles (shards.plan_shards).
    named = [s for s in manifest["shards"] if "entities" in s]
    assert len(named) == 1 and named[0]["key"] == keys[0]
    assert named[0]["entities"]["pages"] == len(graph.brands) + len(graph.workers) + len(graph.topics)
    assert sorted(named[0]["entities"]["kinds"]) == ["brand", "topic", "worker"]
    assert sum(s["pages"] for s in manifest["shards"]) == (len(graph.articles) + len(graph.brands) + len(graph.workers)
                                                            + len(graph.notices.listed) + len(graph.topics))
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert set(entry["languages"]) == set(keys)
    assert not (sample_site / ".pagefind-staging").exists()
    assert not (bundle / "pagefind-ui.js").exists()


def test_named_entities_keep_a_shard_of_their_own_without_dated_records(graph):
    class Undated:                                          # the sample without articles and notices
        epaper = graph.epaper

        def of_kind(self, kind):
            return [] if SCHEMAS[kind].search == "years" else graph.of_kind(kind)

    shards = search_shards.plan_shards(Undated())
    assert [s.key for s in shards] == [search_shards.ENTITY_SHARD] and shards[0].year is None
    assert shards[0].describe()["entities"]["pages"] == len(shards[0].records) > 0


def test_index_fails_loudly_when_pagefind_fails(tmp_path, graph, monkeypatch):
    site = tmp_path / "site"
    site.mkdir()
    monkeypatch.setenv("NEWSROOM_PAGEFIND", "/bin/false")
    with pytest.raises(search.SearchIndexError):
        search.index_site(graph, site)
    monkeypatch.setenv("NEWSROOM_PAGEFIND", str(tmp_path / "no-such-binary"))
    with pytest.raises(search.SearchIndexError):
        search.index_site(graph, site)


def test_index_job_reports_the_indexers_error(tmp_path, graph, monkeypatch):
    site = tmp_path / "site"
    monkeypatch.setenv("NEWSROOM_PAGEFIND", str(tmp_path / "no-such-binary"))
    job = search.start_index(graph, site)
    with pytest.raises(search.SearchIndexError, match="无法启动搜索引擎"):
        job.finish()
    assert os.listdir(site) == []                          # neither a bundle nor a staging folder


def test_index_job_fails_when_the_indexer_dies(tmp_path, graph, monkeypatch):
    site = tmp_path / "site"
    monkeypatch.setattr(search_indexer, "_INDEXER", "import os; os.makedirs(os.path.join("
                        f"{str(site)!r}, '.pagefind-staging')); os._exit(3)")
    job = search.start_index(graph, site)
    with pytest.raises(search.SearchIndexError, match="退出码 3"):
        job.finish()
    assert not (site / ".pagefind-staging").exists()     # nothing half-written is left


def test_index_job_writes_the_bundle(tmp_path, graph):
    site = tmp_path / "site"
    search.start_index(graph, site).finish()
    manifest = json.loads((site / "pagefind" / "newsroom-shards.json").read_text(encoding="utf-8"))
    assert sum(s["pages"] for s in manifest["shards"]) == (len(graph.articles) + len(graph.brands) + len(graph.workers)
                                                            + len(graph.notices.listed) + len(graph.topics))
    assert os.listdir(site) == ["pagefind"]


def test_wait_until_written_waits_for_open_files(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "pagefind-entry.json").write_text('{"languages": {"nr2024": {}}}', encoding="utf-8")
    start = time.monotonic()
    search_pagefind.wait_until_written(out, os.getpid())           # nothing open: returns at once
    assert time.monotonic() - start < 0.05
    still_writing = open(out / "index.pf_index", "wb")
    threading.Timer(0.3, still_writing.close).start()
    search_pagefind.wait_until_written(out, os.getpid())
    assert still_writing.closed and time.monotonic() - start >= 0.25


def test_index_writes_only_inside_site_dir(tmp_path, graph):
    site = tmp_path / "out" / "site"
    site.mkdir(parents=True)
    (site / "keep.html").write_text("x", encoding="utf-8")
    before = set(os.listdir(tmp_path))
    cwd = set(os.listdir(os.getcwd()))
    search.index_site(graph, site)
    assert set(os.listdir(tmp_path)) == before
    assert set(os.listdir(site / "..")) == {"site"}
    assert set(os.listdir(os.getcwd())) == cwd
    assert sorted(os.listdir(site)) == ["keep.html", "pagefind"]


# ---------------------------------------------------------------- reuse of an earlier bundle

def _count_pagefind_runs(monkeypatch) -> list[str]:
    """The keys of the shards Pagefind indexes from now on (in this process)."""
    runs: list[str] = []
    write = search_bundle._write_shard

    def counted(binary, cwd, shard, *rest):
        runs.append(shard.key)
        return write(binary, cwd, shard, *rest)

    monkeypatch.setattr(search_bundle, "_write_shard", counted)
    return runs


def _fragments(bundle: Path, key: str) -> dict[str, bytes]:
    return {f.name: f.read_bytes() for f in (bundle / "fragment").glob(f"{key}_*")}


def _texts(bundle: Path, key: str) -> str:
    return "".join(gzip.decompress(data).decode("utf-8") for data in _fragments(bundle, key).values())


def test_reuse_indexes_only_the_changed_shard(tmp_path, graph, monkeypatch):
    site = tmp_path / "site"
    shards = search_shards.plan_shards(graph)
    search_bundle.index_shards(shards, site)
    earlier = tmp_path / "earlier"
    shutil.copytree(site / "pagefind", earlier)
    changed = shards[1]
    changed.records[0] = dataclasses.replace(changed.records[0], text=changed.records[0].text + "\n量子纠缠")
    runs = _count_pagefind_runs(monkeypatch)
    search_bundle.index_shards(shards, site, reuse_from=site / "pagefind")
    bundle = site / "pagefind"
    assert runs == [changed.key]
    assert "量子 子纠 纠缠" in _texts(bundle, changed.key)
    assert "量子" not in _texts(earlier, changed.key)
    for shard in shards:
        if shard is not changed:
            assert _fragments(bundle, shard.key) == _fragments(earlier, shard.key)
    manifest = json.loads((bundle / "newsroom-shards.json").read_text(encoding="utf-8"))
    before = json.loads((earlier / "newsroom-shards.json").read_text(encoding="utf-8"))
    assert [s["digest"] != b["digest"] for s, b in zip(manifest["shards"], before["shards"])] == \
        [shard is changed for shard in shards]
    route = json.loads((bundle / "newsroom-routes" / f"{search_tokens.route_bucket('纠缠')}.json").read_text())
    assert int(route["纠缠"], 16) == 1 << 1             # the routes know the new word, in shard 1 only
    assert sorted(os.listdir(site)) == ["pagefind"]        # no staging or old bundle left


def test_reuse_reindexes_what_it_cannot_trust(tmp_path, graph, monkeypatch):
    site = tmp_path / "site"
    shards = search_shards.plan_shards(graph)
    search_bundle.index_shards(shards, site)
    bundle = site / "pagefind"
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    (bundle / f"pagefind.{entry['languages'][shards[1].key]['hash']}.pf_meta").unlink()
    runs = _count_pagefind_runs(monkeypatch)
    search_bundle.index_shards(shards, site, reuse_from=bundle)
    assert runs == [shards[1].key]                          # its files are not all there
    runs.clear()
    for f in (bundle / "index").glob(f"{shards[0].key}_*"):
        f.unlink()                                          # a shard's postings gone
    fragment = next((bundle / "fragment").glob(f"{shards[2].key}_*"))
    fragment.write_bytes(fragment.read_bytes()[:10])        # a file cut short
    search_bundle.index_shards(shards, site, reuse_from=bundle)
    assert sorted(runs) == sorted([shards[0].key, shards[2].key])
    runs.clear()
    (bundle / "pagefind-worker.js").unlink()                # shared by every shard
    search_bundle.index_shards(shards, site, reuse_from=bundle)
    assert sorted(runs) == sorted(s.key for s in shards)
    assert (bundle / "pagefind-worker.js").is_file()
    runs.clear()
    (bundle / "newsroom-shards.json").write_text("{", encoding="utf-8")
    search_bundle.index_shards(shards, site, reuse_from=bundle)
    assert sorted(runs) == sorted(s.key for s in shards)    # an unreadable manifest: nothing reused


def _routes_and_manifest(bundle: Path) -> dict[str, bytes]:
    """The routes and the manifest (``comparable_manifest``: without Pagefind's file names)."""
    return {"newsroom-shards.json": comparable_manifest(bundle).encode("utf-8"),
            **{f.relative_to(bundle).as_posix(): f.read_bytes() for f in (bundle / "newsroom-routes").iterdir()}}


def test_reuse_tokenizes_only_the_changed_shard_and_routes_as_a_clean_index(tmp_path, graph, monkeypatch):
    """An unchanged shard (same source digest) is neither indexed nor tokenized again: its
    tokens are read back from the earlier routes. The routes and the manifest are those of
    an index made from scratch; a routes file cut short makes every shard tokenized again."""
    site, clean = tmp_path / "site", tmp_path / "clean"
    shards = search_shards.plan_shards(graph)
    search_bundle.index_shards(shards, site)
    changed = shards[1]
    changed.records[0] = dataclasses.replace(changed.records[0], text=changed.records[0].text + "\n量子纠缠")
    tokenized: list[str] = []
    prepare = search_bundle.prepare_shard
    monkeypatch.setattr(search_bundle, "prepare_shard",
                        lambda shard, *texts: tokenized.append(shard.key) or prepare(shard, *texts))
    search_bundle.index_shards(shards, site, reuse_from=site / "pagefind")
    assert tokenized == [changed.key]
    tokenized.clear()
    search_bundle.index_shards(shards, clean)
    assert _routes_and_manifest(site / "pagefind") == _routes_and_manifest(clean / "pagefind")
    tokenized.clear()
    route = site / "pagefind" / "newsroom-routes" / f"{search_tokens.route_bucket('纠缠')}.json"
    route.write_text(route.read_text(encoding="utf-8")[:5], encoding="utf-8")
    search_bundle.index_shards(shards, site, reuse_from=site / "pagefind")
    assert sorted(tokenized) == sorted(s.key for s in shards)
    assert _routes_and_manifest(site / "pagefind") == _routes_and_manifest(clean / "pagefind")


def test_build_reuses_the_published_index_unless_told_not_to(tmp_path):
    from conftest import newsroom

    site = tmp_path / "site"
    newsroom("build", "-q", "--site-dir", str(site), check=True)
    started = time.time()
    newsroom("build", "-q", "--site-dir", str(site), check=True)
    fragments = list((site / "pagefind" / "fragment").iterdir())
    assert fragments and all(f.stat().st_mtime < started for f in fragments)   # linked, not rewritten
    started = time.time()
    newsroom("build", "-q", "--no-reuse", "--site-dir", str(site), check=True)
    assert all(f.stat().st_mtime >= started - 1 for f in (site / "pagefind" / "fragment").iterdir())


# ---------------------------------------------------------------- the browser

def test_home_page_loads_no_search_index(page, site_server):
    urls: list[str] = []
    page.on("request", lambda r: urls.append(r.url))
    page.goto(site_server, wait_until="networkidle")
    assert page.is_visible("[data-search-box] input[name=q]")
    assert not [u for u in urls if "/pagefind/" in u]


def test_results_page_requests_each_index_file_once(page, site_server):
    """A query runs Pagefind in the page (no worker: its script is 41 KB and one more round
    trip) and requests each file of the bundle once: pagefind.js, the entry (under the
    manifest's tag), the WebAssembly and the first shard's meta are requested together by
    search.js and then taken from those responses by Pagefind, not fetched again. Each
    further shard's instance asks for the entry and the WebAssembly once more (Pagefind
    does): the browser's cache answers, the entry's URL being the same now."""
    urls: list[str] = []
    page.context.on("request", lambda r: urls.append(r.url))
    assert run_query(page, site_server, "职工 疗休养")
    manifest = json.loads(page.evaluate("() => fetch('../pagefind/newsroom-shards.json').then(r => r.text())"))
    files = [u.split("/pagefind/", 1)[1] for u in urls if "/pagefind/" in u and "newsroom-shards" not in u]
    entry, wasm = f"pagefind-entry.json?ts={manifest['entry']}", "wasm.unknown.pagefind"
    metas = [f for f in files if f.endswith(".pf_meta")]
    assert f"pagefind.{manifest['shards'][0]['meta']}.pf_meta" in metas
    assert 1 <= files.count(entry) <= len(metas) and 1 <= files.count(wasm) <= len(metas), files
    once = [f for f in files if f not in (entry, wasm)]
    assert len(once) == len(set(once)), [f for f in sorted(once) if once.count(f) > 1]
    assert "pagefind.js" in once and "pagefind-worker.js" not in once
    assert not page.errors


def test_header_box_leads_to_results(page, site_server):
    page.goto(site_server + "news/")
    box = page.locator("[data-search-box] input[name=q]").first
    box.fill("疗休养")
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q="))
    page.wait_for_selector(DONE, timeout=30000)
    found = results(page)
    assert found and found[0]["kind"] == "article"        # articles first for a topic
    assert "<mark>疗休养</mark>" in found[0]["excerpt"]
    # On the results page the header box searches in place.
    box = page.locator("[data-search-box] input[name=q]").first
    box.fill("松阳")
    box.press("Enter")
    page.wait_for_function("() => new URLSearchParams(location.search).get('q') === '松阳'")
    page.wait_for_selector(DONE, timeout=30000)
    assert all("松阳" in r["excerpt"] or r["kind"] != "article" for r in results(page))
    assert not page.errors


def test_results_show_title_date_brands(page, site_server, graph):
    branded = next(a for a in graph.articles if a.brands)
    found = run_query(page, site_server, branded.brands[0].name, everything=True)
    hit = next(r for r in found if site_path(r["href"]) == branded.url)
    assert f"{branded.date.year}年{branded.date.month}月{branded.date.day}日" in hit["meta"]
    assert branded.brands[0].name in hit["meta"]


_ASCII_BESIDE_CHINESE = re.compile(f"[{search_tokens._CJK}][,:;!?()]|[,:;!?()][{search_tokens._CJK}]")


def _squeeze(text: str) -> str:
    return "".join(search_tokens.normalize(text).split())


def test_excerpts_are_the_articles_own_sentences(page, site_server, graph):
    """No metadata (brands, region, tags, column, names) run into the excerpt, Chinese
    punctuation as written, no space after an opening quote, dates as on every page."""
    by_url = {a.url: a for a in graph.articles}
    checked = 0
    for q in ("柯工益", "送清凉", "疗休养"):
        for r in run_query(page, site_server, q, everything=True):
            text = re.sub(r"<[^>]+>", "", r["excerpt"]).replace("&amp;", "&")
            assert not _ASCII_BESIDE_CHINESE.search(text), text
            assert "“ " not in text and "<mark>" + q + "</mark>" in r["excerpt"] or q not in text
            if r["kind"] != "article":
                continue
            a = by_url[site_path(r["href"])]
            prose = _squeeze(a.summary + "\n" + pages_text.plain(a.body))
            for piece in text.split("…"):
                assert _squeeze(piece) in prose, f"/{a.url}: not the article's own text: {piece!r}"
            assert f"{a.date.year}年{a.date.month}月{a.date.day}日" in r["meta"]
            assert not re.search(r"\d{4}-\d{2}-\d{2}", r["meta"])
            checked += 1
    assert checked >= 10
    # The metadata stays searchable: a tag that is in no article's text still finds it.
    tagged = next(a for a in graph.articles for t in a.tags
                  if t not in (a.summary + a.body + a.title + a.kicker + a.subtitle))
    tag = next(t for t in tagged.tags if t not in (tagged.summary + tagged.body + tagged.title))
    found = run_query(page, site_server, tag, everything=True)
    assert tagged.url in {site_path(r["href"]) for r in found}, tag
    assert not page.errors


def test_js_restores_chinese_punctuation(page, site_server):
    page.goto(site_server + "search/")
    page.wait_for_selector(DONE)
    js = "t => window.newsroomSearch.chinesePunctuation(t)"
    assert page.evaluate(js, "这一年,柯桥区总工会:“柯工益”(志愿)!") == "这一年，柯桥区总工会：“柯工益”（志愿）！"
    assert page.evaluate(js, "9:30 a,b 2022,") == "9:30 a,b 2022,"
    assert page.evaluate("d => window.newsroomSearch.zhDate(d)", "2022-01-08") == "2022年1月8日"


def _expected(graph, words: list[str]) -> set[str]:
    out = set()
    for a in graph.articles:
        text = search_tokens.normalize((graph.content_dir / a.src_uri).read_text(encoding="utf-8"))
        if all(search_tokens.normalize(w) in text for w in words):
            out.add(a.url)
    return out


def test_recall_on_sample_content(page, site_server, graph):
    expected_total = found_total = 0
    active = 0
    misses: dict[str, list[str]] = {}
    for q in QUERIES:
        expected = _expected(graph, q.split())
        if not expected:
            continue
        active += 1
        got = {site_path(r["href"]) for r in run_query(page, site_server, q, everything=True)
               if r["kind"] == "article"}
        expected_total += len(expected)
        found_total += len(expected & got)
        if expected - got:
            misses[q] = sorted(expected - got)
        assert got, f"{q}: nothing found, expected {sorted(expected)}"
    assert active >= 30, f"only {active} queries match the sample content"
    recall = found_total / expected_total
    print(f"recall {recall:.1%}: {found_total}/{expected_total} expected articles over {active} queries")
    assert recall >= 0.95, f"recall {recall:.1%}; missed: {misses}"
    assert not page.errors


def test_multiword_query_is_and(page, site_server, graph):
    words = ["劳模", "乡村振兴"]
    got = {site_path(r["href"]) for r in run_query(page, site_server, " ".join(words), everything=True)
           if r["kind"] == "article"}
    expected = _expected(graph, words)
    assert expected and expected <= got
    # Every result holds both words (AND), none holds only one.
    only_one = _expected(graph, words[:1]) ^ _expected(graph, words[1:])
    assert not (got & only_one - expected)


def test_nonsense_query_finds_nothing(page, site_server):
    for q in ("量子计算", "区块链量子"):
        assert run_query(page, site_server, q) == []
        status = page.inner_text("[data-search-status]")
        assert "没有找到" in status
        assert page.get_attribute("[data-search-results]", "data-search-state") == "done"


def test_common_word_shows_ten_before_more(page, site_server, graph):
    run_query(page, site_server, "工会")
    shown = results(page)
    total = len(_expected(graph, ["工会"]))
    assert len(shown) >= min(10, total)
    if page.is_visible("[data-search-more]"):
        page.click("[data-search-more]")
        page.wait_for_selector(DONE)
        assert len(results(page)) > len(shown)


def test_filters_brand_region_year_and_newest_first(page, site_server, graph):
    brand = max(graph.brands.values(), key=lambda b: len(graph.by_brand[b.id]))
    found = run_query(page, site_server, "工会", f"&brand={quote(brand.name)}", everything=True)
    articles = [r for r in found if r["kind"] == "article"]
    assert articles and all(brand.name in r["meta"] for r in articles)
    assert {site_path(r["href"]) for r in articles} <= {a.url for a in graph.by_brand[brand.id]}

    region = max(graph.by_region, key=lambda r: len(graph.by_region[r]))
    found = [r for r in run_query(page, site_server, "工会", f"&region={quote(region)}", everything=True)
             if r["kind"] == "article"]
    assert found and {site_path(r["href"]) for r in found} <= {a.url for a in graph.by_region[region]}

    year = sorted(graph.by_year)[len(graph.by_year) // 2]
    found = run_query(page, site_server, "工会", f"&year={year}", everything=True)
    # The year filter covers that year's notices too (search/shards.py: a notice shard per year).
    assert found and all(r["kind"] in ("article", "notice") and f"{year}年" in r["meta"] for r in found)

    found = [r for r in run_query(page, site_server, "工会", "&sort=date", everything=True) if r["kind"] == "article"]
    dates = [tuple(map(int, re.search(r"(\d{4})年(\d+)月(\d+)日", r["meta"]).groups())) for r in found]
    assert dates == sorted(dates, reverse=True)
    # The filter form reflects the URL.
    assert page.input_value("[data-search-form] select[name=sort]") == "date"


def _listed_kinds(page) -> set[str]:
    """The kinds among the results listed as news and notices (not the named entities')."""
    return set(page.eval_on_selector_all("[data-search-list] [data-search-result]", "els => els.map(e => e.dataset.kind)"))


def test_brand_and_worker_pages_are_searchable(page, site_server, graph):
    worker = next(iter(graph.workers.values()))
    found = run_query(page, site_server, worker.name)
    assert any(site_path(r["href"]) == worker.url for r in found), worker.name
    # They share the newest shard with its articles: the article list holds none of them.
    assert _listed_kinds(page) <= {"article", "notice"}
    run_query(page, site_server, "工会", everything=True)
    assert _listed_kinds(page) == {"article", "notice"}
    brand = next(iter(graph.brands.values()))
    found = run_query(page, site_server, brand.name)
    assert any(site_path(r["href"]) == brand.url for r in found), brand.name


def test_notice_category_is_a_filter_on_the_search_page(page, site_server, graph):
    """类别 (通知, 公告, 公示, 政策文件) filters the results to the notices of that category."""
    category = max(graph.notices.by_category, key=lambda c: len(graph.notices.by_category[c]))
    page.goto(site_server + "search/")
    options = page.eval_on_selector_all("[data-search-form] select[name=category] option", "os => os.map(o => o.value)")
    assert options == ["", *graph.notices.by_category]
    found = run_query(page, site_server, "工会", f"&category={quote(category)}", everything=True)
    expected = {n.url for n in graph.notices.by_category[category] if "工会" in n.title + n.body + n.issuer}
    assert found and all(r["kind"] == "notice" and category in r["meta"] for r in found)
    assert {site_path(r["href"]) for r in found} == expected
    assert page.input_value("[data-search-form] select[name=category]") == category
    # Without the filter, the same words also find articles.
    assert {r["kind"] for r in run_query(page, site_server, "工会", everything=True)} >= {"article", "notice"}


def test_topics_are_searchable(page, site_server, graph):
    topic = next(f.topic for f in graph.topics if f.topic.title == "职工疗休养")
    found = run_query(page, site_server, topic.title)
    hit = [r for r in found if r["kind"] == "topic"]
    assert hit and site_path(hit[0]["href"]) == topic.url and "专题" in hit[0]["meta"]


def test_preview_search_follows_saves(tmp_path, page, monkeypatch):
    """In ``newsroom serve``, a saved title is found and a deleted article is gone, even where
    the server lets the browser keep every file for an hour: the shard manifest and the route
    buckets keep their names from build to build, so search.js revalidates them (a kept
    manifest names Pagefind files the refresh removed, and the query never ended; a kept bucket
    hides the new words). Without it this test failed 3 of 3; with a plain server it failed
    now and then, when Chromium's heuristic freshness outlived the refresh."""
    import argparse

    from conftest import serve_dir, write_tree
    from newsroom.mkdocs.config import load_config
    from newsroom.mkdocs.preview import LivePreview

    monkeypatch.chdir(ROOT)
    head = "---\ntitle: {}\ndate: 2021-0{}-01 09:00\nbrands: [ke-gong-yi]\nregion: 绍兴市柯桥区\n---\n\n{}\n"
    tree = write_tree(tmp_path / "tree", {
        "brands/ke-gong-yi.md": "---\nname: 柯工益\n---\n\n工会有为，志愿有我。\n",
        "content/news/2021/lab.md": head.format("实验室揭牌", 3, "职工创新实验室揭牌。"),
        "content/news/2021/old.md": head.format("旧闻一则", 4, "一则关于蒸汽机车的旧闻。"),
        "content/news/2021/other.md": head.format("志愿服务", 5, "志愿者走进社区。"),
    })
    args = argparse.Namespace(config_file=str(ROOT / "site_config.yml"), content=str(tree / "content"),
                              brands=str(tree / "brands"), drafts=False)
    config, plugin = load_config(args, site_dir=str(tmp_path / "live"))
    live = LivePreview(config, plugin)
    live.full_build()
    server, base = serve_dir(live.site_dir, cached=True)
    try:
        assert [site_path(r["href"]) for r in run_query(page, base, "蒸汽机车")] == ["news/2021/04/old/"]
        lab = tree / "content/news/2021/lab.md"
        lab.write_text(lab.read_text(encoding="utf-8").replace("实验室揭牌", "量子纠缠实验室揭牌"), encoding="utf-8")
        (tree / "content/news/2021/old.md").unlink()
        live.update()
        assert live.search.wait(60)
        found = run_query(page, base, "量子纠缠")
        assert [site_path(r["href"]) for r in found] == ["news/2021/03/lab/"]
        assert "量子纠缠实验室揭牌" in page.inner_text("[data-search-results]")
        assert run_query(page, base, "蒸汽机车") == []
    finally:
        server.shutdown()
        live.search.stop()
