"""Search records: one per searchable entity (articles, notices, brands, workers …), from its
schema: the text in three parts search.js splits, the filters from the fields' ``facet``."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..core.model import SCHEMAS
from ..core.schema import SEARCH_PARTS, F
from ..pages.text import plain


@dataclass
class Record:
    url: str                         # site-root-relative, as Article.url
    kind: str                        # the entity's kind: article, notice, brand, worker
    title: str
    text: str                        # readable text (title first)
    date: str = ""                   # YYYY-MM-DD
    brands: list[str] = field(default_factory=list)
    region: str = ""
    year: str = ""
    category: str = ""               # notices: 通知, 公告, 公示, 政策文件 (a facet)
    ban: str = ""                    # 版名 of the print page an article appeared on (a filter)

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
        if self.ban:
            meta["ban"] = self.ban
            filters["ban"] = [self.ban]
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


def record(kind: str, entity: Any) -> Record:
    """An entity's record: its title is its first ``head`` field (title, name); a ``date``
    gives the date and year; each field with a ``facet`` fills that filter (a reference,
    with the names of the entities it resolved to)."""
    schema = SCHEMAS[kind]
    title = schema.title(entity)
    date = getattr(entity, "date", None) if schema.field("date") is not None else None
    facets: dict[str, Any] = {}
    for f in schema.fields():
        if f.facet == "brand":
            facets["brands"] = [e.name for e in getattr(entity, f.name)] if f.ref else [getattr(entity, f.attr)]
        elif f.facet:
            facets[f.facet] = getattr(entity, f.attr)
    return Record(entity.url, kind, title, schema_text(kind, entity), f"{date:%Y-%m-%d}" if date else "",
                  year=str(date.year) if date else "", **facets)
