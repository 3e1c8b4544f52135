"""A notice's page (通知公告): 文号, 发文机关, 成文日期, status, attachments, the body.

Also the ``NoticeCard`` listings and the home page show of a notice.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterator, Optional

from ...content.graph_data import ContentGraph
from ...core import dates
from ...core.feedrules import notice_feed
from ...core.model import Attachment, Notice
from ...core.settings import Settings
from ...core.urls import notice_category_url
from ..jsonld import notice_document
from ..text import summary_text
from .base import Kind, KindHead, Page, logo_or
from .cards import Cards, TermLink


@dataclass(frozen=True)
class NoticeCard:
    """What a listing (and the home page) shows of a notice."""

    url: str
    title: str
    date: dt.datetime
    modified: dt.datetime            # sitemaps' lastmod of the pages listing it
    category: str
    issuer: str
    doc_number: str
    status: str                      # 有效, 已废止, 已修订
    pinned: bool                     # on top of /notices/ until pinned_until
    closed: bool                     # a 公示 past its expires: 已截止


@dataclass(frozen=True)
class NoticeLink:
    title: str
    url: str


@dataclass(frozen=True)
class AttachmentView:
    url: str                         # site-root-relative: files/2024/x.pdf
    title: str
    kind: str                        # PDF, Word, Excel, ZIP
    size: int                        # bytes
    size_text: str                   # 12.3 KB


@dataclass(frozen=True)
class NoticeView:
    """Everything the notice page and its head show."""

    url: str
    title: str
    date: dt.datetime
    category: TermLink
    issuer: str
    doc_number: str
    written: Optional[dt.datetime]
    status: str
    replaced_by: Optional[NoticeLink]   # the notice that replaces it, while published
    replaces: tuple[NoticeLink, ...]    # the notices it replaces
    expires: Optional[dt.datetime]
    closed: bool
    attachments: tuple[AttachmentView, ...]
    summary: str


def card(n: Notice, now: dt.datetime) -> NoticeCard:
    return NoticeCard(n.url, n.title, n.date, n.modified, n.category, n.issuer, n.doc_number, n.status,
                      n.is_pinned(now), n.is_closed(now))


def size_text(size: int) -> str:
    """How big a download is, as readers read it: 856 字节, 12.3 KB, 1.2 MB."""
    if size < 1024:
        return f"{size} 字节"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def attachment_view(a: Attachment) -> AttachmentView:
    return AttachmentView(a.path, a.title, a.kind, a.size, size_text(a.size))


class NoticeKind(Kind[NoticeView]):
    name = "notice"
    template = "notice.html"
    order = 1.5
    keeps_html = True                # the notices' feed carries the body

    def pages(self, graph: ContentGraph, cards: Cards) -> Iterator[Page[NoticeView]]:
        index, s = graph.notices, graph.settings
        now = s.build_time()
        replaces: dict[str, list[NoticeLink]] = {}
        for n in index.listed:
            target = index.by_ref.get(n.replaced_by.removesuffix(".md")) if n.replaced_by else None
            if target is not None:
                replaces.setdefault(target.ref, []).append(NoticeLink(n.title, n.url))
        for n in index.listed:
            target = index.by_ref.get(n.replaced_by.removesuffix(".md")) if n.replaced_by else None
            view = NoticeView(
                n.url, n.title, n.date, TermLink(n.category, notice_category_url(n.category)), n.issuer,
                n.doc_number, n.written, n.status, NoticeLink(target.title, target.url) if target else None,
                tuple(replaces.get(n.ref, ())), n.expires, n.is_closed(now),
                tuple(map(attachment_view, n.attachments)), summary_text(n.body, 120))
            yield self.page(n.src_uri, n.url, n.title, view, n.body, view.summary, (notice_feed(s),))

    def sources(self, graph: ContentGraph) -> Iterator[str]:
        return (n.src_uri for n in graph.notices.listed)

    def lastmod(self, page: Page[NoticeView]) -> Optional[dt.datetime]:
        return page.data.date

    def head(self, page: Page[NoticeView], s: Settings) -> KindHead:
        n = page.data
        meta = (("article:published_time", dates.iso(n.date)), ("article:section", n.category.name))
        return KindHead("article", logo_or(s, ""), meta, notice_document(s, n))


KINDS = (NoticeKind(),)
