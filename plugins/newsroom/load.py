"""Reading editors' files: front matter + body, with line numbers kept.

YAML is read with libyaml's *base* loader (``yaml.CBaseLoader``): every scalar
stays a string, so ``title: 2021`` or ``tags: [no]`` never turn into numbers or
booleans behind an editor's back; ``validate`` converts each field to its type
and can say exactly which line was wrong.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .problems import Problem

try:  # libyaml ships in PyYAML's wheels; the pure-Python loader is ~10x slower.
    _Loader = yaml.CBaseLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.BaseLoader


@dataclass
class RawDoc:
    """A file as read: untyped front matter, key lines, and the Markdown body."""

    path: str                            # display path, e.g. content/news/2021/x.md
    meta: dict[str, Any]
    lines: dict[str, int] = field(default_factory=dict)
    body: str = ""
    body_line: int = 1
    meta_line: int = 1                   # line of the opening ---


def read_doc(file: Path, display: str) -> tuple[RawDoc | None, list[Problem]]:
    """Read one Markdown file. Never raises on bad content."""
    try:
        text = file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        return None, [Problem(display, 1, "文件不是 UTF-8 编码，无法读取", "请用 UTF-8 编码另存此文件")]
    except OSError as exc:
        return None, [Problem(display, 1, f"无法读取文件：{exc.strerror or exc}")]
    return parse_doc(text, display)


def parse_doc(text: str, display: str) -> tuple[RawDoc | None, list[Problem]]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.startswith("---\n"):
        return None, [Problem(display, 1, "文件开头缺少 YAML 头信息（第一行应为 ---）",
                              "在文件最前面加上 --- 开始的头信息，例如 title 与 date")]
    end = _closing_fence(text)
    if end < 0:
        return None, [Problem(display, 1, "YAML 头信息没有结束（缺少第二个 --- 行）")]
    yaml_text = text[4:end]
    body_start = text.find("\n", end + 1)
    body = text[body_start + 1:] if body_start >= 0 else ""
    body_line = yaml_text.count("\n") + 3
    meta, lines, problem = _parse_yaml(yaml_text, display)
    if problem:
        return None, [problem]
    return RawDoc(display, meta, lines, body, body_line), []


def _closing_fence(text: str) -> int:
    """Offset of the closing ``---`` (or ``...``) line, -1 if none."""
    pos = 3
    while True:
        nl = text.find("\n", pos)
        if nl < 0:
            return -1
        line_end = text.find("\n", nl + 1)
        line = text[nl + 1: line_end if line_end >= 0 else len(text)]
        if line.rstrip() in ("---", "..."):
            return nl + 1
        if line_end < 0:
            return -1
        pos = nl + 1


def _parse_yaml(yaml_text: str, display: str) -> tuple[dict, dict[str, int], Problem | None]:
    """Parse front matter; YAML lines are offset by 1 for the opening fence."""
    if not yaml_text.strip():
        return {}, {}, None
    loader = _Loader(yaml_text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else {}
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 2 if mark else 1
        return {}, {}, Problem(display, line, f"YAML 头信息无法解析：{_yaml_reason(exc)}",
                               "检查这一行的冒号、引号和缩进；含冒号的值请用引号括起来")
    except yaml.YAMLError as exc:
        return {}, {}, Problem(display, 1, f"YAML 头信息无法解析：{exc}")
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        return {}, {}, Problem(display, 2, "YAML 头信息应是“字段: 值”的形式",
                               "每行写一个字段，例如 title: 标题")
    lines = {}
    for key_node, _ in node.value:
        if isinstance(key_node.value, str):
            lines[key_node.value] = key_node.start_mark.line + 2
    return data, lines, None


_YAML_REASONS = {
    "mapping values are not allowed here": "此处不能出现冒号（值里有冒号时请用引号括起来）",
    "could not find expected ':'": "缺少冒号",
    "found character '\\t' that cannot start any token": "不能使用 Tab 缩进，请改用空格",
    "found undefined alias": "引用了未定义的别名",
    "did not find expected key": "缩进不一致或缺少字段名",
    "found unexpected end of stream": "引号或括号没有闭合",
    "did not find expected ',' or ']'": "列表的方括号没有闭合或缺少逗号",
    "did not find expected ',' or '}'": "花括号没有闭合或缺少逗号",
    "found duplicate anchor": "重复的锚点",
    "expected <block end>, but found": "缩进不一致",
    "while scanning a quoted scalar": "引号没有闭合",
}


def _yaml_reason(exc: yaml.MarkedYAMLError) -> str:
    raw = " ".join(filter(None, [exc.context, exc.problem]))
    for needle, zh in _YAML_REASONS.items():
        if needle in raw:
            return zh
    return raw or "格式错误"
