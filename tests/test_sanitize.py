"""Bodies through the allow-list (sanitize.py), editors told at the line (sanitize_report.py),
and feeds that stay XML whatever characters a paste brings (issue 19, items 4 and 6).

Every case is a real ``newsroom build`` or ``check``; pages are parsed with
BeautifulSoup, feeds with xml.etree, feedparser and json, search records come
from the same graph the indexer reads.
"""
from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import pytest
from bs4 import BeautifulSoup, Comment

from conftest import build_tree, check_tree, page, png, write_tree
from newsroom.search import records as search_records
from newsroom.content.graph import build_graph
from newsroom.core.settings import Settings

CONTENT_NS = "{http://purl.org/rss/1.0/modules/content/}encoded"

HOSTILE = """\
---
title: 恶意粘贴
date: 2021-05-01 09:00
---
第一段<script>alert('x1')</script>正文。

<img src="../../images/a.png" onerror="alert('x2')" alt="图">

<svg onload="alert('x3')"><circle r="4"/></svg>

<iframe src="/local/"></iframe>

<style>body{display:none}</style>

[点我](javascript:alert('x4')) <a href="JaVaScript:alert('x5')">再点</a> <a href="data:text/html,x6">数据</a>

<!-- 内部备注 x7 -->

<form action="/x"><input name="q"><button onclick="alert('x8')">提交</button></form>

<a href="https://www.acftu.org/">全总网站</a>
"""

UNCLOSED = """\
---
title: 未闭合
date: 2021-05-02 09:00
---
开头一段。

<div><table><tr><td>单元格

后面的文字。
"""

# What Word and WeChat put on the clipboard, in a Markdown body with our own extensions.
PASTE = """\
---
title: 从Word粘贴
date: 2021-05-03 09:00
---
## 活动概况

<p class="MsoNormal"><span style="font-family:宋体;mso-bidi-font-family:Arial">职工&nbsp;代表<o:p></o:p></span></p>

<p>第一行<br>第二行，m<sup>2</sup>，H<sub>2</sub>O</p>

<figure><img src="../../images/a.png" alt="现场"><figcaption>活动现场</figcaption></figure>

<table><tr><td colspan="2">合计</td></tr></table>

| 品牌 | 人数 |
| :--- | ---: |
| 柯工益 | 30 |

- 一项
- 二项

> 引用一段[^1]

![现场图](../../images/a.png)

[^1]: 注释说明。
"""


def _tree(root: Path, files: dict[str, str]) -> Path:
    write_tree(root, files)
    (root / "content" / "images").mkdir(parents=True, exist_ok=True)
    (root / "content" / "images" / "a.png").write_bytes(png(40, 20))
    return root


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    root = _tree(tmp_path_factory.mktemp("hostile"), {
        "content/news/2021/hostile.md": HOSTILE,
        "content/news/2021/unclosed.md": UNCLOSED,
        "content/news/2021/paste.md": PASTE,
    })
    proc = build_tree(root)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return root


def _body(root: Path, url: str):
    return page(root / "site", url).select_one(".nr-body")


def _feed_items(root: Path) -> tuple[dict[str, str], dict[str, str]]:
    """content:encoded (RSS) and content_html (JSON Feed) by item title, both parsed."""
    rss = ET.parse(root / "site" / "feed.xml")
    encoded = {i.findtext("title"): i.findtext(CONTENT_NS) for i in rss.iter("item")}
    data = json.loads((root / "site" / "feed.json").read_text(encoding="utf-8"))
    return encoded, {i["title"]: i["content_html"] for i in data["items"]}


def _assert_harmless(fragment: BeautifulSoup | str) -> None:
    soup = fragment if not isinstance(fragment, str) else BeautifulSoup(fragment, "html.parser")
    assert not soup.find_all(["script", "style", "iframe", "svg", "form", "input", "button", "object"])
    for tag in soup.find_all(True):
        assert not [a for a in tag.attrs if a.startswith("on")], tag
        for attr in ("href", "src"):
            value = re.sub(r"\s", "", str(tag.get(attr, ""))).lower()
            assert not value.startswith(("javascript:", "data:", "vbscript:")), tag
    assert not soup.find_all(string=lambda s: isinstance(s, Comment))
    text = soup.get_text()
    for marker in ("x1", "x7", "display:none"):
        assert marker not in text


def _records(root: Path) -> dict[str, str]:
    graph, _ = build_graph(root / "content", root / "brands", Settings())
    return {a.title: search_records.record("article", a).text for a in graph.articles}


def test_hostile_body_is_harmless_on_the_page(hostile):
    body = _body(hostile, "news/2021/05/hostile/")
    _assert_harmless(body)
    assert "第一段正文。" in body.get_text()
    assert body.find("img", alt="图")["src"].endswith("images/a.png")
    assert body.find("a", string="全总网站")["href"] == "https://www.acftu.org/"   # links to other sites stay
    assert body.find("a", string="点我") is not None and not body.find("a", string="点我").get("href")


def test_hostile_body_is_harmless_in_both_feeds(hostile):
    encoded, json_items = _feed_items(hostile)
    for html in (encoded["恶意粘贴"], json_items["恶意粘贴"]):
        _assert_harmless(html)
        assert "https://www.acftu.org/" in html


def test_search_does_not_index_what_the_page_drops(hostile):
    text = _records(hostile)["恶意粘贴"]
    for marker in ("x1", "x7", "display", "alert"):
        assert marker not in text
    assert "第一段" in text and "正文" in text


def test_unclosed_div_and_table_keep_the_footer_outside(hostile):
    soup = page(hostile / "site", "news/2021/05/unclosed/")
    footer = soup.select_one("footer.md-footer") or soup.find("footer")
    assert footer is not None
    assert not footer.find_parent(class_="nr-body")        # not swallowed by the body's <div>
    assert footer.find_parent("body") is not None
    assert soup.select_one(".nr-body table") is not None
    encoded, json_items = _feed_items(hostile)
    for html in (encoded["未闭合"], json_items["未闭合"]):
        assert html.count("<div") == html.count("</div>") and html.count("<table") == html.count("</table>")


def test_word_and_wechat_paste_keeps_what_editors_meant(hostile):
    body = _body(hostile, "news/2021/05/paste/")
    _assert_harmless(body)
    assert body.find("h2", id=True).get_text(strip=True) == "活动概况"
    span = body.find("span", string=re.compile("职工"))
    assert span is not None and not span.get("style")              # Word's fonts go, the text stays
    assert "职工\u00a0代表" in span.get_text()
    assert not body.find(re.compile("^o:"))
    p = body.find("br").find_parent("p")
    assert p.find("sup").get_text() == "2" and p.find("sub").get_text() == "2"
    figure = body.find("figure")
    assert figure.find("figcaption").get_text() == "活动现场" and figure.find("img")["alt"] == "现场"
    assert body.find("td", colspan="2").get_text() == "合计"
    aligned = [td.get("style") for td in body.select("table")[1].find_all("td")]
    assert aligned == ["text-align: left;", "text-align: right;"]   # Markdown's table alignment, as written
    assert [li.get_text() for li in body.select("ul > li")] == ["一项", "二项"]
    assert body.find("blockquote").find("sup", id="fnref:1").find("a", class_="footnote-ref")["href"] == "#fn:1"
    assert body.select_one("div.footnote li#fn\\:1 a.footnote-backref")["href"] == "#fnref:1"
    img = body.find("img", alt="现场图")
    assert (img["width"], img["height"], img["loading"], img["decoding"]) == ("40", "20", "lazy", "async")


def test_check_warns_at_the_file_line_for_each_removal(hostile):
    out = check_tree(hostile).stdout
    path = "content/news/2021/hostile.md"
    expected = {5: "<script>", 7: "onerror", 9: "<svg>", 11: "<iframe>", 13: "<style>",
                15: "javascript:", 17: "HTML 注释", 19: "<form>"}
    for line, what in expected.items():
        found = [x for x in out.splitlines() if f"{path}:{line}: 警告：" in x]
        assert found and what in found[0], (line, what, out)
    assert "“data:”开头的链接" in [x for x in out.splitlines() if f"{path}:15:" in x][0]
    assert f"{path}:21:" not in out                       # a link to another site is fine
    assert "content/news/2021/unclosed.md:7: 警告：<div> 没有对应的 </div>" in out
    assert "content/news/2021/unclosed.md:7: 警告：<table> 没有对应的 </table>" in out
    paste = [x for x in out.splitlines() if "paste.md" in x]
    assert any("paste.md:7:" in x and "style 样式" in x and "<o:p>" in x for x in paste), paste
    assert not any(re.search(r"paste\.md:(9|11|13|1[5-9]|2[0-9]):", x) for x in paste), paste


def test_code_is_not_reported(tmp_path):
    root = _tree(tmp_path, {"content/news/2021/code.md": """\
        ---
        title: 代码示例
        date: 2021-05-01
        ---
        写成 `<script>` 的是脚本。

        ```html
        <style>p{}</style>
        ```

        邮件 <news@example.cn>，网址 <https://www.acftu.org/>。
        """})
    proc = check_tree(root)
    assert "code.md" not in proc.stdout, proc.stdout


@pytest.mark.parametrize("body, line", [
    ("正文。\n\n![外图](https://img.example.com/a.jpg)\n", 8),
    ("正文。\n\n<img src=\"//img.example.com/a.jpg\">\n", 8),
    ("正文。\n\n<iframe src=\"https://v.example.com/x\"></iframe>\n", 8),
    ("正文。\n\n<img src=\"../../images/a.png\" srcset=\"https://img.example.com/a.jpg 2x\">\n", 8),
    # A WeChat article pasted: the photo's address is in data-src (lazy loading), no src at all.
    ("正文。\n\n<p><img class=\"rich_pages wxw-img\" data-src=\"https://mmbiz.qpic.cn/mmbiz_jpg/x/640?wx_fmt=jpeg\" "
     "data-ratio=\"0.75\"></p>\n", 8),
])
def test_external_image_or_frame_is_an_error_and_nothing_is_published(tmp_path, body, line):
    root = _tree(tmp_path, {"content/news/2021/ext.md": "---\ntitle: 外链\ndate: 2021-05-01\n---\n\n" + body})
    site = root / "site"
    proc = build_tree(root)
    assert proc.returncode == 1
    out = proc.stdout + proc.stderr
    assert f"content/news/2021/ext.md:{line}:" in out and ("外部网址" in out or "其他网站" in out), out
    assert "content/images/" in out
    assert not (site / "index.html").exists()


def test_a_lazy_address_beside_a_working_src_is_not_an_error_and_one_without_src_is(tmp_path):
    """WeChat's ``data-src`` matters only where it is the image's only address: beside a src of the
    site's own the photo shows; a data-src of the site's own without a src would vanish."""
    good = ("---\ntitle: 有图\ndate: 2021-05-01\n---\n\n<p><img src=\"../../images/a.png\" "
            "data-src=\"https://mmbiz.qpic.cn/mmbiz_jpg/x/640\" alt=\"图\"></p>\n")
    root = _tree(tmp_path / "good", {"content/news/2021/good.md": good})
    proc = build_tree(root)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert page(root / "site", "news/2021/05/good/").select_one(".nr-body img[alt=图]") is not None
    local = "---\ntitle: 无源\ndate: 2021-05-01\n---\n\n正文。\n\n<img data-src=\"images/a.png\">\n"
    root = _tree(tmp_path / "local", {"content/news/2021/local.md": local})
    proc = check_tree(root)
    assert proc.returncode == 1
    assert "content/news/2021/local.md:8: 正文里的图片 <img data-src=“images/a.png”> 没有 src" in proc.stderr, proc.stderr
    assert "把 data-src 改成 src" in proc.stderr


# ------------------------------------------------------------------ control characters

CONTROL = ("---\ntitle: 控制\x0b字符\x08标题\nkicker: \"引\\v题\"\ndate: 2021-05-01 09:00\n"
           "region: 柯桥\x0b区\nbrands: [ke-gong-yi]\n---\n第一段\x0b换行\x0c。\n\n第二段\x00。\n")
BRAND = "---\nname: 柯工\x0b益\nslogan: 工会有为\x08\n---\n品牌介绍\x0b。\n"


@pytest.fixture(scope="module")
def control(tmp_path_factory) -> Path:
    root = _tree(tmp_path_factory.mktemp("control"), {})
    path = root / "content" / "news" / "2021" / "ctrl.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(CONTROL, encoding="utf-8")
    (root / "brands" / "ke-gong-yi.md").write_text(BRAND, encoding="utf-8")
    proc = build_tree(root)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return root


def test_control_characters_leave_every_feed_well_formed(control):
    site = control / "site"
    feeds = sorted(site.rglob("feed.xml"))
    assert len(feeds) == 3   # the site's, the brand's and the region's
    for feed in feeds:
        data = feed.read_bytes()
        ET.fromstring(data)                                     # well-formed XML
        parsed = feedparser.parse(data)
        assert not parsed.bozo, (feed, parsed.get("bozo_exception"))
    for feed in sorted(site.rglob("feed.json")):
        json.loads(feed.read_text(encoding="utf-8"))
    item = feedparser.parse((site / "feed.xml").read_bytes()).entries[0]
    assert item.title == "控制字符标题"
    assert "第一段换行。" in item.content[0].value and "第二段。" in item.content[0].value
    assert "控制字符标题" in page(site, "news/2021/05/ctrl/").find("h1").get_text()
    assert _records(control)["控制字符标题"].startswith("控制字符标题\n引题")


def test_control_characters_are_warned_at_their_line(control):
    out = check_tree(control).stdout
    path = "content/news/2021/ctrl.md"
    assert f"{path}:2: 警告：这一行有看不见的控制字符 U+000B" in out and "U+0008" in out
    assert f"{path}:3: 警告：这一行有看不见的控制字符 U+000B" in out      # a YAML escape, "\v"
    assert f"{path}:5: 警告：这一行有看不见的控制字符 U+000B" in out                # region
    assert f"{path}:8: 警告：这一行有看不见的控制字符 U+000B" in out and "U+000C" in out
    assert f"{path}:10: 警告：这一行有看不见的控制字符 U+0000" in out
    assert "brands/ke-gong-yi.md:2: 警告：这一行有看不见的控制字符 U+000B" in out
    assert check_tree(control).returncode == 0


# ------------------------------------------------------------------ site_config.yml

ROOT = Path(__file__).resolve().parent.parent
HOSTILE_NAME = "柯桥<script>alert('n1')</script>&工会\"网"


def _site_config(tmp_path: Path, old: str, new: str) -> Path:
    """The project's config with ``old`` replaced by ``new``, its folders made absolute."""
    text = (ROOT / "site_config.yml").read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, new, 1)
    for key, folder in (("docs_dir: content", "content"), ("custom_dir: theme", "theme")):
        text = text.replace(key, f"{key.split(':')[0]}: {ROOT / folder}")
    text = text.replace("brands_dir: !ENV [NEWSROOM_BRANDS_DIR, brands]", f"brands_dir: {ROOT / 'brands'}")
    path = tmp_path / "site_config.yml"
    path.write_text(text, encoding="utf-8")
    return path


def _build(config: Path):
    from conftest import newsroom

    return newsroom("build", "-q", "-f", str(config), "--site-dir", str(config.parent / "site"), cwd=config.parent)


def test_site_name_is_text_in_pages_feeds_and_json_ld(tmp_path):
    name_yaml = json.dumps(HOSTILE_NAME, ensure_ascii=False)
    config = _site_config(tmp_path, "site_name: 柯桥工会新闻网", f"site_name: {name_yaml}")
    proc = _build(config)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    site = tmp_path / "site"
    for url in ("", "news/", "news/2021/12/kegong-brands/", "brands/ke-gong-yi/", "about/", "search/"):
        soup = page(site, url)
        assert not [s for s in soup.find_all("script") if "n1" in s.get_text() and s.get("type") != "application/ld+json"]
        assert HOSTILE_NAME in soup.find("title").get_text()
        assert soup.select_one(".nr-site-name").get_text() == HOSTILE_NAME
        for ld in soup.find_all("script", type="application/ld+json"):
            json.loads(ld.get_text())                                # still one JSON document
    assert page(site, "").find("h1").get_text() == HOSTILE_NAME
    rss = feedparser.parse((site / "feed.xml").read_bytes())
    assert not rss.bozo and rss.feed.title == HOSTILE_NAME
    assert json.loads((site / "feed.json").read_text(encoding="utf-8"))["title"] == HOSTILE_NAME


@pytest.mark.parametrize("link", ["javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,x",
                                  "vbscript:msgbox(1)"])
def test_script_menu_link_is_an_error_at_its_line(tmp_path, link):
    config = _site_config(tmp_path, "  - 关于我们: pages/about.md", f"  - 关于我们: pages/about.md\n  - 坏链接: \"{link}\"")
    line = next(n for n, row in enumerate(config.read_text(encoding="utf-8").splitlines(), 1) if "坏链接" in row)
    proc = _build(config)
    assert proc.returncode == 1
    assert f"site_config.yml:{line}: 菜单（nav）中的“坏链接”" in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "site" / "index.html").exists()


# ------------------------------------------------------------------ invisible format characters

PASTED = ("---\ntitle: 劳模\u200b工匠进校园\u202e\nkicker: \"引\\u200b题\"\ndate: 2021-05-02 09:00\n"
          "brands: [ke-gong-yi]\n---\n\u200b第一段里有劳模\u00ad工匠\ufeff。\n\n家庭 \U0001F468\u200d\U0001F469\u200d\U0001F467 合影。\n")


@pytest.fixture(scope="module")
def pasted(tmp_path_factory) -> Path:
    """An article pasted from WeChat and Word: zero-width spaces, a soft hyphen, a stray BOM
    and a bidi override in its headline and body; an emoji family joined by ZWJ."""
    root = _tree(tmp_path_factory.mktemp("pasted"), {"content/news/2021/pasted.md": PASTED})
    (root / "brands" / "ke-gong-yi.md").write_text("---\nname: 柯工益\n---\n品牌介绍。\n", encoding="utf-8")
    proc = build_tree(root)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return root


def test_invisible_characters_are_dropped_where_readers_and_search_see_text(pasted):
    site = pasted / "site"
    h1 = page(site, "news/2021/05/pasted/").find("h1").get_text()
    assert "劳模工匠进校园" in h1 and not set(h1) & {"\u200b", "\u202e"}
    item = feedparser.parse((site / "feed.xml").read_bytes()).entries[0]
    assert item.title == "劳模工匠进校园"
    assert "第一段里有劳模工匠。" in item.content[0].value
    assert "\U0001F468\u200d\U0001F469\u200d\U0001F467" in item.content[0].value     # ZWJ kept
    record = _records(pasted)["劳模工匠进校园"]
    assert record.startswith("劳模工匠进校园\n引题") and "劳模工匠" in record.split("\n", 2)[2]


def test_invisible_characters_are_warned_at_their_line(pasted):
    proc = check_tree(pasted)
    out, path = proc.stdout, "content/news/2021/pasted.md"
    assert f"{path}:2: 警告：这一行有看不见的字符 U+200B（零宽空格，多由微信或网页复制带来）、U+202E" in out
    assert f"{path}:3: 警告：这一行有看不见的字符 U+200B" in out                      # a YAML escape
    assert f"{path}:7: 警告：这一行有看不见的字符 U+200B" in out and "U+00AD" in out and "U+FEFF" in out
    assert f"{path}:9:" not in out                                                  # ZWJ is not one
    assert proc.returncode == 0
