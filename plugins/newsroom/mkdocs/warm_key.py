"""What a warm build's cache is valid for: the global key and the code's version.

``global_key``: everything every page depends on besides its own data (our code, the
versions of MkDocs, Material and the Markdown libraries, Python's, the theme folder, free
pages, site_config.yml and the configuration MkDocs made of it, the settings, the menu's
titles). Another key and the build cache's pages, feeds and sitemaps are not reused
(mkdocs/warm.py). ``code_version``: what a file's parse depends on besides its bytes
(content/doc_store.py), and the article pages' inputs (pages/kinds/kept.py).
"""
from __future__ import annotations

import functools
import hashlib
import os
import stat
import sys
from pathlib import Path
from typing import Any, Iterable, Mapping, Optional

from ..core.sealed import stable_hash
from .warm_store import file_sha256


def global_key(config: Any, plugin: Any, in_nav: set[str]) -> str:
    """What every page depends on, besides its own data."""
    from importlib import metadata

    versions = []
    for dist in ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "nh3", "jinja2"):
        try:
            versions.append((dist, metadata.version(dist)))
        except metadata.PackageNotFoundError:
            versions.append((dist, ""))
    here = Path(__file__).resolve().parent.parent
    theme = Path(config.theme.custom_dir) if config.theme.custom_dir else None
    pages = Path(config.docs_dir) / "pages"
    nav = tuple((src, plugin.specs[src].title) for src in sorted(in_nav) if src in plugin.specs)
    return stable_hash((
        "newsroom-warm-1", sys.version, tuple(versions),
        _tree_sha(here, (".py", ".html", ".js", ".css")),
        _tree_sha(theme, None) if theme else "",
        _tree_sha(pages, None),
        file_sha256(Path(config.config_file_path)) if config.config_file_path else "",
        _stable({k: v for k, v in config.items() if k not in ("site_dir", "plugins")}),
        _stable(dict(plugin.config)), repr(plugin.settings_from(config)),
        os.environ.get("NEWSROOM_SHELLS", "1"), nav))


@functools.cache
def code_version() -> str:
    """Our code, Python's and PyYAML's versions: what a file's parse depends on besides its bytes.
    Once per process (a ``newsroom build`` is one build; the doc store and the article pages
    asked each, 150 files read and hashed each time): the code this process runs is the code
    it imported."""
    import yaml

    here = Path(__file__).resolve().parent.parent
    return stable_hash(("newsroom-docs-1", sys.version, yaml.__version__, _tree_sha(here, (".py",))))


def _tree_sha(top: Optional[Path], suffixes: Optional[Iterable[str]]) -> str:
    """One digest of every file under ``top`` (names and bytes), in a stable order."""
    if top is None or not top.is_dir():
        return ""
    wanted = tuple(suffixes) if suffixes else None
    digest = hashlib.sha256()
    for folder, _, names in sorted(os.walk(top)):
        for name in sorted(names):
            if wanted and not name.endswith(wanted):
                continue
            path = Path(folder, name)
            digest.update(os.fsencode(path.relative_to(top).as_posix()) + b"\0")
            try:
                if not stat.S_ISREG(path.stat().st_mode):   # a FIFO would block the read
                    digest.update(b"!")
                    continue
                digest.update(file_sha256(path).encode())
            except OSError:
                digest.update(b"?")
    return digest.hexdigest()


def _stable(value: Any) -> str:
    """``repr`` with sets and mappings in a sorted order (a set's order changes between processes)."""
    if isinstance(value, (set, frozenset)):
        return "{" + ", ".join(sorted(map(_stable, value))) + "}"
    if isinstance(value, Mapping) or type(value).__name__ == "Theme":    # MkDocs' Theme: a mapping
        items = sorted((repr(k), _stable(value[k])) for k in value)
        extra = (value.name, _stable(value.dirs), _stable(value.static_templates)) if hasattr(value, "dirs") else ()
        return f"{type(value).__name__}{extra}{{" + ", ".join(f"{k}: {v}" for k, v in items) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(map(_stable, value)) + "]"
    return repr(value)
