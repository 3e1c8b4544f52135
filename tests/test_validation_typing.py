"""Typing on a Chinese keyboard, through the real CLI: full-width colons, spaces and
brackets, Chinese commas in lists, lists indented wrongly, a missing closing ---.

Each mistake is reported at its own line, names the character to fix, and never
publishes wrong data (``［羊荣江`` as a reporter, one tag for three).
"""
from __future__ import annotations

import pytest

from conftest import build_tree
from test_errors import expect, run_check, tree

A = "content/news/2021/kegong-brands.md"
# The GOOD article of test_errors with the fields this file edits, one per line:
# line 2 title, 3 date, 4 subtitle, 5 reporters, 6 correspondents, 7 tags, 8 ---.
FRONT = [
    "title: 柯桥区总工会聚力构筑“柯工”品牌矩阵",
    "date: 2021-12-28 09:30",
    "subtitle: 五大品牌贯穿全年工作",
    "reporters: [羊荣江]",
    "correspondents: [曹张明, 谢灿]",
    "tags: [志愿服务, 疫情防控]",
]
BODY = "年初的全区工会工作会议上，柯桥区总工会提出要打造“工会喊得响、职工记得住”的五大品牌。\n\n一年过去。\n"


def with_line(line: int, text: str, body: str = BODY) -> str:
    """The article with file line ``line`` (2 = first field) replaced by ``text``."""
    front = list(FRONT)
    front[line - 2] = text
    return "---\n" + "\n".join(front) + "\n---\n" + body


def check_a(tmp_path, text: str):
    return tree(tmp_path, {A: text}, with_good=False)


def test_the_unchanged_article_is_clean(tmp_path):
    assert run_check(check_a(tmp_path, with_line(4, FRONT[2]))).returncode == 0


# ------------------------------------------------------------------ colons and spaces

@pytest.mark.parametrize("text, fragment", [
    ("subtitle：五大品牌贯穿全年工作", "“subtitle”后面是中文冒号“：”"),
    ("subtitle： 五大品牌贯穿全年工作", "“subtitle”后面是中文冒号“：”"),
    ("subtitle:五大品牌贯穿全年工作", "“subtitle:”后面缺少空格"),
    ("subtitle:\u3000五大品牌贯穿全年工作", "“subtitle:”后面是全角空格“\u3000”"),
])
def test_colon_mistakes_at_their_own_line(tmp_path, text, fragment):
    root = check_a(tmp_path, with_line(4, text))
    line = expect(root, A, 4, "YAML 头信息无法解析", fragment)
    assert "subtitle: …" in line                  # the hint shows what to write
    assert f"{A}:5: " not in run_check(root).stderr


def test_full_width_colon_on_the_first_line(tmp_path):
    root = check_a(tmp_path, with_line(2, "title：柯桥区总工会聚力构筑“柯工”品牌矩阵"))
    expect(root, A, 2, "“title”后面是中文冒号“：”")


def test_only_field_with_full_width_colon(tmp_path):
    root = check_a(tmp_path, "---\ntitle：关于我们\n---\n正文。\n")
    expect(root, A, 2, "“title”后面是中文冒号“：”")


def test_full_width_space_before_a_field(tmp_path):
    root = check_a(tmp_path, with_line(6, "\u3000correspondents: [曹张明, 谢灿]"))
    expect(root, A, 6, "字段名“correspondents”前后有全角空格“\u3000”", "缩进只能用半角空格")


def test_full_width_space_indenting_a_list_item(tmp_path):
    root = check_a(tmp_path, with_line(5, "reporters:\n  - 羊荣江\n\u3000- 张三"))
    expect(root, A, 7, "行首有全角空格“\u3000”", "删掉行首的全角空格")


def test_missing_closing_fence_with_a_rule_in_the_body(tmp_path):
    text = "---\n" + "\n".join(FRONT) + "\n" + BODY + "\n---\n\n更多内容。\n"
    root = check_a(tmp_path, text)
    line = expect(root, A, 8, "YAML 头信息没有结束", "缺少第二个 --- 行")
    assert "缺少冒号" not in line


def test_missing_closing_fence_before_a_heading(tmp_path):
    text = "---\n" + "\n".join(FRONT) + "\n## 五个品牌\n\n" + BODY + "\n---\n"
    expect(check_a(tmp_path, text), A, 8, "YAML 头信息没有结束")


# ------------------------------------------------------------------ libyaml's own wording

def test_colon_inside_a_value(tmp_path):
    """libyaml says "mapping values are not allowed in this context", PyYAML "...here"."""
    root = check_a(tmp_path, with_line(4, "subtitle: 五大品牌: 贯穿全年工作"))
    expect(root, A, 4, "YAML 头信息无法解析：此处不能出现冒号", "引号")


def test_list_dash_on_the_field_line(tmp_path):
    root = check_a(tmp_path, with_line(5, "reporters: - 羊荣江"))
    expect(root, A, 5, "列表的“- ”不能写在字段名的同一行")


# ------------------------------------------------------------------ Chinese punctuation in lists

def test_full_width_brackets(tmp_path):
    root = check_a(tmp_path, with_line(5, "reporters: ［羊荣江，张三］"))
    expect(root, A, 5, "“reporters”（记者）用了全角方括号“［ ］”", "reporters: [羊荣江, 张三]")


@pytest.mark.parametrize("text, fragment", [
    ("tags: [志愿服务，疫情防控]", "里有中文逗号“，”"),
    ("tags: [志愿服务、疫情防控]", "里有顿号“、”"),
])
def test_chinese_comma_inside_brackets(tmp_path, text, fragment):
    root = check_a(tmp_path, with_line(7, text))
    expect(root, A, 7, "“tags”（标签）的一项“志愿服务", fragment, "tags: [志愿服务, 疫情防控]")


def test_chinese_comma_in_a_block_list_at_the_items_line(tmp_path):
    root = check_a(tmp_path, with_line(7, "tags:\n  - 技能竞赛\n  - 志愿服务，疫情防控"))
    expect(root, A, 9, "里有中文逗号“，”")


def test_words_separated_by_spaces_are_a_warning(tmp_path):
    root = check_a(tmp_path, with_line(7, "tags: 志愿服务 疫情防控 技能竞赛"))
    expect(root, A, 7, "“志愿服务 疫情防控 技能竞赛”中间有空格，将作为一项",
           "tags: [志愿服务, 疫情防控, 技能竞赛]", warning=True)
    assert run_check(root).returncode == 0        # may be meant: the build goes on


def test_chinese_list_in_one_string_still_works(tmp_path):
    root = check_a(tmp_path, with_line(7, "tags: 志愿服务、疫情防控"))
    assert run_check(root).returncode == 0
    proc = build_tree(root)
    assert proc.returncode == 0, proc.stderr
    assert (root / "site/tags/志愿服务/index.html").is_file()
    assert (root / "site/tags/疫情防控/index.html").is_file()


@pytest.mark.parametrize("text, line", [
    ("reporters: 羊荣江\n  - 张三", 5),
    ("reporters:\n  羊荣江\n  - 张三", 5),
    ("reporters:\n- 羊荣江\n  - 张三", 6),
])
def test_list_indented_wrongly(tmp_path, text, line):
    root = check_a(tmp_path, with_line(5, text))
    expect(root, A, line, "列表缩进不对，几项被连成了一项“羊荣江 - 张三”", "reporters: [羊荣江, 张三]")


def test_list_errors_publish_nothing(tmp_path):
    root = check_a(tmp_path, with_line(5, "reporters: ［羊荣江，张三］"))
    proc = build_tree(root)
    assert proc.returncode == 1
    assert f"{A}:5: " in proc.stderr
    assert not (root / "site").exists()

