"""Reading on: each article's neighbours in its column (栏目), 上一篇 and 下一篇."""
from __future__ import annotations

from typing import Optional

from ..content.graph_data import ContentGraph
from ..core.model import Article


class ColumnNeighbours:
    """上一篇 is the column's article published just before, 下一篇 the one just after
    (columns are kept newest first, so the older one sits after it). Indexed once per
    build: a list's ``index`` per article would cost n² on a large site."""

    def __init__(self, graph: ContentGraph) -> None:
        self._at: dict[int, tuple[list[Article], int]] = {}
        for listed in graph.by_column.values():
            for n, a in enumerate(listed):
                self._at[id(a)] = (listed, n)

    def of(self, a: Article) -> tuple[Optional[Article], Optional[Article]]:
        """(previous, next) in time; None at either end or without a column."""
        found = self._at.get(id(a))
        if found is None:
            return None, None
        listed, n = found
        older = listed[n + 1] if n + 1 < len(listed) else None
        newer = listed[n - 1] if n > 0 else None
        return older, newer
