"""Ids and slugs: lowercase ASCII, digits and '-'; pinyin for Chinese."""
from __future__ import annotations

import itertools
import re
import unicodedata
from pathlib import Path
from typing import Iterator

from . import names
from .model import SCHEMAS
from .terms import TERM_RULES

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_LEADING_DATE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}-")


# Names the generator's own pages use: brands/index.md is the brand wall (and
# workers/index.md the gallery), a listing's second page is .../page/2/, feeds are
# .../feed.xml. A brand, worker or article with one of these ids would replace or
# shadow a generated page, so they are errors, not ids.
RESERVED_IDS = names.RESERVED_WORDS
# Folders the site itself fills: the search page (/search/), the search index
# (/pagefind/), the theme's files (/assets/), the print edition (/epaper/: content/epaper.py
# reads edition.yml files, no Markdown kind), the web desk (/admin/, issue 17) and the
# articles' videos (/media/, copied from content/media/ like images).
_OWN_FOLDERS = frozenset({"search", "pagefind", "assets", "epaper", "admin", "media"})


def generated_folders() -> frozenset[str]:
    """The first folder of every generated URL: each entity kind's (``Schema.url_folder``:
    /news/, /brands/ …), each term kind's (/tags/ …) and the site's own. A free page in
    content/pages/ with one of these names would take over that URL. Read when asked: a
    kind registered after import (a test's) counts too."""
    kinds = {schema.url_folder for schema in SCHEMAS.values()} - {""}
    return _OWN_FOLDERS | kinds | {rule.folder for rule in TERM_RULES} | RESERVED_IDS


def is_valid_id(text: str) -> bool:
    return bool(ID_RE.match(text))


def is_reserved(text: str) -> bool:
    """index, page, feed …: the one rule of names.py, for ids and slugs too."""
    return names.is_reserved(text)


def slug_from_stem(stem: str) -> str:
    """The file stem minus a leading date: 2021-12-28-kegong -> kegong."""
    return _LEADING_DATE.sub("", stem) or stem


def suggest_id(text: str, prefix: str) -> str:
    """An id to suggest for ``text`` in a hint: its pinyin, never a reserved name
    (a title "Index" must not be told "slug: index"); ``prefix`` makes one that is."""
    found = pinyin_id(text) if text.strip() else prefix
    return f"{prefix}-{found}" if is_reserved(found) else found


def pinyin_id(text: str, max_words: int = 8) -> str:
    """A readable ASCII id for Chinese text: 柯工益 -> ke-gong-yi."""
    from pypinyin import lazy_pinyin  # imported lazily: its dictionaries load slowly

    words: list[str] = []
    # Non-Chinese runs ("2021", "Hello World") come back whole, so numbers and
    # English words stay words instead of being spelt out letter by letter.
    for part in lazy_pinyin(text, errors="default"):
        ascii_part = unicodedata.normalize("NFKD", part).encode("ascii", "ignore").decode()
        cleaned = re.sub(r"[^a-z0-9]+", "-", ascii_part.lower()).strip("-")
        if cleaned:
            words.extend(cleaned.split("-"))
    return "-".join(words[:max_words]) or "untitled"


def article_ids(title: str, short_words: int = 8, long_words: int = 16) -> Iterator[str]:
    """Ids for a headline, best first; endless (the last ones are numbered). ``newsroom new``
    and the desk name a new article (or notice) with the first one its year does not use."""
    short = pinyin_id(title, short_words)
    yield short
    whole = pinyin_id(title, long_words)
    if whole != short:
        yield whole
    for n in itertools.count(2):
        yield f"{short}-{n}"


_SLUG_LINE = re.compile(r"^slug[ \t]*[:：][ \t]*[\"']?([a-z0-9-]+)[\"']?[ \t]*(?:#.*)?$", re.M)


def taken_slugs(folder: Path) -> dict[str, Path]:
    """The URL names a year's articles already use (file names, dated names, `slug:`):
    a new article in that year must not reuse one."""
    taken: dict[str, Path] = {}
    if not folder.is_dir():
        return taken
    for file in sorted(folder.rglob("*.md")):
        names = {file.stem, slug_from_stem(file.stem)}
        try:
            head = file.read_bytes()[:4000].decode("utf-8", "replace")
        except OSError:
            head = ""
        found = _SLUG_LINE.search(head)
        if found:
            names.add(found.group(1))
        for name in names:
            taken.setdefault(name, file)
    return taken


def first_free(candidates: Iterator[str], taken: dict[str, Path]) -> str:
    """The first candidate neither taken nor reserved."""
    return next(c for c in candidates if c not in taken and not is_reserved(c))
