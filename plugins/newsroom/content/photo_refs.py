"""Every raster image the site shows, rendered by the photo engine; its findings as problems.

The graph knows where each image is named (lead ``image``, body ``![]()``, worker ``photo``,
topic ``banner``, brand ``logo``, free pages' bodies, a print page's scan in ``edition.yml``)
and at which line; the engine (``newsroom.photos``) knows
pixels. ``run_photos`` joins them once per load: one job per source file with every slot it
fills, so a photo used as a lead and in a body is decoded once. SVG passes through as it is.

What the build publishes comes from ``PhotoSet`` (the templates, the Markdown extension, the
feeds and the head ask it): the variants under content-addressed names beside the original,
and at the original's own URL a stand-in (the largest rendition in the same format, no
metadata) unless ``publish_originals`` asks for the camera file.
"""
from __future__ import annotations

import os
import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Optional

from .. import photos
from ..core.problems import ERROR, WARNING, Problem
from .assets import body_image_targets

# What the engine renders; anything else (SVG, PDF ...) is published as it is.
RASTER = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".heic", ".heif", ".avif", ".tif", ".tiff"}
# The format of the stand-in published at the original's URL, by the original's extension.
STANDIN = {".jpg": "jpeg", ".jpeg": "jpeg", ".png": "png", ".webp": "webp", ".gif": "gif"}
MIME = {"webp": "image/webp", "jpeg": "image/jpeg", "png": "image/png", "avif": "image/avif",
        "gif": "image/gif"}
CACHE = Path(".cache/newsroom/photos")    # under the site's folder, never under site/


@dataclass(frozen=True)
class PhotoRef:
    site_path: str            # the original's path in the built site: images/x.jpg, brands/img/x.png
    source: Path              # the file on disk
    doc_path: str             # the Markdown file that names it, for messages
    line: int
    slot: str                 # photos.SLOTS key
    focus: Optional[tuple[float, float]] = None   # the lead's card crop


@dataclass(frozen=True)
class Variant:
    url: str                  # site-relative, e.g. images/2021/x-1a2b3c4d5e-720.webp
    width: int
    height: int


@dataclass(frozen=True)
class Source:
    type: str                 # image/webp
    variants: tuple[Variant, ...]

    @property
    def srcset(self) -> str:       # site-relative: templates pass each URL through `url`
        return ", ".join(f"{v.url} {v.width}w" for v in self.variants)


@dataclass(frozen=True)
class Picture:
    """What a <picture> needs: modern sources, the fallback ladder, its box and `sizes`."""

    sources: tuple[Source, ...]     # modern formats first; the last one is the fallback
    src: Variant                    # the fallback's <img src> (about 1080 px)
    width: int                      # the widest variant's size: the box the browser reserves
    height: int
    sizes: str

    @property
    def fallback(self) -> Source:
        return self.sources[-1]

    @property
    def modern(self) -> tuple[Source, ...]:
        return self.sources[:-1]


@dataclass(frozen=True)
class Media:
    """One file for feeds and cards: the 1200 px JPEG or the 1200x630 crop."""

    url: str
    width: int
    height: int
    length: int
    type: str


@dataclass
class PhotoSet:
    """The rendered images of one load of the content, by the original's site path."""

    results: dict[str, photos.PhotoResult] = field(default_factory=dict)
    publish_originals: bool = False
    cache_root: Optional[Path] = None     # where the variants are (a temporary folder if CACHE is not writable)
    # Renders still running (run_photos' ``background``): ``results`` holds their plans
    # (photos.engine.planned: the files' names, widths and folder, what ``published``,
    # ``replaces_original`` and a warm build's statics ask), and every question about
    # heights, sizes or the card waits for them (``finish``).
    running: Optional["_Running"] = None
    # Answers once the renders are settled, by (question, key, slot): a photo's picture is asked
    # by its article page, every listing card showing it, the feeds (twice an item: its size
    # and its media) and the head; each answer is made of frozen values, the same every time.
    _answers: dict[tuple[str, ...], Any] = field(default_factory=dict, repr=False, compare=False)
    # The cache's files found intact, by path: (inode, device) then (photos.VariantCache.seen).
    seen: dict[str, tuple[int, int]] = field(default_factory=dict, repr=False, compare=False)

    def finish(self) -> list[Problem]:
        """Wait for the renders left running; their notices as problems (once: the build stops
        on an error before publishing, mkdocs/plugin.py). A render that does not publish what
        its plan said (the file changed meanwhile, the cache became unwritable) is an error:
        pages were planned with the plan's files."""
        running, self.running = self.running, None
        return running.finish(self) if running is not None else []

    def __contains__(self, site_path: str) -> bool:
        r = self.results.get(_key(site_path))
        return r is not None and r.ok and r.folder is not None

    def picture(self, site_path: str, slot: str) -> Optional[Picture]:
        self._settled()
        memo = ("picture", site_path, slot)     # as asked: its URLs are made from it
        try:
            return self._answers[memo]
        except KeyError:
            found = self._answers[memo] = self._picture(site_path, slot)
            return found

    def _picture(self, site_path: str, slot: str) -> Optional[Picture]:
        r = self.results.get(_key(site_path))
        if r is None or not r.ok or r.folder is None or slot not in r.job.slots:
            return None
        files = r.variants(slot)
        if not files:
            return None
        by_type: dict[str, list[Variant]] = {}
        for f in files:
            by_type.setdefault(MIME[f.format], []).append(self._variant(site_path, r, f))
        sources = tuple(Source(t, tuple(v)) for t, v in by_type.items())
        ladder = sources[-1].variants
        src = max((v for v in ladder if v.width <= 1080), key=lambda v: v.width, default=ladder[0])
        widest = ladder[-1]
        return Picture(sources, src, widest.width, widest.height, photos.SLOTS[slot].sizes)

    def feed_media(self, site_path: str) -> Optional[Media]:
        return self._media(site_path, ("feed", ""), lambda r: next((f for f in r.variants("feed")), None)
                           if "feed" in r.job.slots else None)

    def widest_fallback(self, site_path: str, slot: str) -> Optional[Media]:
        """The slot's widest JPEG (or PNG): what feed readers get for a gallery photo."""
        def pick(r: photos.PhotoResult):
            files = [f for f in r.variants(slot) if f.format not in photos.SLOTS[slot].modern]
            return files[-1] if slot in r.job.slots and files else None
        return self._media(site_path, ("widest", slot), pick)

    def full_view(self, site_path: str, slot: str) -> str:
        """Where "查看大图" leads: the slot's widest fallback (JPEG or PNG, no metadata), or the
        file itself when the build publishes originals or did not render it (SVG)."""
        if self.publish_originals:
            return site_path
        widest = self.widest_fallback(site_path, slot)
        return widest.url if widest is not None else site_path

    def og_media(self, site_path: str) -> Optional[Media]:
        return self._media(site_path, ("og", ""), lambda r: r.og)

    def published(self) -> Iterator[tuple[str, str]]:
        """(site path, file in the cache) of every file to publish, stand-ins included, as
        strings (~12,000 at 1,000 photos: each result's folder and name split once, no pathlib)."""
        for site_path, r in self.results.items():
            if not r.ok or r.folder is None:
                continue
            folder = os.path.join(r.folder, "")
            base, stem = _split(site_path)
            for f in r.files:
                yield _public(base, stem, r, f), folder + f.name
            standin = r.standin
            if standin is not None and not self.publish_originals:
                yield site_path, folder + standin.name

    def replaces_original(self, site_path: str) -> bool:
        """Whether the build publishes something else at the original's URL (or nothing)."""
        return not self.publish_originals and site_path in self

    # ------------------------------------------------------------ helpers

    def _settled(self) -> None:
        """Heights, sizes and the card are known once the renders are done; their problems
        are kept for the plugin's check (``finish``)."""
        if self.running is not None:
            self.running.wait(self)

    def _media(self, site_path: str, question: tuple[str, str], pick) -> Optional[Media]:
        """``pick``'s file of the photo; ``question`` names what it picks (one answer each)."""
        self._settled()
        memo = (*question, site_path)
        try:
            return self._answers[memo]
        except KeyError:
            found = self._answers[memo] = self._media_of(site_path, pick)
            return found

    def _media_of(self, site_path: str, pick) -> Optional[Media]:
        r = self.results.get(_key(site_path))
        if r is None or not r.ok or r.folder is None:
            return None
        f = pick(r)
        if f is None:
            return None
        return Media(self._url(site_path, r, f), f.width, f.height, f.size, MIME[f.format])

    def _variant(self, site_path: str, r: photos.PhotoResult, f: photos.CachedFile) -> Variant:
        return Variant(self._url(site_path, r, f), f.width, f.height)

    @staticmethod
    def _url(site_path: str, r: photos.PhotoResult, f: photos.CachedFile) -> str:
        return _public(*_split(site_path), r, f)


def _split(site_path: str) -> tuple[str, str]:
    """The original's folder and stem: what each of its variants' URLs is made from."""
    folder, name = posixpath.split(site_path)
    return folder, name.rsplit(".", 1)[0]


def _public(folder: str, stem: str, r: photos.PhotoResult, f: photos.CachedFile) -> str:
    """Where the variant ``f`` of the photo at ``folder``/``stem``.* is published."""
    return posixpath.join(folder, photos.public_name(stem, r, f))


def _key(site_path: str) -> str:
    return posixpath.normpath(site_path.split("?")[0].split("#")[0].lstrip("/"))


# ---------------------------------------------------------------- collecting

def collect(graph: Any) -> tuple[list[PhotoRef], list[Problem]]:
    """Every raster image the graph's pages show, and mistakes in ``image_focus``."""
    content, refs, problems = graph.content_dir, [], []
    listed = graph.content_files.paths() if graph.content_files is not None else None

    def add(path: str, root: Path, doc: str, line: int, slot: str, focus=None, prefix: str = "") -> None:
        site_path = _key(path)
        rel = site_path.removeprefix(prefix) if prefix else site_path
        if Path(rel).suffix.lower() not in RASTER or rel.startswith("../"):
            return
        if prefix == "" and listed is not None and rel not in listed:
            return               # missing or a link out: the graph has said so
        source = root / rel
        if source.is_file():
            refs.append(PhotoRef(site_path, source, doc, line, slot, focus))

    def body(entity: Any) -> None:
        for line, target in body_image_targets(entity.body, entity.source.body_line, entity.src_uri):
            add(target, content, entity.source.path, line, "body")

    for a in graph.articles:
        if a.image:
            add(a.image, content, a.source.path, a.source.line_of("image"), "lead",
                _focus(a, problems))
        for photo in a.gallery:              # a gallery shows its photos as wide as the body
            add(photo.image, content, a.source.path, photo.line, "body")
        body(a)
    for w in graph.workers.values():
        if w.photo:
            add(w.photo, content, w.source.path, w.source.line_of("photo"), "worker")
        body(w)
    for t in graph.topic_files:
        if t.banner:
            add(t.banner, content, t.source.path, t.source.line_of("banner"), "lead", photos.CENTRE)
        body(t)
    for doc, line, target in graph.free_page_images:
        add(target, content, doc, line, "body")
    for e in graph.epaper.editions:          # print pages' scans (SVG passes through)
        for p in e.pages:
            add(p.image, content, e.source.path, p.image_line, "scan")
    for b in graph.brands.values():
        if b.logo:
            add(b.logo, graph.brands_dir, b.source.path, b.source.line_of("logo"), "logo",
                prefix="brands/")
    return refs, problems


def _focus(a: Any, problems: list[Problem]) -> tuple[float, float]:
    if not a.image_focus:
        return photos.CENTRE
    found = photos.parse_focus(a.image_focus)
    if found is None:
        problems.append(Problem(a.source.path, a.source.line_of("image_focus"),
                                f"图片焦点“{a.image_focus}”写法不对，分享卡片将从图片中央裁切",
                                "请写两个 0 到 1 之间的数，用逗号隔开：横向,纵向，例如 0.5,0.3",
                                ERROR))
        return photos.CENTRE
    return found


def jobs_of(refs: list[PhotoRef]) -> tuple[list[photos.PhotoJob], dict[str, list[PhotoRef]]]:
    """One job per source: every slot it fills, the lead's focus, its stand-in format."""
    by_site: dict[str, list[PhotoRef]] = {}
    for ref in refs:
        by_site.setdefault(ref.site_path, []).append(ref)
    jobs = []
    for site_path, found in by_site.items():
        slots = sorted({r.slot for r in found})
        if "lead" in slots:
            slots.append("feed")
        focus = next((r.focus for r in found if r.focus is not None), None)
        jobs.append(photos.PhotoJob(found[0].source, site_path, tuple(slots), focus,
                                    STANDIN.get(Path(site_path).suffix.lower(), "")))
    return jobs, by_site


def run_photos(graph: Any, cache_root: Path, publish_originals: bool = False,
               background: bool = False) -> tuple[PhotoSet, list[Problem]]:
    """Render (or fetch from the cache) every image the graph shows; problems at their lines.
    A notice about a file is reported at every line naming it for the slot it concerns.

    ``background`` (newsroom build): a few new photos go on rendering while the build goes on
    (photos.start_all); their problems come from ``PhotoSet.finish``, which the build must
    check before it publishes anything."""
    refs, problems = collect(graph)
    jobs, by_site = jobs_of(refs)
    out = PhotoSet(publish_originals=publish_originals)
    if jobs:
        root, why = photos.usable_root(cache_root)
        if why:
            problems.append(_cache_problem(cache_root, root, why))
        if root is None:
            return out, problems
        out.cache_root = root
    if not jobs:
        return out, problems
    batch = photos.start_all(jobs, root=out.cache_root, background=background)
    out.seen = batch.cache.seen
    late = sorted(batch.running) if batch.pending else []
    for i, (job, result) in enumerate(zip(jobs, batch.now if late else batch.wait())):
        out.results[job.display] = result
        if i not in batch.running or not late:
            problems.extend(_problems(result, by_site[job.display]))
    if late:
        out.running = _Running(batch, [(i, jobs[i]) for i in late], by_site)
    return out, problems


def _problems(result: photos.PhotoResult, refs: list[PhotoRef]) -> list[Problem]:
    return [Problem(ref.doc_path, ref.line, f"图片 {ref.site_path}：{notice.message}", notice.hint, notice.level)
            for notice in result.notices for ref in refs if notice.is_error or ref.slot == "lead"]


@dataclass
class _Running:
    """The renders run_photos left going (by their index in the batch), and what their
    problems need."""

    batch: photos.Batch
    late: list[tuple[int, photos.PhotoJob]]
    by_site: dict[str, list[PhotoRef]]
    problems: Optional[list[Problem]] = None

    def wait(self, into: PhotoSet) -> None:
        if self.problems is not None:
            return
        done_all, found = self.batch.wait(), []
        for i, job in self.late:
            done, plan, refs = done_all[i], into.results[job.display], self.by_site[job.display]
            into.results[job.display] = done
            found.extend(_problems(done, refs))
            if done.ok and not photos.same_plan(plan, done):
                found.extend(Problem(ref.doc_path, ref.line, f"图片 {ref.site_path}：处理结果与开始时不同，网站没有生成",
                                     "图片可能在生成网站时被修改，或图片缓存无法写入；请重新生成网站")
                             for ref in refs)
        self.problems = found

    def finish(self, into: PhotoSet) -> list[Problem]:
        self.wait(into)
        return self.problems or []


def _cache_problem(wanted: Path, fallback: Optional[Path], why: str) -> Problem:
    """The photo cache folder is not writable (a read-only checkout, a file named .cache ...)."""
    if fallback is None:
        return Problem(str(wanted), 1, f"图片缓存文件夹无法写入（{why}），临时文件夹也无法使用，图片无法处理",
                       "请让生成网站的账户可以写入这个文件夹，或删掉挡在这个位置的同名文件")
    return Problem(str(wanted), 1, f"图片缓存文件夹无法写入（{why}），本次改用临时文件夹 {fallback}",
                   "请让生成网站的账户可以写入这个文件夹，或删掉挡在这个位置的同名文件；"
                   "临时文件夹可能被系统清空，那时图片要重新处理", WARNING)


__all__ = ["CACHE", "Media", "PhotoRef", "PhotoSet", "Picture", "Source", "Variant", "collect",
           "jobs_of", "run_photos"]
