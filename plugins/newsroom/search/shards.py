"""Shards: records grouped by year (and month), each with a digest of what Pagefind is given."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Optional

from ..content.graph import ContentGraph
from ..core.model import Article
from .pagefind import PAGEFIND_VERSION
from .records import Record, article_record, brand_record, notice_record, topic_record, worker_record
from .tokens import token_text

SHARD_MAX = 1000                    # articles per shard at most (a bigger year splits by months)


ENTITY_SHARD = "nrent"


# Part of every shard digest: bump it when what Pagefind is given changes in a way
# the records' payloads do not show (the NewIndex config, how records are sent).
INDEX_FORMAT = 1


@dataclass
class Shard:
    key: str                         # the Pagefind "language" of this shard
    label: str                       # 2021, 2021年7-12月, 品牌与人物
    year: Optional[int]
    records: list[Record]

    def describe(self) -> dict:
        dates = [r.date for r in self.records if r.date]
        return {"key": self.key, "year": self.year, "label": self.label, "pages": len(self.records),
                "first": min(dates) if dates else "", "last": max(dates) if dates else ""}


def plan_shards(graph: ContentGraph, shard_max: int = SHARD_MAX) -> list[Shard]:
    """Entities (brands, workers, topics) first, then article shards newest first (by year, big years by months)."""
    shards = [Shard(ENTITY_SHARD, "品牌、劳模工匠与专题", None,
                    [brand_record(b) for b in graph.brands.values()]
                    + [worker_record(w) for w in graph.workers.values()]
                    + [topic_record(filled.topic) for filled in graph.topics])]
    for year, articles in graph.by_year.items():          # newest year first
        parts = max(1, -(-len(articles) // shard_max))
        if parts == 1:
            shards.append(Shard(f"nr{year}", f"{year}年", year, [article_record(a) for a in articles]))
            continue
        # Split the year into month ranges of about equal size, newest first.
        by_month: dict[int, list[Article]] = {}
        for a in articles:
            by_month.setdefault(a.date.month, []).append(a)
        target = len(articles) / parts
        group: list[Article] = []
        months: list[int] = []
        for month in sorted(by_month, reverse=True):
            group += by_month[month]
            months.append(month)
            if len(group) >= target or month == min(by_month):
                key = f"nr{year}m{min(months):02d}"
                label = f"{year}年{min(months)}-{max(months)}月" if len(months) > 1 else f"{year}年{months[0]}月"
                shards.append(Shard(key, label, year, [article_record(a) for a in group]))
                group, months = [], []
    # Notices beside their year's articles, newest year first (sorted is stable: articles first).
    shards = shards[:1] + sorted(shards[1:] + notice_shards(graph), key=lambda s: -(s.year or 0))
    return [s for s in shards if s.records]


def notice_shards(graph: ContentGraph) -> list[Shard]:
    """通知公告: one shard per year (a site has far fewer notices than articles), searched
    with that year's articles (search.js reads every shard that has a year)."""
    by_year: dict[int, list[Record]] = {}
    for n in sorted(graph.notices.listed, key=lambda n: n.date, reverse=True):
        by_year.setdefault(n.date.year, []).append(notice_record(n))
    return [Shard(f"nr{year}n", f"{year}年通知公告", year, records) for year, records in by_year.items()]


@dataclass
class Prepared:
    """What Pagefind is given for one shard, and what the bundle needs to know of it."""

    payloads: list[dict]             # AddRecord payloads; index_id is set when sent
    held: set[str]                   # the tokens the shard holds (for the routes)
    digest: str                      # of everything Pagefind is given: same digest, same index


def prepare_shard(shard: Shard) -> Prepared:
    held: set[str] = set()
    payloads = []
    for record in shard.records:
        content = token_text(record.text)
        held.update(content.split(" "))
        payloads.append(record.payload(0, shard.key, content))
    given = json.dumps([PAGEFIND_VERSION, INDEX_FORMAT, shard.key, payloads], ensure_ascii=False,
                       sort_keys=True, separators=(",", ":"))
    return Prepared(payloads, held, hashlib.sha256(given.encode("utf-8")).hexdigest())


