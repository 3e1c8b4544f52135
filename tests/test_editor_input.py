"""What an editor actually types in their first week (issue 16), through the real CLI:
headlines that open with a quote, a `#` in a title, a YAML error beside other
mistakes, `check --fix`, a Chinese command line, an image name in the wrong case.
"""
from __future__ import annotations

import os
import stat
import subprocess

import pytest

from conftest import ENV, NEWSROOM, build_tree, check_tree, newsroom, page
from test_errors import article, expect, problem_lines, run_check, tree

A = "content/news/2021/a.md"


def built_title(root) -> str:
    return page(root / "site", "news/2021/12/a/").select_one("h1.nr-title").get_text(strip=True)


# ------------------------------------------------------------------ 1. quoted headlines

@pytest.mark.parametrize("line, title, fixed", [
    ('title: "娘家人"送温暖到工地', '"娘家人"送温暖到工地', "title: '\"娘家人\"送温暖到工地'"),
    ("title: '柯工'品牌", "'柯工'品牌", "title: \"'柯工'品牌\""),
    ("title: [通知]关于开展送清凉活动的通知", "[通知]关于开展送清凉活动的通知",
     "title: '[通知]关于开展送清凉活动的通知'"),
])
def test_headline_opening_with_a_quote_is_published_whole(tmp_path, line, title, fixed):
    root = tree(tmp_path, {A: article(f"{line}\ndate: 2021-12-28")})
    warned = expect(root, A, 2, "已把冒号后的整行作为文字", fixed, warning=True)
    assert "无法解析" not in warned and "缩进" not in warned
    proc = build_tree(root)
    assert proc.returncode == 0, proc.stderr
    assert built_title(root) == title


def test_the_suggested_line_reads_the_same_and_is_clean(tmp_path):
    fixed = "title: '\"娘家人\"送温暖到工地'"
    root = tree(tmp_path, {A: article(f"{fixed}\ndate: 2021-12-28")})
    assert problem_lines(run_check(root)) == []
    assert build_tree(root).returncode == 0
    assert built_title(root) == '"娘家人"送温暖到工地'


def test_kicker_and_brand_name_opening_with_a_quote(tmp_path):
    root = tree(tmp_path, {
        A: article('kicker: "娘家人"在身边\ntitle: 送清凉\ndate: 2021-12-28'),
        "brands/niang-jia.md": article('name: "娘家人"服务队'),
    })
    expect(root, A, 2, "“kicker”以英文双引号开头", warning=True)
    expect(root, "brands/niang-jia.md", 2, "“name”以英文双引号开头", warning=True)


def test_unclosed_quote_is_still_an_error(tmp_path):
    root = tree(tmp_path, {A: article('title: "娘家人送温暖\ndate: 2021-12-28')})
    expect(root, A, 2, "引号或括号没有闭合")


# ------------------------------------------------------------------ 2. `#` in a title

def test_hashtag_in_title_warns_with_the_line_that_keeps_it(tmp_path):
    root = tree(tmp_path, {A: article("title: 送清凉 #柯工暖 专场\ndate: 2021-12-28")})
    expect(root, A, 2, "“#柯工暖 专场”被当作注释", "title: '送清凉 #柯工暖 专场'", warning=True)


def test_template_comments_are_not_warned(tmp_path):
    root = tree(tmp_path, {A: article("title: 送清凉   # 必填：主题\ndate: 2021-12-28  # 时间\n"
                                      "kicker: 工会喊得响 # 引题")})
    assert problem_lines(run_check(root)) == []


# ------------------------------------------------------------------ 3. every problem, even with a YAML error

def test_yaml_error_does_not_hide_the_files_other_problems(tmp_path):
    root = tree(tmp_path, {A: article(
        "title: 工会: 新闻\ndate: 2021-12-28\nbrands: [柯工寨]\nfeatured: maybe\nreporters: [羊荣江")})
    proc = run_check(root)
    assert proc.returncode == 1
    found = "\n".join(problem_lines(proc))
    for line, text in ((2, "此处不能出现冒号"), (4, "找不到品牌“柯工寨”"),
                       (5, "featured"), (6, "方括号没有闭合")):
        assert f"{A}:{line}: " in found and text in found, found
    assert "缺少必填字段" not in found       # the set-aside title still counts as written


def test_a_file_with_a_yaml_error_publishes_nothing(tmp_path):
    root = tree(tmp_path, {A: article("title: 工会: 新闻\ndate: 2021-12-28")})
    proc = build_tree(root)
    assert proc.returncode == 1
    assert not (root / "site").exists()


def test_colon_message_gives_the_line_once(tmp_path):
    root = tree(tmp_path, {A: article("title: 工会: 新闻\ndate: 2021-12-28")})
    line = expect(root, A, 2, "此处不能出现冒号", "title: '工会: 新闻'")
    assert line.count("括起来") == 1 and line.count("（") == 1, line


# ------------------------------------------------------------------ 12. an image name in the wrong case

def test_lead_image_in_the_wrong_case_gets_the_real_name(tmp_path):
    from conftest import png

    root = tree(tmp_path, {
        A: article("title: 送清凉\ndate: 2021-12-28\nimage: Images/2021/SongQingLiang.JPG",
                   "![送清凉](../../images/2021/SongQingLiang.JPG)\n"),
        "content/workers/wang.md": article("name: 王师傅\nphoto: images/2021/SongQingLiang.JPG"),
        "content/images/2021/songqingliang.jpg": png(4, 3),
    })
    lead = expect(root, A, 4, "题图“Images/2021/SongQingLiang.JPG”不存在")
    assert "是不是 images/2021/songqingliang.jpg？" in lead
    body = expect(root, A, 6, "正文图片")
    assert "是不是 ../../images/2021/songqingliang.jpg？" in body      # the same suggestion
    photo = expect(root, "content/workers/wang.md", 3, "照片")
    assert "是不是 images/2021/songqingliang.jpg？" in photo


# ------------------------------------------------------------------ 11. the command line in Chinese

ARGPARSE_ENGLISH = ("usage:", "error:", "show this help", "the following arguments", "unrecognized",
                    "invalid choice", "expected one argument", "options:", "positional arguments")


def cli(*args: str):
    proc = newsroom(*args)
    out = proc.stdout + proc.stderr
    assert "Traceback" not in out
    for english in ARGPARSE_ENGLISH:
        assert english not in out, out
    return proc, out


@pytest.mark.parametrize("args, said", [
    (("build", "--site-dri", "x"), "不认识的参数：--site-dri x（是不是 --site-dir？）"),
    (("biuld",), "命令“biuld”无效，可选：build、serve、check、new、desk（是不是 build？）"),
    (("new",), "缺少参数：类型、标题"),
    (("new", "articel", "送清凉"), "参数 类型 的值“articel”无效，可选：article、brand、worker、topic、notice（是不是 article？）"),
    (("check", "--format", "xml"), "参数 --format 的值“xml”无效"),
    (("build", "--site-dir"), "参数 --site-dir 后面要写一个值"),
])
def test_command_line_mistakes_are_said_in_chinese(args, said):
    proc, out = cli(*args)
    assert proc.returncode == 2
    assert said in proc.stderr, proc.stderr
    assert proc.stderr.startswith("用法：newsroom"), proc.stderr


@pytest.mark.parametrize("args", [("-h",), ("check", "-h"), ("build", "--help"), ("new", "-h")])
def test_help_is_chinese(args):
    proc, out = cli(*args)
    assert proc.returncode == 0
    assert out.startswith("用法：newsroom")
    assert "-h, --help            显示这份帮助" in out
    assert "选项" in out


# ------------------------------------------------------------------ check --fix

BODY = "正文 title：这里的中文冒号不改\r\n\r\n\t- 正文里的 Tab 也不改  \r\n"
MESSY = ("\ufeff---\r\ntitle：\"娘家人\"送温暖到工地\r\ndate:2021-12-28\r\nsubtitle:\u3000副题\r\n"
         "brands: [柯工赛]\r\nworkers:\r\n\t- 叶金龙\r\ntags:\r\n\u3000- 志愿服务\r\n---\r\n" + BODY)
FIXED = ("\ufeff---\r\ntitle: '\"娘家人\"送温暖到工地'\r\ndate: 2021-12-28\r\nsubtitle: 副题\r\n"
         "brands: [ke-gong-sai]\r\nworkers:\r\n  - ye-jinlong\r\ntags:\r\n  - 志愿服务\r\n---\r\n" + BODY)


def fix_tree(root, *extra: str):
    proc = check_tree(root, "--fix", *extra)
    assert "Traceback" not in proc.stdout + proc.stderr
    return proc


def test_fix_rewrites_the_mechanical_mistakes_and_never_the_body(tmp_path):
    root = tree(tmp_path, {A: MESSY.encode("utf-8")})
    before = run_check(root)
    assert before.returncode == 1
    proc = fix_tree(root)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    data = (root / A).read_bytes()
    assert data.decode("utf-8") == FIXED
    assert data.endswith(BODY.encode("utf-8")) and data.count(b"\r\n") == MESSY.count("\r\n")
    removed = [ln for ln in proc.stdout.splitlines() if ln.startswith("-") and not ln.startswith("---")]
    added = [ln for ln in proc.stdout.splitlines() if ln.startswith("+") and not ln.startswith("+++")]
    assert "-title：\"娘家人\"送温暖到工地" in removed and "+title: '\"娘家人\"送温暖到工地'" in added
    assert "+brands: [ke-gong-sai]" in added and "+  - ye-jinlong" in added
    assert not any("正文" in ln for ln in removed + added)
    assert problem_lines(run_check(root)) == []
    assert build_tree(root).returncode == 0
    assert built_title(root) == '"娘家人"送温暖到工地'


def test_fix_twice_changes_nothing_the_second_time(tmp_path):
    root = tree(tmp_path, {A: MESSY.encode("utf-8")})
    fix_tree(root)
    after_first = {p: p.read_bytes() for p in root.rglob("*.md")}
    proc = fix_tree(root)
    assert "没有可以自动修改的地方" in proc.stdout
    assert "@@" not in proc.stdout
    assert {p: p.read_bytes() for p in root.rglob("*.md")} == after_first


def test_fix_leaves_a_file_it_cannot_fix_as_it_is(tmp_path):
    broken = "---\ntitle：\"娘家人送温暖到工地\ndate:2021-12-28\n---\n正文。\n"
    root = tree(tmp_path, {A: broken})
    proc = fix_tree(root)
    assert proc.returncode == 1
    assert (root / A).read_text(encoding="utf-8") == broken
    assert f"{A}:2: " in proc.stderr


def test_fix_keeps_ambiguous_names_and_ids(tmp_path):
    text = "---\ntitle: 标题\ndate: 2021-12-28\nworkers: [王芳]\nbrands: ke-gong-sai\n---\n正文。\n"
    root = tree(tmp_path, {
        A: text,
        "content/workers/wang-fang.md": article("name: 王芳"),
        "content/workers/wang-fang-2.md": article("name: 王芳"),
    })
    fix_tree(root)
    assert (root / A).read_text(encoding="utf-8") == text


def _fix_with_timeout(root):
    """`check --fix` that fails instead of hanging when it opens a FIFO."""
    proc = subprocess.run([NEWSROOM, "check", "--fix", "--content", str(root / "content"),
                           "--brands", str(root / "brands")], env=ENV, capture_output=True, text=True, timeout=120)
    assert "Traceback" not in proc.stdout + proc.stderr
    return proc


def test_fix_skips_fifos_and_never_reads_or_rewrites_a_link_out(tmp_path):
    """--fix walks what the build walks: a FIFO named x.md is never opened (it would block),
    and a link out is never read, printed in a diff, or replaced by a copy of its target."""
    secret = "NR-FIX-SECRET-81c2"
    outside = tmp_path / "outside.md"
    outside.write_text(f"---\ntitle：内部通报 {secret}\ndate: 2023-01-01\n---\n{secret}\n", encoding="utf-8")
    root = tree(tmp_path, {})
    news = root / "content" / "news" / "2021"
    os.mkfifo(news / "pipe.md")
    (news / "notice.md").symlink_to(outside)
    proc = _fix_with_timeout(root)
    assert proc.returncode == 1
    assert "content/news/2021/notice.md:1: 这是指向网站目录之外" in proc.stderr
    assert secret not in proc.stdout + proc.stderr
    assert (news / "notice.md").is_symlink() and outside.read_text(encoding="utf-8").startswith("---\ntitle：")
    assert stat.S_ISFIFO(os.lstat(news / "pipe.md").st_mode)


MULTI_LINE_TITLE = '---\ntitle: "会议强调\\"娘家人\\"服务\nsummary: 要做实"\ndate: 2021-12-28\n---\n正文。\n'
BLOCK_SUMMARY = ("---\ntitle: 热线开通\ndate: 2021-12-28\nsummary: |\n  咨询热线\n  tel:0575-84000000\n"
                 "  AI：人工智能问答\n---\n正文。\n")


@pytest.mark.parametrize("text", [MULTI_LINE_TITLE, BLOCK_SUMMARY], ids=["multi-line-quoted", "block-scalar"])
def test_fix_never_changes_front_matter_that_was_valid(tmp_path, text):
    root = tree(tmp_path, {A: text})
    before = run_check(root)
    proc = _fix_with_timeout(root)
    assert (root / A).read_text(encoding="utf-8") == text
    assert "news/2021/a.md" not in proc.stdout           # no diff shown for it
    assert problem_lines(run_check(root)) == problem_lines(before)


def test_fix_of_a_broken_field_leaves_a_block_scalar_as_it_was(tmp_path):
    """The full-width colon after `title` is fixed; `tel:` and `AI：` inside the block are text."""
    root = tree(tmp_path, {A: BLOCK_SUMMARY.replace("title: 热线开通", "title：热线开通")})
    proc = _fix_with_timeout(root)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (root / A).read_text(encoding="utf-8") == BLOCK_SUMMARY
