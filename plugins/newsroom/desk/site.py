"""The desk's page (``/admin/index.html``) and, for ``newsroom build``, the whole ``site/admin/``
folder a site that enables the desk publishes.

A built site's desk talks to the forge named in ``site_config.yml`` (``desk:``), never to a
local backend: its ``config.yml`` is made with ``remote=`` (config.py) and has no proxy URL.
Decap needs ``'unsafe-eval'`` (Ajv compiles its config schema with ``new Function``), so the
page carries its own CSP in a ``<meta>`` that applies to /admin/ only; the rest of the site
keeps whatever policy its host sends.
"""
from __future__ import annotations

import html
import shutil
from pathlib import Path
from typing import Iterable, Optional
from urllib.parse import urlsplit

from ..core.files import write_whole
from .manifest import BUNDLE, VENDOR

HERE = Path(__file__).resolve().parent
OWN_FILES = ("newsroom-desk.js", "preview.css", "admin.css")
# What the preview frame loads from the site's theme: Material's stylesheets and ours.
STYLE_PATTERNS = ("main.*.min.css", "palette.*.min.css", "newsroom.css")


def csp(connect: Iterable[str] = ()) -> str:
    """The desk's policy: this origin only, plus the forge's API for a built site's desk."""
    extra = "".join(f" {origin}" for origin in connect)
    return ("default-src 'self'; script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval'; "
            "style-src 'self' 'unsafe-inline'; "
            f"img-src 'self' blob: data:{extra}; connect-src 'self' blob:{extra}; worker-src 'self' blob:; "
            "frame-src 'self' blob:; object-src 'none'; base-uri 'none'; form-action 'none'")


def index_html(style_hrefs: Iterable[str], policy: Optional[str] = None) -> str:
    """``index.html`` with the preview's stylesheets (and, for a built site, its CSP)."""
    lines = [f'<meta name="newsroom-preview-style" content="{html.escape(href)}">' for href in style_hrefs]
    if policy:
        lines.insert(0, f'<meta http-equiv="Content-Security-Policy" content="{html.escape(policy, quote=False)}">')
    return (HERE / "index.html").read_text(encoding="utf-8").replace("{styles}", "\n".join(lines))


def theme_styles(folders: Iterable[Path]) -> dict[str, Path]:
    """The site's stylesheets in the theme folders (custom_dir first, then Material's), by name."""
    found: dict[str, Path] = {}
    folders = list(folders)
    for pattern in STYLE_PATTERNS:
        for folder in folders:
            for path in sorted((folder / "assets" / "stylesheets").glob(pattern)):
                found.setdefault(path.name, path)
    return found


def built_styles(site_dir: Path) -> list[str]:
    """The same stylesheets in a built site, as URLs relative to /admin/."""
    folder = site_dir / "assets" / "stylesheets"
    names = [p.name for pattern in STYLE_PATTERNS for p in sorted(folder.glob(pattern))]
    return [f"../assets/stylesheets/{name}" for name in names]


def forge_origin(base_url: str) -> str:
    parts = urlsplit(base_url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("https", "http") and parts.netloc else ""


def write_admin(site_dir: Path, config_text: str, base_url: str = "") -> Path:
    """``site_dir/admin/``: Decap, our script and styles, ``config.yml`` and ``index.html``."""
    admin = site_dir / "admin"
    shutil.rmtree(admin, ignore_errors=True)
    admin.mkdir(parents=True)
    for path in sorted((VENDOR / BUNDLE).iterdir()):
        if path.is_file():
            shutil.copyfile(path, admin / path.name)
    for name in OWN_FILES:
        shutil.copyfile(HERE / name, admin / name)
    origin = forge_origin(base_url)
    write_whole(admin / "config.yml", config_text.encode("utf-8"))
    page = index_html(built_styles(site_dir), csp([origin] if origin else []))
    write_whole(admin / "index.html", page.encode("utf-8"))
    return admin


__all__ = ["csp", "index_html", "theme_styles", "built_styles", "write_admin", "OWN_FILES"]
