"""One schema per entity: every front-matter field declared once.

A field is declared where the model keeps its value: ``core/model.py`` writes
``kicker: str = fm(F("text", zh="引题", ...), "")``. ``Schema.fields()`` reads the
declarations back, in the order they are written, and everything else is derived
from them:

- validation: the field tables, required fields, labels and aliases (``content/fields.py``)
  and the readers (``content/entities.py``);
- ``newsroom new``: the skeleton of a new file (``app/scaffold.py``);
- the search record's text (``search/records.py``);
- the desk's forms (issue 17): ``Schema.export()``.
"""
from __future__ import annotations

import dataclasses
from dataclasses import MISSING, dataclass
from typing import Any, Callable, Optional

# The value types a field can have; each is read by the ``content.fields.Reader``
# method of the same name (``path`` is read as text). The desk maps each one to
# a widget of its CMS: a type without a widget cannot be edited in the browser.
DESK_WIDGETS = {
    "text": "string",
    "list": "list",
    "datetime": "datetime",
    "bool": "boolean",
    "path": "image",
    "year": "number",
    "honors": "list",
    "gallery": "list",              # an article's photos: [{image, caption, credit}]
    "sections": "list",             # a topic's sub-columns: {title, tags, articles}
    "attachments": "list",          # notices: [{file, title}], read by content/notices.py
}
SEARCH_PARTS = ("head", "prose", "meta")
# ``newsroom new`` aligns a field's comment at this column.
_COMMENT_COLUMN = 24


@dataclass(frozen=True)
class F:
    """One front-matter field.

    ``new``: the line ``newsroom new`` writes, a ``str.format`` template over
    ``title``, ``date`` and ``id``. ``""`` (the default) derives it from the key and
    the label (``duty:                   # 职务``); ``None`` leaves the field out.

    ``search``: ``(part, position)`` in the search record's text (``SEARCH_PARTS``).
    Fields with the same slot are one line (reporters and correspondents). A
    reference field's line holds the names of the entities it resolved to.
    """

    type: str                       # a key of DESK_WIDGETS
    zh: str                         # the Chinese label: messages, the desk's forms
    key: str = ""                   # front-matter key, when it is not the attribute's name
    required: bool = False
    aliases: tuple[str, ...] = ()   # words editors reach for instead of the key
    ref: str = ""                   # the entity kind a reference names: "brand" | "worker"
    new: Optional[str] = ""
    search: tuple = ()
    listed: bool = False            # shown wherever the entity is listed (listings, related, feeds)
    hint: str = ""                  # the desk's help line under the field
    # Messages named these fields by their key alone before the schema existed;
    # False keeps `newsroom check` byte-identical. New fields leave it True.
    zh_in_messages: bool = True
    attr: str = ""                  # the model attribute: filled in by Schema.fields()

    @property
    def name(self) -> str:
        """The front-matter key."""
        return self.key or self.attr

    def new_line(self) -> Optional[str]:
        if self.new is None or self.new:
            return self.new
        blank = f"{self.name}: []" if self.type in ("list", "honors", "gallery") else f"{self.name}:"
        return blank.ljust(_COMMENT_COLUMN - 1) + f" # {self.zh}"


def fm(spec: F, default: Any = MISSING, *, default_factory: Callable[[], Any] | Any = MISSING) -> Any:
    """A model attribute read from front matter (a dataclass field carrying ``spec``)."""
    return dataclasses.field(default=default, default_factory=default_factory, metadata={"nr": spec})


@dataclass(frozen=True)
class Schema:
    """The front matter of one kind of entity: the model's ``fm`` fields, in order."""

    kind: str                       # article, brand, worker, page
    zh: str                         # 文章, 品牌 …: in messages
    model: type
    new_body: str = ""              # the body ``newsroom new`` writes under the front matter

    def __post_init__(self) -> None:
        # Read once: every document of the site asks for them.
        fields = tuple(dataclasses.replace(f.metadata["nr"], attr=f.name)
                       for f in dataclasses.fields(self.model) if "nr" in f.metadata)
        object.__setattr__(self, "_fields", fields)
        object.__setattr__(self, "_by_key", {f.name: f for f in fields})

    def fields(self) -> tuple[F, ...]:
        return self._fields          # type: ignore[attr-defined]

    def field(self, name: str) -> Optional[F]:
        """The field with this front-matter key, if the kind has one."""
        return self._by_key.get(name)    # type: ignore[attr-defined]

    def table(self) -> dict[str, str]:
        """Front-matter key -> type, in order: the fields a file of this kind may have."""
        return {f.name: f.type for f in self.fields()}

    def required(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields() if f.required)

    def label(self, name: str) -> str:
        """How messages name a field after its key: “kicker”（引题）."""
        f = self.field(name)
        return f.zh if f is not None and f.zh_in_messages else name

    def skeleton(self) -> str:
        """The ``str.format`` template of a new file (``newsroom new``)."""
        lines = (f.new_line() for f in self.fields())
        return "---\n" + "".join(f"{line}\n" for line in lines if line is not None) + f"---\n\n{self.new_body}\n"

    def search_slots(self, part: str) -> list[list[F]]:
        """The fields in one part of the search record, grouped by position."""
        slots: dict[int, list[F]] = {}
        for f in self.fields():
            if f.search and f.search[0] == part:
                slots.setdefault(f.search[1], []).append(f)
        return [slots[position] for position in sorted(slots)]

    def export(self) -> dict:
        """What the desk (issue 17) builds its CMS forms from."""
        return {"kind": self.kind, "zh": self.zh, "fields": [
            {"key": f.name, "type": f.type, "widget": DESK_WIDGETS[f.type], "zh": f.zh,
             "required": f.required, "ref": f.ref, "hint": f.hint, "aliases": list(f.aliases)}
            for f in self.fields()]}
