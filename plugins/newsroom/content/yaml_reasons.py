"""libyaml's errors in Chinese: what is wrong, and how to fix it, said once each."""
from __future__ import annotations

import re

import yaml

from .yaml_lines import TEXT_KEYS, reads_alone, yaml_quote

HINT = "检查这一行的冒号、引号和缩进"
_QUOTE_HINT = "值里有英文冒号时，请用引号把整个值括起来，例如 title: \"专访: 叶金龙\""

# needle in libyaml's (or PyYAML's) message -> (the reason, its hint; "" for HINT).
_REASONS = {
    # PyYAML's pure-Python loader says "...allowed here", libyaml "...allowed in this context".
    "mapping values are not allowed": ("此处不能出现冒号", _QUOTE_HINT),
    "block sequence entries are not allowed": ("列表的“- ”不能写在字段名的同一行",
                                               "每项另起一行，以“- ”开头并缩进两个空格"),
    "could not find expected ':'": ("缺少冒号", ""),
    "found character '\\t' that cannot start any token": ("不能使用 Tab 缩进", "把 Tab 改成空格"),
    "found undefined alias": ("引用了未定义的别名", ""),
    "did not find expected key": ("缩进不一致或缺少字段名", ""),
    "found unexpected end of stream": ("引号或括号没有闭合", "补上右引号或右括号"),
    "did not find expected ',' or ']'": ("列表的方括号没有闭合或缺少逗号", "补上 ] 或用半角逗号分隔各项"),
    "did not find expected ',' or '}'": ("花括号没有闭合或缺少逗号", "补上 } 或用半角逗号分隔各项"),
    "found duplicate anchor": ("重复的锚点", ""),
    "expected <block end>, but found": ("缩进不一致", "同一层的字段缩进要相同"),
    "while scanning a quoted scalar": ("引号没有闭合", "补上右引号"),
    "found unknown escape character": ("双引号里的反斜杠 \\ 后面的字符无效", "请写成 \\\\ 或改用单引号"),
    "special characters are not allowed": ("含有不可见的特殊字符", "删除后重新输入这一行"),
    "found unhashable key": ("字段名不能是列表或字段组", ""),
    "while scanning an alias": ("值不能以 * 开头", "请用引号把整个值括起来"),
    "while scanning an anchor": ("值不能以 & 开头", "请用引号把整个值括起来"),
    "found character that cannot start any token": ("这一行开头的字符不能直接使用", "请用引号把整个值括起来"),
    "while scanning a block scalar": ("以 | 或 > 开头的多行文字格式不对", ""),
    "while parsing a block mapping": ("缩进不一致或缺少冒号", ""),
    "while scanning a simple key": ("缺少冒号", ""),
    "while parsing a flow": ("方括号或花括号没有闭合", "补上 ] 或 }"),
}


def yaml_reason(exc: yaml.MarkedYAMLError, line_text: str) -> tuple[str, str]:
    """(reason, hint) for a YAML error on ``line_text``; a colon in a text value gets
    the exact line to write instead of general advice."""
    raw = " ".join(filter(None, [exc.context, exc.problem]))
    for needle, (reason, hint) in _REASONS.items():
        if needle in raw:
            if needle == "mapping values are not allowed":
                hint = _quoted_line(line_text) or hint
            return reason, hint or HINT
    return "格式不正确", HINT


def _quoted_line(line_text: str) -> str:
    key, colon, value = line_text.partition(": ")
    value = value.strip()
    if not colon or key not in TEXT_KEYS or not value or value[0] in "\"'":
        return ""
    fixed = f"{key}: {yaml_quote(value)}"
    return f"值里有英文冒号，请用引号把整个值括起来：{fixed}" if reads_alone(fixed) else ""


# `subtitle：…`, `subtitle:五大…`, `- title:…`: a field name, then a colon of some kind.
_KEY_START = re.compile(r"^(?P<indent> *)(?P<dash>- +)?(?P<key>[A-Za-z_][A-Za-z0-9_-]{0,40}|[\u3400-\u9fff]{1,6})"
                        r"[ \t]*(?P<colon>[:：])(?P<after>.?)")


# Markdown that cannot be front matter: the body has started.
_BODY_START = ("|", ">", "!", "<", "*", "```")


def typing_mistake(yaml_text: str, last: int | None) -> tuple[int, str, str] | None:
    """The first line up to ``last`` with a mistake a Chinese keyboard makes: a full-width
    colon or space, no space after the colon, or the body where a field was expected
    (the closing --- is missing and a --- further down the body was taken for it).

    Only called once YAML failed: files that parse pay nothing for it.
    """
    after_blank = False
    heading = 0          # first line of the run of `#` lines just before: the body may start there
    for number, line in enumerate(yaml_text.split("\n"), start=2):
        if last is not None and number > last:
            break
        stripped = line.strip(" \t")
        if not stripped or stripped.startswith("#"):   # a heading and a comment look alike: skip both
            after_blank = after_blank or not stripped
            heading = heading or (number if line.startswith("#") else 0)
            continue
        found = _line_mistake(line, stripped, after_blank)
        if found:
            where = heading if found[0].startswith(NO_END) and heading else number
            return (where, *found)
        after_blank, heading = False, 0
    return None


def _line_mistake(line: str, stripped: str, after_blank: bool) -> tuple[str, str] | None:
    if stripped.startswith("\u3000"):
        return (f"{UNREADABLE}行首有全角空格“　”", "删掉行首的全角空格：缩进只能用半角空格")
    m = _KEY_START.match(line)
    # A Chinese word and a colon after a blank line is a sentence of the body, not a field.
    if m and (m["key"].isascii() or not (m["indent"] or m["dash"] or after_blank)):
        return _colon_mistake(m["key"], m["colon"], m["after"])
    if line[:1] in (" ", "-", "[", "{", "\"", "'"):
        return None
    if ":" not in line and (after_blank or line.startswith(_BODY_START) or len(line) >= 20):
        return (f"{NO_END}这一行已是正文，前面缺少第二个 --- 行",
                "在头信息最后一个字段之后、这一行之前加一行 ---")
    return None


def _colon_mistake(key: str, colon: str, after: str) -> tuple[str, str] | None:
    if colon == "：":
        return (f"{UNREADABLE}“{key}”后面是中文冒号“：”", f"把“：”改成英文冒号加一个空格，写成 {key}: …")
    if after == "\u3000":
        return (f"{UNREADABLE}“{key}:”后面是全角空格“　”", f"把冒号后的全角空格改成半角空格，写成 {key}: …")
    if after and after not in " \t" and after != "/":   # `https://…` is a value, not a key
        return (f"{UNREADABLE}“{key}:”后面缺少空格", f"英文冒号后面要加一个半角空格，写成 {key}: …")
    return None




UNREADABLE = "YAML 头信息无法解析："


NO_END = "YAML 头信息没有结束："


