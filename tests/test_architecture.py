"""The package layers (docs/architecture.md) hold: import-linter's contracts in
pyproject.toml pass, and they do catch a forbidden import. The old name of the Markdown
extension, ``newsroom.mdext``, still builds the same pages."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from conftest import BIN, ROOT, newsroom, page, png, write_tree

LINT = str(BIN / "lint-imports")


def lint_imports(cwd: Path, plugins: Path) -> subprocess.CompletedProcess:
    """lint-imports with the pyproject.toml in ``cwd``, on the package found in ``plugins``."""
    env = {**os.environ, "PYTHONPATH": str(plugins)}
    return subprocess.run([LINT, "--no-cache"], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def test_import_contracts_are_kept():
    proc = lint_imports(ROOT, ROOT / "plugins")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "3 kept, 0 broken" in proc.stdout, proc.stdout


def test_forbidden_imports_break_every_contract(tmp_path):
    """A copy of the package with a core module importing mkdocs and the MkDocs adapter,
    and a cycle inside search/, breaks all three contracts."""
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    package = tmp_path / "plugins" / "newsroom"
    shutil.copytree(ROOT / "plugins" / "newsroom", package, ignore=shutil.ignore_patterns("__pycache__"))
    with open(package / "core" / "ids.py", "a", encoding="utf-8") as f:
        f.write("\n\ndef _bad() -> None:\n    import mkdocs  # noqa\n    from ..mkdocs import plugin  # noqa\n")
    with open(package / "search" / "bundle.py", "a", encoding="utf-8") as f:
        f.write("\n\ndef _cycle() -> None:\n    from .indexer import IndexJob  # noqa\n")
    proc = lint_imports(tmp_path, tmp_path / "plugins")
    assert proc.returncode != 0
    assert "0 kept, 3 broken" in proc.stdout, proc.stdout
    assert "newsroom.core.ids -> newsroom.mkdocs.plugin" in proc.stdout, proc.stdout
    assert "newsroom.core.ids -> mkdocs" in proc.stdout, proc.stdout


def _config(tmp_path: Path, extension: str) -> Path:
    """The project's site_config.yml naming the Markdown extension ``extension``."""
    text = (ROOT / "site_config.yml").read_text(encoding="utf-8")
    assert "  - newsroom.mkdocs.mdext\n" in text and "custom_dir: theme\n" in text
    text = text.replace("  - newsroom.mkdocs.mdext\n", f"  - {extension}\n")
    text = text.replace("custom_dir: theme\n", f"custom_dir: {ROOT / 'theme'}\n")
    config = tmp_path / f"{extension}.yml"
    config.write_text(text, encoding="utf-8")
    return config


def test_old_extension_name_builds_the_same_pages(tmp_path):
    tree = write_tree(tmp_path / "tree", {"content/news/2024/a.md": """
        ---
        title: 职工书屋开放
        date: 2024-05-01
        ---

        第一段<script>alert('x')</script>正文。

        ![书屋](../../images/room.png)
        """})
    (tree / "content" / "images").mkdir()
    (tree / "content" / "images" / "room.png").write_bytes(png(40, 30))
    sites = {}
    for extension in ("newsroom.mkdocs.mdext", "newsroom.mdext"):
        sites[extension] = tmp_path / extension
        newsroom("build", "-q", "-f", str(_config(tmp_path, extension)), "--content", str(tree / "content"),
                 "--brands", str(tree / "brands"), "--site-dir", str(sites[extension]), check=True)
    url = "news/2024/05/a/index.html"
    old, new = (sites[e] / url for e in ("newsroom.mdext", "newsroom.mkdocs.mdext"))
    assert old.read_bytes() == new.read_bytes()
    body = page(sites["newsroom.mdext"], "news/2024/05/a/").select_one("article")
    assert body.find("script") is None and "alert" not in body.get_text()   # the allow-list ran
    img = body.find("img", src=lambda s: s and "room" in s)   # room.png or its variant (photos)
    assert img is not None and img["width"] == "40" and img["height"] == "30"   # image sizes ran
