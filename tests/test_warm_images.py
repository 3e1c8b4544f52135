"""A warm build after an image changed (replaced, new, a logo): which article pages it reads.

``digest.showing`` renders again every page whose data names a changed image (pages write
its width and height). A warm build's article pages known unchanged (``LazyPage``) have no
data made: reading it made all 10,000 article views for one new photo (2.8 CPU-s at 10k).
``kinds.kept.naming`` says which article pages may name a file (the articles naming it, and
their neighbours within each index list's window); the others are not read. These tests
check that rule against every article page of the sample site, and warm sites against
clean ones after each kind of image change (the builds run in the check mode, which makes
every page left unread and fails if one shows a changed file).
"""
from __future__ import annotations

from conftest import png
from newsroom.content.doc_store import StoredDocs
from newsroom.pages.digest import images_shown
from newsroom.pages.kinds import site_pages
from newsroom.pages.kinds.kept import naming
from test_kept_prints import _graph, _site
import test_warm_build
from test_warm_build import _race, _warm

tree = test_warm_build.tree           # the warm tests' content tree, built once (a fixture)


def _article_pages(graph) -> dict[str, set[str]]:
    return {p.src_uri: images_shown(p.data) for p in site_pages(graph) if p.kind == "article"}


def test_every_article_page_naming_a_file_is_near_an_article_naming_it(tmp_path):
    root = _site(tmp_path)
    graph = _graph(root, StoredDocs(tmp_path / "cache" / "docs.json", "v1"))
    shown = _article_pages(graph)
    files = set().union(*shown.values())
    assert len(files) >= 5                  # lead images, gallery photos, brands' logos, workers' photos
    for f in sorted(files):
        near = naming(graph, {f})
        assert {src for src, images in shown.items() if f in images} <= near, f
    assert naming(graph, {"images/nobody-names-this.png"}) == set()


def test_an_article_naming_a_file_brings_its_windows_only(tree):
    from test_kept_prints import Settings, build_graph
    graph, _ = build_graph(tree / "content", tree / "brands", Settings(), display_base=tree)
    near = naming(graph, {"images/race.png"})
    # race-00 and race-01 name it; every article shares brand 柯工赛 (window 10) and tag
    # 技能竞赛 (window 6): the 10 on either side of each in time are near, the rest not.
    assert {"news/2021/race-00.md", "news/2021/race-01.md"} <= near
    assert len(near) < len(graph.articles)


def test_new_article_with_a_new_photo(tree, tmp_path):
    (tree / "content/images/new.png").write_bytes(png(60, 40))
    (tree / "content/news/2021/new-one.md").write_text(
        "---\ntitle: 新的比武\ndate: 2021-12-30 10:00\nbrands: [ke-gong-sai]\ntags: [技能竞赛]\n"
        "image: images/new.png\n---\n\n新的正文。\n", encoding="utf-8")
    reused, rendered = _warm(tree, tmp_path)
    assert "news/2021/12/new-one/index.html" in rendered
    assert _race(5) in reused


def test_logo_replaced_under_the_same_name(tree, tmp_path):
    (tree / "brands/img").mkdir(parents=True, exist_ok=True)
    (tree / "brands/img/ke-gong-yi.png").write_bytes(png(40, 40))
    brand = tree / "brands/ke-gong-yi.md"
    brand.write_text(brand.read_text(encoding="utf-8").replace(
        "family: 柯工\n", "family: 柯工\nlogo: brands/img/ke-gong-yi.png\n"), encoding="utf-8")
    _warm(tree, tmp_path)
    (tree / "brands/img/ke-gong-yi.png").write_bytes(png(64, 48))
    reused, rendered = _warm(tree, tmp_path)
    assert _race(0) in rendered and _race(4) in rendered      # 柯工益's articles show its logo
    assert 'width="64"' in (tree / "site" / _race(4)).read_text(encoding="utf-8")


def test_topic_banner_replaced_under_the_same_name(tree, tmp_path):
    """A topic's ``banner`` is shown (width and height) by the topic's page, the topics' index and
    the home page's topic cards: replaced under its name, they render again as a clean build does."""
    (tree / "content/images/topics").mkdir(parents=True, exist_ok=True)
    (tree / "content/images/topics/bisai.png").write_bytes(png(40, 30))
    (tree / "content/topics").mkdir(exist_ok=True)
    (tree / "content/topics/bisai.md").write_text(
        "---\ntitle: 技能比武\nstart: 2021-01-01\nbanner: images/topics/bisai.png\nsummary: 比技能。\n"
        "sections:\n  - title: 赛场\n    tags: [技能竞赛]\n---\n\n专题。\n", encoding="utf-8")
    _warm(tree, tmp_path)
    (tree / "content/images/topics/bisai.png").write_bytes(png(120, 60))
    reused, rendered = _warm(tree, tmp_path)
    assert {"topics/bisai/index.html", "topics/index.html", "index.html"} <= rendered
    assert 'width="120"' in (tree / "site/topics/bisai/index.html").read_text(encoding="utf-8")
