"""A fresh clone works as its README and docs/editors.md say (issue 16 item 9)."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from conftest import ENV, ROOT

DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
# [text](target): the target up to a space (a title) or the closing parenthesis.
LINK = re.compile(r"\]\(\s*<?([^)\s>]+)")
# Examples for editors (`![图片说明](../../images/…)`) are code, not links.
CODE = re.compile(r"^```.*?^```|`[^`\n]+`", re.S | re.M)


def _local_links(doc: Path) -> list[str]:
    targets = LINK.findall(CODE.sub("", doc.read_text(encoding="utf-8")))
    return [t for t in targets if not re.match(r"[a-z][a-z0-9+.-]*:|#|//", t)]


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_local_links_stay_in_the_repository(doc):
    for target in _local_links(doc):
        path = (doc.parent / target.split("#")[0]).resolve()
        assert path.is_relative_to(ROOT), f"{doc.name} links outside the repository: {target}"
        assert path.exists(), f"{doc.name}: broken link {target}"


def test_the_content_contract_is_in_the_repository():
    assert "docs/content-model.md" in _local_links(ROOT / "README.md")
    assert "content-model.md" in _local_links(ROOT / "docs/editors.md")
    contract = (ROOT / "docs/content-model.md").read_text(encoding="utf-8")
    for heading in ("## Layout", "## Article", "## Brand", "## Worker profile", "## Notice", "## What a bad file gets"):
        assert heading in contract
    # Every kind the spec names is supported now: nothing is promised as planned.
    assert "## Print edition" in contract and "## Video" in contract and "Planned content types" not in contract


def test_activate_then_newsroom_as_written():
    """README and editors.md: `. .venv/bin/activate`, then `newsroom check`, in a shell whose
    PATH does not have the virtualenv (a new terminal)."""
    for doc in ("README.md", "docs/editors.md"):
        text = (ROOT / doc).read_text(encoding="utf-8")
        assert ". .venv/bin/activate" in text and ".venv/bin/newsroom" in text, doc
    env = {**ENV, "PATH": "/usr/local/bin:/usr/bin:/bin"}
    env.pop("VIRTUAL_ENV", None)
    bare = subprocess.run(["sh", "-c", "command -v newsroom"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert bare.returncode != 0, bare.stdout              # not on PATH before activating: why the docs say it
    proc = subprocess.run(["sh", "-c", ". .venv/bin/activate && newsroom check"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "内容检查通过" in proc.stdout


def test_make_cli_says_how_to_run_newsroom():
    proc = subprocess.run(["make", "-s", "cli"], cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert ".venv/bin/newsroom check" in proc.stdout and ". .venv/bin/activate" in proc.stdout
    assert (ROOT / ".venv/bin/newsroom").is_file()
