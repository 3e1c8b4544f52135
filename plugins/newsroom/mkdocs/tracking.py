"""Which values templates looked for outside their data: a check for tests and theme work.

``NEWSROOM_TRACK_READS=<file>`` makes the build's Jinja environment use
``TrackingUndefined``: each time a template uses a value it looked up on one of our
objects (``nr``, ``spec``, a page's data, a card) and did not find, one line
``Type.name`` is appended to the file. Templates may read only their page's data and
``nr``'s pure helpers (``head``, ``image_size``), so ``nr.graph``, or a field a kind's
data does not have, shows up there. Lookups on MkDocs' and Material's own objects
are left alone (also through our subclasses): their templates test many optional values.
"""
from __future__ import annotations

from typing import Any

from jinja2 import Undefined
from jinja2.utils import missing

ENV_VAR = "NEWSROOM_TRACK_READS"


def tracking_undefined(log_path: str) -> type[Undefined]:
    """An Undefined class that appends what was looked for to ``log_path``."""

    class TrackingUndefined(Undefined):
        __slots__ = ()

        def _record(self) -> None:
            owner = self._undefined_obj
            if owner is missing or not _ours(type(owner)):
                return
            with open(log_path, "a", encoding="utf-8") as log:
                log.write(f"{type(owner).__name__}.{self._undefined_name}\n")

        def _fail_with_undefined_error(self, *args: Any, **kwargs: Any) -> Any:
            self._record()
            return super()._fail_with_undefined_error(*args, **kwargs)

        def __str__(self) -> str:
            self._record()
            return super().__str__()

        def __iter__(self) -> Any:
            self._record()
            return super().__iter__()

        def __bool__(self) -> bool:
            self._record()
            return super().__bool__()

        def __len__(self) -> int:
            self._record()
            return super().__len__()

    return TrackingUndefined


def _ours(cls: type) -> bool:
    """A newsroom class that is not one of MkDocs' (SharedMarkdownPage is MkDocs' Page:
    Material looks for optional attributes on it, such as ``page.encrypted``)."""
    return cls.__module__.startswith("newsroom.") and not any(
        c.__module__.startswith(("mkdocs.", "material.")) for c in cls.__mro__)
