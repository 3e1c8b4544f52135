"""A warm ``newsroom build`` (site/ and .cache/newsroom/build/ kept) publishes exactly what a clean build does.

Each scenario builds a site, changes something the way an editor or a developer
would, builds again over the same site with its cache (mkdocs/warm.py), then builds
the same tree from scratch into another folder with ``--no-reuse``, and compares the
two sites file by file, and their search indexes by what they hold. Each also checks
that the warm build did reuse pages where it may (a reused page is the published
file itself, hard-linked: its inode is unchanged) and rendered the pages it must.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ENV, NEWSROOM, ROOT, png, write_tree
from test_incremental import NOW, _article, _files, _search_of, _tree_of

CACHE = Path(".cache/newsroom/build")
DOCS, DOCS_DELTA = "docs.marshal", "docs.delta.marshal"


# Every build checks the article pages it takes as unchanged (pages/kinds/kept.py) against
# their data made anyway, and fails on any difference; it reports them (mkdocs/warm._check_known).
CHECK = "NEWSROOM_CHECK_KNOWN"
KNOWN: list[set[str]] = [set()]     # the last build's article pages taken as unchanged
# Likewise the search shards planned without their records (search/kept_shards.py), checked
# against their records made anyway, and reported.
SHARDS = "NEWSROOM_SHARDS_TAKEN"
TAKEN: list[list[str]] = [[]]       # the last build's shards taken as unchanged


def _build(tree: Path, site: Path, *extra: str) -> subprocess.CompletedProcess:
    proc = subprocess.run([NEWSROOM, "build", "-q", "-f", str(tree / "site_config.yml"),
                           "--content", str(tree / "content"), "--brands", str(tree / "brands"),
                           "--site-dir", str(site), *extra],
                          cwd=tree, env={**ENV, "NEWSROOM_NOW": NOW, CHECK: "1"}, capture_output=True, text=True,
                          timeout=600)
    assert proc.returncode == 0, proc.stderr
    reports = [json.loads(line.split(" ", 1)[1]) for line in proc.stderr.splitlines() if line.startswith(CHECK)]
    if reports:
        assert reports[-1]["stale"] == []
        KNOWN[0] = set(reports[-1]["known"])
    shards = [json.loads(line.split(" ", 1)[1]) for line in proc.stderr.splitlines() if line.startswith(SHARDS)]
    if shards:
        assert shards[-1]["stale"] == []
    TAKEN[0] = shards[-1]["taken"] if shards else []
    return proc


PER_PAGE = 13


@pytest.fixture()
def tree(tmp_path):
    """A content tree with its own site_config.yml and theme (so both may be edited), built once."""
    files = _files()
    files["content/images/race.png"] = ""
    root = write_tree(tmp_path / "tree", files)
    (root / "content/images/race.png").write_bytes(png(40, 30))
    for n in (0, 1):
        path = root / f"content/news/2021/race-{n:02d}.md"
        path.write_text(path.read_text(encoding="utf-8").replace(
            "column: 工运速递\n", "column: 工运速递\nimage: images/race.png\n"), encoding="utf-8")
    shutil.copytree(ROOT / "theme", root / "theme")
    # 13 a page: the 31 articles (2 x 13 + 5) make a front of 18 and a page 1 of the oldest 13
    # in the news, the year, the brand ke-gong-sai, the tag 技能竞赛 ... (kinds/base.paginate).
    config = (ROOT / "site_config.yml").read_text(encoding="utf-8")
    assert "      per_page: 20\n" in config
    (root / "site_config.yml").write_text(config.replace("      per_page: 20\n", f"      per_page: {PER_PAGE}\n"),
                                          encoding="utf-8")
    _build(root, root / "site")
    assert (root / CACHE / "manifest.json").is_file()
    return root


def _inodes(site: Path) -> dict[str, int]:
    return {p.relative_to(site).as_posix(): p.stat().st_ino for p in site.rglob("index.html")}


def _warm(tree: Path, tmp_path: Path) -> tuple[set[str], set[str]]:
    """Build warm; compare with a clean build. Returns (pages reused, pages rendered)."""
    before = _inodes(tree / "site")
    _build(tree, tree / "site")
    known, taken = KNOWN[0], TAKEN[0]
    clean = tmp_path / "clean"
    shutil.rmtree(clean, ignore_errors=True)
    _build(tree, clean, "--no-reuse")
    got, want = _tree_of(tree / "site"), _tree_of(clean)
    assert sorted(set(got) ^ set(want)) == []
    assert [k for k in want if got[k] != want[k]] == []
    got_search, want_search = _search_of(tree / "site"), _search_of(clean)
    for part in want_search:
        assert got_search[part] == want_search[part], part
    after = _inodes(tree / "site")
    reused = {p for p, ino in after.items() if before.get(p) == ino}
    KNOWN[0], TAKEN[0] = known, taken
    return reused, set(after) - reused


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


ARTICLE = "news/2021/{:02d}/race-{:02d}/index.html"


def _race(n: int) -> str:
    return ARTICLE.format(1 + n % 12, n)


def test_nothing_changed_reuses_every_page_outside_the_menu(tree, tmp_path):
    reused, rendered = _warm(tree, tmp_path)
    assert _race(7) in reused and "news/page/1/index.html" in reused
    # The menu's free page (about) renders in full; /admin/ (the desk) is written again by
    # every build. The menu's generated pages are reused like the others.
    assert rendered <= {"index.html", "news/index.html", "brands/index.html", "workers/index.html",
                        "columns/index.html", "about/index.html", "notices/index.html", "topics/index.html",
                        "admin/index.html"}


def test_menu_pages_reused_until_what_they_show_changes(tree, tmp_path):
    """The menu's generated pages are reused like any other page (their digest, the menu in
    the global key): a new article renders the home page and the news list again, not the
    workers' gallery; a worker's new honour renders the gallery again."""
    (tree / "content/news/2021/new-one.md").write_text(
        _article("新的比武", "2021-12-30 10:00", tags="[志愿服务]"), encoding="utf-8")
    reused, rendered = _warm(tree, tmp_path)
    assert {"index.html", "news/index.html"} <= rendered
    assert {"workers/index.html", "notices/index.html"} <= reused
    _edit(tree / "content/workers/ye-jinlong.md", "honors: [全国劳动模范]", "honors: [浙江工匠, 全国劳动模范]")
    reused, rendered = _warm(tree, tmp_path)
    assert "workers/index.html" in rendered and "notices/index.html" in reused
    assert "浙江工匠" in (tree / "site/workers/index.html").read_text(encoding="utf-8")


def test_new_article(tree, tmp_path):
    (tree / "content/news/2021/new-one.md").write_text(
        _article("新的比武", "2021-12-30 10:00", tags="[志愿服务]"), encoding="utf-8")
    reused, rendered = _warm(tree, tmp_path)
    assert "news/2021/12/new-one/index.html" in rendered
    assert reused                                         # the untouched pages stay as they were


def test_edited_article(tree, tmp_path):
    _edit(tree / "content/news/2021/race-07.md", "title: 技能比武第7场", "title: 技能比武第七场（更正）")
    reused, rendered = _warm(tree, tmp_path)
    assert _race(7) in rendered
    assert reused


def test_deleted_article(tree, tmp_path):
    (tree / "content/news/2021/race-07.md").unlink()
    reused, rendered = _warm(tree, tmp_path)
    assert _race(7) not in reused | rendered
    assert reused


def test_brand_and_worker_edited(tree, tmp_path):
    _edit(tree / "brands/ke-gong-yi.md", "name: 柯工益", "name: 柯工益行")
    _edit(tree / "content/workers/ye-jinlong.md", "honors: [全国劳动模范]", "honors: [全国劳动模范, 浙江工匠]")
    reused, rendered = _warm(tree, tmp_path)
    assert "brands/ke-gong-yi/index.html" in rendered and "workers/ye-jinlong/index.html" in rendered
    assert _race(0) in rendered                          # shows both the brand and the worker


def test_template_change_renders_everything(tree, tmp_path):
    template = tree / "theme/article.html"
    template.write_text(template.read_text(encoding="utf-8").replace(
        "{% block content %}", "{% block content %}<!-- 模板已修改 -->", 1), encoding="utf-8")
    reused, rendered = _warm(tree, tmp_path)
    assert reused == set()
    assert "模板已修改" in (tree / "site" / _race(3)).read_text(encoding="utf-8")


def test_config_change_renders_everything(tree, tmp_path):
    _edit(tree / "site_config.yml", "site_name: 柯桥工会新闻网", "site_name: 柯桥职工新闻网")
    reused, _ = _warm(tree, tmp_path)
    assert reused == set()


def test_image_replaced_under_the_same_name(tree, tmp_path):
    (tree / "content/images/race.png").write_bytes(png(80, 50))
    reused, rendered = _warm(tree, tmp_path)
    assert {_race(0), _race(1)} <= rendered             # they write the image's width and height
    assert 'width="80"' in (tree / "site" / _race(0)).read_text(encoding="utf-8")
    assert _race(5) in reused


def test_cache_deleted(tree, tmp_path):
    shutil.rmtree(tree / ".cache")
    reused, _ = _warm(tree, tmp_path)
    assert reused == set()
    assert (tree / CACHE / "manifest.json").is_file()        # and written again


@pytest.mark.parametrize("damage", ["manifest", "bodies", "page", "checksum"])
def test_cache_corrupted(tree, tmp_path, damage):
    manifest = tree / CACHE / "manifest.json"
    if damage == "manifest":
        manifest.write_bytes(manifest.read_bytes()[:500])                   # truncated
    elif damage == "bodies":
        bodies = tree / CACHE / "bodies.json"
        bodies.write_text(bodies.read_text(encoding="utf-8").replace("比武", "比赛"), encoding="utf-8")
    elif damage == "page":                                                  # the published file edited
        page = tree / "site" / _race(3)
        page.write_text(page.read_text(encoding="utf-8").replace("技能比武", "被改动的"), encoding="utf-8")
    else:                                                                   # the record, not its checksum
        text, sha = manifest.read_text(encoding="utf-8").rstrip("\n").rsplit("\n", 1)
        record = json.loads(text)
        record["pages"] = {src: [v[0], v[1], "0" * 64] for src, v in record["pages"].items()}
        manifest.write_text(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n" + sha + "\n",
                            encoding="utf-8")
    reused, rendered = _warm(tree, tmp_path)                                 # the same site, whatever it was
    if damage == "page":
        page = tree / "site" / _race(3)
        assert _race(3) in rendered and "被改动的" not in page.read_text(encoding="utf-8")
        assert _race(5) in reused
    else:
        assert reused == set()


def test_content_ci_example_keeps_the_site_and_the_cache_between_runs():
    import yaml

    ci = yaml.safe_load((ROOT / "docs/examples/content-ci.yml").read_text(encoding="utf-8"))
    steps = [s for job in ci["jobs"].values() for s in job["steps"]]
    cache = next(s for s in steps if str(s.get("uses", "")).startswith("actions/cache@"))
    paths = cache["with"]["path"].split()
    assert "site" in paths and ".cache/newsroom" in paths
    assert "NEWSROOM_VERSION" in cache["with"]["key"] and "NEWSROOM_VERSION" in cache["with"]["restore-keys"]
    build = next(n for n, s in enumerate(steps) if "newsroom build" in s.get("run", ""))
    assert steps.index(cache) < build                       # restored before the build
    install = next(s["run"] for s in steps if "pip install" in s.get("run", ""))
    assert "${NEWSROOM_VERSION}" in install and ci["env"]["NEWSROOM_VERSION"]


def test_published_file_is_trusted_by_its_stat_only_when_it_is_the_same_file(tree, tmp_path):
    """A reused page is not read again when it is the very file the last build published
    (inode, device, size, modification time); otherwise its SHA-256 decides. A site put back
    from a copy (new inodes, times kept) with a page changed at the same size and time is
    read again: the changed page renders, the others are reused."""
    site = tree / "site"
    moved = tmp_path / "moved"
    site.rename(moved)
    shutil.copytree(moved, site)                              # copy2: sizes and mtimes kept
    page = site / _race(3)
    st = page.stat()
    page.write_text(page.read_text(encoding="utf-8").replace("技能比武", "被改动的"), encoding="utf-8")
    os.utime(page, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert page.stat().st_size == st.st_size
    reused, rendered = _warm(tree, tmp_path)
    assert _race(3) in rendered and "被改动的" not in page.read_text(encoding="utf-8")
    assert _race(5) in reused
    # The next build trusts the stat it recorded: a page changed in place without its
    # stat changing cannot be told apart, so it is the one case the stat decides alone.
    manifest = tree / CACHE / "manifest.json"
    record = json.loads(manifest.read_text(encoding="utf-8").rstrip("\n").rsplit("\n", 1)[0])
    again = site / _race(5)
    assert record["stamps"][_race(5)] == [again.stat().st_size, again.stat().st_mtime_ns,
                                          again.stat().st_ino, again.stat().st_dev]


def _store_record(path: Path) -> tuple[dict, str]:
    """A doc store file's record (marshal, under its header line) and its checksum line."""
    from newsroom.content.doc_store import load_record
    from newsroom.core.sealed import unseal_with_sum
    from newsroom.mkdocs.warm_key import code_version

    data, sha = unseal_with_sum(path.read_bytes())
    return load_record(data, code_version()), sha


def _kept_docs(tree: Path) -> dict:
    """docs.marshal's entries, with those of its delta (docs.delta.marshal) if it was made on this base."""
    record, sha = _store_record(tree / CACHE / DOCS)
    docs = record["docs"]
    delta = tree / CACHE / DOCS_DELTA
    if delta.is_file():
        record = _store_record(delta)[0]
        if record["base"] == sha:
            docs.update(record["docs"])
            for gone in record["gone"]:
                docs.pop(gone, None)
    return docs


@pytest.mark.parametrize("damage", ["none", "truncated", "forged"])
def test_parsed_files_are_kept_and_never_used_stale(tree, tmp_path, damage):
    """docs.marshal keeps each file's parse with its SHA-256 and its stat. A file whose stat
    is the one kept is not read again; any other is hashed, and parsed again unless the
    hash matches. A file written just now is kept by its hash only (it may change again
    within one mtime: not checked here, the fixture's build may take longer). Edits at the same size, a truncated store and a forged entry (its
    checksum line made to match) all give a clean build's site."""
    race5 = tree / "content/news/2021/race-05.md"
    key = str(race5.resolve()) if str(race5.resolve()) in _kept_docs(tree) else str(race5)
    assert _kept_docs(tree)[key][2] == hashlib.sha256(race5.read_bytes()).hexdigest()
    old = race5.stat().st_mtime_ns - 3600 * 10**9
    os.utime(race5, ns=(old, old))
    _warm(tree, tmp_path)
    kept = _kept_docs(tree)[key]
    assert kept[1][:2] == [race5.stat().st_size, old]         # an old file: its stat is trusted
    size = race5.stat().st_size
    _edit(race5, "技能比武第5场", "技能比赛第5场")                 # the same size, a new mtime
    assert race5.stat().st_size == size
    store = tree / CACHE / DOCS
    if damage == "truncated":
        store.write_bytes(store.read_bytes()[:1000])
    elif damage == "forged":       # another title for race-05 under the new bytes' stat, checksum redone
        from newsroom.content.doc_store import dump_record
        from newsroom.core.sealed import seal
        from newsroom.mkdocs.warm_key import code_version

        record = _store_record(store)[0]
        entry = record["docs"][key]
        entry[3]["meta"]["title"] = "伪造的标题"
        entry[2] = "0" * 64
        store.write_bytes(b"".join(seal(dump_record(record, code_version()))))
    reused, rendered = _warm(tree, tmp_path)
    page = (tree / "site" / _race(5)).read_text(encoding="utf-8")
    assert "技能比赛第5场" in page and "伪造的标题" not in page
    assert _race(5) in rendered and reused


def _outputs(site: Path) -> dict[str, int]:
    """Feeds, sitemaps and robots.txt by their inode (written after the pages, by outputs.writer)."""
    names = ("feed.xml", "feed.json", "sitemap.xml", "sitemap.xml.gz", "sitemap-news.xml", "robots.txt")
    return {p.relative_to(site).as_posix(): p.stat().st_ino for p in site.rglob("*") if p.name in names}


def test_feeds_and_sitemaps_are_linked_when_what_they_show_is_unchanged(tree, tmp_path):
    """A feed is taken from the published site when its key (channel and items, by content) is the
    one the last build wrote it from: an edited title rewrites exactly the feeds listing the article."""
    before = _outputs(tree / "site")
    new_title = "技能比武第七场（更正）"
    _edit(tree / "content/news/2021/race-07.md", "title: 技能比武第7场", f"title: {new_title}")
    _warm(tree, tmp_path)                    # byte-identical to a clean build, feeds included
    after = _outputs(tree / "site")
    assert set(after) == set(before)
    feeds = [p for p in after if p.endswith(("feed.xml", "feed.json"))]
    showing = {p for p in feeds if new_title in (tree / "site" / p).read_text(encoding="utf-8")}
    assert showing and set(feeds) - showing                       # both kinds exist in this tree
    assert [p for p in showing if after[p] == before[p]] == []    # rewritten
    assert [p for p in set(feeds) - showing if after[p] != before[p]] == []   # linked, not made again
    assert after["sitemap.xml"] == before["sitemap.xml"] and after["robots.txt"] == before["robots.txt"]


@pytest.mark.parametrize("path", ["../../outside.xml", "/etc/passwd", "feeds/%2e%2e/%2e%2e/x.xml", "a//b.xml"])
def test_a_cache_naming_an_output_outside_the_site_is_not_used(tmp_path, path):
    """A cache is input like any other (it may come from another machine's CI): a feed or
    sitemap path that leaves the site, even checksummed as the store writes it, voids it."""
    from newsroom.mkdocs.warm_store import CacheStore, Kept

    store = CacheStore(tmp_path / "cache")
    store.save(Kept("key", "site", outputs={"feed.xml": ("k", "0" * 64)}))
    assert CacheStore(tmp_path / "cache").load("key", "site") is not None      # a sound record loads
    store.save(Kept("key", "site", outputs={path: ("k", "0" * 64)}))
    assert CacheStore(tmp_path / "cache").load("key", "site") is None


def _cache_files(tree: Path) -> dict[str, tuple[int, int]]:
    """The cache's files by stat, but the manifest (the menu's pages render in every build)."""
    return {p.name: (p.stat().st_mtime_ns, p.stat().st_ino) for p in (tree / CACHE).iterdir()
            if p.name != "manifest.json"}


def test_a_build_that_changed_nothing_rewrites_no_cache_file(tree, tmp_path):
    """docs.marshal (27 MB at 10k articles), bodies.json, articles.json and shards.json are left
    as they are when they would be written with what they hold; a new article then writes the
    doc store's delta (docs.delta.marshal), not docs.marshal, and the bodies' (bodies.delta.json), not
    bodies.json, and the next build uses them: every build
    here is byte for byte a clean one (``_warm``)."""
    for path in (tree / "content").rglob("*.md"):    # files older than the racy window: stat trusted
        os.utime(path, ns=(path.stat().st_mtime_ns - 3600 * 10**9,) * 2)
    _warm(tree, tmp_path)                             # the new stats recorded
    before = _cache_files(tree)
    assert {DOCS, "bodies.json", "articles.json", "shards.json"} <= set(before)
    _warm(tree, tmp_path)
    assert _cache_files(tree) == before
    new = tree / "content/news/2021/new-one.md"
    new.write_text(_article("新的比武", "2021-12-30 10:00", tags="[志愿服务]"), encoding="utf-8")
    old = new.stat().st_mtime_ns - 3600 * 10**9
    os.utime(new, ns=(old, old))
    _, rendered = _warm(tree, tmp_path)
    assert "news/2021/12/new-one/index.html" in rendered
    after = _cache_files(tree)
    assert after[DOCS] == before[DOCS] and DOCS_DELTA in after
    assert after["bodies.json"] == before["bodies.json"] and "bodies.delta.json" in after      # likewise
    assert after["articles.json"] != before["articles.json"]
    kept = _kept_docs(tree)
    assert (kept.get(str(new.resolve())) or kept[str(new)])[1][:2] == [new.stat().st_size, old]
    reused, _ = _warm(tree, tmp_path)                 # read from the delta: nothing changed, nothing written
    assert _cache_files(tree) == after and "news/2021/12/new-one/index.html" in reused
