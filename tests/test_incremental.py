"""The live preview's partial rebuilds produce exactly what a clean build produces.

Each scenario edits the content the way an editor would, lets the preview
update, builds the same content from scratch, and compares the two sites file
by file. The search index, which the preview brings up to date in the background,
is compared by what it holds: the shards' records, page counts and routes.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from PIL import Image

from conftest import ENV, NEWSROOM, ROOT, png, write_tree
from search_manifest import comparable_manifest
from newsroom.app.publish_target import MARKER

NOW = "2026-11-21 12:00"


def _article(title: str, date: str, brands: str = "[ke-gong-sai]", workers: str = "[]",
             tags: str = "[技能竞赛]", body: str = "职工技能比武现场气氛热烈。") -> str:
    return (f"---\ntitle: {title}\ndate: {date}\nbrands: {brands}\nworkers: {workers}\n"
            f"tags: {tags}\nregion: 绍兴市柯桥区\ncolumn: 工运速递\n---\n\n{body}\n")


def _files() -> dict[str, str]:
    files = {
        "brands/ke-gong-sai.md": "---\nname: 柯工赛\nfamily: 柯工\nsince: 2021\n---\n\n以赛促训。\n",
        "brands/ke-gong-yi.md": "---\nname: 柯工益\nfamily: 柯工\n---\n\n工会有为，志愿有我。\n",
        "content/workers/ye-jinlong.md": "---\nname: 叶金龙\nhonors: [全国劳动模范]\n---\n\n电缆行业的工匠。\n",
    }
    for i in range(30):
        month = 1 + i % 12
        files[f"content/news/2021/race-{i:02d}.md"] = _article(
            f"技能比武第{i}场", f"2021-{month:02d}-{1 + i % 27:02d} 09:{i:02d}",
            brands="[ke-gong-sai, ke-gong-yi]" if i % 4 == 0 else "[ke-gong-sai]",
            workers="[ye-jinlong]" if i % 5 == 0 else "[]",
            tags="[技能竞赛, 志愿服务]" if i % 3 == 0 else "[技能竞赛]")
    files["content/news/2021/linker.md"] = _article(
        "链接测试", "2021-06-15 10:00", body="参见[第三场](race-03.md)的报道。")
    return files


@pytest.fixture()
def preview(tmp_path, monkeypatch):
    from newsroom.mkdocs.config import load_config
    from newsroom.mkdocs.preview import LivePreview

    monkeypatch.setenv("NEWSROOM_NOW", NOW)
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    monkeypatch.chdir(ROOT)
    tree = write_tree(tmp_path / "tree", _files())
    args = argparse.Namespace(config_file=str(ROOT / "site_config.yml"), content=str(tree / "content"),
                              brands=str(tree / "brands"), drafts=False)
    config, plugin = load_config(args, site_dir=str(tmp_path / "live"))
    live = LivePreview(config, plugin, index_search=True)
    live.full_build()
    live.tree = tree
    return live


def _clean_build(tree: Path, out: Path) -> None:
    env = {**ENV, "NEWSROOM_NOW": NOW}
    proc = subprocess.run([NEWSROOM, "build", "-q", "--content", str(tree / "content"),
                           "--brands", str(tree / "brands"), "--site-dir", str(out)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr


def _tree_of(site: Path) -> dict[str, bytes]:
    out = {}
    for path in site.rglob("*"):
        rel = path.relative_to(site).as_posix()
        # The marker says "a build published this folder": the preview's has none.
        if path.is_dir() or rel.startswith("pagefind") or "/pagefind" in rel or rel == MARKER:
            continue
        data = path.read_bytes()
        out[rel] = gzip.decompress(data) if rel.endswith(".gz") else data
    return out


def _search_of(site: Path) -> dict:
    """The search bundle as what it holds (Pagefind's own file names vary from run to run)."""
    bundle = site / "pagefind"
    records: dict[str, list[str]] = {}
    files: dict[str, int] = {}
    for folder in ("fragment", "index", "filter"):
        for f in (bundle / folder).iterdir():
            key = f.name.split("_")[0]
            files[f"{folder}/{key}"] = files.get(f"{folder}/{key}", 0) + 1
            if folder == "fragment":
                data = gzip.decompress(f.read_bytes()).removeprefix(b"pagefind_dcd")
                records.setdefault(key, []).append(json.dumps(json.loads(data), sort_keys=True))
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    return {"manifest": comparable_manifest(bundle),
            "routes": {p.name: p.read_text(encoding="utf-8") for p in (bundle / "newsroom-routes").iterdir()},
            "pages": {key: lang["page_count"] for key, lang in entry["languages"].items()},
            "files": files, "records": {key: sorted(v) for key, v in records.items()}}


def _assert_same_as_clean(live, tmp_path: Path) -> None:
    clean = tmp_path / "clean"
    if clean.exists():
        shutil.rmtree(clean)
    _clean_build(live.tree, clean)
    assert live.search.wait(120), "the search index is still being updated after 2 minutes"
    got, want = _tree_of(live.site_dir), _tree_of(clean)
    assert sorted(set(got) - set(want)) == [], "stale files left by the preview"
    assert sorted(set(want) - set(got)) == [], "files missing from the preview"
    differing = [k for k in want if got[k] != want[k]]
    assert differing == []
    got_search, want_search = _search_of(live.site_dir), _search_of(clean)
    for part in want_search:                     # one part at a time: readable failures
        assert got_search[part] == want_search[part], f"search index: {part} differs"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    os.utime(path)


def test_initial_preview_equals_clean_build(preview, tmp_path):
    _assert_same_as_clean(preview, tmp_path)


def test_change_title(preview, tmp_path):
    _edit(preview.tree / "content/news/2021/race-07.md", "技能比武第7场", "技能比武第七场（更正）")
    todo = preview.update()
    assert todo and len(todo.render) < 40          # only pages that show the title
    _assert_same_as_clean(preview, tmp_path)


def test_change_date_moves_the_url(preview, tmp_path):
    _edit(preview.tree / "content/news/2021/race-03.md", "2021-04-04 09:03", "2022-02-02 08:00")
    preview.update()
    assert not (preview.site_dir / "news/2021/04/race-03").exists()
    assert (preview.site_dir / "news/2022/02/race-03/index.html").is_file()
    _assert_same_as_clean(preview, tmp_path)


def test_change_brand(preview, tmp_path):
    _edit(preview.tree / "content/news/2021/race-05.md", "brands: [ke-gong-sai]", "brands: [ke-gong-yi]")
    preview.update()
    _assert_same_as_clean(preview, tmp_path)


def test_add_and_delete_articles(preview, tmp_path):
    (preview.tree / "content/news/2022").mkdir()
    (preview.tree / "content/news/2022/new-one.md").write_text(
        _article("新的一场比武", "2022-03-01 08:00", workers="[ye-jinlong]"), encoding="utf-8")
    preview.update()
    _assert_same_as_clean(preview, tmp_path)
    (preview.tree / "content/news/2021/race-11.md").unlink()
    preview.update()
    _assert_same_as_clean(preview, tmp_path)


def test_pages_an_editor_looks_at_are_written_first(preview, tmp_path):
    """A deletion moves the pages above it by one (page numbers count from the oldest): the
    deleted article's listings' fronts and home are written before ``visible`` (the browser's
    reload), the numbered page it was on after it, in the same update, which returns with
    the site equal to a clean build."""
    site = preview.site_dir
    (preview.tree / "content/news/2019").mkdir()
    for n in range(20):             # 51 articles, 20 a page: /news/page/1/ holds these 20
        (preview.tree / f"content/news/2019/old-{n:02d}.md").write_text(
            _article(f"旧闻{n}", f"2019-03-{1 + n:02d} 08:00"), encoding="utf-8")
    preview.update()
    shifted = site / "news/page/1/index.html"
    before = shifted.read_bytes()
    gone = "旧闻7"
    assert gone in before.decode("utf-8") and gone not in (site / "news/index.html").read_text(encoding="utf-8")
    (preview.tree / "content/news/2019/old-07.md").unlink()
    seen: dict[str, object] = {}

    def visible() -> None:
        seen["news"] = (site / "news/index.html").read_text(encoding="utf-8")
        seen["year"] = (site / "news/2019/index.html").read_text(encoding="utf-8")
        seen["article"] = (site / "news/2019/03/old-07").exists()
        seen["shifted"] = shifted.read_bytes()

    todo = preview.update(visible)
    assert todo and seen, "visible() was not called"
    assert "共 50 篇文章" in seen["news"] and gone not in seen["year"]
    assert seen["article"] is False
    assert seen["shifted"] == before                        # not yet: written after the reload
    assert gone not in shifted.read_text(encoding="utf-8")  # and written by the time update returns
    assert preview.later > 0
    _assert_same_as_clean(preview, tmp_path)


def test_a_title_edit_is_visible_with_its_page_and_the_news(preview, tmp_path):
    race = preview.tree / "content/news/2021/race-23.md"
    _edit(race, "技能比武第23场", "技能比武第二十三场（更正）")
    seen: list[str] = []
    preview.update(lambda: seen.extend(
        (preview.site_dir / p).read_text(encoding="utf-8")
        for p in ("news/2021/12/race-23/index.html", "news/index.html")))
    assert len(seen) == 2 and all("技能比武第二十三场（更正）" in page for page in seen)
    _assert_same_as_clean(preview, tmp_path)


def test_rename_article_file(preview, tmp_path):
    src = preview.tree / "content/news/2021/race-12.md"
    src.rename(src.with_name("race-twelve.md"))
    preview.update()
    _assert_same_as_clean(preview, tmp_path)


def test_rename_brand_and_edit_worker(preview, tmp_path):
    _edit(preview.tree / "brands/ke-gong-yi.md", "name: 柯工益", "name: 柯工益（志愿）")
    _edit(preview.tree / "content/workers/ye-jinlong.md", "[全国劳动模范]", "[全国劳动模范, 浙江工匠]")
    preview.update()
    _assert_same_as_clean(preview, tmp_path)


def test_bad_edit_keeps_the_last_good_preview(preview, tmp_path):
    before = _tree_of(preview.site_dir)
    _edit(preview.tree / "content/news/2021/race-09.md", "date: 2021-10-10 09:09", "date: 2021-13-45")
    assert preview.update() is None
    assert _tree_of(preview.site_dir) == before


def test_last_article_of_a_region_deleted(preview, tmp_path):
    """The region's page goes, and so do its feeds (and the folder that held them)."""
    lone = preview.tree / "content/news/2021/lone.md"
    lone.write_text(_article("孤篇报道", "2021-07-07 07:00").replace("绍兴市柯桥区", "舟山市岱山县"),
                    encoding="utf-8")
    preview.update()
    assert (preview.site_dir / "regions/舟山市岱山县/feed.xml").is_file()
    _assert_same_as_clean(preview, tmp_path)
    lone.unlink()
    preview.update()
    assert not (preview.site_dir / "regions/舟山市岱山县").exists()
    _assert_same_as_clean(preview, tmp_path)


def test_edit_then_undo(preview, tmp_path):
    """Files skipped as unchanged are compared with what is on disk, not with an older build."""
    race = preview.tree / "content/news/2021/race-08.md"
    original = race.read_text(encoding="utf-8")
    _edit(race, "技能比武第8场", "技能比武第8场（更正）")
    preview.update()
    race.write_text(original, encoding="utf-8")
    os.utime(race)
    preview.update()
    _assert_same_as_clean(preview, tmp_path)


def test_saves_in_a_row(preview, tmp_path):
    """Several kinds of edits, each followed by a save, then one comparison."""
    _edit(preview.tree / "brands/ke-gong-sai.md", "以赛促训。", "以赛促训，以训促技。")
    preview.update()
    _edit(preview.tree / "content/news/2021/race-01.md", "brands: [ke-gong-sai]", "brands: [ke-gong-yi]")
    preview.update()
    (preview.tree / "content/news/2021/race-06.md").unlink()
    preview.update()
    _edit(preview.tree / "content/news/2021/race-10.md", "2021-11-11 09:10", "2021-11-12 09:10")
    preview.update()
    _assert_same_as_clean(preview, tmp_path)


def test_rename_a_brand_without_articles(preview, tmp_path):
    """Its feed lists nothing, so only the feed's title shows the new name."""
    brand = preview.tree / "brands/ke-gong-xin.md"
    brand.write_text("---\nname: 柯工心\nslogan: 心连心\n---\n\n新品牌。\n", encoding="utf-8")
    preview.update()
    _edit(brand, "name: 柯工心", "name: 柯工心（新）")
    preview.update()
    _assert_same_as_clean(preview, tmp_path)


def test_image_replaced_under_the_same_name(preview, tmp_path):
    """Pages write the image's width and height, feeds its length in bytes."""
    image = preview.tree / "content/images/lead.png"
    image.parent.mkdir()
    image.write_bytes(png(40, 30))
    _edit(preview.tree / "content/news/2021/race-02.md", "column: 工运速递\n", "column: 工运速递\nimage: images/lead.png\n")
    preview.update()
    _assert_same_as_clean(preview, tmp_path)
    image.write_bytes(png(90, 20))
    later = time.time() + 5            # newer than the preview's copy, even on coarse clocks
    os.utime(image, (later, later))
    todo = preview.update()
    assert todo and any(s.src_uri == "news/2021/race-02.md" for s in todo.render)
    _assert_same_as_clean(preview, tmp_path)


def test_region_link_on_profiles_follows_the_region_listing(preview, tmp_path):
    """A worker's and a brand's region is a link only while the region has articles."""
    _edit(preview.tree / "content/workers/ye-jinlong.md", "honors: [全国劳动模范]",
          "honors: [全国劳动模范]\nregion: 舟山市岱山县")
    _edit(preview.tree / "brands/ke-gong-yi.md", "family: 柯工", "family: 柯工\nregion: 舟山市岱山县")
    lone = preview.tree / "content/news/2021/lone.md"
    lone.write_text(_article("孤篇报道", "2021-07-07 07:00", brands="[ke-gong-sai]")
                    .replace("绍兴市柯桥区", "舟山市岱山县"), encoding="utf-8")
    preview.update()
    assert "regions/%E8%88%9F" in (preview.site_dir / "workers/ye-jinlong/index.html").read_text(encoding="utf-8") \
        or "regions/舟山市岱山县" in (preview.site_dir / "workers/ye-jinlong/index.html").read_text(encoding="utf-8")
    _assert_same_as_clean(preview, tmp_path)
    lone.unlink()
    preview.update()
    _assert_same_as_clean(preview, tmp_path)


def test_free_page_error_keeps_the_last_preview(preview, tmp_path, caplog):
    """A free page is an input of every page (the menu): its typo must not empty the preview."""
    before = _tree_of(preview.site_dir)
    about = preview.tree / "content/pages/about.md"
    about.write_text("---\ntitle: [关于我们\n---\n\n正文。\n", encoding="utf-8")
    assert preview.update() is None
    assert _tree_of(preview.site_dir) == before
    assert "内容有错误，预览保持上一次的结果" in caplog.text and "content/pages/about.md" in caplog.text
    about.write_text("---\ntitle: 关于本站\n---\n\n柯桥区总工会主办。\n", encoding="utf-8")
    preview.update()
    _assert_same_as_clean(preview, tmp_path)


def test_image_replaced_by_an_older_file(preview, tmp_path):
    """A file moved in from a download keeps its old modification time: still a new image."""
    image = preview.tree / "content/images/race.png"
    image.parent.mkdir(parents=True, exist_ok=True)
    image.write_bytes(png(40, 30))
    _edit(preview.tree / "content/news/2021/race-04.md", "职工技能比武现场气氛热烈。",
          "职工技能比武现场气氛热烈。\n\n![比武现场](../../images/race.png)")
    preview.update()
    download = tmp_path / "download.png"
    download.write_bytes(png(120, 50))
    os.utime(download, (1_600_000_000, 1_600_000_000))      # 2020: older than the first image
    os.replace(download, image)
    preview.update()
    # The photo build publishes a stand-in at the original's URL: the new picture's size.
    with Image.open(preview.site_dir / "images/race.png") as im:
        assert im.size == (120, 50)
    _assert_same_as_clean(preview, tmp_path)


def test_editors_scratch_files_are_neither_content_nor_published(preview, tmp_path):
    news = preview.tree / "content/news/2021"
    os.symlink("nobody@host.12345:1700000000", news / ".#race-01.md")       # an Emacs lock
    shutil.copy(news / "race-02.md", news / "race-02.md~")                  # a backup
    shutil.copy(news / "race-03.md", news / "race-03.md.bak")
    (news / "#race-05.md#").write_text("autosave", encoding="utf-8")
    assert preview.update() is not None                                    # no error
    assert not [p for p in preview.site_dir.rglob("*") if p.name.endswith(("~", ".bak", "#"))]
    _assert_same_as_clean(preview, tmp_path)


@pytest.fixture()
def own_config_preview(tmp_path, monkeypatch):
    """A preview whose site_config.yml is a copy the test may edit (absolute folders)."""
    from newsroom.mkdocs.config import load_config
    from newsroom.mkdocs.preview import LivePreview

    monkeypatch.setenv("NEWSROOM_NOW", NOW)
    tree = write_tree(tmp_path / "tree", _files())
    text = (ROOT / "site_config.yml").read_text(encoding="utf-8")
    text = text.replace("custom_dir: theme", f"custom_dir: {ROOT / 'theme'}")
    config_file = tree / "site_config.yml"
    config_file.write_text(text, encoding="utf-8")
    args = argparse.Namespace(config_file=str(config_file), content=str(tree / "content"),
                              brands=str(tree / "brands"), drafts=False)
    live = LivePreview(*load_config(args, site_dir=str(tmp_path / "live")), index_search=False,
                       reload_config=lambda: load_config(args, site_dir=str(tmp_path / "live")))
    live.full_build()
    live.tree, live.config_file = tree, config_file
    return live


def test_site_config_changes_show_and_its_errors_keep_the_preview(own_config_preview, caplog):
    live = own_config_preview
    _edit(live.config_file, "site_name: 柯桥工会新闻网", "site_name: 柯桥职工新闻网")
    assert live.update() is None                                  # everything again
    assert "柯桥职工新闻网" in (live.site_dir / "index.html").read_text(encoding="utf-8")
    before = _tree_of(live.site_dir)
    _edit(live.config_file, "per_page: 20", "per_page: 二十")
    live.update()
    assert _tree_of(live.site_dir) == before
    assert "per_page 应是一个整数" in caplog.text and "预览保持上一次的结果" in caplog.text


class _FakeJob:
    """Stands in for search.IndexJob: slow to start, runs until cancelled (or fails)."""

    made: list["_FakeJob"] = []
    fail = False

    def __init__(self, graph, site_dir, reuse_from=None) -> None:
        import threading

        time.sleep(0.3)                      # planning the shards
        self.cancelled = False
        self.done = threading.Event()
        _FakeJob.made.append(self)

    def finish(self) -> None:
        if _FakeJob.fail:
            raise RuntimeError("a bug")
        self.done.wait(30)

    def cancel(self) -> None:
        self.cancelled = True
        self.done.set()


def test_search_refresh_stop_and_failures(tmp_path, monkeypatch, caplog):
    import threading

    from newsroom.search import refresh as search_refresh

    monkeypatch.setattr(search_refresh, "IndexJob", _FakeJob)
    _FakeJob.made.clear()
    refresh = search_refresh.SearchRefresh(tmp_path, threading.RLock())
    refresh.request(object())
    time.sleep(0.1)                          # the job is still being made
    started = time.monotonic()
    refresh.stop()
    assert time.monotonic() - started < 5 and _FakeJob.made[0].cancelled
    monkeypatch.setattr(_FakeJob, "fail", True)
    refresh.request(object())
    assert refresh.wait(10)                  # an unexpected error ends the job, not the refresher
    assert "程序内部错误" in caplog.text
    monkeypatch.setattr(_FakeJob, "fail", False)
    refresh.request(object())
    time.sleep(0.5)
    assert not refresh.wait(0.1)             # a new job runs
    refresh.stop()
    assert _FakeJob.made[-1].cancelled and refresh.wait(0)
