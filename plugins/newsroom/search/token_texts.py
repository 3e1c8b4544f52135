"""The newest shard's token texts, kept between builds (the build cache's ``search-tokens.json``).

Every new article changes the newest shard (the named entities and the newest half-year's
articles: 884 records at 10k articles), so a warm build tokenizes it again (0.1-0.15 CPU-s,
0.3-0.45 s of wall beside the thread that links the other shards), and Pagefind, which the
build waits for at its end, starts only after that. A record's token text (``token_text``)
is a function of its text, of tokens.py and of Python's Unicode tables (NFKC): kept by the
text's SHA-256 in a sealed file made for one such ``context``, it is taken back for every
record whose text is unchanged. A file that is missing, truncated, edited or of another
format or context is ignored: every text is tokenized. As the rest of the build cache, it is
sealed against damage, not against whoever can write ``.cache/`` (they could edit the code).
"""
from __future__ import annotations

import hashlib
import json
import threading
import unicodedata
from pathlib import Path
from typing import Optional

from ..core.files import write_whole
from ..core.sealed import read_sealed, seal
from .tokens import token_text

FILE = "search-tokens.json"
FORMAT = 1
_TOKENS_CODE = hashlib.sha256(Path(__file__).with_name("tokens.py").read_bytes()).hexdigest()


def context() -> str:
    """What a token text depends on besides the text: tokens.py and the Unicode version."""
    return f"{FORMAT}:{_TOKENS_CODE}:{unicodedata.unidata_version}"


class TokenTexts:
    """``token_text`` of the texts of one shard, taken from ``path`` where it holds them."""

    def __init__(self, path: Optional[Path]) -> None:
        self.path = path
        self.kept: dict[str, str] = _read(path) if path is not None else {}
        self.used: dict[str, str] = {}              # this build's: what the file holds next
        self._saving: Optional[threading.Thread] = None

    def of(self, text: str) -> str:
        key = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
        found = self.kept.get(key)
        if found is None:
            found = token_text(text)
        self.used[key] = found
        return found

    def save_soon(self) -> None:
        """Write the file (if it would change) in a thread of its own: Pagefind need not wait."""
        if self.path is not None and self.used != self.kept:
            self._saving = threading.Thread(target=self._save, name="search-tokens", daemon=True)
            self._saving.start()

    def join(self) -> None:
        if self._saving is not None:
            self._saving.join()

    def _save(self) -> None:
        assert self.path is not None
        data = json.dumps({"context": context(), "texts": self.used}, ensure_ascii=False, separators=(",", ":"))
        try:
            write_whole(self.path, *seal(data.encode("utf-8", "surrogatepass")))
        except (OSError, ValueError):
            pass                                    # only a cache: the next build tokenizes


def _read(path: Path) -> dict[str, str]:
    found = read_sealed(path)
    texts = found.get("texts") if found is not None and found.get("context") == context() else None
    if not isinstance(texts, dict) or not all(type(v) is str for v in texts.values()):
        return {}
    return texts
