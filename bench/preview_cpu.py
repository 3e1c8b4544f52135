"""The live preview's per-save CPU, without MkDocs: load the graph, make every page's data, digest.

    python bench/preview_cpu.py CORPUS_DIR [--check]

What ``LivePreview.update`` does before it renders anything (``preview_bench.py`` times
the whole update, rendering, feeds and search included, but needs a full MkDocs build
first: minutes on a loaded machine). CORPUS_DIR (gen_corpus.py's content/ and brands/)
is copied to a scratch folder; after a first snapshot the collector's objects are frozen
(as the preview's after its full build), then the bench's edits are made one at a time and
each save's CPU seconds are printed by phase. ``--check``: after each save the digests must
equal those of a snapshot made from scratch (no cache, no memo). Run it with another
checkout first on PYTHONPATH for a before/after in one sitting.
"""
from __future__ import annotations

import argparse
import gc
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--check", action="store_true", help="compare every save with a snapshot from scratch")
    a = ap.parse_args()
    import newsroom
    from newsroom.content.graph import build_graph
    from newsroom.content.load import DocCache
    from newsroom.core.settings import Settings
    from newsroom.pages.digest import Snapshot, plan
    from newsroom.pages.kinds import site_pages
    from newsroom.pages.related import RelatedMemo

    tree = Path(tempfile.mkdtemp(prefix="preview-cpu-"))
    shutil.copytree(a.corpus / "content", tree / "content")
    shutil.copytree(a.corpus / "brands", tree / "brands")
    settings = Settings()

    def snapshot(cache: DocCache, memo: RelatedMemo, before=None) -> tuple[Snapshot, tuple[float, ...]]:
        t0 = time.process_time()
        graph, _ = build_graph(tree / "content", tree / "brands", settings, cache=cache)
        t1 = time.process_time()
        specs = list(site_pages(graph, memo))
        t2 = time.process_time()
        return Snapshot.of(specs, before), (t1 - t0, t2 - t1, time.process_time() - t2)

    def edit(path: Path, pattern: str, repl: str) -> None:
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(pattern, repl, text, count=1, flags=re.M), encoding="utf-8")

    articles = sorted((tree / "content/news").rglob("*.md"))
    sample = articles[len(articles) // 2]
    newest = tree / "content/news" / max(p.name for p in (tree / "content/news").iterdir()) / "zz-new.md"
    saves = [("nothing changed", lambda: None)] * 3 + [
        ("a title", lambda: edit(sample, r"^title: (.*)$", r"title: \1（更正）")),
        ("a date", lambda: edit(sample, r"^date: .*$", "date: 2019-06-30 08:00")),
        ("a brand", lambda: edit(sample, r"^brands: \[[^,\]]+", "brands: [brand-0001")),
        ("add the newest", lambda: newest.write_text(
            "---\ntitle: 新文章\ndate: 2025-12-31 23:00\nbrands: [brand-0002]\ntags: [疗休养]\n---\n\n新的正文。\n",
            encoding="utf-8")),
        ("delete", lambda: articles[10].unlink()),
        ("rename a file", lambda: articles[20].rename(articles[20].with_name("renamed-one.md"))),
        ("nothing changed", lambda: None)]
    cache, memo = DocCache(), RelatedMemo()
    snap, _ = snapshot(cache, memo)
    gc.collect()
    gc.freeze()
    print(f"{newsroom.__file__}, {len(articles)} articles; CPU seconds per save\n")
    print("| save | graph | page data | digests | total | pages to render |\n|---|---:|---:|---:|---:|---:|")
    for name, change in saves:
        change()
        new, took = snapshot(cache, memo, snap)
        print(f"| {name} | {took[0]:.2f} | {took[1]:.2f} | {took[2]:.2f} | {sum(took):.2f} | "
              f"{len(plan(snap, new).render)} |", flush=True)
        if a.check and snapshot(DocCache(), RelatedMemo())[0].digests != new.digests:
            raise SystemExit(f"{name}: the digests differ from a snapshot made from scratch")
        snap = new
    shutil.rmtree(tree, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
