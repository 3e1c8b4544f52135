"""The live preview of ``newsroom serve`` (serve.py): an edit shown at once, even at 10,000 articles.

MkDocs' own ``serve`` rebuilds the whole site on every save (30-40 s at 1,000
articles with the blog plugin) and its ``--dirty`` mode leaves listings stale.
Here the first build is a normal full build; after that each save
re-reads the content graph (unchanged files are not parsed again), works out
which pages show something that changed (``pages.digest.plan``), copies changed
images, renders only those pages through MkDocs' own page pipeline, deletes
pages that are gone, and rewrites the feeds and sitemaps whose content changed
(``outputs.write.OutputMemo``). A change to site_config.yml, the theme or a free page
rebuilds everything.

The search index follows in the background (``SearchRefresh``): after a save
another process re-indexes only the shards whose records changed, linking the
others from the live bundle, and swaps the bundle when it is whole.
"""
from __future__ import annotations

import gc
import logging
import os
import threading
from pathlib import Path
from typing import Any, Callable, Optional
from urllib.parse import unquote

from ..content.graph import build_graph
from ..content.photo_refs import CACHE as PHOTO_CACHE
from ..content.load import DocCache, is_scratch_file
from ..core.memory import collector_paused
from ..core.problems import errors, format_report, sort_problems
from ..outputs.write import OutputMemo, write_all
from ..outputs.writer import delete_file
from ..pages.kinds import site_pages
from ..pages.digest import Plan, Snapshot, first_pages, plan, showing
from ..search.refresh import SearchRefresh
from .photo_files import photo_files, replaced

log = logging.getLogger("mkdocs.plugins.newsroom")


class LivePreview:
    """A built site kept up to date file by file."""

    def __init__(self, config: Any, plugin: Any, index_search: bool = True,
                 reload_config: Optional[Callable[[], tuple[Any, Any]]] = None) -> None:
        self.config = config
        self.plugin = plugin
        # Loads site_config.yml again (newsroom serve's own loader); None: the config never changes.
        self.reload_config = reload_config
        self.index_search = index_search
        self.site_dir = Path(config.site_dir)
        self.snapshot: Optional[Snapshot] = None
        self._global_stamp: tuple = ()
        self.docs = DocCache()
        self._static: dict[str, tuple] = {}      # src_uri -> the source's stamp when last copied
        # Held while a build or a save changes the graph and the site; the search
        # refresh reads a graph only under it.
        self.lock = threading.RLock()
        self.search = SearchRefresh(self.site_dir, self.lock) if index_search else None
        # Why the preview shows the last good site, one `path:line: 说明` a line ([]: it
        # shows the files as they are): the browser shows it over every page.
        self.failure: list[str] = []
        self.later = 0          # pages the last update wrote after calling ``visible``
        # MkDocs' documentation pages (15,000 files walked): until a save adds or drops one.
        self._doc_files: Optional[list] = None

    # ------------------------------------------------------------ full build

    def full_build(self, loaded: Optional[tuple] = None) -> None:
        """Build everything; ``loaded``: the (graph, problems) ``load`` just returned, if any."""
        if self.search is not None:
            self.search.stop()          # the build indexes everything itself, into the same folder
        with self.lock:
            self._full_build(loaded or self.load())

    def _full_build(self, loaded: tuple) -> None:
        from mkdocs.commands.build import build

        # The graph comes through the preview's file cache; on_config takes it as it is.
        self.plugin.graph, self.plugin.problems = loaded
        self.plugin.index_search = self.index_search
        # MkDocs empties the site folder: nothing written before is there any more.
        self.plugin.output_memo = OutputMemo()
        gc.unfreeze()       # the last build's objects may be garbage now
        self._doc_files = None
        build(self.config)
        self._static = {f.src_uri: _stamp(f.abs_src_path) for f in self.plugin.files
                        if not f.is_documentation_page() and f.abs_src_path}
        self.snapshot = Snapshot.of(list(self.plugin.specs.values()))
        self._global_stamp = self._global_inputs()
        # The built site is millions of objects that live until the next full build; out of
        # the collector's sight, the collections a save triggers no longer walk them all
        # (0.3 s, every other save, at 10,000 articles).
        gc.collect()
        gc.freeze()

    def load(self):
        """The content graph and its problems, through the preview's file cache."""
        return build_graph(Path(self.config.docs_dir), self.plugin.brands_dir(self.config),
                           self.plugin.settings_from(self.config),
                           display_base=Path(self.config.config_file_path).parent, cache=self.docs)

    def _global_inputs(self) -> tuple:
        """Inputs every page depends on: the config, the theme, free pages."""
        paths = [Path(self.config.config_file_path)]
        custom = self.config.theme.custom_dir
        if custom:
            paths += sorted(Path(custom).rglob("*"))
        paths += sorted((Path(self.config.docs_dir) / "pages").rglob("*"))
        return tuple((str(p), p.stat().st_mtime_ns) for p in paths if p.is_file())

    # ------------------------------------------------------------ updates

    def update(self, visible: Optional[Callable[[], None]] = None) -> Optional[Plan]:
        """Bring the site up to date with the files on disk. Returns what was done, once
        the whole site is written.

        ``visible``: called once the pages an editor looks at after the save are written
        (``digest.first_pages``: the saved article, home, each listing's first page …),
        before the pages a deletion or a new article shifts (pages 2…N of /news/ and other
        lists), which follow in this same call: ``newsroom serve`` reloads the browser then."""
        if self.snapshot is None or self._global_inputs() != self._global_stamp:
            self._rebuild_all()
            return None
        with self.lock, collector_paused():      # collected after, by ``collect``
            todo = self._update(visible)
            graph = self.plugin.graph
        if todo is not None and (todo.render or todo.remove) and self.search is not None:
            self.search.request(graph)
        return todo

    def collect(self) -> None:
        """The last saves' cyclic garbage (graphs, snapshots), collected in one pass while the
        editor reads: ``update`` pauses the collector (``newsroom serve`` calls this after it)."""
        gc.collect()

    def _rebuild_all(self) -> None:
        """After a change every page depends on (site_config.yml, the theme, a free page).

        MkDocs empties the site folder before it builds: what an editor can get wrong
        (the config, the content) is checked first, and then the last good preview stays.
        """
        config_file = str(Path(self.config.config_file_path))
        mtime = (_stamp(config_file) or (0, None))[1]
        if self.reload_config is not None and dict(self._global_stamp).get(config_file) != mtime:
            try:
                self.config, self.plugin = self.reload_config()
            except Exception as e:               # CliError: already in Chinese
                log.error(f"{e}\n预览保持上一次的结果。")
                self.failure = str(e).splitlines()
                return
        with self.lock:                          # the search refresh may be reading the last graph
            loaded = self.load()
        if errors(loaded[1]):
            self._keep_last(loaded[1])
            return
        try:
            self.full_build(loaded)
        except Exception as e:                   # the theme, most likely: a developer's change
            self.snapshot = None                 # the next save builds everything again
            self.failure = [f"网站生成失败，请检查 site_config.yml 和 theme/ 的修改：{e}"]
            log.error(self.failure[0])
            return
        self.failure = []

    def _keep_last(self, problems: list) -> None:
        """Content errors: the last good preview stays, and says why (terminal and browser)."""
        log.error("内容有错误，预览保持上一次的结果：\n" + format_report(problems))
        self.failure = [p.format() for p in sort_problems(errors(problems))]

    def _update(self, visible: Optional[Callable[[], None]] = None) -> Optional[Plan]:
        self.docs.fresh.clear()
        graph, problems = self.load()
        if errors(problems):
            self._keep_last(problems)
            return None
        new = Snapshot.of(list(site_pages(graph, self.plugin.related)), self.snapshot)
        todo = plan(self.snapshot, new)
        self.plugin.graph, self.plugin.specs, self.plugin.problems = graph, new.specs, problems
        # Images first: pages link to them, and show their sizes.
        replaced = self._sync_static()
        if replaced:
            todo.add(showing(replaced, new.specs.values()))
        self._remove(todo, new)
        first, rest = first_pages(todo.render, self.snapshot, self._changed_sources(graph))
        self.later = len(rest)
        self._render(first, rest, visible)
        write_all(graph, self.site_dir, self.plugin.article_html, self.plugin.output_memo,
                         new.specs.values())
        self.snapshot = new
        self.failure = []
        return todo

    def _remove(self, todo: Plan, new: Snapshot) -> None:
        files = self.plugin.files
        for spec in todo.remove:
            if spec.src_uri not in new.specs:
                stale = files.get_file_from_path(spec.src_uri)
                if stale is not None:
                    _drop(files, stale)
                    self._doc_files = None
            self.plugin.article_html.pop(spec.url, None)
            delete_file(self.site_dir, Path(unquote(spec.url)) / "index.html")

    def _changed_sources(self, graph: Any) -> set[str]:
        """The content files this save read again (new or changed), as source URIs."""
        root = os.path.abspath(graph.content_dir)
        out = set()
        for path in self.docs.fresh:
            rel = os.path.relpath(os.path.abspath(path), root)
            if not rel.startswith(".."):
                out.add(rel.replace(os.sep, "/"))
        return out

    def _render(self, first: list, rest: list, visible: Optional[Callable[[], None]] = None) -> None:
        """Render ``first``, call ``visible``, render ``rest``: every page's file is in
        place before any is rendered, as in one pass."""
        from mkdocs.commands.build import _build_page, _populate_page
        files, config = self.plugin.files, self.config
        pages = []
        for spec in (*first, *rest):
            file = files.get_file_from_path(spec.src_uri)
            fresh = self.plugin.generated_file(config, spec)
            if file is not None and file.dest_uri == fresh.dest_uri and file.page is not None:
                # Same page, new text: keep the Page object the nav points at.
                file.content_string = fresh.content_string
                pages.append(file.page)
                continue
            if file is not None:
                _drop(files, file)
            files.append(fresh)
            self._doc_files = None
            pages.append(self.plugin.new_page(fresh, config))
        if not pages:                    # a save that changed no page: no walk of 15,000 files
            if visible is not None:
                visible()
            return
        if self._doc_files is None:
            self._doc_files = files.documentation_pages()
        doc_files = self._doc_files
        for n, page in enumerate(pages):
            if n == len(first) and visible is not None:
                visible()
            _populate_page(page, config, files)
            _build_page(page, config, doc_files, self.plugin.nav, self.plugin.env)
        if len(pages) == len(first) and visible is not None:
            visible()

    def _sync_static(self) -> set[str]:
        """Copy new or changed images and logos; delete the copies of removed ones.

        Returns the source paths of those copied or deleted."""
        files = self.plugin.files
        changed: set[str] = set()
        graph = self.plugin.graph
        # Photos (photo_files.py): an original the build replaces is not copied; variants and
        # stand-ins come from the photo cache, which counts as ours (stale variants go).
        fresh = {f.src_uri: f for f in self._static_files() if not replaced(graph, f.src_uri)}
        fresh.update({f.src_uri: f for f in self.plugin.brand_assets(self.config)})
        fresh.update({f.src_uri: f for f in photo_files(self.config, graph)})
        roots = (os.path.abspath(self.config.docs_dir), os.path.abspath(self.plugin.brands_dir(self.config)),
                 os.path.abspath(graph.photos.cache_root or graph.content_dir.parent / PHOTO_CACHE))
        for f in list(files):
            ours = f.abs_src_path and os.path.abspath(f.abs_src_path).startswith(roots)
            if ours and not f.is_documentation_page() and f.src_uri not in fresh:
                files.remove(f)
                changed.add(f.src_uri)
                if os.path.isfile(f.abs_dest_path):
                    os.remove(f.abs_dest_path)
        for src, f in fresh.items():
            current = files.get_file_from_path(src)
            if current is not None and current.abs_src_path != f.abs_src_path:   # a new stand-in
                files.remove(current)
                current = None
            if current is None:
                files.append(f)
                current = f
            # Not MkDocs' is_modified (source newer than copy): a file moved in from a
            # download or an archive keeps an older modification time.
            stamp = _stamp(current.abs_src_path)
            if self._static.get(src) != stamp or not os.path.exists(current.abs_dest_path):
                current.copy_file(dirty=False)
                self._static[src] = stamp
                changed.add(src)
        return changed

    def _static_files(self):
        """Images and other non-Markdown files under the content folder, as MkDocs files.

        The files the build's on_files keeps: those of the graph's own walk of the folder
        (safety.list_folder: no link out, no FIFO), without making a File for every one
        of the 10,000 Markdown files on each save."""
        from mkdocs.structure.files import File
        from mkdocs.utils import is_markdown_file

        docs = self.config.docs_dir
        listing = self.plugin.graph.content_files
        for rel, names in listing.walk() if listing is not None else ():
            for name in names:
                if is_scratch_file(name) or is_markdown_file(name):   # pages: the graph's
                    continue
                src = f"{rel}/{name}" if rel else name
                yield File(src, docs, self.config.site_dir, self.config.use_directory_urls)


def _stamp(path: str) -> tuple:
    """What tells a changed file: size, modification time and inode (a file moved over it)."""
    try:
        st = os.stat(path)
    except OSError:
        return ()
    return (st.st_size, st.st_mtime_ns, st.st_ino)


def _drop(files: Any, file: Any) -> None:
    """Take a page's file out of the site.

    The File and its Page point at each other: the cycle is broken so that both are
    freed at once, since after a full build the collector no longer looks at them."""
    files.remove(file)
    file.page = None
