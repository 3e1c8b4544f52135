"""The sitemap's ``<url>`` elements kept between warm builds (``sitemap-urls.json`` in the build cache).

A warm build that adds one article changes sitemap.xml's key, and serializing its
14,903 ``<url>`` elements again with ElementTree was 0.9 CPU-s at 10k articles. An
element is a pure function of the site's URL, its time zone, the page's URL and its
lastmod: the file keeps each page's element with the lastmod it was made for, under the
build cache's key (our code's version, the config) and the site URL and time zone. An
element is taken only for the very URL and lastmod (instant and offset) it was made for;
any other is made again. The file is sealed (core/sealed.py): truncated, edited or of
another key or format, it is not read at all and every element is made. Deleting it only
costs the next build that changes the sitemap its elements.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

from ..core.files import write_whole
from ..core.sealed import read_sealed, seal

FORMAT = 1
NAME = "sitemap-urls.json"

MakeElement = Callable[[str, str, str, Optional[dt.datetime]], str]


@dataclass
class KeptUrls:
    """The last build's elements (``kept``, verified) and this build's (``now``, saved after)."""

    path: Path
    key: tuple[str, str, str]             # (build cache key, site URL, time zone)
    kept: dict[str, tuple[Optional[str], str]] = field(default_factory=dict)   # url -> (lastmod, element)
    now: dict[str, tuple[Optional[str], str]] = field(default_factory=dict)
    made: int = 0                         # elements not found in ``kept``

    @classmethod
    def load(cls, path: Path, key: tuple[str, str, str]) -> "KeptUrls":
        """The file's elements if it verifies and was made under ``key``; else none."""
        return cls(path, key, _read(path, key))

    def element(self, make: MakeElement, url: str, lastmod: Optional[dt.datetime]) -> str:
        """The page's ``<url>``: the kept one if made for this lastmod, else ``make``'s."""
        when = lastmod.isoformat() if lastmod is not None else None
        hit = self.kept.get(url)
        if hit is not None and hit[0] == when:
            found = hit[1]
        else:
            found = make(self.key[1], self.key[2], url, lastmod)
            self.made += 1
        self.now[url] = (when, found)
        return found

    def save(self) -> None:
        """Write this build's elements, unless the file holds them already (nothing made or dropped)."""
        if self.made == 0 and self.now.keys() == self.kept.keys():
            return
        record = {"format": FORMAT, "key": list(self.key), "urls": {u: list(v) for u, v in self.now.items()}}
        text = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
        try:
            write_whole(self.path, *seal(text.encode("utf-8", "surrogatepass")))
        except OSError:         # the cache is an optimization: the next build makes them again
            pass


def _read(path: Path, key: tuple[str, str, str]) -> dict[str, tuple[Optional[str], str]]:
    record = read_sealed(path)
    if record is None or record.get("format") != FORMAT or record.get("key") != list(key):
        return {}
    urls = record.get("urls")
    if not isinstance(urls, dict):
        return {}
    out: dict[str, tuple[Optional[str], str]] = {}
    for url, value in urls.items():
        if not (isinstance(value, list) and len(value) == 2 and type(value[1]) is str
                and (value[0] is None or type(value[0]) is str)):
            return {}
        out[url] = (value[0], value[1])
    return out


__all__ = ["NAME", "KeptUrls"]
