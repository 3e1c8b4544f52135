"""Editors' mistakes, through the real CLI: every one caught, in Chinese, at path:line.

Each case writes a small content tree, runs `newsroom check` (and `build` where
it matters) and asserts on the message, the line, the exit code, and that no
Python traceback ever reaches an editor.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from pathlib import Path

import pytest

from conftest import ROOT, build_tree, check_tree, newsroom, page, write_tree

BRAND = """\
---
name: 柯工赛
slogan: 以赛促训，以赛育匠
---
柯桥区职工技能竞赛品牌。
"""
WORKER = """\
---
name: 叶金龙
honors: [全国劳动模范]
---
高级技师。
"""
GOOD = """\
---
title: 柯桥区总工会聚力构筑“柯工”品牌矩阵
date: 2021-12-28 09:30
reporters: [羊荣江]
brands: [ke-gong-sai]
workers: [叶金龙]
---
年初的全区工会工作会议上，柯桥区总工会提出要打造五大品牌。
"""


def article(front: str, body: str = "正文第一段。\n") -> str:
    return f"---\n{front.strip()}\n---\n{body}"


def tree(tmp_path: Path, files: dict[str, str], *, with_good: bool = True) -> Path:
    base = {"brands/ke-gong-sai.md": BRAND, "content/workers/ye-jinlong.md": WORKER}
    if with_good:
        base["content/news/2021/kegong-brands.md"] = GOOD
    root = write_tree(tmp_path, base)
    for rel, text in files.items():          # raw: byte-exact (tabs, CRLF, BOM)
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
    return root


def run_check(root: Path, *extra: str):
    proc = check_tree(root, *extra)
    assert "Traceback" not in proc.stderr + proc.stdout, proc.stderr
    return proc


def problem_lines(proc) -> list[str]:
    return [ln for ln in (proc.stdout + proc.stderr).splitlines() if re.search(r"\.md:\d+: ", ln)]


def expect(root: Path, rel: str, line: int, *texts: str, warning: bool = False) -> str:
    """Run check; exactly the expected problem must be reported for `rel` at `line`."""
    proc = run_check(root)
    found = [ln for ln in problem_lines(proc) if f"{rel}:{line}: " in ln and all(t in ln for t in texts)]
    assert found, f"no '{rel}:{line}: {texts}' in:\n{proc.stdout}{proc.stderr}"
    if warning:
        assert "警告" in found[0]
    else:
        assert proc.returncode == 1, proc.stdout + proc.stderr
        assert "警告" not in found[0]
    return found[0]


# ------------------------------------------------------------------ the good tree

def test_good_tree_is_clean(tmp_path):
    root = tree(tmp_path, {})
    proc = run_check(root)
    assert proc.returncode == 0, proc.stderr
    assert "错误" not in proc.stdout + proc.stderr


def test_sample_site_has_no_errors():
    proc = newsroom("check", "--format", "json")
    assert "Traceback" not in proc.stderr
    data = json.loads(proc.stdout)
    assert data["errors"] == 0, data
    assert proc.returncode == 0


def test_sample_site_checks_clean_as_editors_md_promises():
    """A fresh clone's `newsroom check` says 内容检查通过: no fixture's warning in the sample."""
    proc = newsroom("check")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.strip() == "内容检查通过，没有发现问题。", proc.stdout
    assert "警告" not in proc.stdout + proc.stderr


# ------------------------------------------------------------------ YAML

def test_unreadable_yaml_at_yamls_own_line(tmp_path):
    root = tree(tmp_path, {"content/news/2021/bad.md": article(
        'title: 工会: 新闻\ndate: 2021-12-28\nkicker: 引题')})
    expect(root, "content/news/2021/bad.md", 2, "YAML 头信息无法解析", "冒号")


def test_unclosed_quote_reported_where_it_opens(tmp_path):
    root = tree(tmp_path, {"content/news/2021/bad.md": article(
        'date: 2021-12-28\ntitle: "没有闭合的引号\nkicker: 引题')})
    expect(root, "content/news/2021/bad.md", 3, "引号")


def test_tab_indentation(tmp_path):
    root = tree(tmp_path, {"content/news/2021/tab.md": article(
        "title: 标题\ndate: 2021-12-28\ntags:\n\t- 志愿服务")})
    line = expect(root, "content/news/2021/tab.md", 5, "Tab")
    assert "空格" in line


def test_bom_is_accepted(tmp_path):
    root = tree(tmp_path, {"content/news/2021/bom.md":
                           "\ufeff" + article("title: 有 BOM 的文件\ndate: 2021-12-28")})
    proc = run_check(root)
    assert proc.returncode == 0, proc.stderr


def test_crlf_line_endings_keep_line_numbers(tmp_path):
    text = article("title: Windows 文件\ndate: 2021-12-28\nimage: images/missing.jpg")
    root = tree(tmp_path, {"content/news/2021/crlf.md": text.replace("\n", "\r\n").encode()})
    expect(root, "content/news/2021/crlf.md", 4, "题图", "images/missing.jpg", "不存在")


def test_missing_front_matter(tmp_path):
    root = tree(tmp_path, {"content/news/2021/plain.md": "只有正文，没有头信息。\n"})
    expect(root, "content/news/2021/plain.md", 1, "缺少 YAML 头信息")


def test_unclosed_front_matter(tmp_path):
    root = tree(tmp_path, {"content/news/2021/open.md": "---\ntitle: 标题\ndate: 2021-12-28\n正文\n"})
    expect(root, "content/news/2021/open.md", 1, "没有结束")


def test_duplicate_key_is_a_warning(tmp_path):
    root = tree(tmp_path, {"content/news/2021/dup.md": article(
        "title: 第一\ndate: 2021-12-28\ntitle: 第二")})
    expect(root, "content/news/2021/dup.md", 4, "“title”写了两次", "第 2 行", warning=True)


# ------------------------------------------------------------------ fields

def test_missing_required_fields(tmp_path):
    root = tree(tmp_path, {"content/news/2021/notitle.md": article("date: 2021-12-28"),
                           "brands/noname.md": article("slogan: 口号"),
                           "content/workers/noname.md": article("occupation: 技师")})
    expect(root, "content/news/2021/notitle.md", 1, "缺少必填字段“title”", "标题")
    expect(root, "brands/noname.md", 1, "缺少必填字段“name”")
    expect(root, "content/workers/noname.md", 1, "缺少必填字段“name”")


def test_blank_title_is_missing(tmp_path):
    root = tree(tmp_path, {"content/news/2021/blank.md": article('title: "  "\ndate: 2021-12-28')})
    expect(root, "content/news/2021/blank.md", 2, "缺少必填字段“title”")


def test_unknown_field_is_a_warning_with_suggestion(tmp_path):
    root = tree(tmp_path, {"content/news/2021/rep.md": article(
        "title: 标题\ndate: 2021-12-28\nreporter: 羊荣江\ncolunm: 工运速递")})
    expect(root, "content/news/2021/rep.md", 4, "未知字段“reporter”", "是不是“reporters”", warning=True)
    expect(root, "content/news/2021/rep.md", 5, "未知字段“colunm”", "是不是“column”", warning=True)
    assert run_check(root).returncode == 0      # warnings alone never fail


def test_yaml_list_where_text_expected(tmp_path):
    root = tree(tmp_path, {"content/news/2021/list.md": article(
        "title: [柯桥, 工会]\ndate: 2021-12-28\nkicker:\n  - 引题")})
    expect(root, "content/news/2021/list.md", 2, "“title”", "应是一段文字")
    expect(root, "content/news/2021/list.md", 4, "“kicker”", "应是一段文字")


@pytest.mark.parametrize("value", ["是的", "maybe", "[true]"])
def test_featured_not_a_boolean(tmp_path, value):
    root = tree(tmp_path, {"content/news/2021/feat.md": article(
        f"title: 标题\ndate: 2021-12-28\nfeatured: {value}")})
    line = expect(root, "content/news/2021/feat.md", 4, "“featured”（头条）只能是 true 或 false")
    assert "featured: true" in line


@pytest.mark.parametrize("value", ["是", "否", "yes", "True", "false"])
def test_featured_accepts_chinese_and_english(tmp_path, value):
    root = tree(tmp_path, {"content/news/2021/feat.md": article(
        f"title: 标题\ndate: 2021-12-28\nfeatured: {value}")})
    assert run_check(root).returncode == 0


def test_bad_brand_year_and_honor_year(tmp_path):
    root = tree(tmp_path, {"brands/ke-gong-yi.md": article("name: 柯工益\nsince: 去年"),
                           "content/workers/shen.md": article(
                               "name: 沈建华\nhonors:\n  - {title: 浙江工匠, year: 二〇二一}")})
    expect(root, "brands/ke-gong-yi.md", 3, "四位年份")
    expect(root, "content/workers/shen.md", 4, "浙江工匠", "四位数字")      # the year's own line


# ------------------------------------------------------------------ dates

@pytest.mark.parametrize("value, reason", [
    ("2021-02-30", "2021 年 2 月没有 30 日"),
    ("2021-13-01", "没有 13 月"),
    ("明天", "无法识别的日期“明天”"),
    ("2021-12-28 25:00", "小时应在 0–23 之间"),
    ("0021-12-28", "年份"),
    ("[2021-12-28]", "不能是列表"),
])
def test_bad_dates(tmp_path, value, reason):
    root = tree(tmp_path, {"content/news/2021/d.md": article(f"title: 标题\ndate: {value}")})
    line = expect(root, "content/news/2021/d.md", 3, "发布时间", reason)
    assert "2021-12-28 09:30" in line     # the accepted formats are listed


def test_bad_updated_date(tmp_path):
    root = tree(tmp_path, {"content/news/2021/u.md": article(
        "title: 标题\ndate: 2021-12-28\nupdated: 2022-02-29")})
    expect(root, "content/news/2021/u.md", 4, "更新时间", "2022 年 2 月没有 29 日")


def test_a_date_years_ahead_warns_and_stays_unpublished(tmp_path):
    """The fixture the sample content used to carry (content/news/2031/future-test.md), here."""
    year = dt.date.today().year + 5
    rel = f"content/news/{year}/future-test.md"
    root = tree(tmp_path, {rel: article(f"title: 【未来测试】新年献词\ndate: {year}-01-01 09:00")})
    line = expect(root, rel, 3, f"发布时间 {year}-01-01 在一年以后", "请检查年份是否打错", warning=True)
    assert f"{rel}:3: 警告：" in line
    proc = build_tree(root)
    assert proc.returncode == 0, proc.stderr
    assert f"{rel}:3: 警告" in proc.stderr
    assert not any("未来测试" in p.read_text(encoding="utf-8") for p in (root / "site").rglob("*.html"))


BEIJING_0930 = ["2021-12-28 09:30", "2021/12/28 9:30", "2021年12月28日 09:30", "2021年12月28日 9时30分",
                "2021-12-28T09:30:00+08:00", "2021-12-28T01:30:00Z"]


def test_date_with_time_means_beijing_time(tmp_path):
    """`date: 2021-12-28 09:30` builds (no type error) and is 09:30 +08:00: no 8-hour shift."""
    files = {f"content/news/2021/t{i}.md": article(f"title: 时间{i}\ndate: {value}")
             for i, value in enumerate(BEIJING_0930)}
    root = tree(tmp_path, files)
    proc = build_tree(root)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    for i, value in enumerate(BEIJING_0930):
        html = page(root / "site", f"news/2021/12/t{i}/")
        stamps = {t["datetime"] for t in html.find_all("time") if t.get("datetime")}
        assert "2021-12-28T09:30:00+08:00" in stamps, (value, stamps)


# ------------------------------------------------------------------ references

def test_unknown_brand_and_worker_with_closest_match(tmp_path):
    root = tree(tmp_path, {"content/news/2021/ref.md": article(
        "title: 标题\ndate: 2021-12-28\nbrands: [柯工寨]\nworkers: [叶金隆, ye-jinlon]")})
    expect(root, "content/news/2021/ref.md", 4, "找不到品牌“柯工寨”", "是不是“柯工赛”")
    expect(root, "content/news/2021/ref.md", 5, "找不到劳模工匠“叶金隆”", "是不是“叶金龙”")
    expect(root, "content/news/2021/ref.md", 5, "找不到劳模工匠“ye-jinlon”", "是不是“ye-jinlong”")


def test_ambiguous_worker_name(tmp_path):
    root = tree(tmp_path, {"content/workers/ye-jinlong-2.md": WORKER,
                           "content/news/2021/amb.md": article(
                               "title: 标题\ndate: 2021-12-28\nworkers: 叶金龙")})
    expect(root, "content/news/2021/amb.md", 4, "对应多个条目", "ye-jinlong-2")


# ------------------------------------------------------------------ duplicates and ids

def test_two_articles_same_month_and_slug(tmp_path):
    root = tree(tmp_path, {"content/news/2021/a/kegong-brands.md": article(
        "title: 另一篇\ndate: 2021-12-01")})
    line = expect(root, "content/news/2021/a/kegong-brands.md", 3, "/news/2021/12/kegong-brands/", "重复")
    assert "content/news/2021/kegong-brands.md" in line


def test_slug_equal_to_another_articles(tmp_path):
    root = tree(tmp_path, {"content/news/2021/other.md": article(
        "title: 另一篇\ndate: 2021-12-30\nslug: kegong-brands")})
    expect(root, "content/news/2021/other.md", 4, "/news/2021/12/kegong-brands/", "重复",
           "content/news/2021/kegong-brands.md")


def test_same_slug_in_other_month_is_fine(tmp_path):
    root = tree(tmp_path, {"content/news/2022/kegong-brands.md": article("title: 次年\ndate: 2022-01-03")})
    assert run_check(root).returncode == 0


def test_two_brands_with_same_name(tmp_path):
    root = tree(tmp_path, {"brands/ke-gong-sai-2.md": BRAND})
    expect(root, "brands/ke-gong-sai.md", 2, "品牌名称“柯工赛”", "重复", "ke-gong-sai-2.md")


@pytest.mark.parametrize("rel, fixed", [
    ("brands/柯工益.md", "ke-gong-yi.md"),
    ("content/workers/叶金龙.md", "ye-jin-long.md"),
    ("content/news/2021/柯工益.md", "ke-gong-yi.md"),
    ("content/news/2021/Kegong Brands.md", "kegong-brands.md"),
])
def test_non_ascii_ids_suggest_pinyin(tmp_path, rel, fixed):
    text = article("name: 柯工益" if not rel.startswith("content/news") else "title: 标题\ndate: 2021-11-01")
    root = tree(tmp_path, {rel: text})
    line = expect(root, rel, 1, "只能用小写英文字母、数字和 -")
    assert fixed in line


def test_bad_slug_field(tmp_path):
    root = tree(tmp_path, {"content/news/2021/s.md": article("title: 标题\ndate: 2021-12-28\nslug: 柯工 品牌")})
    expect(root, "content/news/2021/s.md", 4, "slug", "ke-gong-pin-pai")


def test_markdown_outside_known_folders(tmp_path):
    root = tree(tmp_path, {"content/index.md": article("title: 首页")})
    expect(root, "content/index.md", 1, "不在 news/、workers/、pages/、topics/ 或 notices/ 中", "content/pages/")


# ------------------------------------------------------------------ images, body, links

def test_missing_images(tmp_path):
    root = tree(tmp_path, {
        "content/news/2021/img.md": article("title: 标题\ndate: 2021-12-28\nimage: images/2021/nope.jpg"),
        "content/workers/chen.md": article("name: 陈新\nphoto: images/workers/chen.jpg"),
        "brands/ke-gong-yi.md": article("name: 柯工益\nlogo: brands/img/ke-gong-yi.svg"),
    })
    expect(root, "content/news/2021/img.md", 4, "题图“images/2021/nope.jpg”不存在", "content/images/2021/nope.jpg")
    expect(root, "content/workers/chen.md", 3, "照片“images/workers/chen.jpg”不存在")
    expect(root, "brands/ke-gong-yi.md", 3, "品牌标志“brands/img/ke-gong-yi.svg”不存在")


def test_image_outside_site_and_external(tmp_path):
    root = tree(tmp_path, {"content/news/2021/img.md": article(
        "title: 标题\ndate: 2021-12-28\nimage: ../../etc/passwd"),
        "content/news/2021/ext.md": article("title: 标题\ndate: 2021-12-28\nimage: https://x.cn/a.jpg")})
    expect(root, "content/news/2021/img.md", 4, "不在网站目录中")
    expect(root, "content/news/2021/ext.md", 4, "外部网址")


def test_empty_body(tmp_path):
    root = tree(tmp_path, {"content/news/2021/empty.md": "---\ntitle: 标题\ndate: 2021-12-28\n---\n\n  \n"})
    expect(root, "content/news/2021/empty.md", 5, "文章正文为空")


def test_broken_link_reported_at_body_line(tmp_path):
    body = "第一段。\n\n详见[品牌矩阵](kegong-brand.md)，以及[另一篇](../2020/nothing-here.md)。\n"
    root = tree(tmp_path, {"content/news/2021/links.md": article("title: 标题\ndate: 2021-12-29", body)})
    line = expect(root, "content/news/2021/links.md", 7, "链接“kegong-brand.md”指向的文章不存在")
    assert "kegong-brands.md" in line
    expect(root, "content/news/2021/links.md", 7, "链接“../2020/nothing-here.md”")


def test_good_links_and_links_in_code_are_fine(tmp_path):
    body = ("见[矩阵](kegong-brands.md#top)、[劳模](../../workers/ye-jinlong.md)和"
            "[外链](https://example.cn/a.md)。\n\n```\n[示例](not-checked.md)\n```\n")
    root = tree(tmp_path, {"content/news/2021/ok.md": article("title: 标题\ndate: 2021-12-29", body)})
    proc = run_check(root)
    assert proc.returncode == 0, proc.stderr


def test_link_to_draft(tmp_path):
    root = tree(tmp_path, {
        "content/news/2021/draft.md": article("title: 草稿\ndate: 2021-12-20\ndraft: true"),
        "content/news/2021/links.md": article("title: 标题\ndate: 2021-12-29", "见[草稿](draft.md)。\n"),
    })
    expect(root, "content/news/2021/links.md", 5, "草稿或尚未到发布时间")


# ------------------------------------------------------------------ all at once

def test_every_problem_in_one_run(tmp_path):
    root = tree(tmp_path, {
        "content/news/2021/a.md": article("title: 甲\ndate: 2021-02-30"),
        "content/news/2021/b.md": article("title: 乙\ndate: 2021-12-28\nbrands: 柯工寨"),
        "content/news/2021/c.md": article('title: "丙\ndate: 2021-12-28'),
        "content/workers/d.md": article("name: 丁\nphoto: nope.jpg"),
    })
    for command in (check_tree, build_tree):
        proc = command(root)
        assert "Traceback" not in proc.stderr
        assert proc.returncode == 1
        out = proc.stdout + proc.stderr
        for where in ("a.md:3: ", "b.md:4: ", "c.md:2: ", "d.md:3: "):
            assert where in out, out
        assert "共 4 个错误" in out


def test_build_error_report_is_chinese(tmp_path):
    root = tree(tmp_path, {"content/news/2021/a.md": article("title: 甲\ndate: 明天")})
    proc = build_tree(root)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert "a.md:3: “date”（发布时间）" in proc.stderr
    assert "保持原样" in proc.stderr


# ------------------------------------------------------------------ JSON

def test_check_json(tmp_path):
    root = tree(tmp_path, {"content/news/2021/a.md": article("title: 甲\ndate: 2021-13-01\nreporter: 乙")})
    proc = run_check(root, "--format", "json")
    assert proc.returncode == 1
    data = json.loads(proc.stdout)
    assert data["ok"] is False and data["errors"] == 1 and data["warnings"] >= 1
    by_line = {p["line"]: p for p in data["problems"] if p["path"].endswith("content/news/2021/a.md")}
    assert set(by_line[3]) == {"path", "line", "message", "hint", "level"}
    assert by_line[3]["level"] == "error" and "没有 13 月" in by_line[3]["message"]
    assert "2021-12-28" in by_line[3]["hint"]
    assert by_line[4]["level"] == "warning" and "reporters" in by_line[4]["hint"]


def test_check_json_clean(tmp_path):
    root = tree(tmp_path, {})
    proc = run_check(root, "--format", "json")
    assert proc.returncode == 0
    data = json.loads(proc.stdout)
    assert data["ok"] is True and data["errors"] == 0
    assert all(p["level"] == "warning" for p in data["problems"])


# ------------------------------------------------------------------ the published site is untouched

def tree_hash(site: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(p for p in site.rglob("*")):
        rel = path.relative_to(site).as_posix()
        h.update(rel.encode() + b"\0")
        if path.is_file():
            h.update(path.read_bytes())
        h.update(b"\1")
    return h.hexdigest()


def test_failed_build_leaves_published_site_byte_for_byte(tmp_path):
    root = tree(tmp_path, {})
    first = build_tree(root)
    assert first.returncode == 0, first.stderr
    site = root / "site"
    before = tree_hash(site)
    assert (site / "index.html").is_file()

    (root / "content/news/2021/kegong-brands.md").write_text(GOOD.replace("2021-12-28 09:30", "2021-02-30"),
                                                              encoding="utf-8")
    (root / "content/news/2021/new.md").write_text(article("title: 新文章\ndate: 2021-12-30"), encoding="utf-8")
    proc = build_tree(root)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert tree_hash(site) == before
    leftovers = [p.name for p in site.parent.iterdir() if p.name.startswith(".site.")]
    assert leftovers == []          # no staging folder left behind


def test_mkdocs_failure_mid_build_leaves_site_untouched(tmp_path):
    """Content passes `check`, but the theme breaks while MkDocs renders pages."""
    root = tree(tmp_path, {})
    config = (ROOT / "site_config.yml").read_text(encoding="utf-8")
    theme = tmp_path / "theme"
    theme.mkdir()
    (theme / "article.html").write_text("{% extends 'main.html' %}{% block content %}"
                                        "{{ page.meta.nonexistent.boom() }}{% endblock %}", encoding="utf-8")
    broken = config.replace("custom_dir: theme", f"custom_dir: {ROOT / 'theme'}")
    (tmp_path / "good.yml").write_text(broken, encoding="utf-8")
    good = build_tree(root, "-f", str(tmp_path / "good.yml"))
    assert good.returncode == 0, good.stderr
    site = root / "site"
    before = tree_hash(site)

    broken = config.replace("custom_dir: theme", f"custom_dir: {theme}")
    (tmp_path / "broken.yml").write_text(broken, encoding="utf-8")
    proc = build_tree(root, "-f", str(tmp_path / "broken.yml"))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    assert "网站生成失败" in proc.stderr and "保持原样" in proc.stderr
    assert tree_hash(site) == before
    assert [p.name for p in site.parent.iterdir() if p.name.startswith(".site.")] == []


def test_first_failed_build_creates_nothing(tmp_path):
    root = tree(tmp_path, {"content/news/2021/a.md": article("title: 甲\ndate: 明天")})
    proc = build_tree(root)
    assert proc.returncode == 1
    assert not (root / "site").exists()


# ------------------------------------------------------------------ command problems

def test_missing_content_folder_is_chinese(tmp_path):
    proc = newsroom("check", "--content", str(tmp_path / "nope"))
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert "找不到文章目录" in proc.stderr


def test_unreadable_encoding(tmp_path):
    root = tree(tmp_path, {"content/news/2021/gbk.md": article("title: 标题\ndate: 2021-12-28").encode("gbk")})
    expect(root, "content/news/2021/gbk.md", 1, "UTF-8")


def test_rebuild_replaces_the_site_and_removes_the_old_copy(tmp_path):
    """The old site is moved aside and deleted by a detached process after the swap."""
    import time

    root = tree(tmp_path, {})
    assert build_tree(root).returncode == 0
    site = root / "site"
    (root / "content/news/2021/new.md").write_text(article("title: 新增的文章\ndate: 2021-12-30"),
                                                   encoding="utf-8")
    proc = build_tree(root)
    assert proc.returncode == 0, proc.stderr
    assert "新增的文章" in (site / "news/index.html").read_text(encoding="utf-8")
    deadline = time.monotonic() + 30
    while [p for p in site.parent.iterdir() if p.name.startswith(".site.")] and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [p.name for p in site.parent.iterdir() if p.name.startswith(".site.")] == []
