"""Reading editors' files: front matter + body, with line numbers kept.

YAML is read with libyaml's *base* loader (``yaml.CBaseLoader``, front_matter.py): every scalar
stays a string, so ``title: 2021`` or ``tags: [no]`` never turn into numbers or
booleans behind an editor's back; ``fields.Reader`` converts each field to its type
and can say exactly which line was wrong.
"""
from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from ..core.problems import Problem
from . import safety
from .sanitize import parse_clean
from .front_matter import parse_yaml
from .yaml_reasons import NO_END, typing_mistake


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


Parse = Callable[[str, str], tuple["RawDoc | None", list[Problem]]]


def read_doc(file: str | Path, display: str, parse: Parse | None = None) -> tuple[RawDoc | None, list[Problem]]:
    """Read one Markdown file (``parse``: another kind of file, content/epaper.py's YAML). Never raises on bad content.

    Opened without blocking and measured before it is read (safety.py): a FIFO
    is refused instead of hanging, a 50 MB file instead of costing minutes."""
    raw, problems = _read_bytes(file, display)
    return (None, problems) if raw is None else _parse_bytes(raw, display, parse, problems)


def read_doc_sha(file: str | Path, display: str) -> tuple[RawDoc | None, list[Problem], str | None]:
    """``read_doc``, and the SHA-256 of the very bytes it parsed (None if none were read):
    what the build cache keys the parse on (doc_store.py), without opening the file again."""
    raw, problems = _read_bytes(file, display)
    if raw is None:
        return None, problems, None
    doc, problems = _parse_bytes(raw, display, None, problems)
    return doc, problems, hashlib.sha256(raw).hexdigest()


def _read_bytes(file: str | Path, display: str) -> tuple[bytes | None, list[Problem]]:
    try:
        with open(os.open(file, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)), "rb") as f:
            too_big = safety.size_problem(os.fstat(f.fileno()), display)
            if too_big is not None and too_big.is_error:
                return None, [too_big]
            return f.read(), [too_big] if too_big else []
    except OSError as exc:
        return None, [Problem(display, 1, f"无法读取文件：{exc.strerror or exc}")]


def _parse_bytes(raw: bytes, display: str, parse: Parse | None, before: list[Problem]
                 ) -> tuple[RawDoc | None, list[Problem]]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, [Problem(display, 1, "文件不是 UTF-8 编码，无法读取", "请用 UTF-8 编码另存此文件")]
    doc, problems = (parse or parse_doc)(text, display)
    if doc is not None:
        aliased = safety.shared_value(doc.meta, sorted(doc.lines, key=doc.lines.__getitem__))
        if aliased is not None:
            return None, [Problem(display, doc.lines[aliased], f"字段“{aliased}”用 * 引用了别处的内容（YAML 别名），不能这样写",
                                  "请把内容直接写出来，不要用 & 和 *")]
    return doc, before + problems


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
    meta, lines, items, problems = parse_yaml(yaml_text, display)
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
