"""Containment of editors' input (issue 19): links out, special files, sizes, YAML bombs.

Each case lays out a site folder (site_config.yml, content/, brands/) beside an
"outside" folder holding a unique marker, runs the real `newsroom check` and
`newsroom build`, and asserts the exit code, the Chinese path:line message, and
that the marker appears nowhere under the built site. Every command runs with a
timeout: a FIFO that blocks a reader fails the test instead of hanging it.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from conftest import ENV, NEWSROOM, ROOT, png, write_tree
from test_incremental import preview  # noqa: F401  (the live preview of a small tree)

MARKER = "NR-OUTSIDE-SECRET-5d1c9e"      # in every outside file, and in the build's environment
CONFIG = (ROOT / "site_config.yml").read_text(encoding="utf-8").replace(
    "custom_dir: theme", f"custom_dir: {ROOT / 'theme'}")
BRAND = "---\nname: 柯工赛\nlogo: {logo}\n---\n\n以赛促训。\n"
ARTICLE = "---\ntitle: {title}\ndate: 2021-12-28 09:30\nbrands: [ke-gong-sai]\n{front}---\n\n{body}\n"


def _site(tmp_path: Path, files: dict[str, str] | None = None, logo: str = "") -> Path:
    """``tmp_path/site`` (the repository: site_config.yml, content/, brands/) and
    ``tmp_path/outside`` (files the build must never read or publish)."""
    outside = tmp_path / "outside"
    (outside / "folder").mkdir(parents=True)
    (outside / "secret.txt").write_text(f"SECRET_TOKEN={MARKER}\n", encoding="utf-8")
    (outside / "folder" / "leak.md").write_text(f"---\ntitle: {MARKER}\n---\n\n{MARKER}\n", encoding="utf-8")
    (outside / "folder" / "photo.png").write_bytes(png(4, 3) + MARKER.encode())
    (outside / "logo.svg").write_text(f"<svg xmlns='http://www.w3.org/2000/svg'><!-- {MARKER} --></svg>",
                                      encoding="utf-8")
    site = tmp_path / "site"
    write_tree(site, {
        "brands/ke-gong-sai.md": BRAND.format(logo=logo) if logo else BRAND.replace("logo: {logo}\n", ""),
        "content/news/2021/race.md": ARTICLE.format(title="技能比武", front="", body="职工技能比武现场气氛热烈。"),
        **(files or {}),
    })
    (site / "site_config.yml").write_text(CONFIG, encoding="utf-8")
    return site


def _run(site: Path, *args: str) -> subprocess.CompletedProcess:
    """The real CLI in the site folder; a hang (a FIFO opened) fails instead of blocking."""
    return subprocess.run([NEWSROOM, *args], cwd=site, env={**ENV, "NR_CANARY": MARKER},
                          capture_output=True, text=True, timeout=180)


def _check(site: Path) -> subprocess.CompletedProcess:
    return _run(site, "check")


def _build(site: Path) -> subprocess.CompletedProcess:
    return _run(site, "build", "-q", "--site-dir", str(site / "public"))


def _no_marker_published(site: Path) -> None:
    public = site / "public"
    for path in public.rglob("*") if public.exists() else ():
        if path.is_file():
            assert MARKER.encode() not in path.read_bytes(), f"outside content published in {path}"
    leftovers = [p.name for p in site.iterdir() if p.name.startswith(".public.")]
    assert leftovers == []


def _fails(site: Path, *messages: str) -> None:
    """check and build both refuse, with each message, and publish nothing."""
    check = _check(site)
    assert check.returncode == 1, check.stdout + check.stderr
    for message in messages:
        assert message in check.stderr, check.stderr
    assert "Traceback" not in check.stderr
    build = _build(site)
    assert build.returncode == 1, build.stdout + build.stderr
    for message in messages:
        assert message in build.stderr, build.stderr
    assert "Traceback" not in build.stderr
    assert not (site / "public").exists()
    _no_marker_published(site)


OUT = "这是指向网站目录之外（或隐藏文件夹中）的链接"


def test_links_to_passwd_environ_and_outside_files_are_errors(tmp_path):
    site = _site(tmp_path)
    images = site / "content" / "images"
    images.mkdir()
    (images / "passwd.txt").symlink_to("/etc/passwd")
    (images / "env.txt").symlink_to("/proc/self/environ")
    (images / "secret.txt").symlink_to(tmp_path / "outside" / "secret.txt")
    (images / "relative.txt").symlink_to("../../../outside/secret.txt")
    _fails(site, f"content/images/passwd.txt:1: {OUT}：/etc/passwd",
           f"content/images/env.txt:1: {OUT}", f"content/images/secret.txt:1: {OUT}",
           f"content/images/relative.txt:1: {OUT}")


def test_link_into_a_hidden_folder_of_the_site_is_an_error(tmp_path):
    site = _site(tmp_path)
    (site / ".git").mkdir()
    (site / ".git" / "config").write_text(f"url = https://token:{MARKER}@example.org/\n", encoding="utf-8")
    (site / "content" / "images").mkdir()
    (site / "content" / "images" / "config.txt").symlink_to("../../.git/config")
    _fails(site, f"content/images/config.txt:1: {OUT}")


def test_linked_outside_folder_with_a_page_and_an_image(tmp_path):
    site = _site(tmp_path, {
        "content/news/2021/photo.md": ARTICLE.format(
            title="现场照片", front="image: images/out/photo.png\n", body="![现场](../../images/out/photo.png)"),
    })
    (site / "content" / "pages" / "leak").symlink_to(tmp_path / "outside" / "folder")
    (site / "content" / "images").mkdir()
    (site / "content" / "images" / "out").symlink_to(tmp_path / "outside" / "folder")
    _fails(site, f"content/pages/leak:1: {OUT}", f"content/images/out:1: {OUT}",
           "content/news/2021/photo.md:5: 题图“images/out/photo.png”不能使用：它是指向网站目录之外的链接",
           "content/news/2021/photo.md:8: 正文图片“../../images/out/photo.png”是指向网站目录之外的链接，不会发布")
    check = _check(site)
    assert MARKER not in check.stderr          # the outside page was never read


def test_brand_logo_through_a_link_out(tmp_path):
    site = _site(tmp_path, logo="brands/img/logo.svg")
    (site / "brands" / "img").mkdir()
    (site / "brands" / "img" / "logo.svg").symlink_to(tmp_path / "outside" / "logo.svg")
    _fails(site, f"brands/img/logo.svg:1: {OUT}",
           "brands/ke-gong-sai.md:3: 品牌标志“brands/img/logo.svg”不能使用：它是指向网站目录之外的链接")


@pytest.mark.parametrize("folder", ["content", "brands", "--content"])
def test_a_content_or_brands_folder_that_is_itself_a_link_out_is_an_error(tmp_path, folder):
    """A commit can replace content/ (or brands/) by a link: its target is not the site,
    whatever it holds (/run/secrets, a home folder). Nothing there is read or published."""
    site = _site(tmp_path)
    secrets = tmp_path / "outside" / "folder"
    name = "content" if folder == "--content" else folder
    (secrets / "db_password").write_text(f"postgres://{MARKER}@db/news\n", encoding="utf-8")
    (site / name).rename(tmp_path / f"{name}-as-committed")
    (site / name).symlink_to(secrets)
    if folder == "--content":               # the link named on the command line: the same rule
        for run in (_run(site, "check", "--content", "content"),
                    _run(site, "build", "-q", "--content", "content", "--site-dir", str(site / "public"))):
            assert run.returncode == 1, run.stdout + run.stderr
            assert f"content:1: {OUT}：{secrets}" in run.stderr, run.stderr
        assert not (site / "public").exists()
        return
    _fails(site, f"{name}:1: {OUT}：{secrets}")
    check = _check(site)
    assert MARKER not in check.stdout + check.stderr       # leak.md was never read


def test_links_out_of_the_theme_folder_are_errors_never_copied(tmp_path):
    """MkDocs copies custom_dir's static files through links: theme/assets/env.txt ->
    /proc/self/environ would publish the build's environment (a CI deploy token)."""
    site = _site(tmp_path)
    shutil.copytree(ROOT / "theme", site / "theme", symlinks=True)
    (site / "site_config.yml").write_text(CONFIG.replace(f"custom_dir: {ROOT / 'theme'}", "custom_dir: theme"),
                                          encoding="utf-8")
    assets = site / "theme" / "assets"
    (assets / "env.txt").symlink_to("/proc/self/environ")
    (assets / "secret.txt").symlink_to(tmp_path / "outside" / "secret.txt")
    (site / ".git").mkdir()
    (site / ".git" / "config").write_text(f"url = https://token:{MARKER}@example.org/\n", encoding="utf-8")
    (assets / "config.txt").symlink_to("../../.git/config")
    (assets / "inside.txt").symlink_to("../../content/news/2021/race.md")     # stays inside: allowed
    _fails(site, f"theme/assets/env.txt:1: {OUT}", f"theme/assets/secret.txt:1: {OUT}",
           f"theme/assets/config.txt:1: {OUT}")
    for name in ("env.txt", "secret.txt", "config.txt"):
        (assets / name).unlink()
    build = _build(site)
    assert build.returncode == 0, build.stderr
    assert (site / "public" / "assets" / "inside.txt").read_text(encoding="utf-8").startswith("---\ntitle: 技能比武")


def test_a_folder_link_that_loops_is_an_error_not_a_hang(tmp_path):
    site = _site(tmp_path)
    (site / "content" / "images").mkdir()
    (site / "content" / "images" / "again").symlink_to("..")
    _fails(site, "content/images/again:1: 这个文件夹链接指向它自己或它的上级文件夹，会无限循环")


def test_links_inside_the_site_keep_working(tmp_path):
    """Links that stay in the site folder: a shared image folder, a logo kept in content/,
    a folder of pages kept elsewhere in the site (its pages checked like any other)."""
    site = _site(tmp_path, {
        "content/news/2021/photo.md": ARTICLE.format(
            title="现场照片", front="image: images/shared/lead.png\n", body="![现场](../../images/shared/photo.png)"),
        "extra-pages/guide.md": "---\ntitle: 办事指南\n---\n\n工会会员服务指南。\n",
    }, logo="brands/img/logo.png")
    shared = site / "shared-images"
    shared.mkdir()
    (shared / "photo.png").write_bytes(png(8, 6))
    (shared / "lead.png").write_bytes(png(16, 9))
    (site / "content" / "images").mkdir()
    (site / "content" / "images" / "shared").symlink_to("../../shared-images")
    (site / "content" / "images" / "logo.png").write_bytes(png(5, 5))
    (site / "brands" / "img").mkdir()
    (site / "brands" / "img" / "logo.png").symlink_to("../../content/images/logo.png")
    (site / "content" / "pages" / "more").symlink_to("../../extra-pages")

    check = _check(site)
    assert check.returncode == 0, check.stdout + check.stderr
    build = _build(site)
    assert build.returncode == 0, build.stdout + build.stderr
    public = site / "public"
    # Published through the photo build: a stand-in without metadata at each original's URL.
    for path, size in (("images/shared/photo.png", (8, 6)), ("images/shared/lead.png", (16, 9)),
                       ("brands/img/logo.png", (5, 5))):
        with Image.open(public / path) as im:
            assert im.size == size, path
    assert "工会会员服务指南" in (public / "more" / "guide" / "index.html").read_text(encoding="utf-8")

    # A page reached through the link is validated like any other.
    (site / "extra-pages" / "guide.md").write_text("---\ntitel: 办事指南\n---\n\n指南。\n", encoding="utf-8")
    check = _check(site)
    assert "content/pages/more/guide.md:2:" in check.stdout + check.stderr, check.stdout + check.stderr


def test_fifos_are_skipped_with_a_warning_never_opened(tmp_path):
    site = _site(tmp_path)
    (site / "content" / "images").mkdir()
    fifos = ["content/news/2021/x.md", "content/pages/p.md", "content/images/pipe.png", "brands/pipe.md"]
    for rel in fifos:
        os.mkfifo(site / rel)
    (site / "content" / "images" / "pipe-link.png").symlink_to("pipe.png")
    check = _check(site)
    assert check.returncode == 0, check.stdout + check.stderr
    for rel in fifos + ["content/images/pipe-link.png"]:
        assert f"{rel}:1: 警告：这不是普通文件（命名管道（FIFO）），已跳过：不会读取也不会发布" in check.stdout, check.stdout
    build = _build(site)
    assert build.returncode == 0, build.stdout + build.stderr
    assert "content/news/2021/x.md:1: 警告：这不是普通文件" in build.stderr
    public = site / "public"
    assert (public / "news" / "2021" / "12" / "race" / "index.html").is_file()
    assert not (public / "images" / "pipe.png").exists() and not (public / "images" / "pipe-link.png").exists()
    assert not (public / "p").exists()


def _long_article(size: int) -> str:
    paragraph = "职工技能比武现场气氛热烈，来自全区各企业的选手同台竞技。" * 10 + "\n\n"
    body = paragraph * (size // len(paragraph.encode()) + 1)
    return ARTICLE.format(title="长文", front="", body=body)


def test_an_article_over_1_mb_is_a_warning(tmp_path):
    site = _site(tmp_path, {"content/news/2021/long.md": _long_article(1_500_000)})
    check = _check(site)
    assert check.returncode == 0, check.stderr
    assert "content/news/2021/long.md:1: 警告：文件有 1.4 MB，超过 1 MB：网站生成和订阅都会变慢" in check.stdout
    build = _build(site)
    assert build.returncode == 0, build.stderr
    assert (site / "public" / "news" / "2021" / "12" / "long" / "index.html").is_file()


def test_an_article_over_10_mb_is_an_error(tmp_path):
    site = _site(tmp_path, {"content/news/2021/huge.md": _long_article(11 << 20)})
    _fails(site, "content/news/2021/huge.md:1: 文件有 11.0 MB，超过 10 MB 的上限，没有读取")


def test_billion_laughs_gives_one_error(tmp_path):
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    front = "\n".join(lines) + "\ntags: *i\nreporters: *e\n"
    site = _site(tmp_path, {"content/news/2021/laughs.md": ARTICLE.format(title="笑", front=front, body="正文。")})
    _fails(site, "content/news/2021/laughs.md:6: 字段“b”用 * 引用了别处的内容（YAML 别名），不能这样写")
    check = _check(site)
    assert check.stderr.count("laughs.md") == 1, check.stderr
    assert "共 1 个错误" in check.stderr


# ------------------------------------------------------------------ live preview

def test_preview_copies_what_the_build_copies(preview, tmp_path):
    """--content kept elsewhere: that folder is its own root. A link inside it is copied
    on save; a FIFO is skipped; a link out stops the update and is never copied."""
    images = preview.tree / "content" / "images"
    live = Path(preview.config.site_dir)
    images.mkdir()
    (images / "a.png").write_bytes(png(3, 3))
    (images / "b.png").symlink_to("a.png")
    os.mkfifo(images / "pipe.png")
    preview.update()
    assert (live / "images" / "b.png").read_bytes() == png(3, 3)
    assert not (live / "images" / "pipe.png").exists()

    outside = tmp_path / "secret.txt"
    outside.write_text(MARKER, encoding="utf-8")
    (images / "secret.txt").symlink_to(outside)
    assert preview.update() is None               # content error: the last preview stays
    assert not (live / "images" / "secret.txt").exists()
    assert all(MARKER.encode() not in p.read_bytes() for p in live.rglob("*") if p.is_file())


def test_through_link_answers_as_both_realpaths_did(tmp_path):
    """content/assets._through_link (an lstat of each part below the root) gives the answer of
    its former definition, the two realpaths compared, for links of every kind on the way."""
    from newsroom.content.assets import _through_link, check_file

    def by_realpath(candidate: str, base: str) -> bool:
        return os.path.relpath(os.path.realpath(candidate), os.path.realpath(base)) != os.path.relpath(candidate, base)

    outside, base = tmp_path / "outside", tmp_path / "real" / "content"
    (outside / "pics").mkdir(parents=True)
    (outside / "pics" / "o.jpg").write_bytes(b"x")
    (base / "images" / "2021").mkdir(parents=True)
    (base / "images" / "2021" / "a.jpg").write_bytes(b"x")
    (base / "images" / "file-link.jpg").symlink_to(base / "images" / "2021" / "a.jpg")
    (base / "images" / "dir-link").symlink_to(base / "images" / "2021")
    (base / "images" / "out").symlink_to(outside / "pics")
    (base / "loop").symlink_to(base / "loop")
    (tmp_path / "via").symlink_to(tmp_path / "real")            # a link above the root: not on the way
    for root in (base, tmp_path / "via" / "content"):
        for rel in ("", "images", "images/2021/a.jpg", "images/file-link.jpg", "images/dir-link/a.jpg",
                    "images/out/o.jpg", "images/missing/a.jpg", "images/dir-link/missing.jpg"):
            candidate = os.path.normpath(os.path.join(str(root), rel))
            assert _through_link(candidate, str(root)) == by_realpath(candidate, str(root)), rel
    # A link that loops: realpath gave up (no link seen), the lstat sees one; check_file's
    # answer is the same (contained, then not a regular file: missing).
    assert _through_link(str(base / "loop" / "x.jpg"), str(base))
    found: list = []
    assert not check_file("loop/x.jpg", base, "content/a.md", 3, "图片", found)
    assert [p.message for p in found] == ["图片“loop/x.jpg”不存在"]
