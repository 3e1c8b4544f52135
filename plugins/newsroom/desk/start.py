"""From the site's folders to a running desk: the paths Decap will use, the config, the server."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Callable, Iterable

from ..core.model import SCHEMAS
from ..core.problems import CliError
from .backend import Folders
from .config import config_yaml, desk_config
from .site import theme_styles
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


def kinds(content: str, brands: str) -> tuple[tuple[str, str], ...]:
    """Which schema the files under each folder follow (the schemas say where they live)."""
    out = []
    for kind, schema in SCHEMAS.items():
        top = brands if schema.root == "brands" else content
        out.append(("/".join(part for part in (top, schema.folder) if part), kind))
    return tuple(sorted(out, key=lambda pair: -len(pair[0])))      # the longest folder wins


def make_desk(root: Path, content: Path, brands: Path, timezone: str = "Asia/Shanghai",
              theme_dirs: Iterable[Path] = ()) -> Desk:
    content_rel = _inside(content, root, "文章目录")
    brands_rel = _inside(brands, root, "品牌目录")
    folders = Folders(Path(os.path.realpath(root)), (Path(os.path.realpath(content)), Path(os.path.realpath(brands))),
                      kinds(content_rel, brands_rel), timezone)
    return Desk(folders, config_yaml(desk_config(content_rel, brands_rel)), tuple(theme_styles(theme_dirs).items()))


def start(addr: str, root: Path, content: Path, brands: Path, timezone: str = "Asia/Shanghai",
          theme_dirs: Iterable[Path] = ()) -> DeskServer:
    """The server, bound and ready (``serve_forever`` not yet called)."""
    try:
        host, port = parse_addr(addr)
    except AddressError as exc:
        raise CliError(str(exc)) from None
    desk = make_desk(root, content, brands, timezone, theme_dirs)
    try:
        return DeskServer(host, port, desk)
    except OSError as exc:
        raise CliError(f"无法在 {addr} 上启动编辑台：{exc.strerror or exc}（端口可能已被占用，可用 --dev-addr 换一个）") from None


def serve(addr: str, root: Path, content: Path, brands: Path, say: Callable[[str], None],
          timezone: str = "Asia/Shanghai", theme_dirs: Iterable[Path] = ()) -> int:
    return run(start(addr, root, content, brands, timezone, theme_dirs), say)
