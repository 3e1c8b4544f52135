"""``ContentGraph``: every entity of the site, loaded once, and its indexes (by brand, worker,
year, tag, region, column). graph.py's ``build_graph`` makes it; every page, listing, feed
and search record is derived from it.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ..core.model import Article, Brand, Topic, Worker
from ..core.settings import Settings
from .epaper import EpaperIndex
from .notices import NoticeIndex
from .photo_refs import PhotoSet
from .safety import Listing
from .topics import TopicArticles


@dataclass
class ContentGraph:
    settings: Settings
    content_dir: Path
    brands_dir: Path
    articles: list[Article] = field(default_factory=list)      # published, newest first
    unpublished: list[Article] = field(default_factory=list)   # drafts and scheduled
    free_pages: list[str] = field(default_factory=list)        # src URIs under content/pages/
    # (file as editors know it, line, path under content/) of each free page's body image:
    # MkDocs renders free pages, the photo build still makes their variants.
    free_page_images: list[tuple[str, int, str]] = field(default_factory=list)
    brands: dict[str, Brand] = field(default_factory=dict)
    workers: dict[str, Worker] = field(default_factory=dict)
    by_src: dict[str, Article] = field(default_factory=dict)
    by_brand: dict[str, list[Article]] = field(default_factory=dict)
    by_worker: dict[str, list[Article]] = field(default_factory=dict)
    by_year: dict[int, list[Article]] = field(default_factory=dict)
    by_tag: dict[str, list[Article]] = field(default_factory=dict)
    by_region: dict[str, list[Article]] = field(default_factory=dict)
    by_column: dict[str, list[Article]] = field(default_factory=dict)
    # Topics that have started (content/topics.py), by start, newest first; filled by fill().
    topic_files: list[Topic] = field(default_factory=list)
    topics: list[TopicArticles] = field(default_factory=list)
    topics_of: dict[str, list[Topic]] = field(default_factory=dict)   # article src_uri -> its topics
    # Every file under content/ that may be read or published (links out, special files left out):
    # MkDocs' own walk is filtered by it (plugin.on_files), and so is the preview's (mkdocs/preview.py).
    content_files: Listing | None = None
    notices: NoticeIndex = field(default_factory=NoticeIndex)   # 通知公告 (content/notices.py)
    epaper: EpaperIndex = field(default_factory=EpaperIndex)     # 数字报 (content/epaper.py)
    # Kinds registered without a place of their own above (core/model.register): kind ->
    # its entities, those the site publishes (``is_public``, when the model has it) in file order.
    entities: dict[str, list] = field(default_factory=dict)
    # Every raster image rendered by the photo engine (content/photo_refs.py), after loading.
    photos: PhotoSet = field(default_factory=PhotoSet)

    def index(self) -> None:
        """(Re)compute every index from ``articles``; lists stay newest first."""
        self.articles.sort(key=lambda a: a.sort_key, reverse=True)
        self.by_src = {a.src_uri: a for a in self.articles}
        groups: dict[str, defaultdict] = {k: defaultdict(list) for k in
                                          ("brand", "worker", "year", "tag", "region", "column")}
        for a in self.articles:
            for b in a.brands:
                groups["brand"][b.id].append(a)
            for w in a.workers:
                groups["worker"][w.id].append(a)
            groups["year"][a.year].append(a)
            for t in a.tags:
                groups["tag"][t].append(a)
            if a.region:
                groups["region"][a.region].append(a)
            if a.column:
                groups["column"][a.column].append(a)
        self.by_brand = {b: groups["brand"].get(b, []) for b in self.brands}
        self.by_worker = {w: groups["worker"].get(w, []) for w in self.workers}
        self.by_year = dict(sorted(groups["year"].items(), reverse=True))
        self.by_tag = dict(groups["tag"])
        self.by_region = dict(groups["region"])
        self.by_column = dict(groups["column"])

    def of_kind(self, kind: str) -> list:
        """The entities of one registered kind the site publishes (search, feeds, URLs)."""
        own = {"article": lambda: self.articles, "brand": lambda: list(self.brands.values()),
               "worker": lambda: list(self.workers.values()), "topic": lambda: self.topic_files,
               "notice": lambda: self.notices.listed}.get(kind)
        return own() if own is not None else self.entities.get(kind, [])

    @property
    def lead(self) -> Article | None:
        """The home page's lead story: the newest featured, else the newest."""
        return next((a for a in self.articles if a.featured), self.articles[0] if self.articles else None)

    def brand_families(self) -> list[tuple[str, list[Brand]]]:
        """The brand wall: brands grouped by the union that owns them, in a stable order.

        Groups are owners only (a family such as 柯工 or 嘉工惠 is a brand matrix, not
        an owner: the wall shows it on its brands' chips); inside a group a family's
        brands stand together, each family where its first brand would be.
        """
        groups: dict[str, list[Brand]] = defaultdict(list)
        for brand in sorted(self.brands.values(), key=lambda b: (b.since or 9999, b.id)):
            groups[brand.owner or "其他品牌"].append(brand)
        for brands in groups.values():
            first = {}
            for n, b in enumerate(brands):
                first.setdefault(b.family or b.name, n)
            brands.sort(key=lambda b: first[b.family or b.name])   # stable: keeps the order within
        return sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))
