"""The content model: what editors write, as typed Python objects.

Plain dataclasses that know nothing of MkDocs. URLs are site-root-relative
strings without a leading slash (``news/2021/12/kegong-brands/``), the form
MkDocs uses for ``File.url``; templates turn them into relative links and
feeds into absolute ones.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from typing import Optional
from zoneinfo import ZoneInfo


@dataclass
class Settings:
    """Site-wide settings the core needs, read from ``site_config.yml``."""

    site_url: str = "https://example.org/"
    site_name: str = "工会新闻网"
    site_description: str = ""
    timezone: str = "Asia/Shanghai"
    per_page: int = 20
    publisher: str = ""
    publisher_logo: str = ""
    # When the build runs; articles dated after it are not published yet.
    now: Optional[dt.datetime] = None
    # ``serve --drafts`` shows drafts (and scheduled articles) in the preview.
    include_drafts: bool = False

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def build_time(self) -> dt.datetime:
        return self.now or dt.datetime.now(self.tz)


@dataclass
class SourceRef:
    """Where an entity came from: for editors' messages (``path:line``)."""

    path: str                       # as the editor knows it, e.g. content/news/2021/x.md
    lines: dict[str, int] = field(default_factory=dict)   # front-matter key -> line
    body_line: int = 1              # first line of the Markdown body

    def line_of(self, key: str) -> int:
        return self.lines.get(key, 1)


@dataclass
class Honor:
    title: str
    year: Optional[int] = None

    def __str__(self) -> str:
        return f"{self.year}年 {self.title}" if self.year else self.title


@dataclass
class Brand:
    id: str
    name: str
    source: SourceRef
    body: str = ""
    slogan: str = ""
    owner: str = ""
    region: str = ""
    family: str = ""
    attribute: str = ""
    since: Optional[int] = None
    logo: str = ""                  # site-relative URL of the copied logo, '' if none
    logo_src: str = ""              # the logo path as written (relative to the site root)

    @property
    def url(self) -> str:
        return f"brands/{self.id}/"

    @property
    def feed_url(self) -> str:
        return f"brands/{self.id}/feed.xml"

    @property
    def src_uri(self) -> str:
        return f"brands/{self.id}.md"


@dataclass
class Worker:
    id: str
    name: str
    source: SourceRef
    body: str = ""
    honors: list[Honor] = field(default_factory=list)
    occupation: str = ""
    employer: str = ""
    region: str = ""
    photo: str = ""                 # path under content/, '' if none

    @property
    def url(self) -> str:
        return f"workers/{self.id}/"

    @property
    def src_uri(self) -> str:
        return f"workers/{self.id}.md"

    @property
    def feed_url(self) -> str:
        return f"workers/{self.id}/feed.xml"


@dataclass
class Article:
    src_uri: str                    # path under content/, e.g. news/2021/kegong.md
    slug: str
    title: str
    date: dt.datetime               # timezone-aware
    source: SourceRef
    body: str = ""
    kicker: str = ""
    subtitle: str = ""
    reporters: list[str] = field(default_factory=list)
    correspondents: list[str] = field(default_factory=list)
    dateline: str = ""              # front matter `source`: 本报讯, 柯桥日报 ...
    region: str = ""
    brand_refs: list[str] = field(default_factory=list)
    worker_refs: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    column: str = ""
    image: str = ""                 # path under content/
    image_caption: str = ""
    image_credit: str = ""
    summary: str = ""
    featured: bool = False
    draft: bool = False
    updated: Optional[dt.datetime] = None
    # Filled in by the graph once references are resolved.
    brands: list[Brand] = field(default_factory=list)
    workers: list[Worker] = field(default_factory=list)

    # Cached: listings, feeds and digests ask for these millions of times on a large
    # site, and an article's date and slug never change once it is loaded.
    @cached_property
    def url(self) -> str:
        return f"news/{self.date.year:04d}/{self.date.month:02d}/{self.slug}/"

    @property
    def year(self) -> int:
        return self.date.year

    @property
    def modified(self) -> dt.datetime:
        return self.updated or self.date

    @cached_property
    def timestamp(self) -> float:
        """Seconds since the epoch (comparing distances in time without datetime arithmetic)."""
        return self.date.timestamp()

    @cached_property
    def sort_key(self) -> tuple[dt.datetime, str]:
        # Newest first everywhere; the URL breaks ties so order is stable.
        return (self.date, self.url)

    def is_public(self, now: dt.datetime) -> bool:
        """Published: not a draft, and dated at or before ``now`` (the build's time).

        The one rule for the graph (what the site lists), feeds and the news sitemap:
        ``serve --drafts`` puts the others in the graph, never in feeds or sitemaps."""
        return not self.draft and self.date <= now
