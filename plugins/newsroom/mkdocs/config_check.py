"""Mistakes in site_config.yml, told in Chinese with ``path:line``.

MkDocs validates the configuration itself and logs what it finds in English
("Config value 'site_url': The URL isn't valid ..."). ``collect_mkdocs_errors``
catches those log lines while the configuration loads; ``explain`` turns each
into a Chinese sentence at the line of the setting it names. The newsroom
plugin's own settings (``timezone``) and the menu (``nav``) are checked here
too. Nothing here builds anything.
"""
from __future__ import annotations

import logging
import os
import re
from contextlib import contextmanager
from pathlib import Path, PurePath
from typing import Any, Callable, Iterator, Optional
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..core.problems import ERROR, WARNING, Problem
from ..core.service import read_identity

# What a setting of each type should be, for "Expected type: <class 'int'>" and the like.
_TYPES = {"int": "一个整数（例如 20），不能写汉字或加引号", "bool": "true 或 false", "str": "一段文字"}
# (pattern of MkDocs' message, Chinese explanation); groups are named in the pattern.
_KNOWN = [
    (re.compile(r"Plugin '(?P<plugin>[\w-]+)' option '(?P<option>\w+)': Expected type: <class '(?P<type>\w+)'>"),
     "{plugin} 插件的 {option} 应是{kind}"),
    (re.compile(r"Plugin '(?P<plugin>[\w-]+)' option '(?P<option>\w+)': (?P<detail>.*)"),
     "{plugin} 插件的 {option} 设置有误（{detail}）"),
    (re.compile(r"should include the http:// \(scheme\)|URL isn't valid"),
     "应是完整的网址，以 https:// 开头，例如 https://news.example.cn/"),
    (re.compile(r"Unrecognised configuration name: (?P<name>\S+)"),
     "不认识的设置项 {name}（是不是拼错了？）"),
    (re.compile(r"Expected type: <class '(?P<type>\w+)'>"), "应是{kind}"),
]
_CONFIG_VALUE = re.compile(r"Config value '(?P<key>[^']+)': (?P<detail>.*)", re.S)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[tuple[int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append((record.levelno, record.getMessage()))


@contextmanager
def collect_mkdocs_errors() -> Iterator[list[tuple[int, str]]]:
    """While loading the configuration: MkDocs' warnings and errors, kept from the terminal."""
    handler = _Collect()
    logger = logging.getLogger("mkdocs.config")
    saved = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield handler.messages
    finally:
        logger.removeHandler(handler)
        logger.propagate = saved


def explain(message: str, config_file: Path, level: str = ERROR) -> Problem:
    """One of MkDocs' configuration messages, in Chinese at the line of its setting."""
    m = _CONFIG_VALUE.match(message)
    key, detail = (m.group("key"), m.group("detail")) if m else ("", message)
    text, option = f"{key} 设置有误（{detail}）", ""
    for pattern, chinese in _KNOWN:
        found = pattern.search(detail)
        if found:
            groups = found.groupdict()
            groups["kind"] = _TYPES.get(groups.get("type") or "", f"{groups.get('type')} 类型的值")
            option = groups.get("option") or groups.get("name") or ""
            text = chinese.format(**groups) if option else f"{key} {chinese.format(**groups)}"
            break
    return Problem(str(config_file), setting_line(config_file, option or key), text, level=level)


def yaml_problem(error: Exception, config_file: Path) -> Problem:
    """site_config.yml that is no valid YAML: where, and the usual cause."""
    text = str(error)
    at = re.search(r"line (\d+)", text)
    line = int(at.group(1)) if at else 1
    wide = _full_width_colon_line(config_file)
    if wide:
        return Problem(str(config_file), wide, "冒号写成了全角“：”，YAML 只认半角冒号",
                       "改成半角“:”，冒号后加一个空格")
    reason = text.split("\n")[0].split(": ", 1)[-1]
    return Problem(str(config_file), line, f"YAML 格式有误（{reason}）",
                   "请检查这一行和上一行的冒号、缩进（只能用空格）和引号")


def _full_width_colon_line(config_file: Path) -> Optional[int]:
    return _first_line(config_file, re.compile(r"^\s*(-\s*)?[\w.-]+："))


def setting_line(config_file: Path, key: str) -> int:
    """The line where ``key:`` is set in the file (the first one); 1 if it is not found."""
    if not key:
        return 1
    return _first_line(config_file, re.compile(rf"^\s*(-\s*)?{re.escape(key)}\s*[:：]")) or 1


def _first_line(config_file: Path, pattern: re.Pattern) -> Optional[int]:
    """The number of the file's first line that ``pattern`` matches at its start."""
    try:
        lines = config_file.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    return next((n for n, line in enumerate(lines, 1) if pattern.match(line)), None)


def timezone_problem(name: str, config_file: Path) -> Optional[Problem]:
    """A problem if ``name`` is no IANA time zone (北京时间, +08:00 ...), else None."""
    try:
        ZoneInfo(name)
        return None
    except (ZoneInfoNotFoundError, ValueError):
        return Problem(str(config_file), setting_line(config_file, "timezone"),
                       f"newsroom 插件的 timezone“{name}”不是时区名称", "中国大陆的网站请写 Asia/Shanghai")


_SCRIPT_SCHEME = re.compile(r"(javascript|vbscript|data):", re.I)


def unsafe_nav_links(nav: Any, config_file: Path) -> list[Problem]:
    """An error for each menu entry that would run code or open inline content when clicked
    (``javascript:``, ``vbscript:``, ``data:``), at its line: MkDocs prints menu links as given."""
    problems = []
    for title, target in _nav_entries(nav):
        if isinstance(target, str) and _SCRIPT_SCHEME.match(re.sub(r"[\x00-\x20]+", "", target)):
            where = re.compile(rf".*{re.escape(target.strip())}")
            line = (setting_line(config_file, title) if title else None) or _first_line(config_file, where) or 1
            problems.append(Problem(str(config_file), line,
                                    f"菜单（nav）中的“{title or target[:40]}”链接以“{target.strip().split(':')[0]}:”开头，"
                                    "点击会执行代码，不能用作菜单",
                                    "菜单只能指向本站页面（如 pages/about.md）或 https:// 开头的网址"))
    return problems


def per_page_problem(value: object, config_file: Path) -> Optional[Problem]:
    """A problem unless ``per_page`` is a whole number of at least 1 (MkDocs' type check
    lets 0, negative numbers and true through: true is an int to Python)."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
        return None
    shown = str(value).lower() if isinstance(value, bool) else str(value)
    return Problem(str(config_file), setting_line(config_file, "per_page"),
                   f"newsroom 插件的 per_page（每页文章数）应是 1 或更大的整数，不能是 {shown}",
                   "例如 per_page: 20")


def config_problems(nav: Any, timezone: str, per_page: object, config_file: Path,
                    extra: Any = None) -> list[Problem]:
    """Every mistake in site_config.yml that stops a build before content is read
    (``newsroom`` and plain ``mkdocs build`` both ask here)."""
    found = [timezone_problem(timezone, config_file), per_page_problem(per_page, config_file)]
    return [p for p in found if p] + unsafe_nav_links(nav, config_file) + identity_problems(extra, config_file)


def identity_problems(extra: Any, config_file: Path) -> list[Problem]:
    """The service block and site code of ``extra`` (core/service.py), each mistake at its line."""
    _, mistakes = read_identity(extra)
    return [Problem(str(config_file), _value_line(config_file, m.key, m.value), m.message, m.hint)
            for m in mistakes]


def _value_line(config_file: Path, key: str, value: str) -> int:
    """The line of ``key: value`` (a list item's), else of the first ``key:``."""
    if value:
        found = _first_line(config_file, re.compile(rf"^\s*(-\s*)?{re.escape(key)}\s*:\s*[\"']?{re.escape(value)}"))
        if found:
            return found
    return setting_line(config_file, key)


# Generated sections that exist only once they have content (pages/kinds/topic.py: no topic, no
# /topics/; pages/kinds/epaper.py: no edition, no /epaper/).
SECTIONS_WHEN_FILLED = frozenset({"topics/index.md", "epaper/index.md"})


def missing_nav_pages(nav: Any, exists: Callable[[str], bool]) -> list[tuple[str, str]]:
    """(menu title, path) of each menu entry whose page does not exist."""
    missing: list[tuple[str, str]] = []
    for title, target in _nav_entries(nav):
        if isinstance(target, str) and not re.match(r"^[a-z][a-z0-9+.-]*:|^/|^#", target) and not exists(target):
            missing.append((title, target))
    return missing


def nav_targets(nav: Any) -> set[str]:
    """Every path the menu names, as MkDocs looks it up (``Files.get_file_from_path``), with
    and without a leading "/" (a superset is harmless: those pages are left to MkDocs)."""
    return {PurePath(path).as_posix() for _, target in _nav_entries(nav) if isinstance(target, str)
            for path in (target, target.lstrip("/")) if path}


def without(nav: Any, paths: set[str]) -> Any:
    """The menu without the entries that point at ``paths`` (sections left empty go too)."""
    if isinstance(nav, list):
        kept = [without(item, paths) for item in nav]
        return [item for item in kept if item not in (None, [], {})]
    if isinstance(nav, dict):
        kept_dict = {k: without(v, paths) for k, v in nav.items()}
        return {k: v for k, v in kept_dict.items() if v not in (None, [], {})}
    return None if isinstance(nav, str) and nav in paths else nav


def nav_problem(title: str, path: str, config_file: Path, docs_dir: str) -> Problem:
    if not title and "：" in path:               # "- 关于我们：pages/about.md" is one string to YAML
        title = path.split("：", 1)[0]
        return Problem(str(config_file), setting_line(config_file, title),
                       f"菜单（nav）中的“{path}”用了全角冒号“：”，YAML 把它当成了一个文件名，已从菜单中去掉",
                       "改成半角“:”，冒号后加一个空格", level=WARNING)
    return Problem(str(config_file), setting_line(config_file, title),
                   f"菜单（nav）中的“{title}”指向 {path}，但 {docs_dir}/{path} 不存在，已从菜单中去掉",
                   "请检查文件名", level=WARNING)


def _nav_entries(nav: Any, title: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(nav, list):
        for item in nav:
            yield from _nav_entries(item, title)
    elif isinstance(nav, dict):
        for key, value in nav.items():
            yield from _nav_entries(value, str(key))
    else:
        yield title, nav


def nav_problems(config: Any, missing: list[tuple[str, str]]) -> list:
    """``config_check.nav_problem`` for each missing menu page, with paths as the editor sees them."""
    config_file = Path(config.config_file_path or "mkdocs.yml")
    # A section with nothing in it yet (no topic) has no page: out of the menu, without a warning.
    missing = [(title, path) for title, path in missing if path not in SECTIONS_WHEN_FILLED]
    docs = os.path.relpath(config.docs_dir, config_file.parent)
    if docs.startswith(".."):                     # --content elsewhere: say where
        docs = str(config.docs_dir)
    return [nav_problem(title, path, Path(config_file.name), docs) for title, path in missing]


