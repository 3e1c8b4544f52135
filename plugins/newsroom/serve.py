"""``newsroom serve``: live preview with MkDocs' reloading server.

MkDocs reloads ``site_config.yml`` on every rebuild, so the folders given on
the command line travel as environment variables that the config reads with
``!ENV`` (see site_config.yml). Content errors during preview are printed in
Chinese and the last good preview stays up.
"""
from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Callable


def serve(args: argparse.Namespace, load_config: Callable) -> int:
    from mkdocs.commands.serve import serve as mk_serve
    from mkdocs.exceptions import Abort

    config, plugin = load_config(args)   # validates the paths and the config once
    brands = plugin.brands_dir(config).resolve()
    os.environ["NEWSROOM_BRANDS_DIR"] = str(brands)
    os.environ["NEWSROOM_DRAFTS"] = "true" if args.drafts else "false"
    kwargs = {"dev_addr": args.dev_addr}
    if args.content:
        kwargs["docs_dir"] = str(Path(args.content).resolve())
    try:
        mk_serve(config_file=args.config_file, livereload=True, watch=[str(brands)], **kwargs)
    except Abort as exc:
        print(f"预览已停止：{exc}")
        return 1
    return 0
