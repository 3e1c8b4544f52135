"""The shared Markdown converter renders every page exactly as MkDocs' own Page.render."""
from __future__ import annotations

import argparse

from mkdocs.commands.build import build
from mkdocs.structure.pages import Page

from conftest import ROOT


def test_shared_converter_matches_mkdocs_page_render(tmp_path, monkeypatch):
    from newsroom.mkdocs.config import load_config
    from newsroom.mkdocs.markdown_page import SharedMarkdownPage

    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    args = argparse.Namespace(config_file=str(ROOT / "site_config.yml"), content=None, brands=None, drafts=False)
    config, plugin = load_config(args, site_dir=str(tmp_path / "site"))
    build(config)
    pages = [f.page for f in plugin.files if isinstance(f.page, SharedMarkdownPage)]
    assert len(pages) > 100
    checked = 0
    for page in pages:
        shared = (page.content, [str(t) for t in page.toc], page.title, page.present_anchor_ids)
        Page.render(page, config, plugin.files)            # MkDocs' own conversion
        stock = (page.content, [str(t) for t in page.toc], page.title, page.present_anchor_ids)
        assert shared == stock, page.file.src_uri
        checked += bool(page.markdown.strip())
    assert checked >= 60   # articles, brand and worker bodies, not just empty listings
