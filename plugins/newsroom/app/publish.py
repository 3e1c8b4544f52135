"""Publishing a built site: one build at a time, all or nothing, nothing left behind.

``Publisher`` is what ``newsroom build`` wraps its MkDocs build in:

* ``Publisher(site, sources)`` refuses an unsafe target (``publish_target``) before
  anything is created;
* entering it takes the site's lock (a second build waits, and says so), sweeps what a
  killed build left (staging and old copies), and makes the staging folder the build
  renders into, with the umask's permissions (``mkdtemp`` would make it 700);
* ``publish()`` puts the staging folder in place of the site in one atomic exchange
  (``renameat2(RENAME_EXCHANGE)``; two renames where the file system has no exchange),
  and the old site is deleted by a detached process;
* a warm build that left its reused files in the site (``keeps_in_site``) is published
  by its changes instead: its files renamed in, what it no longer has deleted, under a
  journal that the next build completes if this one is killed (``publish_delta``);
* a site folder that cannot be renamed (a mount point such as a Docker volume, or a
  folder whose parent is read-only) is updated in place instead (``publish_inplace``);
* leaving it removes the staging folder (unless it was swapped in, when the detached
  process deletes the old site found there: the build does not wait for 15,000 folders'
  deletion) and the lock, whatever happened.

Staging and old copies are hidden folders beside the site (``.site.building-*``,
``.site.old-*``; ``.gitignore`` covers them), or inside it when its parent is read-only.
"""
from __future__ import annotations

import errno
import fcntl
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable, Optional

from .publish_delta import JOURNAL, LEFT_OUT, publish_delta, roll_forward
from .publish_inplace import INPLACE_PREFIX, left_at_top, update_in_place
from .publish_listing import SiteListing
from .publish_keep import carry_hidden
from .publish_swap import exchange_or_rename
from .publish_target import MARKER, MARKER_TEXT, PublishError, Sources, check_target, looks_built

WAIT_ENV = "NEWSROOM_BUILD_WAIT"     # seconds a build waits for another one (default half an hour)
DEFAULT_WAIT = 30 * 60
POLL = 0.2
PROBE = ".newsroom-probe"     # not one of the names the site keeps: a killed build's goes with the next
# A site folder that cannot be renamed or written beside: update it in place instead.
_NOT_RENAMABLE = {errno.EBUSY, errno.EXDEV, errno.EROFS, errno.EACCES, errno.EPERM}


class Publisher:
    """The lock, staging folder and swap of one build of ``site`` (see the module's doc)."""

    def __init__(self, site: Path, sources: Sources, say: Callable[[str], None], listed: bool = True) -> None:
        """``listed``: a site this build may publish by its changes is listed while it runs
        (publish_listing); False for a build that will not (``--no-reuse``: no child for nothing)."""
        self.site = site.resolve()
        self._listed = listed
        check_target(self.site, sources)
        self.say = say
        self.in_place = os.path.ismount(self.site)
        self.staging: Optional[Path] = None
        self.keeps_in_site = False         # see _renames_into_site
        self._lock: Optional[BuildLock] = None
        self._listing: Optional[SiteListing] = None    # the site as it was, listed by a child

    # ------------------------------------------------------------ lifetime

    def __enter__(self) -> "Publisher":
        self._lock = self._take_lock()
        try:
            self._roll_forward()
            self._sweep()
            self.staging = self._make_staging()
            self.keeps_in_site = self._renames_into_site()
        except BaseException:
            self._lock.release()
            raise
        if self.keeps_in_site and self._listed:
            # For the publish by changes: what to delete, listed on the other core while
            # the build runs rather than walked after the renames (publish_listing).
            self._listing = SiteListing.start(self.site, lambda name: left_at_top(name, LEFT_OUT))
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            if self._listing is not None:
                self._listing.stop()
            if self.staging is not None and self.staging.exists():
                shutil.rmtree(self.staging, ignore_errors=True)
        finally:
            if self._lock is not None:
                self._lock.release()

    def site_stats(self) -> Optional[dict[str, list]]:
        """The published files' stat as the listing child took it (publish_listing), if it
        is done: a warm build's check of the pages it keeps (mkdocs/warm.py)."""
        return self._listing.stats() if self._listing is not None else None

    @property
    def _home(self) -> Path:
        """Where the lock and staging live: beside the site, or inside it when updated in place."""
        return self.site if self.in_place else self.site.parent

    @property
    def _prefix(self) -> str:
        return INPLACE_PREFIX if self.in_place else f".{self.site.name}."

    def _take_lock(self) -> "BuildLock":
        if not self.in_place:
            try:
                self.site.parent.mkdir(parents=True, exist_ok=True)
                return BuildLock.take(self.site.parent / f".{self.site.name}.lock", self._wait_notice)
            except OSError as exc:
                if exc.errno not in (errno.EROFS, errno.EACCES, errno.EPERM) or not self.site.is_dir():
                    raise PublishError(_unwritable(self.site, exc)) from None
                self.say(f"提示：{self.site.parent} 不能写入，改为在 {self.site} 中逐个文件更新网站。")
                self.in_place = True
        else:
            self.say(f"提示：{self.site} 是挂载点，不能整体替换，改为逐个文件更新网站。")
        try:
            return BuildLock.take(self.site / f"{INPLACE_PREFIX}lock", self._wait_notice)
        except OSError as exc:
            raise PublishError(_unwritable(self.site, exc)) from None

    def _wait_notice(self) -> None:
        self.say(f"另一个 newsroom build 正在生成 {self.site}，等它完成后再继续……")

    def _renames_into_site(self) -> bool:
        """The build may leave the files it reuses in the published site (not link them
        into staging) and be published by its changes: a site a build published, not updated
        in place, into which a file renames from staging (a bind mount of the site on itself
        looks like a folder but refuses, EXDEV; so does a site we cannot write into)."""
        if self.in_place or self.staging is None or not looks_built(self.site):
            return False
        probe, target = self.staging / PROBE, self.site / PROBE
        try:
            probe.touch()
            os.rename(probe, target)
            os.unlink(target)
        except OSError:
            return False
        return True

    @property
    def _journal(self) -> Path:
        return self._home / f"{self._prefix}{JOURNAL}"

    def _roll_forward(self) -> None:
        """A build killed while publishing by its changes: complete that publish first."""
        try:
            if roll_forward(self._journal, self.site):
                self.say(f"提示：上次生成在发布时中断，已先把它发布完整：{self.site}")
        except OSError as exc:
            raise PublishError(f"上次生成在发布时中断，补全时出错（{exc.strerror}：{exc.filename}）；"
                               "请解决后重新生成。") from None

    def _sweep(self) -> None:
        """What a killed build left: its staging folder and old copies (we hold the lock), and
        an old site whose detached deletion is still under way (a build just before this one):
        deleted by a detached process too, as this build's staging folder has a name of its own."""
        for kind in ("building-", "old-"):
            for stale in self._home.glob(f"{self._prefix}{kind}*"):
                remove_detached(stale)

    def _make_staging(self) -> Path:
        try:
            staging = Path(tempfile.mkdtemp(prefix=f"{self._prefix}building-", dir=self._home))
        except OSError as exc:
            raise PublishError(_unwritable(self.site, exc)) from None
        os.chmod(staging, 0o777 & ~current_umask())    # a published folder as any other: 755
        return staging

    # ------------------------------------------------------------ publishing

    def publish(self, kept: Optional[set[str]] = None) -> None:
        """Put the finished staging folder in place of the site; ``kept``: the files the
        build left in the site (``keeps_in_site``), which staging then does not hold."""
        assert self.staging is not None
        (self.staging / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
        if kept:
            self._publish_delta(kept)
            return
        if not self.in_place:
            try:
                carry_hidden(self.site, self.staging)       # .git, .htaccess, .well-known/ stay
                old = exchange_or_rename(self.staging, self.site, f"{self._prefix}old-")
            except OSError as exc:
                if exc.errno not in _NOT_RENAMABLE:
                    raise PublishError(_unwritable(self.site, exc)) from None
                self.say(f"提示：{self.site} 不能整体替换（{exc.strerror}），改为逐个文件更新网站。")
            else:
                if old is not None:
                    if old == self.staging:     # exchanged: the old site is at the staging path,
                        self.staging = None     # and it is not ours to delete in-process (__exit__)
                    remove_detached(old)
                return
        self._publish_in_place()

    def _publish_delta(self, kept: set[str]) -> None:
        staging, self.staging = self.staging, None     # the journal's until the publish is complete
        assert staging is not None
        try:
            publish_delta(staging, self.site, kept, self._journal, self._listing)
        except OSError as exc:
            raise PublishError(f"更新 {self.site} 时出错（{exc.strerror}：{exc.filename}）；"
                               "网站可能只更新了一部分，下次生成会先把它补全。") from None
        remove_detached(staging)        # the old search bundle, and folders left empty

    def _publish_in_place(self) -> None:
        assert self.staging is not None
        try:
            update_in_place(self.staging, self.site)
        except OSError as exc:
            raise PublishError(f"更新 {self.site} 时出错（{exc.strerror}：{exc.filename}）；"
                               "网站可能只更新了一部分，请解决后重新生成。") from None


class BuildLock:
    """An exclusive ``flock`` on a lock file: the kernel releases it when its build dies.

    The file is deleted when the build ends, so a waiting build may hold a lock on a
    file no longer there; it checks, after locking, that the path still names the file
    it locked, and otherwise locks afresh.
    """

    def __init__(self, path: Path, fd: int) -> None:
        self.path, self.fd = path, fd

    @classmethod
    def take(cls, path: Path, notice: Callable[[], None]) -> "BuildLock":
        deadline: Optional[float] = None
        while True:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                if deadline is None:
                    notice()
                    deadline = time.monotonic() + _wait_seconds()
                elif time.monotonic() >= deadline:
                    raise PublishError(f"等了 {_wait_seconds():g} 秒，另一个 newsroom build 仍在生成 "
                                       f"{path.parent}；本次没有生成网站，已发布的网站保持原样。请稍后再试。") from None
                time.sleep(POLL)
                continue
            if _names(path, fd):
                return cls(path, fd)
            os.close(fd)                     # locked a file its holder has since deleted

    def release(self) -> None:
        try:
            self.path.unlink(missing_ok=True)   # while locked: nobody else holds this file
        except OSError:
            pass
        os.close(self.fd)


def _names(path: Path, fd: int) -> bool:
    try:
        here, held = os.stat(path), os.fstat(fd)
    except FileNotFoundError:
        return False
    return (here.st_dev, here.st_ino) == (held.st_dev, held.st_ino)


def _wait_seconds() -> float:
    try:
        return float(os.environ.get(WAIT_ENV, DEFAULT_WAIT))
    except ValueError:
        return DEFAULT_WAIT


def current_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _unwritable(site: Path, exc: OSError) -> str:
    where = exc.filename or site
    return (f"无法写入 {where}（{exc.strerror}）；网站没有生成，已发布的网站保持原样。"
            "请检查输出目录是否只读、权限是否足够，或用 --site-dir 换一个输出目录。")


def remove_detached(folder: Path) -> None:
    """Delete ``folder`` in a process of its own (15,000 folders at 10k articles: seconds),
    so the build ends as soon as the new site is in place; the next build sweeps leftovers."""
    code = "import shutil, sys; shutil.rmtree(sys.argv[1], ignore_errors=True)"
    try:
        subprocess.Popen([sys.executable, "-c", code, str(folder)], start_new_session=True,
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)
