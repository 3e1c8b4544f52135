"""Reading editors' files: front matter + body, with line numbers kept.

YAML is read with libyaml's *base* loader (``yaml.CBaseLoader``): every scalar
stays a string, so ``title: 2021`` or ``tags: [no]`` never turn into numbers or
booleans behind an editor's back; ``validate`` converts each field to its type
and can say exactly which line was wrong.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import yaml

from .problems import WARNING, Problem

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


def read_doc(file: str | Path, display: str) -> tuple[RawDoc | None, list[Problem]]:
    """Read one Markdown file. Never raises on bad content."""
    try:
        text = Path(file).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        return None, [Problem(display, 1, "文件不是 UTF-8 编码，无法读取", "请用 UTF-8 编码另存此文件")]
    except OSError as exc:
        return None, [Problem(display, 1, f"无法读取文件：{exc.strerror or exc}")]
    return parse_doc(text, display)


class DocCache:
    """Files already read, kept between builds of the live preview.

    A file whose size and modification time are unchanged is not read or parsed
    again. Cached RawDocs are shared, so nothing downstream may modify them.
    """

    def __init__(self) -> None:
        self._docs: dict[str, tuple[tuple[int, int, str], tuple[RawDoc | None, list[Problem]]]] = {}
        self._derived: dict[int, tuple[RawDoc, tuple, Any]] = {}

    def read(self, file: str | Path, display: str) -> tuple[RawDoc | None, list[Problem]]:
        path = os.fspath(file)
        try:
            st = os.stat(path)
        except OSError:
            return read_doc(path, display)
        stamp = (st.st_mtime_ns, st.st_size, display)
        hit = self._docs.get(path)
        if hit is not None and hit[0] == stamp:
            return hit[1]
        result = read_doc(path, display)
        self._docs[path] = (stamp, result)
        return result

    def derive(self, doc: RawDoc, key: tuple, make: Callable[[], Any]) -> Any:
        """``make()``'s result for an unchanged document: parsed once, reused after."""
        hit = self._derived.get(id(doc))
        if hit is not None and hit[0] is doc and hit[1] == key:
            return hit[2]
        value = make()
        self._derived[id(doc)] = (doc, key, value)   # doc kept so its id is not reused
        return value


def parse_doc(text: str, display: str) -> tuple[RawDoc | None, list[Problem]]:
    """Split front matter from body and read the YAML. Never raises on bad content.

    Returns ``(None, problems)`` when the file cannot be read at all; otherwise
    the document and any warnings (e.g. a field written twice).
    """
    text = text.removeprefix("\ufeff")  # a BOM left by Notepad and friends
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    first_nl = text.find("\n")
    first = text[: first_nl if first_nl >= 0 else len(text)]
    if first.rstrip() != "---":
        hint = "在文件最前面加上 --- 开始的头信息，例如 title 与 date"
        if text.lstrip().startswith("---"):
            hint = "第一行必须就是 ---，前面不能有空行或空格"
        return None, [Problem(display, 1, "文件开头缺少 YAML 头信息（第一行应为 ---）", hint)]
    if first_nl < 0:
        return None, [Problem(display, 1, "YAML 头信息没有结束（缺少第二个 --- 行）",
                              "在头信息最后一个字段之后加一行 ---")]
    end = _closing_fence(text, first_nl)
    if end < 0:
        return None, [Problem(display, 1, "YAML 头信息没有结束（缺少第二个 --- 行）",
                              "在头信息最后一个字段之后加一行 ---")]
    yaml_text = text[first_nl + 1:end]
    body_start = text.find("\n", end)
    body = text[body_start + 1:] if body_start >= 0 else ""
    body_line = yaml_text.count("\n") + 3
    meta, lines, problems = _parse_yaml(yaml_text, display)
    if meta is None:
        return None, problems
    return RawDoc(display, meta, lines, body, body_line), problems


def _closing_fence(text: str, first_nl: int) -> int:
    """Offset of the closing ``---`` (or ``...``) line, -1 if none."""
    pos = first_nl + 1
    while pos <= len(text):
        nl = text.find("\n", pos)
        line = text[pos: nl if nl >= 0 else len(text)]
        if line.rstrip() in ("---", "..."):
            return pos
        if nl < 0:
            return -1
        pos = nl + 1
    return -1


def _parse_yaml(yaml_text: str, display: str) -> tuple[dict | None, dict[str, int], list[Problem]]:
    """Parse front matter; YAML lines are offset by 1 for the opening fence."""
    if not yaml_text.strip():
        return {}, {}, []
    hint = "检查这一行的冒号、引号和缩进；含冒号的值请用引号括起来"
    tab = _leading_tab(yaml_text)
    loader = _Loader(yaml_text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else {}
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark and exc.context and ("quoted scalar" in exc.context or "flow" in exc.context):
            mark = exc.context_mark   # an unclosed quote or bracket: where it was opened
        line = mark.line + 2 if mark else 1
        reason = _yaml_reason(exc)
        if tab and (tab <= line or "tab" in str(exc).lower()):
            line, reason, hint = tab, "不能用 Tab 键缩进", "把这一行开头的 Tab 改成空格"
        return None, {}, [Problem(display, line, f"YAML 头信息无法解析：{reason}", hint)]
    except (yaml.YAMLError, RecursionError, ValueError, TypeError):
        line = tab or 1
        return None, {}, [Problem(display, line, "YAML 头信息无法解析：格式不正确", hint)]
    finally:
        loader.dispose()
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        return None, {}, [Problem(display, 2, "YAML 头信息应是“字段: 值”的形式",
                                  "每行写一个字段，例如 title: 标题")]
    lines: dict[str, int] = {}
    problems: list[Problem] = []
    for key_node, _ in node.value:
        key = key_node.value
        if not isinstance(key, str):
            continue
        line = key_node.start_mark.line + 2
        if key in lines:
            problems.append(Problem(display, line, f"字段“{key}”写了两次（另一处在第 {lines[key]} 行），只有这一处有效",
                                    "删掉其中一行", WARNING))
        lines[key] = line
    return data, lines, problems


def _leading_tab(yaml_text: str) -> int:
    """The file line of the first line indented with a tab, 0 if none."""
    if "\t" not in yaml_text:
        return 0
    for number, line in enumerate(yaml_text.split("\n"), start=2):
        if line[: len(line) - len(line.lstrip(" \t"))].count("\t"):
            return number
    return 0


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
    "found unknown escape character": "双引号里的反斜杠 \\ 后面的字符无效（请写成 \\\\ 或改用单引号）",
    "special characters are not allowed": "含有不可见的特殊字符，请删除后重新输入",
    "found unhashable key": "字段名不能是列表或字段组",
    "while scanning an alias": "不能以 * 开头（请用引号括起来）",
    "while scanning an anchor": "不能以 & 开头（请用引号括起来）",
    "found character that cannot start any token": "这一行开头的字符不能直接使用（请用引号括起来）",
    "while scanning a block scalar": "以 | 或 > 开头的多行文字格式不对",
    "while parsing a block mapping": "缩进不一致或缺少冒号",
    "while scanning a simple key": "缺少冒号",
    "while parsing a flow": "方括号或花括号没有闭合",
}


def _yaml_reason(exc: yaml.MarkedYAMLError) -> str:
    raw = " ".join(filter(None, [exc.context, exc.problem]))
    for needle, zh in _YAML_REASONS.items():
        if needle in raw:
            return zh
    return "格式不正确"
