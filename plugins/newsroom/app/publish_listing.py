"""The published site listed by a child process while the build runs, for the publish's
deletion of what the new site no longer has (publish_delta, step 4).

A warm build published by its changes must delete what the site holds beyond the new
site's files: pages no longer made, stray files no build made. Walking the site for them
after the renames took 0.14-0.19 CPU-s of the build process at 10k articles (15,000
folders listed: system calls), on the build's critical path, every warm build. The walk
does not need the new site, only the old one: a child process lists the site when the
build starts, on the other core, while the build loads its graph; after the renames the
publish deletes each listed entry whose name the new site does not have (``stale``).

What this listing misses: an entry made in the site while the build runs (someone's
stray file). It is deleted by the next build's publish, whose listing holds it. An entry
listed and gone by the publish is skipped. The child's answer is used only when it
exited cleanly with a complete listing (it ends with a mark); otherwise the publish walks
the site itself, as before (``delete_others``).
"""
from __future__ import annotations

import marshal
import os
import shutil
import stat
import subprocess
import sys
import threading
from pathlib import Path
from typing import Callable, Iterable, Optional

# The child: ``python -I -S -c`` (no site-packages, nothing of ours imported: ~10 ms to start).
# argv: the site, then the top-level names not to enter. Each entry is written as its kind
# (``d`` a folder, ``f`` anything else: a link to a folder is a file, as in tree_of) and its
# site-relative path, NUL-terminated (no file name holds a NUL); ``END`` last. The listing is
# preceded by its length (16 digits) and followed by each file's stat as the warm build
# takes it (core.sealed.stamp of os.stat: [size, mtime_ns, inode, device]), in marshal's
# format, by the same paths: ``stats``.
_CHILD = r"""
import marshal, os, sys
site, skip = sys.argv[1], set(sys.argv[2:])
out, stats = [], {}
def walk(path, rel):
    with os.scandir(path) as found:
        entries = [e for e in found if rel or e.name not in skip]
    for e in entries:
        here = rel + os.sep + e.name if rel else e.name
        if e.is_dir(follow_symlinks=False):
            out.append("d" + here)
            walk(e.path, here)
        else:
            out.append("f" + here)
            try:
                st = e.stat()
            except OSError:
                continue
            stats[here] = [st.st_size, st.st_mtime_ns, st.st_ino, st.st_dev]
walk(site, "")
out.append("END")
listing = os.fsencode("\0".join(out))
sys.stdout.buffer.write(b"%016d" % len(listing) + listing + marshal.dumps(stats))
"""
_END = "END"
_LENGTH = 16


class SiteListing:
    """The site's entries as a child process listed them (see the module's doc)."""

    def __init__(self, proc: subprocess.Popen, skipped: list[str]) -> None:
        self._proc = proc
        self.skipped = skipped           # top-level names the child did not enter
        self._raw: Optional[bytes] = None
        self._stats: Optional[bytes] = None
        # Read by a thread: the listing (~1.7 MB at 10k articles) fills the pipe long before
        # the build asks for it. The thread waits in read(), without the GIL.
        self._reader = threading.Thread(target=self._read, name="site-listing", daemon=True)
        self._reader.start()

    @classmethod
    def start(cls, site: Path, left_out: Callable[[str], bool]) -> Optional["SiteListing"]:
        """List ``site`` in a child, not entering the top-level names ``left_out`` says (the
        owner's hidden entries such as .git, the search bundle published whole); None if
        the child cannot be started (the publish then walks the site itself)."""
        try:
            skip = [e.name for e in os.scandir(site) if left_out(e.name)]
            proc = subprocess.Popen([sys.executable, "-I", "-S", "-c", _CHILD, str(site), *skip],
                                    stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        except OSError:
            return None
        return cls(proc, skip)

    def _read(self) -> None:
        assert self._proc.stdout is not None
        try:
            data = self._proc.stdout.read()
        except (OSError, ValueError):
            data = b""
        if self._proc.wait() == 0 and data[:_LENGTH].isdigit() and len(data) >= _LENGTH + int(data[:_LENGTH]):
            end = _LENGTH + int(data[:_LENGTH])
            self._raw, self._stats = data[_LENGTH:end], data[end:]

    def stats(self) -> Optional[dict[str, list]]:
        """Each file's stat (``[size, mtime_ns, inode, device]``, following links as ``os.stat``)
        by its site-relative path, as the child took it when the build started; None while
        the child is still listing (the caller stats for itself rather than wait) or if it
        failed. A warm build compares it with the last build's record of each page it keeps
        (mkdocs/warm.py ``_link``): 15,000 stats on the other core, not the build's."""
        if self._reader.is_alive() or not self._stats:
            return None
        try:
            found = marshal.loads(self._stats)
        except (EOFError, ValueError, TypeError):
            return None
        return found if isinstance(found, dict) else None

    def entries(self) -> Optional[list[tuple[bool, str]]]:
        """(is a folder, site-relative path) of every entry listed, parents before their
        entries; None if the child failed (or was stopped)."""
        self._reader.join()
        if not self._raw:
            return None
        found = os.fsdecode(self._raw).split("\0")
        if found[-1] != _END:
            return None
        return [(item[0] == "d", item[1:]) for item in found[:-1]]

    def stop(self) -> None:
        """The build ended without using the listing: the child is not left running."""
        if self._proc.poll() is None:
            self._proc.kill()
        self._reader.join()


def delete_listed(site: Path, entries: Iterable[tuple[bool, str]], files: set[str], folders: set[str],
                  left_out: Callable[[str], bool]) -> None:
    """Delete each listed entry of ``site`` that the new site (``files``, ``folders``) does not
    have, as ``publish_inplace.delete_others`` would have after the renames: an entry inside a
    folder the new site keeps, whose name is not the new site's or is of the other kind than
    the new site's, is deleted (a folder with what it holds). ``left_out``: top-level names the
    publish leaves alone (our own, the owner's hidden entries, the search bundle)."""
    root = os.path.join(str(site), "")
    for is_folder, rel in entries:
        parent, _, name = rel.rpartition(os.sep)
        if parent and parent not in folders:
            continue                     # inside a folder deleted whole, or left out
        if not parent and left_out(name):
            continue
        if is_folder and rel in folders or not is_folder and rel in files:
            continue
        if rel in files or rel in folders:
            # The other kind when listed: the renames may have put the new one there.
            _delete_unless(root + rel, want_folder=rel in folders)
        else:
            _delete(root + rel)


def _delete_unless(path: str, want_folder: bool) -> None:
    try:
        is_folder = stat.S_ISDIR(os.lstat(path).st_mode)
    except FileNotFoundError:
        return
    if is_folder != want_folder:
        _delete(path)


def _delete(path: str) -> None:
    try:
        if stat.S_ISDIR(os.lstat(path).st_mode):
            shutil.rmtree(path)
        else:
            os.unlink(path)
    except FileNotFoundError:
        pass
