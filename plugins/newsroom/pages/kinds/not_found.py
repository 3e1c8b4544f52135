"""The 404 page: theme/404.html, rendered once by MkDocs as a static template.

It has no data and no context from us (``nr`` and ``spec`` are undefined there:
partials/seo.html falls back to the site's feeds), and is never in the sitemap.
"""
from __future__ import annotations

from .base import Kind


class NotFoundKind(Kind[None]):
    name = "404"
    template = "404.html"
    order = 11
    in_sitemap = False


KINDS = (NotFoundKind(),)
