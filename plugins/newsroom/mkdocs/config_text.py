"""Text in site_config.yml that cannot be written: lone surrogates.

A YAML escape ``"\\ud800"`` (or an ``!ENV`` variable holding bytes that are not UTF-8)
gives a string no UTF-8 file can hold: every page that prints it would fail to be
written, deep in the build, with an internal error. Found here first, with its line.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Iterator

from ..core.problems import Problem

_SURROGATE = re.compile("[\ud800-\udfff]")
# How a surrogate is written in YAML: \uD800-\uDFFF, or \U0000D800-\U0000DFFF.
_ESCAPE = re.compile(r"\\(?:u|U0000)[dD][89a-fA-F][0-9a-fA-F]{2}")


def _strings(value: Any, depth: int = 0) -> Iterator[str]:
    if depth > 20:
        return
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _strings(key, depth + 1)
            yield from _strings(getattr(item, "config", item), depth + 1)   # plugins: their options
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item, depth + 1)


def surrogate_problems(config: Any, config_file: Path) -> list[Problem]:
    """An error at each line of ``config_file`` that writes a lone surrogate (line 1 if the
    value came from elsewhere, such as ``!ENV``)."""
    if not any(_SURROGATE.search(s) for s in _strings(config)):
        return []
    try:
        lines = config_file.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        lines = []
    found = [n for n, line in enumerate(lines, 1) if _ESCAPE.search(line)] or [1]
    return [Problem(str(config_file), n, "这里的转义写法（如 \\ud800）表示的不是任何文字（单独的代理码位），网页无法保存",
                    "请删掉这个 \\u 转义，直接写出想要的文字") for n in found]


__all__ = ["surrogate_problems"]
