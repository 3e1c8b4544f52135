"""Shards: records grouped by year (and month), each with a digest of what Pagefind is given."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Optional

from ..core.model import SCHEMAS
from ..core.schema import Schema
from .pagefind import PAGEFIND_VERSION
from .records import Record, record
from .token_texts import TokenTexts
from .tokens import token_list

# Annotations only (not imported in the indexer process: see indexer.py).
if TYPE_CHECKING:
    from ..content.graph_data import ContentGraph

SHARD_MAX = 1000                    # articles per shard at most (a bigger year splits by months)


ENTITY_SHARD = "nrent"             # the named entities' own shard, on a site without dated records


# Part of every shard digest: bump it when what Pagefind is given changes in a way
# the records' payloads do not show (the NewIndex config, how records are sent).
INDEX_FORMAT = 1


@dataclass
class Shard:
    key: str                         # the Pagefind "language" of this shard
    label: str                       # 2021, 2021年7-12月, 品牌与人物
    year: Optional[int]
    records: list[Record]
    named: Optional["Named"] = None  # the named entities' records, first in ``records``
    kept: Optional["Kept"] = None    # planned without its records: the earlier bundle's is linked

    @property
    def pages(self) -> int:
        return self.kept.pages if self.kept is not None else len(self.records)

    def describe(self) -> dict:
        if self.kept is not None:
            first, last = self.kept.first, self.kept.last
        else:
            dates = [r.date for r in self.records[self.named.pages if self.named else 0:] if r.date]
            first, last = (min(dates), max(dates)) if dates else ("", "")
        out = {"key": self.key, "year": self.year, "label": self.label, "pages": self.pages,
               "first": first, "last": last}
        if self.named:
            out["entities"] = {"label": self.named.label, "pages": self.named.pages, "kinds": self.named.kinds}
        return out


@dataclass
class Named:
    """The named entities (brands, workers, topics) a shard holds: search.js searches them
    apart from the articles beside them, by the ``type`` filter."""

    label: str                       # 品牌、劳模工匠与专题
    pages: int
    kinds: list[str]                 # their records' types


@dataclass
class Kept:
    """A shard whose records were not made: its entities' inputs are those the earlier bundle's
    shard of this source digest was made from (search/kept_shards.py). The indexer links that
    shard and never indexes this one; if the earlier bundle lacks it, ``StaleShard``."""

    source: str                      # the earlier shard's source digest
    pages: int
    first: str                       # its dates, as describe() gives them
    last: str


class StaleShard(Exception):
    """A shard planned without its records is not in the earlier bundle as it was kept."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


# reuse(shard, kind, entities): the source digest of an earlier shard made from the same
# inputs, or None.
Reuse = Callable[[Shard, str, list], Optional[str]]


def shard_records(kind: str, entities: list, epaper: Any) -> list[Record]:
    """The search records of these entities of one kind, each with the 版名 its article
    appeared on in the print edition (a filter: content/epaper.py)."""
    records = [record(kind, e) for e in entities]
    for r in records:
        r.ban = epaper.section_of(r.url)
    return records


def plan_shards(graph: ContentGraph, shard_max: int = SHARD_MAX, reuse: Optional[Reuse] = None) -> list[Shard]:
    """Shards by year, newest year first; within a year, each kind's in the registry's order
    (articles, then notices). Which kinds, and how, each schema says (``Schema.search``).

    The named entities (brands, workers, topics) go into the first (newest) shard, ahead
    of its articles: every query searches them and the newest articles, and Pagefind loads
    one index chunk per query token and shard (~20,000 postings, ~23 KB at 10k articles
    whatever the token), so one shard for both costs a query one chunk per token less
    than two. Only a site without dated records keeps them in a shard of their own.

    ``reuse`` (a warm build's, search/kept_shards.py): a shard it knows is planned without
    its records (``Shard.kept``), except the one holding the named entities."""
    kinds = [schema.kind for schema in SCHEMAS.values() if schema.search == "entities"]
    named = [r for kind in kinds for r in shard_records(kind, graph.of_kind(kind), graph.epaper)]
    dated = [(shard, listed, schema.kind) for schema in SCHEMAS.values() if schema.search == "years"
             for shard, listed in _year_shards(schema, graph.of_kind(schema.kind), shard_max)]
    # Newest year first (sorted is stable: articles before notices).
    dated.sort(key=lambda planned: -(planned[0].year or 0))
    shards = []
    for n, (shard, listed, kind) in enumerate(dated):
        source = reuse(shard, kind, listed) if reuse is not None and not (n == 0 and named) else None
        if source:
            # Each day formatted once (a few hundred), not each of 10,000 entities' dates.
            dates = [f"{day:%Y-%m-%d}" for day in {e.date.date() for e in listed}]
            shard.kept = Kept(source, len(listed), min(dates), max(dates))
        else:
            shard.records = shard_records(kind, listed, graph.epaper)
        shards.append(shard)
    if named:
        zh = [SCHEMAS[kind].zh for kind in kinds]
        entities = Named("、".join(zh[:-1]) + "与" + zh[-1], len(named), kinds)     # 品牌、劳模工匠与专题
        if shards:
            shards[0].records[:0] = named
            shards[0].named = entities
        else:
            shards = [Shard(ENTITY_SHARD, entities.label, None, named, entities)]
    return [s for s in shards if s.records or s.kept]


def _year_shards(schema: Schema, entities: list, shard_max: int) -> list[tuple[Shard, list]]:
    """One kind's shards (without their records) and the entities of each: one per year,
    newest first; a year bigger than ``shard_max`` split by months. Articles' keys are
    nr2021 (nr2021m07 …), another kind's end in its ``shard``."""
    by_year: dict[int, list] = {}
    for e in sorted(entities, key=lambda e: (e.date, e.url), reverse=True):
        by_year.setdefault(e.date.year, []).append(e)
    label = schema.zh if schema.shard else ""       # 2022年 (articles), 2022年通知公告
    shards: list[tuple[Shard, list]] = []
    for year, listed in by_year.items():
        parts = max(1, -(-len(listed) // shard_max))
        if parts == 1:
            shards.append((Shard(f"nr{year}{schema.shard}", f"{year}年{label}", year, []), listed))
            continue
        # Split the year into month ranges of about equal size, newest first.
        by_month: dict[int, list] = {}
        for e in listed:
            by_month.setdefault(e.date.month, []).append(e)
        target = len(listed) / parts
        group: list = []
        months: list[int] = []
        for month in sorted(by_month, reverse=True):
            group += by_month[month]
            months.append(month)
            if len(group) >= target or month == min(by_month):
                key = f"nr{year}m{min(months):02d}{schema.shard}"
                span = f"{min(months)}-{max(months)}月" if len(months) > 1 else f"{months[0]}月"
                shards.append((Shard(key, f"{year}年{span}{label}", year, []), group))
                group, months = [], []
    return shards


@dataclass
class Prepared:
    """What Pagefind is given for one shard, and what the bundle needs to know of it."""

    # Each AddRecord payload as JSON, without its opening brace, type and index id (set when
    # sent: PagefindService.add_records): encoded once, for the digest and for Pagefind.
    payloads: list[str]
    held: set[str]                   # the tokens the shard holds (for the routes)
    digest: str                      # of everything Pagefind is given: same digest, same index
    source: str = ""                 # source_digest: the shard before its text is tokenized


# The code that turns records into what Pagefind is given (tokens, payloads, routes):
# part of every source digest, so a shard is tokenized again whenever it changes.
_CODE = hashlib.sha256(b"".join(Path(__file__).with_name(name).read_bytes()
                                for name in ("tokens.py", "records.py", "shards.py", "bundle.py",
                                             "token_texts.py"))).hexdigest()


def source_digest(shard: Shard) -> str:
    """A digest of the shard's records as they are before tokenizing, with the code that
    tokenizes them: the same source digest means the same ``Prepared.digest`` and tokens,
    so an earlier bundle's shard is reused without tokenizing its text again (~0.5 ms an
    article)."""
    given = json.dumps([PAGEFIND_VERSION, INDEX_FORMAT, _CODE, shard.key,
                        [r.payload(0, shard.key, r.text) for r in shard.records]],
                       ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(given.encode("utf-8", "surrogatepass")).hexdigest()


def held_by_shard(routes: Path, keys: list[str], buckets: int) -> Optional[dict[str, set[str]]]:
    """The routed tokens of each shard of an earlier bundle (``keys`` in its order), read
    back from its routes; None if a bucket is missing or unreadable."""
    held: dict[str, set[str]] = {key: set() for key in keys}
    try:
        for n in range(buckets):
            for token, mask in json.loads((routes / f"{n}.json").read_text(encoding="utf-8")).items():
                bits = int(mask, 16)
                while bits:
                    low = bits & -bits
                    held[keys[low.bit_length() - 1]].add(token)
                    bits ^= low
    except (OSError, ValueError, TypeError, AttributeError, IndexError):
        return None
    return held


def prepare_shard(shard: Shard, texts: Optional[TokenTexts] = None) -> Prepared:
    """Tokenize the shard's records and encode what Pagefind is given, once: the digest is
    taken over the same JSON that is sent (one JSON encoding of the tokenized text, not two).
    ``texts``: token texts kept from an earlier build (token_texts.py), by the records' text."""
    held: set[str] = set()
    payloads = []
    digest = hashlib.sha256(json.dumps([PAGEFIND_VERSION, INDEX_FORMAT, shard.key]).encode("utf-8"))
    for made in shard.records:
        if texts is None:
            tokens = token_list(made.text)
            content = " ".join(tokens)
        else:            # no token holds a space or is empty: split, the list it was joined from
            content = texts.of(made.text)
            tokens = content.split(" ") if content else []
        held.update(tokens)
        fields = made.payload(0, shard.key, content)
        del fields["type"], fields["index_id"]
        body = json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        digest.update(body.encode("utf-8"))
        digest.update(b"\n")                   # never inside the JSON (escaped there)
        payloads.append(body[1:])
    return Prepared(payloads, held, digest.hexdigest())
