"""Time the live preview's update after an editor's save, on a large corpus.

    python bench/preview_bench.py CORPUS_DIR

CORPUS_DIR is a tree made by shared/bench/gen_corpus.py (content/, brands/). It is
copied to a scratch folder first (the corpus itself is not modified). After the
first full build, each scenario edits the copy the way an editor would, runs the
same update ``newsroom serve`` runs on a save, and reports the seconds until the pages
an editor looks at are written and the browser reloads (``LivePreview.update``'s
``visible``: the saved article, home, each listing's first page), the seconds until
every page, listing and feed showing the change is rewritten, with the update's CPU
seconds and how many pages that was, the CPU seconds of the collection ``newsroom serve``
runs after it (``LivePreview.collect``: the save pauses the collector; not part of the wait),
and the seconds until the search index (updated in the background) has it too.
Prints a markdown table.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=Path)
    a = ap.parse_args()
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    os.chdir(ROOT)
    from newsroom.mkdocs.config import load_config
    from newsroom.mkdocs.preview import LivePreview

    scratch = Path(tempfile.mkdtemp(prefix="preview-bench-"))
    tree = scratch / "tree"
    shutil.copytree(a.corpus / "content", tree / "content")
    shutil.copytree(a.corpus / "brands", tree / "brands")
    args = argparse.Namespace(config_file="site_config.yml", content=str(tree / "content"),
                              brands=str(tree / "brands"), drafts=False)
    config, plugin = load_config(args, site_dir=str(scratch / "site"))
    preview = LivePreview(config, plugin)
    started = time.monotonic()
    preview.full_build()
    first = time.monotonic() - started
    rows = [("first full build", first, first, float("nan"), float("nan"), len(plugin.specs), 0, float("nan"))]

    articles = sorted((tree / "content/news").rglob("*.md"))
    sample = articles[len(articles) // 2]
    newest_year = max(p.name for p in (tree / "content/news").iterdir())

    def edit(path: Path, pattern: str, repl: str) -> None:
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(pattern, repl, text, count=1, flags=re.M), encoding="utf-8")

    scenarios = [
        # What every save costs however few pages it renders: load, digests, plan, feeds, sitemaps.
        ("save, nothing changed (fixed cost)", lambda: None),
        ("change a title", lambda: edit(sample, r"^title: (.*)$", r"title: \1（更正）")),
        ("change a date (URL moves)", lambda: edit(sample, r"^date: .*$", "date: 2019-06-30 08:00")),
        ("change a brand", lambda: edit(sample, r"^brands: \[[^,\]]+", "brands: [brand-0001")),
        ("add an article (newest)", lambda: (tree / "content/news" / newest_year / "zz-new.md").write_text(
            "---\ntitle: 新文章\ndate: 2025-12-31 23:00\nbrands: [brand-0002]\ntags: [疗休养]\n---\n\n新的正文。\n",
            encoding="utf-8")),
        ("delete an article", lambda: articles[10].unlink()),
        ("rename an article file", lambda: articles[20].rename(articles[20].with_name("renamed-one.md"))),
    ]
    for name, change in scenarios:
        change()
        shown: list[float] = []
        t = time.monotonic()
        cpu = time.process_time()
        todo = preview.update(lambda: shown.append(time.monotonic() - t))
        pages = time.monotonic() - t
        cpu = time.process_time() - cpu
        collected = time.process_time()
        preview.collect()                    # as newsroom serve does, after the reload
        collected = time.process_time() - collected
        if not preview.search.wait(300):
            raise SystemExit(f"{name}: the search index was not updated within 300 s")
        rows.append((name, shown[0] if shown else pages, pages, cpu, collected, len(todo.render) if todo else 0,
                     len(todo.remove) if todo else 0, time.monotonic() - t))

    print(f"Live preview on {len(articles)} articles ({a.corpus}), load average "
          f"{os.getloadavg()[0]:.1f} at the end:\n")
    print("| what the editor did | seconds to shown (browser reloads) | seconds to every page written "
          "| CPU s of the update | CPU s of the collection after | pages rendered | pages removed | seconds to updated search (background) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")

    def secs(v: float) -> str:
        return "—" if v != v else f"{v:.2f}"

    for name, shown_s, whole, cpu, collected, rendered, removed, searched in rows:
        print(f"| {name} | {shown_s:.2f} | {whole:.2f} | {secs(cpu)} | {secs(collected)} | {rendered} | {removed} | {secs(searched)} |")
    shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
