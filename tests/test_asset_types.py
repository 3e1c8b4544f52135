"""Files in content/ and brands/ that would run scripts on the site's origin (review finding 2).

An SVG opened on its own runs its scripts; an .html or .js file is a page or script of
the site. Each is an error at its own path (and the SVG's line), from check and the
build alike, and nothing is published. The sample's own SVGs pass.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import ROOT, build_tree, check_tree

SVG = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10">\n'
# file (under the site folder) -> (its text, line of the error, words the message holds)
HOSTILE = {
    "content/images/2021/script.svg": (SVG + "<rect/>\n<script>alert(document.domain)</script></svg>\n", 3, "<script>"),
    "content/images/2021/prefixed.svg": (SVG + '<h:script xmlns:h="http://www.w3.org/1999/xhtml">x()</h:script></svg>\n', 2, "script"),
    "content/images/2021/onload.svg": (SVG.replace("height", 'onload="alert(1)" height'), 1, "onload"),
    "content/images/2021/js-link.svg": (SVG + '<a href="&#106;avascript:alert(1)"><rect/></a></svg>\n', 2, "javascript:"),
    "content/images/2021/animate.svg": (SVG + '<a><animate attributeName="href" values="javascript:alert(1)"/></a></svg>\n', 2, "javascript:"),
    "content/images/2021/foreign.svg": (SVG + "<foreignObject><div>x</div></foreignObject></svg>\n", 2, "foreignobject"),
    "content/images/2021/external.svg": (SVG + '<image xlink:href="https://evil.example/x.png"/></svg>\n', 2, "evil.example"),
    "content/images/2021/slashes.svg": (SVG + '<image href="//evil.example/x.png"/></svg>\n', 2, "evil.example"),
    "content/images/2021/style-url.svg": (SVG + "<style>\nrect { fill: url('https://evil.example/f') }\n</style></svg>\n", 3, "evil.example"),
    "content/images/2021/fill-url.svg": (SVG + '<rect fill="url(//evil.example/p#g)"/></svg>\n', 2, "evil.example"),
    "content/images/2021/entity.svg": ('<!DOCTYPE svg [\n<!ENTITY x "&#60;script&#62;">\n]>\n' + SVG + "&x;</svg>\n", 1, "ENTITY"),
    "content/images/2021/xsl.svg": ('<?xml-stylesheet type="text/xsl" href="x.xsl"?>\n' + SVG + "</svg>\n", 1, "xml-stylesheet"),
    "content/images/2021/utf16.svg": (None, 1, "UTF-8"),
    "brands/img/logo-hostile.svg": (SVG + "<script>alert(1)</script></svg>\n", 2, "<script>"),
    "content/images/2021/notice.html": ("<!doctype html><script>alert(document.domain)</script>\n", 1, ".html"),
    "content/pages/x.htm": ("<script>alert(1)</script>\n", 1, ".htm"),
    "content/images/a.xhtml": ("<html/>\n", 1, ".xhtml"),
    "content/images/app.js": ("alert(1)\n", 1, ".js"),
    "brands/img/mod.mjs": ("alert(1)\n", 1, ".mjs"),
}


def _sample(root: Path) -> Path:
    for part in ("site_config.yml", "content", "brands", "theme"):
        source = ROOT / part
        (shutil.copytree if source.is_dir() else shutil.copy)(source, root / part)
    return root


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    root = _sample(tmp_path_factory.mktemp("assets"))
    for rel, (text, _, _) in HOSTILE.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if text is None:
            path.write_bytes((SVG + "<script>alert(1)</script></svg>\n").encode("utf-16"))
        else:
            path.write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def checked(hostile_site):
    return check_tree(hostile_site)


@pytest.mark.parametrize("rel", sorted(HOSTILE))
def test_check_refuses_each_file_at_its_line(checked, rel):
    proc = checked
    assert proc.returncode == 1
    _, line, words = HOSTILE[rel]
    rows = [r for r in (proc.stdout + proc.stderr).splitlines() if f"{rel}:{line}: " in r]
    assert rows and words.lower() in rows[0].lower() and "不能" in rows[0], (rel, proc.stdout)


def test_build_refuses_and_publishes_nothing(hostile_site):
    proc = build_tree(hostile_site)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    assert "images/2021/script.svg" in out and "notice.html" in out
    assert not (hostile_site / "site").exists()


def test_the_samples_own_svgs_pass(tmp_path):
    root = _sample(tmp_path)
    assert list(root.glob("content/**/*.svg")), "the sample has SVGs"
    proc = check_tree(root)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert ".svg" not in proc.stdout
