"""One MkDocs build, its failures said in Chinese."""
from __future__ import annotations

import logging

from ..core.problems import CliError


def run_build(config, verbose: bool = False, dirty: bool = False) -> None:
    """``dirty``: a warm build (warm.py); MkDocs skips the pages it is told are unchanged."""
    from mkdocs.commands.build import build
    from mkdocs.exceptions import Abort, MkDocsException

    quiet = logging.getLogger("mkdocs.commands.build")
    try:
        quiet.addFilter(_no_dirty_warning)
        build(config, dirty=dirty)
    except KeyboardInterrupt as exc:
        # Ctrl-C, kill: MkDocs runs on_build_error for exceptions only. The render worker and
        # the search indexer must stop before the staging folder is thrown away, or they
        # write into it again once it is gone (on_build_error is the one place that stops them).
        config.plugins.on_build_error(error=exc)
        raise
    except (Abort, MkDocsException) as exc:
        raise CliError(f"网站生成失败：{exc}；已发布的网站保持原样。") from None
    except Exception as exc:  # a bug of ours, not the editor's: still no half-built site
        if verbose:
            import traceback
            traceback.print_exc()
        raise CliError(f"网站生成失败（程序内部错误：{type(exc).__name__}: {exc}）；"
                       "已发布的网站保持原样。请把这条信息转给技术人员（加 -v 可看详情）。") from None
    finally:
        quiet.removeFilter(_no_dirty_warning)


def _no_dirty_warning(record: logging.LogRecord) -> bool:
    """MkDocs warns that a dirty build leaves stale navigation: ours renders into an empty
    folder, and what it skips is verified (warm.py)."""
    return not str(record.msg).startswith("A 'dirty' build")


