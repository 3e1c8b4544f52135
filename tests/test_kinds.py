"""Page kinds (plugins/newsroom/pages/kinds/): templates read their page's data only.

Every kind of page of the sample site is built with NEWSROOM_TRACK_READS, which
records each value a template looked up on our objects (``nr``, ``spec``, a page's
data) and did not find. The live preview re-renders a page when the fingerprint of
its data changes (pages/digest.py): a template reading anything else (``nr.graph``)
would show what the preview does not follow. A second build proves the check works:
the same theme with a template that reads ``nr.graph`` is caught.
"""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from conftest import ENV, NEWSROOM, ROOT

from newsroom.pages.digest import fingerprint
from newsroom.pages.kinds import KINDS
from newsroom.pages.kinds.cards import TermLink

NOW = "2026-11-21 12:00"


def _build(tmp: Path, config: Path, reads: Path) -> subprocess.CompletedProcess:
    env = {**ENV, "NEWSROOM_NOW": NOW, "NEWSROOM_TRACK_READS": str(reads)}
    return subprocess.run([NEWSROOM, "build", "-q", "--no-reuse", "-f", str(config),
                           "--content", str(ROOT / "content"), "--brands", str(ROOT / "brands"),
                           "--site-dir", str(tmp / "site")], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)


def _site_with_theme(tmp: Path) -> Path:
    """The project's site_config.yml beside a copy of theme/ (which the test may change)."""
    shutil.copytree(ROOT / "theme", tmp / "theme")
    config = tmp / "site_config.yml"
    config.write_text((ROOT / "site_config.yml").read_text(encoding="utf-8"), encoding="utf-8")
    return config


# One page of each kind the sample site has (the free page is MkDocs' layout, with our head).
EVERY_KIND = ["index.html", "news/index.html", "news/2021/index.html", "tags/index.html",
              "regions/index.html", "columns/index.html", "brands/index.html", "workers/index.html",
              "search/index.html", "404.html", "about/index.html", "topics/index.html",
              "topics/songqingliang/index.html", "notices/index.html", "epaper/index.html",
              "epaper/2021-12-28/index.html", "epaper/2021-12-28/2/index.html"]


def test_templates_read_nothing_outside_their_data(tmp_path):
    reads = tmp_path / "reads.txt"
    proc = _build(tmp_path, _site_with_theme(tmp_path), reads)
    assert proc.returncode == 0, proc.stderr
    site = tmp_path / "site"
    for page in EVERY_KIND:
        assert (site / page).is_file(), page
    # An article, a tag / region / column listing, a brand and a worker page too.
    for pattern in ("news/*/*/*/index.html", "tags/*/index.html", "regions/*/index.html",
                    "columns/*/index.html", "brands/*/index.html", "workers/*/index.html",
                    "notices/*/*/*/index.html", "notices/通知/index.html"):
        assert any(site.glob(pattern)), pattern
    assert not reads.exists() or reads.read_text(encoding="utf-8") == ""


def test_a_template_reading_the_graph_is_caught(tmp_path):
    config = _site_with_theme(tmp_path)
    listing = tmp_path / "theme" / "listing.html"
    text = listing.read_text(encoding="utf-8")
    listing.write_text(text.replace("{% if page.content %}", "{% if nr.graph %}{% endif %}{% if page.content %}", 1),
                       encoding="utf-8")
    reads = tmp_path / "reads.txt"
    proc = _build(tmp_path, config, reads)
    assert proc.returncode == 0, proc.stderr
    assert "SiteContext.graph" in reads.read_text(encoding="utf-8").split()


def test_kinds_are_found_in_site_order():
    names = [k.name for k in KINDS]
    assert names[:2] == ["home", "article"]
    assert names.index("brands") < names.index("brand") < names.index("workers") < names.index("worker")
    assert names.index("tags") + 1 == names.index("tag")          # an index, then its listings
    assert {"search", "page", "404", "notice", "notices"} <= set(names)
    assert names.index("topics") + 1 == names.index("topic")


def test_fingerprint_follows_the_data_and_refuses_mutable_objects():
    memo: dict[int, int] = {}
    assert fingerprint(TermLink("柯桥", "regions/x/"), memo) != fingerprint(TermLink("柯桥", ""), {})
    try:
        fingerprint([1, 2], {})
    except TypeError:
        pass
    else:
        raise AssertionError("a list in page data must be refused")
