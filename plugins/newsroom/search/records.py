"""Search records: one per article, brand and worker, in three parts search.js splits."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..core.model import SCHEMAS, Article, Brand, Notice, Topic, Worker
from ..core.schema import SEARCH_PARTS, F
from ..pages.text import plain


@dataclass
class Record:
    url: str                         # site-root-relative, as Article.url
    kind: str                        # article, brand, worker, notice, topic
    title: str
    text: str                        # readable text (title first)
    date: str = ""                   # YYYY-MM-DD
    brands: list[str] = field(default_factory=list)
    region: str = ""
    year: str = ""
    category: str = ""               # notices: 通知, 公告, 公示, 政策文件 (a facet)

    def payload(self, index_id: int, language: str, content: str) -> dict:
        meta = {"title": self.title, "type": self.kind}
        filters: dict[str, list[str]] = {"type": [self.kind]}
        if self.date:
            meta["date"] = self.date
        if self.brands:
            meta["brands"] = "、".join(self.brands)
            filters["brand"] = self.brands
        if self.region:
            meta["region"] = self.region
            filters["region"] = [self.region]
        if self.year:
            filters["year"] = [self.year]
        if self.category:
            meta["category"] = self.category
            filters["category"] = [self.category]
        return {"type": "AddRecord", "index_id": index_id, "url": self.url,
                "content": content, "language": language, "meta": meta,
                "filters": filters, "sort": {"date": self.date or "0000-00-00"}}


# A record's text has three parts, each starting on a line of its own after this
# mark: the headline, the prose excerpts are cut from (the page's own sentences),
# and the metadata (names, places, tags), searchable but never shown in an excerpt.
# search.js splits on it. A private-use character: no text of ours holds one.
SECTION = "\ue000"


def record_text(head: list[str], prose: list[str], meta: list[str]) -> str:
    def part(lines: list[str]) -> str:
        return "\n".join(s.replace(SECTION, "") for s in lines if s)
    return f"\n{SECTION}\n".join([part(head), part(prose), part(meta)])


def schema_text(kind: str, entity: Any) -> str:
    """The record's text from the schema: each part's fields in their ``search`` order;
    the body's plain text ends the prose."""
    schema = SCHEMAS[kind]
    head, prose, meta = ([_slot_text(entity, slot) for slot in schema.search_slots(part)] for part in SEARCH_PARTS)
    return record_text(head, prose + [plain(entity.body)], meta)


def _slot_text(entity: Any, slot: list[F]) -> str:
    """One line: a text field as it is; list fields sharing the slot joined by spaces;
    a reference, the names of the entities it resolved to (the graph keeps them under
    the front-matter key: Article.brands)."""
    if len(slot) == 1 and slot[0].type not in ("list", "honors"):
        return getattr(entity, slot[0].attr)
    items: list[str] = []
    for f in slot:
        if f.ref:
            items += [e.name for e in getattr(entity, f.name)]
        else:
            items += map(str, getattr(entity, f.attr))
    return " ".join(items)


def article_record(a: Article) -> Record:
    return Record(a.url, "article", a.title, schema_text("article", a), f"{a.date:%Y-%m-%d}",
                  [b.name for b in a.brands], a.region, str(a.year))


def brand_record(b: Brand) -> Record:
    return Record(b.url, "brand", b.name, schema_text("brand", b), brands=[b.name], region=b.region)


def worker_record(w: Worker) -> Record:
    return Record(w.url, "worker", w.name, schema_text("worker", w), region=w.region)


def notice_record(n: Notice) -> Record:
    return Record(n.url, "notice", n.title, schema_text("notice", n), f"{n.date:%Y-%m-%d}",
                  year=str(n.date.year), category=n.category)


def topic_record(t: Topic) -> Record:
    """A topic (专题) is found like a brand: by its title, summary and introduction."""
    return Record(t.url, "topic", t.title, schema_text("topic", t))
