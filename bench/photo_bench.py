"""Photo bench (issues 13 and 18): camera JPEGs through our build and through Hugo, one run.

    .venv/bin/python bench/photo_bench.py [--articles N] [--photos P]     (make photo-bench)
    .venv/bin/python bench/photo_bench.py --photos 100                    (a quick run)
    .venv/bin/python bench/photo_bench.py --issue18                       (10,000 articles, 1,000 photos)
    .venv/bin/python bench/photo_bench.py --issue18 --warm-only           (only the warm +1s: no Hugo)

1. ``SHARED/bench/gen_corpus.py OUT --articles N --photos P`` (default 1,000 and 1,000;
   ``BENCH_FULL=1``: 2,000 articles): P articles spread over the corpus get a 4000x3000 JPEG
   with EXIF (GPS, serial, orientation 6 on every third), generated once per (N, P) and kept
   in ``BENCH_DIR/photos-N-P``; the same tree without its ``image:`` lines beside it
   (``photos-N-P-none``);
2. both converted for Hugo by ``photo_hugo.py`` (``to_hugo.py`` of ``make bench`` plus a
   template rendering, for each photo, exactly the variants our build renders for a lead
   photo: WebP q75 and JPEG q80 at 360/720/1080/1600, a 1200 px JPEG and a 1200x630 crop,
   lanczos, EXIF orientation applied);
3. times, each a whole process under ``/usr/bin/time -v`` (wall, user+sys CPU, peak RSS of
   the largest process), with every cache emptied before a cold run (ours: ``.cache`` and
   ``site/`` under the corpus; Hugo: ``--cacheDir``, ``resources/`` and the output):
   ours and Hugo cold with photos, ours and Hugo cold without, ours again with nothing
   changed (with and without photos), Hugo again with its resource cache; then, on the warm
   tree with photos, ``--warm-runs`` times each (median reported): one new article with a new
   12-MP camera JPEG (made by gen_corpus's ``Camera``, EXIF and orientation 6, bytes no cache
   has seen), and one new article without a photo (the reference), each after an untimed build
   and undone after (``--warm-only``: only these, a cold untimed build first if the tree has none);
4. prints a markdown table, the goals as PASS/FAIL (on CPU seconds, the fair measure on a
   shared machine, and on wall time) and the machine's load, and writes it all to
   ``BENCH_DIR/photo-bench-N-P.md``. Exit status 1 if a goal is not met.

Helpers (``timed``, the folders, Hugo's binary) come from ``run_bench.py``.
"""
from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import photo_hugo  # noqa: E402
import run_bench as rb  # noqa: E402  (the shared bench helpers)

RASTER = (".jpg", ".webp", ".png")
MEMORY_GOAL_MIB = 600
REBUILD_SHARE = 0.05     # "near zero": a rebuild's photo cost at most 5 % of the cold one's
WARM_GOAL_S = 3.0        # issue 18: "the warm rebuild after one new article with a photo is at most 3 s"
NEW = "zz-bench-new"     # the warm runs' article (and photo) name, removed after each run
WITH_PHOTO, WITHOUT_PHOTO = "ours, warm +1 with a photo", "ours, warm +1 without a photo"


def corpus(n: int, photos: int) -> Path:
    out = rb.BENCH_DIR / f"photos-{n}-{photos}"
    gen = rb.SHARED / "bench" / "gen_corpus.py"
    stamp_text = json.dumps({"n": n, "photos": photos, "args": rb.GEN_ARGS, "gen": rb.generator_sum(gen)})
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
    """The same corpus with every ``image:`` line dropped (and no photo files)."""
    out = src.with_name(src.name + "-none")
    stamp = out / ".bench-stamp"
    if not (stamp.exists() and stamp.read_text() == (src / ".bench-stamp").read_text()):
        shutil.rmtree(out, ignore_errors=True)
        shutil.copytree(src, out, ignore=shutil.ignore_patterns("*.jpg", ".cache", "site"))
        for md in (out / "content" / "news").rglob("*.md"):
            text = md.read_text(encoding="utf-8")
            md.write_text(re.sub(r"^image(_caption|_credit)?: .*\n", "", text, flags=re.M), encoding="utf-8")
    return out


def ours_cmd(tree: Path) -> list[str]:
    """The build of ``tree`` with its own config and theme (run_bench.own_config): its build
    cache in ``tree/.cache`` (removed by a cold run), never in the checkout's."""
    return rb.warm_cmd(rb.own_config(tree))


def ours(tree: Path, name: str, cold: bool) -> dict:
    site = tree / "site"
    if cold:
        for folder in (tree / ".cache", site):
            shutil.rmtree(folder, ignore_errors=True)
    r = rb.timed(ours_cmd(tree), cwd=rb.REPO, logfile=rb.BENCH_DIR / f"log-photo-{name}.txt")
    if r["rc"]:
        raise SystemExit(f"build failed ({name}):\n{rb.tail(r['log'])}")
    return counted(tree, r)


def counted(tree: Path, r: dict) -> dict:
    """The image files published and rendered into the cache (counted after the timed run)."""
    files = [p for p in (tree / "site").rglob("*") if p.suffix in RASTER]
    r["images"], r["image_mb"] = len(files), sum(p.stat().st_size for p in files) / 2**20
    cache = tree / ".cache" / "newsroom" / "photos"
    r["rendered"] = sum(1 for p in cache.glob("*/*/*/*") if p.suffix in RASTER)
    return r


def _add_new(tree: Path, photo: bool) -> None:
    """One new article in the newest year; with ``photo``, its lead image a new camera JPEG."""
    news = tree / "content" / "news"
    year = max(p.name for p in news.iterdir() if p.is_dir())
    lines = ["title: 基准测试新增的一篇", f"date: {year}-12-31 23:00", "brands: [brand-0002]", "tags: [疗休养]"]
    if photo:
        sys.path.insert(0, str(rb.SHARED / "bench"))
        import gen_corpus                          # needs Pillow: the venv has it
        rel = f"images/{year}/{NEW}.jpg"
        seed = time.time_ns() % 2**31              # new bytes every run: no cache has its variants
        gen_corpus.Camera(seed).shoot(tree / "content" / rel, 3 * seed)   # orientation 6
        lines += [f"image: {rel}", "image_caption: 基准测试的照片", "image_credit: 通讯员 测试 摄"]
    (news / year / f"{NEW}.md").write_text("---\n" + "\n".join(lines) + "\n---\n\n新的正文，只为计时。\n",
                                          encoding="utf-8")


def _undo_new(tree: Path) -> None:
    for p in [*(tree / "content" / "news").glob(f"*/{NEW}.md"), *(tree / "content" / "images").glob(f"*/{NEW}.jpg")]:
        p.unlink()


def _untimed(tree: Path) -> None:
    subprocess.run(ours_cmd(tree), cwd=rb.REPO, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    rb.settle(tree / "site")


def warm_plus_one(tree: Path, photo: bool, runs: int) -> dict:
    """Median of ``runs`` warm builds after one new article (with a new photo or without):
    each after an untimed build (site/ and both caches up to date), undone after it."""
    found = []
    for i in range(runs):
        _undo_new(tree)
        _untimed(tree)
        _add_new(tree, photo)
        name = f"ours-warm-{'photo' if photo else 'article'}-{i + 1}"
        try:
            r = rb.timed(ours_cmd(tree), cwd=rb.REPO, logfile=rb.BENCH_DIR / f"log-photo-{name}.txt")
        finally:
            _undo_new(tree)
        if r["rc"]:
            raise SystemExit(f"build failed ({name}):\n{rb.tail(r['log'])}")
        found.append(r)
        rb.log(f"      run {i + 1}: {r['wall']:.2f} s, {r['cpu']:.2f} CPU s")
    _untimed(tree)                                 # the tree as it was: warm, without the article
    mid = lambda key: statistics.median(r[key] for r in found)  # noqa: E731
    out = {"wall": mid("wall"), "cpu": mid("cpu"), "peak": max(r["peak"] for r in found),
           "walls": [r["wall"] for r in found], "cpus": [r["cpu"] for r in found]}
    return counted(tree, out)


def warm_goal(runs: dict) -> list[str]:
    """Issue 18's photo line, on wall time as the issue states it (CPU beside it)."""
    if WITH_PHOTO not in runs:
        return []
    w = runs[WITH_PHOTO]
    ok = w["cpu"] <= WARM_GOAL_S              # as every goal here: met or not on CPU, wall beside it
    rows = [f"| (18) warm +1 with a photo ≤ {WARM_GOAL_S:g} s (median of {len(w['walls'])}) | "
            f"{w['wall']:.2f} s, {w['cpu']:.2f} CPU s | {'PASS' if ok else 'FAIL'} | "
            f"{'PASS' if w['wall'] <= WARM_GOAL_S else 'FAIL'} |"]
    each = ", ".join(f"{a:.2f} s ({c:.2f} CPU s)" for a, c in zip(w["walls"], w["cpus"]))
    notes = [f"Warm +1 with a photo, every run: {each}."]
    if WITHOUT_PHOTO in runs:
        b = runs[WITHOUT_PHOTO]
        notes.append(f"Without a photo: {', '.join(f'{a:.2f} s' for a in b['walls'])}; the photo's share of the "
                     f"+1 (medians): {w['wall'] - b['wall']:+.2f} s, {w['cpu'] - b['cpu']:+.2f} CPU s.")
    return ["| goal | ours | CPU | wall |", "| --- | --- | --- | --- |", *rows, "", *notes,
            "" if ok else f"\nNot met (on CPU): warm +1 with a photo ≤ {WARM_GOAL_S:g} s"]


def hugo(src: Path, name: str, cold: bool) -> dict:
    out, cache = rb.BENCH_DIR / f"hugo-public-{name}", rb.BENCH_DIR / f"hugo-cache-{name}"
    if cold:
        for folder in (out, cache, src / "resources"):
            shutil.rmtree(folder, ignore_errors=True)
    cmd = [rb.hugo_binary(), "--quiet", "--source", str(src), "--destination", str(out),
           "--cacheDir", str(cache)]
    r = rb.timed(cmd, cwd=src, logfile=rb.BENCH_DIR / f"log-photo-{name}.txt")
    if r["rc"]:
        raise SystemExit(f"Hugo failed ({name}):\n{rb.tail(r['log'])}")
    files = [p for p in out.rglob("*") if p.suffix in RASTER]
    r["images"], r["image_mb"] = len(files), sum(p.stat().st_size for p in files) / 2**20
    r["rendered"] = len(files)
    return r


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def goals(runs: dict, photos: int, articles: int) -> list[str]:
    o1, o0 = runs["ours, cold, photos"], runs["ours, cold, no photos"]
    h1, h0 = runs["Hugo, cold, photos"], runs["Hugo, cold, no photos"]
    again1, again0 = runs["ours again, nothing changed, photos"], runs["ours again, nothing changed, no photos"]
    rows = ["| goal | ours | Hugo | CPU s | wall s |", "| --- | --- | --- | --- | --- |"]
    failed = []

    def add(goal: str, a: dict, b: dict, limit: float, wall_limit: float | None = None) -> None:
        verdict = []
        for key, lim in (("cpu", limit), ("wall", limit if wall_limit is None else wall_limit)):
            ok = a[key] <= lim * b[key]
            verdict.append(("PASS" if ok else "FAIL") + f" ({a[key] / b[key]:.2f}×)" if b[key] else "n/a")
            if key == "cpu" and not ok:
                failed.append(goal)
        rows.append(f"| {goal} | {a['cpu']:.1f} CPU s, {a['wall']:.1f} s | {b['cpu']:.1f} CPU s, "
                    f"{b['wall']:.1f} s | {verdict[0]} | {verdict[1]} |")

    diff = lambda x, y: {k: x[k] - y[k] for k in ("cpu", "wall")}  # noqa: E731
    add("(13) the photos' cost: first build with − without photos ≤ Hugo's", diff(o1, o0), diff(h1, h0), 1)
    add("(13) whole first build with photos ≤ Hugo's", o1, h1, 1)
    add(f"(18) cold build with photos ≤ 2× Hugo's ({articles} articles, {photos} photos)", o1, h1, 2)
    photo_cost = diff(o1, o0)
    extra = diff(again1, again0)
    near = {k: REBUILD_SHARE * photo_cost[k] for k in photo_cost}
    ok = extra["cpu"] <= near["cpu"]
    failed += [] if ok else ["rebuild"]
    rows.append(f"| (13) rebuild, nothing changed: again with − again without photos ≤ {REBUILD_SHARE:.0%} "
                f"of the photos' cold cost | {extra['cpu']:+.1f} CPU s, {extra['wall']:+.1f} s | "
                f"(limit {near['cpu']:.1f} CPU s) | {'PASS' if ok else 'FAIL'} | "
                f"{'PASS' if extra['wall'] <= near['wall'] else 'FAIL'} |")
    peak = max(r["peak"] for k, r in runs.items() if k.startswith("ours"))
    ok = peak <= MEMORY_GOAL_MIB
    failed += [] if ok else ["memory"]
    rows.append(f"| (13) peak memory of our builds ≤ {MEMORY_GOAL_MIB} MiB (largest process) | {peak:.0f} MiB | "
                f"{h1['peak']:.0f} MiB | {'PASS' if ok else 'FAIL'} | |")
    per = lambda r: r["rendered"] / photos if photos else 0  # noqa: E731
    rows += ["", f"Variants per photo: ours {per(o1):.1f} rendered into the cache, Hugo {per(h1):.1f} "
             f"published ({'the same count' if per(o1) == per(h1) else 'DIFFERENT counts'}). Photo cost per "
             f"photo: ours {photo_cost['cpu'] / photos:.2f} CPU s, Hugo {diff(h1, h0)['cpu'] / photos:.2f} CPU s."]
    rows.append("" if not failed else f"\nNot met (on CPU): {', '.join(failed)}")
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=2000 if rb.FULL else 1000)
    ap.add_argument("--photos", type=int, help="articles with a photo (default: every article)")
    ap.add_argument("--issue18", action="store_true", help="10,000 articles, a photo on a tenth of them")
    ap.add_argument("--warm-only", action="store_true",
                    help="only the warm +1 with and without a photo (no Hugo, no cold runs)")
    ap.add_argument("--warm-runs", type=int, default=3, help="timed runs of each warm +1 (median reported)")
    args = ap.parse_args(argv)
    if args.issue18:
        args.articles, args.photos = 10000, 1000
    photos = min(args.photos or args.articles, args.articles)
    rb.BENCH_DIR.mkdir(parents=True, exist_ok=True)
    rb.compiled()
    start = uptime()
    tree = corpus(args.articles, photos)
    if args.warm_only:
        return warm_only(args, tree, photos, start)
    bare = without_photos(tree)
    to_hugo = rb.SHARED / "bench" / "anchors" / "to_hugo.py"
    hsrc, hbare = rb.BENCH_DIR / f"hugo-src-photos-{args.articles}-{photos}", rb.BENCH_DIR / f"hugo-src-photos-{args.articles}-none"
    linked = photo_hugo.convert(tree, hsrc, to_hugo)
    photo_hugo.convert(bare, hbare, to_hugo)
    rb.log(f"{args.articles} articles, {photos} photos ({linked} linked for Hugo); {start}")
    plan = [("ours, cold, photos", lambda: ours(tree, "ours-cold", True)),
            ("Hugo, cold, photos", lambda: hugo(hsrc, "hugo-cold", True)),
            ("ours, cold, no photos", lambda: ours(bare, "ours-none", True)),
            ("Hugo, cold, no photos", lambda: hugo(hbare, "hugo-none", True)),
            ("ours again, nothing changed, photos", lambda: ours(tree, "ours-again", False)),
            (WITH_PHOTO, lambda: warm_plus_one(tree, True, args.warm_runs)),
            (WITHOUT_PHOTO, lambda: warm_plus_one(tree, False, args.warm_runs)),
            ("ours again, nothing changed, no photos", lambda: ours(bare, "ours-none-again", False)),
            ("Hugo again (its resource cache kept), photos", lambda: hugo(hsrc, "hugo-cold", False))]
    runs = {}
    for name, run in plan:
        rb.log(f"  {name} ...")
        runs[name] = run()
        rb.log(f"    {runs[name]['wall']:.1f} s, {runs[name]['cpu']:.1f} CPU s, {runs[name]['peak']:.0f} MiB")
    lines = [f"Photo bench: {args.articles} articles, {photos} of them with a 12-MP camera JPEG "
             f"(`bench/photo_bench.py --articles {args.articles} --photos {photos}`)", "",
             *rb.machine_info(), f"- `uptime` at start: {start}", f"- `uptime` at end: {uptime()}",
             f"- Hugo: `{rb.hugo_binary()}`", "",
             "| run | wall s | CPU s | peak MiB | image files published | MB |",
             "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for name, r in runs.items():
        lines.append(f"| {name} | {r['wall']:.1f} | {r['cpu']:.1f} | {r['peak']:.0f} | {r['images']} | {r['image_mb']:.0f} |")
    lines += ["", *goals(runs, photos, args.articles), "", *warm_goal(runs)]
    return report(lines, f"photo-bench-{args.articles}-{photos}.md")


def report(lines: list[str], name: str) -> int:
    text = "\n".join(lines) + "\n"
    print(text)
    (rb.BENCH_DIR / name).write_text(text, encoding="utf-8")
    return 1 if "Not met" in text else 0


def warm_only(args: argparse.Namespace, tree: Path, photos: int, start: str) -> int:
    """``--warm-only``: the two warm +1 runs on the tree with photos, no Hugo (minutes, not an hour)."""
    if not (tree / "site").is_dir():
        rb.log("no site yet: one untimed cold build with every photo first ...")
    runs = {}
    for name, photo in ((WITH_PHOTO, True), (WITHOUT_PHOTO, False)):
        rb.log(f"  {name} ({args.warm_runs} runs) ...")
        runs[name] = warm_plus_one(tree, photo, args.warm_runs)
    lines = [f"Photo bench, warm only: {args.articles} articles, {photos} of them with a 12-MP camera JPEG "
             f"(`bench/photo_bench.py --articles {args.articles} --photos {photos} --warm-only`)", "",
             *rb.machine_info(), f"- `uptime` at start: {start}", f"- `uptime` at end: {uptime()}", "",
             "| run | wall s (median) | CPU s (median) | peak MiB |", "| --- | ---: | ---: | ---: |"]
    lines += [f"| {name} | {r['wall']:.2f} | {r['cpu']:.2f} | {r['peak']:.0f} |" for name, r in runs.items()]
    lines += ["", *warm_goal(runs)]
    return report(lines, f"photo-bench-warm-{args.articles}-{photos}.md")


if __name__ == "__main__":
    sys.exit(main())
