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


def test_leave_in_site_takes_the_stats_it_is_given(tmp_path):
    """leave_in_site: a variant the site holds as the cache's very file stays (no link into
    staging); the site's inode from the listing child's stats and the cache's from the check
    that found it intact are taken when given, each file stat'ed only when not."""
    import os

    from newsroom.mkdocs.photo_files import leave_in_site

    cache, site = tmp_path / "cache", tmp_path / "site"
    (cache).mkdir()
    (site / "images").mkdir(parents=True)
    (cache / "720.webp").write_bytes(b"v")
    os.link(cache / "720.webp", site / "images" / "x-720.webp")
    (cache / "og.jpg").write_bytes(b"o")
    (site / "images" / "x-og.jpg").write_bytes(b"o")            # a copy: another inode
    config = _config(tmp_path, True)

    class _Set:
        def published(self):
            return iter([("images/x-720.webp", str(cache / "720.webp")), ("images/x-og.jpg", str(cache / "og.jpg")),
                         ("images/new-720.webp", str(cache / "720.webp"))])      # not in the site yet

    def left(site_stats=None, seen=None) -> set:
        found: set = set()
        made = photo_files(config, SimpleNamespace(photos=_Set()))
        leave_in_site(made, site, found, site_stats, seen)
        assert all(f.is_modified() is False for f in made if f.dest_uri in found)
        return found

    st = os.stat(cache / "720.webp")
    same, other = (st.st_ino, st.st_dev), (st.st_ino + 1, st.st_dev)
    assert left() == {"images/x-720.webp"}
    assert left({"images/x-720.webp": [1, 2, *same]}, {str(cache / "720.webp"): same}) == {"images/x-720.webp"}
    assert left({"images/x-720.webp": [1, 2, *other]}) == set()            # the listing's stat is taken
    assert left(None, {str(cache / "720.webp"): other}) == set()           # so is the intact check's
    assert left({"images/x-og.jpg": [1, 2, *same]}, {str(cache / "og.jpg"): same}) == {"images/x-720.webp",
                                                                                       "images/x-og.jpg"}
