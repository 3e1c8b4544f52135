"""Topics (专题), the pinned front page (pinned_until) and reading on (prev/next in a column).

Real builds through the CLI, with the build's time pinned by NEWSROOM_NOW: the
sample site's three topics (content/topics/), its pin (2022/keqiao-kuaidi-shizhongli,
pinned until 2022-07-25 18:00), and small trees for each editor's mistake.
"""
from __future__ import annotations

import json
from urllib.parse import urljoin
from pathlib import Path

import pytest
from conftest import ENV, build_tree, check_tree, newsroom, page, write_tree

# The summer of 2022: 送清凉 (2022-06-01 .. 2022-09-30) is running, the pin holds.
SUMMER = "2022-07-20 12:00"
# Later: 送清凉 is 往期, the pin has passed.
LATER = "2022-12-31 12:00"
KUAIDI = "news/2022/07/keqiao-kuaidi-shizhongli/"


def _build_sample(tmp: Path, now: str) -> Path:
    site = tmp / "site"
    env_before = ENV.get("NEWSROOM_NOW")
    ENV["NEWSROOM_NOW"] = now
    try:
        newsroom("build", "-q", "--no-reuse", "--site-dir", str(site), check=True)
    finally:
        if env_before is None:
            ENV.pop("NEWSROOM_NOW")
        else:
            ENV["NEWSROOM_NOW"] = env_before
    return site


@pytest.fixture(scope="module")
def summer(tmp_path_factory) -> Path:
    return _build_sample(tmp_path_factory.mktemp("summer"), SUMMER)


@pytest.fixture(scope="module")
def later(tmp_path_factory) -> Path:
    return _build_sample(tmp_path_factory.mktemp("later"), LATER)


def _titles(section) -> list[str]:
    return [a.get_text(strip=True) for a in section.select(".nr-item-title a")]


def _hrefs(section) -> list[str]:
    return [a["href"] for a in section.select(".nr-item-title a")]


# ------------------------------------------------------------------ topic pages

def test_every_topic_url_is_built(summer):
    for url in ("topics/", "topics/songqingliang/", "topics/jineng-bisai/", "topics/liaoxiuyang/"):
        assert (summer / url / "index.html").is_file(), url
    sitemap = (summer / "sitemap.xml").read_text(encoding="utf-8")
    assert "/topics/songqingliang/" in sitemap and "/topics/</loc>" in sitemap


def test_topic_page_has_banner_introduction_and_sections_in_order(summer):
    doc = page(summer, "topics/jineng-bisai/")
    topic = doc.select_one("article.nr-topic")
    assert topic.select_one("h1").get_text(strip=True) == "劳动竞赛·技能比武"
    banner = topic.select_one(".nr-topic-banner img")
    assert banner["src"].endswith("images/topics/jineng-bisai.svg") and banner["alt"] == "劳动竞赛·技能比武"
    assert banner.get("width") == "1200"
    assert (summer / "images/topics/jineng-bisai.svg").is_file()
    assert "老传统" in topic.select_one(".nr-topic-intro").get_text()
    sections = topic.select(".nr-topic-section")
    assert [s.h2.get_text(strip=True) for s in sections] == ["赛场动态", "产业工人队伍建设改革"]
    # Named articles: in the order written, not by date.
    assert _hrefs(sections[1])[:2] == ["../../news/2022/03/keqiao-chan-gai/",
                                       "../../news/2019/09/yongkang-jiangren-xinxiu/"]


def test_tagged_section_lists_its_articles_newest_first(summer):
    section = page(summer, "topics/jineng-bisai/").select(".nr-topic-section")[0]
    dates = [t["datetime"] for t in section.select("time")]
    assert dates == sorted(dates, reverse=True) and len(dates) == 7
    # Every published article tagged 技能竞赛, and no draft (draft-kegong-sai-2023).
    assert all("draft-kegong-sai-2023" not in h for h in _hrefs(section))
    assert "../../news/2021/09/huajian-jingsai/" in _hrefs(section)


def test_section_with_articles_and_tags_lists_the_named_first_without_repeats(summer):
    section = page(summer, "topics/songqingliang/").select(".nr-topic-section")[1]
    hrefs = _hrefs(section)
    assert hrefs[0] == "../../news/2022/07/keqiao-kuaidi-shizhongli/"
    assert len(hrefs) == len(set(hrefs)) >= 2


def test_topics_index_lists_active_first_then_past_by_build_time(summer, later):
    def groups(site):
        doc = page(site, "topics/")
        return {s.h2.get_text(strip=True): [a.get_text(strip=True) for a in s.select(".nr-topic-card-title")]
                for s in doc.select(".nr-topics-page section")}

    assert groups(summer) == {"正在进行": ["2022年“工会送清凉”专题", "劳动竞赛·技能比武", "职工疗休养"]}
    assert groups(later) == {"正在进行": ["劳动竞赛·技能比武", "职工疗休养"], "往期专题": ["2022年“工会送清凉”专题"]}
    headings = [h.get_text(strip=True) for h in page(later, "topics/").select(".nr-topics-page h2")]
    assert headings == ["正在进行", "往期专题"]
    assert "往期" in page(later, "topics/songqingliang/").select_one(".nr-topic-dates").get_text()


def test_end_date_lasts_the_whole_day(tmp_path):
    last_evening = _build_sample(tmp_path / "a", "2022-09-30 23:30")
    doc = page(last_evening, "topics/")
    assert [h.get_text(strip=True) for h in doc.select(".nr-topics-page h2")] == ["正在进行"]


def test_topic_before_its_start_is_not_published(tmp_path):
    site = _build_sample(tmp_path, "2021-08-01 12:00")
    assert (site / "topics/liaoxiuyang/index.html").is_file()
    assert not (site / "topics/jineng-bisai").exists()
    assert not (site / "topics/songqingliang").exists()


def test_home_shows_active_topics_only(summer, later):
    def home_topics(site):
        return [a.get_text(strip=True) for a in page(site, "").select(".nr-home-topics .nr-topic-card-title")]

    assert home_topics(summer) == ["2022年“工会送清凉”专题", "劳动竞赛·技能比武", "职工疗休养"]
    assert home_topics(later) == ["劳动竞赛·技能比武", "职工疗休养"]
    more = page(later, "").select_one(".nr-home-topics a.nr-more")
    assert more["href"] == "topics/"


def test_article_links_to_its_topics(summer):
    doc = page(summer, KUAIDI)
    links = [(a.get_text(strip=True), a["href"]) for a in doc.select(".nr-article-topics a")]
    assert links == [("2022年“工会送清凉”专题", "../../../../topics/songqingliang/")]
    both = page(summer, "news/2021/12/kegong-brands/")
    assert {a.get_text(strip=True) for a in both.select(".nr-article-topics a")} == {"劳动竞赛·技能比武", "职工疗休养"}
    # An article in no topic has no such block.
    assert page(summer, "news/2020/02/jiaxing-anxin-fanjia/").select(".nr-article-topics") == []


# ------------------------------------------------------------------ reading on

def test_prev_and_next_follow_the_column_in_time(later):
    # 基层动态 in 2022: 疗休养 in June, 交友基地 in October; 上一篇 is the earlier one.
    doc = page(later, "news/2022/06/songyang-huzhou-liaoxiuyang/")
    nav = doc.select_one("nav.nr-prev-next")
    assert nav is not None and "基层动态" in nav["aria-label"]
    prev, nxt = nav.select_one("a.nr-prev"), nav.select_one("a.nr-next")
    assert prev["rel"] == ["prev"] and nxt["rel"] == ["next"]
    here = "news/2022/06/songyang-huzhou-liaoxiuyang/"
    assert urljoin(here, nxt["href"]) == "news/2022/10/kegong-yuan-jiaoyou-jidi/"
    prev_doc = page(later, urljoin(here, prev["href"]))
    assert prev_doc.select_one("a.nr-next")["href"].endswith("songyang-huzhou-liaoxiuyang/")
    assert prev_doc.select_one(".nr-column").get_text(strip=True) == "基层动态"
    assert prev_doc.select_one("time.nr-date")["datetime"] < doc.select_one("time.nr-date")["datetime"]


def test_prev_next_in_a_tree(tmp_path, monkeypatch):
    monkeypatch.setitem(ENV, "NEWSROOM_NOW", "2024-12-01 12:00")
    root = write_tree(tmp_path, {
        "content/news/2024/a.md": "---\ntitle: 甲\ndate: 2024-01-01\ncolumn: 工运速递\n---\n正文。\n",
        "content/news/2024/b.md": "---\ntitle: 乙\ndate: 2024-02-01\ncolumn: 基层动态\n---\n正文。\n",
        "content/news/2024/c.md": "---\ntitle: 丙\ndate: 2024-03-01\ncolumn: 工运速递\n---\n正文。\n",
        "content/news/2024/d.md": "---\ntitle: 丁\ndate: 2024-04-01\n---\n正文。\n",
    })
    proc = build_tree(root)
    assert proc.returncode == 0, proc.stderr
    site = root / "site"

    def around(url):
        nav = page(site, url).select_one("nav.nr-prev-next")
        if nav is None:
            return None, None
        return tuple((a.get_text(strip=True)[3:] if a else None)
                     for a in (nav.select_one("a.nr-prev"), nav.select_one("a.nr-next")))

    assert around("news/2024/01/a/") == (None, "丙")
    assert around("news/2024/03/c/") == ("甲", None)
    assert around("news/2024/02/b/") == (None, None)      # alone in its column
    assert around("news/2024/04/d/") == (None, None)      # no column


# ------------------------------------------------------------------ pinned leads

def test_pinned_article_leads_until_its_time_then_drops(summer, later):
    lead = page(summer, "").select_one(".nr-lead a.nr-lead-link")
    assert lead["href"] == KUAIDI
    assert page(later, "").select_one(".nr-lead a.nr-lead-link")["href"] != KUAIDI


def _pin_tree(tmp_path: Path) -> Path:
    def art(slug, day, pin=""):
        pinned = f"pinned_until: {pin}\n" if pin else ""
        return (f"content/news/2024/{slug}.md",
                f"---\ntitle: 文章{slug}\ndate: 2024-06-{day:02d} 09:00\n{pinned}---\n正文{slug}。\n")

    return write_tree(tmp_path, dict([
        art("a", 1, "2024-07-01 18:00"), art("b", 2, "2024-06-25"), art("c", 3, "2024-07-01 18:00"),
        art("d", 4, "2024-06-20"), art("e", 5), art("f", 6, "2024-06-10"),
    ]))


def test_several_pins_in_order_longest_first_then_newest(tmp_path, monkeypatch):
    root = _pin_tree(tmp_path)
    monkeypatch.setitem(ENV, "NEWSROOM_NOW", "2024-06-15 12:00")
    proc = build_tree(root)
    assert proc.returncode == 0, proc.stderr
    home = page(root / "site", "")
    assert home.select_one(".nr-lead a.nr-lead-link")["href"] == "news/2024/06/c/"
    assert [a["href"] for a in home.select(".nr-focus a")] == ["news/2024/06/a/", "news/2024/06/b/"]
    # The fourth pin (d) waits for a slot; f's pin has passed: both are in the latest list.
    latest = [a["href"] for a in home.select(".nr-latest .nr-item-title a")]
    assert latest == ["news/2024/06/f/", "news/2024/06/e/", "news/2024/06/d/"]


def test_pins_expire_at_the_next_build(tmp_path, monkeypatch):
    root = _pin_tree(tmp_path)
    monkeypatch.setitem(ENV, "NEWSROOM_NOW", "2024-06-30 12:00")
    assert build_tree(root).returncode == 0
    home = page(root / "site", "")
    assert home.select_one(".nr-lead a.nr-lead-link")["href"] == "news/2024/06/c/"
    assert [a["href"] for a in home.select(".nr-focus a")] == ["news/2024/06/a/"]
    monkeypatch.setitem(ENV, "NEWSROOM_NOW", "2024-07-02 12:00")
    assert build_tree(root).returncode == 0
    home = page(root / "site", "")
    assert home.select(".nr-focus") == []
    assert home.select_one(".nr-lead a.nr-lead-link")["href"] == "news/2024/06/f/"   # the newest again


def test_check_tells_how_long_each_pin_has_left_and_stays_clean(tmp_path, monkeypatch):
    root = _pin_tree(tmp_path)
    monkeypatch.setitem(ENV, "NEWSROOM_NOW", "2024-06-15 12:00")
    proc = check_tree(root)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].endswith("content/news/2024/c.md:4: 提示：置顶到 2024-07-01 18:00，还剩 16 天 6 小时（首页焦点第 1 位）")
    assert [line.split("content/news/2024/")[1][0] for line in lines[:4]] == ["c", "a", "b", "d"]
    assert lines[3].endswith("content/news/2024/d.md:4: 提示：置顶到 2024-06-20 00:00，还剩 4 天 12 小时"
                             "（焦点位置已满（最多 3 篇），暂不显示）")
    assert lines[-1] == "内容检查通过，没有发现问题。"
    assert not any("f.md" in line for line in lines)
    data = json.loads(check_tree(root, "--format", "json").stdout)
    assert data["ok"] and len(data["pins"]) == 4


def test_sample_check_is_clean_once_its_pin_has_passed():
    proc = newsroom("check")
    assert proc.returncode == 0 and proc.stdout.strip() == "内容检查通过，没有发现问题。"


# ------------------------------------------------------------------ editors' mistakes

GOOD_ARTICLE = {"content/news/2024/a.md": "---\ntitle: 送清凉进工地\ndate: 2024-06-10 09:00\ntags: [送清凉]\n---\n正文。\n"}


def _check_topic(tmp_path: Path, text: str, extra: dict | None = None) -> str:
    root = write_tree(tmp_path, {**GOOD_ARTICLE, "content/topics/qingliang.md": text, **(extra or {})})
    proc = check_tree(root)
    assert proc.returncode == 1, proc.stdout
    assert "Traceback" not in proc.stderr
    return proc.stderr


def test_section_naming_a_missing_article_is_reported_at_its_line(tmp_path):
    out = _check_topic(tmp_path, "---\ntitle: 送清凉\nstart: 2024-06-01\nsections:\n  - title: 一线\n"
                                 "    articles: [2024/b]\n---\n导语。\n")
    assert "content/topics/qingliang.md:6: 子栏目“一线”列出的文章“2024/b”不存在（找不到 content/news/2024/b.md）" in out
    assert "是不是 2024/a？" in out


def test_end_before_start_is_reported_at_the_end_line(tmp_path):
    out = _check_topic(tmp_path, "---\ntitle: 送清凉\nstart: 2024-06-01\nend: 2024-05-01\nsections:\n"
                                 "  - title: 动态\n    tags: [送清凉]\n---\n导语。\n")
    assert "content/topics/qingliang.md:4: “end”（结束日期） 2024-05-01 早于“start”（开始日期） 2024-06-01" in out


def test_section_without_tags_or_articles_is_reported(tmp_path):
    out = _check_topic(tmp_path, "---\ntitle: 送清凉\nstart: 2024-06-01\nsections:\n  - title: 动态\n"
                                 "  - title: 一线\n    tags: [送清凉]\n---\n导语。\n")
    assert "content/topics/qingliang.md:5: 子栏目“动态”既没有 tags 也没有 articles" in out


def test_missing_banner_is_reported_at_its_line(tmp_path):
    out = _check_topic(tmp_path, "---\ntitle: 送清凉\nstart: 2024-06-01\nbanner: images/topics/nope.svg\n"
                                 "sections:\n  - title: 动态\n    tags: [送清凉]\n---\n导语。\n")
    line = next(l for l in out.splitlines() if "content/topics/qingliang.md:4:" in l)
    assert "专题横幅" in line and "images/topics/nope.svg" in line


def test_missing_start_and_bad_id_are_reported(tmp_path):
    out = _check_topic(tmp_path, "---\ntitle: 送清凉\n---\n导语。\n",
                       {"content/topics/送清凉.md": "---\ntitle: 送清凉\nstart: 2024-06-01\n---\n导语。\n"})
    assert "content/topics/qingliang.md:1: 专题缺少必填字段“start”（开始日期）" in out
    assert "content/topics/送清凉.md:1: 文件名“送清凉”不能用作专题的网址" in out and "song-qing-liang.md" in out


def test_a_free_page_cannot_take_the_topics_url(tmp_path):
    root = write_tree(tmp_path, {**GOOD_ARTICLE, "content/pages/topics.md": "---\ntitle: 专题\n---\n正文。\n"})
    proc = check_tree(root)
    assert proc.returncode == 1 and "/topics/" in proc.stderr


# ------------------------------------------------------------------ newsroom new topic

def test_new_topic_writes_a_skeleton_from_the_schema(tmp_path):
    root = write_tree(tmp_path, GOOD_ARTICLE)
    proc = newsroom("new", "topic", "工会送清凉", "--content", str(root / "content"), "--brands", str(root / "brands"),
                    "--date", "2024-06-01")
    assert proc.returncode == 0, proc.stderr
    path = root / "content/topics/gong-hui-song-qing-liang.md"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\ntitle: 工会送清凉\nstart: 2024-06-01\nend:")
    assert "sections:" in text and "  - title: 活动动态" in text
    # The skeleton asks for its section's tags: check says so, at the section's line.
    proc = check_tree(root)
    assert "子栏目“活动动态”既没有 tags 也没有 articles" in proc.stderr
    path.write_text(text.replace("    tags: []", "    tags: [送清凉]"), encoding="utf-8")
    assert check_tree(root).returncode == 0
    again = newsroom("new", "topic", "工会送清凉", "--content", str(root / "content"), "--brands", str(root / "brands"))
    assert again.returncode != 0 and "已存在" in again.stderr


def test_topic_fields_are_known_to_check(tmp_path):
    root = write_tree(tmp_path, {**GOOD_ARTICLE, "content/topics/qingliang.md":
                                 "---\ntitle: 送清凉\nstart: 2024-06-01\nend: 2024-09-30\nsummary: 一句话\n"
                                 "sections:\n  - title: 动态\n    tags: [送清凉]\n---\n导语。\n"})
    proc = check_tree(root)
    assert proc.returncode == 0 and proc.stdout.strip() == "内容检查通过，没有发现问题。", proc.stdout + proc.stderr
