"""From the site's folders to a running desk: the paths Decap will use, the config, the server."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

from ..core.problems import CliError
from .backend import Folders
from .config import config_yaml, desk_config
from .server import AddressError, Desk, DeskServer, parse_addr, run


def _inside(folder: Path, root: Path, what: str) -> str:
    """``folder`` relative to ``root`` (posix): Decap names every file from the site folder."""
    real, real_root = Path(os.path.realpath(folder)), Path(os.path.realpath(root))
    try:
        rel = real.relative_to(real_root).as_posix()
    except ValueError:
        raise CliError(f"编辑台要求{what}在网站目录 {root} 里面，现在是 {folder}") from None
    if rel in ("", "."):
        raise CliError(f"{what}不能就是网站目录本身：编辑台会因此能改动站点配置")
    return rel


def make_desk(root: Path, content: Path, brands: Path) -> Desk:
    content_rel = _inside(content, root, "文章目录")
    brands_rel = _inside(brands, root, "品牌目录")
    folders = Folders(Path(os.path.realpath(root)), (Path(os.path.realpath(content)), Path(os.path.realpath(brands))))
    return Desk(folders, config_yaml(desk_config(content_rel, brands_rel)))


def start(addr: str, root: Path, content: Path, brands: Path) -> DeskServer:
    """The server, bound and ready (``serve_forever`` not yet called)."""
    try:
        host, port = parse_addr(addr)
    except AddressError as exc:
        raise CliError(str(exc)) from None
    desk = make_desk(root, content, brands)
    try:
        return DeskServer(host, port, desk)
    except OSError as exc:
        raise CliError(f"无法在 {addr} 上启动编辑台：{exc.strerror or exc}（端口可能已被占用，可用 --dev-addr 换一个）") from None


def serve(addr: str, root: Path, content: Path, brands: Path, say: Callable[[str], None]) -> int:
    return run(start(addr, root, content, brands), say)
