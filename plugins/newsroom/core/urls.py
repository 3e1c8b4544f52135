"""URL rules: where each page, feed and file lives, relative and absolute."""
from __future__ import annotations

import functools
from pathlib import Path
from typing import Optional
from urllib.parse import quote

from . import names
from .settings import Settings
from .terms import TERM_BY_KIND


def free_page_url(src_uri: str) -> str:
    """The URL of a free page under content/pages/: pages/about.md -> about/, pages/index.md -> ''."""
    rest = src_uri.removeprefix("pages/").removesuffix(".md")
    if rest == "index" or rest.endswith("/index"):
        rest = rest[: -len("index")].rstrip("/")
    return f"{rest}/" if rest else ""


FALLBACK_ICON = "assets/images/favicon.png"   # Material's default favicon, always in site/


_SAFE = "/%:@&=+$,;~!*'()#?"


def abs_url(settings: Settings, url: str) -> str:
    """A site-root-relative URL (``news/2021/12/x/``) as an absolute one, percent-encoded."""
    return join_site_url(settings.site_url, url)


def join_site_url(site_url: str, url: str) -> str:
    base = site_url if site_url.endswith("/") else site_url + "/"
    return base + quote(url.lstrip("/"), safe=_SAFE)


def publisher_logo_path(settings: Settings) -> str:
    return settings.publisher_logo.lstrip("/") if settings.publisher_logo else FALLBACK_ICON


def publisher_logo(settings: Settings, site_dir: Optional[Path] = None) -> str:
    """The publisher's logo (absolute), else the site icon: never empty, never "None".

    Given the built site, a configured logo that is not in it falls back to the icon.
    """
    path = publisher_logo_path(settings)
    if site_dir is not None and not (site_dir / path).is_file():
        path = FALLBACK_ICON
    return abs_url(settings, path)


# Pure in (kind, name); every article page links its terms, and quoting them again on
# each preview save cost 0.5 s at 10,000 articles. An unsafe name raises, and is not cached.
@functools.lru_cache(maxsize=65536)
def term_url(kind: str, name: str) -> str:
    """Percent-encoded, as MkDocs writes every URL: tags/%E5%BF%97.../

    The segment is ``names.term_segment``; the validator reports names that have no
    safe one, so one reaching here is a bug: it stops rather than write outside tags/.
    """
    folder = TERM_BY_KIND[kind].folder
    problem = names.term_problem(name)
    if problem:
        raise ValueError(f"unsafe {kind} name {name!r} reached the views: {problem}")
    return f"{folder}/{quote(names.term_segment(name))}/"




def notice_category_url(category: str) -> str:
    """A notice category's listing: notices/%E9%80%9A%E7%9F%A5/ (categories are a closed list)."""
    return f"notices/{quote(names.term_segment(category))}/"
