"""photos/cache.VariantCache.seen: the (inode, device) of each cache file found intact this build,
which mkdocs/photo_files.leave_in_site trusts as "the site's file is the cache's very file". A file
of an entry that failed its check, or one written again, must not be in it with an old inode."""
from __future__ import annotations

import os

from newsroom.photos.cache import CachedFile, VariantCache, sha256_bytes

SHA, KEY = "ab" * 32, "settings-1"


class _Memo:
    """A stand-in for verified.StatMemo: every file hashed once is known at the same stat."""

    def __init__(self) -> None:
        self.known_at: dict[str, tuple] = {}

    def known(self, rel: str, st: os.stat_result, sha: str) -> bool:
        return self.known_at.get(rel) == (st.st_ino, st.st_size, st.st_mtime_ns, sha)

    def remember(self, rel: str, st: os.stat_result, sha: str) -> None:
        self.known_at[rel] = (st.st_ino, st.st_size, st.st_mtime_ns, sha)


def _items(tag: bytes) -> list[tuple[CachedFile, bytes]]:
    datas = [b"first variant " + tag, b"second variant " + tag]
    return [(CachedFile(f"{n}.webp", 100, 50, "webp", len(d), sha256_bytes(d)), d)
            for n, d in enumerate(datas)]


def test_a_failed_entry_leaves_nothing_in_seen_and_a_rewrite_forgets_old_inodes(tmp_path):
    memo = _Memo()
    VariantCache(tmp_path, memo).store(SHA, KEY, _items(b"v1"), {})
    first = VariantCache(tmp_path, memo)
    assert first.load(SHA, KEY) is not None and len(first.seen) == 2
    folder = first.entry_dir(SHA, KEY)
    with open(folder / "1.webp", "r+b") as f:             # edited in place: same size, other bytes
        f.write(b"X")
    build = VariantCache(tmp_path, memo)
    assert build.load(SHA, KEY) is None
    assert build.seen == {}                                # 0.webp was intact, but its entry was not
    build.store(SHA, KEY, _items(b"v2"), {})               # rendered again: new files, new inodes
    assert build.seen == {}
    again = VariantCache(tmp_path, memo)
    assert again.load(SHA, KEY) is not None
    assert again.seen == {os.path.join(str(folder), f"{n}.webp"): (os.stat(folder / f"{n}.webp").st_ino,
                                                                  os.stat(folder / f"{n}.webp").st_dev)
                          for n in (0, 1)}
    again.store(SHA, KEY, _items(b"v3"), {})               # written again in the same build
    assert again.seen == {}
    assert again.load(SHA, KEY) is not None and len(again.seen) == 2
    again.discard(SHA, KEY)
    assert again.seen == {}
