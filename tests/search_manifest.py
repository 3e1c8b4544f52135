"""The search bundle's manifest as tests compare it between two builds."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path


def comparable_manifest(bundle: Path) -> str:
    """newsroom-shards.json but for the names of Pagefind's files it carries (its tag of
    pagefind-entry.json, each shard's meta file): Pagefind names a shard's files anew each
    time it indexes it, also from the same records. Those are checked against the bundle's
    own entry instead, so a reused and a clean index compare equal when they are."""
    manifest = json.loads((bundle / "newsroom-shards.json").read_text(encoding="utf-8"))
    entry = (bundle / "pagefind-entry.json").read_bytes()
    assert manifest.pop("entry") == hashlib.sha256(entry).hexdigest()[:16]
    languages = json.loads(entry)["languages"]
    for shard in manifest["shards"]:
        meta = shard.pop("meta")
        assert meta == languages[shard["key"]]["hash"] and (bundle / f"pagefind.{meta}.pf_meta").is_file()
    return json.dumps(manifest, ensure_ascii=False, sort_keys=True)
