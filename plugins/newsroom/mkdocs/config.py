"""site_config.yml loaded through MkDocs, with the command line's folders and Chinese errors."""
from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path
from typing import Any

from ..content.graph import build_graph
from ..core.problems import ERROR, WARNING, CliError, errors, format_report
from . import config_check
from .config_text import surrogate_problems


def load_config(args: argparse.Namespace, **overrides: Any):
    """Load site_config.yml with the command-line folders applied."""
    from mkdocs.config import load_config as mk_load
    from mkdocs.exceptions import Abort, ConfigurationError

    config_file = Path(args.config_file)
    if not config_file.is_file():
        raise CliError(f"找不到站点配置 {config_file}（请在网站目录中运行，或用 -f 指定）")
    if getattr(args, "content", None):
        # As written, links not followed: safety.site_root decides from it whether the
        # folder is in the site (a link out is then refused) or kept elsewhere.
        overrides["docs_dir"] = os.path.abspath(args.content)
        if not Path(args.content).is_dir():
            raise CliError(f"找不到文章目录 {args.content}")
    if getattr(args, "brands", None) and not Path(args.brands).is_dir():
        raise CliError(f"找不到品牌目录 {args.brands}")
    with config_check.collect_mkdocs_errors() as said:
        try:
            config = mk_load(config_file=str(config_file), **overrides)
        except ConfigurationError as exc:       # not even YAML
            raise CliError(_config_report(config_file, [config_check.yaml_problem(exc, config_file)])) from None
        except Abort:                            # MkDocs' own checks: what it logged, in Chinese
            raise CliError(_config_report(config_file, [
                config_check.explain(m, config_file, ERROR if level >= logging.ERROR else WARNING)
                for level, m in said])) from None
    for level, message in said:
        print(config_check.explain(message, config_file, WARNING).format(), file=sys.stderr)
    plugin = config.plugins.get("newsroom")
    if plugin is None:
        raise CliError(f"{config_file} 的 plugins 中没有启用 newsroom")
    bad = config_check.config_problems(config.nav, plugin.config.timezone, plugin.config.per_page, config_file,
                                       config.extra)
    bad += surrogate_problems(config, config_file)
    if bad:
        raise CliError(_config_report(config_file, bad))
    _check_theme(config, plugin)
    if getattr(args, "brands", None):
        plugin.config.brands_dir = os.path.abspath(args.brands)
    if getattr(args, "drafts", False):
        plugin.config.drafts = True
    return config, plugin


def _check_theme(config, plugin) -> None:
    """Links out of the site in the theme folder stop every command before it reads content."""
    theme = plugin.theme_listing(config)
    problems = theme.problems if theme is not None else []
    if errors(problems):
        raise CliError("主题文件夹有错误，网站没有生成：\n" + format_report(problems))
    for problem in problems:
        print(problem.format(), file=sys.stderr)


def _config_report(config_file: Path, problems: list) -> str:
    return f"站点配置 {config_file} 有误，网站没有生成：\n" + "\n".join(p.format() for p in problems)


def load_graph(config, plugin, cache=None, background_photos: bool = False):
    """The content graph; ``cache`` (a ``DocCache``) spares parsing files read before;
    ``background_photos``: see ``build_graph`` (the plugin checks their problems in ``on_env``)."""
    settings = plugin.settings_from(config)
    base = Path(config.config_file_path).parent
    return build_graph(Path(config.docs_dir), plugin.brands_dir(config), settings, display_base=base, cache=cache,
                       background_photos=background_photos)


def menu_problems(config, graph) -> list:
    """The menu's entries whose page neither exists nor is generated (the build drops them).
    Which pages are generated the kinds say from the graph, without making them."""
    from ..pages.kinds import site_sources

    docs = Path(config.docs_dir)
    generated: set[str] = set()

    def exists(path: str) -> bool:
        if (docs / path).is_file():
            return True
        if not generated:
            generated.update(site_sources(graph))
        return path in generated

    return config_check.nav_problems(config, config_check.missing_nav_pages(config.nav, exists))


# MkDocs validates site_dir while loading; the real one is checked by publish_target.
UNSET_SITE_DIR = os.path.join(os.sep, "nonexistent", "newsroom-site-dir")


def chosen_site_dir(args: argparse.Namespace, config) -> Path:
    """--site-dir (from the current folder), else site_dir of site_config.yml (from its folder)."""
    if args.site_dir:
        return Path(args.site_dir).expanduser().resolve()
    from mkdocs.utils.yaml import yaml_load

    config_file = Path(config.config_file_path)
    with open(config_file, "rb") as fd:        # valid YAML: load_config has read it
        configured = yaml_load(fd).get("site_dir") or "site"
    return (config_file.parent / str(configured)).resolve()


