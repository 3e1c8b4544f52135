"""References between entities (an article's brands and workers), and the broken files they leave."""
from __future__ import annotations

import difflib
from typing import Optional

from ..core import ids
from ..core.model import SCHEMAS, Article
from ..core.problems import WARNING, Problem, short


class BrokenFiles:
    """Files that exist but could not be loaded (errors of their own), by every name
    a reference might use: id, ``name:``, article path.

    A reference to one of them is not "unknown": saying so, with the closest other
    entity as a suggestion, would send the editor to retag a good article. At most
    one note per broken file says where the real error is.
    """

    def __init__(self) -> None:
        self._paths: dict[tuple[str, str], str] = {}
        self._kinds: set[str] = set()
        self._noted: set[str] = set()

    def add(self, kind: str, path: str, *names: object) -> None:
        self._kinds.add(kind)
        for name in names:
            if isinstance(name, str) and name.strip():
                self._paths.setdefault((kind, name.strip()), path)

    def find(self, kind: str, ref: str) -> str:
        """The broken file ``ref`` means, '' if none."""
        if kind not in self._kinds:
            return ""
        path = self._paths.get((kind, ref))
        if path is None and not ref.isascii():   # 柯工益 for brands/ke-gong-yi.md, its name unreadable
            path = self._paths.get((kind, ids.pinyin_id(ref)))
        return path or ""

    def paths(self, kind: str) -> set[str]:
        """Every name the broken files of ``kind`` are known by (articles: their src_uri)."""
        return {name for (k, name) in self._paths if k == kind}

    def note(self, path: str, where: str, line: int, what: str, problems: list[Problem]) -> None:
        if path in self._noted:
            return
        self._noted.add(path)
        problems.append(Problem(where, line, f"{what}所在的文件 {path} 本身有错误，这里的引用暂时无效",
                                f"先改好 {path} 里的错误，这里不用改", WARNING))


def suggest(name: str, candidates: list[str]) -> str:
    """The closest known name, for 柯工寨 -> 柯工赛."""
    match = difflib.get_close_matches(name, candidates, n=1, cutoff=0.5)
    return match[0] if match else ""


def resolve_refs(refs: list[str], by_id: dict, by_name: dict[str, list], entity: Article,
                 key: str, problems: list[Problem], choices: Optional[list[str]] = None,
                 broken: Optional[BrokenFiles] = None) -> list:
    """Resolve brand or worker references (ids or exact names) in order, once each."""
    out: list = []
    schema = SCHEMAS[SCHEMAS["article"].field(key).ref]     # the kind the field names: brand, worker
    kind = schema.zh
    for ref in refs:
        found = by_id.get(ref)
        if found is None:
            named = by_name.get(ref, [])
            if len(named) == 1:
                found = named[0]
            elif len(named) > 1:
                problems.append(Problem(entity.source.path, entity.source.line_of(key),
                                        f"{kind}名称“{ref}”对应多个条目，无法确定是哪一个",
                                        "请改用 id：" + "、".join(e.id for e in named)))
                continue
        broken_path = broken.find(schema.kind, ref) if found is None and broken is not None else ""
        if broken_path:
            broken.note(broken_path, entity.source.path, entity.source.line_of(key), f"{kind}“{short(ref)}”",
                        problems)
        elif found is None:
            close = suggest(ref, choices if choices is not None else list(by_id) + list(by_name))
            problems.append(Problem(entity.source.path, entity.source.line_of(key),
                                    f"找不到{kind}“{short(ref)}”",
                                    f"是不是“{close}”？" if close else f"请先在{schema.home}下建立它"))
        elif found not in out:
            out.append(found)
    return out


