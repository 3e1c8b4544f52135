"""The MkDocs adapter: a thin layer between the core and MkDocs.

- ``on_config``: load and validate the content graph once (or take the one the
  CLI already loaded); stop the build with every problem if there are errors.
- ``on_files``: replace the article and profile files MkDocs found with
  generated pages (one per ``pages.kinds.Page``), none of them in the nav.
- ``on_page_markdown`` / ``on_page_context``: give each page its template and
  the data it shows; generated pages outside the nav are rendered through page
  shells (``shells.py``: Material's chrome once, each page's own blocks spliced in).
- ``on_post_build``: write feeds and sitemaps from the graph.
"""
from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any, Optional
from urllib.parse import unquote

from jinja2 import ChoiceLoader, DictLoader
from markupsafe import Markup, escape
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from .. import search
from ..content.graph import build_graph
from ..content.graph_data import ContentGraph
from ..content.safety import Listing, named_listing
from ..core import dates
from ..core.settings import Settings
from ..core.service import SiteIdentity
from ..core.problems import errors, format_report
from ..core.terminal import Progress
from ..core.urls import free_page_url
from ..outputs.write import OutputMemo, write_all
from ..pages.kinds import Page as KindPage, site_pages
from ..pages.kinds.free_page import free_page
from ..pages.related import RelatedMemo
from . import config_check, mdext, render_worker
from .markdown_page import PageMaker, SharedConverter, SharedMarkdownPage
from .photo_files import leave_in_site, photo_files, replaced
from .kept_theme import KeptTheme
from .shells import ShellCache
from .site_files import GeneratedFiles, brand_assets, publishable
from .site_context import SiteContext
from .site_settings import site_settings
from .tracking import ENV_VAR, tracking_undefined
from .url_filter import url_filter
from .warm import WarmBuild, skip_in_dirty_build

log = logging.getLogger("mkdocs.plugins.newsroom")

# The template of a page the shells already rendered: it writes the page as it is.
# Provided by the plugin (on_env), so a theme need not know of it.
SPLICED = "newsroom/spliced-page.html"
# Our Markdown extension (mdext.py): body image sizes, and the HTML allow-list.
MDEXT = "newsroom.mkdocs.mdext"
# Its old name, still valid in site_config.yml files written before the packages (a shim module).
OLD_MDEXT = "newsroom.mdext"


class NewsroomConfig(Config):
    brands_dir = c.Type(str, default="brands")
    timezone = c.Type(str, default="Asia/Shanghai")
    per_page = c.Type(int, default=20)
    drafts = c.Type(bool, default=False)
    # The web desk at /admin/ of a built site (docs/editors.md): backend, repo, base_url, app_id.
    desk = c.Type(dict, default={})
    # Photos: publish the uploaded files as they are (EXIF, GPS and all) at their own URL
    # instead of a stand-in without metadata (content/photo_refs.py).
    publish_originals = c.Type(bool, default=False)


class NewsroomPlugin(BasePlugin[NewsroomConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        super().__init__()
        self.graph: Optional[ContentGraph] = None   # the CLI may hand one in
        self.problems: list = []
        self.theme: Optional[Listing] = None        # custom_dir walked (safety.py): what may be copied
        self.specs: dict[str, KindPage] = {}   # src_uri -> page
        self.article_html: dict[str, str] = {}       # article url -> rendered body
        # Kept from the last full build for the live preview's partial rebuilds (preview.py).
        self.files: Optional[Files] = None
        self.nav: Any = None
        self.env: Any = None
        self.related = RelatedMemo()         # shared by page rendering and the preview
        self.progress = Progress(enabled=False)     # the CLI turns it on in a terminal
        # What the live preview last wrote (feeds, sitemaps), kept between saves; None in a build.
        self.output_memo: Optional[OutputMemo] = None
        self.converter: Optional[SharedConverter] = None
        self.index_search = True                    # LivePreview(index_search=False) turns it off
        self.search_job: Optional[search.IndexJob] = None
        self.search_reuse: Optional[Path] = None    # an earlier bundle (newsroom build sets it)
        self.shells: Optional[ShellCache] = None
        self.kept_theme = KeptTheme()      # a warm build's compiled templates and 404.html
        # A warm build (newsroom build sets it): pages whose digest is unchanged are linked
        # from the published site, not rendered (warm.py).
        self.warm: Optional[WarmBuild] = None
        self.in_nav: set[str] = set()              # src_uri of pages the nav lists
        self._generated = GeneratedFiles()
        self.worker: Optional[render_worker.RenderWorker] = None   # renders a share of the pages
        # NEWSROOM_SHELLS=0 renders every page in full (to check a theme change against the shells).
        self.use_shells = os.environ.get("NEWSROOM_SHELLS", "1") != "0"

    # ------------------------------------------------------------ loading

    def settings_from(self, config: Any) -> Settings:
        return site_settings(config, self.config)

    def brands_dir(self, config: Any) -> Path:
        path = Path(self.config.brands_dir)
        if not path.is_absolute():
            path = Path(config.config_file_path or ".").parent / path
        return path

    def theme_listing(self, config: Any) -> Optional[Listing]:
        """The theme's ``custom_dir`` walked like content/: MkDocs copies its static files
        through links, so a link out (theme/assets/env.txt -> /proc/self/environ) is refused."""
        custom = config.theme.custom_dir
        if not custom:
            return None
        return named_listing(custom, Path(config.config_file_path or ".").parent)

    def on_config(self, config: Any) -> Any:
        config_file = Path(config.config_file_path or "mkdocs.yml")
        bad = config_check.config_problems(config.nav, self.config.timezone, self.config.per_page, config_file,
                                           config.extra)
        if bad:
            raise PluginError("\n".join(p.format() for p in bad))
        self.theme = self.theme_listing(config)
        # outputs/sitemaps.py writes sitemap.xml and its .gz over MkDocs' own, which rendered
        # every page into a template for nothing (~0.3 s at 10k articles).
        config.theme.static_templates.discard("sitemap.xml")
        mdext.use_photos(lambda: self.graph.photos if self.graph is not None else None)
        if self.theme is not None and errors(self.theme.problems):
            raise PluginError("主题文件夹有错误，网站没有生成：\n" + format_report(self.theme.problems))
        if self.graph is None:
            settings = self.settings_from(config)
            content = Path(config.docs_dir)
            self.graph, self.problems = build_graph(content, self.brands_dir(config), settings,
                                                    display_base=Path(config.config_file_path or ".").parent)
        if not {MDEXT, OLD_MDEXT} & set(config.markdown_extensions):   # every body must pass the allow-list (sanitize.py)
            config.markdown_extensions.append(MDEXT)
        bad = errors(self.problems)
        if bad:
            raise PluginError("内容有错误，网站没有生成：\n" + format_report(self.problems))
        for p in self.problems:
            log.warning(p.format())
        # MkDocs' Jinja does not autoescape and Material prints site_name as it is: as Markup
        # it is escaped once, everywhere (`| e` leaves Markup alone); settings_from reads it back.
        if not isinstance(config.site_name, Markup):
            config.site_name = escape(config.site_name)
        self.specs = {}
        self.article_html = {}
        return config

    # ------------------------------------------------------------ files

    def on_files(self, files: Files, config: Any) -> Files:
        assert self.graph is not None
        pages, theme = set(self.graph.free_pages), self.theme and os.path.abspath(self.theme.top)
        roots = (theme, os.path.abspath(config.docs_dir), {})      # {}: each src_dir made absolute once
        kept = [f for f in files if publishable(self.graph, self.theme, f, roots, pages)
                and not replaced(self.graph, f.src_uri)]
        for f in kept:
            if f.src_uri.startswith("pages/") and f.is_documentation_page():
                f.dest_uri = unquote(free_page_url(f.src_uri)) + "index.html"
        taken = {f.src_uri for f in kept}
        # A warm build: article pages whose inputs are the last build's are made only if read.
        known = self.warm.known_articles(self.graph) if self.warm is not None else None
        if self.index_search:  # the index comes from the graph: built while pages are made and rendered
            reuse = self.warm.shard_reuse(self.graph) if self.warm is not None else None   # after known_articles
            texts = self.warm.store.folder / search.TOKEN_TEXTS if self.warm is not None else None
            self.search_job = search.start_index(self.graph, Path(config.site_dir), self.search_reuse, reuse, texts)
        generated = []
        for spec in site_pages(self.graph, self.related, known):
            if spec.src_uri in taken:
                raise PluginError(f"content/{spec.src_uri}: 此文件与自动生成的页面冲突，请改名")
            generated.append(self.generated_file(config, spec))
            self.specs[spec.src_uri] = spec
        generated.extend(self.brand_assets(config))
        generated.extend(photo_files(config, self.graph))
        self.files = Files(kept + generated)
        self._prune_nav(config)
        self._make_pages(config, generated)
        self.progress.start(sum(1 for f in self.files if f.is_documentation_page()))
        return self.files

    def _make_pages(self, config: Any, generated: list[File]) -> None:
        """The generated pages' ``Page`` objects, which MkDocs' get_navigation would make one by
        one (``PageMaker``: the same, cheaper). Pages the menu names are left to MkDocs: it
        gives them the menu's title."""
        maker, named = PageMaker(config), config_check.nav_targets(config.nav)
        for f in generated:
            if f.src_uri in self.specs and f.src_uri not in named and f.page is None:
                maker.page(f)

    def _prune_nav(self, config: Any) -> None:
        """A menu entry whose page does not exist: a warning, and out of the menu (no broken link)."""
        assert self.files is not None
        files = self.files
        missing = config_check.missing_nav_pages(config.nav, lambda path: files.get_file_from_path(path) is not None)
        for problem in config_check.nav_problems(config, missing):
            log.warning(problem.format())
        if missing:
            config.nav = config_check.without(config.nav, {path for _, path in missing})

    def generated_file(self, config: Any, spec: KindPage) -> File:
        return self._generated.make(config, spec)

    def brand_assets(self, config: Any) -> list[File]:
        assert self.graph is not None
        return brand_assets(config, self.graph)

    # ------------------------------------------------------------ pages

    def on_page_markdown(self, markdown: str, page: Any, config: Any, files: Files) -> str:
        spec = self.specs.get(page.file.src_uri)
        if spec is not None:
            page.meta["title"] = spec.title
            # Pages in the nav change the nav's active state: those render in full.
            spliced = self.use_shells and page.file.src_uri not in self.in_nav
            page.meta["template"] = SPLICED if spliced else spec.template
            if spec.description:
                page.meta["description"] = spec.description
        return markdown

    def on_page_content(self, html: str, page: Any, config: Any, files: Files) -> str:
        spec = self.specs.get(page.file.src_uri)
        if spec is not None and spec.maker.keeps_html:
            self.keep_body(spec.url, html)
        return html

    def keep_body(self, url: str, html: str) -> None:
        """An article's rendered body, for the feeds (and the warm build's cache)."""
        self.article_html[url] = html
        if self.warm is not None:
            self.warm.body(url, html)

    def on_nav(self, nav: Any, config: Any, files: Files) -> Any:
        self.nav = nav
        self.in_nav = {p.file.src_uri for p in nav.pages}
        # By src_uri: get_file_from_path makes a PurePath of each (~30,000 at 10k articles).
        by_src = files.src_uris
        if self.warm is not None:
            for src in self.warm.plan(config, self, files):
                skip_in_dirty_build(by_src[src])
        # Generated pages convert their Markdown with one shared converter (markdown_page.py).
        self.converter = SharedConverter(config, files)
        # get_navigation already made a plain Page for every file, and nav items point at
        # some of them: switch those objects to the subclass rather than replace them.
        for spec in self.specs.values():
            file = by_src.get(spec.src_uri)
            if file is not None and type(file.page) in (Page, SharedMarkdownPage):
                file.page.__class__ = SharedMarkdownPage
                file.page.converter = self.converter
        if self.warm is not None and render_worker.enabled():   # a dirty build: MkDocs skips pages
            self.photos_checked()        # no thread survives the worker's fork
            render_worker.start_for(self, config, files, nav)
        return nav

    def new_page(self, file: File, config: Any) -> SharedMarkdownPage:
        page = SharedMarkdownPage(None, file, config)
        page.converter = self.converter
        return page

    def photos_checked(self) -> None:
        """The photos still rendering (content/photo_refs.run_photos' ``background``: a warm
        build's new photo, ~0.8 s on both cores, overlapping ``on_config``…``on_nav``) waited
        for, and their problems checked as ``on_config`` (the CLI) checked the rest: an error
        stops the build here, before MkDocs copies a file or renders a page, and nothing is
        published or saved. Whatever asks for a picture earlier waits for it too."""
        found = self.graph.photos.finish() if self.graph is not None else []
        if not found:
            return
        self.problems = [*self.problems, *found]
        if errors(found):
            raise PluginError("内容有错误，网站没有生成：\n" + format_report(found))
        for p in found:
            log.warning(p.format())

    def on_env(self, env: Any, config: Any, files: Files) -> Any:
        self.photos_checked()      # before the copies (the variants) and the pages (their <picture>)
        if self.warm is not None and self.warm.in_site:     # the photos the site has: not linked again
            leave_in_site(files, self.warm.site, self.warm.left_in_site, self.warm.published_stats,
                          self.graph.photos.seen if self.graph is not None else None)
        self.env = env
        env.loader = ChoiceLoader([env.loader, DictLoader({SPLICED: "{{ nr_output }}"})])
        self.shells = ShellCache(env)
        env.filters["zh_date"] = dates.zh_date
        env.filters["zh_datetime"] = dates.zh_datetime
        env.filters["iso_date"] = dates.iso
        env.filters["url"] = url_filter      # MkDocs' own, each link's path split once (url_filter.py)
        if os.environ.get(ENV_VAR):      # tests/test_kinds.py: what templates look for outside their data
            env.undefined = tracking_undefined(os.environ[ENV_VAR])
        self.kept_theme = KeptTheme(self.warm)    # templates compiled before, 404.html as it was
        self.kept_theme.attach(env, config)
        return env

    @event_priority(-100)   # last: the warm build records the page as MkDocs writes it
    def on_post_page(self, output_html: str, page: Any, config: Any) -> str:
        self.progress.tick()
        if self.worker is not None:
            render_worker.page_done(self)
        if self.warm is not None:
            self.warm.rendered(page.file.src_uri, output_html)
        return output_html

    def on_page_context(self, context: dict, page: Any, config: Any, nav: Any) -> dict:
        spec = self.specs.get(page.file.src_uri)
        free = None
        if spec is None and page.file.src_uri.startswith("pages/") and page.markdown is not None:
            # A free page keeps MkDocs' layout (no spec for the templates): only its head
            # metadata comes from us. main.html prints page.meta.description.
            free = free_page(page.file.src_uri, page.url, page.title, page.meta, page.markdown)
            page.meta["description"] = free.description
        context["nr"] = SiteContext(self.graph, free)
        context["nr_identity"] = self.identity()
        if spec is not None:
            context["spec"] = spec
            context["data"] = spec.data
            if page.meta.get("template") == SPLICED:
                assert self.shells is not None
                context["nr_output"] = self.shells.render(spec.template, context, _shell_key(page, context))
        return context

    def on_template_context(self, context: dict, template_name: str, config: Any) -> dict:
        # Static templates (404.html) have no page context: the footer still shows the service block.
        context["nr_identity"] = self.identity()
        return context

    def identity(self) -> SiteIdentity:
        """The service block and 网站标识码 (site_config.yml's extra, checked with it): the footer's."""
        return self.graph.settings.identity if self.graph is not None else SiteIdentity()

    # ------------------------------------------------------------ output

    @event_priority(50)  # before search indexers and other post-build writers
    def on_post_build(self, config: Any) -> None:
        assert self.graph is not None
        render_worker.finish_for(self)
        self.progress.finish()
        self.kept_theme.record(config)
        if self.warm is not None:                # the reused articles' bodies, for the feeds
            self.article_html.update(self.warm.kept_bodies())
        write_all(self.graph, Path(config.site_dir), self.article_html, self.output_memo,
                  self.specs.values(), self.warm)
        self._finish_search()

    def on_build_error(self, error: Exception) -> None:
        # No indexer or worker may go on writing into a site folder that is being thrown away.
        worker, self.worker = self.worker, None
        if worker is not None:
            worker.cancel()
        job, self.search_job = self.search_job, None
        if job is not None:
            job.cancel()

    def _finish_search(self) -> None:
        job, self.search_job = self.search_job, None
        if job is not None:
            job.finish()


def _shell_key(page: Any, context: dict) -> tuple:
    """What a generated page's chrome depends on outside the shell's slots.

    The chrome's links are relative to the page (MkDocs' ``url`` filter): to the
    sections (one folder: news/, brands/ ...) and to assets/. Such a link depends
    only on the page's depth and on whether its first folder is the link's, so
    pages with the same depth and first folder share a shell. Material's skip
    link points at the page's first heading.
    """
    parts = [p for p in page.url.split("/") if p]
    first = next(iter(page.toc or []), None)
    return (len(parts), parts[0] if parts else "", first.url if first is not None else None)


__all__ = ["NewsroomPlugin", "NewsroomConfig"]
