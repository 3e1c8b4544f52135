"""Front matter's YAML read with the line of every key and list item, and recovered when broken.

Read with libyaml's *base* loader (``yaml.CBaseLoader``): every scalar stays a string (see
load.py). A file whose YAML does not parse is read again with each broken line set aside,
so that one run reports every mistake at its line, in Chinese (yaml_reasons.py).
"""
from __future__ import annotations

import re
from collections.abc import Hashable
from typing import Any

import yaml
from yaml.constructor import ConstructorError

from ..core.problems import WARNING, Problem
from .yaml_lines import OPENER_ZH, cut_by_comment, quoted_text, set_aside
from .yaml_reasons import HINT, UNREADABLE, typing_mistake, yaml_reason

try:  # libyaml ships in PyYAML's wheels; the pure-Python loader is ~10x slower.
    _Loader = yaml.CBaseLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.BaseLoader

_YAML_HINT = HINT
_ItemLines = dict[str, list[dict[str, int]]]


def parse_yaml(yaml_text: str, display: str
               ) -> tuple[dict | None, dict[str, int], _ItemLines, list[Problem]]:
    """Parse front matter; YAML lines are offset by 1 for the opening fence."""
    if not yaml_text.strip():
        return {}, {}, {}, []
    try:
        node, data = _compose(yaml_text)
    except (yaml.YAMLError, RecursionError, ValueError, TypeError):
        return _recover(yaml_text, display)
    return _read_mapping(node, data, yaml_text, display, [])


def _compose(yaml_text: str) -> tuple[yaml.Node | None, Any]:
    loader = _Loader(yaml_text)
    try:
        node = loader.get_single_node()
        if node is None:
            return node, {}
        if loader.yaml_constructors or loader.yaml_multi_constructors:   # someone added tags: theirs
            return node, loader.construct_document(node)
        return node, _construct(node, {}, set())
    finally:
        loader.dispose()


def _construct(node: yaml.Node, made: dict, open_nodes: set) -> Any:
    """What the base loader's ``construct_document`` makes of ``node`` when no constructor is
    registered (every tag read by its node's kind), without its per-node machinery: a third
    of reading 10,000 files' front matter. The same object for a node met twice (an alias:
    safety.shared_value finds it by identity), the same errors for a key that is a list or
    mapping and for a node inside itself. tests/test_front_matter_construct.py compares both."""
    found = made.get(node, _NOT_MADE)
    if found is not _NOT_MADE:
        return found
    if node in open_nodes:
        raise ConstructorError(None, None, "found unconstructable recursive node", node.start_mark)
    open_nodes.add(node)
    if isinstance(node, yaml.ScalarNode):
        data: Any = node.value
    elif isinstance(node, yaml.SequenceNode):
        data = [_construct(child, made, open_nodes) for child in node.value]
    else:
        data = {}
        for key_node, value_node in node.value:
            key = _construct(key_node, made, open_nodes)
            if not isinstance(key, Hashable):
                raise ConstructorError("while constructing a mapping", node.start_mark,
                                       "found unhashable key", key_node.start_mark)
            data[key] = _construct(value_node, made, open_nodes)
    made[node] = data
    open_nodes.discard(node)
    return data


_NOT_MADE = object()


def _read_mapping(node: yaml.Node | None, data: Any, yaml_text: str, display: str, problems: list[Problem]
                  ) -> tuple[dict | None, dict[str, int], _ItemLines, list[Problem]]:
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        # `title：关于我们` alone parses as one string: say what is wrong with it.
        mistake = typing_mistake(yaml_text, None)
        if mistake:
            return None, {}, {}, problems + [Problem(display, *mistake)]
        return None, {}, {}, problems + [Problem(display, 2, "YAML 头信息应是“字段: 值”的形式",
                                                 "每行写一个字段，例如 title: 标题")]
    lines, items, found = _key_lines(node, data, display, yaml_text)
    return data, lines, items, problems + found


# At most this many broken lines are set aside in one file before giving up on it.
_MAX_SET_ASIDE = 12


def _recover(yaml_text: str, display: str
             ) -> tuple[dict | None, dict[str, int], _ItemLines, list[Problem]]:
    """YAML failed: read quoted headlines as text (a warning shows the line to write),
    then report each remaining bad line and set it aside, so the file's other problems
    are found in the same run. The file stays in error whenever a line was set aside."""
    lines = yaml_text.split("\n")
    problems = _read_quoted_text(lines, display)
    for _ in range(_MAX_SET_ASIDE):
        text = "\n".join(lines)
        try:
            node, data = _compose(text)
        except yaml.MarkedYAMLError as exc:
            line, message, hint = _locate_error(exc, text)
            problems.append(Problem(display, line, message, hint))
            if not _set_aside_at(lines, (line, _mark_line(exc))):
                return None, {}, {}, problems
            continue
        except (yaml.YAMLError, RecursionError, ValueError, TypeError):
            line = _leading_tab(text) or 1
            return None, {}, {}, problems + [Problem(display, line, f"{UNREADABLE}格式不正确", _YAML_HINT)]
        return _read_mapping(node, data, text, display, problems)
    return None, {}, {}, problems


def _read_quoted_text(lines: list[str], display: str) -> list[Problem]:
    problems = []
    for index, line in enumerate(lines):
        found = quoted_text(line)
        if found:
            key, opener, fixed = found
            lines[index] = fixed
            problems.append(Problem(
                display, index + 2, f"“{key}”以{OPENER_ZH[opener]}开头，已把冒号后的整行作为文字",
                f"建议改成 {fixed}；newsroom check --fix 可自动改好", WARNING))
    return problems


def _mark_line(exc: yaml.MarkedYAMLError) -> int:
    mark = exc.problem_mark or exc.context_mark
    return mark.line + 2 if mark else 0


def _set_aside_at(lines: list[str], candidates: tuple[int, ...]) -> bool:
    """Set aside the first candidate file line that changes; False if none does."""
    for number in candidates:
        index = number - 2
        if 0 <= index < len(lines):
            harmless = set_aside(lines[index])
            if harmless != lines[index]:
                lines[index] = harmless
                return True
    return False


def _key_lines(node: yaml.MappingNode, data: dict, display: str, yaml_text: str
               ) -> tuple[dict[str, int], _ItemLines, list[Problem]]:
    """Each key's line, list items' lines, and the keys' own mistakes."""
    lines: dict[str, int] = {}
    items: _ItemLines = {}
    problems: list[Problem] = []
    text_lines = yaml_text.split("\n") if _MAYBE_HASHTAG.search(yaml_text) else None
    for key_node, value_node in node.value:
        key = key_node.value
        if not isinstance(key, str):
            continue
        line = key_node.start_mark.line + 2
        if key[:1] == "\u3000" or key[-1:] == "\u3000":
            key = _fix_full_width_key(data, key, display, line, problems)
        if key in lines:
            problems.append(Problem(display, line, f"字段“{key}”写了两次（另一处在第 {lines[key]} 行），只有这一处有效",
                                    "删掉其中一行", WARNING))
        lines[key] = line
        if _is_null(value_node):
            data[key] = None
        if text_lines is not None:
            _check_comment(text_lines, key, value_node, display, problems)
        # Only lists over several lines: one-line lists need no per-item lines (and
        # 10,000 articles' tags would cost time for nothing).
        if isinstance(value_node, yaml.SequenceNode) and value_node.end_mark.line > value_node.start_mark.line:
            items[key] = [_item_lines(item) for item in value_node.value]
        elif isinstance(value_node, yaml.MappingNode):    # print: {edition, page, area}: item 0, by sub-key
            items[key] = [_item_lines(value_node)]
    return lines, items, problems


# YAML's plain spellings of "no value" (`title: ~`): the base loader keeps every scalar as
# text, and "~" would become a headline. Quoted ("~") they stay text.
_NULLS = frozenset({"~", "null", "Null", "NULL"})


def _is_null(node: yaml.Node) -> bool:
    # Plain style: None from the pure-Python loader, "" from libyaml.
    return isinstance(node, yaml.ScalarNode) and not node.style and node.value in _NULLS


# ` #x` somewhere: only then are lines looked at for text cut off by a comment.
_MAYBE_HASHTAG = re.compile(r"[ \t]#[^\s#]")


def _check_comment(text_lines: list[str], key: str, value: yaml.Node, display: str,
                   problems: list[Problem]) -> None:
    """`title: 送清凉 #柯工暖 专场`: YAML keeps 送清凉 only; say so, with the line that keeps it all."""
    if not isinstance(value, yaml.ScalarNode) or value.style not in (None, "") \
            or value.end_mark.line >= len(text_lines):
        return
    found = cut_by_comment(text_lines[value.end_mark.line], key, value.end_mark.column)
    if found:
        dropped, fixed = found
        problems.append(Problem(display, value.end_mark.line + 2,
                                f"“{key}”在“#”处被截断：“{dropped}”被当作注释，不会显示",
                                f"如果它是内容的一部分，请写成 {fixed}", WARNING))


def _item_lines(item: yaml.Node) -> dict[str, int]:
    found = {"": item.start_mark.line + 2}
    if isinstance(item, yaml.MappingNode):
        for sub_key, sub_value in item.value:
            if isinstance(sub_key.value, str):
                found[sub_key.value] = sub_value.start_mark.line + 2
    return found


def _fix_full_width_key(data: dict, key: str, display: str, line: int, problems: list[Problem]) -> str:
    """`　correspondents: …` (an ideographic space before the key) is read as that field,
    and reported: the editor sees the error, and nothing else goes wrong around it."""
    fixed = key.strip(" \u3000")
    problems.append(Problem(display, line, f"字段名“{fixed}”前后有全角空格“　”",
                            "删掉这个全角空格：字段名顶格写，缩进只能用半角空格"))
    if fixed and fixed not in data:
        data[fixed] = data.pop(key)
        return fixed
    return key


def _locate_error(exc: yaml.MarkedYAMLError, yaml_text: str) -> tuple[int, str, str]:
    """The file line to fix, the message in Chinese, and the hint, for a YAML error."""
    mark = exc.problem_mark or exc.context_mark
    context = exc.context or ""
    opened = exc.context_mark is not None and ("quoted scalar" in context or "flow" in context)
    if opened or exc.context_mark is not None and "simple key" in context:
        mark = exc.context_mark   # an unclosed quote or bracket, or a key without colon: where it began
    line = mark.line + 2 if mark else 1
    tab = _leading_tab(yaml_text)
    if tab and (tab <= line or "tab" in str(exc).lower()):
        return tab, f"{UNREADABLE}不能用 Tab 键缩进", "把这一行开头的 Tab 改成空格"
    # Inside an open quote or bracket every line is text: look no further than its start.
    last = line if opened else max(line, exc.problem_mark.line + 2 if exc.problem_mark else line)
    mistake = typing_mistake(yaml_text, last)
    if mistake:
        return mistake
    texts = yaml_text.split("\n")
    reason, hint = yaml_reason(exc, texts[line - 2] if 0 <= line - 2 < len(texts) else "")
    return line, f"{UNREADABLE}{reason}", hint


def _leading_tab(yaml_text: str) -> int:
    """The file line of the first line indented with a tab, 0 if none."""
    if "\t" not in yaml_text:
        return 0
    for number, line in enumerate(yaml_text.split("\n"), start=2):
        if line[: len(line) - len(line.lstrip(" \t"))].count("\t"):
            return number
    return 0
