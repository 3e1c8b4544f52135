"""Warm builds: ``newsroom build`` renders only the pages whose digest changed.

The build cache (``.cache/newsroom/build/`` beside site_config.yml, outside the site;
safe to delete) describes the site the last build published:

- ``key``: everything every page depends on (our code, MkDocs' and Material's versions,
  site_config.yml and the settings, the theme folder, free pages, the nav: warm_key.py).
  Another key: nothing is reused.
- per generated page: its digest (``pages.digest.stable_digests``: its data, URL, title,
  body and feeds; an article card as its article's fingerprint, ``kinds.kept.card_marks``),
  its file in the site, that file's SHA-256 and, as the published file
  was after publishing, its stat (size, mtime_ns, inode, device);
- per file copied as it is (images, logos): its SHA-256; a page showing a changed image
  renders again (it writes the image's size);
- the rendered body of every article (feeds carry it), with its SHA-256;
- per feed, sitemap and robots.txt: the digest of its key (everything it shows,
  ``outputs.writer.Writer``) and its SHA-256; an unchanged one is linked like a page;
- ``sitemap-urls.json``: the sitemap's ``<url>`` elements, each with the lastmod it was
  made for (``outputs.kept_urls``): a changed sitemap makes only its new elements;
- ``docs.marshal``: every content file's parse (``content.doc_store``), by its SHA-256;
- ``articles.json``: what each article page was made from, with its digest
  (``pages.kinds.kept``): an article page whose inputs are the same is not made again,
  its digest is the kept one (``LazyPage``: its data is made only if read, to render it);
- ``shards.json``: per search shard, its articles' inputs with the source digest of the
  shard published (``search.kept_shards``): a shard whose inputs are the same is planned
  without its records, and the indexer links the published one.

A page is reused when its digest is the one kept, its body links to no other page or
no page moved, and the published site's file is still the one published (the same
stat: this machine's own record) or has the kept checksum (read again): that file
is hard-linked into the staging folder (copied across file systems) and MkDocs skips
the page. Whatever does not check out (another version, a broken or edited file, a
cache from another machine whose checksums do not match) is rendered: the cache is
never trusted, only verified. The output is byte for byte a clean build's
(tests/test_warm_build.py).
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Optional
from urllib.parse import unquote

from ..content.doc_store import NAME as DOCS, StoredDocs
from ..core.sealed import stamp
from ..outputs.writer import link_or_copy
from ..pages.digest import showing, stable_digests
from ..pages.kinds import LazyPage, Page
from ..pages.kinds.kept import Inputs, Known, article_marks, card_marks, inputs_of, naming, same_pages
from ..search.bundle import BUNDLE, MANIFEST
from ..search.kept_shards import ShardReuse
from .photo_files import new_photos
from .warm_key import code_version, global_key
from .warm_store import CacheStore, Kept, file_sha256

log = logging.getLogger("mkdocs.plugins.newsroom")

CACHE_DIR = Path(".cache") / "newsroom" / "build"
# tests/test_warm_build.py: every article page taken as unchanged (kinds/kept.py) is made
# anyway and its digest compared with the one taken; the build fails on any difference.
CHECK_KNOWN = "NEWSROOM_CHECK_KNOWN"


@dataclass
class WarmBuild:
    """One warm build: what it reuses from the last one, and what it records for the next."""

    store: CacheStore
    site: Path                              # the published site (reused files come from it)
    key: str = ""
    kept: Optional[Kept] = None             # the last build's record, if it verified
    reused: set[str] = field(default_factory=set)            # src_uri of pages linked, not rendered
    pages: dict[str, tuple[str, str, str]] = field(default_factory=dict)   # src -> (digest, dest, sha)
    statics: dict[str, list] = field(default_factory=dict)   # src -> [size, mtime_ns, ino, dev, sha]
    bodies: dict[str, tuple[str, str]] = field(default_factory=dict)       # article url -> (sha, html)
    outputs: dict[str, tuple[str, str]] = field(default_factory=dict)      # feed, sitemap -> (key, sha)
    staging: Optional[Path] = None          # the folder this build writes
    # Reused files stay in the published site, not linked into staging (app/publish_delta.py):
    in_site: bool = False
    left_in_site: set[str] = field(default_factory=set)      # their site-relative paths
    urls: str = ""
    _digests: dict[str, str] = field(default_factory=dict)
    _dest: dict[str, str] = field(default_factory=dict)
    _folders: set[str] = field(default_factory=set)     # staging folders made by _link
    _linked: dict[str, list] = field(default_factory=dict)    # dest -> the stat of the file _link linked
    _cards: Mapping[str, Any] = field(default_factory=dict)   # this build's article cards by source URI

    docs: Optional[StoredDocs] = None     # the files' parses, kept for the next build
    inputs: Optional[Inputs] = None       # what this build's article pages are made from
    _articles_kept: tuple = (None, None)  # articles.json as read (verified): not written again if the same
    shards: Optional[ShardReuse] = None   # the search shards' inputs (search/kept_shards.py)
    # The published files' stat as the publish's listing child took them at the start (newsroom
    # build: app/publish_listing.py), or None if it is not done by the plan: ``_link`` then
    # stats each file itself (15,000 stats, ~0.06 CPU-s at 10k articles, on the critical path).
    site_stats: Callable[[], Optional[dict]] = lambda: None
    _ahead: dict[str, list] = field(default_factory=dict)

    @classmethod
    def at(cls, config_dir: Path, site: Path, in_site: bool = False) -> "WarmBuild":
        return cls(CacheStore(config_dir / CACHE_DIR), site, in_site=in_site,
                   docs=StoredDocs(config_dir / CACHE_DIR / DOCS, code_version()))

    # ------------------------------------------------------------ article pages (on_files)

    def known_articles(self, graph: Any) -> Known:
        """The article pages whose inputs are the last build's (pages/kinds/kept.py), with that
        build's digest of each: their data is made only if something reads it."""
        try:
            sums = self.docs.file_sums() if self.docs is not None else {}
            self.inputs = inputs_of(graph, code_version(), sums)
        except TypeError:             # an index keyed by something JSON does not keep
            self.inputs = None
            return Known({})
        before, digests = self._articles_kept = self.store.load_articles()
        same = same_pages(before, self.inputs, graph)
        return Known({src: digests[src] for src in same if src in digests}, article_marks(graph, self.inputs))

    def shard_reuse(self, graph: Any) -> Optional[ShardReuse]:
        """The search shards whose records need not be made: by the article fingerprints
        ``known_articles`` took (search/kept_shards.py). None before it, or without them."""
        if self.inputs is None:
            return None
        self.shards = ShardReuse(self.inputs.key, dict(zip(self.inputs.articles, self.inputs.prints)),
                                 self.store.load_shards(), graph.epaper, bool(os.environ.get(CHECK_KNOWN)))
        return self.shards

    def _save_shards(self) -> None:
        """Each shard's inputs digest with the source digest of the shard just published."""
        kept: dict[str, tuple[str, str]] = {}
        if self.shards is not None:
            try:
                manifest = json.loads((self.site / BUNDLE / MANIFEST).read_text(encoding="utf-8"))
                sources = {s["key"]: s["source"] for s in manifest["shards"]}
            except (OSError, ValueError, KeyError, TypeError):
                sources = {}
            kept = {key: (inputs, sources[key]) for key, inputs in self.shards.inputs.items()
                    if isinstance(sources.get(key), str) and sources[key]}
        self.store.save_shards(kept)

    # ------------------------------------------------------------ planning (on_nav)

    def plan(self, config: Any, plugin: Any, files: Any) -> set[str]:
        """Decide which generated pages are reused, and link their files into the staging folder.

        Returns their src_uri; MkDocs is then told they are not modified (a dirty build)."""
        specs: dict[str, Page] = plugin.specs
        in_nav: set[str] = plugin.in_nav
        self.key = global_key(config, plugin, in_nav)
        self.staging = Path(config.site_dir)
        self._cards = plugin.related.article_cards       # filled by kinds/cards.Cards as cards are made
        self._digests = stable_digests(specs.values(), self._marks())
        # Taken before the check mode makes them all: so that it checks what is skipped.
        lazy = {src for src, spec in specs.items() if _known_unread(spec)}
        if os.environ.get(CHECK_KNOWN):
            _check_known(specs.values(), self._digests, self._marks)
        by_src = files.src_uris          # not get_file_from_path: a PurePath per page
        self._dest = {src: by_src[src].dest_uri for src in specs}
        self.statics = self._hash_statics(config, plugin, files)
        self._add_photos(plugin)
        self.urls = _urls_digest(files.documentation_pages())
        kept = self.store.load(self.key, str(self.site))
        if kept is None:
            self._made_digests(specs)
            return set()
        self.kept = kept
        changed = {src for src, value in self.statics.items() if kept.statics.get(src, [None])[-1] != value[-1]}
        changed |= set(kept.statics) - set(self.statics)
        changed -= new_photos(self.statics, kept.statics)     # shown only by pages rendered anyway
        shown = self._showing(changed, specs, lazy, getattr(plugin, "graph", None)) if changed else set()
        moved = kept.urls != self.urls
        # Folders ending in one separator: ~15,000 pages' paths are a concatenation each, not a join.
        site, staging = os.path.join(str(self.site), ""), os.path.join(str(config.site_dir), "")
        self._ahead = self.site_stats() or {}
        for src, spec in specs.items():
            old = kept.pages.get(src)
            if (old is None or src in shown or old[0] != self._digests[src]
                    or old[1] != self._dest[src] or (moved and ".md" in spec.body)
                    or (spec.maker.keeps_html and spec.url not in kept.bodies)):
                continue
            if self._link(old[1], site + old[1], staging + old[1], old[2], kept.stamps.get(old[1])):
                self.reused.add(src)
                self.pages[src] = old
                if spec.maker.keeps_html:
                    self.bodies[spec.url] = kept.bodies[spec.url]
        self._made_digests(specs)
        return self.reused

    def _showing(self, changed: set[str], specs: Mapping[str, Page], lazy: set[str], graph: Any) -> set[str]:
        """The pages showing a changed or new image (``digest.showing``). The article pages known
        unchanged whose data was not made (``lazy``) are read only if an article naming a changed
        file is near (kinds/kept.naming): one new photo made all 10,000 article views (2.8 CPU-s)."""
        unseen = lazy - naming(graph, changed) if graph is not None and lazy else set()
        shown = {s.src_uri for s in showing(changed, specs.values(), unseen)}
        if os.environ.get(CHECK_KNOWN) and unseen:
            missed = sorted(s.src_uri for s in showing(changed, [specs[src] for src in unseen]))
            if missed:
                raise RuntimeError(f"article pages showing a changed image were not read: {missed}")
        return shown

    def _made_digests(self, specs: Mapping[str, Page]) -> None:
        """Pages to render whose digest was taken as known (kinds/kept.py) and whose data
        something has made already (``showing`` reads every page's images): the digest kept
        for the next build is taken from that data. Those not made yet keep the known one, the
        digest of equal inputs. One call: the cards they share are fingerprinted once."""
        made = [spec for src, spec in specs.items()
                if src not in self.reused and isinstance(spec, LazyPage) and spec.made and spec.stand_in is None]
        self._digests.update(stable_digests(made, self._marks()))

    def _marks(self) -> dict[int, str]:
        """The article cards made so far, marked by their articles' fingerprints
        (kinds/kept.card_marks): every page digest this build keeps takes them."""
        return card_marks(self.inputs, self._cards) if self.inputs is not None else {}

    # ------------------------------------------------------------ feeds and sitemaps (outputs.writer.Earlier)

    def take(self, path: str, key: str) -> bool:
        """Link the last build's feed or sitemap at ``path`` if it was made from ``key``."""
        kept = self.kept.outputs.get(path) if self.kept is not None else None
        if kept is None or kept[0] != key or self.staging is None:
            return False
        dest = unquote(path)
        # MkDocs wrote its own sitemap.xml there first: the writer replaces it, and so does this.
        (self.staging / dest).unlink(missing_ok=True)
        if not self._link(dest, str(self.site / dest), str(self.staging / dest), kept[1], self.kept.stamps.get(dest)):
            return False
        self.outputs[path] = kept
        return True

    def made(self, path: str, key: str, data: bytes) -> None:
        self.outputs[path] = (key, hashlib.sha256(data).hexdigest())

    def prints(self) -> tuple[Mapping[str, str], Mapping[str, str]]:
        """The articles' fingerprints (pages/kinds/kept.py) and their bodies' SHA-256, for the feeds."""
        own = dict(zip(self.inputs.articles, self.inputs.prints)) if self.inputs is not None else {}
        return own, {url: sha for url, (sha, _) in self.bodies.items()}

    @property
    def published_stats(self) -> dict[str, list]:
        """The published files' stat the plan took from the listing child (``site_stats``),
        by site path; empty when it had none (mkdocs/photo_files.leave_in_site stats then)."""
        return self._ahead

    def kept_file(self, name: str) -> Optional[tuple[Path, str]]:
        """An output's parts kept in the build cache (outputs/kept_urls.py), valid under this key."""
        return (self.store.folder / name, self.key) if self.key else None

    def _link(self, dest: str, old: str, new: str, sha: str, seen: Optional[list]) -> bool:
        """Link the published file into staging (or, ``in_site``, leave it there) if it is
        still what the cache says it is:
        the very file the last build published and stat'ed (same inode, device, size and
        modification time), else a file whose SHA-256 is the kept one (read again). The stat is
        the listing child's (``site_stats``) when it found the file as recorded: taken at the
        build's start instead of here, as trustworthy (a file changed after it is published as
        one changed after this check would be: either is read again by the next build).

        Its stat, taken here, is what the next build trusts (``_stamps``): the link is that
        inode, so publishing changes none of it, and a file changed after this check gets
        another modification time (or, copied, another inode): read again next time."""
        try:
            ahead = self._ahead.get(dest)
            now = ahead if ahead is not None and ahead == seen else stamp(os.stat(old))
            if now != seen and file_sha256(old) != sha:
                return False
            if self.in_site:
                self.left_in_site.add(dest)
            else:
                folder = os.path.dirname(new)
                if folder not in self._folders:      # ~15,000 links at 10k: one mkdir per folder
                    os.makedirs(folder, exist_ok=True)
                    self._folders.add(folder)
                link_or_copy(old, new)
        except OSError:
            return False
        self._linked[dest] = now
        return True

    def _hash_statics(self, config: Any, plugin: Any, files: Any) -> dict[str, list]:
        """SHA-256 of each file copied as it is from content/ or brands/ (the stat of the
        last build's file spares reading it again on the same machine)."""
        roots = tuple(os.path.abspath(d) + os.sep for d in (config.docs_dir, plugin.brands_dir(config)))
        before = self.store.peek_statics()
        out: dict[str, list] = {}
        for f in files:
            if not f.abs_src_path or f.is_documentation_page():    # generated pages (15,000) first
                continue
            path = os.path.abspath(f.abs_src_path)
            if not path.startswith(roots):
                continue
            try:
                st = os.stat(path)
            except OSError:
                continue
            stamp = [st.st_size, st.st_mtime_ns, st.st_ino, st.st_dev]
            old = before.get(f.src_uri)
            sha = old[-1] if old is not None and old[:-1] == stamp else file_sha256(Path(path))
            out[f.src_uri] = [*stamp, sha]
        return out

    def _add_photos(self, plugin: Any) -> None:
        """Photos published through the photo build (a stand-in and variants, not a copied
        file) count by their content hash: a photo replaced under its name renders the pages
        showing it again (their <picture> names the new variants)."""
        graph = getattr(plugin, "graph", None)
        photo_set = getattr(graph, "photos", None)
        for site_path, result in sorted(getattr(photo_set, "results", {}).items()):
            self.statics.setdefault(site_path, ["photo", result.source_sha])

    # ------------------------------------------------------------ recording (rendering)

    def rendered(self, src_uri: str, output: str) -> None:
        """A page was rendered: what MkDocs writes is ``output`` encoded as it encodes it."""
        if src_uri in self._digests:
            data = output.encode("utf-8", errors="xmlcharrefreplace")
            self.pages[src_uri] = (self._digests[src_uri], self._dest[src_uri], hashlib.sha256(data).hexdigest())

    def body(self, url: str, html: str) -> None:
        self.bodies[url] = (hashlib.sha256(html.encode("utf-8", "surrogatepass")).hexdigest(), html)

    def kept_bodies(self) -> dict[str, str]:
        """The rendered bodies of the reused articles (verified when the cache was read)."""
        return {url: html for url, (_, html) in self.bodies.items()}

    def _stamps(self) -> dict[str, list]:
        """The published pages' stat: a linked file's as ``_link`` took it, a written one's
        taken by us right after publishing."""
        out = {}
        dests = [dest for _, dest, _ in self.pages.values()] + [unquote(path) for path in self.outputs]
        site = str(self.site)
        for dest in dests:
            linked = self._linked.get(dest)
            if linked is not None:
                out[dest] = linked
                continue
            try:
                out[dest] = stamp(os.stat(os.path.join(site, dest)))
            except OSError:
                continue
        return out

    def save(self) -> None:
        """After the site is published: record it for the next build (never fails the build)."""
        if self.docs is not None:
            self.docs.save()
        try:
            if self.inputs is not None:
                digests = {src: self._digests[src] for src in self.inputs.articles if src in self._digests}
                if (self.inputs, digests) != self._articles_kept:
                    self.store.save_articles(self.inputs, digests)
            self._save_shards()
            self.store.save(Kept(self.key, str(self.site), self.pages, self.statics, self.bodies, self.urls,
                                 self._stamps(), self.outputs))
        except OSError as exc:
            log.warning(f"构建缓存没有保存（{exc.strerror}：{exc.filename}），下次将完整生成。")


def _known_unread(spec: Page) -> bool:
    """An article page known unchanged (its last build's digest) whose data is not made."""
    return isinstance(spec, LazyPage) and bool(spec.known_digest) and not spec.made


def _check_known(specs: Iterable[Page], digests: dict[str, str], marks: Callable[[], Mapping[int, str]]) -> None:
    """Every page whose digest was not taken from its data, made and its digest taken again:
    article pages known unchanged, and listing pages (their stand-in's digest)."""
    known = sorted(s.src_uri for s in specs if _known_unread(s))
    by_src = {s.src_uri: s for s in specs}
    listings = [s.src_uri for s in specs if isinstance(s, LazyPage) and s.stand_in is not None]
    made = [by_src[src] for src in known + listings if by_src[src].data is not None]   # made now, their cards too
    again = stable_digests(made, marks(), from_data=True)
    stale = [s.src_uri for s in made if again[s.src_uri] != digests[s.src_uri]]
    print(f"{CHECK_KNOWN} " + json.dumps({"known": known, "stale": stale}), file=sys.stderr)
    if stale:
        raise RuntimeError(f"pages whose digest was not taken from their data (article pages taken as unchanged, listings by their stand-in) are not what their data says: {stale}")


def _urls_digest(pages: Iterable[Any]) -> str:
    """One digest of every page's source and URL, in a stable order (a page moved: the pages
    linking others by their Markdown source render again). Sorted as text and hashed once:
    ~15,000 pairs sorted as tuples and ``repr``'d took twice as long. NUL between the parts:
    no path holds one (a URL is quoted), so the text names one list of pairs only."""
    text = "\0".join(sorted([f.src_uri + "\0" + f.url for f in pages]))
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def skip_in_dirty_build(file: Any) -> None:
    """MkDocs' dirty build renders no page whose file says it is not modified: a page the
    warm build links from the published site, or one the render worker writes."""
    file.is_modified = _unmodified


def _unmodified() -> bool:
    return False
