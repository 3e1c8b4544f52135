"""Ids and slugs: lowercase ASCII, digits and '-'; pinyin for Chinese."""
from __future__ import annotations

import re
import unicodedata

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_LEADING_DATE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}-")


def is_valid_id(text: str) -> bool:
    return bool(ID_RE.match(text))


def slug_from_stem(stem: str) -> str:
    """The file stem minus a leading date: 2021-12-28-kegong -> kegong."""
    return _LEADING_DATE.sub("", stem) or stem


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
