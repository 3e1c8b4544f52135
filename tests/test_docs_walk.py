"""mkdocs/docs_walk.py: a ``newsroom build`` hands MkDocs a walk of docs_dir that makes no
``File`` of the Markdown files the graph makes pages of. What ``on_files`` receives is
MkDocs' own list less files it drops anyway, and the site is byte for byte the one built
with MkDocs' own walk."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import get_files

from conftest import ENV, ROOT, png, write_tree
from test_incremental import NOW, _files, _tree_of

from newsroom.mkdocs.docs_walk import DocsFiles, docs_files

PAGES = {"pages/about.md", "pages/sub/join.md", "pages/README.md", "pages/index.md", "index.md"}


def _docs(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    for rel in ["news/2021/a.md", "news/2021/b.markdown", "news/2021/README.md", "news/2021/index.md",
                "news/2022/c.md", "news/2022/c.png", "news/2023/index.md", "news/2023/index.html",
                "news/2023/d.md", "news/2024/e.md", "news/2024/e.mdown", "pages/about.md",
                "pages/sub/join.md", "pages/sub/other.md", "pages/README.md", "pages/index.md",
                "pages/.hidden.md", "images/x.png", "images/x.md", ".git/config", "index.md",
                "robots.txt", "drafts/wip.md", "drafts/wip.png", "notes.md"]:
        path = docs / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(rel, encoding="utf-8")
    return docs


def _config(docs: Path, tmp_path: Path, directory_urls: bool) -> MkDocsConfig:
    config = MkDocsConfig()
    config.load_dict({"site_name": "t", "docs_dir": str(docs), "site_dir": str(tmp_path / "site"),
                      "use_directory_urls": directory_urls, "exclude_docs": "drafts/wip.png\n",
                      "draft_docs": "notes.md\n"})
    errors, _ = config.validate()
    assert errors == []
    return config


def _described(files) -> list[tuple]:
    return [(f.src_uri, f.abs_src_path, f.dest_uri, f.url, f.inclusion) for f in files]


@pytest.mark.parametrize("directory_urls", [True, False])
def test_the_walk_is_mkdocs_own_less_the_pages_on_files_drops(tmp_path, directory_urls):
    docs = _docs(tmp_path)
    config = _config(docs, tmp_path, directory_urls)
    own = list(get_files(config))
    # Folders where two files have one destination are listed whole: MkDocs settles those.
    whole = {"news/2021", "news/2023", "news/2024", "pages"}
    want = [f for f in own if not f.is_documentation_page() or f.src_uri in PAGES
            or f.src_uri.rpartition("/")[0] in whole]
    got = list(docs_files(config, PAGES))
    assert _described(got) == _described(want)
    # What it left out: Markdown that is no free page, nothing else.
    left = {f.src_uri for f in own} - {f.src_uri for f in got}
    assert left == {"news/2022/c.md", "pages/sub/other.md", "images/x.md", "drafts/wip.md", "notes.md"}


def test_the_theme_files_are_mkdocs_own(tmp_path):
    """Material with a custom_dir holding hidden folders and files, at the top and deeper."""
    theme = tmp_path / "theme"
    for rel in ["main.html", "assets/x.css", "assets/.cache/y.css", ".hidden/z.js", "a/.b/c/d.png",
                "a/b/.e.png", "a/b/f.png", "readme.txt", "locales/zh.txt", "g.md", ".icons/h.svg"]:
        path = theme / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(rel, encoding="utf-8")
    docs = tmp_path / "docs"
    (docs / "assets").mkdir(parents=True)
    (docs / "assets" / "x.css").write_text("docs' own", encoding="utf-8")
    config = MkDocsConfig()
    config.load_dict({"site_name": "t", "docs_dir": str(docs), "site_dir": str(tmp_path / "site"),
                      "theme": {"name": "material", "custom_dir": str(theme)}})
    errors, _ = config.validate()
    assert errors == []
    env = config.theme.get_env()
    own, got = get_files(config), DocsFiles(list(get_files(config)))
    own.add_files_from_theme(env, config)
    got.add_files_from_theme(env, config)
    assert _described(got) == _described(own)
    names = {f.src_uri for f in got}
    assert {"a/b/f.png", "assets/x.css"} <= names and len(names) > 30     # Material's own assets too


def _build(tree: Path, site: Path, own_walk: bool) -> None:
    # own_walk: the build module's hook finds no graph, so MkDocs walks docs_dir itself.
    prelude = "import newsroom.mkdocs.build as b; b._free_pages = lambda config: None; " if own_walk else ""
    code = prelude + "import sys; from newsroom.app.cli import main; sys.exit(main(sys.argv[1:]))"
    proc = subprocess.run([sys.executable, "-c", code, "build", "-q", "-f", str(tree / "site_config.yml"),
                           "--content", str(tree / "content"), "--brands", str(tree / "brands"),
                           "--site-dir", str(site), "--no-reuse"],
                          cwd=tree, env={**ENV, "NEWSROOM_NOW": NOW}, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr


def test_a_site_built_with_the_narrow_walk_is_the_one_built_with_mkdocs_walk(tmp_path):
    files = _files()
    files["content/pages/about.md"] = "---\ntitle: 关于我们\n---\n\n柯桥区总工会。\n"
    files["content/pages/join/index.md"] = "---\ntitle: 入会\n---\n\n![图](../../images/x.png)\n"
    files["content/images/x.png"] = ""
    files["content/news/2021/notes.txt"] = "采访笔记\n"
    tree = write_tree(tmp_path / "tree", files)
    (tree / "content/images/x.png").write_bytes(png(20, 10))
    shutil.copytree(ROOT / "theme", tree / "theme")
    shutil.copy(ROOT / "site_config.yml", tree / "site_config.yml")
    _build(tree, tmp_path / "narrow", own_walk=False)
    _build(tree, tmp_path / "own", own_walk=True)
    got, want = _tree_of(tmp_path / "narrow"), _tree_of(tmp_path / "own")
    assert sorted(set(got) ^ set(want)) == []
    assert [k for k in want if got[k] != want[k]] == []
    for rel in ("about/index.html", "join/index.html", "images/x.png", "news/2021/notes.txt"):
        assert rel in got
