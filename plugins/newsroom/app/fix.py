"""``newsroom check --fix``: rewrite the mechanical mistakes of front matter in place.

What it changes, only between the two ``---`` lines: a full-width colon after a
field name, a missing or full-width space after the colon, tabs and full-width
spaces in indentation, a text field that opens with a quote (``title: "娘家人"送…``),
and a brand or worker named by its unique name instead of its id. The body is
never touched, byte for byte (BOM and line endings included). A file whose front
matter would still not be valid YAML afterwards is left exactly as it was. Running
it twice changes nothing the second time.
"""
from __future__ import annotations

import difflib
import os
import re
import stat
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from ..content.load import is_scratch_file, parse_doc
from ..content.safety import HARD_LIMIT, list_folder, site_root
from ..content.yaml_lines import quoted_text
from ..core.files import write_whole
from .fix_scope import keeps_values, text_lines

_FENCES = ("---", "...")
# A field name at the start of a line (maybe a list item's), then its colon and spacing.
_KEY = re.compile(r"^(?P<indent> *)(?P<dash>- +)?(?P<key>[A-Za-z_][A-Za-z0-9_-]{0,40})[ \t]*"
                  r"(?P<colon>[:：])(?P<space>[ \t\u3000]*)(?P<value>.*)$")
_INDENT = re.compile(r"^[ \t\u3000]+")
_LIST_SEPARATORS = re.compile(r"\s*[、，,；;]\s*")


@dataclass
class Front:
    """A file cut in three: the opening fence, the front-matter lines, the rest as it is."""

    head: str                       # BOM + the opening --- line, with its line end
    lines: list[tuple[str, str]]    # (text, line end) of each front-matter line
    rest: str                       # the closing fence and the body, untouched

    def text(self) -> str:
        return self.head + "".join(t + end for t, end in self.lines) + self.rest

    def yaml(self) -> str:
        return "\n".join(t for t, _ in self.lines)


def split_front(text: str) -> Front | None:
    raw = text.splitlines(keepends=True)
    if not raw or raw[0].removeprefix("\ufeff").rstrip() != "---":
        return None
    for index in range(1, len(raw)):
        if raw[index].rstrip() in _FENCES:
            lines = [_cut_end(line) for line in raw[1:index]]
            return Front(raw[0], lines, "".join(raw[index:]))
    return None


def _cut_end(line: str) -> tuple[str, str]:
    text = line.rstrip("\r\n")
    return text, line[len(text):]


def fix_line(line: str) -> str:
    """One front-matter line with its mechanical mistakes corrected."""
    m = _INDENT.match(line)
    if m:       # a tab or full-width space in indentation: two half-width spaces each
        line = m.group(0).replace("\t", "  ").replace("\u3000", "  ") + line[m.end():]
    m = _KEY.match(line)
    if m and not m["value"].startswith("//"):          # `https://…` is a value, not a field
        spaced = m["space"] == "" or "\u3000" in m["space"] or "\t" in m["space"]
        if m["colon"] == "：" or (m["value"] and spaced):
            line = f"{m['indent']}{m['dash'] or ''}{m['key']}: {m['value']}".rstrip()
    found = quoted_text(line)
    return found[2] if found else line


def fix_text_mistakes(front: Front) -> bool:
    """Correct every field's line; False (and nothing changed) if the result is not valid
    YAML or would change a value the fix did not target (fix_scope)."""
    old = [t for t, _ in front.lines]
    inside = text_lines(old)
    fixed = [(t if text else fix_line(t), end) for (t, end), text in zip(front.lines, inside)]
    if fixed == front.lines or not keeps_values(old, [t for t, _ in fixed]):
        return False
    front.lines = fixed
    return True


def fix_references(front: Front, display: str, ids: dict[str, dict[str, str]]) -> bool:
    """Brands and workers named by a unique name: write their id instead.

    ``ids`` maps "brands"/"workers" to {unique name: id}; ids themselves are left alone.
    """
    doc, _ = parse_doc("---\n" + front.yaml() + "\n---\n", display)
    if doc is None:
        return False
    starts = sorted(doc.lines.values())
    changed = False
    for key in ("brands", "workers"):
        for ref in _refs(doc.meta.get(key)):
            new_id = ids.get(key, {}).get(ref)
            if new_id and new_id != ref:
                changed |= _replace_in_field(front, doc.lines[key], starts, ref, new_id)
    return changed


def _refs(value: object) -> list[str]:
    if isinstance(value, str):
        return [r for r in _LIST_SEPARATORS.split(value.strip()) if r]
    if isinstance(value, list):
        return [r.strip() for r in value if isinstance(r, str)]
    return []


def _replace_in_field(front: Front, line: int, starts: list[int], name: str, new_id: str) -> bool:
    """Replace ``name`` as a whole item on the field's lines (file line numbers)."""
    end = next((s for s in starts if s > line), len(front.lines) + 2)
    item = re.compile(r"(?<![^\s\[,、，;；'\"-])" + re.escape(name) + r"(?![^\s\],、，;；'\"])")
    changed = False
    for index in range(line - 2, end - 2):
        text, ending = front.lines[index]
        cut = text.index(":") + 1 if index == line - 2 and ":" in text else 0   # never the field name
        new = text[:cut] + item.sub(new_id, text[cut:])
        if new != text:
            front.lines[index] = (new, ending)
            changed = True
    return changed


def unique_names(entities: Iterable) -> dict[str, str]:
    """{name: id} for the names only one entity has."""
    entities = list(entities)
    count = Counter(e.name for e in entities)
    return {e.name: e.id for e in entities if count[e.name] == 1 and e.name != e.id}


def markdown_files(base: Path, *folders: Path, under: str = "") -> list[Path]:
    """The Markdown files the build reads, from the build's own listing (safety.py):
    regular files only (a FIFO would block), never through a link out of the site, and
    never a link itself (writing would replace the link with a copy of its target)."""
    found: list[Path] = []
    for folder in folders:
        listing = list_folder(folder, site_root(folder, base), "")
        for rel, names in listing.walk(under):
            if any(is_scratch_file(part) for part in rel.split("/")):
                continue
            found += [folder / rel / name for name in names
                      if name.endswith(".md") and not is_scratch_file(name) and not (folder / rel / name).is_symlink()]
    return found


def rewrite(files: Iterable[Path], display: Callable[[Path], str],
            change: Callable[[Front, str], bool]) -> list[str]:
    """Apply ``change`` to each file's front matter; the unified diffs of what changed."""
    diffs: list[str] = []
    for file in files:
        text = _read_regular(file)
        if text is None:
            continue                       # `check` reports these
        front = split_front(text)
        shown = display(file)
        if front is None or not change(front, shown):
            continue
        new = front.text()
        write_whole(file, new.encode("utf-8"))     # never left half written
        diffs.append("".join(difflib.unified_diff(
            text.splitlines(keepends=True), new.splitlines(keepends=True), shown, shown)))
    return diffs


def _read_regular(file: Path) -> str | None:
    """The file's text if it is still a regular file of a sane size when opened: a FIFO put
    in its place after the listing is opened without blocking and refused."""
    try:
        fd = os.open(file, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        st = os.fstat(handle.fileno())
        if not stat.S_ISREG(st.st_mode) or st.st_size > HARD_LIMIT:
            return None
        try:
            return handle.read().decode("utf-8")
        except (OSError, UnicodeDecodeError):
            return None


def fix_site(content: Path, brands: Path, base: Path, load_graph: Callable[[], object]) -> list[str]:
    """Fix every file; the diffs. Front matter first, so files YAML failed on join the
    graph that tells names from ids; then the articles' brand and worker names."""
    def display(file: Path) -> str:
        try:
            return file.resolve().relative_to(base.resolve()).as_posix()
        except ValueError:
            return file.as_posix()

    diffs = rewrite(markdown_files(base, content, brands), display, lambda front, shown: fix_text_mistakes(front))
    graph = load_graph()
    ids = {"brands": unique_names(graph.brands.values()), "workers": unique_names(graph.workers.values())}
    diffs += rewrite(markdown_files(base, content, under="news"), display,
                     lambda front, shown: fix_references(front, shown, ids))
    return diffs
