"""Free pages (content/pages/): MkDocs lays them out; we give them their head metadata."""
from __future__ import annotations

from dataclasses import dataclass

from ..text import summary_text
from .base import Kind, Page


@dataclass(frozen=True)
class FreePageData:
    pass


class FreePageKind(Kind[FreePageData]):
    """Not made from the graph (``pages`` yields nothing): MkDocs finds the files."""

    name = "page"
    order = 10


FREE_PAGE = FreePageKind()
KINDS = (FREE_PAGE,)


def free_page(src_uri: str, url: str, title: str, meta: dict, body: str) -> Page[FreePageData]:
    """A free page as a page for its head metadata only.

    Its description is the front matter's ``description`` (MkDocs' and Material's own
    field), else its first paragraph, as an article's summary.
    """
    description = str(meta.get("description") or "").strip() or summary_text(body)
    return FREE_PAGE.page(src_uri, url, title, FreePageData(), description=description)
