"""A warm build's search shards whose records need not be made (plan_shards' ``reuse``).

Making the records of 10,000 articles (their bodies' plain text), pickling them for the
indexer and digesting them there cost about 2 CPU-s of a warm build after one new article,
though every shard but the newest year's is linked from the published bundle unchanged.

A record is a function of its article (every field, its brands' and workers' names), of
its 版名 in the print edition and of our code. The warm build's fingerprints of its
articles (``pages/kinds/kept.Inputs``: every field by ``repr``, brands and workers whole;
its key holds the settings and our code's version) cover all of it, so a shard's *inputs
digest* is taken from its articles' fingerprints, URLs and 版名 in order. The build cache
keeps, per shard key, the inputs digest with the source digest (``shards.source_digest``)
of the shard the published bundle holds (``shards.json``, mkdocs/warm_store.py). A shard
whose inputs digest is the kept one is planned with that source digest and no records:
the indexer links the published shard if the bundle's manifest has that very source
digest and its files check out, and otherwise reports it stale (``StaleShard``), and the
whole index is made again from records (indexer.IndexJob.finish). A fingerprint that is
not stable between processes only makes its shard's records be made.

``check`` (``NEWSROOM_CHECK_KNOWN``, every test build): the records of each shard planned
without them are made anyway, and the build fails if their source digest is not the kept one.
"""
from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import dataclass, field
from typing import Any, Optional

from .pagefind import PAGEFIND_VERSION
from .shards import INDEX_FORMAT, Shard, shard_records, source_digest

FORMAT = 1
REPORT = "NEWSROOM_SHARDS_TAKEN"     # check mode: the shards planned without records, on stderr


@dataclass
class ShardReuse:
    """``plan_shards``' reuse: called with each shard (no records yet), its kind and its entities."""

    key: str                                  # kept.Inputs.key: the settings and our code's version
    prints: dict[str, str]                    # article src_uri -> its fingerprint (kept.Inputs)
    kept: dict[str, tuple[str, str]]          # the last build's: shard key -> (inputs, source digest)
    epaper: Any                               # graph.epaper: each article's 版名
    check: bool = False
    inputs: dict[str, str] = field(default_factory=dict)      # this build's: shard key -> inputs digest
    _taken: dict[str, tuple[str, list]] = field(default_factory=dict)    # check mode: key -> (kind, entities)

    def __call__(self, shard: Shard, kind: str, entities: list) -> Optional[str]:
        marks = []
        for e in entities:
            mark = self.prints.get(getattr(e, "src_uri", ""))
            if mark is None:                  # not an article of the fingerprints (a notice)
                return None
            marks.append((e.src_uri, e.url, mark, self.epaper.section_of(e.url)))
        given = json.dumps(["shard", FORMAT, PAGEFIND_VERSION, INDEX_FORMAT, self.key, type(entities[0]).__name__,
                            shard.key, shard.label, shard.year, marks], ensure_ascii=False)
        digest = hashlib.sha256(given.encode("utf-8", "surrogatepass")).hexdigest()
        self.inputs[shard.key] = digest
        old = self.kept.get(shard.key)
        if old is None or old[0] != digest:
            return None
        if self.check:
            self._taken[shard.key] = (kind, entities)
        return old[1]

    def verify(self, shards: list[Shard]) -> None:
        """Check mode: each shard planned without records, made with them, has the kept source digest."""
        if not self.check:
            return
        stale = []
        for shard in shards:
            if shard.kept is None:
                continue
            made = Shard(shard.key, shard.label, shard.year, shard_records(*self._taken[shard.key], self.epaper))
            if source_digest(made) != shard.kept.source or made.describe() != shard.describe():
                stale.append(shard.key)
        print(f"{REPORT} " + json.dumps({"taken": sorted(s.key for s in shards if s.kept), "stale": stale}),
              file=sys.stderr)
        if stale:
            raise RuntimeError(f"search shards taken as unchanged are not: {stale}")
