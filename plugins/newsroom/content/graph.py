"""The content graph: every entity loaded once, references resolved, indexed.

``build_graph`` is the one entry point: it reads ``content/`` and ``brands/``,
validates everything, and returns the graph (``ContentGraph``, graph_data.py) plus every
problem found. Every page, listing, feed and search record is derived from this object.
"""
from __future__ import annotations

import os
import posixpath
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..core import names
from ..core.model import SCHEMAS, Article, Brand, Topic, Worker
from ..core.settings import Settings
from ..core.schema import Schema
from ..core.problems import WARNING, Problem
from .assets import AssetIndex, body_image_targets, check_body_images, check_file
from .editions import EditionFiles
from .photo_refs import CACHE as PHOTO_CACHE, run_photos
from .entities import page_problems
from .entity_kinds import Site, kept_key, loader
from .graph_data import ContentGraph
from .links import LinkIndex, check_links
from .load import DocCache, RawDoc, guess_name, read_doc
from .epaper import load_epaper
from .notices import check_notices, index_notices, notice_pages
from .refs import BrokenFiles, resolve_refs
from .asset_types import unsafe_files
from .safety import Listing, site_root
from .sanitize_report import body_problems
from .sources import content_listing, markdown_files, source_files, stray_markdown
from .topics import fill_topics
from .video import check_video


@dataclass
class _Loading:
    """What the loaders share while one graph is built."""

    graph: ContentGraph
    base: Path                          # display paths are relative to it
    problems: list[Problem]
    read: Callable[..., tuple[RawDoc | None, list[Problem]]]
    cache: DocCache | None
    assets: AssetIndex                  # files under content/, for body images
    content_root: str                   # where links under content/ may lead (safety.site_root)
    brands: Listing                     # files under brands/
    # Files that exist but failed: references to them are not reported as unknown.
    broken: BrokenFiles = field(default_factory=BrokenFiles)


def build_graph(content_dir: Path, brands_dir: Path, settings: Settings,
                display_base: Path | None = None,
                cache: DocCache | None = None,
                background_photos: bool = False) -> tuple[ContentGraph, list[Problem]]:
    """Load and validate the whole site. Never raises on bad content.

    ``cache`` (the live preview's) skips re-reading files that did not change.
    ``background_photos`` (newsroom build): a few new photos render while the build goes on;
    their problems come from ``graph.photos.finish()`` (photo_refs.run_photos).
    """
    display_base = display_base or content_dir.parent
    graph = ContentGraph(settings, content_dir, brands_dir)
    graph.content_files = content = content_listing(content_dir, display_base)
    brands = content_listing(brands_dir, display_base)
    problems: list[Problem] = content.problems + brands.problems + unsafe_files(content) + unsafe_files(brands)
    load = _Loading(graph, display_base, problems, cache.read if cache is not None else read_doc, cache,
                    AssetIndex(content_dir, content), site_root(content_dir, display_base), brands)
    # Every registered kind of entity, from the folder its schema names (free pages: MkDocs').
    loaded = {kind: _load_kind(load, schema) for kind, schema in SCHEMAS.items() if schema.layout != "tree"}
    _keep_brands(load, loaded.pop("brand"))
    graph.workers = {w.id: w for w in loaded.pop("worker")}
    candidates = _keep_articles(load, loaded.pop("article"))
    _load_pages(load)
    _keep_topics(graph, loaded.pop("topic"))
    graph.notices = index_notices(check_notices(loaded.pop("notice"), problems), settings)
    now = settings.build_time()
    graph.entities = {kind: [e for e in found if settings.include_drafts or _is_public(e, now)]
                      for kind, found in loaded.items()}
    stray_markdown(content, problems)
    _publish(graph, candidates)
    # Drafts too: a draft's tag a\b beside a published a/b would break the build that publishes it.
    problems.extend(names.collision_problems(candidates))
    _resolve(graph, candidates, problems, load.broken)
    graph.index()
    _fill_topics(graph, problems, load.broken)
    graph.epaper = load_epaper(content, EditionFiles(content_dir, load.assets, load.content_root), settings,
                               candidates, graph.articles, problems)
    # The cache lives with the content (in the folder holding content/), never in site/.
    graph.photos, found = run_photos(graph, content_dir.parent / PHOTO_CACHE, settings.publish_originals,
                                     background_photos)
    problems.extend(found)
    for brand_id, listed in graph.by_brand.items():
        if not listed:
            brand = graph.brands[brand_id]
            problems.append(Problem(brand.source.path, 1, f"品牌“{brand.name}”还没有任何文章提到",
                                    "品牌页将只有展示内容", WARNING))
    return graph, problems


def _load_kind(load: _Loading, schema: Schema) -> list:
    """Every file of one kind that reads without errors, as its entity; each file's problems
    reported, each failed file remembered (``BrokenFiles``) so references to it are not "unknown"."""
    graph, problems = load.graph, load.problems
    listing = load.brands if schema.root == "brands" else graph.content_files
    assert listing is not None
    read, site = loader(schema.kind), Site(graph.settings, graph.content_dir, load.assets, load.content_root)
    in_content = schema.root == "content"
    found = []
    for file in source_files(listing, schema.folder):
        nested = schema.layout == "flat" and "/" in file.src_uri.removeprefix(f"{schema.folder}/")
        if nested and not in_content:
            continue  # brands/img/ and other folders hold assets, not brands
        doc, reported = load.read(file.path, file.display)
        problems.extend(reported)
        # Not Path(...).stem: 10,000 Path objects on every save of the live preview.
        stem = posixpath.splitext(posixpath.basename(file.src_uri))[0]
        # A flat kind is named by id (and name), a dated one by its path (links, topics).
        names = (stem,) if schema.layout == "flat" else (file.src_uri,)
        if doc is None:
            guessed = (guess_name(Path(file.path)),) if schema.layout == "flat" else ()
            load.broken.add(schema.kind, file.display, *names, *guessed)
            continue
        if nested:
            problems.append(Problem(doc.path, 1, f"{schema.zh}的文件应直接放在 {schema.home} 下，不能放在子目录中",
                                    f"请移到 {schema.home}{Path(file.src_uri).name}"))
            load.broken.add(schema.kind, doc.path, *names, doc.meta.get("name"))
            continue
        if in_content:
            check_body_images(doc, file.src_uri, load.assets, problems, _removed(load, doc))
        entity, reported = _read_entity(load, schema, doc, file.src_uri, read, site)
        problems.extend(reported)
        if entity is None:
            load.broken.add(schema.kind, doc.path, *names, doc.meta.get("name"))
            for f in _paths(schema):
                _check_raw_path(doc, f.name, load, f.zh)
            continue
        for f in _paths(schema):
            value = getattr(entity, f.attr)
            if value:
                check_file(value, graph.content_dir, entity.source.path, entity.source.line_of(f.name), f.zh,
                           problems, repo=load.content_root)
        for photo in schema.items_of("gallery", entity):     # 图集: core/model.GalleryPhoto
            check_file(photo.image, graph.content_dir, entity.source.path, photo.line, "图集图片",
                       problems, repo=load.content_root)
        found.append(entity)
    return found


def _removed(load: _Loading, doc: RawDoc) -> list[Problem] | None:
    """What the allow-list removes from an unchanged body, as the last load found it."""
    if load.cache is None:
        return None
    return load.cache.stored(doc, "removed", lambda: body_problems(doc.body, doc.body_line, doc.path), None)


def _read_entity(load: _Loading, schema: Schema, doc: RawDoc, src_uri: str, read, site: Site):
    cache, s = load.cache, load.graph.settings
    if cache is not None and cache.keeps_between_builds and read.made is not None:   # kept with the parse
        made = cache.stored(doc, kept_key(schema, s.timezone), lambda: read.fields(doc, src_uri, s.tz), s.tz)
        try:
            return read.made(doc, src_uri, site, *made)
        except (ValueError, TypeError, KeyError):     # kept, but not of this document: read it
            return read.read(doc, src_uri, site)
    if cache is not None and read.cached:   # the preview: an unchanged file parses to the same entity
        key = (schema.kind, src_uri, s.timezone, s.include_drafts)
        return cache.derive(doc, key, lambda: read.read(doc, src_uri, site))
    return read.read(doc, src_uri, site)


def _paths(schema: Schema) -> tuple:
    """The fields naming a file under content/ (images): checked to exist and stay inside.
    (A brand's logo lies under brands/: ``_check_logo``.)"""
    return schema.of_type("path") if schema.root == "content" else ()


def _is_public(entity, now) -> bool:
    is_public = getattr(entity, "is_public", None)
    return is_public(now) if is_public is not None else True


def _keep_brands(load: _Loading, brands: list[Brand]) -> None:
    """Brands by id; a second brand with a name already taken is an error (and left out)."""
    graph, problems = load.graph, load.problems
    names: dict[str, Brand] = {}
    for brand in brands:
        duplicate = names.get(brand.name)
        if duplicate is not None:
            problems.append(Problem(brand.source.path, brand.source.line_of("name"),
                                    f"品牌名称“{brand.name}”与 {duplicate.source.path} 重复",
                                    "品牌名称必须唯一：请修改其中一个的 name"))
            load.broken.add("brand", brand.source.path, brand.id)
        else:
            names[brand.name] = brand
        if brand.logo_src:
            _check_logo(graph, brand, problems, load.base)
        if duplicate is None:
            graph.brands[brand.id] = brand


def _check_logo(graph: ContentGraph, brand: Brand, problems: list[Problem], base: Path) -> None:
    root = graph.brands_dir.parent
    if check_file(brand.logo_src, root, brand.source.path, brand.source.line_of("logo"),
                  "品牌标志", problems, prefix="", home=f"{graph.brands_dir.name}/",
                  repo=site_root(graph.brands_dir, base)):
        brand.logo = _site_path_of_logo(graph.brands_dir, root / brand.logo_src)
        if not brand.logo:
            problems.append(Problem(brand.source.path, brand.source.line_of("logo"),
                                    f"品牌标志“{brand.logo_src}”应放在 brands/ 目录下",
                                    "例如 brands/img/" + brand.id + ".svg"))


def _site_path_of_logo(brands_dir: Path, logo: Path) -> str:
    # As written, not resolved: a link inside the site keeps the logo's own path (check_file
    # has made sure it stays inside).
    rel = os.path.relpath(os.path.abspath(logo), os.path.abspath(brands_dir))
    return "" if rel == ".." or rel.startswith(".." + os.sep) else "brands/" + rel.replace(os.sep, "/")


def _keep_articles(load: _Loading, articles: list[Article]) -> list[Article]:
    """One article per URL: of two, the one whose file is named by its slug stays."""
    seen_urls: dict[str, Article] = {}
    for article in articles:
        article.video_file = check_video(article, load.graph.content_dir, load.content_root, load.problems)
        other = seen_urls.get(article.url)
        if other is not None:
            kept, dropped = (article, other) if _owns_url(article) and not _owns_url(other) else (other, article)
            load.problems.append(_duplicate_url(dropped, kept))
            load.broken.add("article", dropped.source.path, dropped.src_uri)
            seen_urls[article.url] = kept
            continue
        seen_urls[article.url] = article
    return list(seen_urls.values())


def _owns_url(article: Article) -> bool:
    """Of two articles at one URL, the one whose file is named by its slug is the original:
    a copy is usually saved under another name with `slug:` (or a date) leading to it."""
    return Path(article.src_uri).stem == article.slug


def _duplicate_url(dropped: Article, kept: Article) -> Problem:
    where = "slug" if "slug" in dropped.source.lines else "date"
    return Problem(dropped.source.path, dropped.source.line_of(where),
                   f"文章网址 /{dropped.url} 与 {kept.source.path} 重复",
                   "同一个月发布的两篇文章不能用同一个网址名：请修改其中一篇的 slug 或文件名")


def _load_pages(load: _Loading) -> None:
    """Free pages: MkDocs renders them, but they are checked here like everything else."""
    graph = load.graph
    for file, display in markdown_files(graph.content_files, SCHEMAS["page"].folder):
        src_uri = file.relative_to(graph.content_dir).as_posix()
        graph.free_pages.append(src_uri)
        doc, found = load.read(file, display)
        load.problems.extend(found)
        if doc is not None:
            load.problems.extend(page_problems(doc, src_uri, graph.settings))
            check_body_images(doc, src_uri, load.assets, load.problems)
            graph.free_page_images.extend(
                (doc.path, line, target) for line, target in body_image_targets(doc.body, doc.body_line, src_uri))


def _keep_topics(graph: ContentGraph, topics: list[Topic]) -> None:
    # A topic shows from its start (``serve --drafts`` shows it before).
    now = graph.settings.build_time()
    graph.topic_files = [t for t in topics if t.start <= now or graph.settings.include_drafts]


def _fill_topics(graph: ContentGraph, problems: list[Problem], broken: BrokenFiles) -> None:
    graph.topic_files.sort(key=lambda t: (t.start, t.id), reverse=True)
    unpublished = {a.src_uri for a in graph.unpublished}
    graph.topics = fill_topics(graph.topic_files, graph.by_src, graph.by_tag, unpublished,
                               broken.paths("article"), problems)
    graph.topics_of = {}
    for filled in graph.topics:
        for a in filled.articles():
            topics = graph.topics_of.setdefault(a.src_uri, [])
            if filled.topic not in topics:
                topics.append(filled.topic)


def _check_raw_path(doc, key: str, load: _Loading, what: str) -> None:
    """Check an image of a file that has other errors too: every problem in one run."""
    value = doc.meta.get(key)
    if isinstance(value, str) and value.strip():
        check_file(value.strip(), load.graph.content_dir, doc.path, doc.lines.get(key, 1), what, load.problems,
                   repo=load.content_root)


def _publish(graph: ContentGraph, candidates: list[Article]) -> None:
    """Drafts and articles dated after the build never publish (unless previewing drafts)."""
    now = graph.settings.build_time()
    for a in candidates:
        if not a.is_public(now) and not graph.settings.include_drafts:
            graph.unpublished.append(a)
        else:
            graph.articles.append(a)


def _resolve(graph: ContentGraph, candidates: list[Article], problems: list[Problem],
             broken: BrokenFiles) -> None:
    brand_names: dict[str, list[Brand]] = defaultdict(list)
    for b in graph.brands.values():
        brand_names[b.name].append(b)
    worker_names: dict[str, list[Worker]] = defaultdict(list)
    for w in graph.workers.values():
        worker_names[w.name].append(w)
    published_src = {a.src_uri for a in graph.articles}
    notices = graph.notices
    known = (published_src | {w.src_uri for w in graph.workers.values()} | set(graph.free_pages)
             | {n.src_uri for n in notices.listed})
    links = LinkIndex(known, {a.src_uri for a in graph.unpublished} | {n.src_uri for n in notices.unpublished},
                      broken, notice_pages(notices), frozenset(n.url for n in notices.unpublished))
    brand_choices = list(graph.brands) + list(brand_names)
    worker_choices = list(graph.workers) + list(worker_names)
    for a in candidates:
        a.brands = resolve_refs(a.brand_refs, graph.brands, brand_names, a, "brands", problems,
                                brand_choices, broken)
        a.workers = resolve_refs(a.worker_refs, graph.workers, worker_names, a, "workers", problems,
                                 worker_choices, broken)
        if a.src_uri in published_src:
            check_links(a, links, problems)


__all__ = ["ContentGraph", "build_graph"]      # ContentGraph: most modules import it from here
