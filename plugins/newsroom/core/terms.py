"""Term kinds as data: the one table of tags, regions and columns.

A term is a free-text name an article carries (a tag, its region, its column). Each
kind has a folder of listings (``tags/<名>/``), an index page (``tags/``), a Chinese
label and a graph index (``ContentGraph.by_tag``). Every rule about term kinds
(URLs, generated folders, the index pages, the region feed, the templates' links)
reads this table instead of repeating it.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TermRule:
    kind: str           # tag, region, column: what an article's field holds
    folder: str         # the site folder of its listings and index page
    label: str          # Chinese, for titles and links
    index: str          # the ContentGraph attribute listing its articles by name
    example: str        # a name to show editors in hints
    nav_order: int      # position in the index pages' "按栏目 / 按标签 / 按地区" links
    has_feed: bool = False   # each of its listings has a feed (regions)

    @property
    def index_kind(self) -> str:
        """The page kind of its index page: tags, regions, columns."""
        return f"{self.kind}s"

    @property
    def all_label(self) -> str:
        """The link from a listing back to the index: 全部标签."""
        return f"全部{self.label}"


# In the order their pages are generated (sitemap.xml follows it).
TERM_RULES = (
    TermRule("tag", "tags", "标签", "by_tag", "志愿服务", nav_order=1),
    TermRule("region", "regions", "地区", "by_region", "绍兴市柯桥区", nav_order=2, has_feed=True),
    TermRule("column", "columns", "栏目", "by_column", "工运速递", nav_order=0),
)
TERM_BY_KIND = {rule.kind: rule for rule in TERM_RULES}
