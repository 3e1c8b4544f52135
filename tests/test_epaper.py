"""The print edition (数字报): real builds of the sample's two editions, pages parsed.

Every URL (/epaper/, each edition, each page, the feed), the areas' coordinates and
links against the articles' own ``print:``, the page list, previous and next page and
edition, the PDF, the 往期 calendar, the 见报 citation on articles, search's 版名
filter, ``newsroom new edition``, and each editor's mistake at its line, in Chinese.
Keyboard, axe and 360 px: tests/test_epaper_browser.py (and browser.PAGES).
"""
from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path
from urllib.parse import urljoin

import feedparser
import pytest
import yaml

from conftest import ROOT, build_tree, check_tree, newsroom, page, write_tree
from epaper_svg import Block, page_svg

BASE = "https://news.kqzgh.example.cn/"
EDITIONS = {"2021-12-28": (318, ["要闻", "工会"]), "2022-01-18": (321, ["要闻", "职工"])}
_FRONT = re.compile(r"^---\n(.*?)\n---\n", re.S)


def printed_articles() -> dict[str, dict]:
    """The sample's articles with print:, by URL (their front matter, read here on its own)."""
    out = {}
    for md in sorted((ROOT / "content/news").rglob("*.md")):
        meta = yaml.safe_load(_FRONT.match(md.read_text(encoding="utf-8")).group(1))
        if "print" in meta:
            date = str(meta["date"])
            slug = md.stem.split("-", 3)[-1] if re.match(r"\d{4}-\d\d-\d\d-", md.stem) else md.stem
            out[f"news/{date[:4]}/{date[5:7]}/{slug}/"] = meta
    return out


def resolve(from_url: str, href: str) -> str:
    """A relative href on the page at ``from_url``, as a site-root-relative URL."""
    return posixpath.normpath(posixpath.join(from_url, href)).lstrip("./") + ("/" if href.endswith("/") else "")


# ---------------------------------------------------------------- URLs

def test_every_epaper_url_is_built(sample_site):
    urls = ["epaper/"]
    for day, (_, names) in EDITIONS.items():
        urls += [f"epaper/{day}/"] + [f"epaper/{day}/{n}/" for n in range(1, len(names) + 1)]
    for url in urls:
        assert (sample_site / url / "index.html").is_file(), url
    sitemap = (sample_site / "sitemap.xml").read_text(encoding="utf-8")
    assert all(f"<loc>{BASE}{url}</loc>" in sitemap for url in urls)
    for day in EDITIONS:
        assert (sample_site / f"epaper/{day}/01.svg").is_file() and (sample_site / f"epaper/{day}/01.pdf").is_file()
        assert not (sample_site / f"epaper/{day}/edition.yml").exists()     # the source is not published
    assert (sample_site / "epaper/feed.xml").is_file() and (sample_site / "epaper/feed.json").is_file()


def test_areas_are_links_at_the_articles_percentages(sample_site):
    placed = 0
    for url, meta in printed_articles().items():
        where = meta["print"]
        page_url = f"epaper/{where['edition']}/{where['page']}/"
        doc = page(sample_site, page_url)
        areas = {resolve(page_url, a["href"]): a for a in doc.select(".nr-epaper-scan a.nr-epaper-area")}
        area = areas[url]
        x, y, w, h = where["area"]
        assert area["style"] == f"left:{x}%;top:{y}%;width:{w}%;height:{h}%"
        assert area.get_text(strip=True) == meta["title"]       # the accessible name is the title
        assert (sample_site / url / "index.html").is_file()
        placed += 1
    assert placed == 11


def test_page_shows_image_articles_with_headlines_and_pdf(sample_site):
    doc = page(sample_site, "epaper/2021-12-28/1/")
    assert doc.select_one("h1").get_text(strip=True) == "《柯桥工人报》2021年12月28日 第1版 要闻"
    issue = doc.select_one(".nr-epaper-issue").get_text(" ", strip=True)
    assert "第318期" in issue and "2021年12月28日 星期二" in issue
    img = doc.select_one(".nr-epaper-scan img")
    assert img["src"] == "../01.svg" and img["width"] == "1000" and img["height"] == "1400"
    assert img["alt"] == "《柯桥工人报》2021年12月28日 第1版 要闻版面图"
    assert doc.select_one("a.nr-epaper-full")["href"] == "../01.svg"          # the full-size view
    assert doc.select_one("a.nr-epaper-pdf")["href"] == "../01.pdf"
    items = doc.select(".nr-epaper-articles li")
    assert [i.select_one(".nr-item-kicker").get_text() for i in items] == ["工会喊得响 职工记得住", "柯工益·守护家园"]
    assert [i.select_one("h3").get_text(strip=True) for i in items] == ["柯桥区总工会聚力构筑“柯工”品牌矩阵",
                                                                       "疫情防控一线闪耀“工会蓝”"]
    assert items[0].select_one(".nr-epaper-subtitle").get_text() == "五大品牌贯穿全年工作"
    assert not page(sample_site, "epaper/2021-12-28/2/").select("a.nr-epaper-pdf")     # page 2 has none


def test_edition_opens_on_its_first_page_with_the_page_list(sample_site):
    doc = page(sample_site, "epaper/2021-12-28/")
    assert doc.select_one("h1").get_text(strip=True) == "《柯桥工人报》2021年12月28日 第318期"
    pages = doc.select("nav.nr-epaper-pages a")
    assert [a.get_text(strip=True) for a in pages] == ["第1版 要闻", "第2版 工会"]
    assert [a["href"] for a in pages] == ["1/", "2/"]
    assert pages[0].get("aria-current") == "page"
    assert doc.select_one(".nr-epaper-scan img")["src"] == "01.svg"
    first = page(sample_site, "epaper/2021-12-28/1/")
    assert [a["style"] for a in doc.select("a.nr-epaper-area")] == [a["style"] for a in first.select("a.nr-epaper-area")]


def test_previous_and_next_page_and_edition(sample_site):
    doc = page(sample_site, "epaper/2021-12-28/1/")
    assert doc.select_one("a.nr-epaper-next-page")["href"] == "../2/"
    assert not doc.select("a.nr-epaper-prev-page") and not doc.select("a.nr-epaper-prev-edition")
    newer = doc.select_one("a.nr-epaper-next-edition")
    assert newer["href"] == "../../2022-01-18/" and "第321期" in newer.get_text()
    doc = page(sample_site, "epaper/2022-01-18/2/")
    assert doc.select_one("a.nr-epaper-prev-page")["href"] == "../1/"
    assert doc.select_one("a.nr-epaper-prev-edition")["href"] == "../../2021-12-28/"
    assert not doc.select("a.nr-epaper-next-page") and not doc.select("a.nr-epaper-next-edition")
    assert doc.select_one("a.nr-epaper-archive")["href"] == "../../#nr-epaper-calendar"


def test_index_shows_the_newest_edition_and_a_calendar_by_month(sample_site):
    doc = page(sample_site, "epaper/")
    assert "2022年1月18日" in doc.select_one(".nr-epaper-issue").get_text()
    assert doc.select_one(".nr-epaper-scan img")["src"] == "2022-01-18/01.svg"
    assert len(doc.select("a.nr-epaper-area")) == 3
    months = doc.select("#nr-epaper-calendar table.nr-epaper-month")
    assert [m.caption.get_text() for m in months] == ["2022年1月", "2021年12月"]
    links = [(a["href"], a["aria-label"], a.get_text()) for m in months for a in m.select("td a")]
    assert links == [("2022-01-18/", "2022年1月18日 第321期", "18"), ("2021-12-28/", "2021年12月28日 第318期", "28")]
    assert months[0].select_one("a[aria-current=date]")["href"] == "2022-01-18/"
    # A calendar is weeks from Monday: 2021-12-28 is a Tuesday.
    row = next(tr for tr in months[1].select("tbody tr") if tr.select("a"))
    assert [td.get_text(strip=True) for td in row.select("td")][:3] == ["27", "28", "29"]
    heads = [link["href"] for link in doc.select('link[rel="alternate"]')]
    assert BASE + "epaper/feed.xml" in heads


def test_article_cites_the_page_it_appeared_on(sample_site):
    for url, meta in printed_articles().items():
        where = meta["print"]
        line = page(sample_site, url).select_one("p.nr-printed")
        day = [int(x) for x in where["edition"].split("-")] if isinstance(where["edition"], str) else \
            [where["edition"].year, where["edition"].month, where["edition"].day]
        assert line.get_text(strip=True) == f"见报：《柯桥工人报》{day[0]}年{day[1]}月{day[2]}日 第{where['page']}版"
        assert resolve(url, line.a["href"]) == f"epaper/{where['edition']}/{where['page']}/"
    assert page(sample_site, "news/2021/09/huajian-jingsai/").select_one("p.nr-printed") is None
    ld = next(json.loads(s.string) for s in page(sample_site, "news/2021/12/kegong-brands/").select(
        'script[type="application/ld+json"]') if '"NewsArticle"' in s.string)
    assert (ld["printEdition"], ld["printPage"], ld["printSection"]) == ("《柯桥工人报》2021年12月28日 第318期", "1", "要闻")


# ---------------------------------------------------------------- feed, search

def test_feed_lists_each_edition_with_its_pages_and_articles(sample_site):
    feed = feedparser.parse((sample_site / "epaper/feed.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    assert feed.feed.title.startswith("《柯桥工人报》数字报")
    assert [e.title for e in feed.entries] == ["《柯桥工人报》2022年1月18日 第321期", "《柯桥工人报》2021年12月28日 第318期"]
    entry = feed.entries[1]
    assert entry.link == BASE + "epaper/2021-12-28/"
    assert [t.term for t in entry.tags] == ["要闻", "工会"]
    html = entry.content[0].value
    for n in (1, 2):
        assert f'href="{BASE}epaper/2021-12-28/{n}/"' in html
    for url, meta in printed_articles().items():
        if str(meta["print"]["edition"]) == "2021-12-28":
            assert f'href="{BASE}{url}"' in html and meta["title"] in html
    assert entry.enclosures[0].href == BASE + "epaper/2021-12-28/01.pdf"
    data = json.loads((sample_site / "epaper/feed.json").read_text(encoding="utf-8"))
    item = data["items"][1]
    assert item["_newsroom"]["number"] == 318
    assert [p["name"] for p in item["_newsroom"]["pages"]] == ["要闻", "工会"]


def test_edition_feed_is_a_declared_feed_the_preview_rewrites_only_when_an_edition_changes(tmp_path):
    """The editions' feed comes from the edition kind's ``site_feeds``, like every feed; the live
    preview's writer skips it while no edition changed, and rewrites it when one did."""
    import shutil

    from newsroom.content.graph import build_graph
    from newsroom.core.settings import Settings
    from newsroom.outputs.write import OutputMemo, write_all
    from newsroom.pages.kinds import site_feeds

    for folder in ("content", "brands"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    settings, memo, site = Settings(paper="柯桥工人报", site_url=BASE), OutputMemo(), tmp_path / "site"

    def save() -> set[str]:
        graph, _ = build_graph(tmp_path / "content", tmp_path / "brands", settings)
        declared = [f for f in site_feeds(graph) if f.ref.path == "epaper/feed.xml"]
        assert [(f.kind, [e.url for e in f.entries]) for f in declared] == [
            ("edition", ["epaper/2022-01-18/", "epaper/2021-12-28/"])]
        before = {p: p.stat().st_mtime_ns for p in site.rglob("feed.*")}
        write_all(graph, site, {}, memo)
        return {p.relative_to(site).as_posix() for p in site.rglob("feed.*") if before.get(p) != p.stat().st_mtime_ns}

    assert {"epaper/feed.xml", "epaper/feed.json", "feed.xml"} <= save()
    assert save() == set()
    yml = tmp_path / "content/epaper/2021-12-28/edition.yml"
    yml.write_text(yml.read_text(encoding="utf-8").replace("name: 工会", "name: 工会维权"), encoding="utf-8")
    assert save() == {"epaper/feed.xml", "epaper/feed.json"}
    assert "第2版 工会维权" in (site / "epaper/feed.xml").read_text(encoding="utf-8")


def test_newsboat_reads_the_epaper_feed(sample_site, site_server, tmp_path):
    from test_newsboat import _newsboat, _subscribe

    count, db = _subscribe(_newsboat(), tmp_path / "nb", [site_server + "epaper/feed.xml"])
    assert count == 2
    titles = {r[0] for r in db.execute("SELECT title FROM rss_item")}
    assert titles == {"《柯桥工人报》2022年1月18日 第321期", "《柯桥工人报》2021年12月28日 第318期"}


def test_search_records_carry_the_page_name_as_a_filter(sample_site):
    from newsroom.content.graph import build_graph
    from newsroom.core.settings import Settings
    from newsroom.search.shards import plan_shards

    graph, _ = build_graph(ROOT / "content", ROOT / "brands", Settings(paper="柯桥工人报"))
    records = {r.url: r for shard in plan_shards(graph) for r in shard.records}
    payload = records["news/2022/01/wencheng-geli-guanjia/"].payload(0, "nr2022", "x")
    assert payload["filters"]["ban"] == ["职工"] and payload["meta"]["ban"] == "职工"
    assert "ban" not in records["news/2021/09/huajian-jingsai/"].payload(0, "nr2021", "x")["filters"]
    options = [o["value"] for o in page(sample_site, "search/").select('select[name="ban"] option')]
    assert options == ["", "要闻", "工会", "职工"]


# ---------------------------------------------------------------- editors' mistakes

def _out(proc) -> str:
    return proc.stdout + proc.stderr


def _article(title: str, where: str = "", date: str = "2024-05-01 09:00") -> str:
    return f"---\ntitle: {title}\ndate: {date}\n{where}---\n正文。\n"


def _print(edition: str, page_no: int, area: str) -> str:
    return f"print:\n  edition: {edition}\n  page: {page_no}\n  area: {area}\n"


EDITION = """\
paper: 柯桥工人报
number: 400
date: {date}
pages:
  - page: 1
    name: 要闻
    image: 01.svg
  - page: 2
    name: 工会
    image: {image2}
"""


def _epaper_tree(root: Path, files: dict[str, str], image2: str = "02.svg") -> Path:
    write_tree(root, {"content/epaper/2024-05-01/edition.yml": EDITION.format(date="2024-05-01", image2=image2),
                      **files})
    svg = page_svg("柯桥工人报", __import__("datetime").date(2024, 5, 1), 400, 1, "要闻", [Block("标题")])
    for name in ("01.svg", "02.svg"):
        (root / "content/epaper/2024-05-01" / name).write_text(svg, encoding="utf-8")
    return root


MISTAKES = {
    "content/news/2024/no-edition.md": (_article("没有这一期", _print("2024-05-02", 1, "[0, 0, 10, 10]")), 5,
                                        "见报日期 2024-05-02 没有这一期报纸"),
    "content/news/2024/no-page.md": (_article("没有这一版", _print("2024-05-01", 5, "[0, 0, 10, 10]")), 6,
                                     "2024-05-01 这一期没有第5版"),
    "content/news/2024/outside.md": (_article("超出版面", _print("2024-05-01", 1, "[60, 10, 50, 20]")), 7,
                                     "区域 area 超出版面：x + 宽 = 110，超过 100"),
    "content/news/2024/negative.md": (_article("负数", _print("2024-05-01", 1, "[-5, 10, 50, 20]")), 7,
                                      "区域 area 超出版面：x = -5"),
    "content/news/2024/three-numbers.md": (_article("三个数", _print("2024-05-01", 1, "[5, 10, 50]")), 7,
                                           "区域 area 应是四个数字 [x, y, 宽, 高]"),
}


def test_each_print_mistake_is_reported_at_its_line(tmp_path):
    _epaper_tree(tmp_path, {path: text for path, (text, _, _) in MISTAKES.items()})
    proc = check_tree(tmp_path)
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0
    for path, (_, line, message) in MISTAKES.items():
        assert f"{path}:{line}: {message}" in out, (path, out)
    assert "Traceback" not in out


def test_overlapping_areas_are_a_warning_not_an_error(tmp_path):
    _epaper_tree(tmp_path, {
        "content/news/2024/a.md": _article("甲文", _print("2024-05-01", 1, "[5, 10, 50, 30]")),
        "content/news/2024/b.md": _article("乙文", _print("2024-05-01", 1, "[40, 30, 50, 30]"), "2024-05-01 10:00"),
    })
    proc = check_tree(tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert re.search(r"content/news/2024/b\.md:7: 警告：区域与《甲文》（\S*content/news/2024/a\.md）在版面上重叠", proc.stdout), \
        proc.stdout


def test_a_page_without_image_or_with_a_missing_one_is_reported(tmp_path):
    _epaper_tree(tmp_path, {}, image2="")
    out = _out(check_tree(tmp_path))
    assert "content/epaper/2024-05-01/edition.yml:10: 第2版没有版面图 image" in out, out
    other = tmp_path / "other"
    _epaper_tree(other, {}, image2="03.jpg")
    out = _out(check_tree(other))
    assert "content/epaper/2024-05-01/edition.yml:10: 第2版的版面图“03.jpg”不存在" in out, out


def test_two_editions_with_one_date_are_an_error(tmp_path):
    _epaper_tree(tmp_path, {"content/epaper/2024-05-01b/edition.yml": EDITION.format(date="2024-05-01",
                                                                                     image2="02.svg")})
    for name in ("01.svg", "02.svg"):
        (tmp_path / "content/epaper/2024-05-01b" / name).write_bytes(
            (tmp_path / "content/epaper/2024-05-01" / name).read_bytes())
    proc = check_tree(tmp_path)
    assert proc.returncode != 0
    out = _out(proc)
    assert re.search(r"content/epaper/2024-05-01b?/edition\.yml:3: 两期报纸的日期都是 2024-05-01"
                     r"（另一期是 \S*content/epaper/2024-05-01b?/edition\.yml）", out), out


def test_broken_edition_files_are_reported_at_their_line(tmp_path):
    write_tree(tmp_path, {"content/epaper/2024-05-01/edition.yml":
                          "paper: 柯桥工人报\nnumber: 第四百期x\ndate: 2024-5-1\npages:\n  - page: 1\n    name: 要闻\n"
                          "    image: 01.gif\n  - name: 工会\n    image: 02.svg\n",
                          "content/epaper/2024-06-01/edition.yml": "paper: [柯桥工人报\n"})
    out = _out(check_tree(tmp_path))
    assert "content/epaper/2024-05-01/edition.yml:2: 期号 number 应是数字" in out, out
    assert "content/epaper/2024-05-01/edition.yml:7: 第1版的版面图“01.gif”的类型不对" in out, out
    assert "content/epaper/2024-05-01/edition.yml:8: pages 的第 2 项缺少版次 page" in out, out
    assert "content/epaper/2024-06-01/edition.yml:1:" in out, out


def test_a_scan_behind_a_link_out_is_refused(tmp_path):
    _epaper_tree(tmp_path, {})
    secret = tmp_path / "secret.svg"
    secret.write_text((tmp_path / "content/epaper/2024-05-01/01.svg").read_text(encoding="utf-8"), encoding="utf-8")
    scan = tmp_path / "content/epaper/2024-05-01/02.svg"
    scan.unlink()
    scan.symlink_to(secret)
    out = _out(check_tree(tmp_path))
    assert "content/epaper/2024-05-01/edition.yml:10: 第2版的版面图“02.svg”不能使用" in out, out


def test_a_free_page_cannot_take_the_epaper_url(tmp_path):
    write_tree(tmp_path, {"content/pages/epaper.md": "---\ntitle: 数字报\n---\n正文。\n"})
    assert "与网站自动生成的 /epaper/ 页面冲突" in _out(check_tree(tmp_path))


# ---------------------------------------------------------------- newsroom new edition

def test_new_edition_writes_the_paper_and_the_next_number(tmp_path):
    _epaper_tree(tmp_path, {})
    proc = newsroom("new", "edition", "2024-05-08", "--content", str(tmp_path / "content"),
                    "--brands", str(tmp_path / "brands"))
    assert proc.returncode == 0, proc.stderr
    path = tmp_path / "content/epaper/2024-05-08/edition.yml"
    assert proc.stdout.strip() == f"已新建：{path}"
    meta = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert meta["paper"] == "柯桥工人报" and meta["number"] == 401 and str(meta["date"]) == "2024-05-08"
    # Until its scan is there, check says where to put it.
    out = _out(check_tree(tmp_path))
    assert "content/epaper/2024-05-08/edition.yml:8: 第1版的版面图“01.jpg”不存在" in out, out
    again = newsroom("new", "edition", "2024-05-08", "--content", str(tmp_path / "content"),
                     "--brands", str(tmp_path / "brands"))
    assert again.returncode != 0 and "已存在" in again.stderr
    bad = newsroom("new", "edition", "五月八日", "--content", str(tmp_path / "content"), "--brands", str(tmp_path / "brands"))
    assert bad.returncode != 0 and "newsroom new edition 2024-05-01" in bad.stderr


def test_menu_has_the_epaper_only_when_there_are_editions(sample_site, tmp_path):
    tabs = {a.get_text(strip=True): a["href"] for a in page(sample_site, "news/").select("nav.md-tabs a.md-tabs__link")}
    assert tabs["数字报"] == "../epaper/"
    # A site without editions has no /epaper/: the menu leaves it out, without a warning.
    root = write_tree(tmp_path, {"content/news/2024/a.md": _article("没有报纸的网站")})
    proc = build_tree(root)
    assert proc.returncode == 0, _out(proc)
    assert "菜单" not in _out(proc) and not (root / "site/epaper").exists()
    assert "数字报" not in [a.get_text(strip=True) for a in page(root / "site", "news/").select("nav.md-tabs a")]


@pytest.mark.parametrize("url", ["epaper/", "epaper/2022-01-18/1/"])
def test_links_on_epaper_pages_all_resolve(sample_site, url):
    doc = page(sample_site, url)
    for a in doc.select(".nr-epaper a[href]"):
        href = a["href"].split("#")[0]
        if not href or "://" in href:
            continue
        target = sample_site / urljoin(url, href)
        assert target.is_file() or (target / "index.html").is_file(), (url, a["href"])
