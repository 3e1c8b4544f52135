"""The search index: Pagefind, sharded by year, with bigram tokens for Chinese.

Started by the plugin in ``on_files`` (``IndexJob``: another process indexes
while the pages render) and joined in ``on_post_build``. Design (docs/search.md):

* Engine: Pagefind 1.5.2 (PyPI ``pagefind-bin-extended``), driven through its
  ``--service`` mode (the protocol of the official Python wrapper): we add one
  *custom record* per article, brand and worker page, built from the content
  graph, so the index does not depend on the theme's markup.
* Tokens: the indexed text is written as overlapping character bigrams for
  Chinese runs (``疫情防控`` -> ``疫情 情防 防控``) and whole words for Latin
  letters and digits (``tokens``; ``search.js`` has the same function). The
  browser sends each query word as an exact phrase of its bigrams, so a page
  matches exactly when it contains the word: no dictionary, so index and
  query can never disagree, and there is no fallback to shorter prefixes.
* Shards: each year of articles is its own Pagefind "language" (a year bigger
  than ``SHARD_MAX`` is split into month ranges), brands and workers another;
  all live in one bundle ``pagefind/`` sharing one WebAssembly file. The
  browser searches the newest shard first and stops once a page of results
  is full, so a word that is in every article costs one year's postings.
* ``pagefind/newsroom-shards.json`` lists the shards for ``search.js``;
  ``pagefind/newsroom-routes/`` maps each token to the shards holding it, so
  the browser skips shards that cannot match (and answers a word that is
  nowhere without loading Pagefind at all).
* Reuse: each shard's digest (of exactly what Pagefind is given for it) is
  kept in the manifest. Given the bundle of an earlier build (``reuse_from``),
  a shard whose digest is unchanged is linked from it instead of indexed again:
  the live preview re-indexes only the shards a save touched, and a build over
  a published site only the years that changed.
"""
from __future__ import annotations

import base64
import functools
import hashlib
import json
import operator
import os
import pickle
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import traceback
import unicodedata
import weakref
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional

from .graph import ContentGraph
from .model import Article, Brand, Worker
from .sanitize import search_markdown

PAGEFIND_VERSION = "1.5.2"          # search.js relies on this version's pagefind.js internals
BUNDLE = "pagefind"                 # the bundle folder under site_dir
MANIFEST = "newsroom-shards.json"
SHARD_FILES = "newsroom-files.json"     # each shard's files and sizes: what reuse checks
ROUTES = "newsroom-routes"          # token -> shards that hold it, in hashed buckets
ROUTE_BUCKETS = 1024
SHARD_MAX = 1000                    # articles per shard at most (a bigger year splits by months)
PARALLEL = 2                        # Pagefind processes at once: one writes, the next takes its records
INDEX_NICENESS = 10                 # the index, built while pages render, yields the CPU to them
ENTITY_SHARD = "nrent"
# Part of every shard digest: bump it when what Pagefind is given changes in a way
# the records' payloads do not show (the NewIndex config, how records are sent).
INDEX_FORMAT = 1
# Files of the Pagefind bundle we serve; its default UIs are not used.
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")


class SearchIndexError(RuntimeError):
    """The search index could not be built: the build must stop."""


# ---------------------------------------------------------------- tokens

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"
_TOKEN = re.compile(f"([{_CJK}]+)|([0-9a-z]+)")
# One token with the gap before it: what lies between two tokens is exactly the
# characters that are neither Chinese nor [0-9a-z].
_GAP_TOKEN = re.compile(f"([^{_CJK}0-9a-z]*)(?:([{_CJK}]+)|([0-9a-z]+))")
# Runs of unified ideographs, which NFKC leaves alone and which never compose
# with a neighbour (no decomposition, combining class 0, in no canonical pair):
# the text can be normalized piecewise between them, with the same result.
_NFKC_STABLE = re.compile("([\u3400-\u4dbf\u4e00-\u9fff]+)")
_nfkc = functools.partial(unicodedata.normalize, "NFKC")


def normalize(text: str) -> str:
    """NFKC (full-width letters and digits become ASCII) and lower case."""
    # Normalizing only what lies between ideograph runs is 3-5x faster on
    # Chinese text than normalizing it whole (the runs are most of it).
    parts = _NFKC_STABLE.split(text)
    parts[::2] = map(_nfkc, parts[::2])
    return "".join(parts).lower()


def _bigrams(run: str) -> Iterable[str]:
    """疫情防控 -> 疫情 情防 防控; a single character stays as it is."""
    return (run,) if len(run) == 1 else map(operator.add, run, run[1:])


def tokens(text: str) -> list[str]:
    """The indexed tokens of ``text``: bigrams of Chinese runs, Latin/digit words whole.

    A Chinese run of one character is kept as it is. ``search.js`` has the same
    function (``tokens``); tests check both agree.
    """
    out: list[str] = []
    for run, word in _TOKEN.findall(normalize(text)):
        if word:
            out.append(word)
        else:
            out.extend(_bigrams(run))
    return out


def token_text(text: str) -> str:
    """What Pagefind indexes and stores: the tokens, with the punctuation between them.

    Punctuation between two runs is kept as a token of its own (Pagefind does not
    index it), so a phrase never matches across it and ``search.js`` can turn
    the tokens back into readable text for excerpts; a line break becomes '¦',
    in its place among the marks (``；\n“`` -> ``; ¦ “``: the quote opens the next line).
    """
    # findall, not finditer: tuples of strings cost far less than match objects,
    # and this runs for every page of the site.
    out: list[str] = []
    for gap, run, word in _GAP_TOKEN.findall(normalize(text)):
        if gap and out:
            _gap_marks(gap, out)
        if word:
            out.append(word)
        else:
            out.extend(_bigrams(run))
    return " ".join(out)


def _gap_marks(gap: str, out: list[str]) -> None:
    """The tokens of what lies between two words: its marks, and '¦' where lines break."""
    if "\n" not in gap:
        mark = "".join(gap.split())
        if mark:
            out.append(mark)
        return
    for n, line in enumerate(gap.split("\n")):
        if n and out[-1] != "¦":
            out.append("¦")
        mark = "".join(line.split())
        if mark:
            out.append(mark)


# ---------------------------------------------------------------- plain text

_MD = [
    (re.compile(r"^---\s*$", re.M), ""),
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),
    (re.compile(r"\[([^\]]*)\]\([^)]*\)"), r"\1"),
    (re.compile(r"\{[:#.][^}]*\}"), ""),          # attr_list
    (re.compile(r"<[^>]+>"), ""),
    (re.compile(r"^\s{0,3}(#{1,6}|>|[-*+]|\d+\.)\s+", re.M), ""),
    (re.compile(r"^\s*\|?\s*:?-{3,}.*$", re.M), ""),   # table rules
    (re.compile(r"[*_`~|]+"), " "),
    (re.compile(r"\[\^[^\]]*\]:?"), ""),             # footnotes
]


def plain(markdown: str) -> str:
    text = search_markdown(markdown)   # what the page does not show, search does not find
    for pattern, repl in _MD:
        text = pattern.sub(repl, text)
    return "\n".join(" ".join(line.split()) for line in text.splitlines() if line.strip())


# ---------------------------------------------------------------- records

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


# ---------------------------------------------------------------- shards

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
    """Entities first, then article shards newest first (by year, big years by months)."""
    shards = [Shard(ENTITY_SHARD, "品牌与劳模工匠", None,
                    [brand_record(b) for b in graph.brands.values()]
                    + [worker_record(w) for w in graph.workers.values()])]
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
    return [s for s in shards if s.records]


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


# ---------------------------------------------------------------- Pagefind

def pagefind_binary() -> Path:
    env = os.environ.get("NEWSROOM_PAGEFIND")
    if env:
        return Path(env)
    try:
        from pagefind_bin_extended import get_executable  # type: ignore
    except ImportError as e:
        raise SearchIndexError(
            f"没有找到搜索引擎 Pagefind：请安装 pagefind-bin-extended=={PAGEFIND_VERSION}（{e}）") from e
    return Path(get_executable())


class PagefindService:
    """A minimal synchronous client for ``pagefind --service`` (base64 JSON, comma-separated)."""

    def __init__(self, binary: Path, cwd: Path) -> None:
        self.binary = binary
        try:
            self.proc = subprocess.Popen([str(binary), "--service"], cwd=str(cwd), stdin=subprocess.PIPE,
                                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        except OSError as e:
            raise SearchIndexError(f"无法启动搜索引擎 {binary}：{e}") from e
        self.next_id = 0

    def send(self, payload: dict) -> dict:
        """Send one request and wait for its answer."""
        return self.send_many([payload])[0]

    def send_many(self, payloads: list[dict]) -> list[dict]:
        """Send requests without waiting (a thread writes, this one reads): the
        service answers each in about a millisecond, a round trip costs several."""
        first = self.next_id + 1
        self.next_id += len(payloads)
        assert self.proc.stdin is not None and self.proc.stdout is not None
        errors: list[BaseException] = []

        def write() -> None:
            try:
                for n, payload in enumerate(payloads):
                    message = json.dumps({"message_id": first + n, "payload": payload}, ensure_ascii=False)
                    self.proc.stdin.write(base64.b64encode(message.encode("utf-8")) + b",")
                self.proc.stdin.flush()
            except (OSError, ValueError) as e:
                errors.append(e)

        writer = threading.Thread(target=write, daemon=True)
        writer.start()
        answers: dict[int, dict] = {}
        buffer = bytearray()
        try:
            while len(answers) < len(payloads):
                chunk = self.proc.stdout.read1(1 << 20)
                if not chunk:
                    raise OSError("no reply (the process ended)")
                buffer += chunk
                *complete, rest = bytes(buffer).split(b",")
                buffer = bytearray(rest)
                for raw in complete:
                    reply = json.loads(base64.b64decode(raw))
                    answer = reply.get("payload", {})
                    if answer.get("type") == "Error":
                        raise SearchIndexError(f"搜索引擎 Pagefind 报错：{answer.get('message')}")
                    answers[reply.get("message_id", -1)] = answer
        except (OSError, ValueError) as e:
            raise SearchIndexError(f"搜索引擎 Pagefind 意外退出：{e}{self._stderr()}") from e
        finally:
            writer.join(timeout=5)
        if errors:
            raise SearchIndexError(f"搜索引擎 Pagefind 意外退出：{errors[0]}{self._stderr()}")
        return [answers.get(first + n, {}) for n in range(len(payloads))]

    def _stderr(self) -> str:
        try:
            self.proc.kill()
            err = self.proc.stderr.read().decode("utf-8", "replace") if self.proc.stderr else ""
        except OSError:
            err = ""
        return f"\n{err.strip()}" if err.strip() else ""

    def close(self) -> None:
        if self.proc.poll() is None:
            try:
                if self.proc.stdin:
                    self.proc.stdin.close()
                self.proc.wait(timeout=10)
            except (OSError, subprocess.TimeoutExpired):
                self.proc.kill()
                self.proc.wait()


def index_site(graph: ContentGraph, site_dir: Path, reuse_from: Optional[Path] = None) -> None:
    """Build the search bundle ``site_dir/pagefind/`` for every article, brand and worker.

    Raises ``SearchIndexError`` (a clear Chinese message) when Pagefind fails:
    a site must never be published with a broken search. Writes only inside
    ``site_dir``; the bundle appears whole (renamed from a staging folder) or
    not at all. ``reuse_from``: an earlier bundle whose unchanged shards are
    linked instead of indexed again.
    """
    index_shards(plan_shards(graph), site_dir, reuse_from)


def index_shards(shards: list[Shard], site_dir: Path, reuse_from: Optional[Path] = None) -> None:
    """``index_site`` for shards already planned (``plan_shards``)."""
    site_dir = Path(site_dir).resolve()
    site_dir.mkdir(parents=True, exist_ok=True)   # it may run before MkDocs writes the first page
    bundle = site_dir / BUNDLE
    staging = _staging_dir(site_dir)
    if staging.exists():
        shutil.rmtree(staging)
    binary = pagefind_binary()
    # One Pagefind process per shard, each writing its own folder, merged into the bundle:
    # Pagefind holds a whole index in memory until it writes it, and one index of every
    # shard peaked at 1.3 GiB for 10,000 articles. Shard files carry the shard's name, so
    # the folders merge without collisions. Two shards are indexed at once (_write_shards).
    parts = [staging / f".shard-{n}" for n in range(len(shards))]
    try:
        done = _write_shards(binary, site_dir, shards, parts, Earlier.read(reuse_from))
        _write_entry([entry for _, entry, _ in done], staging)
        _check_bundle(staging, shards)
        for name in UNUSED:
            (staging / name).unlink(missing_ok=True)
        _write_routes(staging / ROUTES, _route_masks([prepared.held for prepared, _, _ in done]))
        (staging / SHARD_FILES).write_text(json.dumps({s.key: files for s, (_, _, files) in zip(shards, done)},
                                                      separators=(",", ":")), encoding="utf-8")
        manifest = {"version": PAGEFIND_VERSION, "routes": ROUTES, "buckets": ROUTE_BUCKETS,
                    "shards": [{**s.describe(), "digest": prepared.digest}
                               for s, (prepared, _, _) in zip(shards, done)]}
        (staging / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)   # no half-written index left behind
        raise
    _replace(bundle, staging)


def _replace(bundle: Path, staging: Path) -> None:
    """Put the new bundle in place of the old one (if any) in two renames."""
    old = bundle.with_name(f".{BUNDLE}-old")
    if old.exists():
        shutil.rmtree(old)
    if bundle.exists():
        bundle.rename(old)
    staging.rename(bundle)
    shutil.rmtree(old, ignore_errors=True)


def _staging_dir(site_dir: Path) -> Path:
    """Where the bundle is built before it is renamed to ``site_dir/pagefind``."""
    return site_dir / f".{BUNDLE}-staging"


def _parallel() -> int:
    """Pagefind processes at once: PARALLEL, or fewer on fewer CPUs."""
    try:
        cpus = len(os.sched_getaffinity(0))     # honours taskset and container CPU sets
    except AttributeError:                       # not on Linux
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, PARALLEL))


def _write_shards(binary: Path, cwd: Path, shards: list[Shard], parts: list[Path],
                  earlier: "Earlier") -> list[tuple[Prepared, dict, dict[str, int]]]:
    """Index every shard into the bundle, two Pagefind processes at a time.

    Each Pagefind uses about one core. Its memory peaks while it writes its files
    (from ~40 to ~140 MiB for 600 articles), so writes go one at a time while the
    next shard takes its records. Two writing at once saved 1-2 s of indexing
    (which runs while pages render anyway) but took a 10,000-article build over
    600 MiB in all. A shard ``earlier`` holds with the same digest is linked
    from there instead.

    Each shard is written to its part folder, then moved up into the part's
    parent (the staging folder). Returns, in shard order, each shard's prepared
    input, its Pagefind entry and its files with their sizes. A failing shard stops the others from starting
    and its error is raised once the running ones end.
    """
    writing = threading.Lock()

    def index(shard: Shard, part: Path) -> tuple[Prepared, dict, dict[str, int]]:
        prepared = prepare_shard(shard)
        if not earlier.link(shard, prepared, part):
            _write_shard(binary, cwd, shard, prepared, part, writing)
        files = _shard_files(part, shard.key)
        entry = _move_part(part, part.parent)
        if entry.get("version") != PAGEFIND_VERSION:
            raise SearchIndexError(_version_message(entry.get("version")))
        return prepared, entry, files

    with ThreadPoolExecutor(max_workers=_parallel(), thread_name_prefix="pagefind") as pool:
        futures = [pool.submit(index, shard, part) for shard, part in zip(shards, parts)]
        wait(futures, return_when=FIRST_EXCEPTION)
        for future in futures:
            future.cancel()                      # only those not started yet
    errors = [e for f in futures if not f.cancelled() and (e := f.exception()) is not None]
    if errors:
        raise errors[0]                          # the first failing shard's
    return [f.result() for f in futures]


@dataclass
class Earlier:
    """An earlier bundle, as far as its shards can be reused."""

    bundle: Optional[Path]
    digests: dict[str, str]                      # shard key -> digest of its input
    languages: dict[str, dict]                   # pagefind-entry.json's, by shard key
    files: dict[str, dict[str, int]]             # shard key -> its files and their sizes
    top: dict                                    # pagefind-entry.json without the languages

    @classmethod
    def read(cls, bundle: Optional[Path]) -> "Earlier":
        """The bundle's manifest, entry and file list; nothing reusable if one is missing or unreadable."""
        try:
            if bundle is None:
                raise FileNotFoundError
            manifest = json.loads((bundle / MANIFEST).read_text(encoding="utf-8"))
            entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
            files = json.loads((bundle / SHARD_FILES).read_text(encoding="utf-8"))
            if manifest.get("version") != PAGEFIND_VERSION or entry.get("version") != PAGEFIND_VERSION:
                raise ValueError("another Pagefind version")
            digests = {s["key"]: s["digest"] for s in manifest["shards"] if s.get("digest")}
            top = {k: v for k, v in entry.items() if k != "languages"}
            return cls(bundle, digests, dict(entry["languages"]), dict(files), top)
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return cls(None, {}, {}, {}, {})

    def link(self, shard: Shard, prepared: Prepared, part: Path) -> bool:
        """Lay out the shard's files from the earlier bundle in ``part``, as Pagefind wrote them.

        False (and nothing left in ``part``) when the shard changed, or when any of its
        files or the shared ones is missing or has another size: then it is indexed again.
        """
        language = self.languages.get(shard.key)
        files = self.files.get(shard.key)
        if (self.bundle is None or self.digests.get(shard.key) != prepared.digest or not language
                or not files or language.get("page_count") != len(shard.records)):
            return False
        bundle = self.bundle
        try:
            if any((bundle / name).stat().st_size != size for name, size in files.items()):
                return False
            for name in [*files, *COMMON_FILES]:
                _link_or_copy(bundle / name, part / name)
            entry = {**self.top, "languages": {shard.key: language}}
            (part / "pagefind-entry.json").write_text(json.dumps(entry), encoding="utf-8")
            return True
        except OSError:                          # a file is gone
            shutil.rmtree(part, ignore_errors=True)
            return False


def _shard_files(part: Path, key: str) -> dict[str, int]:
    """The shard's own files in a part folder (bundle-relative names) with their sizes."""
    found = {f"{folder}/{f.name}": f.stat().st_size for folder in SHARD_FOLDERS
             for f in (part / folder).glob(f"{key}_*")}
    found.update({f.name: f.stat().st_size for f in part.glob(f"pagefind.{key}_*.pf_meta")})
    return found


SHARD_FOLDERS = ("fragment", "index", "filter")  # a shard's files in them start with "<key>_"
COMMON_FILES = ("pagefind.js", "pagefind-worker.js", "wasm.unknown.pagefind")


def _link_or_copy(src: Path, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(src, dest)                       # instant, and the earlier bundle may go
    except OSError:
        shutil.copy2(src, dest)                  # another file system


def _route_masks(held: list[set[str]]) -> dict[str, int]:
    """token -> bit mask of the shards (by position) that hold it."""
    routes: dict[str, int] = {}
    for n, tokens_of_shard in enumerate(held):
        bit = 1 << n
        for token in tokens_of_shard:
            routes[token] = routes.get(token, 0) | bit
    return routes


def _write_shard(binary: Path, cwd: Path, shard: Shard, prepared: Prepared, out: Path,
                 writing: threading.Lock) -> None:
    """Index one shard with its own Pagefind process.

    ``writing`` is held from WriteFiles until the process has ended.
    """
    service = PagefindService(binary, cwd)
    try:
        created = service.send({"type": "NewIndex", "config": {}})
        index_id = created.get("index_id")
        if created.get("type") != "NewIndex" or index_id is None:
            raise SearchIndexError(f"搜索引擎 Pagefind 没有创建索引：{created}")
        payloads = [{**payload, "index_id": index_id} for payload in prepared.payloads]
        for record, answer in zip(shard.records, service.send_many(payloads)):
            if answer.get("type") != "IndexedFile":
                raise SearchIndexError(f"搜索引擎 Pagefind 没有收录 /{record.url}：{answer}")
        with writing:
            written = service.send({"type": "WriteFiles", "index_id": index_id, "output_path": str(out)})
            if written.get("type") != "WriteFiles":
                raise SearchIndexError(f"搜索引擎 Pagefind 没有写出索引：{written}")
            _wait_until_written(out, service.proc.pid)
            service.close()                      # frees its memory before the next one writes
    finally:
        service.close()


def _wait_until_written(out: Path, pid: int, timeout: float = 60.0) -> None:
    """Keep Pagefind running until its files are on disk.

    It answers WriteFiles while some writes are still in flight (tokio hands each
    write to a blocking thread and does not wait for the last one), and ending
    the process then loses them: seen as an empty pagefind-entry.json under load.
    Such a file is still open in the process, so on Linux we wait until Pagefind
    holds no file under ``out`` open (usually at once; a few ms under load).
    Without /proc: until the folder has not changed for 0.1 s.
    """
    deadline = time.monotonic() + timeout
    delay = 0.001
    while True:
        busy = _open_files_under(pid, out)
        if busy is None:
            return _wait_until_still(out, timeout)
        if not busy and _entry_ok(out / "pagefind-entry.json"):
            return
        if time.monotonic() > deadline:
            raise SearchIndexError(f"搜索引擎 Pagefind 没有在 {timeout:.0f} 秒内写完索引文件")
        time.sleep(delay)
        delay = min(delay * 2, 0.05)


def _open_files_under(pid: int, folder: Path) -> Optional[bool]:
    """Whether process ``pid`` holds a file under ``folder`` open; None if /proc cannot tell."""
    fd_dir = f"/proc/{pid}/fd"
    prefix = f"{folder}{os.sep}"
    try:
        fds = os.listdir(fd_dir)
    except FileNotFoundError:
        # Process gone (nothing open any more) or no /proc at all.
        return False if os.path.isdir("/proc/self/fd") else None
    except OSError:
        return None
    for fd in fds:
        try:
            if os.readlink(f"{fd_dir}/{fd}").startswith(prefix):
                return True
        except OSError:                          # closed meanwhile
            continue
    return False


def _wait_until_still(out: Path, timeout: float) -> None:
    """Without /proc: until the entry file reads and the folder has stopped changing."""
    deadline = time.monotonic() + timeout
    previous = None
    while time.monotonic() < deadline:
        state = sorted((p.name, p.stat().st_size) for p in out.rglob("*") if p.is_file())
        if state == previous and _entry_ok(out / "pagefind-entry.json"):
            return
        previous = state
        time.sleep(0.1)
    raise SearchIndexError(f"搜索引擎 Pagefind 没有在 {timeout:.0f} 秒内写完索引文件")


def _entry_ok(entry_file: Path) -> bool:
    try:
        return bool(json.loads(entry_file.read_text(encoding="utf-8")).get("languages"))
    except (OSError, json.JSONDecodeError):
        return False


def _move_part(part: Path, staging: Path) -> dict:
    """Move a shard's files up into the bundle; returns the shard's entry (pagefind-entry.json).

    Runs in the shard's thread as soon as its Pagefind is done, so the moves overlap
    with the indexing of the other shards. Shard files carry the shard's name;
    pagefind.js, the wasm and the UI files are the same in every part and are
    moved once (two shards racing on one of them leave an identical file).
    """
    entry = _read_entry(part / "pagefind-entry.json")
    for folder, _, names in os.walk(part):
        target = staging / os.path.relpath(folder, part)
        target.mkdir(parents=True, exist_ok=True)
        for name in names:
            dest = target / name
            if name != "pagefind-entry.json" and not dest.exists():
                os.rename(os.path.join(folder, name), dest)
    shutil.rmtree(part)
    return entry


def _write_entry(entries: list[dict], staging: Path) -> None:
    """One pagefind-entry.json listing every shard's language, in shard order."""
    entry = dict(entries[0]) if entries else {}
    entry["languages"] = {key: lang for e in entries for key, lang in e.get("languages", {}).items()}
    staging.mkdir(parents=True, exist_ok=True)
    (staging / "pagefind-entry.json").write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")),
                                                 encoding="utf-8")


class IndexJob:
    """The search index, built by another process while MkDocs renders the pages.

    The records come from the content graph, not from the HTML, so indexing can
    start as soon as the graph exists. The shards are planned here (0.3 s at
    10,000 articles) and handed, pickled, to a fresh Python that tokenizes them
    and drives Pagefind: tokens, JSON and base64 would otherwise take the GIL
    from page rendering for seconds. Not a fork of this process: a fork holds on
    to every page of the build's memory that either process writes afterwards,
    and rendering writes most of them (+145 MiB at 10,000 articles, against
    55 MiB for a fresh one).

    ``finish`` waits and raises ``SearchIndexError`` with the indexer's message if
    the index failed, or if the indexer died, so a broken index still fails the
    build; the bundle is only ever renamed into place whole.
    """

    def __init__(self, graph: ContentGraph, site_dir: Path, reuse_from: Optional[Path] = None) -> None:
        site_dir = Path(site_dir).resolve()
        self._staging = _staging_dir(site_dir)
        self.cancelled = False
        work = pickle.dumps((plan_shards(graph), str(site_dir), reuse_from and str(reuse_from)),
                            protocol=pickle.HIGHEST_PROTOCOL)
        try:
            # Its own session: Ctrl-C in the terminal stops the build or the preview, which
            # stops the indexer (cancel, or the finalizer below); the indexer and its Pagefind
            # processes never see the signal, so they print no traceback of their own.
            self._indexer = subprocess.Popen([sys.executable, "-c", _INDEXER], stdin=subprocess.PIPE,
                                             stdout=subprocess.PIPE, env=_indexer_env(),
                                             start_new_session=True)
        except OSError as e:
            raise SearchIndexError(f"无法启动生成搜索索引的进程 {sys.executable}：{e}") from e
        # An indexer left behind (the build stopped without finish) must not go on
        # writing into the site folder.
        self._finalizer = weakref.finalize(self, _stop, self._indexer)
        # Written by a thread (which releases the GIL while the pipe is full), read by the indexer.
        self._feeder = threading.Thread(target=_feed, args=(self._indexer, work), name="search-index-feed",
                                        daemon=True)
        self._feeder.start()

    def finish(self) -> None:
        assert self._indexer.stdout is not None
        try:
            report = self._indexer.stdout.read()     # the indexer's only output, at its end
            self._indexer.wait()
        except BaseException:                        # Ctrl-C while waiting: it must not write on
            self.cancel()
            raise
        self._feeder.join()
        self._finalizer.detach()
        try:
            outcome = json.loads(report)
        except ValueError:                       # no report: the indexer died
            shutil.rmtree(self._staging, ignore_errors=True)   # whatever it left half-written
            raise SearchIndexError(f"生成搜索索引的进程意外退出（退出码 {self._indexer.returncode}）") from None
        if outcome:
            raise SearchIndexError(outcome)


    @property
    def interrupted(self) -> bool:
        """The indexer ended by Ctrl-C, kill or a closed terminal: stopped with its caller."""
        return self._indexer.returncode in (-signal.SIGINT, -signal.SIGTERM, -signal.SIGHUP)

    def cancel(self) -> None:
        """Stop the indexer at once (the build failed): nothing it wrote is kept."""
        self.cancelled = True
        _stop(self._indexer)
        self._feeder.join(timeout=5)
        self._finalizer.detach()
        shutil.rmtree(self._staging, ignore_errors=True)


def start_index(graph: ContentGraph, site_dir: Path, reuse_from: Optional[Path] = None) -> IndexJob:
    return IndexJob(graph, site_dir, reuse_from)


_INDEXER = "from newsroom.search import _indexer_main; _indexer_main()"


def _indexer_env() -> dict[str, str]:
    """The environment of the indexer: this one, with this copy of the package first on the path."""
    env = dict(os.environ)
    root = str(Path(__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
    return env


def _feed(indexer: subprocess.Popen, work: bytes) -> None:
    try:
        assert indexer.stdin is not None
        indexer.stdin.write(work)
        indexer.stdin.close()
    except OSError:
        pass                                     # the indexer died: finish() reports it


def _stop(indexer: subprocess.Popen) -> None:
    if indexer.poll() is None:
        indexer.kill()                           # its Pagefind processes end with their stdin
        indexer.wait()


def _yield_to_rendering() -> None:
    """Run the indexer and its Pagefind processes at a lower priority than the build.

    The build waits for its page rendering; the index takes the CPU left over,
    and all of it once the pages are done. At 10,000 articles on two cores:
    builds of 14.0-14.3 s, against 15.5-16.9 s at normal priority.
    """
    try:
        os.nice(INDEX_NICENESS)
    except (AttributeError, OSError):           # no nice() on Windows
        pass


def _exit_with_parent() -> None:
    """End the indexer if the build or preview that started it is gone (killed with its
    terminal, say): in its own session it gets no signal of its own. Its Pagefind
    processes end with their input."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(3)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _indexer_main() -> None:
    """The indexer process: read the shards from stdin, index them, report on stdout.

    The report is a JSON string: empty when the bundle is written, else the
    message for the build. stdout carries only that: anything else printed goes
    to stderr.
    """
    report = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="utf-8")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    _yield_to_rendering()
    _exit_with_parent()
    try:
        shards, site_dir, reuse_from = pickle.load(sys.stdin.buffer)
        index_shards(shards, Path(site_dir), reuse_from and Path(reuse_from))
        outcome = ""
    except SearchIndexError as e:
        outcome = str(e)
    except BaseException as e:  # a bug or an OS error: with its traceback, for the build log
        outcome = f"生成搜索索引时出错：{e!r}\n{traceback.format_exc()}"
    report.write(json.dumps(outcome, ensure_ascii=False))
    report.close()


def route_bucket(token: str) -> int:
    """The routing bucket of a token (search.js: routeBucket)."""
    h = 0
    for ch in token:
        h = (h * 31 + ord(ch)) & 0xFFFFFFFF
    return h % ROUTE_BUCKETS


def _write_routes(folder: Path, routes: dict[str, int]) -> None:
    """Which shards hold each token, so a query skips shards that cannot match.

    One small JSON file per bucket: {token: shard mask in hex}. A query reads one
    bucket per distinct token.
    """
    buckets: dict[int, dict[str, str]] = {}
    for token, mask in routes.items():
        if not _TOKEN.fullmatch(token):
            continue                 # punctuation and line marks are not searched
        buckets.setdefault(route_bucket(token), {})[token] = format(mask, "x")
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(ROUTE_BUCKETS):
        (folder / f"{n}.json").write_text(json.dumps(buckets.get(n, {}), ensure_ascii=False,
                                                     separators=(",", ":"), sort_keys=True),
                                          encoding="utf-8")


def _read_entry(entry_file: Path) -> dict:
    # Seen under parallel builds: the file exists but is still empty for a moment
    # after the service has exited. Wait a little for it rather than fail the build.
    for _ in range(50):
        try:
            return json.loads(entry_file.read_text(encoding="utf-8"))
        except json.JSONDecodeError:
            time.sleep(0.1)
    raise SearchIndexError(f"搜索引擎 Pagefind 生成的 {entry_file.name} 无法读取")


def _version_message(found: object) -> str:
    return (f"搜索引擎 Pagefind 版本为 {found}，本站搜索需要 {PAGEFIND_VERSION}"
            f"（pip install pagefind-bin-extended=={PAGEFIND_VERSION}）")


def _check_bundle(staging: Path, shards: list[Shard]) -> None:
    entry_file = staging / "pagefind-entry.json"
    if not entry_file.is_file():
        raise SearchIndexError(f"搜索引擎 Pagefind 没有生成 {entry_file.name}")
    entry = _read_entry(entry_file)
    if entry.get("version") != PAGEFIND_VERSION:
        raise SearchIndexError(_version_message(entry.get("version")))
    languages = entry.get("languages", {})
    for shard in shards:
        info = languages.get(shard.key)
        if not info or info.get("page_count") != len(shard.records):
            raise SearchIndexError(f"搜索索引分片 {shard.key} 不完整：{info}")
        if info.get("wasm"):
            raise SearchIndexError(f"搜索索引分片 {shard.key} 意外使用了词干处理（{info['wasm']}）")
    if not (staging / "wasm.unknown.pagefind").is_file() or not (staging / "pagefind.js").is_file():
        raise SearchIndexError("搜索引擎 Pagefind 没有生成 pagefind.js 或 wasm.unknown.pagefind")
