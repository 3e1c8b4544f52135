"""`newsroom new`: asks nothing it can infer, and what it writes passes `check`."""
from __future__ import annotations

import datetime as dt
import json
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


def test_existing_brand_is_named_and_nothing_is_written(tmp_path):
    root = write_tree(tmp_path, {"brands/ke-gong-yi.md": "---\nname: 柯工益\n---\n原有的介绍。\n"})
    original = (root / "brands/ke-gong-yi.md").read_bytes()
    for extra in ((), ("--id", "kegongyi")):          # a brand name is unique, whatever the file name
        proc = new(root, "brand", "柯工益", *extra)
        assert proc.returncode == 1
        assert f"品牌“柯工益”已存在：{root / 'brands/ke-gong-yi.md'}，没有新建" in proc.stderr, proc.stderr
    assert (root / "brands/ke-gong-yi.md").read_bytes() == original
    assert sorted(p.name for p in (root / "brands").iterdir()) == ["ke-gong-yi.md"]


ARTICLE_NAMING_YE = "---\ntitle: 劳模进企业\ndate: 2021-05-01\nworkers: [叶金龙]\n---\n\n叶金龙走进车间。\n"


def _workers_tree(tmp_path: Path) -> Path:
    """The sample's spelling: ye-jinlong.md, where pypinyin spells 叶金龙 ye-jin-long."""
    return write_tree(tmp_path, {
        "content/workers/ye-jinlong.md": "---\nname: 叶金龙\nhonors: [全国劳动模范]\n---\n\n高级技师。\n",
        "content/news/2021/lao-mo.md": ARTICLE_NAMING_YE,
    })


def test_existing_worker_by_name_is_not_duplicated(tmp_path):
    root = _workers_tree(tmp_path)
    proc = new(root, "worker", "叶金龙")
    assert proc.returncode == 1
    where = root / "content/workers/ye-jinlong.md"
    assert f"劳模工匠“叶金龙”已存在：{where}，没有新建" in proc.stderr, proc.stderr
    assert sorted(p.name for p in (root / "content/workers").iterdir()) == ["ye-jinlong.md"]
    assert check_tree(root).returncode == 0          # the article naming 叶金龙 still resolves


def test_worker_whose_id_differs_only_in_hyphens_is_refused(tmp_path):
    root = _workers_tree(tmp_path)
    proc = new(root, "worker", "叶锦龙")                # ye-jin-long too: another name, the same letters
    assert proc.returncode == 1
    assert str(root / "content/workers/ye-jinlong.md") in proc.stderr
    assert "叶金龙" in proc.stderr and "只差连字符" in proc.stderr
    assert "例如 ye-jin-long-2" in proc.stderr
    assert not (root / "content/workers/ye-jin-long.md").exists()
    proc = new(root, "worker", "叶锦龙", "--id", "ye-jin-long-2")   # another person: the editor's id
    assert proc.returncode == 0, proc.stderr
    assert front(root / "content/workers/ye-jin-long-2.md")["name"] == "叶锦龙"
    assert check_tree(root).returncode == 0


def _new_article(root: Path, title: str, *extra: str) -> Path:
    proc = new(root, "article", title, "--date", "2021-07-01 09:00", *extra)
    assert proc.returncode == 0, proc.stderr
    created = Path(proc.stdout.split("已新建：", 1)[1].strip())
    assert front(created)["title"] == title
    return created


def test_headlines_with_the_same_opening_never_collide(tmp_path):
    root = write_tree(tmp_path, {})
    made = [_new_article(root, t).stem for t in (
        "柯桥区总工会开展送清凉活动", "柯桥区总工会开展职工技能比武", "柯桥区总工会开展送清凉活动",
        "柯桥区总工会开展送清凉活动")]
    assert made == ["ke-qiao-qu-zong-gong-hui-kai-zhan",
                    "ke-qiao-qu-zong-gong-hui-kai-zhan-zhi-gong-ji-neng-bi-wu",
                    "ke-qiao-qu-zong-gong-hui-kai-zhan-song-qing-liang-huo-dong",
                    "ke-qiao-qu-zong-gong-hui-kai-zhan-2"]
    proc = check_tree(root, "--format", "json")      # four drafts of one month: no URL twice
    assert json.loads(proc.stdout)["problems"] == [], proc.stdout


def test_an_id_used_as_slug_or_dated_file_name_is_taken(tmp_path):
    """The URL name is what must be unique: `slug:` and 2021-07-01-<slug>.md use one too."""
    old = "---\ntitle: 旧闻\ndate: 2021-07-01\nslug: ke-qiao-qu-zong-gong-hui-kai-zhan\n---\n\n正文。\n"
    root = write_tree(tmp_path, {"content/news/2021/old.md": old,
                                 "content/news/2021/2021-07-02-nian-zhong-hui-gu.md": old.replace(
                                     "slug: ke-qiao-qu-zong-gong-hui-kai-zhan\n", "")})
    assert _new_article(root, "柯桥区总工会开展送清凉活动").stem == \
        "ke-qiao-qu-zong-gong-hui-kai-zhan-song-qing-liang-huo-dong"
    assert _new_article(root, "年终回顾").stem == "nian-zhong-hui-gu-2"
    proc = check_tree(root, "--format", "json")
    assert json.loads(proc.stdout)["errors"] == 0, proc.stdout


def test_a_chosen_id_that_is_taken_is_refused(tmp_path):
    root = write_tree(tmp_path, {})
    first = _new_article(root, "年终回顾", "--id", "nian-zhong")
    original = first.read_bytes()
    proc = new(root, "article", "另一篇", "--date", "2021-08-01", "--id", "nian-zhong")
    assert proc.returncode == 1
    assert f"{first} 已存在，没有覆盖它" in proc.stderr
    assert first.read_bytes() == original
    proc = new(root, "article", "另一篇", "--id", "feed")
    assert proc.returncode == 1 and "网站自己要用的名字" in proc.stderr
    assert not list(root.glob("content/news/*/feed.md"))


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
