"""The images a page's data names: the fields that hold them (``IMAGE_FIELDS``) and the one
walker that finds them (``image_names``), for the two questions a changed image asks.

Pages write each image's own width and height (and its variants' names), which no digest
holds: when an editor replaces an image under the same name, the pages showing it render
again. ``digest.showing`` asks each page's data which files it names; a warm build first asks
the graph's articles (``kinds/kept.naming``), so as not to make 10,000 article views.

Page data is frozen dataclasses, tuples and plain values only: ``digest.fingerprint`` refuses
anything else (TypeError) on every page of every clean build and preview, so no image a page
shows sits in a list, set or dict of its data, where a walker of tuples alone would miss it.
Model objects (an article, its brands, workers and gallery) hold lists and dicts: the walker
goes through both kinds, with one cost model (each type's shape found once, plain values left
out by their type in C, each dataclass object walked once).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import operator
from typing import Any, Callable, Union

# The fields of pages' data, and of the model objects they are made from, that hold an image's
# path (under content/, or brands/ for a logo): lead images and gallery photos, brands' logos,
# workers' photos, topics' banners (a topic's page, the topics' index and the home page's cards
# show it at its width and height), print pages' scans.
IMAGE_FIELDS = frozenset({"image", "logo", "photo", "banner"})

_NONE: frozenset[str] = frozenset()
_PLAIN = frozenset({str, int, float, bool, type(None), dt.date, dt.datetime})
_SKIP, _ITEMS, _VALUES = "skip", "items", "values"
# A dataclass's shape: its fields in IMAGE_FIELDS, and a getter of its other fields' values (a tuple).
_Fields = tuple[tuple[str, ...], Callable[[Any], tuple]]
# type -> _SKIP (names no image), _ITEMS (list, tuple, set), _VALUES (dict) or a dataclass's _Fields.
_HOW: dict[type, Union[str, _Fields]] = dict.fromkeys(_PLAIN, _SKIP)


def image_names(value: Any, memo: dict[int, frozenset[str]]) -> frozenset[str]:
    """Every text in a field named in ``IMAGE_FIELDS`` of ``value``, however deep: through its
    lists, tuples, sets, dicts' values and dataclasses (not a string inside a list in such a
    field: none is an image). More than a page may show: a file named here may be shown.

    ``memo``: each dataclass object's answer, by ``id`` (the cards 4,900 listing pages share,
    the brands and workers of 10,000 articles): the caller keeps the objects alive while it
    keeps the memo, so an id found there is that very object, in a container too."""
    how = _HOW.get(type(value))
    if how is None:
        how = _how(type(value))
    if how is _SKIP:
        return _NONE
    if how is _ITEMS or how is _VALUES:
        deeper = [v for v in (value if how is _ITEMS else value.values()) if type(v) not in _PLAIN]
        if not deeper:
            return _NONE
        found = list(map(memo.get, map(id, deeper)))        # a listing's cards: walked already
        if None in found:
            found = [image_names(v, memo) for v in deeper]
        return _NONE.union(*found)
    found = memo.get(id(value))
    if found is None:
        images, others = how
        out: set[str] = set()
        for name in images:
            item = getattr(value, name)
            out |= {item} if isinstance(item, str) else image_names(item, memo)
        # Plain values and empty containers are left out before the call (most of an article's
        # ~40 fields). A dataclass object is truthy: none of ours has __bool__ or __len__.
        for item in [v for v in others(value) if type(v) not in _PLAIN and v]:
            out |= image_names(item, memo)
        found = memo[id(value)] = frozenset(out)
    return found


def _how(kind: type) -> Union[str, _Fields]:
    how: Union[str, _Fields]
    if issubclass(kind, (str, int, float, dt.date, type(None))):
        how = _SKIP
    elif issubclass(kind, (list, tuple, set, frozenset)):
        how = _ITEMS
    elif issubclass(kind, dict):
        how = _VALUES
    elif dataclasses.is_dataclass(kind):
        names = [f.name for f in dataclasses.fields(kind)]
        others = [n for n in names if n not in IMAGE_FIELDS]
        how = (tuple(n for n in names if n in IMAGE_FIELDS),
               operator.attrgetter(*others) if len(others) > 1 else
               (lambda v, get=operator.attrgetter(*others): (get(v),)) if others else (lambda v: ()))
    else:
        how = _SKIP
    _HOW[kind] = how
    return how
