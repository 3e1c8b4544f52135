"""How each kind of entity is read from one file: the loaders beside ``core/model.SCHEMAS``.

The graph (content/graph.py) walks the folder of every schema in the registry and hands
each document to its kind's ``Loader``. A kind with no loader of its own is read by
``entities.entity_from``: its schema's fields, the file's name as its id, every required
field present. So a new kind of entity whose rules are its fields needs no code here; a
kind with rules across fields (an article's slug, a notice's attachments) registers its
reader in ``LOADERS``.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Optional

from ..core.schema import Schema
from ..core.settings import Settings
from ..core.problems import Problem
from .assets import AssetIndex
from .entities import article_from, article_made, article_read, brand_from, entity_from, worker_from
from .load import RawDoc
from .notices import notice_with_files
from .topics import topic_from


@dataclass(frozen=True)
class Site:
    """What a loader may need besides the document: settings and the content folder."""

    settings: Settings
    content_dir: Path
    assets: AssetIndex               # files under content/ (attachments, body images)
    content_root: str                # where links under content/ may lead (safety.site_root)


Read = Callable[[RawDoc, str, Site], tuple[Optional[Any], list[Problem]]]


@dataclass(frozen=True)
class Loader:
    """Reads one document (``src_uri`` under its root) into an entity, or None and why."""

    read: Read
    # The live preview keeps the entity of a file that did not change (articles: thousands).
    cached: bool = False
    # A warm build keeps what ``fields`` reads (a function of the document and the time zone
    # alone) in the doc store (derived.py); ``made`` is the entity of it. ``read`` is the two.
    fields: Optional[Callable[[RawDoc, str, Any], tuple[Any, list[Problem]]]] = None
    made: Optional[Callable[[RawDoc, str, Site, Any, list[Problem]], tuple[Optional[Any], list[Problem]]]] = None


def _stem(src_uri: str) -> str:
    return Path(src_uri).stem


LOADERS: dict[str, Loader] = {
    "article": Loader(lambda doc, src, site: article_from(doc, src, site.settings), cached=True,
                      fields=article_read,
                      made=lambda doc, src, site, fields, found: article_made(doc, src, site.settings, fields, found)),
    "brand": Loader(lambda doc, src, site: brand_from(doc, _stem(src), site.settings)),
    "worker": Loader(lambda doc, src, site: worker_from(doc, _stem(src), site.settings)),
    "topic": Loader(lambda doc, src, site: topic_from(doc, _stem(src), site.settings)),
    "notice": Loader(lambda doc, src, site: notice_with_files(doc, src, site.settings, site.content_dir,
                                                              site.assets, site.content_root)),
}


def loader(kind: str) -> Loader:
    """The kind's loader; the schema's own reading when it has none."""
    found = LOADERS.get(kind)
    if found is not None:
        return found
    return Loader(lambda doc, src, site: entity_from(doc, kind, _stem(src), site.settings))


def kept_key(schema: Schema, timezone: str) -> str:
    """What a kept ``Loader.fields`` result was read with besides the document: the time zone
    and the schema's fields by name (a test may give it one more). The file is the doc store
    entry's own: one key for all, which the store's JSON holds once."""
    return f"{schema.kind}|{timezone}|{schema.names_key()}"
