"""What a warm build keeps of a file besides its parse: the values read from it (an article's
fields and problems, what the allow-list removes from its body), as JSON in the doc store.

Reading 10,000 articles' fields again (content/fields.py: dates, lists, slugs) cost a warm
build more than reading their files. The doc store (doc_store.py) keeps each file's parse by
its checksum, for one version of our code; what this code read from that parse is as good,
so it is kept beside it: ``encode`` gives plain JSON values, ``decode`` builds them back.

Nothing is code: no pickle, only a few known classes, each built by its own constructor from
decoded fields. A value is kept only when it comes back equal, of the same types, with the
same time zone (``kept_text``); a kept value that does not decode is read from the file's
parse again.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import json.scanner
from typing import Any, Optional

from ..core.model import GalleryPhoto, Honor
from ..core.print_ref import Area, PrintRef
from ..core.problems import Problem

# The classes a kept value may hold, by name.
_CLASSES: dict[str, type] = {c.__name__: c for c in (GalleryPhoto, Honor, PrintRef, Area, Problem)}
_PLAIN = (str, int, float, bool, type(None))
# json.loads' own scanner, called directly: 20,000 kept values a warm build at 10k articles,
# where loads' checks and its two whitespace matches cost as much as the scan.
_scan = json.scanner.make_scanner(json.JSONDecoder())


class NotKept(ValueError):
    """A value this module does not keep (another type, another time zone)."""


def encode(value: Any, tz: Any) -> Any:
    """``value`` as JSON values: mappings as they are (keys of text, none starting with ``$``),
    tuples, datetimes (in ``tz``) and the known classes as objects of a ``$`` key. Raises
    NotKept for anything else. (No wrapper where none is needed: 10,000 articles' values.)"""
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is list:
        return [encode(v, tz) for v in value]
    if kind is tuple:
        return {"$t": [encode(v, tz) for v in value]}
    if kind is dict:
        if not all(type(k) is str for k in value):
            raise NotKept("keys")
        plain = {k: encode(v, tz) for k, v in value.items()}
        return {"$d": plain} if any(k.startswith("$") for k in value) else plain
    if kind is dt.datetime:
        if value.tzinfo is not tz:
            raise NotKept("zone")
        return {"$dt1" if value.fold else "$dt": value.replace(tzinfo=None).isoformat()}
    if _CLASSES.get(kind.__name__) is kind:
        return {"$c": kind.__name__, "$f": {f.name: encode(getattr(value, f.name), tz)
                                            for f in dataclasses.fields(kind)}}
    raise NotKept(kind.__name__)


def decode(raw: Any, tz: Any) -> Any:
    """What ``encode`` gave, built back (datetimes in ``tz``). Raises ValueError, TypeError or
    KeyError on anything ``encode`` does not give."""
    kind = type(raw)
    if kind in _PLAIN:
        return raw
    if kind is list:      # text (tags, names) as it is: 10,000 articles' fields a build
        return [v if type(v) is str else decode(v, tz) for v in raw]
    if kind is not dict:
        raise ValueError("not an encoded value")
    tag = next(iter(raw), "")
    if not tag.startswith("$"):
        return {k: v if type(v) is str else decode(v, tz) for k, v in raw.items()}
    if len(raw) != (2 if tag == "$c" else 1):
        raise ValueError("not an encoded value")
    if tag == "$t":
        return tuple([decode(v, tz) for v in _list(raw["$t"])])
    if tag == "$d":
        return {str(k): decode(v, tz) for k, v in _dict(raw["$d"]).items()}
    if tag in ("$dt", "$dt1"):
        if type(raw[tag]) is not str:
            raise ValueError("not a datetime")
        return dt.datetime.fromisoformat(raw[tag]).replace(tzinfo=tz, fold=int(tag == "$dt1"))
    if tag != "$c":
        raise ValueError(f"not an encoded value: {tag}")
    cls = _CLASSES[raw["$c"]]
    return cls(**{str(k): decode(v, tz) for k, v in _dict(raw["$f"]).items()})


def kept_text(value: Any, tz: Any) -> Optional[str]:
    """``value`` encoded, as JSON text, if ``from_text`` gives back an equal value of the same
    types (``encode`` takes exact types and one time zone, which ``==`` alone would not
    check); else None: not kept, read again next time.

    Text, not JSON values, in the store: one string per file to hold in memory until it is
    read, instead of a dozen objects (10,000 articles: 14 MB more at the build's peak)."""
    try:
        text = json.dumps(encode(value, tz), ensure_ascii=False, separators=(",", ":"))
        return text if from_text(text, tz) == value else None
    except (ValueError, TypeError, KeyError, RecursionError):
        return None


def from_text(text: Any, tz: Any) -> Any:
    """What ``kept_text`` gave, built back. Raises ValueError, TypeError or KeyError else."""
    if type(text) is not str:
        raise TypeError("not kept text")
    if text == "[]":                # most files' allow-list report: nothing removed
        return []
    try:
        raw, end = _scan(text, 0)
    except StopIteration:
        raise ValueError("not JSON") from None
    if end != len(text):            # kept_text writes one value, no spaces: anything else is not its
        raise ValueError("not one JSON value")
    return decode(raw, tz)


def _list(raw: Any) -> list:
    if type(raw) is not list:
        raise TypeError("not a list")
    return raw


def _dict(raw: Any) -> dict:
    if type(raw) is not dict:
        raise TypeError("not a mapping")
    return raw
