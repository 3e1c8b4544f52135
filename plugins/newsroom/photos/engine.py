"""One photo: hash -> cache hit, or probe + render + store. Results and notices as plain data."""
from __future__ import annotations

import hashlib
import json
from concurrent.futures import Executor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pyvips

from . import heif, notices
from .cache import CachedFile, VariantCache, sha256_bytes
from .focus import CENTRE
from .ladder import QUALITY, SLOTS, plan_formats, plan_widths
from .render import Header, Rendered, UnreadableImage, loaders, probe, render
from .sources import SourceHashes, identity

# Bump when the rendering code changes its output: part of every cache key.
ENGINE_VERSION = 2
HEIF_SUFFIXES = {".heic", ".heif"}


@dataclass(frozen=True)
class PhotoJob:
    source: Path                       # file on disk
    display: str                       # path as the editor knows it, for notices
    slots: tuple[str, ...] = ("body",)
    og_focus: tuple[float, float] | None = None   # set (CENTRE by default) for a lead photo's card
    # Format of the file published at the original's own URL instead of the original (jpeg,
    # png, webp, gif; "" for none): links, JSON-LD and old pages naming images/x.jpg keep
    # working, and get the largest rendition without metadata, not the camera file.
    standin: str = ""


@dataclass
class PhotoResult:
    job: PhotoJob
    source_sha: str = ""
    folder: Path | None = None         # cache folder holding the files
    files: list[CachedFile] = field(default_factory=list)
    header: dict = field(default_factory=dict)
    notices: list[notices.Notice] = field(default_factory=list)
    from_cache: bool = False

    @property
    def ok(self) -> bool:
        return not any(n.is_error for n in self.notices)

    def variants(self, slot: str) -> list[CachedFile]:
        """This slot's files, narrowest first, modern formats before the fallback."""
        s = SLOTS[slot]
        widths = set(plan_widths(s, self.header.get("width", 0)))
        formats = plan_formats(s, self.header.get("has_alpha", False))
        return sorted((f for f in self.files if f.role == "variant" and f.width in widths
                       and f.format in formats), key=lambda f: (formats.index(f.format), f.width))

    @property
    def standin(self) -> CachedFile | None:
        """The largest rendition in the job's stand-in format (see PhotoJob.standin)."""
        if not self.job.standin:
            return None
        found = [f for f in self.files if f.role == "variant" and f.format == self.job.standin]
        return max(found, key=lambda f: f.width, default=None)

    @property
    def og(self) -> CachedFile | None:
        return next((f for f in self.files if f.role == "og"), None)


def settings_key(job: PhotoJob) -> str:
    """Everything besides the source bytes that shapes the output."""
    return _settings_key(job.slots, job.og_focus, job.standin)


@lru_cache(maxsize=1024)      # a few distinct jobs' settings at 1,000 photos: made once each
def _settings_key(slots: tuple[str, ...], og_focus: tuple[float, float] | None, standin: str) -> str:
    settings = {"engine": ENGINE_VERSION, "vips": [pyvips.version(i) for i in range(3)],
                "quality": QUALITY, "slots": sorted(slots),
                "ladders": {s: [SLOTS[s].widths, SLOTS[s].modern] for s in sorted(slots)},
                "og": og_focus, "standin": standin}
    return hashlib.sha256(json.dumps(settings, sort_keys=True).encode()).hexdigest()[:16]


def requests_for(job: PhotoJob, header: Header) -> list[tuple[int, str]]:
    wanted: list[tuple[int, str]] = []
    for name in job.slots:
        slot = SLOTS[name]
        for w in plan_widths(slot, header.width):
            for fmt in plan_formats(slot, header.has_alpha):
                if (w, fmt) not in wanted:
                    wanted.append((w, fmt))
    if job.standin and wanted:
        top = (max(w for w, _ in wanted), job.standin)
        if top not in wanted:
            wanted.append(top)
    return wanted


def header_notices(job: PhotoJob, header: Header) -> list[notices.Notice]:
    found = []
    for name in job.slots:
        minimum = SLOTS[name].min_width
        if minimum and header.width < minimum:
            found.append(notices.too_narrow(job.display, header.width, minimum))
    return found


def process(job: PhotoJob, cache: VariantCache, hashes: SourceHashes, gate=None,
            encoders: Executor | None = None) -> PhotoResult:
    """The job's variants from the cache if intact, else rendered (``encoders``: render.render)."""
    result = PhotoResult(job)
    try:
        sha, ident = hashes.digest(job.source)
    except OSError:
        result.notices.append(notices.unreadable(job.display))
        return result
    key = settings_key(job)
    result.source_sha, result.folder = sha, cache.entry_dir(sha, key)
    if _fill_from_cache(result, cache, key):
        return result
    return _render_and_store(job, result, cache, key, ident, gate, encoders)


def cached(job: PhotoJob, cache: VariantCache, hashes: SourceHashes) -> PhotoResult | None:
    """The job's result if the cache holds its variants intact, else None (``process`` it)."""
    try:
        sha, _ = hashes.digest(job.source)
    except OSError:
        return None
    key = settings_key(job)
    result = PhotoResult(job, sha, cache.entry_dir(sha, key))
    return result if _fill_from_cache(result, cache, key) else None


def planned(job: PhotoJob, cache: VariantCache, hashes: SourceHashes) -> PhotoResult | None:
    """A miss's result as ``process`` will make it, known before the render: the source's hash,
    the cache folder, the header and its notices, and each file's name, width, format and role
    in ``render``'s order (heights, sizes and hashes come with the encodes: 0 and "" here).
    What a build publishes and the pages' digests need no more, so the render can go on in
    the background (pool.start_all); ``same_plan`` checks its result against this one.
    None when the header cannot be read: ``process`` reports that at once."""
    try:
        sha, _ = hashes.digest(job.source)
        header = probe(str(job.source))
    except (OSError, UnreadableImage):
        return None
    requests = requests_for(job, header)
    if not requests:
        return None
    widths = sorted({w for w, _ in requests}, reverse=True)
    made = [Rendered(w, 0, fmt, b"") for width in widths for w, fmt in requests if w == width]
    if job.og_focus is not None:
        made.append(Rendered(0, 0, "jpeg", b"", role="og"))
    key = settings_key(job)
    result = PhotoResult(job, sha, cache.entry_dir(sha, key))
    result.header = {"width": header.width, "height": header.height,
                     "has_alpha": header.has_alpha, "pages": header.pages}
    result.notices = header_notices(job, header)
    result.files = [CachedFile(_meta(r).name, r.width, 0, r.format, 0, "", r.role) for r in made]
    return result


def same_plan(plan: PhotoResult, done: PhotoResult) -> bool:
    """Whether the rendered result publishes what ``planned`` said: the same folder, header and
    files by name, format and role (the variants' widths are in their names)."""
    def shape(r: PhotoResult) -> tuple:
        return (r.ok, r.folder, r.source_sha, r.header,
                [(f.name, f.format, f.role) for f in r.files])
    return shape(plan) == shape(done)


def _fill_from_cache(result: PhotoResult, cache: VariantCache, key: str) -> bool:
    hit = cache.load(result.source_sha, key)
    if not hit:
        return False
    result.files, extra = hit
    result.header = extra["header"]
    result.notices = [notices.Notice(**n) for n in extra["notices"]]
    result.from_cache = True
    return True


def _render_and_store(job: PhotoJob, result: PhotoResult, cache: VariantCache, key: str,
                      ident: list[int], gate, encoders: Executor | None = None) -> PhotoResult:
    try:
        header = probe(str(job.source))
        weight = gate.weight(header) if gate else 0
        if gate:
            gate.acquire(weight)
        try:
            rendered = render(str(job.source), requests_for(job, header), header.pages > 1,
                              job.og_focus, encoders)
        finally:
            if gate:
                gate.release(weight)
    except heif.HeifUnavailable:
        result.notices.append(notices.heic_unavailable(job.display))
        return result
    except UnreadableImage:
        result.notices.append(_unreadable_notice(job))
        return result
    result.header = {"width": header.width, "height": header.height,
                     "has_alpha": header.has_alpha, "pages": header.pages}
    result.notices = header_notices(job, header)
    items = [(_meta(r), r.data) for r in rendered]
    if ident and identity(job.source) == ident:   # still the bytes we hashed: safe to keep
        extra = {"header": result.header, "notices": [n.__dict__ for n in result.notices]}
        try:
            result.files = cache.store(result.source_sha, key, items, extra)
        except OSError as e:                         # disk full, folder made read-only meanwhile
            result.folder = None
            result.notices.append(notices.cache_unwritable(job.display, e.strerror or str(e)))
    else:                                            # replaced meanwhile: render again next time
        result.folder = None
        result.notices.append(notices.Notice(job.display, "图片在处理时被修改，请重新生成网站"))
    return result


def _meta(r: Rendered) -> CachedFile:
    ext = {"jpeg": "jpg"}.get(r.format, r.format)
    name = "og.jpg" if r.role == "og" else f"{r.width}.{ext}"
    return CachedFile(name, r.width, r.height, r.format, len(r.data), sha256_bytes(r.data), r.role)


def _unreadable_notice(job: PhotoJob) -> notices.Notice:
    suffix = job.source.suffix.lower()
    if suffix in HEIF_SUFFIXES and ".heic" not in loaders():
        return notices.heic_unavailable(job.display)
    return notices.unreadable(job.display)


def public_name(stem: str, result: PhotoResult, f: CachedFile) -> str:
    """Name for site/: content-addressed, so browsers may cache it forever."""
    ext = f.name.rsplit(".", 1)[1]
    tail = "og" if f.role == "og" else str(f.width)
    return f"{stem}-{result.source_sha[:10]}-{tail}.{ext}"


__all__ = ["CENTRE", "PhotoJob", "PhotoResult", "cached", "planned", "process", "public_name", "same_plan",
           "settings_key"]
