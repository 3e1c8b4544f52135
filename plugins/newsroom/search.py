"""The search index: Pagefind, sharded by year, with bigram tokens for Chinese.

Called by the plugin at the end of ``on_post_build``. Design (docs/search.md):

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
"""
from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
import threading
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from .graph import ContentGraph
from .model import Article, Brand, Worker

PAGEFIND_VERSION = "1.5.2"          # search.js relies on this version's pagefind.js internals
BUNDLE = "pagefind"                 # the bundle folder under site_dir
MANIFEST = "newsroom-shards.json"
ROUTES = "newsroom-routes"          # token -> shards that hold it, in hashed buckets
ROUTE_BUCKETS = 1024
SHARD_MAX = 1000                    # articles per shard at most (a bigger year splits by months)
ENTITY_SHARD = "nrent"
# Files of the Pagefind bundle we serve; its default UIs are not used.
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")


class SearchIndexError(RuntimeError):
    """The search index could not be built: the build must stop."""


# ---------------------------------------------------------------- tokens

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"
_TOKEN = re.compile(f"([{_CJK}]+)|([0-9a-z]+)")


def normalize(text: str) -> str:
    """NFKC (full-width letters and digits become ASCII) and lower case."""
    return unicodedata.normalize("NFKC", text).lower()


def tokens(text: str) -> list[str]:
    """The indexed tokens of ``text``: bigrams of Chinese runs, Latin/digit words whole.

    A Chinese run of one character is kept as it is. ``search.js`` has the same
    function (``tokens``); tests check both agree.
    """
    out: list[str] = []
    for m in _TOKEN.finditer(normalize(text)):
        run, word = m.group(1), m.group(2)
        if run:
            out.extend([run] if len(run) == 1 else [run[i:i + 2] for i in range(len(run) - 1)])
        else:
            out.append(word)
    return out


def token_text(text: str) -> str:
    """What Pagefind indexes and stores: the tokens, with the punctuation between them.

    Punctuation between two runs is kept as a token of its own (Pagefind does not
    index it), so a phrase never matches across it and ``search.js`` can turn
    the tokens back into readable text for excerpts; a line break becomes '¦'.
    """
    out: list[str] = []
    norm = normalize(text)
    pos = 0
    for m in _TOKEN.finditer(norm):
        gap = norm[pos:m.start()]
        if out and gap:
            mark = "".join(gap.split())
            if mark:
                out.append(mark)
            if "\n" in gap:
                out.append("¦")
        run, word = m.group(1), m.group(2)
        if run:
            out.extend([run] if len(run) == 1 else [run[i:i + 2] for i in range(len(run) - 1)])
        else:
            out.append(word)
        pos = m.end()
    return " ".join(out)


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
    text = markdown
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


def article_record(a: Article) -> Record:
    head = [a.title, a.kicker, a.subtitle]
    people = a.reporters + a.correspondents
    tail = [" ".join(b.name for b in a.brands), " ".join(w.name for w in a.workers), a.region,
            " ".join(a.tags), a.column, a.dateline, " ".join(people), a.image_caption]
    text = "\n".join(s for s in [*head, a.summary, plain(a.body), *tail] if s)
    return Record(a.url, "article", a.title, text, f"{a.date:%Y-%m-%d}", [b.name for b in a.brands],
                  a.region, str(a.year))


def brand_record(b: Brand) -> Record:
    text = "\n".join(s for s in [b.name, b.slogan, b.attribute, b.owner, b.family, b.region,
                                 plain(b.body)] if s)
    return Record(b.url, "brand", b.name, text, brands=[b.name], region=b.region)


def worker_record(w: Worker) -> Record:
    honors = " ".join(str(h) for h in w.honors)
    text = "\n".join(s for s in [w.name, honors, w.occupation, w.employer, w.region, plain(w.body)] if s)
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


def index_site(graph: ContentGraph, site_dir: Path) -> None:
    """Build the search bundle ``site_dir/pagefind/`` for every article, brand and worker.

    Raises ``SearchIndexError`` (a clear Chinese message) when Pagefind fails:
    a site must never be published with a broken search. Writes only inside
    ``site_dir``.
    """
    site_dir = Path(site_dir).resolve()
    site_dir.mkdir(parents=True, exist_ok=True)   # it may run before MkDocs writes the first page
    shards = plan_shards(graph)
    bundle = site_dir / BUNDLE
    staging = site_dir / f".{BUNDLE}-staging"
    for path in (bundle, staging):
        if path.exists():
            shutil.rmtree(path)
    routes: dict[str, int] = {}
    binary = pagefind_binary()
    # One Pagefind process per shard, each writing its own folder, merged after: Pagefind
    # holds a whole index in memory until it writes it, and one index of every shard
    # peaked at 1.3 GiB for 10,000 articles. Shard files carry the shard's name, so the
    # folders merge without collisions.
    parts = []
    for n, shard in enumerate(shards):
        part = staging / f".shard-{n}"
        held = _write_shard(binary, site_dir, shard, part)
        for token in held:
            routes[token] = routes.get(token, 0) | (1 << n)
        parts.append(part)
    _merge_parts(parts, staging)
    _check_bundle(staging, shards)
    for name in UNUSED:
        (staging / name).unlink(missing_ok=True)
    _write_routes(staging / ROUTES, routes)
    manifest = {"version": PAGEFIND_VERSION, "routes": ROUTES, "buckets": ROUTE_BUCKETS,
                "shards": [s.describe() for s in shards]}
    (staging / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    staging.rename(bundle)


def _write_shard(binary: Path, cwd: Path, shard: Shard, out: Path) -> set[str]:
    """Index one shard with its own Pagefind process; returns the tokens it holds."""
    service = PagefindService(binary, cwd)
    try:
        created = service.send({"type": "NewIndex", "config": {}})
        index_id = created.get("index_id")
        if created.get("type") != "NewIndex" or index_id is None:
            raise SearchIndexError(f"搜索引擎 Pagefind 没有创建索引：{created}")
        held: set[str] = set()
        payloads = []
        for record in shard.records:
            content = token_text(record.text)
            held.update(content.split(" "))
            payloads.append(record.payload(index_id, shard.key, content))
        for record, answer in zip(shard.records, service.send_many(payloads)):
            if answer.get("type") != "IndexedFile":
                raise SearchIndexError(f"搜索引擎 Pagefind 没有收录 /{record.url}：{answer}")
        written = service.send({"type": "WriteFiles", "index_id": index_id, "output_path": str(out)})
        if written.get("type") != "WriteFiles":
            raise SearchIndexError(f"搜索引擎 Pagefind 没有写出索引：{written}")
        _wait_until_written(out)
    finally:
        service.close()
    return held


def _wait_until_written(out: Path, timeout: float = 60.0) -> None:
    """Keep Pagefind running until its files are on disk.

    It answers WriteFiles while some writes are still in flight, and ending the
    process then loses them: seen as an empty pagefind-entry.json under load. So
    the service is closed only once the entry file reads and the folder has
    stopped changing.
    """
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


def _merge_parts(parts: list[Path], staging: Path) -> None:
    """One bundle from the shards' folders: their files, and one entry listing every shard."""
    entry: dict | None = None
    for part in parts:
        part_entry = _read_entry(part / "pagefind-entry.json")
        if entry is None:
            entry = part_entry
        else:
            entry.setdefault("languages", {}).update(part_entry.get("languages", {}))
        for src in sorted(part.rglob("*")):
            if src.is_file() and src.name != "pagefind-entry.json":
                dest = staging / src.relative_to(part)
                if not dest.exists():   # pagefind.js and the wasm are the same in every part
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    src.rename(dest)
        shutil.rmtree(part)
    staging.mkdir(parents=True, exist_ok=True)
    (staging / "pagefind-entry.json").write_text(json.dumps(entry or {}, ensure_ascii=False,
                                                            separators=(",", ":")), encoding="utf-8")


class IndexJob:
    """``index_site`` in a background thread, so the search index is written while pages render.

    The records come from the content graph, not from the HTML, so indexing can
    start as soon as the graph exists; Pagefind (a separate process) then writes
    its files on the second core. ``finish`` waits and re-raises any failure, so a
    broken index still fails the build.
    """

    def __init__(self, graph: ContentGraph, site_dir: Path) -> None:
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(graph, site_dir), name="search-index",
                                        daemon=True)
        self._thread.start()

    def _run(self, graph: ContentGraph, site_dir: Path) -> None:
        try:
            index_site(graph, site_dir)
        except BaseException as e:  # re-raised in the build's thread by finish()
            self._error = e

    def finish(self) -> None:
        self._thread.join()
        if self._error is not None:
            raise self._error


def start_index(graph: ContentGraph, site_dir: Path) -> IndexJob:
    return IndexJob(graph, site_dir)


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


def _check_bundle(staging: Path, shards: list[Shard]) -> None:
    entry_file = staging / "pagefind-entry.json"
    if not entry_file.is_file():
        raise SearchIndexError(f"搜索引擎 Pagefind 没有生成 {entry_file.name}")
    entry = _read_entry(entry_file)
    if entry.get("version") != PAGEFIND_VERSION:
        raise SearchIndexError(f"搜索引擎 Pagefind 版本为 {entry.get('version')}，本站搜索需要 {PAGEFIND_VERSION}"
                               f"（pip install pagefind-bin-extended=={PAGEFIND_VERSION}）")
    languages = entry.get("languages", {})
    for shard in shards:
        info = languages.get(shard.key)
        if not info or info.get("page_count") != len(shard.records):
            raise SearchIndexError(f"搜索索引分片 {shard.key} 不完整：{info}")
        if info.get("wasm"):
            raise SearchIndexError(f"搜索索引分片 {shard.key} 意外使用了词干处理（{info['wasm']}）")
    if not (staging / "wasm.unknown.pagefind").is_file() or not (staging / "pagefind.js").is_file():
        raise SearchIndexError("搜索引擎 Pagefind 没有生成 pagefind.js 或 wasm.unknown.pagefind")
