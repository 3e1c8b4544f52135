"""Publishing safety (issue 19): nothing deleted outside the site folder, one build at a
time, nothing left behind by a killed build, no traceback when the site folder cannot be
renamed, permissions that a web server can read, site_dir from site_config.yml.

Real CLI runs on a scratch copy of the sample site; mount points and read-only folders
are real mounts inside a private mount namespace (``unshare -m``, as root), so nothing
mounted outlives its test.
"""
from __future__ import annotations

import errno
import fcntl
import hashlib
import os
import shlex
import shutil
import signal
import stat
import subprocess
import threading
import time
from pathlib import Path

import pytest

from conftest import ENV, NEWSROOM, ROOT, newsroom, write_tree
from newsroom.app import publish_swap
from newsroom.app.publish_inplace import update_in_place

ARTICLE = "---\ntitle: {title}\ndate: 2021-12-28 09:30\n---\n正文第一段。\n"


def project(tmp_path: Path) -> Path:
    """A scratch copy of the sample site folder, in a git repository of its own."""
    proj = tmp_path / "proj"
    for name in ("content", "brands", "theme"):
        shutil.copytree(ROOT / name, proj / name)
    shutil.copy(ROOT / "site_config.yml", proj / "site_config.yml")
    shutil.copy(ROOT / ".gitignore", proj / ".gitignore")
    subprocess.run(["git", "init", "-q", str(proj)], check=True)
    return proj


def snapshot(folder: Path) -> dict[str, str]:
    """Every file and folder under ``folder`` with its content's hash."""
    out = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        out[rel] = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "dir"
    return out


def run(args: list[str], cwd: Path, env: dict | None = None, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([NEWSROOM, *args], cwd=cwd, env={**ENV, **(env or {})}, capture_output=True,
                          text=True, timeout=600, **kw)


def refused(proc: subprocess.CompletedProcess) -> bool:
    return proc.returncode == 1 and "网站没有生成" in proc.stderr and "Traceback" not in proc.stderr


def leftovers(folder: Path) -> list[str]:
    """Hidden folders beside the site once the detached deletion of the old site is done
    (the build does not wait for it; 30 s is far more than a test site's deletion takes)."""
    deadline = time.monotonic() + 30
    while True:
        found = sorted(p.name for p in folder.iterdir() if p.name.startswith(".site."))
        if not found or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


# ------------------------------------------------------------------ contained targets

@pytest.mark.parametrize("site_dir", ["content", ".", "..", "brands", "theme", "content/news/out",
                                      "content/..", "/"])
def test_site_dir_that_is_holds_or_lies_in_the_inputs_is_refused(tmp_path, site_dir):
    proj = project(tmp_path)
    before = snapshot(tmp_path)
    proc = run(["build", "-q", "--site-dir", site_dir], cwd=proj)
    assert refused(proc), proc.stderr
    assert "输出目录" in proc.stderr
    assert snapshot(tmp_path) == before          # .git, content, brands, theme: every file still there


def test_home_folder_is_refused(tmp_path):
    proj = project(tmp_path)
    home = tmp_path / "home"
    (home / "documents").mkdir(parents=True)
    (home / "documents" / "note.txt").write_text("keep", encoding="utf-8")
    before = snapshot(tmp_path)
    for site_dir in ("~", str(home)):
        proc = run(["build", "-q", "--site-dir", site_dir], cwd=proj, env={"HOME": str(home)})
        assert refused(proc) and "用户主目录" in proc.stderr, proc.stderr
    assert snapshot(tmp_path) == before


def test_repository_root_is_refused(tmp_path):
    """The config and content live elsewhere; the folder the command runs in is in a repository."""
    proj = project(tmp_path)
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "work").mkdir()
    (repo / "work" / "code.py").write_text("print(1)\n", encoding="utf-8")
    before = snapshot(tmp_path)
    proc = run(["build", "-q", "-f", str(proj / "site_config.yml"), "--content", str(proj / "content"),
                "--brands", str(proj / "brands"), "--site-dir", str(repo)], cwd=repo / "work")
    assert refused(proc) and "代码仓库" in proc.stderr, proc.stderr
    assert snapshot(tmp_path) == before


def test_unrelated_folder_is_not_replaced(tmp_path):
    """--site-dir ../some-other-project or /etc: a folder with files and no sign of a build."""
    proj = project(tmp_path)
    other = tmp_path / "some-other-project"
    other.mkdir()
    (other / "README.md").write_text("another project\n", encoding="utf-8")
    before = snapshot(tmp_path)
    proc = run(["build", "-q", "--site-dir", "../some-other-project"], cwd=proj)
    assert refused(proc), proc.stderr
    assert "不像是 newsroom 生成的网站" in proc.stderr and "清空" in proc.stderr
    assert snapshot(tmp_path) == before


def test_a_bare_pagefind_folder_is_no_sign_of_a_build(tmp_path):
    """Pagefind's own source repository (a top-level pagefind/ crate), or a Hugo site using
    Pagefind: a mistyped --site-dir must not wipe it, .git and all."""
    proj = project(tmp_path)
    other = tmp_path / "pagefind-src"
    write_tree(other, {"pagefind/src/main.rs": "fn main(){}\n", "README.md": "# Pagefind\n"})
    subprocess.run(["git", "init", "-q", str(other)], check=True)
    before = snapshot(tmp_path)
    proc = run(["build", "-q", "--site-dir", "../pagefind-src"], cwd=proj)
    assert refused(proc) and "不像是 newsroom 生成的网站" in proc.stderr, proc.stderr
    assert snapshot(tmp_path) == before


def test_empty_folder_and_site_of_the_previous_version_are_replaced(tmp_path):
    proj = project(tmp_path)
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run(["build", "-q", "--site-dir", str(empty)], cwd=proj).returncode == 0
    assert (empty / "index.html").is_file()
    earlier = tmp_path / "earlier"                # built before the marker existed: our search manifest
    (earlier / "pagefind").mkdir(parents=True)
    (earlier / "pagefind" / "newsroom-shards.json").write_text("{}", encoding="utf-8")
    (earlier / "stale.html").write_text("old", encoding="utf-8")
    proc = run(["build", "-q", "--site-dir", str(earlier)], cwd=proj)
    assert proc.returncode == 0, proc.stderr
    assert (earlier / "index.html").is_file() and not (earlier / "stale.html").exists()
    assert (earlier / ".newsroom-site").is_file()


# ------------------------------------------------------------------ site_dir, permissions

def test_site_dir_of_the_config_is_honoured_and_the_option_overrides_it(tmp_path):
    proj = project(tmp_path)
    config = proj / "site_config.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("site_dir: site", "site_dir: public"),
                      encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    proc = run(["build", "-q", "-f", str(config)], cwd=elsewhere)
    assert proc.returncode == 0, proc.stderr
    assert (proj / "public" / "index.html").is_file()      # relative to the config's folder
    assert os.listdir(elsewhere) == []
    proc = run(["build", "-q", "-f", str(config), "--site-dir", "out"], cwd=elsewhere)
    assert proc.returncode == 0, proc.stderr
    assert (elsewhere / "out" / "index.html").is_file()    # the option: relative to where it runs


def test_site_dir_of_the_config_naming_the_content_is_refused_in_chinese(tmp_path):
    proj = project(tmp_path)
    config = proj / "site_config.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("site_dir: site", "site_dir: content"),
                      encoding="utf-8")
    before = snapshot(tmp_path)
    proc = run(["build", "-q"], cwd=proj)
    assert refused(proc) and "就是文章目录" in proc.stderr, proc.stderr
    assert "should not" not in proc.stderr                   # not MkDocs' English check
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("umask,file_mode,dir_mode", [(0o022, 0o644, 0o755), (0o027, 0o640, 0o750)])
def test_published_permissions_follow_the_umask(tmp_path, umask, file_mode, dir_mode):
    proj = project(tmp_path)
    proc = run(["build", "-q"], cwd=proj, preexec_fn=lambda: os.umask(umask))
    assert proc.returncode == 0, proc.stderr
    site = proj / "site"
    modes = {p.relative_to(proj).as_posix(): stat.S_IMODE(p.stat().st_mode)
             for p in [site, *site.rglob("*")]}
    wrong = {p: oct(m) for p, m in modes.items()
             if m != (dir_mode if (proj / p).is_dir() else file_mode)}
    assert wrong == {}


# ------------------------------------------------------------------ killed and concurrent builds

def test_killed_build_leaves_staging_that_git_ignores_and_the_next_build_sweeps(tmp_path):
    from newsroom.search.pagefind import pagefind_binary

    proj = project(tmp_path)
    slow = tmp_path / "slow-pagefind"
    slow.write_text(f'#!/bin/sh\nsleep 3\nexec "{pagefind_binary()}" "$@"\n', encoding="utf-8")
    slow.chmod(0o755)
    proc = subprocess.Popen([NEWSROOM, "build", "-q"], cwd=proj, env={**ENV, "NEWSROOM_PAGEFIND": str(slow)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 60
    while not list(proj.glob(".site.building-*/.pagefind-staging")) and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    stale = [p.name for p in proj.glob(".site.building-*")]
    assert stale, "the build was killed before it made its staging folder"
    (proj / ".site.old-1234").mkdir()                     # what a killed build also leaves
    (proj / ".site.lock").touch()
    ignored = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=proj,
                             capture_output=True, text=True, check=True)
    assert ".site." not in ignored.stdout                 # `git add -A` would not commit them

    again = run(["build", "-q"], cwd=proj)
    assert again.returncode == 0, again.stderr
    assert (proj / "site" / "index.html").is_file()
    assert leftovers(proj) == []


def test_two_builds_at_once_both_succeed_and_the_site_never_disappears(tmp_path):
    root = write_tree(tmp_path, {"content/news/2021/a.md": ARTICLE.format(title="甲")})
    site = root / "site"
    args = ["build", "-q", "--content", str(root / "content"), "--brands", str(root / "brands"),
            "--site-dir", str(site)]
    assert run(args, cwd=ROOT).returncode == 0
    missing, done = [], threading.Event()

    def watch() -> None:
        while not done.is_set():
            if not (site / "index.html").is_file():
                missing.append(time.monotonic())

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        builds = [subprocess.Popen([NEWSROOM, *args], cwd=ROOT, env=ENV, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True) for _ in range(2)]
        outputs = [b.communicate(timeout=600) for b in builds]
    finally:
        done.set()
        watcher.join()
    assert [b.returncode for b in builds] == [0, 0], outputs
    assert all("Traceback" not in err for _, err in outputs)
    assert missing == []
    assert (site / "news/2021/12/a/index.html").is_file()


def test_second_build_waits_for_the_first_and_says_so(tmp_path):
    root = write_tree(tmp_path, {"content/news/2021/a.md": ARTICLE.format(title="甲")})
    args = [NEWSROOM, "build", "-q", "--content", str(root / "content"), "--brands", str(root / "brands"),
            "--site-dir", str(root / "site")]
    with open(root / ".site.lock", "w") as held:          # another build holds the site
        fcntl.flock(held, fcntl.LOCK_EX)
        proc = subprocess.Popen(args, cwd=ROOT, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert proc.stderr is not None
        said = proc.stderr.readline()
        assert "另一个 newsroom build 正在生成" in said and "等它完成" in said
        assert not (root / "site").exists()
    out, err = proc.communicate(timeout=600)               # the lock is released: it goes on
    assert proc.returncode == 0, err
    assert (root / "site" / "index.html").is_file()
    assert leftovers(root) == []


def test_build_stops_after_waiting_too_long(tmp_path):
    root = write_tree(tmp_path, {"content/news/2021/a.md": ARTICLE.format(title="甲")})
    args = ["build", "-q", "--content", str(root / "content"), "--brands", str(root / "brands"),
            "--site-dir", str(root / "site")]
    assert run(args, cwd=ROOT).returncode == 0
    before = snapshot(root / "site")
    with open(root / ".site.lock", "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        proc = run(args, cwd=ROOT, env={"NEWSROOM_BUILD_WAIT": "0.5"})
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "仍在生成" in proc.stderr and "保持原样" in proc.stderr
    assert snapshot(root / "site") == before


# ------------------------------------------------------------------ folders that cannot be renamed

def in_namespace(tmp_path: Path, script: str) -> subprocess.CompletedProcess:
    """Run a shell script in a private mount namespace: its mounts end with it."""
    return subprocess.run(["unshare", "-m", "--propagation", "private", "sh", "-ec", script], cwd=tmp_path,
                          env=ENV, capture_output=True, text=True, timeout=600)


def two_builds_script(proj: Path, site: Path, result: Path, setup: str) -> str:
    """Mount as ``setup`` says, build, add an article and a stray file, build again, copy the site out."""
    build = f"{shlex.quote(NEWSROOM)} build -q --site-dir {shlex.quote(str(site))}"
    new = proj / "content/news/2021/new.md"
    return "\n".join([
        f"cd {shlex.quote(str(proj))}", setup, build,
        f"printf '%s' {shlex.quote(ARTICLE.format(title='新增的文章'))} > {shlex.quote(str(new))}",
        f"echo stray > {shlex.quote(str(site / 'stray.html'))}", build,
        f"cp -a {shlex.quote(str(site))}/. {shlex.quote(str(result))}/",
    ])


def assert_updated(result: Path) -> None:
    assert "新增的文章" in (result / "news/index.html").read_text(encoding="utf-8")
    assert not (result / "stray.html").exists()                    # what the new site lacks is gone
    assert [p.name for p in result.iterdir() if p.name.startswith(".newsroom.")] == []


# A Docker volume (a mount point: updated in place at once), and a bind mount on the same
# file system, which looks like a folder until renaming it fails with EBUSY.
@pytest.mark.parametrize("mount,said", [("mount -t tmpfs none {site}", "挂载点"),
                                        ("mount --bind {site} {site}", "不能整体替换")])
def test_site_folder_that_cannot_be_renamed_is_updated_in_place(tmp_path, mount, said):
    proj = project(tmp_path)
    site, result = proj / "site", tmp_path / "result"
    site.mkdir()
    result.mkdir()
    proc = in_namespace(tmp_path, two_builds_script(proj, site, result, mount.format(site=site)))
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr and said in proc.stderr
    assert_updated(result)
    assert leftovers(proj) == []


HIDDEN = {".htaccess": "Header set X-Frame-Options DENY\n", ".well-known/security.txt": "Contact: a@b\n",
          ".nojekyll": ""}


# Swapped as a whole (a plain folder), or updated in place (a mount point, EBUSY on rename).
@pytest.mark.parametrize("mount", ["true", "mount -t tmpfs none {site}", "mount --bind {site} {site}"])
def test_hidden_entries_of_the_site_folder_survive_a_build(tmp_path, mount):
    """A site folder that is a git checkout of the deploy branch, with a server's .htaccess and
    .well-known/: MkDocs keeps hidden files, so must we (only our own marker and lock change)."""
    proj = project(tmp_path)
    site, result = proj / "site", tmp_path / "result"
    site.mkdir()
    result.mkdir()
    build = f"{shlex.quote(NEWSROOM)} build -q --site-dir {shlex.quote(str(site))}"
    git = f"git -C {shlex.quote(str(site))} -c user.email=a@b -c user.name=a"
    adds = [f"mkdir -p {site / '.well-known'}"] + [
        f"printf '%s' {shlex.quote(text)} > {shlex.quote(str(site / rel))}" for rel, text in HIDDEN.items()]
    script = "\n".join([f"cd {shlex.quote(str(proj))}", mount.format(site=site), build,
                        f"{git} init -q", f"{git} add -A", f"{git} commit -qm deploy", *adds,
                        f"echo stray > {shlex.quote(str(site / 'stray.html'))}", build,
                        f"cp -a {shlex.quote(str(site))}/. {shlex.quote(str(result))}/"])
    proc = in_namespace(tmp_path, script)
    assert proc.returncode == 0, proc.stderr
    for rel, text in HIDDEN.items():
        assert (result / rel).read_text(encoding="utf-8") == text
    log = subprocess.run(["git", "-C", str(result), "log", "--format=%s"], capture_output=True, text=True)
    assert log.stdout == "deploy\n", log.stderr                 # the repository, history and all
    assert not (result / "stray.html").exists() and (result / "index.html").is_file()
    assert [p.name for p in result.iterdir() if p.name.startswith(".newsroom.")] == []
    assert leftovers(proj) == []


def test_read_only_parent_folder_is_updated_in_place(tmp_path):
    """The site folder is writable, the folder above it is not (EROFS): lock and staging go inside."""
    proj = project(tmp_path)
    outer, result = tmp_path / "outer", tmp_path / "result"
    outer.mkdir()
    result.mkdir()
    site = outer / "site"
    setup = (f"mount -t tmpfs none {outer}; mkdir {site}; mount --bind {site} {site};"
             f" mount -o remount,bind,ro {outer}")
    proc = in_namespace(tmp_path, two_builds_script(proj, site, result, setup))
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr and "不能写入" in proc.stderr
    assert_updated(result)


def test_read_only_site_is_a_clear_error_and_stays_as_it_was(tmp_path):
    """Nothing can be written, neither beside the site nor in it: exit 1, the site as it was."""
    proj = project(tmp_path)
    site, result = proj / "site", tmp_path / "result"
    site.mkdir()
    result.mkdir()
    build = f"{shlex.quote(NEWSROOM)} build -q --site-dir {site}"
    script = "\n".join([
        f"cd {proj}", f"mount --bind {proj} {proj}", f"mount -o remount,bind,ro {proj}",
        f"mount -t tmpfs none {site}", build, f"mount -o remount,ro {site}",   # now the site too
        f"if {build} 2> {tmp_path / 'err'}; then exit 9; else echo $? > {tmp_path / 'rc'}; fi",
        f"cp -a {site}/. {result}/"])
    proc = in_namespace(tmp_path, script)
    assert proc.returncode == 0, proc.stderr
    err = (tmp_path / "err").read_text(encoding="utf-8")
    assert (tmp_path / "rc").read_text().strip() == "1"
    assert "Traceback" not in err and "无法写入" in err and "保持原样" in err, err
    assert (result / "index.html").is_file() and (result / ".newsroom-site").is_file()
    assert not (result / ".newsroom.lock").exists()


# ------------------------------------------------------------------ the pieces, in process

def test_exchange_swaps_two_folders(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "x").write_text("a", encoding="utf-8")
    (b / "x").write_text("b", encoding="utf-8")
    publish_swap.exchange(a, b)
    assert (a / "x").read_text() == "b" and (b / "x").read_text() == "a"


def test_without_exchange_two_renames_do(tmp_path, monkeypatch):
    def unsupported(a, b):
        raise OSError(errno.ENOSYS, "no renameat2")

    monkeypatch.setattr(publish_swap, "exchange", unsupported)
    staging, site = tmp_path / ".site.building-1", tmp_path / "site"
    staging.mkdir()
    site.mkdir()
    (staging / "new.html").write_text("new", encoding="utf-8")
    old = publish_swap.exchange_or_rename(staging, site, ".site.old-")
    assert old is not None and old.name.startswith(".site.old-") and old.is_dir()
    assert (site / "new.html").is_file() and not staging.exists()


def files(root: Path, tree: dict[str, str]) -> None:
    for rel, text in tree.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")


def test_update_in_place_replaces_files_and_folders_of_any_kind(tmp_path):
    staging, site = tmp_path / "staging", tmp_path / "site"
    files(staging, {"a/index.html": "new a", "b": "b is a file now", "c/d/e.html": "e"})
    files(site, {"a/index.html": "old a", "a/gone.html": "x", "b/index.html": "b was a folder",
                 "c/d": "d was a file", "old/x.html": "x", ".newsroom.lock": ""})
    (site / ".newsroom.building-1").mkdir()                 # the build's own, inside the site
    update_in_place(staging, site)
    assert snapshot(site) == {
        ".newsroom.building-1": "dir", ".newsroom.lock": hashlib.sha256(b"").hexdigest(),
        "a": "dir", "a/index.html": hashlib.sha256(b"new a").hexdigest(),
        "b": hashlib.sha256(b"b is a file now").hexdigest(),
        "c": "dir", "c/d": "dir", "c/d/e.html": hashlib.sha256(b"e").hexdigest()}
