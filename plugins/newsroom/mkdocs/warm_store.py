"""The build cache's files, read only when they verify (mkdocs/warm.py says what they hold).

``manifest.json`` holds the record and, last, the SHA-256 of everything before it;
``bodies.json`` (articles' rendered bodies, the largest part) is named in the manifest
with its SHA-256, and so is ``bodies.delta.json`` when there is one: the bodies added or
changed since bodies.json was written whole, and the URLs gone (a new article writes a
few kilobytes there, not 20 MB at 10k articles; many changes write bodies.json whole). ``articles.json``: what the article pages were made from, with their
digests (pages/kinds/kept.py), and ``shards.json``, the search shards' inputs and
source digests (search/kept_shards.py), each sealed on its own. A file that is missing, truncated, of another format or whose
checksum does not match is ignored as a whole: the build renders everything. Both
are written to a temporary name and renamed, so a build killed while saving leaves
the last cache or none, never half of one. bodies.json is not written again when it
would hold what it holds (a build that changed no article: 20 MB at 10k articles).
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional
from urllib.parse import unquote

from ..core.files import write_whole
from ..core.sealed import read_sealed, seal
from ..pages.kinds.kept import Inputs

FORMAT = 4
ARTICLES = "articles.json"
SHARDS = "shards.json"
BODIES, BODIES_DELTA = "bodies.json", "bodies.delta.json"
# The delta until it would hold more than one body in DELTA_SHARE, or DELTA_MIN bodies: then
# bodies.json is written whole again (as content/doc_store.py does for docs.marshal).
DELTA_MIN, DELTA_SHARE = 200, 10


@dataclass
class Kept:
    """What one build recorded (see warm.WarmBuild for each field)."""

    key: str
    site: str
    pages: dict[str, Any] = field(default_factory=dict)
    statics: dict[str, list] = field(default_factory=dict)
    bodies: dict[str, Any] = field(default_factory=dict)
    urls: str = ""
    stamps: dict[str, list] = field(default_factory=dict)
    outputs: dict[str, Any] = field(default_factory=dict)


class CacheStore:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._manifest: Optional[dict] = None
        # The bodies as ``load`` verified them, every entry whole: the SHA-256 of bodies.json
        # and of its delta ("" for none), and the bodies (the delta applied).
        self._bodies_kept: Optional[tuple[tuple[str, str], dict]] = None
        # bodies.json alone as read (its SHA-256, its raw entries): what a delta is made against.
        self._bodies_base: Optional[tuple[str, dict]] = None
        self._shards_kept: Optional[dict[str, tuple[str, str]]] = None      # shards.json as read

    def _read_manifest(self) -> Optional[dict]:
        if self._manifest is None:
            self._manifest = read_sealed(self.folder / "manifest.json") or {}
        return self._manifest or None

    def peek_statics(self) -> dict[str, list]:
        """The last build's image stamps and checksums, whatever its key (they name files, not output)."""
        found = self._read_manifest()
        statics = found.get("statics") if found else None
        return statics if isinstance(statics, dict) else {}

    def load(self, key: str, site: str) -> Optional[Kept]:
        """The last build's record if it was made with ``key`` for ``site`` and verifies."""
        found = self._read_manifest()
        if not found or found.get("format") != FORMAT or found.get("key") != key or found.get("site") != site:
            return None
        try:
            base, raw = self._read_bodies(found)
            if raw is None:
                return None
            kept = Kept(key, site, _pages(found["pages"]), found["statics"], _bodies(raw), found["urls"],
                        _stamps(found["stamps"]), _outputs(found["outputs"]))
        except (ValueError, KeyError, TypeError, AttributeError):
            return None
        self._bodies_base = (found["bodies_sha256"], base)
        if len(kept.bodies) == len(raw):
            self._bodies_kept = ((found["bodies_sha256"], found.get("bodies_delta_sha256") or ""), dict(kept.bodies))
        return kept

    def _read_bodies(self, found: dict) -> tuple[dict, Optional[dict]]:
        """bodies.json's entries, and those with its delta's applied, if each file has the
        SHA-256 the manifest names; else ({}, None): the manifest describes bodies this
        build cannot have."""
        base = _read_bytes(self.folder / BODIES)
        if base is None or hashlib.sha256(base).hexdigest() != found.get("bodies_sha256"):
            return {}, None
        raw = json.loads(base)
        if not isinstance(raw, dict):
            return {}, None
        delta_sha = found.get("bodies_delta_sha256")
        if not delta_sha:
            return raw, raw
        delta = _read_bytes(self.folder / BODIES_DELTA)
        if delta is None or hashlib.sha256(delta).hexdigest() != delta_sha:
            return {}, None
        record = json.loads(delta)
        if record.get("base") != found["bodies_sha256"] or not isinstance(record.get("gone"), list):
            return {}, None
        merged = {**raw, **record["bodies"]}
        for url in record["gone"]:
            merged.pop(url, None)
        return raw, merged

    def load_articles(self) -> tuple[Optional[Inputs], dict[str, str]]:
        """``articles.json``: the last build's article pages' inputs and digests (kinds/kept.py),
        if the file verifies and is of this format; else (None, {}): every page is made."""
        found = read_sealed(self.folder / ARTICLES)
        if found is None:
            return None, {}
        inputs, digests = Inputs.from_json(found.get("inputs")), found.get("digests")
        if inputs is None or not isinstance(digests, dict) or not all(
                type(k) is str and type(v) is str for k, v in digests.items()):
            return None, {}
        return inputs, digests

    def save_articles(self, inputs: Inputs, digests: dict[str, str]) -> None:
        text = json.dumps({"inputs": inputs.to_json(), "digests": digests}, ensure_ascii=False,
                          separators=(",", ":"))
        write_whole(self.folder / ARTICLES, *seal(text.encode("utf-8", "surrogatepass")))

    def load_shards(self) -> dict[str, tuple[str, str]]:
        """``shards.json``: per search shard key, the inputs digest and source digest of the shard
        the published bundle holds (search/kept_shards.py); {} unless it verifies."""
        found = read_sealed(self.folder / SHARDS)
        shards = found.get("shards") if found is not None and found.get("format") == 1 else None
        if not isinstance(shards, dict) or not all(
                isinstance(v, list) and len(v) == 2 and all(type(d) is str for d in v) for v in shards.values()):
            return {}
        self._shards_kept = {str(key): (inputs, source) for key, (inputs, source) in shards.items()}
        return dict(self._shards_kept)

    def save_shards(self, shards: dict[str, tuple[str, str]]) -> None:
        if shards == self._shards_kept:        # what the file holds (verified this build)
            return
        text = json.dumps({"format": 1, "shards": {k: list(v) for k, v in shards.items()}}, separators=(",", ":"))
        write_whole(self.folder / SHARDS, *seal(text.encode()))

    def save(self, kept: Kept) -> None:
        """Both files; bodies.json left as it is when it holds exactly the bodies it would be
        given (``load`` verified it this build). The manifest is written every time: the pages
        in the menu render in every build, so their files' stat is new."""
        bodies_sha, delta_sha = self._save_bodies({url: tuple(v) for url, v in kept.bodies.items()})
        record = {"format": FORMAT, "key": kept.key, "site": kept.site, "urls": kept.urls,
                  "bodies_sha256": bodies_sha, "bodies_delta_sha256": delta_sha,
                  "pages": {src: list(v) for src, v in kept.pages.items()}, "statics": kept.statics,
                  "stamps": kept.stamps, "outputs": {path: list(v) for path, v in kept.outputs.items()}}
        text = json.dumps(record, ensure_ascii=False, sort_keys=True)
        write_whole(self.folder / "manifest.json", *seal(text.encode()))

    def _save_bodies(self, bodies: dict[str, tuple[str, str]]) -> tuple[str, str]:
        """The SHA-256 of bodies.json and of its delta ("": none), for the manifest. Nothing
        is written when the files hold ``bodies`` already (``load`` verified them); a few
        bodies changed since bodies.json was written whole go to the delta, bound to it."""
        if self._bodies_kept is not None and self._bodies_kept[1] == bodies:
            return self._bodies_kept[0]
        self._bodies_kept = None
        delta = self._delta_of(bodies)
        if delta is not None:
            data = json.dumps(delta, ensure_ascii=False).encode()
            write_whole(self.folder / BODIES_DELTA, data)
            return delta["base"], hashlib.sha256(data).hexdigest()
        data = json.dumps({url: list(v) for url, v in bodies.items()}, ensure_ascii=False).encode()
        write_whole(self.folder / BODIES, data)
        (self.folder / BODIES_DELTA).unlink(missing_ok=True)      # made against the old bodies.json
        return hashlib.sha256(data).hexdigest(), ""

    def _delta_of(self, bodies: dict[str, tuple[str, str]]) -> Optional[dict]:
        """What ``bodies`` adds to and takes from bodies.json as read; None when there is
        no such file or the change is too large for a delta."""
        if self._bodies_base is None:
            return None
        base_sha, base = self._bodies_base
        limit = max(DELTA_MIN, len(bodies) // DELTA_SHARE)
        changed: dict[str, list] = {}
        for url, (sha, html) in bodies.items():
            old = base.get(url)
            if type(old) is not list or len(old) != 2 or old[0] != sha or old[1] != html:
                changed[url] = [sha, html]
                if len(changed) > limit:
                    return None
        gone = [url for url in base if url not in bodies]
        if len(changed) + len(gone) > limit:
            return None
        return {"base": base_sha, "bodies": changed, "gone": gone}


def file_sha256(path: "str | os.PathLike[str]") -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def _pages(raw: Any) -> dict[str, tuple[str, str, str]]:
    out = {}
    for src, value in raw.items():
        digest, dest, sha = value
        out[src] = (str(digest), _safe_dest(dest), str(sha))
    return out


def _stamps(raw: Any) -> dict[str, list]:
    """Published files' stat as the last build saw them: [size, mtime_ns, inode, device]."""
    out = {}
    for dest, value in raw.items():
        if not (type(value) is list and len(value) == 4 and type(value[0]) is int and type(value[1]) is int
                and type(value[2]) is int and type(value[3]) is int):
            raise ValueError(dest)
        out[_safe_dest(dest)] = value
    return out


def _outputs(raw: Any) -> dict[str, tuple[str, str]]:
    """Feeds' and sitemaps' key digests and checksums, by their (URL-quoted) path in the site."""
    out = {}
    for path, (key, sha) in raw.items():
        _safe_dest(unquote(path))
        out[str(path)] = (str(key), str(sha))
    return out


def _bodies(raw: Any) -> dict[str, tuple[str, str]]:
    """Article bodies with their SHA-256, each a pair of text (anything else is left out:
    rendered again). The file's checksum, in the sealed manifest, has verified every byte;
    each body's, written by ``WarmBuild.body`` from that body, is not computed again (20 MB
    at 10k articles, every warm build): a file made to pass the first would pass the second."""
    out = {}
    for url, value in raw.items():
        if type(value) is list and len(value) == 2 and type(value[0]) is str and type(value[1]) is str:
            out[url] = (value[0], value[1])
    return out


def _safe_dest(dest: Any) -> str:
    """A page's file in the site: relative, inside it (a cache is input like any other): no
    empty, ``.`` or ``..`` part, no backslash. (By substrings of ``/dest/``: 15,000 pages.)"""
    dest = str(dest)
    wrapped = f"/{dest}/"
    if "\\" in dest or "//" in wrapped or "/./" in wrapped or "/../" in wrapped:
        raise ValueError(dest)
    return dest


def _read_bytes(path: Path) -> Optional[bytes]:
    try:
        return path.read_bytes()
    except OSError:
        return None
