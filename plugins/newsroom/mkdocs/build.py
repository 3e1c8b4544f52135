"""One MkDocs build, its failures said in Chinese."""
from __future__ import annotations

import contextlib
import logging
from typing import Optional

from ..core.memory import collector_paused, keep_for_the_build
from ..core.problems import CliError
from . import render_worker
from .docs_walk import walk_without_pages
from .page_writer import written_by_a_child

# The name of the plugin ``_keep_after_files`` makes, beside ours in the build's plugin list.
_KEEPER = "newsroom-keep-after-files"
# A warm build rendering at most this many pages renders them with the collector still paused:
# rendering leaves ~75 garbage cycles a page (~11 KB; 49,000 objects after a new article's ~650
# pages at 10k), kept until the build ends (<= ~25 MB here), where the collections while they
# render, write feeds and sitemaps cost 0.10 CPU-s of that +1 (3 full ones). More pages (a
# template changed, a cold build): collected as before (memory, issue 18).
FEW_PAGES = 2000


def run_build(config, verbose: bool = False, dirty: bool = False, kept_after_files: bool = False,
              paused_after: Optional[contextlib.ExitStack] = None) -> None:
    """``dirty``: a warm build (warm.py); MkDocs skips the pages it is told are unchanged.
    ``kept_after_files`` (newsroom build, never the preview): what ``on_files`` and ``on_nav``
    made frozen (``_keep_after_files``), and MkDocs' walk of docs_dir makes no ``File`` of the articles'
    Markdown, which ``on_files`` would drop (docs_walk.py). ``paused_after``: where a build that
    succeeded with the collector still paused (few pages rendered, ``FEW_PAGES``) hands the pause
    on, for its caller to close after the publish and the save: once the collector ran again,
    its first collection walked what rendering left (0.06 CPU-s of a +1 at 10k) and the publish
    and the save collected 0.04 more, all for memory the process's end gives back whole."""
    from mkdocs.commands.build import build
    from mkdocs.exceptions import Abort, MkDocsException

    quiet = logging.getLogger("mkdocs.commands.build")
    walk, keeper, writes = contextlib.nullcontext(), None, contextlib.nullcontext()
    if kept_after_files:
        keeper = config.plugins[_KEEPER] = _keep_after_files()
        walk = walk_without_pages(lambda: _free_pages(config))
        if not render_worker.enabled():     # a forked worker would write into the same pipe
            writes = written_by_a_child(config)
    built = False
    try:
        quiet.addFilter(_no_dirty_warning)
        with walk, writes:
            build(config, dirty=dirty)
        built = True
    except KeyboardInterrupt as exc:
        # Ctrl-C, kill: MkDocs runs on_build_error for exceptions only. The render worker and
        # the search indexer must stop before the staging folder is thrown away, or they
        # write into it again once it is gone (on_build_error is the one place that stops them).
        config.plugins.on_build_error(error=exc)
        raise
    except (Abort, MkDocsException) as exc:
        raise CliError(_failed(exc)) from None
    except Exception as exc:  # a bug of ours, not the editor's: still no half-built site
        if verbose:
            import traceback
            traceback.print_exc()
        raise CliError(f"网站生成失败（程序内部错误：{type(exc).__name__}: {exc}）；"
                       "已发布的网站保持原样。请把这条信息转给技术人员（加 -v 可看详情）。") from None
    finally:
        quiet.removeFilter(_no_dirty_warning)
        if keeper is not None and built and paused_after is not None:
            paused_after.enter_context(keeper.paused.pop_all())    # still paused, if it was
        elif keeper is not None:
            keeper.paused.close()      # a build that failed before on_nav: the collector runs again


def _free_pages(config) -> Optional[set[str]]:
    """The free pages of our plugin's graph (made in ``on_config``), the one kind of Markdown
    file of docs_dir published as it is; None without it (MkDocs' own walk)."""
    from .plugin import NewsroomPlugin

    for plugin in config.plugins.values():
        if isinstance(plugin, NewsroomPlugin):
            return set(plugin.graph.free_pages) if plugin.graph is not None else None
    return None


def _failed(exc: Exception) -> str:
    """The editors' last line when MkDocs stops. After a plugin's error (ours: the Chinese
    ``path:line`` report, e.g. a new photo that does not decode) MkDocs logs that error and
    raises an ``Abort`` of its own from it, which only says "Aborted with a BuildError!": an
    English line that tells an editor nothing."""
    from mkdocs.exceptions import BuildError

    if isinstance(exc.__context__, BuildError):
        return "网站生成失败（原因见上面的错误）；已发布的网站保持原样。"
    return f"网站生成失败：{exc}；已发布的网站保持原样。"


def _few_to_render(config) -> bool:
    """A warm build whose plan (our ``on_nav``, before the keeper's) left at most ``FEW_PAGES``
    of its generated pages to render."""
    from .plugin import NewsroomPlugin

    for plugin in getattr(config, "plugins", {}).values():
        if isinstance(plugin, NewsroomPlugin) and plugin.warm is not None:
            return len(plugin.specs) - len(plugin.warm.reused) <= FEW_PAGES
    return False


def _no_dirty_warning(record: logging.LogRecord) -> bool:
    """MkDocs warns that a dirty build leaves stale navigation: ours renders into an empty
    folder, and what it skips is verified (warm.py)."""
    return not str(record.msg).startswith("A 'dirty' build")


def _keep_after_files():
    """A plugin that pauses the cyclic collector from the first ``on_files`` to the last
    ``on_nav`` (to the end of MkDocs' build when few pages are left to render: ``FEW_PAGES``)
    and then freezes what was made so far (``keep_for_the_build``, as cli.py did
    after the graph). In between, ours makes each page's spec, file and ``Page`` (15,000 of
    each at 10k articles), MkDocs its navigation, and the warm build its plan, all living
    until the build ends: the collector ran two full collections over them for nothing
    (~0.1 CPU-s). After the freeze, the collections while pages render walk only what
    rendering makes: 0.26-0.41 -> 0.11-0.17 CPU-s in a warm build at 10k. Garbage cycles
    made in between are kept until the process ends, as the frozen ones are. A ``newsroom
    build`` only: the live preview's saves would freeze every save's objects for the life
    of the server (it pauses the collector in its own way, core.memory)."""
    from mkdocs.plugins import BasePlugin, event_priority

    class KeepAfterFiles(BasePlugin):
        def __init__(self) -> None:
            super().__init__()
            self.paused = contextlib.ExitStack()     # closed by on_nav, or by run_build (or its caller) at the end

        @event_priority(100)
        def on_files(self, files, config):
            self.paused.enter_context(collector_paused())
            return files

        @event_priority(-100)
        def on_nav(self, nav, config, files):
            keep_for_the_build()
            if not _few_to_render(config):
                self.paused.close()          # else closed by run_build, once MkDocs' build ends
            return nav

    return KeepAfterFiles()
