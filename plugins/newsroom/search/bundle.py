"""The search bundle: shards indexed (or reused), routes written, the bundle swapped in whole."""
from __future__ import annotations

import hashlib
import json
import os
import posixpath
import shutil
import threading
import time
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Optional

from .pagefind import PAGEFIND_VERSION, PagefindService, SearchIndexError, pagefind_binary, wait_until_written
from .shards import Prepared, Shard, StaleShard, held_by_shard, plan_shards, prepare_shard, source_digest
from .routes import Routes
from .scratch import link_or_copy, pagefind_output
from .token_texts import TokenTexts
from .tokens import ROUTE_BUCKETS

# Annotations only (not imported in the indexer process: see indexer.py).
if TYPE_CHECKING:
    from ..content.graph_data import ContentGraph

BUNDLE = "pagefind"                 # the bundle folder under site_dir
MANIFEST = "newsroom-shards.json"
SHARD_FILES = "newsroom-files.json"     # each shard's files and sizes: what reuse checks
ROUTES = "newsroom-routes"          # token -> shards that hold it, in hashed buckets
PARALLEL = 2                        # shards at once: one in Pagefind, the next tokenized
# Files of the Pagefind bundle we serve; its default UIs are not used.
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")


# ---------------------------------------------------------------- Pagefind


def index_site(graph: ContentGraph, site_dir: Path, reuse_from: Optional[Path] = None) -> None:
    """Build the search bundle ``site_dir/pagefind/`` for every article, brand and worker.

    Raises ``SearchIndexError`` (a clear Chinese message) when Pagefind fails:
    a site must never be published with a broken search. Writes only inside
    ``site_dir``; the bundle appears whole (renamed from a staging folder) or
    not at all. ``reuse_from``: an earlier bundle whose unchanged shards are
    linked instead of indexed again.
    """
    index_shards(plan_shards(graph), site_dir, reuse_from)


def index_shards(shards: list[Shard], site_dir: Path, reuse_from: Optional[Path] = None,
                 keep_texts: bool = True, token_texts: Optional[Path] = None) -> None:
    """``index_site`` for shards already planned (``plan_shards``). ``keep_texts=False``: the
    shards are the caller's to lose (the indexer's unpickled copy): each record's text is
    dropped once its shard is indexed (16 MiB of text at 10,000 articles). ``token_texts``:
    the build cache's file of the newest shard's token texts (token_texts.py)."""
    site_dir = Path(site_dir).resolve()
    site_dir.mkdir(parents=True, exist_ok=True)   # it may run before MkDocs writes the first page
    bundle = site_dir / BUNDLE
    staging = staging_dir(site_dir)
    if staging.exists():
        shutil.rmtree(staging)
    binary = pagefind_binary()
    # One Pagefind process per shard, each writing its own folder, merged into the bundle:
    # Pagefind holds a whole index in memory until it writes it, and one index of every
    # shard peaked at 1.3 GiB for 10,000 articles. Shard files carry the shard's name, so
    # the folders merge without collisions. Two shards are indexed at once (_write_shards).
    parts = [staging / f".shard-{n}" for n in range(len(shards))]
    routes = Routes(len(shards), staging / ROUTES)
    texts = TokenTexts(token_texts)
    try:
        done = _write_shards(binary, site_dir, shards, parts, Earlier.read(reuse_from), keep_texts, routes, texts)
        entry, languages = _write_entry([e for _, e, _ in done], staging)
        _check_bundle(staging, shards)
        for name in UNUSED:
            (staging / name).unlink(missing_ok=True)
        routes.join()
        (staging / SHARD_FILES).write_text(json.dumps({s.key: files for s, (_, _, files) in zip(shards, done)},
                                                      separators=(",", ":")), encoding="utf-8")
        # entry: a tag of pagefind-entry.json (Pagefind's metaCacheTag), and each shard's meta
        # file: search.js requests them beside pagefind.js rather than one after the other.
        manifest = {"version": PAGEFIND_VERSION, "routes": ROUTES, "buckets": ROUTE_BUCKETS,
                    "entry": hashlib.sha256(entry).hexdigest()[:16],
                    "shards": [{**s.describe(), "digest": prepared.digest, "source": prepared.source,
                                "meta": languages.get(s.key, {}).get("hash", "")}
                               for s, (prepared, _, _) in zip(shards, done)]}
        (staging / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, separators=(",", ":")),
                                        encoding="utf-8")
    except BaseException:
        routes.join(raising=False)               # it writes into staging
        shutil.rmtree(staging, ignore_errors=True)   # no half-written index left behind
        raise
    finally:
        texts.join()
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


def staging_dir(site_dir: Path) -> Path:
    """Where the bundle is built before it is renamed to ``site_dir/pagefind``."""
    return site_dir / f".{BUNDLE}-staging"


def _parallel() -> int:
    """Shards at once (one of them in Pagefind): PARALLEL, or fewer on fewer CPUs."""
    try:
        cpus = len(os.sched_getaffinity(0))     # honours taskset and container CPU sets
    except AttributeError:                       # not on Linux
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, PARALLEL))


def _write_shards(binary: Path, cwd: Path, shards: list[Shard], parts: list[Path],
                  earlier: "Earlier", keep_texts: bool = True, routes: Optional["Routes"] = None,
                  texts: Optional[TokenTexts] = None) -> list[tuple[Prepared, dict, dict[str, int]]]:
    """Index every shard into the bundle: two shards at a time, one Pagefind process.

    Each Pagefind uses about one core. Its memory peaks while it writes its files
    (from ~40 to ~165 MiB for 1,000 articles), so one Pagefind runs at a time,
    from its start to its end, while the next shard is tokenized (the indexer's
    Python, the larger part of the work). Two writing at once saved 1-2 s of
    indexing (which runs while pages render anyway) but took a 10,000-article
    build over 600 MiB in all; one writing while the next took its records,
    still 40 MiB more than one at a time. A shard ``earlier`` holds with the
    same digest is linked from there instead.

    Each shard is written to its part folder, then moved up into the part's
    parent (the staging folder). Returns, in shard order, each shard's prepared
    input, its Pagefind entry and its files with their sizes. A failing shard stops the others from starting
    and its error is raised once the running ones end. ``texts``: the newest shard's token
    texts kept from the last build (only the first shard's: the one every new article changes).
    """
    one_service = threading.Lock()

    def index(n: int, shard: Shard, part: Path) -> tuple[Prepared, dict, dict[str, int]]:
        source = shard.kept.source if shard.kept is not None else source_digest(shard)
        prepared = earlier.known(shard.key, source)      # unchanged: not tokenized again
        linked = earlier.link(shard, prepared, part.parent) if prepared is not None else None
        if linked is None:
            if shard.kept is not None:                   # no records to index it from
                raise StaleShard(shard.key)
            prepared = prepare_shard(shard, texts if n == 0 else None)
            if n == 0 and texts is not None:
                texts.save_soon()
            prepared.source = source
            linked = earlier.link(shard, prepared, part.parent)
            if routes is not None:
                routes.known(n, prepared.held)           # before Pagefind runs: see Routes
            if linked is None:
                _write_shard(binary, cwd, shard, prepared, part, one_service, earlier.bundle)
            # Given to Pagefind: the bundle needs only the tokens and digests. Kept for every
            # shard, the payloads (the tokenized text) grew the indexer by 60 MiB at 10,000 articles.
            prepared.payloads = []
        elif routes is not None:                         # unchanged: its tokens as the routes held them
            routes.known(n, prepared.held)
        if not keep_texts:
            for r in shard.records:
                r.text = ""
        assert prepared is not None
        if linked is not None:
            entry, files = linked
        else:
            files = _shard_files(part, shard.key)
            entry = _move_part(part, part.parent)
        if entry.get("version") != PAGEFIND_VERSION:
            raise SearchIndexError(_version_message(entry.get("version")))
        return prepared, entry, files

    with ThreadPoolExecutor(max_workers=_parallel(), thread_name_prefix="pagefind") as pool:
        futures = [pool.submit(index, n, shard, part) for n, (shard, part) in enumerate(zip(shards, parts))]
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
    sources: dict[str, str] = field(default_factory=dict)     # shard key -> its source digest
    held: Optional[dict[str, set[str]]] = None   # shard key -> its routed tokens (from the routes)

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
            sources = {s["key"]: s["source"] for s in manifest["shards"] if s.get("source")}
            top = {k: v for k, v in entry.items() if k != "languages"}
            held = (held_by_shard(bundle / ROUTES, [s["key"] for s in manifest["shards"]], ROUTE_BUCKETS)
                    if sources and manifest.get("buckets") == ROUTE_BUCKETS else None)
            return cls(bundle, digests, dict(entry["languages"]), dict(files), top, sources, held)
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return cls(None, {}, {}, {}, {})

    def known(self, key: str, source: str) -> Optional[Prepared]:
        """The earlier bundle's shard ``key`` as prepared, if it was made from the same source
        (its tokens read back from the routes, its digest from the manifest); else None."""
        if self.held is None or self.sources.get(key) != source or key not in self.digests:
            return None
        return Prepared([], self.held.get(key, set()), self.digests[key], source)

    def link(self, shard: Shard, prepared: Prepared, staging: Path) -> Optional[tuple[dict, dict[str, int]]]:
        """Link the shard's files from the earlier bundle straight into ``staging``, as Pagefind
        wrote them; returns the shard's entry (its pagefind-entry.json) and its files.

        None (and none of its files left in ``staging``) when the shard changed, or when any of
        its files or the shared ones is missing or has another size: then it is indexed again.
        Plain string paths, one stat and one link a file, no part folder to move from: a warm
        build links 11,000 files of unchanged shards at 10,000 articles, and through Path
        objects, a part folder and a move each, that linking, not Pagefind, was what the
        build waited for after one new article (0.3 s of wall a shard)."""
        language = self.languages.get(shard.key)
        files = self.files.get(shard.key)
        if (self.bundle is None or self.digests.get(shard.key) != prepared.digest or not language
                or not files or language.get("page_count") != shard.pages):
            return None
        src, dest = str(self.bundle), str(staging)
        made: list[str] = []
        try:
            if any(os.stat(f"{src}/{name}").st_size != size for name, size in files.items()):
                return None
            folders = {posixpath.dirname(name) for name in files}
            for folder in sorted(folders):
                os.makedirs(f"{dest}/{folder}" if folder else dest, exist_ok=True)
            for name in files:
                link_or_copy(f"{src}/{name}", f"{dest}/{name}")
                made.append(f"{dest}/{name}")
            for name in COMMON_FILES:                # the same in every shard: the first one links them
                _link_shared(f"{src}/{name}", f"{dest}/{name}")
        except OSError:                          # a file is gone, or another file system
            for path in made:
                os.unlink(path)
            return None
        return {**self.top, "languages": {shard.key: language}}, dict(files)


def _link_shared(src: str, dest: str) -> None:
    """A file every shard has (pagefind.js, the wasm): linked once; another shard's thread
    may have linked it first, the same file."""
    try:
        link_or_copy(src, dest)
    except FileExistsError:
        pass


def _shard_files(part: Path, key: str) -> dict[str, int]:
    """The shard's own files in a part folder (bundle-relative names) with their sizes."""
    found = {f"{folder}/{f.name}": f.stat().st_size for folder in SHARD_FOLDERS
             for f in (part / folder).glob(f"{key}_*")}
    found.update({f.name: f.stat().st_size for f in part.glob(f"pagefind.{key}_*.pf_meta")})
    return found


SHARD_FOLDERS = ("fragment", "index", "filter")  # a shard's files in them start with "<key>_"
COMMON_FILES = ("pagefind.js", "pagefind-worker.js", "wasm.unknown.pagefind")


def _write_shard(binary: Path, cwd: Path, shard: Shard, prepared: Prepared, out: Path,
                 one_service: threading.Lock, earlier: Optional[Path] = None) -> None:
    """Index one shard with its own Pagefind process, into ``out``: written in memory, the
    files the ``earlier`` bundle holds alike linked from it (scratch.py).

    ``one_service`` is held from the process's start until it has ended (not while the
    files are placed: the next shard's Pagefind starts meanwhile).
    """
    with pagefind_output(out, earlier) as written:
        with one_service:
            _run_service(binary, cwd, shard, prepared, written)


def _run_service(binary: Path, cwd: Path, shard: Shard, prepared: Prepared, out: Path) -> None:
    service = PagefindService(binary, cwd)
    try:
        created = service.send({"type": "NewIndex", "config": {}})
        index_id = created.get("index_id")
        if created.get("type") != "NewIndex" or index_id is None:
            raise SearchIndexError(f"搜索引擎 Pagefind 没有创建索引：{created}")
        for record, answer in zip(shard.records, service.add_records(index_id, prepared.payloads)):
            if answer.get("type") != "IndexedFile":
                raise SearchIndexError(f"搜索引擎 Pagefind 没有收录 /{record.url}：{answer}")
        written = service.send({"type": "WriteFiles", "index_id": index_id, "output_path": str(out)})
        if written.get("type") != "WriteFiles":
            raise SearchIndexError(f"搜索引擎 Pagefind 没有写出索引：{written}")
        wait_until_written(out, service.proc.pid)
    finally:
        service.close()


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


def _write_entry(entries: list[dict], staging: Path) -> tuple[bytes, dict]:
    """One pagefind-entry.json listing every shard's language, in shard order; returns its
    bytes and its languages (shard key -> Pagefind's record of it)."""
    entry = dict(entries[0]) if entries else {}
    entry["languages"] = {key: lang for e in entries for key, lang in e.get("languages", {}).items()}
    staging.mkdir(parents=True, exist_ok=True)
    data = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    (staging / "pagefind-entry.json").write_bytes(data)
    return data, entry["languages"]


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
        if not info or info.get("page_count") != shard.pages:
            raise SearchIndexError(f"搜索索引分片 {shard.key} 不完整：{info}")
        if info.get("wasm"):
            raise SearchIndexError(f"搜索索引分片 {shard.key} 意外使用了词干处理（{info['wasm']}）")
    if not (staging / "wasm.unknown.pagefind").is_file() or not (staging / "pagefind.js").is_file():
        raise SearchIndexError("搜索引擎 Pagefind 没有生成 pagefind.js 或 wasm.unknown.pagefind")
