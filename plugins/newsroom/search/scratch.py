"""Where Pagefind writes a shard: a folder in memory, then placed into the bundle's part folder.

Pagefind writes a file per record (its fragments) plus the shard's index chunks, filters
and meta, from many threads at once: ~965 files for the newest shard at 10,000 articles,
which one new article makes it write again. On the build machine's ext4 (no journal), a
file created soon after many were deleted (every build deletes the last bundle's files)
cost ~0.4-0.6 ms of kernel time, and Pagefind's threads spun on the folder's lock meanwhile:
its write took 1.3 s of the newest shard's 1.7 s, and 2.3 CPU-s, when a folder in memory
took 0.85 s. Then of those files all but ~45 (the changed fragment, the index chunks, the
filters, the meta) are byte for byte the earlier bundle's: those are hard-linked from it
(13 ms for 962 files) instead of written again, and only the rest is copied.

No earlier bundle (a cold build: every file would be copied, a cost of its own), or no folder
in memory (no /dev/shm, not writable, or short of room): Pagefind writes into the part folder
itself, as it always did. ``NEWSROOM_PAGEFIND_SCRATCH`` names another
folder, or ``off`` (tests)."""
from __future__ import annotations

import errno
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Optional

SHM = "/dev/shm"
MIN_FREE = 256 << 20                 # bytes the folder in memory must have free (a shard: ~3 MB)
PREFIX = "newsroom-pagefind-"        # then the writing process's id: see _sweep


def scratch_root() -> Optional[str]:
    """The folder in memory Pagefind may write into, or None."""
    root = os.environ.get("NEWSROOM_PAGEFIND_SCRATCH", SHM)
    if root == "off":
        return None
    try:
        room = os.statvfs(root)
    except OSError:
        return None
    if not os.path.isdir(root) or not os.access(root, os.W_OK | os.X_OK):
        return None
    return root if room.f_bavail * room.f_frsize >= MIN_FREE else None


@contextmanager
def pagefind_output(part: Path, earlier: Optional[Path]) -> Iterator[Path]:
    """The folder Pagefind is to write ``part``'s files into. Once the block ends without an
    error, the files are in ``part``: each one ``earlier`` (a bundle) holds with the same bytes
    linked from there, the others copied. The folder in memory is removed either way."""
    root = scratch_root() if earlier is not None else None
    if root is None:        # nothing to link from (a cold build): all would be copied, so in place
        yield part
        return
    _sweep(root)
    out = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-", dir=root))
    try:
        yield out
        place(out, part, earlier)
    finally:
        shutil.rmtree(out, ignore_errors=True)


def _sweep(root: str) -> None:
    """Remove the folders a killed indexer left in memory (its ``finally`` never ran; a build
    stopped with kill -9, or a test's): this user's, named for a process that is gone. Memory
    is not given back until they are removed, and the machine may not reboot for months."""
    uid = os.getuid()
    try:
        entries = list(os.scandir(root))
    except OSError:
        return
    for entry in entries:
        pid = entry.name[len(PREFIX):].split("-", 1)[0] if entry.name.startswith(PREFIX) else ""
        if not pid.isdigit() or _alive(int(pid)):
            continue
        try:
            if not entry.is_dir(follow_symlinks=False) or entry.stat(follow_symlinks=False).st_uid != uid:
                continue                     # another user's, or planted: not ours to remove
        except OSError:
            continue
        shutil.rmtree(entry.path, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:              # another user's process
        return True
    return True


def place(out: Path, part: Path, earlier: Optional[Path]) -> None:
    """Every file under ``out`` into the same place under ``part``: linked from ``earlier``
    where that holds the same bytes at the same bundle-relative name, else copied."""
    for folder, _, names in os.walk(out):
        rel = os.path.relpath(folder, out)
        dest = part if rel == "." else part / rel
        os.makedirs(dest, exist_ok=True)
        old_folder = None if earlier is None else (str(earlier) if rel == "." else f"{earlier}/{rel}")
        for name in names:
            new = f"{folder}/{name}"
            target = f"{dest}/{name}"
            old = None if old_folder is None else f"{old_folder}/{name}"
            if old is not None and _same(new, old):
                try:
                    link_or_copy(old, target)
                    continue
                except OSError:              # gone meanwhile, or not linkable: its bytes copied
                    pass
            shutil.copyfile(new, target)


def _same(new: str, old: str) -> bool:
    """Same bytes (Pagefind names its files by a short hash of their content: the size and
    the bytes are compared all the same)."""
    try:
        if os.stat(new).st_size != os.stat(old).st_size:
            return False
        with open(new, "rb") as a, open(old, "rb") as b:
            return a.read() == b.read()
    except OSError:
        return False


def link_or_copy(src: str, dest: str) -> None:
    """``dest`` as a hard link of ``src`` (instant, and the earlier bundle may go), or a copy
    on another file system. The bundle's reused shards are placed through it too."""
    try:
        os.link(src, dest)
    except OSError as e:
        if e.errno != errno.EXDEV:
            raise
        shutil.copy2(src, dest)
