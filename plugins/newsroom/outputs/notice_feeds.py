"""The notices' feed (通知公告): ``notices/feed.xml`` and ``notices/feed.json``.

The channel and the serialization are ``feeds.FeedBuilder``'s; only the items differ:
a notice's item carries its issuer as the author, its category, its 文号 and status
(JSON Feed ``_newsroom``) and its attachments (the first as the RSS enclosure, all of
them in the JSON Feed).
"""
from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from typing import Iterator

from ..content.graph import ContentGraph
from ..content.notices import ATTACHMENT_MIME as MIME_TYPES
from ..core import dates
from ..core.feedrules import notice_feed
from ..core.model import Notice
from ..core.urls import abs_url
from .feeds import FEED_ITEMS, Enclosure, Feed, FeedBuilder, Item
from .html import absolutize
from .writer import Writer



@dataclass
class NoticeItem(Item):
    """An ``Item`` whose JSON Feed lists every attachment, not only the enclosure."""

    files: list[Enclosure] = field(default_factory=list)

    def json(self) -> str:
        if self._json is None:
            obj = json.loads(super().json())
            if self.files:
                obj["attachments"] = [{"url": f.url, "mime_type": f.type, "size_in_bytes": f.length}
                                      for f in self.files]
            self._json = json.dumps(obj, ensure_ascii=False)
        return self._json


class NoticeFeedBuilder(FeedBuilder):
    """``FeedBuilder`` over the notices: ``Feed.articles`` holds notices here."""

    def feeds(self) -> Iterator[Feed]:
        s = self.settings
        ref = notice_feed(s)
        newest_first = sorted(self.graph.notices.listed, key=lambda n: (n.date, n.url), reverse=True)
        listed = [n for n in newest_first if n.is_public(self.now)][:FEED_ITEMS]
        yield Feed(ref.path, ref.title, abs_url(s, ref.page), ref.description, listed)  # type: ignore[arg-type]

    def item(self, n: Notice) -> Item:     # type: ignore[override]
        found = self.items.get(n.url)
        if found is None:
            found = self.items[n.url] = self._notice_item(n)
        return found

    def _notice_item(self, n: Notice) -> NoticeItem:
        s = self.settings
        link = abs_url(s, n.url)
        body = self.article_html.get(n.url)
        facts = [f"{label}：{value}" for label, value in
                 (("文号", n.doc_number), ("发文机关", n.issuer), ("状态", n.status)) if value]
        head = "".join(f"<p>{html.escape(line)}</p>" for line in facts)
        content = head + (absolutize(body, link) if body is not None else "")
        files = [Enclosure(abs_url(s, a.path), a.size, MIME_TYPES[_ext(a.path)]) for a in n.attachments]
        summary = "；".join(facts)
        extension = {"category": n.category, "doc_number": n.doc_number, "issuer": n.issuer, "status": n.status}
        return NoticeItem(n, link, n.title, summary, content, dates.rfc822(n.date),   # type: ignore[arg-type]
                          [n.issuer], [n.category], enclosure=files[0] if files else None,
                          extension=extension, files=files)


def _ext(path: str) -> str:
    return "." + path.rpartition(".")[2].lower()


def write_notice_feeds(graph: ContentGraph, out: Writer, article_html: dict[str, str]) -> None:
    """The notices' RSS and JSON Feed, when the site has notices."""
    if not graph.notices.listed:
        return
    builder = NoticeFeedBuilder(graph, article_html, out.site_dir)
    for feed in builder.feeds():
        rss, feed_json = builder.rss(feed), builder.json_feed(feed)
        # The files themselves are the key: a handful of notices costs nothing to serialize.
        out.write(feed.path, rss, lambda: rss)
        out.write(feed.json_path, feed_json, lambda: feed_json)
