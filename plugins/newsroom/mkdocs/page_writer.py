"""Pages written to disk by a small child process while the build renders the next ones.

MkDocs writes each page as soon as it is rendered (``mkdocs.utils.write_file``: its folder
made, the file created and written). In a cold build that is one new folder and one new
file per page, all kernel time of the build process: 0.5-1.6 CPU-s of a 2,000-article
build on this machine, a fifth of its rendering time under load. ``PageWriter`` hands each
page's bytes through a pipe to a child process (plain Python, no import of ours) that makes
the folder and writes the file, in the same order, on the other core, while this process
renders on. ``written_by_a_child`` puts it in MkDocs' place for one ``newsroom build``;
``finish`` waits for the last file, before ``on_post_build`` writes anything of its own
(feeds, sitemaps: MkDocs' sitemap.xml must not land after ours), and raises what the child
could not write as the ``OSError`` MkDocs' own write would have raised.
"""
from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from typing import Any, Iterator, Optional

# The child: length-prefixed (path, bytes) records on stdin, each written as MkDocs'
# write_file writes it; the first failure is printed to stderr and ends it with status 1.
_CHILD = r"""
import os, sys
def main():
    read = sys.stdin.buffer.read
    made = set()
    while True:
        head = read(16)
        if len(head) < 16:
            return 0
        path = os.fsdecode(read(int.from_bytes(head[:8], "little")))
        data = read(int.from_bytes(head[8:], "little"))
        try:
            folder = os.path.dirname(path)
            if folder not in made:
                os.makedirs(folder, exist_ok=True)
                made.add(folder)
            with open(path, "wb") as f:
                f.write(data)
        except OSError as exc:
            sys.stderr.write(f"{exc}\n")
            return 1
sys.exit(main())
"""

# Room for about forty pages in the pipe, so the build rarely waits for the child (Linux).
_PIPE_SIZE = 1 << 20


class PageWriter:
    """``write(content, path)`` as ``mkdocs.utils.write_file``, done by a child process."""

    def __init__(self) -> None:
        self.proc: Optional[subprocess.Popen] = subprocess.Popen(
            [sys.executable, "-I", "-S", "-c", _CHILD], stdin=subprocess.PIPE, stderr=subprocess.PIPE)
        _widen(self.proc.stdin)

    def write(self, content: bytes, output_path: str) -> None:
        proc = self.proc
        if proc is None:
            raise OSError(f"页面写入进程已结束，无法写入 {output_path}")
        path = os.fsencode(output_path)
        try:
            proc.stdin.write(len(path).to_bytes(8, "little") + len(content).to_bytes(8, "little") + path)
            proc.stdin.write(content)
        except BrokenPipeError:     # the child stopped at a file it could not write: say which
            self.finish()
            raise

    def finish(self) -> None:
        """Wait until every page is on disk; the child's failure raised as an OSError."""
        proc, self.proc = self.proc, None
        if proc is None:
            return
        with contextlib.suppress(BrokenPipeError):
            proc.stdin.close()
        message = proc.stderr.read().decode("utf-8", "replace").strip()
        proc.stderr.close()
        if proc.wait() != 0:
            raise OSError(message or f"页面写入进程异常退出（{proc.returncode}）")

    def stop(self) -> None:
        """The build failed or was stopped: the child ends without writing more."""
        proc, self.proc = self.proc, None
        if proc is not None:
            proc.kill()
            proc.wait()
            for pipe in (proc.stdin, proc.stderr):
                with contextlib.suppress(OSError):
                    pipe.close()


def _widen(pipe: Any) -> None:
    import fcntl
    with contextlib.suppress(AttributeError, OSError):
        fcntl.fcntl(pipe.fileno(), fcntl.F_SETPIPE_SZ, _PIPE_SIZE)


@contextlib.contextmanager
def written_by_a_child(config: Any) -> Iterator[PageWriter]:
    """MkDocs' ``write_file`` replaced by a ``PageWriter`` for one build; the writer finished
    first thing in ``on_post_build`` (a plugin of its own, added to ``config.plugins``) and
    again at the end; stopped if the build fails."""
    from mkdocs import utils
    from mkdocs.plugins import BasePlugin, event_priority

    writer = PageWriter()

    original = utils.write_file

    class FinishWrites(BasePlugin):
        @event_priority(100)        # before ours writes feeds and sitemaps
        def on_post_build(self, config: Any) -> None:
            writer.finish()
            # Every page is on disk: a later plugin's write goes straight to disk, in order.
            utils.write_file = original

    config.plugins[_PLUGIN] = FinishWrites()
    utils.write_file = writer.write
    try:
        yield writer
        writer.finish()
    except BaseException:
        writer.stop()
        raise
    finally:
        utils.write_file = original


_PLUGIN = "newsroom-page-writer"


__all__ = ["PageWriter", "written_by_a_child"]
