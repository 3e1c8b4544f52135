"""Photo bench (issue 13): a corpus where every article has a 12-megapixel camera JPEG.

    .venv/bin/python bench/photo_bench.py [--articles N] [--photos P]     (make photo-bench)

1. ``SHARED/bench/gen_corpus.py OUT --articles N --photos P`` (default 1,000 and 1,000;
   ``BENCH_FULL=1``: 2,000): 4000x3000 JPEGs with EXIF (GPS, serial, orientation 6 on every
   third), generated once per size and kept in ``BENCH_DIR/photos-N``;
2. times ``newsroom build`` under ``/usr/bin/time -v`` (wall, user+sys CPU, peak RSS):
   * first build, the photo cache (``OUT/.cache/newsroom/photos``) deleted before;
   * the same build again, nothing changed (the cache and the published search index reused);
   * the same corpus without its photos (``image:`` lines dropped), for what photos cost;
3. prints a markdown table and writes it to ``BENCH_DIR/photo-bench-N.md``.

Hugo producing the same widths and formats is measured at 12 photos in docs/photos.md; this
script does not run it yet. Helpers (``timed``, the folders) come from ``run_bench.py``.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run_bench as rb  # noqa: E402  (the shared bench helpers)

RASTER = (".jpg", ".webp", ".png")


def corpus(n: int, photos: int) -> Path:
    out = rb.BENCH_DIR / f"photos-{n}-{photos}"
    gen = rb.SHARED / "bench" / "gen_corpus.py"
    stamp_text = json.dumps({"n": n, "photos": photos, "args": rb.GEN_ARGS, "gen": int(gen.stat().st_mtime)})
    stamp = out / ".bench-stamp"
    if stamp.exists() and stamp.read_text() == stamp_text:
        return out
    shutil.rmtree(out, ignore_errors=True)
    rb.log(f"generating {n} articles with {photos} camera photos into {out} ...")
    subprocess.run([rb.venv_python(), str(gen), str(out), "--articles", str(n), "--photos", str(photos),
                    *rb.GEN_ARGS], check=True, stdout=subprocess.DEVNULL)
    stamp.write_text(stamp_text)
    return out


def without_photos(src: Path) -> Path:
    """The same corpus with every ``image:`` line dropped (photos stay on disk, unused)."""
    out = src.with_name(src.name + "-none")
    if not out.exists():
        shutil.copytree(src, out, ignore=shutil.ignore_patterns("*.jpg", ".cache"))
        for md in (out / "content" / "news").rglob("*.md"):
            text = md.read_text(encoding="utf-8")
            md.write_text(re.sub(r"^image(_caption|_credit)?: .*\n", "", text, flags=re.M), encoding="utf-8")
    return out


def build(tree: Path, name: str) -> dict:
    site = tree / "site"
    cmd = [str(rb.VENV_BIN / "newsroom"), "build", "-q", "--content", str(tree / "content"),
           "--brands", str(tree / "brands"), "--site-dir", str(site)]
    r = rb.timed(cmd, cwd=rb.REPO, logfile=rb.BENCH_DIR / f"log-photo-{name}.txt")
    if r["rc"]:
        raise SystemExit(f"build failed ({name}):\n{rb.tail(r['log'])}")
    files = [p for p in site.rglob("*") if p.suffix in RASTER]
    r["images"], r["image_mb"] = len(files), sum(p.stat().st_size for p in files) / 2**20
    return r


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    full = 2000 if rb.FULL else 1000
    ap.add_argument("--articles", type=int, default=full)
    ap.add_argument("--photos", type=int)
    args = ap.parse_args(argv)
    photos = args.photos or args.articles
    rb.BENCH_DIR.mkdir(parents=True, exist_ok=True)
    tree = corpus(args.articles, photos)
    shutil.rmtree(tree / ".cache", ignore_errors=True)
    shutil.rmtree(tree / "site", ignore_errors=True)
    runs = {"first build (cold photo cache)": build(tree, "first"),
            "again, nothing changed": build(tree, "again")}
    bare = without_photos(tree)
    shutil.rmtree(bare / "site", ignore_errors=True)
    build(bare, "none-warmup")          # its search index, so both "again" runs reuse one
    runs["again, the same corpus without photos"] = build(bare, "none")
    lines = [f"Photo bench: {args.articles} articles, {photos} camera JPEGs of 12 MP "
             f"(load average at start {rb.START_LOAD:.1f}, {os.cpu_count()} CPUs)", "",
             "| run | wall s | CPU s | peak MiB | images published | MB |", "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for name, r in runs.items():
        lines.append(f"| {name} | {r['wall']:.1f} | {r['cpu']:.1f} | {r['peak']:.0f} | {r['images']} | {r['image_mb']:.0f} |")
    text = "\n".join(lines) + "\n"
    print(text)
    (rb.BENCH_DIR / f"photo-bench-{args.articles}.md").write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
