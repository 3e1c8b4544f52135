"""Auto-summaries and free-page head metadata, from real builds.

An article without ``summary`` is described by its first paragraph, as Markdown
renders it, in plain text: in the meta description, Open Graph, JSON-LD, both
feeds and the listing teasers. A lede that starts with a number ("2021 年……",
"3 月 2 日，……") is a paragraph; only a real ordered list is skipped. Free pages
(content/pages/) get the same head metadata as generated pages.
"""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urljoin, urlparse

import feedparser
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import build_tree, page, write_tree
from newsroom.pages import text as pages_text
from test_seo import check_website_head, description, ld_of, og

SITE_URL = "https://news.kqzgh.example.cn/"          # site_url in site_config.yml
SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><rect width="8" height="8"/></svg>\n'

# slug -> (body, the summary every output must carry)
CASES: dict[str, tuple[str, str]] = {
    "year-lede": (
        "2021 年浙江省化学检验员（给排水）职工职业技能竞赛近日在柯桥落幕。\n\n"
        "这是柯桥区总工会今年承办的又一项省级赛事。\n",
        "2021 年浙江省化学检验员（给排水）职工职业技能竞赛近日在柯桥落幕。"),
    "month-lede": (
        "12 月以来，上虞、越城两地疫情反复，柯桥疫情防控压力陡增。\n\n第二段不是摘要。\n",
        "12 月以来，上虞、越城两地疫情反复，柯桥疫情防控压力陡增。"),
    "dotted-date": (
        "2021.3.2，柯桥区总工会志愿者走进大渡社区。\n\n第二段不是摘要。\n",
        "2021.3.2，柯桥区总工会志愿者走进大渡社区。"),
    "after-list": (
        "1. 第一条要求\n2. 第二条要求\n\n3 月 2 日，第 58 个全国学雷锋纪念日来临前，志愿者来到大渡社区。\n",
        "3 月 2 日，第 58 个全国学雷锋纪念日来临前，志愿者来到大渡社区。"),
    "markup": (
        "![现场](../../images/scene.svg)\n\n"
        "**柯桥区总工会**联合[柯桥街道](https://example.org/jd)举办活动，`AI` 助手\n"
        "& 符号 <应当转义吗> 和 *强调* 一并展示。\n\n第二段不是摘要。\n",
        "柯桥区总工会联合柯桥街道举办活动，AI 助手 & 符号 <应当转义吗> 和 强调 一并展示。"),
    "blocks-first": (
        "## 小标题\n\n> 引用的话。\n\n- 列表项\n\n!!! note \"提示\"\n    提示里的段落。\n\n"
        "| 项目 | 数量 |\n| --- | --- |\n| 竞赛 | 3 |\n\n"
        "正文从这里开始[^1]，详见[报道][r]。\n\n[r]: https://example.org/r\n[^1]: 脚注内容。\n",
        "正文从这里开始，详见报道。"),
}


def _article(slug: str, day: int, body: str) -> str:
    return f"---\ntitle: 摘要测试 {slug}\ndate: 2021-12-{day:02d} 09:30\nslug: {slug}\n---\n\n{body}"


def _files() -> dict[str, str]:
    files = {f"content/news/2021/{slug}.md": _article(slug, i + 1, body)
             for i, (slug, (body, _)) in enumerate(CASES.items())}
    files["content/images/scene.svg"] = SVG
    files["content/pages/about.md"] = ("---\ntitle: 关于我们\n---\n\n"
                                       "本站发布各级总工会的**工作动态**与[工会品牌](https://example.org/)。\n\n"
                                       "## 说明\n\n第二段不是摘要。\n")
    files["content/pages/contact.md"] = ("---\ntitle: 联系我们\ndescription: 投稿与线索请联系区总工会宣传部\n---\n\n"
                                         "联系电话见下。\n")
    return files


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = write_tree(tmp_path_factory.mktemp("summary"), _files())
    proc = build_tree(root)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return root / "site"


def _urls() -> dict[str, str]:
    """slug -> the article's URL (every case is dated December 2021)."""
    return {slug: f"news/2021/12/{slug}/" for slug in CASES}


# ---------------------------------------------------------------- articles

@pytest.mark.parametrize("slug", list(CASES))
def test_article_head_describes_it_by_its_first_paragraph(site, slug):
    expected = CASES[slug][1]
    doc = page(site, _urls()[slug])
    assert description(doc) == [expected]
    assert og(doc)["og:description"] == [expected]
    assert ld_of(doc, "NewsArticle")["description"] == expected


def test_rss_descriptions_are_the_first_paragraphs(site):
    data = (site / "feed.xml").read_bytes()
    parsed = feedparser.parse(data)
    assert not parsed.bozo, parsed.get("bozo_exception")
    by_link = {e.link: e for e in parsed.entries}
    items = {i.findtext("link"): i.findtext("description") for i in ET.fromstring(data).iter("item")}
    for slug, url in _urls().items():
        expected = CASES[slug][1]
        assert items[SITE_URL + url] == expected, slug          # the XML text, exactly
        if "<" not in expected:                                 # feedparser reads it as HTML
            assert by_link[SITE_URL + url].summary == expected, slug
    assert by_link[SITE_URL + _urls()["markup"]].summary.startswith("柯桥区总工会联合柯桥街道举办活动，AI 助手 & 符号 ")


def test_json_feed_summaries_are_the_first_paragraphs(site):
    feed = json.loads((site / "feed.json").read_text(encoding="utf-8"))
    summaries = {item["url"]: item["summary"] for item in feed["items"]}
    assert summaries == {SITE_URL + url: CASES[slug][1] for slug, url in _urls().items()}


def test_listing_teasers_are_the_first_paragraphs(site):
    teasers = {}
    for item in page(site, "news/").select("ol.nr-list li.nr-item"):
        href = item.select_one("a.nr-item-link")["href"]
        url = urlparse(urljoin(SITE_URL + "news/", href)).path.lstrip("/")
        teasers[url] = item.select_one("p.nr-item-summary").get_text()
    assert teasers == {url: CASES[slug][1] for slug, url in _urls().items()}


# ---------------------------------------------------------------- free pages

def test_free_page_head_metadata_from_its_first_paragraph(site):
    doc = page(site, "about/")
    check_website_head(doc, "about/", "关于我们", "本站发布各级总工会的工作动态与工会品牌。")
    assert doc.title.get_text() == "关于我们 - 柯桥工会新闻网"


def test_free_page_description_from_front_matter(site):
    check_website_head(page(site, "contact/"), "contact/", "联系我们", "投稿与线索请联系区总工会宣传部")


# ---------------------------------------------------------------- shortcuts

# Plain ledes skip the converter, and only the blocks up to the first paragraph are
# converted: either way the text must be the first paragraph of the whole body, converted.
_PLAIN = st.text(st.sampled_from("柯桥工会职工，。、：；“”（）《》！？ 0123456789年月日%:;,'\"()~^?/\n"),
                 max_size=60)
# Pieces of Markdown whose meaning may depend on what comes after them.
_PIECES = ["柯工", "2021 年", "1. ", "- ", "> ", "# ", "\n", "\n\n", "    ", "<div>", "</div>",
           "<div markdown>", "<p>", "</p>", "<!-- c -->", "!!! note\n", "[a](b)", "[a][r]", "[r]: http://x\n",
           "[^1]", "[^1]: 注\n", "**", "_", "`", "| a | b |\n|---|---|\n", "Title\n---", "===",
           "![i](x.png)", "{: .c}", "&amp;", "<", ">", "1. x\n\n    y", "<b>", "</b>", "<!--", "-->", "<pre>"]


@settings(max_examples=300, deadline=None, derandomize=True)
@given(lede=_PLAIN, rest=_PLAIN)
def test_plain_lede_is_what_markdown_makes_of_it(lede, rest):
    body = f"{lede}\n\n{rest}\n"
    assert pages_text._first_paragraph.__wrapped__(body) == pages_text._paragraph_text(body)


@settings(max_examples=500, deadline=None, derandomize=True)
@given(pieces=st.lists(st.sampled_from(_PIECES), max_size=14))
def test_first_paragraph_of_a_prefix_is_that_of_the_body(pieces):
    body = "".join(pieces)
    assert pages_text._first_paragraph.__wrapped__(body) == pages_text._paragraph_text(body)
