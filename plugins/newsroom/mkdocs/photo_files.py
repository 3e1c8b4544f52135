"""The photo engine's files as MkDocs files: variants and stand-ins, linked from the cache.

The cache (content/photo_refs.py) already holds every file the site publishes under its final
bytes; copying 10+ files a photo into a fresh site folder on every build would cost more than
the rest of a rebuild. They are hard-linked when the cache and the site share a disk (copied
otherwise). A link is safe: the cache checks each file's size and hash before using it again,
so a site file edited in place is noticed and rendered anew, never served.
"""
from __future__ import annotations

import os
import shutil
from typing import Any

from mkdocs.structure.files import File


class LinkedFile(File):
    """A generated file whose bytes are a cache file: linked into the site, else copied."""

    def copy_file(self, dirty: bool = False) -> None:
        if dirty and not self.is_modified():
            return
        assert self.abs_src_path is not None
        dest = self.abs_dest_path
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        try:
            if os.path.samefile(self.abs_src_path, dest):
                return
        except OSError:
            pass
        try:
            os.unlink(dest)            # never write through an old link into the cache
        except FileNotFoundError:
            pass
        try:
            os.link(self.abs_src_path, dest)
        except OSError:                # another disk, or links not allowed
            shutil.copyfile(self.abs_src_path, dest)


def photo_files(config: Any, graph: Any) -> list[File]:
    """Every variant and stand-in the graph's photos publish, as MkDocs files."""
    return [LinkedFile.generated(config, site_path, abs_src_path=str(path))
            for site_path, path in graph.photos.published()]


def replaced(graph: Any, src_uri: str) -> bool:
    """Whether a file MkDocs found is an original the photo build publishes otherwise."""
    return graph.photos.replaces_original(src_uri)


__all__ = ["LinkedFile", "photo_files", "replaced"]
