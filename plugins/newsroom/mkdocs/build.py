"""One MkDocs build, its failures said in Chinese."""
from __future__ import annotations

from ..core.problems import CliError


def run_build(config, verbose: bool = False) -> None:
    from mkdocs.commands.build import build
    from mkdocs.exceptions import Abort, MkDocsException

    try:
        build(config)
    except (Abort, MkDocsException) as exc:
        raise CliError(f"网站生成失败：{exc}；已发布的网站保持原样。") from None
    except Exception as exc:  # a bug of ours, not the editor's: still no half-built site
        if verbose:
            import traceback
            traceback.print_exc()
        raise CliError(f"网站生成失败（程序内部错误：{type(exc).__name__}: {exc}）；"
                       "已发布的网站保持原样。请把这条信息转给技术人员（加 -v 可看详情）。") from None


