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


def _state(page) -> dict:
    return {k: v for k, v in vars(page).items() if k != "file"}


def test_page_maker_makes_the_page_mkdocs_makes(tmp_path, monkeypatch):
    """PageMaker (the generated pages' Page objects, made in on_files) gives every attribute
    Page(None, file, config) gives, for the whole example site and for URLs urljoin changes."""
    from mkdocs.structure.files import File
    from newsroom.mkdocs.config import load_config
    from newsroom.mkdocs.markdown_page import PageMaker, SharedMarkdownPage

    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    args = argparse.Namespace(config_file=str(ROOT / "site_config.yml"), content=None, brands=None, drafts=False)
    for site_url in ("https://example.org/sub/", "https://example.org", "https://example.org/a//b/", ""):
        config, plugin = load_config(args, site_dir=str(tmp_path / "site"), site_url=site_url)
        build(config)
        generated = [f for f in plugin.files if f.src_uri in plugin.specs]
        assert len(generated) > 100
        assert all(type(f.page) is SharedMarkdownPage and f.page.file is f for f in generated)
        maker = PageMaker(config)
        odd = [File.generated(config, f"odd{n}.md", content="x") for n in range(6)]
        for f, dest in zip(odd, ("./x/index.html", "a/../b/index.html", "a b/index.html", "疗休养/index.html",
                                 "a//b/index.html", "index.html")):
            f.dest_uri = dest
        for f in generated + odd:
            stock = Page(None, f, config)
            quick = maker.page(f)
            assert type(quick) is SharedMarkdownPage and f.page is quick
            assert _state(quick) == _state(stock), (site_url, f.src_uri, f.url)


def test_page_maker_gives_a_file_the_url_mkdocs_gives_it(tmp_path, monkeypatch):
    """PageMaker sets a plain folder's URL itself (markdown_page._FOLDER_INDEX): the same as File.url."""
    from mkdocs.structure.files import File
    from newsroom.mkdocs.config import load_config
    from newsroom.mkdocs.markdown_page import PageMaker

    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    args = argparse.Namespace(config_file=str(ROOT / "site_config.yml"), content=None, brands=None, drafts=False)
    config, _ = load_config(args, site_dir=str(tmp_path / "site"))
    maker = PageMaker(config)
    dests = ("news/2021/01/race-01/index.html", "news/page/2/index.html", "index.html", "tags/疗休养/index.html",
             "tags/%E7%96%97/index.html", "a b/index.html", "./x/index.html", "a/../b/index.html", "a//b/index.html",
             "x~y_z.-/index.html", "/abs/index.html", "a/index.htm", "a/xindex.html", "feeds/a.xml")
    for dest in dests:
        made, stock = (File("p.md", src_dir=None, dest_dir=config.site_dir, use_directory_urls=True) for _ in range(2))
        made.dest_uri = stock.dest_uri = dest
        maker.page(made)
        assert made.url == stock.url, dest


def test_toc_without_its_div_converts_as_toc():
    """The shared converter's toc (markdown_page._TocTokens) skips only the table of contents'
    own div, and only where no [TOC] marker asks for it: the HTML and the tokens stay toc's."""
    import markdown

    from newsroom.mkdocs.markdown_page import _TocTokens

    exts = ["attr_list", "tables", "footnotes", "admonition", "md_in_html", "toc"]
    texts = ["# 标题\n\n正文", "## 一\n\n### 二 {#two}\n\n文字[^1]\n\n[^1]: 注", "[TOC]\n\n## 一\n\n## 二",
             "前言\n\n[TOC]\n\n## 一 *强调*", "不是 [TOC] 的段落\n\n## 一", "```\n[TOC]\n```\n\n## 一",
             "<div markdown>\n[TOC]\n</div>\n\n## 一", "没有标题", ""]
    stock = markdown.Markdown(extensions=exts)
    ours = markdown.Markdown(extensions=exts)
    ours.treeprocessors["toc"].__class__ = _TocTokens
    for text in texts * 2:
        stock.reset()
        ours.reset()
        assert ours.convert(text) == stock.convert(text), text
        assert ours.toc_tokens == stock.toc_tokens, text
        if "[TOC]" in text:
            assert ours.toc == stock.toc, text


def test_plain_texts_skip_the_inline_patterns_with_the_same_html():
    """md_inline.PlainTextSkipping: texts where no inline pattern can match skip them, and the
    HTML is the stock inline processor's; on for the site's own extensions."""
    import markdown

    from newsroom.mkdocs.md_inline import skip_plain_text

    exts = ["attr_list", "tables", "footnotes", "admonition", "md_in_html", "toc", "newsroom.mkdocs.mdext"]
    texts = ["柯桥区总工会举行职工运动会。\n来自全区的职工参加。", "行一  \n行二", "行一 \n行二", "a&amp;b，a & b",
             "<b>粗</b>体与 <span>x</span>", "`代码` 与 \\`", "*强调* 与 **加粗** 与 _下划线_ 与 a_b_c",
             "[链接](https://x.cn/) 与 ![图](a.png) 与 [引用][r]\n\n[r]: https://r.cn/", "注释[^1]\n\n[^1]: 脚注",
             "感叹！没有方括号", "<https://auto.cn/> 与 <a@b.cn>", "| 表 | 头 |\n|---|---|\n| *一* | 二 |",
             "!!! note \"提示\"\n    注意 *这里*", "- 项目一\n- 项目 **二**\n\n1. 第一\n2. 第二", "# 标题 *强调*\n\n正文",
             "<div markdown>\n*里面*\n</div>", "段落 {: .cls }", "", "\\", "星*号"]
    stock = markdown.Markdown(extensions=exts)
    ours = markdown.Markdown(extensions=exts)
    assert skip_plain_text(ours), "an inline pattern is not known to md_inline (a new Markdown?)"
    for text in texts:
        stock.reset()
        ours.reset()
        assert ours.convert(text) == stock.convert(text), text


def test_an_unknown_inline_pattern_turns_the_skipping_off():
    import markdown
    from markdown.inlinepatterns import SimpleTagInlineProcessor

    from newsroom.mkdocs.md_inline import skip_plain_text

    md = markdown.Markdown(extensions=["toc"])
    md.inlinePatterns.register(SimpleTagInlineProcessor(r"()~~(.+?)~~", "del"), "del", 65)
    assert not skip_plain_text(md)
    assert md.convert("~~删~~") == "<p><del>删</del></p>"
