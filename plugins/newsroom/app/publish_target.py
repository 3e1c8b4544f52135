"""Which folders ``newsroom build`` may fill: checked before anything is touched.

The published site is replaced as a whole, so a wrong ``--site-dir`` (``content``,
``.``, ``..``, ``~``, ``/etc``) would delete what it names. A target is refused when it
is, holds or lies inside the content, brands or theme folder; when it is or holds the
config's folder, a repository root, the home folder or ``/``; and when it already holds
files but no sign that a build made it (``MARKER``, or the search manifest of the sites
built before the marker existed). Nothing here writes anything.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Optional

from ..search import BUNDLE as SEARCH_BUNDLE
from ..search.bundle import MANIFEST as SEARCH_MANIFEST

MARKER = ".newsroom-site"        # written into every site a build publishes
MARKER_TEXT = "本文件夹由 newsroom build 生成，每次生成会整体替换其中的内容。\n"


class PublishError(Exception):
    """The site cannot be published there: said in Chinese, nothing was changed."""


@dataclass(frozen=True)
class Sources:
    """The folders a build reads, which its output must never touch."""
    config_dir: Path
    content: Path
    brands: Path
    theme: Optional[Path] = None


def check_target(site: Path, sources: Sources) -> None:
    """Raise ``PublishError`` unless ``site`` (resolved) is safe to replace."""
    for label, folder in _ancestors_to_keep(sources):
        if _within(folder, site):
            raise PublishError(_refusal(site, f"{_relation(site, folder)}{label} {folder}，生成网站会把它整个替换掉"))
    for label, folder in _inputs(sources):
        if _within(site, folder) or _within(folder, site):
            inside = "之内" if _within(site, folder) and site != folder else ""
            raise PublishError(_refusal(site, f"{_relation(site, folder)}{label} {folder}{inside}，"
                                              "生成网站会覆盖或删除其中的文件"))
    if site.exists() and not site.is_dir():
        raise PublishError(_refusal(site, "是一个文件，不是文件夹"))
    if site.is_dir() and not looks_built(site) and any(site.iterdir()):
        raise PublishError(f"输出目录 {site} 里已有文件，但不像是 newsroom 生成的网站；为免误删，网站没有生成。"
                           "请先清空这个文件夹，或用 --site-dir 换一个新的输出目录。")


def looks_built(site: Path) -> bool:
    """A site a build published: our marker, or (built before the marker existed) our own
    search manifest in the bundle. A bare ``pagefind/`` is no proof: Pagefind's own source
    repository and any Hugo or Astro site using Pagefind have one."""
    return (site / MARKER).is_file() or (site / SEARCH_BUNDLE / SEARCH_MANIFEST).is_file()


def _relation(site: Path, folder: Path) -> str:
    if site == folder:
        return "就是"
    return "包含" if _within(folder, site) else "位于"


def _refusal(site: Path, why: str) -> str:
    return (f"输出目录 {site} {why}；网站没有生成，什么都没有改动。"
            "请在 site_config.yml 的 site_dir 或用 --site-dir 另选一个单独的输出目录（通常是网站目录下的 site/）。")


def _inputs(sources: Sources) -> Iterator[tuple[str, Path]]:
    yield "文章目录", sources.content.resolve()
    yield "品牌目录", sources.brands.resolve()
    if sources.theme is not None:
        yield "主题目录", sources.theme.resolve()


def _ancestors_to_keep(sources: Sources) -> Iterator[tuple[str, Path]]:
    config_dir = sources.config_dir.resolve()
    yield "站点配置所在的文件夹", config_dir
    for start in (config_dir, Path.cwd().resolve()):
        root = _repository_root(start)
        if root is not None:
            yield "代码仓库", root
    try:
        yield "用户主目录", Path.home().resolve()
    except RuntimeError:                 # no home folder known: nothing to protect there
        pass
    yield "根目录", Path(Path.cwd().anchor or "/")


def _repository_root(start: Path) -> Optional[Path]:
    """The nearest folder at or above ``start`` that holds ``.git`` (a folder or a worktree file)."""
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return None


def _within(inner: Path, outer: Path) -> bool:
    """``inner`` is ``outer`` or lies inside it (both resolved)."""
    return inner == outer or outer in inner.parents
