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

from .sealed import stable_hash

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
    "print": "object",              # an article's print: {edition, page, area}, read by content/print_field.py
}
SEARCH_PARTS = ("head", "prose", "meta")
# What a field is in a feed item (outputs/feeds.py), ``F.feed``:
FEED_ROLES = {
    "kicker": "引题: a line opening the description and the content, a key of JSON Feed's _newsroom",
    "subhead": "副题: the same, printed after a dash",
    "byline": "people: each an author (dc:creator) with the field's label as role (记者 某某); in _newsroom",
    "author": "an author as written (a notice's issuer)",
    "fact": "a line 「label：value」 opening the description and the content; in _newsroom, even empty",
    "extension": "a key of _newsroom, even empty",
    "category": "its values (a reference's names) are the item's categories",
    "summary": "the description, when it has a value (else the body's first sentences)",
    "image": "the item's image: media:content, the enclosure, a figure opening the content",
    "caption": "the image's caption (media:description, the figure's caption)",
    "credit": "the image's credit (media:credit, the figure's caption)",
}
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
    facet: str = ""                 # a search filter it fills: "brand" | "region" | "category"
    feed: tuple[str, ...] = ()      # what it is in a feed item: keys of FEED_ROLES
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
    # Where editors keep its files: ``folder`` under ``root`` (the content folder, or the
    # brands folder). The graph walks it, ``newsroom new`` writes into it, and free pages
    # may not take its name (``core/ids.generated_folders``).
    folder: str = ""                # news, workers …; "" is the root itself (brands/)
    root: str = "content"           # "content" | "brands"
    # "flat": <folder>/<id>.md, the id is the file's name (a file in a sub-folder is an error);
    # "dated": <folder>/<year>/<slug>.md, a slug made from the title (articles, notices);
    # "tree": any depth, MkDocs renders the file (free pages).
    layout: str = "flat"
    urls: Optional[str] = None      # the first folder of its pages' URLs; None: ``folder or root``
    new: bool = True                # ``newsroom new <kind>`` makes one
    unique_name: bool = False       # two with one ``name`` are an error (brands)
    # Search (search/shards.py): "" not searched; "entities": in the shard of named entities
    # (brands, workers); "years": shards of its own by year, keys ending in ``shard``.
    search: str = ""
    shard: str = ""

    def __post_init__(self) -> None:
        # Read once: every document of the site asks for them.
        fields = tuple(dataclasses.replace(f.metadata["nr"], attr=f.name)
                       for f in dataclasses.fields(self.model) if "nr" in f.metadata)
        object.__setattr__(self, "_fields", fields)
        object.__setattr__(self, "_by_key", {f.name: f for f in fields})
        # Feeds and the graph ask per entity, 10,000 times a save: the fields of one type, and
        # the references, in order.
        by_type: dict[str, tuple[F, ...]] = {}
        for f in fields:
            by_type[f.type] = (*by_type.get(f.type, ()), f)
        object.__setattr__(self, "_by_type", by_type)
        object.__setattr__(self, "_refs", tuple(f for f in fields if f.ref))
        object.__setattr__(self, "_by_role", {})     # with_role's, as asked for
        # Every file of the kind is checked against these (10,000 articles a build).
        object.__setattr__(self, "_table", {f.name: f.type for f in fields})
        object.__setattr__(self, "_required", tuple(f.name for f in fields if f.required))
        object.__setattr__(self, "_without", {})     # fields_without's, as asked for
        # What a warm build's kept fields were read with (content/entity_kinds.kept_key).
        object.__setattr__(self, "_names_key", stable_hash(tuple(f.attr for f in fields))[:16])
        # The model's own defaults, to compare with (content/kept_fields.py leaves them out).
        object.__setattr__(self, "_defaults", {
            f.name: f.default if f.default is not MISSING else f.default_factory()  # type: ignore[misc]
            for f in dataclasses.fields(self.model)
            if f.default is not MISSING or f.default_factory is not MISSING})

    @property
    def url_folder(self) -> str:
        """The first folder of its pages' URLs ('' when they start at the site's root)."""
        return (self.folder or self.root) if self.urls is None else self.urls

    @property
    def home(self) -> str:
        """Its folder as editors name it: content/workers/, brands/."""
        return "/".join(part for part in (self.root, self.folder) if part) + "/"

    @property
    def dated(self) -> bool:
        return self.layout == "dated"

    def fields(self) -> tuple[F, ...]:
        return self._fields          # type: ignore[attr-defined]

    def of_type(self, type_: str) -> tuple[F, ...]:
        """Its fields of one type (``path``, ``gallery``, ``attachments`` …), in order."""
        return self._by_type.get(type_, ())     # type: ignore[attr-defined]

    def items_of(self, type_: str, entity: Any) -> list:
        """Every item of the entity's list fields of one type (a gallery's photos, attachments), in order."""
        return [item for f in self.of_type(type_) for item in getattr(entity, f.attr)]

    def field(self, name: str) -> Optional[F]:
        """The field with this front-matter key, if the kind has one."""
        return self._by_key.get(name)    # type: ignore[attr-defined]

    def table(self) -> dict[str, str]:
        """Front-matter key -> type, in order: the fields a file of this kind may have."""
        return dict(self._table)      # type: ignore[attr-defined]

    def required(self) -> tuple[str, ...]:
        return self._required         # type: ignore[attr-defined]

    def names_key(self) -> str:
        """A digest of its fields' attribute names, in order (a schema with one more field differs)."""
        return self._names_key       # type: ignore[attr-defined]

    def is_default(self, attr: str, value: Any) -> bool:
        """Whether the model's own default for ``attr`` is ``value``, of the same type."""
        default = self._defaults.get(attr, MISSING)     # type: ignore[attr-defined]
        return type(default) is type(value) and default == value

    def fields_without(self, names: tuple[str, ...]) -> tuple[F, ...]:
        """Its fields but those with these front-matter keys, in order (the same tuple each time)."""
        found = self._without.get(names)     # type: ignore[attr-defined]
        if found is None:
            found = self._without[names] = tuple(f for f in self.fields() if f.name not in names)  # type: ignore[attr-defined]
        return found

    def label(self, name: str) -> str:
        """A field's Chinese label (引题), or its key when the kind has no such field."""
        f = self.field(name)
        return f.zh if f is not None else name

    def named(self, name: str) -> str:
        """How every message names a field: its key, then its label, “kicker”（引题）."""
        return f"“{name}”（{self.label(name)}）"

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

    def title(self, entity: Any) -> str:
        """What the entity is called: its first ``head`` search field (title, name)."""
        return getattr(entity, self.search_slots("head")[0][0].attr)

    def with_role(self, role: str) -> tuple[F, ...]:
        """The fields with this feed role (``FEED_ROLES``), in order (feeds ask per item, per role)."""
        found = self._by_role.get(role)      # type: ignore[attr-defined]
        if found is None:
            found = self._by_role[role] = tuple(f for f in self.fields() if role in f.feed)  # type: ignore[attr-defined]
        return found

    def entry(self, entity: Any) -> tuple:
        """Everything the entity's front matter says, as one comparable value (its URL, each
        field's value; a reference, the ids and names it resolved to): equal entries, equal
        feed items (outputs/feeds.py keeps items between the preview's saves by it)."""
        return (entity.url, *(_entry_value(f, entity) for f in self.fields()))

    def refs(self, entity: Any) -> tuple:
        """The references' part of ``entry``: all of it that the same entity object (a file
        read once, kept by the live preview) can show differently on another load."""
        return tuple(_entry_value(f, entity) for f in self._refs)     # type: ignore[attr-defined]

    def export(self) -> dict:
        """What the desk (issue 17) builds its CMS forms from."""
        return {"kind": self.kind, "zh": self.zh, "fields": [
            {"key": f.name, "type": f.type, "widget": DESK_WIDGETS[f.type], "zh": f.zh,
             "required": f.required, "ref": f.ref, "hint": f.hint, "aliases": list(f.aliases)}
            for f in self.fields()]}


def _entry_value(f: F, entity: Any) -> Any:
    """One field of ``Schema.entry``: a reference as the ids and names it resolved to, a list as a tuple."""
    value = getattr(entity, f.name if f.ref else f.attr)
    if f.ref and isinstance(value, list):
        return tuple((e.id, e.name) for e in value)
    if isinstance(value, list):
        return tuple(str(v) if not dataclasses.is_dataclass(v) else dataclasses.astuple(v) for v in value)
    return value
