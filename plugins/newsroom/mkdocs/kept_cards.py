"""Article cards kept between builds: each card's ``<li>`` rendered once, then reused.

After one new article, every page of /news/ shifts by one card and renders again (650 listing
pages at 10k articles), and the card macro was over half of a listing page's rendering. A
card's ``<li>`` (theme/partials/nr-card.html, ``article_item``) is a pure function of the card,
the macro's other arguments and the card's link, relative to the page (MkDocs' ``url`` filter):
the macro lives in a template imported without context, so it sees nothing else. Its output is
kept with a placeholder where each text argument goes (``HOLES``: the link, the heading): one
text per card, good on every page whatever its folder; a page puts its own link in.

Kept in the build cache (``cards.dat``: a JSON head, then plain records; sealed like its other
files) under a key made of the warm build's global key (our code, the theme, the settings,
MkDocs' configuration, versions) and MarkupSafe's; per card, the digest of all its fields'
values (``_print``), and the texts in UTF-8 (10 MB at 10k articles, 15 MB as str). Nothing is trusted blindly: a file
that does not verify, is of another format or key, is ignored; the first texts a build takes
from the file are rendered again and compared (``CHECK_KEPT``), and so are the first it makes
(``CHECK_MADE``: the placeholder stands for the link as the macro prints it). Any difference
stops the store for the build: every card renders as before, and nothing is saved.
A build that renders only a few pages (no change: the menu's) neither reads nor writes the file
(``BYTES_PER_PAGE``). Tests: tests/test_warm_cards.py.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import logging
import operator
import os
import re
from pathlib import Path
from typing import Any, Callable, Collection, Optional

from markupsafe import Markup

from ..core.files import write_whole
from ..core.sealed import seal, stable_hash, unseal

log = logging.getLogger("mkdocs.plugins.newsroom")

FILE = "cards.dat"
FORMAT = 2
# Where a card's link (and each other text parameter) goes in a kept text. Printable (``repr``
# keeps it as it is, so a card whose fields hold one is found and never kept), left alone by ``| e``.
MARK = "\u2983nr-"
HOLES = tuple(f"{MARK}{n}\u2984" for n in range(8))
_HOLES_B = tuple(h.encode() for h in HOLES)
# The file is read when the build renders at least one page per this many of its bytes: a page
# lists ~20 cards (~1 ms to render), about what reading and checking 100 KB of it costs. A build
# that changed nothing renders the menu's ~8 pages: it neither reads nor writes 10 MB for them.
BYTES_PER_PAGE = 100_000
CHECK_MADE = 2        # texts made with the placeholders, per macro and arguments, rendered both ways
CHECK_KEPT = 3        # texts taken from the file, rendered again and compared
# tests/test_warm_cards.py: NEWSROOM_CARDS_REPORT=<file> appends what the store did, a line a build.
REPORT = "NEWSROOM_CARDS_REPORT"
# The file after its JSON head: records (variant, URL, digest, text) apart by _RS, fields by _US
# (JSON spent 0.2 s each way on 10 MB of Chinese text); a text holding either is not kept.
_RS, _US = b"\x1e", b"\x1f"
_PLAIN = frozenset({str, int, float, bool, type(None), dt.datetime, dt.date})
_UNSAFE = re.compile("[&<>\"'\u2983]")       # a text parameter ``| e`` would change, or a hole
_GETTERS: dict[type, Callable[[Any], tuple]] = {}
Entry = tuple[str, bytes]                    # (the card's digest, its text in UTF-8, with holes)


class CardStore:
    """One build's kept card texts: those the file held, and those this build used."""

    def __init__(self, path: Optional[Path], key: str) -> None:
        self.path = path
        self.key = stable_hash(("newsroom-cards-2", key, _version("markupsafe"), _version("tzdata")))
        self.kept: dict[tuple[str, str], Entry] = {}   # (macro and arguments, card URL) -> entry
        self.used: dict[tuple[str, str], Entry] = {}   # the same, shown by this build
        self.loaded = False                            # the file read: this build's texts are saved
        self.on = True
        self.dropped = False                           # the file's texts failed their check
        self.counts = {"kept": 0, "made": 0, "direct": 0}   # texts taken from the file, made, bypassed
        self._checked_made: dict[str, int] = {}
        self._checked_kept = 0
        self._prints: dict[int, tuple[Any, Optional[str]]] = {}    # id(card) -> (card, digest)
        self._shapes: dict[tuple, Optional[str]] = {}               # params[1:] -> shape

    # ------------------------------------------------------------ rendering

    def render(self, macro: Callable[..., str], card: Any, params: tuple) -> Markup:
        """``macro(card, *params)``, from the text kept for this card if there is one."""
        digest = self._print(card) if self.on else None
        shape = self._shape(params) if digest is not None else None
        if shape is None:
            self.counts["direct"] += 1
            return Markup(macro(card, *params))
        name = (f"{getattr(macro, 'name', '')}{shape}", str(getattr(card, "url", "")))
        found = self.used.get(name) or self.kept.get(name)
        if found is None or found[0] != digest:
            made = self._made(name[0], macro, card, params)
            if made is None:
                self.counts["direct"] += 1
                return Markup(macro(card, *params))
            found = self.used[name] = (digest, made)
            self.counts["made"] += 1
        elif name not in self.used:
            if self._checked_kept < CHECK_KEPT:
                self._checked_kept += 1
                direct = str(macro(card, *params))
                if _filled(found[1], params) != direct:
                    log.warning("构建缓存中的文章卡片与重新生成的不一致，已弃用，本次重新生成。")
                    self.kept, self.dropped = {}, True
                    self.counts["direct"] += 1
                    return Markup(direct)
            self.used[name] = found
            self.counts["kept"] += 1
        return Markup(_filled(found[1], params))

    def _made(self, variant: str, macro: Callable[..., str], card: Any, params: tuple) -> Optional[bytes]:
        """The card's text with a placeholder for each text parameter; the first few per macro
        and shape also rendered as they are and compared (None, and the store off, if they differ:
        the macro does more with a parameter than print it)."""
        text = str(macro(card, *[HOLES[n] if type(p) is str else p for n, p in enumerate(params)])).encode()
        if _RS in text or _US in text:
            return None
        checked = self._checked_made.get(variant, 0)
        if checked < CHECK_MADE:
            if _filled(text, params) != str(macro(card, *params)):
                log.debug(f"kept cards: {variant} prints a parameter otherwise than as given; not kept")
                self.on = False
                return None
            self._checked_made[variant] = checked + 1
        return text

    def _print(self, card: Any) -> Optional[str]:
        """The digest of every field of a card (a frozen dataclass of plain values), once per
        card object; None for anything else, or a card whose text holds a placeholder."""
        found = self._prints.get(id(card))
        if found is None:
            found = self._prints[id(card)] = (card, _digest(card))
        return found[1]

    def _shape(self, params: tuple) -> Optional[str]:
        """The parameters as a kept text's name holds them: each text as its placeholder, the
        rest (plain values) by ``repr``; None when a text needs escaping (the macro may or may not
        escape it) or holds a placeholder, or a value is not plain. The link (the first) varies
        from card to card; the others are the call's, so their part is worked out once."""
        if not params or type(params[0]) is not str or _UNSAFE.search(params[0]) or len(params) > len(HOLES):
            return None
        rest = params[1:]
        try:
            return self._shapes[rest]
        except KeyError:
            shape = self._shapes[rest] = _shape(params)
            return shape
        except TypeError:          # unhashable: not plain
            return None

    # ------------------------------------------------------------ the file

    @classmethod
    def for_build(cls, path: Path, key: str, rendering: int) -> "CardStore":
        """The store of a build that renders ``rendering`` pages: with the file's texts if it is
        worth reading for so many (``BYTES_PER_PAGE``), else with this build's only (not saved)."""
        store = cls(path, key)
        try:
            size = path.stat().st_size
        except OSError:
            size = 0
        if size <= rendering * BYTES_PER_PAGE:
            store._load()
        return store

    def _load(self) -> None:
        self.loaded = True
        try:
            data = unseal(self.path.read_bytes()) if self.path is not None else None
            if data is None:
                return
            head, _, body = data.partition(b"\n")
            record = json.loads(head)
            if not isinstance(record, dict) or record.get("format") != FORMAT or record.get("key") != self.key:
                return
            variants = record["variants"]
            kept = {}
            for item in body.split(_RS) if body else ():
                n, url, digest, text = item.split(_US)
                kept[(variants[int(n)], url.decode())] = (digest.decode(), text)
        except (OSError, ValueError, KeyError, TypeError, IndexError):
            return
        if all(type(v) is str for v in variants):
            self.kept = kept

    def save(self, urls: Collection[str]) -> None:
        """The texts this build used, and the file's other ones whose card's URL is still in
        ``urls`` (the articles of this build); not written when that is what the file holds."""
        saved = self._save(urls)
        if os.environ.get(REPORT):
            with open(os.environ[REPORT], "a", encoding="utf-8") as out:
                out.write(json.dumps({**self.counts, "loaded": self.loaded, "on": self.on,
                                      "dropped": self.dropped, "saved": saved}) + "\n")

    def _save(self, urls: Collection[str]) -> bool:
        if self.path is None or not self.loaded or not self.on:
            return False
        out = {name: entry for name, entry in self.kept.items() if name not in self.used and name[1] in urls}
        if not self.dropped and len(out) == len(self.kept) and all(
                self.kept.get(n) == e for n, e in self.used.items()):
            return False           # nothing new, nothing gone
        out.update(self.used)
        variants = sorted({variant for variant, _ in out})
        index = {v: str(n).encode() for n, v in enumerate(variants)}
        head = json.dumps({"format": FORMAT, "key": self.key, "variants": variants}).encode()
        body = _RS.join(_US.join((index[v], url.encode(), digest.encode(), text))
                        for (v, url), (digest, text) in out.items()
                        if _RS not in url.encode() and _US not in url.encode())
        try:
            write_whole(self.path, *seal(head + b"\n" + body))
        except OSError as exc:
            log.warning(f"文章卡片缓存没有保存（{exc.strerror}：{exc.filename}）。")
            return False
        return True


def _version(dist: str) -> str:
    """An installed distribution's version (``escape`` is MarkupSafe's, zone data may be tzdata's:
    the warm key names Jinja's only)."""
    from importlib import metadata

    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return ""


def render_card(store: Optional[CardStore], macro: Callable[..., str], card: Any, params: tuple) -> Markup:
    """``kept_card(macro, card, *params)`` in templates (nr-ui.html's article_list): through the
    build's store if it has one."""
    if store is None:
        return Markup(macro(card, *params))
    return store.render(macro, card, params)


def _shape(params: tuple) -> Optional[str]:
    shown: list[Any] = []
    for n, p in enumerate(params):
        if type(p) is str:
            if _UNSAFE.search(p):
                return None
            shown.append(HOLES[n])
        elif _plain(p):
            shown.append(p)
        else:
            return None
    return repr(tuple(shown))


def _filled(text: bytes, params: tuple) -> str:
    for n, p in enumerate(params):
        if type(p) is str:
            text = text.replace(_HOLES_B[n], p.encode())
    return text.decode()


def _digest(card: Any) -> Optional[str]:
    kind = type(card)
    get = _GETTERS.get(kind)
    if get is None:
        if not (dataclasses.is_dataclass(kind) and kind.__dataclass_params__.frozen):
            return None
        names = [f.name for f in dataclasses.fields(kind)]
        get = operator.attrgetter(*names, *names[:1])     # a tuple even for one field
        _GETTERS[kind] = get
    values = get(card)
    if not _plain(values):
        return None
    # Texts as they are, apart by a character none of them holds (else repr, slower: 14 us a card).
    text = "\x1f".join([kind.__qualname__, *[v if type(v) is str else repr(v) for v in values]])
    if text.count("\x1f") != len(values):
        text = repr((kind.__qualname__, values))
    if MARK in text:
        return None
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _plain(value: Any) -> bool:
    """Whether a value's ``repr`` says all of it: plain values, and tuples of them (two deep)."""
    kind = type(value)
    if kind is not tuple:
        return kind in _PLAIN
    for v in value:
        if type(v) not in _PLAIN and not (type(v) is tuple and all(type(x) in _PLAIN for x in v)):
            return False
    return True


__all__ = ["CardStore", "FILE", "HOLES", "render_card"]
