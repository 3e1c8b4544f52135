"""mkdocs/photo_files.photo_files: the variants' MkDocs files made without File.generated's
work per file, and still the very objects File.generated makes."""
from __future__ import annotations

from types import SimpleNamespace

from newsroom.mkdocs.photo_files import LinkedFile, photo_files

PATHS = [("images/2021/x-1a2b3c4d5e-720.webp", "/c/ab/abcd/key/720.webp"),
         ("images/2021/x.jpg", "/c/ab/abcd/key/1920.jpg"),
         ("brands/img/标志 一.png", "/c/cd/cdef/key/480.png"),
         ("a%20b/c#d-og.jpg", "/c/ef/ef01/key/og.jpg")]


class _Photos:
    def published(self):
        return iter(PATHS)


def _config(tmp_path, directory_urls: bool):
    plugins = SimpleNamespace(_current_plugin="newsroom")
    return SimpleNamespace(site_dir=str(tmp_path / "site"), use_directory_urls=directory_urls, plugins=plugins)


def _seen(f) -> dict:
    """Everything a reader of the file can ask, the lazy properties included."""
    return {**{k: v for k, v in vars(f).items() if k not in ("url", "abs_dest_path", "name", "dest_uri")},
            "type": type(f), "url": f.url, "dest_uri": f.dest_uri, "abs_dest_path": f.abs_dest_path,
            "name": f.name, "src_path": f.src_path, "dest_path": f.dest_path, "edit_uri": f.edit_uri,
            "page": f.page, "doc": f.is_documentation_page(), "static": f.is_static_page(),
            "media": f.is_media_file(), "content": f._content, "inclusion": f.inclusion}


def test_photo_files_are_the_files_generated_makes(tmp_path):
    for directory_urls in (True, False):
        config = _config(tmp_path, directory_urls)
        made = photo_files(config, SimpleNamespace(photos=_Photos()))
        assert len(made) == len(PATHS)
        for f, (site_path, path) in zip(made, PATHS):
            slow = LinkedFile.generated(config, site_path, abs_src_path=path)
            assert _seen(f) == _seen(slow)
            assert f.generated_by == "newsroom" and f.abs_src_path == path
