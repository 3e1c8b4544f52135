"""``newsroom serve``: the live preview (preview.py) and its web server (preview_server.py)
wired together: one preview folder in /tmp, a rebuild on each save, Ctrl-C cleans up."""
from __future__ import annotations

import argparse
import logging
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Optional
from urllib.parse import urlsplit

from ..core.problems import errors, format_report
from ..core.terminal import stop_on_signals
from .preview import LivePreview
from .preview_server import PreviewServer

log = logging.getLogger("mkdocs.plugins.newsroom")


def serve(args: argparse.Namespace, load_config: Callable) -> int:
    """The preview in a folder of its own, removed however it ends: also when the config or a
    flag is refused before anything is served (an empty folder was left in /tmp each time)."""
    site_dir = tempfile.mkdtemp(prefix="newsroom-preview-")
    try:
        return _serve(args, load_config, site_dir)
    finally:
        shutil.rmtree(site_dir, ignore_errors=True)


def _serve(args: argparse.Namespace, load_config: Callable, site_dir: str) -> int:
    def configure() -> tuple[Any, Any]:
        """site_config.yml, as the preview serves it (links to the preview's own address)."""
        config, plugin = load_config(args, site_dir=site_dir, dev_addr=args.dev_addr)
        host, port = config.dev_addr
        config.site_url = f"http://{host}:{port}{urlsplit(config.site_url or '/').path}"
        return config, plugin

    config, plugin = configure()
    host, port = config.dev_addr
    mount_path = urlsplit(config.site_url).path
    preview = LivePreview(config, plugin, reload_config=configure)
    stop_on_signals()

    def rebuild() -> None:
        started = time.monotonic()
        shown: list[float] = []

        def visible() -> None:           # the pages an editor looks at are written
            shown.append(time.monotonic() - started)
            server.reload_now()

        todo = preview.update(visible)
        if todo is not None:
            log.info(f"已更新 {len(todo.render)} 个页面，删除 {len(todo.remove)} 个，"
                     f"用时 {time.monotonic() - started:.2f} 秒"
                     + (f"（{shown[0]:.2f} 秒时已可查看）" if shown else ""))
        if shown and preview.later:
            server.reload_again()        # the pages written after it (pages 2…N of lists)
        preview.collect()                # while the editor reads

    server = PreviewServer(builder=rebuild, host=host, port=port, root=site_dir, mount_path=mount_path,
                           errors_now=lambda: preview.failure)

    def error_page(code: int) -> Optional[bytes]:
        path = Path(site_dir) / f"{code}.html"
        return server.error_page(path.read_bytes()) if code in (404, 500) and path.is_file() else None

    server.error_handler = error_page
    try:
        loaded = preview.load()
        if errors(loaded[1]):
            print(format_report(loaded[1]), file=sys.stderr)
            print("内容有错误，预览没有启动：请改正后重新运行 newsroom serve。", file=sys.stderr)
            return 1
        preview.full_build(loaded)
        server.watch(config.docs_dir)
        server.watch(str(plugin.brands_dir(config)))
        server.watch(config.config_file_path)
        if config.theme.custom_dir:
            server.watch(config.theme.custom_dir)
        print(f"预览地址：{config.site_url}（保存文件后自动更新，Ctrl+C 退出）")
        server.stop_on_signals()         # from here a signal ends the loop (the first build: interrupted)
        server.serve()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        if preview.search is not None:
            preview.search.stop()
        job = preview.plugin.search_job          # a full build's own index, if one was running
        if job is not None:
            job.cancel()
    return 0
