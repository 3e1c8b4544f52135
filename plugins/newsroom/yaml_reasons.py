"""libyaml's errors in Chinese: what is wrong, and how to fix it, said once each."""
from __future__ import annotations

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
