"""Search records: one per article, brand and worker, in three parts search.js splits."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..core.model import Article, Brand, Worker
from ..pages.text import plain


@dataclass
class Record:
    url: str                         # site-root-relative, as Article.url
    kind: str                        # article, brand, worker
    title: str
    text: str                        # readable text (title first)
    date: str = ""                   # YYYY-MM-DD
    brands: list[str] = field(default_factory=list)
    region: str = ""
    year: str = ""

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


def article_record(a: Article) -> Record:
    people = a.reporters + a.correspondents
    meta = [" ".join(b.name for b in a.brands), " ".join(w.name for w in a.workers), a.region,
            " ".join(a.tags), a.column, a.dateline, " ".join(people), a.image_caption]
    text = record_text([a.title, a.kicker, a.subtitle], [a.summary, plain(a.body)], meta)
    return Record(a.url, "article", a.title, text, f"{a.date:%Y-%m-%d}", [b.name for b in a.brands],
                  a.region, str(a.year))


def brand_record(b: Brand) -> Record:
    text = record_text([b.name], [b.slogan, plain(b.body)], [b.attribute, b.owner, b.family, b.region])
    return Record(b.url, "brand", b.name, text, brands=[b.name], region=b.region)


def worker_record(w: Worker) -> Record:
    honors = " ".join(str(h) for h in w.honors)
    text = record_text([w.name], [plain(w.body)], [honors, w.occupation, w.employer, w.region])
    return Record(w.url, "worker", w.name, text, region=w.region)


