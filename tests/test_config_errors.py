"""Mistakes in site_config.yml: Chinese messages at the setting's line, nothing published.

Each test writes a copy of the project's site_config.yml with one typo into a
temporary folder (folders made absolute, so the copy builds the sample site),
then runs the real CLI, or plain ``mkdocs build``.
"""
from __future__ import annotations

import subprocess

import pytest
from pathlib import Path

from conftest import BIN, ENV, ROOT, newsroom, soup

CONFIG = (ROOT / "site_config.yml").read_text(encoding="utf-8")


def _config(tmp_path: Path, old: str, new: str) -> tuple[Path, int]:
    """The project's config with ``old`` replaced by ``new``; returns (file, line of the change)."""
    assert old in CONFIG
    text = CONFIG.replace(old, new, 1)
    text = text.replace("docs_dir: content", f"docs_dir: {ROOT / 'content'}")
    text = text.replace("custom_dir: theme", f"custom_dir: {ROOT / 'theme'}")
    text = text.replace("brands_dir: !ENV [NEWSROOM_BRANDS_DIR, brands]", f"brands_dir: {ROOT / 'brands'}")
    path = tmp_path / "site_config.yml"
    path.write_text(text, encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if new.splitlines()[0] in row)
    return path, line


def _check(config: Path) -> subprocess.CompletedProcess:
    return newsroom("check", "-f", str(config), cwd=config.parent)


def _fails_with(proc: subprocess.CompletedProcess, where: str, *words: str) -> None:
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert where in proc.stderr, proc.stderr
    for word in words:
        assert word in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr and "Config value" not in proc.stderr, proc.stderr


def test_timezone_that_is_no_time_zone(tmp_path):
    config, line = _config(tmp_path, "timezone: Asia/Shanghai", "timezone: 北京时间")
    _fails_with(_check(config), f"site_config.yml:{line}:", "timezone“北京时间”不是时区名称", "Asia/Shanghai")


def test_per_page_in_chinese_numerals(tmp_path):
    config, line = _config(tmp_path, "per_page: 20", "per_page: 二十")
    _fails_with(_check(config), f"site_config.yml:{line}:", "per_page 应是一个整数")


def test_site_url_without_scheme(tmp_path):
    config, line = _config(tmp_path, "site_url: https://news.kqzgh.example.cn/", "site_url: news.kqzgh.example.cn")
    _fails_with(_check(config), f"site_config.yml:{line}:", "site_url 应是完整的网址", "https://")


def test_full_width_colon_after_a_setting(tmp_path):
    config, line = _config(tmp_path, "site_name: 柯桥工会新闻网", "site_name：柯桥工会新闻网")
    _fails_with(_check(config), f"site_config.yml:{line}:", "全角“：”", "半角")


def test_misspelt_setting_is_a_warning(tmp_path):
    config, line = _config(tmp_path, "copyright: 柯桥区总工会", "copyrite: 柯桥区总工会")
    proc = _check(config)
    assert proc.returncode == 0, proc.stderr
    assert f"site_config.yml:{line}: 警告：不认识的设置项 copyrite" in proc.stderr


def test_menu_entry_to_a_missing_page_is_dropped_with_a_warning(tmp_path):
    config, line = _config(tmp_path, "关于我们: pages/about.md", "关于我们: pages/aboutus.md")
    message = f"site_config.yml:{line}: 警告：菜单（nav）中的“关于我们”指向 pages/aboutus.md"
    proc = _check(config)
    assert proc.returncode == 0 and message in proc.stdout + proc.stderr, proc.stdout + proc.stderr
    site = tmp_path / "site"
    proc = newsroom("build", "-q", "-f", str(config), "--site-dir", str(site), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert message in proc.stderr and "A reference to" not in proc.stderr
    links = [a["href"] for a in soup(site / "index.html").select("a[href]")]
    assert not any("about" in href for href in links)          # no broken menu link
    assert soup(site / "news/index.html").select_one(".md-tabs")  # the other sections are still there


def test_full_width_colon_in_the_menu(tmp_path):
    config, line = _config(tmp_path, "  - 关于我们: pages/about.md", "  - 关于我们：pages/about.md")
    proc = _check(config)
    assert f"site_config.yml:{line}: 警告：菜单（nav）中的“关于我们：pages/about.md”用了全角冒号" in proc.stdout


def test_plain_mkdocs_build_stops_before_touching_the_site(tmp_path):
    config, line = _config(tmp_path, "timezone: Asia/Shanghai", "timezone: UTC+8")
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("published", encoding="utf-8")
    proc = subprocess.run([str(BIN / "mkdocs"), "build", "-q", "-f", str(config), "-d", str(site)],
                          cwd=tmp_path, env=ENV, capture_output=True, text=True, timeout=600)
    assert proc.returncode != 0
    assert f"site_config.yml:{line}: newsroom 插件的 timezone“UTC+8”不是时区名称" in proc.stderr
    assert (site / "index.html").read_text(encoding="utf-8") == "published"


@pytest.mark.parametrize("old, new", [
    ("site_name: ", 'site_name: "柯桥\\v工会\\x01\\ud800新闻"\nold_site_name: '),
    ("  icp: ", '  icp: "浙ICP备\\U0000DC00"\n  old_icp: '),
])
def test_lone_surrogate_escape_is_an_error_at_its_line(tmp_path, old, new):
    config, line = _config(tmp_path, old, new)
    proc = newsroom("build", "-f", str(config), "--site-dir", str(tmp_path / "site"), cwd=config.parent)
    _fails_with(proc, f"site_config.yml:{line}:", "转义", "直接写出想要的文字")
    assert "程序内部错误" not in proc.stderr and "UnicodeEncodeError" not in proc.stderr
    assert not (tmp_path / "site").exists()
