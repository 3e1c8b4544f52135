"""Reading editors' files: front matter + body, with line numbers kept.

YAML is read with libyaml's *base* loader (``yaml.CBaseLoader``): every scalar
stays a string, so ``title: 2021`` or ``tags: [no]`` never turn into numbers or
booleans behind an editor's back; ``fields.Reader`` converts each field to its type
and can say exactly which line was wrong.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import yaml

from ..core.problems import WARNING, Problem
from . import safety
from .sanitize import parse_clean
from .yaml_lines import OPENER_ZH, cut_by_comment, quoted_text, set_aside
from .yaml_reasons import HINT, NO_END, UNREADABLE, typing_mistake, yaml_reason

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
    # Lines of list items written over several lines (block lists): per top-level
    # key, one dict per item, "" -> the item's line, sub-key -> that key's line.
    items: dict[str, list[dict[str, int]]] = field(default_factory=dict)

    def item_line(self, key: str, index: int, sub: str = "") -> int:
        """The line of item ``index`` of list ``key`` (or of its ``sub`` key), else the key's."""
        found = self.items.get(key)
        if found is None or index >= len(found):
            return self.lines.get(key, 1)
        return found[index].get(sub) or found[index][""]


# What editors' tools leave beside the real files: Emacs locks (.#x.md) and autosaves
# (#x.md#), backups (x.md~, x.md.bak), Vim swap files, Office locks (~$x.docx) and
# folder metadata. Never content, never published (a backup of a draft is the draft).
_SCRATCH_ENDINGS = ("~", ".bak", ".swp", ".swo", ".swx", ".tmp", ".crdownload", ".part")
_SCRATCH_NAMES = frozenset({"Thumbs.db", "desktop.ini", "Desktop.ini"})


def is_scratch_file(name: str) -> bool:
    """A file name editors' tools make for themselves (see _SCRATCH_ENDINGS)."""
    return name.startswith((".", "#", "~$")) or name.endswith(_SCRATCH_ENDINGS) or name in _SCRATCH_NAMES


def read_doc(file: str | Path, display: str, parse: Callable[[str, str], tuple[RawDoc | None, list[Problem]]] | None = None
             ) -> tuple[RawDoc | None, list[Problem]]:
    """Read one Markdown file (``parse``: another kind of file, content/epaper.py's YAML). Never raises on bad content.

    Opened without blocking and measured before it is read (safety.py): a FIFO
    is refused instead of hanging, a 50 MB file instead of costing minutes."""
    try:
        with open(os.open(file, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)), "rb") as f:
            too_big = safety.size_problem(os.fstat(f.fileno()), display)
            if too_big is not None and too_big.is_error:
                return None, [too_big]
            text = f.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, [Problem(display, 1, "文件不是 UTF-8 编码，无法读取", "请用 UTF-8 编码另存此文件")]
    except OSError as exc:
        return None, [Problem(display, 1, f"无法读取文件：{exc.strerror or exc}")]
    doc, problems = (parse or parse_doc)(text, display)
    if doc is not None:
        aliased = safety.shared_value(doc.meta, sorted(doc.lines, key=doc.lines.__getitem__))
        if aliased is not None:
            return None, [Problem(display, doc.lines[aliased], f"字段“{aliased}”用 * 引用了别处的内容（YAML 别名），不能这样写",
                                  "请把内容直接写出来，不要用 & 和 *")]
    return doc, ([too_big] if too_big else []) + problems


class DocCache:
    """Files already read, kept between builds of the live preview.

    A file whose size and modification time are unchanged is not read or parsed
    again. Cached RawDocs are shared, so nothing downstream may modify them.
    """

    def __init__(self) -> None:
        self._docs: dict[str, tuple[tuple[int, int, str], tuple[RawDoc | None, list[Problem]]]] = {}
        # By the id of a parse still in ``_docs``: (that parse, key -> value). Dropped with it.
        self._derived: dict[int, tuple[RawDoc, dict[tuple, Any]]] = {}
        # Paths read again (new or changed) since the owner last emptied it: the live
        # preview writes the pages of the files an editor saved first.
        self.fresh: set[str] = set()

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
        if hit is not None and hit[1][0] is not None:      # what was made of the old parse goes with it
            self._derived.pop(id(hit[1][0]), None)
        self._docs[path] = (stamp, result)
        self.fresh.add(path)
        return result

    # Whether ``stored`` keeps values between builds (doc_store.StoredDocs) or, here, in memory.
    keeps_between_builds = False

    def stored(self, doc: RawDoc, key: str, make: Callable[[], Any], tz: Any) -> Any:
        """``make()``'s result for an unchanged document (``tz``: the zone of its datetimes)."""
        return self.derive(doc, (key,), make)

    def derive(self, doc: RawDoc, key: tuple, make: Callable[[], Any]) -> Any:
        """``make()``'s result for an unchanged document: parsed once, reused after."""
        hit = self._derived.get(id(doc))
        if hit is None or hit[0] is not doc:
            hit = self._derived[id(doc)] = (doc, {})    # doc kept so its id is not reused
        if key not in hit[1]:
            hit[1][key] = make()
        return hit[1][key]


def parse_doc(text: str, display: str) -> tuple[RawDoc | None, list[Problem]]:
    """Split front matter from body and read the YAML. Never raises on bad content.

    Returns ``(None, problems)`` when the file cannot be read at all; otherwise
    the document and any warnings (e.g. a field written twice). Characters XML
    forbids are removed first (with a warning), so page, feeds and search agree.
    """
    return parse_clean(text, display, _parse_doc)


def _parse_doc(text: str, display: str) -> tuple[RawDoc | None, list[Problem]]:
    text = text.removeprefix("\ufeff")  # a BOM left by Notepad and friends
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    first_nl = text.find("\n")
    first = text[: first_nl if first_nl >= 0 else len(text)]
    if first.rstrip() != "---":
        hint = "在文件最前面加上 --- 开始的头信息，例如 title 与 date"
        if text.lstrip().startswith("---"):
            hint = "第一行必须就是 ---，前面不能有空行或空格"
        return None, [Problem(display, 1, "文件开头缺少 YAML 头信息（第一行应为 ---）", hint)]
    end = _closing_fence(text, first_nl) if first_nl >= 0 else -1
    if end < 0:
        return None, [_unclosed(text[first_nl + 1:] if first_nl >= 0 else "", display)]
    yaml_text = text[first_nl + 1:end]
    body_start = text.find("\n", end)
    body = text[body_start + 1:] if body_start >= 0 else ""
    body_line = yaml_text.count("\n") + 3
    meta, lines, items, problems = _parse_yaml(yaml_text, display)
    if meta is None:
        return None, problems
    return RawDoc(display, meta, lines, body, body_line, items=items), problems


def _unclosed(rest: str, display: str) -> Problem:
    """No closing ---: at the line where the body seems to start, else at the opening ---."""
    mistake = typing_mistake(rest, None)
    if mistake and mistake[1].startswith(NO_END):
        return Problem(display, *mistake)
    return Problem(display, 1, "YAML 头信息没有结束（缺少第二个 --- 行）", "在头信息最后一个字段之后加一行 ---")


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


_YAML_HINT = HINT
_ItemLines = dict[str, list[dict[str, int]]]


def _parse_yaml(yaml_text: str, display: str
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
        return node, (loader.construct_document(node) if node is not None else {})
    finally:
        loader.dispose()


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










def guess_name(file: str | Path) -> str:
    """The ``name:`` a file that cannot be read as YAML probably meant, '' if none.

    Articles may name a brand or worker by name; when that file is broken, this
    tells its references apart from misspelt ones.
    """
    try:
        head = Path(file).read_bytes()[:4000].decode("utf-8", "replace")
    except OSError:
        return ""
    m = re.search(r"^name[ \t]*[:：][ \t\u3000]*[\"']?([^\"'\n#]+?)[\"']?[ \t]*$", head, re.M)
    return m.group(1).strip() if m else ""


def _leading_tab(yaml_text: str) -> int:
    """The file line of the first line indented with a tab, 0 if none."""
    if "\t" not in yaml_text:
        return 0
    for number, line in enumerate(yaml_text.split("\n"), start=2):
        if line[: len(line) - len(line.lstrip(" \t"))].count("\t"):
            return number
    return 0
