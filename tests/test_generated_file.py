"""The plugin's generated pages' MkDocs files (plugin.generated_file, copied from one file
``File.generated`` made) are the files ``File.generated`` would make, attribute for attribute."""
from __future__ import annotations

from types import SimpleNamespace
from urllib.parse import unquote

import pytest
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, InclusionLevel

from newsroom.mkdocs.plugin import NewsroomPlugin


@pytest.mark.parametrize("src, url", [
    ("news/2021/12/a.md", "news/2021/12/a/"), ("tags/%E7%94%B2.md", "tags/%E7%94%B2/"),
    ("./x//y.md", "x/y/"), ("index.md", ""), ("brands/b/page/2.md", "brands/b/page/2/"),
])
def test_generated_file_is_what_mkdocs_makes(tmp_path, src, url):
    (tmp_path / "content").mkdir()
    config = MkDocsConfig()
    config.load_dict({"site_name": "x", "site_dir": str(tmp_path / "site"), "docs_dir": str(tmp_path / "content")})
    assert config.validate() == ([], [])
    config.plugins._current_plugin = "newsroom"      # as during on_files
    spec = SimpleNamespace(src_uri=src, body="正文", url=url)
    ours = NewsroomPlugin().generated_file(config, spec)
    theirs = File.generated(config, src, content="\n正文", inclusion=InclusionLevel.NOT_IN_NAV)
    theirs.dest_uri = unquote(url) + "index.html"
    assert type(ours) is File and vars(ours) == vars(theirs)
    assert (ours.url, ours.abs_dest_path, ours.name, ours.is_documentation_page(), ours.content_string,
            ours.edit_uri, ours.generated_by, repr(ours)) == \
        (theirs.url, theirs.abs_dest_path, theirs.name, theirs.is_documentation_page(), theirs.content_string,
         theirs.edit_uri, "newsroom", repr(theirs))
