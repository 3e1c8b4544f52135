"""Rendered variants on disk, outside site/, keyed by the source's content hash and the settings.

Layout: ROOT/<sha[:2]>/<sha>/<settings key>/ holds the encoded files and manifest.json (written
last) with each file's size and sha256. A reader trusts nothing else: a missing, truncated or
altered file, or a manifest that does not parse, is a miss and the variants are rendered again.
Every file is written to a temporary name and renamed, so a killed build leaves no half file
under a real name. Deleting the whole folder is always safe.
"""
from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import stat
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Optional, Protocol

DEFAULT_ROOT = Path(".cache/newsroom/photos")
MANIFEST = "manifest.json"


@dataclass(frozen=True)
class CachedFile:
    name: str          # file name inside the entry folder
    width: int
    height: int
    format: str
    size: int
    sha256: str
    role: str = "variant"


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path | str) -> str:
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            os.fchmod(fh.fileno(), 0o644)     # mkstemp makes 0600: the site's files are linked here
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def writable(folder: Path) -> str:
    """"" when this process can create files in ``folder`` (made if missing), else why not."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(dir=folder, prefix=".probe-")
        os.close(fd)
        os.unlink(probe)
        return ""
    except OSError as e:
        return WHY.get(e.errno, e.strerror or str(e))


# Why a folder cannot be written, for editors (Chinese, like every message they see).
WHY = {errno.EACCES: "没有写入权限", errno.EPERM: "没有写入权限", errno.EROFS: "磁盘是只读的",
       errno.ENOTDIR: "路径上有一个同名的文件", errno.EEXIST: "路径上有一个同名的文件",
       errno.ENOSPC: "磁盘已满"}


def usable_root(root: Path) -> tuple[Path | None, str]:
    """Where the cache can live: ``root`` if writable, else a private folder in the system's
    temporary directory, one per ``root`` (a read-only checkout still reuses its variants from
    one build to the next), else None. Second item: why ``root`` is not used ("" when it is)."""
    why = writable(root)
    if not why:
        return root, ""
    uid = os.getuid() if hasattr(os, "getuid") else None
    base = Path(tempfile.gettempdir()) / f"newsroom-photos-{uid if uid is not None else 'user'}"
    try:
        base.mkdir(mode=0o700, exist_ok=True)
        st = base.lstat()
        private = stat.S_ISDIR(st.st_mode) and (uid is None or (st.st_uid == uid and not st.st_mode & 0o077))
        tag = hashlib.sha256(str(Path(root).absolute()).encode()).hexdigest()[:16]
        fallback = base / tag if private else Path(tempfile.mkdtemp(prefix="newsroom-photos-"))
    except OSError:
        return None, why
    return (None if writable(fallback) else fallback), why


class Checked(Protocol):
    """The files found intact before, by their stat (verified.VerifiedFiles)."""

    def known(self, rel: str, st: os.stat_result, sha: str) -> bool: ...

    def remember(self, rel: str, st: os.stat_result, sha: str) -> None: ...


class VariantCache:
    def __init__(self, root: Path = DEFAULT_ROOT, checked: Optional[Checked] = None) -> None:
        self.root = Path(root)
        self.checked = checked       # None: every file is hashed each time it is used
        # Each file found intact, by its path: (inode, device) at that check. What publishing
        # a variant asks of it (mkdocs/photo_files.leave_in_site), known without a stat more.
        self.seen: dict[str, tuple[int, int]] = {}

    def entry_dir(self, source_sha: str, settings_key: str) -> Path:
        return Path(self._entry(source_sha, settings_key))

    def _entry(self, source_sha: str, settings_key: str) -> str:
        """entry_dir as a string: one Path made from it, not three joins (2,000 a warm build)."""
        return os.path.join(self.root, source_sha[:2], source_sha, settings_key)

    def load(self, source_sha: str, settings_key: str) -> tuple[list[CachedFile], dict] | None:
        """The entry's files and extra data (header, notices) if every file is intact."""
        base = self._entry(source_sha, settings_key)
        try:
            with open(os.path.join(base, MANIFEST), "rb") as fh:
                manifest = json.loads(fh.read())
            files = [CachedFile(**f) for f in manifest["files"]]
            extra = manifest["extra"]
        except (OSError, ValueError, KeyError, TypeError):
            return None
        # Plain strings: pathlib's joins were most of a hit's cost (10 files a photo, 1,000 photos).
        rel = base[len(str(self.root)) + 1:] + os.sep
        seen: dict[str, tuple[int, int]] = {}
        if manifest.get("source") != source_sha or not all(self._intact(base, rel, f, seen) for f in files):
            return None
        self.seen.update(seen)      # only a whole intact entry: a file of a failed one is replaced
        return files, extra

    def store(self, source_sha: str, settings_key: str,
              items: list[tuple[CachedFile, bytes]], extra: dict) -> list[CachedFile]:
        folder, base = self.entry_dir(source_sha, settings_key), self._entry(source_sha, settings_key)
        for meta, data in items:
            self.seen.pop(os.path.join(base, meta.name), None)      # a new file: not the inode seen
            atomic_write(folder / meta.name, data)
        manifest = {"source": source_sha, "settings": settings_key,
                    "files": [asdict(m) for m, _ in items], "extra": extra}
        atomic_write(folder / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1).encode())
        return [m for m, _ in items]

    def discard(self, source_sha: str, settings_key: str) -> None:
        folder = self.entry_dir(source_sha, settings_key)
        prefix = self._entry(source_sha, settings_key) + os.sep    # rare (a damaged entry): walk ``seen``
        for path in [p for p in self.seen if p.startswith(prefix)]:
            del self.seen[path]
        shutil.rmtree(folder, ignore_errors=True)

    def path(self, source_sha: str, settings_key: str, f: CachedFile) -> Path:
        return self.entry_dir(source_sha, settings_key) / f.name

    def _intact(self, folder: str, rel: str, f: CachedFile, seen: dict[str, tuple[int, int]]) -> bool:
        """Size and SHA-256 as the manifest says; a file this machine hashed right before at
        the same stat is not read again (verified.py). ``rel``: the folder's path under root."""
        path = os.path.join(folder, f.name)
        try:
            st = os.stat(path)
            if st.st_size != f.size:
                return False
            if self.checked is not None and self.checked.known(rel + f.name, st, f.sha256):
                seen[path] = (st.st_ino, st.st_dev)
                return True
            if sha256_file(path) != f.sha256:
                return False
            if self.checked is not None and variant_stamp(os.stat(path)) == variant_stamp(st):
                self.checked.remember(rel + f.name, st, f.sha256)     # unchanged while it was read
                seen[path] = (st.st_ino, st.st_dev)
            return True
        except OSError:
            return False


def variant_stamp(st: os.stat_result) -> list[int]:
    """What tells a variant file changed without reading it (verified.py): size, mtime, inode,
    device. Not the ctime, which sources.py's identity of a photo holds: every build links each
    variant into the site, and a link changes the file's ctime, so it would never match."""
    return [st.st_size, st.st_mtime_ns, st.st_ino, st.st_dev]
