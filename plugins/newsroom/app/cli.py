"""``newsroom build / serve / check / new``: the editors' commands.

The CLI wraps MkDocs: it loads ``site_config.yml``, points it at the content
folders given on the command line, validates the content graph once (the
plugin reuses it), and builds into a temporary folder that replaces the
published site only when everything succeeded.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import logging
import sys
from pathlib import Path
from typing import Optional

from ..content.pins import pin_notes
from ..core.model import SCHEMAS
from ..core.memory import collector_paused, keep_for_the_build, nothing_to_collect_at_exit
from ..core.problems import CliError, errors, format_report, sort_problems
from ..core.terminal import Progress, stop_on_signals
from ..mkdocs.build import run_build
from ..mkdocs.config import UNSET_SITE_DIR, chosen_site_dir, load_config, load_graph, menu_problems
from ..mkdocs.warm import WarmBuild
from ..search import BUNDLE as SEARCH_BUNDLE
from .cli_args import ChineseParser

DEFAULT_CONFIG = "site_config.yml"


def main(argv: Optional[list[str]] = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130
    except CliError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1




def _parser() -> argparse.ArgumentParser:
    p = ChineseParser(prog="newsroom", description="工会新闻网站生成器")
    sub = p.add_subparsers(dest="command", title="命令", metavar="{build,serve,check,new,desk}")

    def common(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("-f", "--config-file", default=DEFAULT_CONFIG, metavar="文件",
                        help="站点配置（默认 site_config.yml）")
        sp.add_argument("--content", metavar="目录", help="文章目录（默认 content/）")
        sp.add_argument("--brands", metavar="目录", help="品牌目录（默认 brands/）")

    b = sub.add_parser("build", help="生成网站", description="检查全部内容，没有错误才生成网站")
    common(b)
    b.add_argument("--site-dir", metavar="目录", help="输出目录（默认 site/）")
    b.add_argument("-q", "--quiet", action="store_true", help="不显示进度")
    b.add_argument("-v", "--verbose", action="store_true", help="显示详细过程")
    b.add_argument("--no-reuse", action="store_true",
                   help="页面和搜索索引全部重新生成，不读也不写构建缓存 .cache/newsroom/build/"
                        "（默认沿用已发布网站中没有变化的部分）")
    b.set_defaults(func=cmd_build)

    s = sub.add_parser("serve", help="本地预览，保存即更新", description="本地预览，保存即更新")
    common(s)
    s.add_argument("--dev-addr", default="127.0.0.1:8000", metavar="地址:端口",
                   help="预览地址（默认 127.0.0.1:8000）")
    s.add_argument("--drafts", action="store_true", help="预览草稿和定时发布的文章")
    s.add_argument("--desk", action="store_true", help="同时启动编辑台（下一个端口，只能在本机打开）")
    s.set_defaults(func=cmd_serve)

    c = sub.add_parser("check", help="只检查内容，不生成网站", description="只检查内容，不生成网站")
    common(c)
    c.add_argument("--format", choices=("text", "json"), default="text",
                   help="输出格式：text 文字（默认），json 给程序用")
    c.add_argument("--fix", action="store_true",
                   help="先自动改好头信息里的机械错误（中文冒号、Tab、全角空格、引号开头的标题、品牌和劳模工匠的名称），"
                        "显示改了什么，再检查；正文不会改动")
    c.set_defaults(func=cmd_check)

    n = sub.add_parser("new", help="新建文章、通知公告、品牌或劳模工匠档案",
                       description="新建文章、通知公告、品牌或劳模工匠档案")
    common(n)
    kinds = [schema for schema in SCHEMAS.values() if schema.new]
    n.add_argument("kind", choices=[schema.kind for schema in kinds] + ["edition"], metavar="类型",
                   help="，".join(f"{schema.kind} {schema.zh}" for schema in kinds) + "，edition 数字报的一期")
    n.add_argument("title", metavar="标题", help="文章、通知、专题的标题，品牌、劳模工匠的名称，或一期报纸的日期")
    n.add_argument("--id", metavar="文件名", help="文件名（默认取标题拼音）")
    n.add_argument("--date", metavar="时间", help="发布时间（默认现在）")
    n.set_defaults(func=cmd_new)

    d = sub.add_parser("desk", help="在浏览器里写稿、改稿的编辑台（本机）",
                       description="启动编辑台：在浏览器里新建和修改文章、品牌、劳模工匠，直接保存到内容目录")
    common(d)
    d.add_argument("--dev-addr", default="127.0.0.1:8001", metavar="地址:端口",
                   help="编辑台地址（默认 127.0.0.1:8001；只能是本机地址）")
    d.set_defaults(func=cmd_desk)
    return p


# ---------------------------------------------------------------- config







# ---------------------------------------------------------------- check

def cmd_check(args: argparse.Namespace) -> int:
    config, plugin = load_config(args)
    if getattr(args, "fix", False):
        _fix(config, plugin, sys.stderr if args.format == "json" else sys.stdout)
    graph, problems = load_graph(config, plugin)
    problems = sort_problems(problems + menu_problems(config, graph))
    bad = errors(problems)
    # How long each pin (pinned_until) has left: notes, which leave the check clean.
    pins = pin_notes(graph.articles, graph.settings.build_time())
    if args.format == "json":
        print(json.dumps({"ok": not bad, "errors": len(bad), "warnings": len(problems) - len(bad),
                          "problems": [p.as_dict() for p in problems], "pins": pins},
                         ensure_ascii=False, indent=2))
        return 1 if bad else 0
    for line in pins:
        print(line)
    if problems:
        print(format_report(problems), file=sys.stderr if bad else sys.stdout)
    else:
        print("内容检查通过，没有发现问题。")
    return 1 if bad else 0


def _fix(config, plugin, out) -> None:
    """`check --fix`: rewrite the front matter's mechanical mistakes; show each change."""
    from .fix import fix_site

    diffs = fix_site(Path(config.docs_dir), plugin.brands_dir(config), Path(config.config_file_path).parent,
                     lambda: load_graph(config, plugin)[0])
    for diff in diffs:
        print(diff, end="" if diff.endswith("\n") else "\n", file=out)
    print(f"已自动修改 {len(diffs)} 处（只改头信息，正文不动）。" if diffs else "没有可以自动修改的地方。", file=out)




# ---------------------------------------------------------------- build

def cmd_build(args: argparse.Namespace) -> int:
    from .publish import Publisher
    from .publish_target import PublishError

    _setup_logging(args.verbose)
    stop_on_signals()     # kill or a closed terminal: clean up as after Ctrl-C
    # MkDocs would check site_dir against docs_dir in English; publish_target does, in Chinese.
    config, plugin = load_config(args, site_dir=UNSET_SITE_DIR)
    site_dir = chosen_site_dir(args, config)
    # A warm build that rendered few pages keeps the collector paused through the publish and
    # the save (build.run_build); frozen before it runs again, it has nothing left to walk.
    with contextlib.ExitStack() as paused:
        try:
            with Publisher(site_dir, _sources(config, plugin), say=_say, listed=not args.no_reuse) as publisher:
                config["site_dir"] = str(publisher.staging)
                admin = _admin_config(config, plugin, args.quiet)
                graph = _build_into_staging(args, config, plugin, site_dir, publisher.keeps_in_site,
                                            publisher.site_stats, paused)
                if graph is None:
                    return 1
                if admin is not None:
                    from ..desk.site import write_admin
                    write_admin(publisher.staging, *admin)
                publisher.publish(plugin.warm.left_in_site if plugin.warm is not None else None)
                if plugin.warm is not None:
                    plugin.warm.save()
        except PublishError as exc:
            raise CliError(str(exc)) from None
        finally:
            job = plugin.search_job
            if job is not None:
                job.cancel()          # stopped (Ctrl-C): the indexer must not write on into staging
        nothing_to_collect_at_exit()      # published and saved: exit without collecting it all
    if not args.quiet:
        print(f"网站已生成：{site_dir}（{len(graph.articles)} 篇文章，{len(graph.brands)} 个品牌，"
              f"{len(graph.workers)} 位劳模工匠）")
    return 0






def _sources(config, plugin):
    from .publish_target import Sources

    theme = config.theme.custom_dir
    return Sources(config_dir=Path(config.config_file_path).parent, content=Path(config.docs_dir),
                   brands=plugin.brands_dir(config), theme=Path(theme) if theme else None)


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _build_into_staging(args: argparse.Namespace, config, plugin, site_dir: Path, in_site: bool = False,
                        site_stats=None, paused: Optional[contextlib.ExitStack] = None):
    """Validate and build into ``config.site_dir``; the graph, or None on content errors.
    ``site_stats``: the published files' stat taken by the publish's listing child (warm.py).
    ``paused``: where the build leaves the collector's pause of a warm build (build.run_build)."""
    # The doc store and the graph live until the end (frozen once loaded). No collection while
    # they load: each one walked what was made so far and found nothing (none of the young
    # ones either: a cold load at 10k leaves no cyclic garbage in generations 0 and 1), 0.05-0.1
    # CPU-s of a warm build at 10k (/tmp/start15/h2.py), more of a cold one.
    with collector_paused():
        if not args.no_reuse:
            # Pages whose digest is unchanged are linked from the published site, files whose
            # bytes are unchanged are not parsed again (mkdocs/warm.py). ``in_site``: the reused
            # pages stay in the site, and only what this build wrote is published (publish_delta).
            plugin.warm = WarmBuild.at(Path(config.config_file_path).parent, site_dir.resolve(), in_site)
            if site_stats is not None:
                plugin.warm.site_stats = site_stats
        # A new photo renders on the other core until the plugin's on_env waits for it and checks it.
        graph, problems = load_graph(config, plugin, plugin.warm.docs if plugin.warm is not None else None,
                                     background_photos=True)
        keep_for_the_build()      # the graph and the doc store: out of the collector's walks
    if errors(problems):
        problems += graph.photos.finish()       # reported with the rest, as without a background
        print(format_report(problems), file=sys.stderr)
        print(f"内容有错误，网站没有生成；{site_dir} 保持原样。", file=sys.stderr)
        return None
    for p in problems:
        print(p.format(), file=sys.stderr)
    plugin.graph, plugin.problems = graph, []
    plugin.progress = Progress.for_terminal(args.quiet)
    if not args.no_reuse:
        # Shards of the published index whose input is unchanged are linked, not rebuilt.
        plugin.search_reuse = site_dir / SEARCH_BUNDLE
    run_build(config, args.verbose, dirty=plugin.warm is not None, kept_after_files=True, paused_after=paused)
    return graph






def _setup_logging(verbose: bool) -> None:
    log = logging.getLogger("mkdocs")
    if not any(isinstance(h, logging.StreamHandler) for h in log.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)s - %(message)s"))
        log.addHandler(handler)
    log.setLevel(logging.INFO if verbose else logging.WARNING)
    log.propagate = False


# ---------------------------------------------------------------- serve

def cmd_serve(args: argparse.Namespace) -> int:
    from ..mkdocs.serve import serve

    _setup_logging(False)
    logging.getLogger("mkdocs").setLevel(logging.INFO)
    if args.desk:
        _start_desk_beside(args)
    return serve(args, load_config)


# ---------------------------------------------------------------- desk

def cmd_desk(args: argparse.Namespace) -> int:
    from ..desk.start import serve as serve_desk

    config, plugin = load_config(args)
    return serve_desk(args.dev_addr, *_desk_site(config, plugin), lambda message: print(message, flush=True),
                      plugin.settings_from(config).timezone, [Path(d) for d in config.theme.dirs])


def _desk_site(config, plugin) -> tuple[Path, Path, Path]:
    return Path(config.config_file_path).parent, Path(config.docs_dir), plugin.brands_dir(config)


def _start_desk_beside(args: argparse.Namespace) -> None:
    """`serve --desk`: the desk on the next port, in this process, against the same folders."""
    import threading

    from ..desk.start import start

    config, plugin = load_config(args)
    host, _, port = args.dev_addr.rpartition(":")
    server = start(f"{host}:{int(port) + 1 if port.isdigit() and int(port) else 0}", *_desk_site(config, plugin),
                   plugin.settings_from(config).timezone, [Path(d) for d in config.theme.dirs])
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"编辑台已启动：请在浏览器中打开 {server.url()}（只能在本机打开）", flush=True)


def _admin_config(config, plugin, quiet: bool = False) -> Optional[tuple[str, str]]:
    """(config.yml text, forge URL) for site/admin/ when site_config.yml enables the desk."""
    from ..desk.config import config_yaml, desk_config

    desk = plugin.config.desk
    if not desk or not desk.get("enabled", True):
        return None
    root, content, brands = _desk_site(config, plugin)
    try:
        rels = [p.resolve().relative_to(root.resolve()).as_posix() for p in (content, brands)]
    except ValueError:
        # The forge's repository is the site folder: folders elsewhere have no path in it.
        if not quiet:
            _say(f"提示：文章目录或品牌目录不在 {root} 里面，这次生成的网站不含编辑台（/admin/）")
        return None
    try:
        return config_yaml(desk_config(*rels, remote=desk)), str(desk.get("base_url", ""))
    except ValueError as exc:
        raise CliError(f"site_config.yml 里 newsroom 的 desk 设置有误：{exc}") from None


# ---------------------------------------------------------------- new

def cmd_new(args: argparse.Namespace) -> int:
    from .scaffold import new_entity

    config, plugin = load_config(args)
    if args.kind == "edition":                  # 数字报: content/epaper/<date>/edition.yml
        from .new_edition import new_edition

        print(f"已新建：{new_edition(args.title, Path(config.docs_dir), plugin.settings_from(config))}")
        return 0
    path = new_entity(args.kind, args.title, Path(config.docs_dir), plugin.brands_dir(config),
                      plugin.settings_from(config), entity_id=args.id, date_text=args.date)
    print(f"已新建：{path}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
