"""Whether a URL in a body loads from this site, read the way a browser reads it.

The site promises that readers' browsers call no other origin: an image from another
site tells that site who reads what, and can change after publication. Editors'
spellings that a naive check misses but a browser follows (measured in Chromium):
``\\\\evil.example/x.png`` and ``/\\evil.example/x.png`` (a backslash is a slash in
http(s) URLs), ``/<TAB>/evil.example`` (tab, CR and LF are removed anywhere in a URL),
leading spaces or control characters (stripped), and any scheme (``https:``,
``HTTPS:``, ``https:evil.example`` without slashes). This module mirrors the WHATWG
URL parser for those steps: what is left must be a path on this site.
"""
from __future__ import annotations

import re

# WHATWG URL parser: leading and trailing C0 controls and spaces are stripped,
# ASCII tab and newline removed anywhere, "\" read as "/" for special schemes (http, https).
_EDGES = "".join(chr(c) for c in range(0x21))
_TAB_NEWLINE = re.compile(r"[\t\n\r]")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
# srcset descriptors ("2x", "800w", "1.5x"): not URLs.
_DESCRIPTOR = re.compile(r"^\d+(?:\.\d+)?[wxh]$", re.I)
_SRCSET_SPLIT = re.compile(r"[\s,]+")


def browser_form(url: str) -> str:
    """``url`` as a browser's URL parser sees it before resolving it."""
    return _TAB_NEWLINE.sub("", url.strip(_EDGES)).replace("\\", "/")


def same_site(url: str) -> bool:
    """Whether ``url`` resolves, against any page of the site, to the site's own origin:
    no scheme, no ``//`` host, in the browser's reading."""
    seen = browser_form(url)
    return not seen.startswith("//") and not _SCHEME.match(seen)


def same_site_srcset(value: str) -> bool:
    """Whether every candidate of a ``srcset`` is on this site. Conservative: every
    whitespace- or comma-separated piece that is not a descriptor is judged as a URL,
    and so is every whitespace-separated token whole (a URL may hold commas)."""
    pieces = [p for p in _SRCSET_SPLIT.split(value) if p and not _DESCRIPTOR.match(p)]
    return all(same_site(p) for p in pieces + value.split())


__all__ = ["browser_form", "same_site", "same_site_srcset"]
