"""The vendored Decap CMS bundle matches its MANIFEST (docs/desk.md, "Where the bundle lives")."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

from newsroom.desk.manifest import VENDOR, read_manifest, shipped_files, verify


def test_every_vendored_file_matches_the_manifest():
    assert verify() == []
    listed = read_manifest()
    # The runtime set measured in the trial: entry, 94 lazy chunks, 2 wasm, CSS, notices.
    assert len(listed) == 99
    assert {"decap-cms/decap-cms.js", "decap-cms/cms.css", "decap-cms/decap-cms.js.LICENSE.txt"} <= set(listed)
    assert sum(name.endswith(".wasm") for name in listed) == 2


def test_manifest_records_name_version_licence_and_source():
    head = (VENDOR / "MANIFEST").read_text(encoding="utf-8")
    assert "# name: decap-cms" in head and "# version: 3.16.3" in head and "# license: MIT" in head
    assert "decap-cms-3.16.3.tgz" in head and re.search(r"# integrity: sha512-\S{86}==", head)


def test_no_source_maps_and_no_second_build():
    names = shipped_files()
    assert not [n for n in names if n.endswith(".map")]
    assert not [n for n in names if re.fullmatch(r"decap-cms/([0-9]+\.)?cms\.js", n)]


def test_verify_reports_missing_extra_and_changed_files(tmp_path: Path):
    copy = tmp_path / "vendor"
    shutil.copytree(VENDOR, copy)
    (copy / "decap-cms" / "cms.css").write_text("body{}", encoding="utf-8")
    (copy / "decap-cms" / "103.decap-cms.js").unlink()
    (copy / "decap-cms" / "decap-cms.js.map").write_text("{}", encoding="utf-8")
    assert verify(copy) == ["missing: decap-cms/103.decap-cms.js",
                            "not in MANIFEST: decap-cms/decap-cms.js.map",
                            "changed: decap-cms/cms.css"]

