"""Notices (通知公告, 政策文件): real builds of a tree of notices, pages parsed.

Each notice page shows 文号, 发文机关, 成文日期 and its status (linking to the notice
that replaces it); a 公示 past its ``expires`` shows 已截止 as of the build
(NEWSROOM_NOW pins it); attachments are listed with type and size and published;
/notices/ is paginated, pinned first; each category has its page; the feed parses;
editors' mistakes are reported at their line, in Chinese.
"""
from __future__ import annotations

import json
import subprocess
import zipfile
from pathlib import Path
from urllib.parse import quote

import feedparser
import pytest

from conftest import ENV, NEWSROOM, page, write_tree

NOW = "2024-07-10 12:00"
FILLERS = 44          # 50 notices (the feeds' cap), 20 a page: /notices/page/1/ the oldest 20, /notices/ the newest 30


def _pdf() -> bytes:
    return b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def _zip(path: Path, name: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(name, "示例内容")


def run(root: Path, command: str, *extra: str) -> subprocess.CompletedProcess:
    args = [NEWSROOM, command, "--content", str(root / "content"), "--brands", str(root / "brands")]
    if command == "build":
        args += ["-q", "--site-dir", str(root / "site")]
    return subprocess.run([*args, *extra], env={**ENV, "NEWSROOM_NOW": NOW}, capture_output=True, text=True,
                          timeout=600)


NOTICE = """\
---
title: {title}
date: {date}
category: {category}
issuer: 柯桥区总工会
{extra}---
{body}
"""


def notice(title: str, date: str, category: str = "通知", extra: str = "", body: str = "通知正文。") -> str:
    return NOTICE.format(title=title, date=date, category=category, extra=extra, body=body)


def tree(root: Path) -> Path:
    files = {
        "content/news/2024/wenzhang.md": "---\ntitle: 一篇新闻\ndate: 2024-06-01 09:00\n---\n新闻正文。\n",
        "content/notices/2024/songqingliang.md": notice(
            "关于开展2024年“送清凉”活动的通知", "2024-06-20 09:00", extra=(
                "doc_number: 柯工〔2024〕12号\nwritten: 2024-06-18\nstatus: 已修订\n"
                "replaced_by: 2024/songqingliang-buchong\nexpires: 2024-07-05\nattachments:\n"
                "  - file: files/2024/fangan.pdf\n    title: 活动方案\n"
                "  - file: files/2024/baoming.xlsx\n    title: 报名表\n"
                "  - file: files/2024/shuoming.docx\n    title: 填报说明\n"
                "  - files/2024/tupian.zip\n"),
            body="各镇（街道）总工会：\n\n请做好送清凉工作。\n"),
        "content/notices/2024/songqingliang-buchong.md": notice(
            "关于“送清凉”活动的补充通知", "2024-06-28 09:00", extra="doc_number: 柯工〔2024〕15号\n"),
        "content/notices/2024/gongshi-open.md": notice("先进班组拟表彰名单公示", "2024-07-05 09:00", "公示",
                                                       "expires: 2024-07-10\n"),
        "content/notices/2024/gongshi-closed.md": notice("劳模疗休养人员名单公示", "2024-06-24 09:00", "公示",
                                                         "expires: 2024-07-01\n"),
        "content/notices/2024/rexian.md": notice("关于公布职工服务热线的公告", "2024-01-02 09:00", "公告",
                                                 "pinned_until: 2024-12-31\n"),
        "content/notices/2024/old-pin.md": notice("旧的置顶公告", "2024-01-03 09:00", "公告",
                                                  "pinned_until: 2024-02-01\n"),
        "content/notices/2024/caogao.md": notice("还是草稿的通知", "2024-07-01 09:00", extra="draft: true\n"),
        "content/notices/2024/future.md": notice("明天才发布的通知", "2024-07-11 09:00"),
    }
    for n in range(1, FILLERS + 1):
        files[f"content/notices/2023/zhengce-{n:02d}.md"] = notice(
            f"政策文件第{n}号", f"2023-{3 + (n - 1) // 28:02d}-{1 + (n - 1) % 28:02d} 09:00", "政策文件", f"doc_number: 柯工〔2023〕{n}号\n")
    write_tree(root, files)
    attachments = root / "content" / "files" / "2024"
    attachments.mkdir(parents=True)
    (attachments / "fangan.pdf").write_bytes(_pdf())
    _zip(attachments / "baoming.xlsx", "xl/workbook.xml")
    _zip(attachments / "shuoming.docx", "word/document.xml")
    _zip(attachments / "tupian.zip", "a.txt")
    return root


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = tree(tmp_path_factory.mktemp("notices"))
    proc = run(root, "build")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return root


def fact(soup, name: str) -> str:
    found = soup.select_one(f'dd[data-fact="{name}"]')
    return found.get_text(" ", strip=True) if found else ""


# ---------------------------------------------------------------- the notice page

def test_notice_page_shows_number_issuer_dates_and_status(built):
    soup = page(built / "site", "notices/2024/06/songqingliang/")
    assert soup.select_one("h1").get_text(strip=True) == "关于开展2024年“送清凉”活动的通知"
    assert fact(soup, "doc_number") == "柯工〔2024〕12号"
    assert fact(soup, "issuer") == "柯桥区总工会"
    assert fact(soup, "written") == "2024年6月18日"
    assert fact(soup, "date") == "2024年6月20日"
    assert fact(soup, "status").startswith("已修订")
    note = soup.select_one(".nr-notice-replaced")
    assert "已修订" in note.get_text()
    link = note.select_one("a")
    assert link.get_text() == "《关于“送清凉”活动的补充通知》"
    assert link["href"] == "../songqingliang-buchong/"
    # The replacing notice names the one it replaces.
    other = page(built / "site", "notices/2024/06/songqingliang-buchong/")
    assert fact(other, "status") == "有效"
    assert [a["href"] for a in other.select(".nr-notice-replaces a")] == ["../songqingliang/"]
    assert other.select_one(".nr-notice-replaced") is None


def test_a_gongshi_past_its_expiry_shows_closed(built):
    closed = page(built / "site", "notices/2024/06/gongshi-closed/")
    assert "已截止" in fact(closed, "status")
    assert closed.select_one(".nr-notice-closed-note") is not None
    # Expiring on the build's own day: open until that day ends.
    still_open = page(built / "site", "notices/2024/07/gongshi-open/")
    assert "已截止" not in fact(still_open, "status")
    assert fact(still_open, "expires") == "2024年7月10日"


def test_attachments_are_listed_with_type_and_size_and_published(built):
    site = built / "site"
    soup = page(site, "notices/2024/06/songqingliang/")
    items = soup.select(".nr-attachments li")
    shown = [(li.a.get_text(), li.a["data-kind"], li.select_one(".nr-attachment-meta").get_text()) for li in items]
    sizes = {name: (built / "content/files/2024" / name).stat().st_size
             for name in ("fangan.pdf", "baoming.xlsx", "shuoming.docx", "tupian.zip")}
    assert shown == [("活动方案", "PDF", f"（PDF，{sizes['fangan.pdf']} 字节）"),
                     ("报名表", "Excel", f"（Excel，{sizes['baoming.xlsx']} 字节）"),
                     ("填报说明", "Word", f"（Word，{sizes['shuoming.docx']} 字节）"),
                     ("tupian", "ZIP", f"（ZIP，{sizes['tupian.zip']} 字节）")]
    for li in items:
        href = li.a["href"]
        assert href.startswith("../../../../files/2024/")
        published = (site / "notices/2024/06/songqingliang" / href).resolve()
        source = built / "content/files/2024" / Path(href).name
        assert published.read_bytes() == source.read_bytes()
        assert int(li.a["data-size"]) == source.stat().st_size


# ---------------------------------------------------------------- listings

def _listed(soup) -> list[str]:
    return [a.get_text() for a in soup.select(".nr-notice-list .nr-item-link")]


def test_listing_is_pinned_first_then_newest_and_paginated(built):
    site = built / "site"
    first = page(site, "notices/")
    titles = _listed(first)
    assert titles[:6] == ["关于公布职工服务热线的公告", "先进班组拟表彰名单公示", "关于“送清凉”活动的补充通知",
                          "劳模疗休养人员名单公示", "关于开展2024年“送清凉”活动的通知", "旧的置顶公告"]
    assert first.select_one("[data-pinned] .nr-item-link").get_text() == "关于公布职工服务热线的公告"
    assert len(first.select("[data-pinned]")) == 1        # old-pin's date has passed
    assert len(titles) == 30 and "共 50 件" in first.get_text()
    second = page(site, "notices/page/1/")         # page numbers count from the oldest
    rest = _listed(second)
    assert len(rest) == 20 and len(titles) + len(rest) == 6 + FILLERS
    assert rest == [f"政策文件第{n}号" for n in range(20, 0, -1)]
    assert "共" not in second.select_one(".nr-listing-head").get_text()
    assert not (site / "notices/page/2").exists()
    assert "还是草稿的通知" not in titles + rest and "明天才发布的通知" not in titles + rest
    assert not (site / "notices/2024/07/caogao").exists()


def test_each_category_has_its_page_linked_from_the_listing(built):
    site = built / "site"
    links = {a.get_text(): a["href"] for a in page(site, "notices/").select("nav.nr-chips-nav a")}
    assert links == {"全部": "./", "通知": f"{quote('通知')}/", "公告": f"{quote('公告')}/",
                     "公示": f"{quote('公示')}/", "政策文件": f"{quote('政策文件')}/"}
    gongshi = page(site, f"notices/{quote('公示')}/")
    assert _listed(gongshi) == ["先进班组拟表彰名单公示", "劳模疗休养人员名单公示"]
    assert gongshi.select_one('nav.nr-chips-nav a[aria-current="page"]').get_text() == "公示"
    assert len(_listed(page(site, f"notices/{quote('政策文件')}/"))) == 24
    assert (site / "notices" / "政策文件" / "page" / "1" / "index.html").is_file()


# ---------------------------------------------------------------- feeds

def test_feeds_parse_and_carry_every_public_notice(built):
    site = built / "site"
    rss = feedparser.parse((site / "notices/feed.xml").read_bytes())
    assert not rss.bozo, rss.bozo_exception
    assert rss.feed.title.startswith("通知公告")
    titles = [e.title for e in rss.entries]
    assert len(titles) == 6 + FILLERS
    assert titles[0] == "先进班组拟表彰名单公示"           # newest first: pins are for the page
    entry = next(e for e in rss.entries if e.title == "关于开展2024年“送清凉”活动的通知")
    assert entry.link == "https://news.kqzgh.example.cn/notices/2024/06/songqingliang/"
    assert entry.author == "柯桥区总工会"
    assert [t.term for t in entry.tags] == ["通知"]
    assert entry.enclosures[0].href.endswith("/files/2024/fangan.pdf")
    assert entry.enclosures[0].type == "application/pdf"
    assert "柯工〔2024〕12号" in entry.summary and "请做好送清凉工作" in entry.content[0].value
    data = json.loads((site / "notices/feed.json").read_text(encoding="utf-8"))
    item = next(i for i in data["items"] if i["title"] == "关于开展2024年“送清凉”活动的通知")
    assert [a["mime_type"] for a in item["attachments"]] == [
        "application/pdf", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "application/zip"]
    assert item["_newsroom"]["status"] == "已修订"
    # Pages of notices link the feed in their head.
    heads = [link["href"] for link in page(site, "notices/").select('link[rel="alternate"]')]
    assert "https://news.kqzgh.example.cn/notices/feed.xml" in heads


# ---------------------------------------------------------------- editors' mistakes

MISTAKES = {
    "content/notices/2024/missing-file.md": (notice("附件不存在", "2024-06-01 09:00", extra=(
        "attachments:\n  - file: files/2024/nope.pdf\n    title: 不存在的附件\n")), 7, "附件“files/2024/nope.pdf”不存在"),
    "content/notices/2024/bad-status.md": (notice("状态写错", "2024-06-02 09:00", extra="status: 作废\n"),
                                           6, "未知的状态“作废”"),
    "content/notices/2024/bad-category.md": (notice("类别写错", "2024-06-03 09:00", "通报"), 4, "未知的类别“通报”"),
    "content/notices/2024/bad-replacement.md": (notice("替代文件写错", "2024-06-04 09:00", extra=(
        "status: 已废止\nreplaced_by: 2024/no-such-notice\n")), 7, "替代文件“2024/no-such-notice”不存在"),
    "content/notices/2024/bad-expiry.md": (notice("截止早于发布", "2024-06-05 09:00", "公示", "expires: 2024-05-01\n"),
                                           6, "“expires”（截止日期）早于“date”（发布时间）"),
    "content/notices/2024/bad-type.md": (notice("附件类型不对", "2024-06-06 09:00", extra=(
        "attachments:\n  - file: files/2024/run.exe\n    title: 程序\n")), 7, "附件“files/2024/run.exe”的类型不能发布"),
}


def test_each_editor_mistake_is_reported_at_its_line(tmp_path):
    write_tree(tmp_path, {path: text for path, (text, _, _) in MISTAKES.items()})
    proc = run(tmp_path, "check")
    assert proc.returncode != 0
    out = proc.stdout + proc.stderr
    for path, (_, line, message) in MISTAKES.items():
        assert f"{path}:{line}: {message}" in out, (path, out)
    assert "Traceback" not in out


def test_an_attachment_outside_files_or_through_a_link_out_is_refused(tmp_path):
    outside = tmp_path / "secret.pdf"
    outside.write_bytes(_pdf())
    write_tree(tmp_path, {
        "content/notices/2024/link-out.md": notice("链接到外面", "2024-06-01 09:00", extra=(
            "attachments:\n  - file: files/2024/secret.pdf\n")),
        "content/notices/2024/not-in-files.md": notice("不在 files 下", "2024-06-02 09:00", extra=(
            "attachments:\n  - file: images/a.pdf\n")),
    })
    (tmp_path / "content/files/2024").mkdir(parents=True)
    (tmp_path / "content/files/2024/secret.pdf").symlink_to(outside)
    (tmp_path / "content/images").mkdir()
    (tmp_path / "content/images/a.pdf").write_bytes(_pdf())
    proc = run(tmp_path, "check")
    out = proc.stdout + proc.stderr
    assert "content/notices/2024/link-out.md:7: 附件“files/2024/secret.pdf”不能使用" in out
    assert "content/notices/2024/not-in-files.md:7: 附件“images/a.pdf”应放在 content/files/ 下" in out


# ---------------------------------------------------------------- home, search, newsroom new

def test_home_page_has_a_notices_block_pinned_first(built):
    home = page(built / "site", "")
    block = home.select_one("section.nr-home-notices")
    assert block.select_one("h2").get_text() == "通知公告"
    assert block.select_one("a.nr-more")["href"] == "notices/"
    titles = [a.get_text() for a in block.select(".nr-item-link")]
    assert titles[:3] == ["关于公布职工服务热线的公告", "先进班组拟表彰名单公示", "关于“送清凉”活动的补充通知"]
    assert len(titles) == 6


def test_notices_are_searchable_with_their_category_as_a_facet(built):
    import datetime as dt
    from zoneinfo import ZoneInfo

    from newsroom.content.graph import build_graph
    from newsroom.core.settings import Settings
    from newsroom.search.shards import plan_shards

    now = dt.datetime(2024, 7, 10, 12, tzinfo=ZoneInfo("Asia/Shanghai"))
    graph, _ = build_graph(built / "content", built / "brands", Settings(now=now))
    records = {r.url: r for shard in plan_shards(graph) for r in shard.records}
    r = records["notices/2024/06/songqingliang/"]
    payload = r.payload(0, "nr2024n", "x")
    assert payload["filters"]["category"] == ["通知"] and payload["filters"]["type"] == ["notice"]
    assert payload["meta"]["category"] == "通知"
    assert "柯工〔2024〕12号" in r.text and "柯桥区总工会" in r.text and "请做好送清凉工作" in r.text
    assert "notices/2024/07/caogao/" not in records
    manifest = json.loads((built / "site/pagefind/newsroom-shards.json").read_text(encoding="utf-8"))
    shard = next(s for s in manifest["shards"] if s["key"] == "nr2024n")
    assert shard["year"] == 2024 and shard["pages"] == 6


def test_newsroom_new_notice_writes_a_skeleton_that_checks(tmp_path):
    write_tree(tmp_path, {})
    proc = run(tmp_path, "new", "notice", "关于开展2024年“送清凉”活动的通知", "--date", "2024-06-20 09:00")
    assert proc.returncode == 0, proc.stderr
    path = Path(proc.stdout.strip().removeprefix("已新建："))
    assert path.parent == tmp_path / "content/notices/2024"
    text = path.read_text(encoding="utf-8")
    for line in ("category: 通知", "issuer: 柯桥区总工会", "status: 有效", "attachments: []", "draft: true"):
        assert line in text
    check = run(tmp_path, "check")
    assert check.returncode == 0, check.stdout + check.stderr


def test_newsboat_reads_the_notices_feed(built, tmp_path):
    from conftest import serve_dir
    from test_newsboat import _guids, _newsboat, _subscribe

    exe = _newsboat()
    server, base = serve_dir(built / "site")
    try:
        count, db = _subscribe(exe, tmp_path / "nb", [base + "notices/feed.xml"])
    finally:
        server.shutdown()
    guids = _guids(built / "site", "notices/feed.xml")
    assert count == len(guids) == 6 + FILLERS
    titles = {r[0] for r in db.execute("SELECT title FROM rss_item")}
    assert "关于开展2024年“送清凉”活动的通知" in titles
