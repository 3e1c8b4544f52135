"""An entity's fields in the form a warm build keeps them (doc_store.py, derived.py): only
what differs from the front matter as written and from the model's defaults.

Most of an article's fields are its front matter's text or list as it is (a title, tags):
kept whole, they doubled the doc store's size, and a build read them twice. ``compact``
marks those with one bit each (by their place in the schema's fields, which the store's key
names) and leaves out the model's defaults; ``expanded`` gives the same fields back from the
document's front matter.
"""
from __future__ import annotations

from typing import Any

from ..core.schema import Schema

# The key of the bit mask of fields whose value is the front matter's own (not a field name).
AS_WRITTEN = "="


def compact(schema: Schema, meta: dict[str, Any], fields: dict[str, Any]) -> dict[str, Any]:
    """``fields`` (model attribute -> value) without the model's defaults, those written as
    they are in ``meta`` by their bit."""
    out: dict[str, Any] = {}
    mask = seen = 0
    for bit, f in enumerate(schema.fields()):
        if f.attr not in fields:
            continue
        seen += 1
        if schema.is_default(f.attr, fields[f.attr]):
            continue
        value, raw = fields[f.attr], meta.get(f.name)
        if type(value) is str and type(raw) is str and raw.strip() == value or \
                type(value) is list and type(raw) is list and raw == value and all(type(v) is str for v in raw):
            mask |= 1 << bit
        else:
            out[f.attr] = value
    if seen != len(fields):         # not a field of the schema: kept as it is
        attrs = {f.attr for f in schema.fields()}
        out.update({k: v for k, v in fields.items() if k not in attrs})
    if mask:
        out[AS_WRITTEN] = mask
    return out


def expanded(schema: Schema, meta: dict[str, Any], kept: dict[str, Any]) -> dict[str, Any]:
    """The fields ``compact`` took (the model's defaults left to the model)."""
    fields = dict(kept)
    for name, attr in _as_written(schema, fields.pop(AS_WRITTEN, 0)):
        raw = meta[name]
        if type(raw) is not str and type(raw) is not list:
            raise TypeError(f"{name} is not as written")
        fields[attr] = raw.strip() if type(raw) is str else list(raw)
    return fields


# Per schema's fields (the tuple itself, held): per mask, the (front-matter key, attribute)
# of its bits' fields. ``expanded`` runs for 10,000 articles a warm build, most of them with
# one of a few masks, and ``F.name`` is a property.
_MASKS: dict[int, tuple[tuple, dict[int, tuple[tuple[str, str], ...]]]] = {}


def _as_written(schema: Schema, mask: Any) -> tuple[tuple[str, str], ...]:
    every = schema.fields()
    known = _MASKS.get(id(every))
    if known is None or known[0] is not every:
        known = _MASKS[id(every)] = (every, {})
    found = known[1].get(mask) if type(mask) is int else None
    if found is None:
        if type(mask) is not int or mask < 0 or mask >> len(every):
            raise ValueError("not a mask of this schema's fields")
        found = known[1][mask] = tuple((f.name, f.attr) for bit, f in enumerate(every) if mask >> bit & 1)
    return found
