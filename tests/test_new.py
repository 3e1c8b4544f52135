"""`newsroom new`: asks nothing it can infer, and what it writes passes `check`."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

from conftest import check_tree, newsroom, write_tree


def new(root: Path, *args: str):
    proc = newsroom("new", "--content", str(root / "content"), "--brands", str(root / "brands"), *args)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def front(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    return yaml.load(text.split("---\n")[1], Loader=yaml.BaseLoader)


def test_new_article(tmp_path):
    root = write_tree(tmp_path, {})
    before = dt.datetime.now(ZoneInfo("Asia/Shanghai")).replace(second=0, microsecond=0)
    proc = new(root, "article", "柯桥区总工会聚力构筑“柯工”品牌矩阵")
    after = dt.datetime.now(ZoneInfo("Asia/Shanghai"))
    assert proc.returncode == 0, proc.stderr
    year = before.year if (root / "content/news" / str(before.year)).is_dir() else after.year
    path = root / "content/news" / str(year) / "ke-qiao-qu-zong-gong-hui-ju-li.md"
    assert path.is_file(), list(root.rglob("*.md"))
    assert str(path) in proc.stdout and "已新建" in proc.stdout
    meta = front(path)
    assert meta["title"] == "柯桥区总工会聚力构筑“柯工”品牌矩阵"
    assert meta["draft"] == "true"
    when = dt.datetime.strptime(meta["date"], "%Y-%m-%d %H:%M").replace(tzinfo=ZoneInfo("Asia/Shanghai"))
    assert before <= when <= after              # now, in the site's zone (Beijing time)
    proc = check_tree(root)
    assert proc.returncode == 0, proc.stderr
    assert "错误" not in proc.stdout + proc.stderr


def test_new_article_with_date(tmp_path):
    root = write_tree(tmp_path, {})
    proc = new(root, "article", "年终回顾", "--date", "2021-12-28 09:30")
    assert proc.returncode == 0, proc.stderr
    path = root / "content/news/2021/nian-zhong-hui-gu.md"
    assert front(path)["date"] == "2021-12-28 09:30"


def test_new_article_bad_date(tmp_path):
    root = write_tree(tmp_path, {})
    proc = new(root, "article", "年终回顾", "--date", "2021-02-30")
    assert proc.returncode == 1
    assert "2 月没有 30 日" in proc.stderr


def test_title_with_colon_and_quotes_is_quoted(tmp_path):
    root = write_tree(tmp_path, {})
    title = '专访: 叶金龙 "工匠" #1 [技能]'
    proc = new(root, "article", title, "--id", "zhuanfang-ye-jinlong")
    assert proc.returncode == 0, proc.stderr
    path = next(root.glob("content/news/*/zhuanfang-ye-jinlong.md"))
    assert front(path)["title"] == title
    assert check_tree(root).returncode == 0


def test_title_with_latin_and_digits(tmp_path):
    root = write_tree(tmp_path, {})
    proc = new(root, "article", "2021年 Hello 柯桥")
    assert proc.returncode == 0, proc.stderr
    assert list(root.glob("content/news/*/2021-nian-hello-ke-qiao.md"))


def test_new_brand_and_worker(tmp_path):
    root = write_tree(tmp_path, {})
    assert new(root, "brand", "柯工益").returncode == 0
    assert new(root, "worker", "叶金龙").returncode == 0
    brand, worker = root / "brands/ke-gong-yi.md", root / "content/workers/ye-jin-long.md"
    assert front(brand)["name"] == "柯工益"
    assert front(worker)["name"] == "叶金龙"
    assert re.fullmatch(r"\d{4}", front(brand)["since"])
    proc = check_tree(root)
    assert proc.returncode == 0, proc.stderr


def test_existing_file_is_not_overwritten(tmp_path):
    root = write_tree(tmp_path, {"brands/ke-gong-yi.md": "---\nname: 柯工益\n---\n原有的介绍。\n"})
    original = (root / "brands/ke-gong-yi.md").read_bytes()
    proc = new(root, "brand", "柯工益")
    assert proc.returncode == 1
    assert "已存在" in proc.stderr and "--id" in proc.stderr
    assert (root / "brands/ke-gong-yi.md").read_bytes() == original


def test_bad_id(tmp_path):
    root = write_tree(tmp_path, {})
    proc = new(root, "worker", "叶金龙", "--id", "叶金龙")
    assert proc.returncode == 1
    assert "ye-jin-long" in proc.stderr


def test_pre_commit_hook_and_ci_example():
    from conftest import ROOT

    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "newsroom-check")
    assert hook["entry"] == "newsroom check" and hook["language"] == "python"
    assert hook["pass_filenames"] is False
    files = re.compile(hook["files"])
    for path in ("content/news/2021/a.md", "brands/ke-gong-yi.md", "content/images/a.jpg", "site_config.yml"):
        assert files.search(path), path
    for path in ("README.md", "theme/main.html", "old_site_config.yml"):
        assert not files.search(path), path
    ci = yaml.safe_load((ROOT / "docs/examples/content-ci.yml").read_text(encoding="utf-8"))
    steps = [s.get("run", "") for job in ci["jobs"].values() for s in job["steps"]]
    assert any("newsroom check" in s for s in steps)
    assert any("newsroom build" in s for s in steps)
    assert any("发布" in (s.get("name") or "") for job in ci["jobs"].values() for s in job["steps"])
