"""The Pagefind process: started once per shard, fed records, waited for until its files are whole."""
from __future__ import annotations

import base64
import json
import os
import subprocess
import threading
import time
from pathlib import Path
from typing import Optional

PAGEFIND_VERSION = "1.5.2"          # search.js relies on this version's pagefind.js internals


class SearchIndexError(RuntimeError):
    """The search index could not be built: the build must stop."""


def pagefind_binary() -> Path:
    env = os.environ.get("NEWSROOM_PAGEFIND")
    if env:
        return Path(env)
    try:
        from pagefind_bin_extended import get_executable  # type: ignore
    except ImportError as e:
        raise SearchIndexError(
            f"没有找到搜索引擎 Pagefind：请安装 pagefind-bin-extended=={PAGEFIND_VERSION}（{e}）") from e
    return Path(get_executable())


class PagefindService:
    """A minimal synchronous client for ``pagefind --service`` (base64 JSON, comma-separated)."""

    def __init__(self, binary: Path, cwd: Path) -> None:
        self.binary = binary
        try:
            self.proc = subprocess.Popen([str(binary), "--service"], cwd=str(cwd), stdin=subprocess.PIPE,
                                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        except OSError as e:
            raise SearchIndexError(f"无法启动搜索引擎 {binary}：{e}") from e
        self.next_id = 0

    def send(self, payload: dict) -> dict:
        """Send one request and wait for its answer."""
        return self.send_many([payload])[0]

    def send_many(self, payloads: list[dict]) -> list[dict]:
        """Send requests without waiting (a thread writes, this one reads): the
        service answers each in about a millisecond, a round trip costs several."""
        return self._send_json([json.dumps(payload, ensure_ascii=False) for payload in payloads])

    def add_records(self, index_id: int, bodies: list[str]) -> list[dict]:
        """AddRecord requests, each record's fields already JSON (``shards.Prepared.payloads``:
        without the opening brace, the type and the index id)."""
        head = f'{{"type":"AddRecord","index_id":{int(index_id)},'
        return self._send_json([head + body for body in bodies])

    def _send_json(self, payloads: list[str]) -> list[dict]:
        first = self.next_id + 1
        self.next_id += len(payloads)
        assert self.proc.stdin is not None and self.proc.stdout is not None
        errors: list[BaseException] = []

        def write() -> None:
            try:
                for n, payload in enumerate(payloads):
                    message = f'{{"message_id":{first + n},"payload":{payload}}}'
                    self.proc.stdin.write(base64.b64encode(message.encode("utf-8")) + b",")
                self.proc.stdin.flush()
            except (OSError, ValueError) as e:
                errors.append(e)

        writer = threading.Thread(target=write, daemon=True)
        writer.start()
        answers: dict[int, dict] = {}
        buffer = bytearray()
        try:
            while len(answers) < len(payloads):
                chunk = self.proc.stdout.read1(1 << 20)
                if not chunk:
                    raise OSError("no reply (the process ended)")
                buffer += chunk
                *complete, rest = bytes(buffer).split(b",")
                buffer = bytearray(rest)
                for raw in complete:
                    reply = json.loads(base64.b64decode(raw))
                    answer = reply.get("payload", {})
                    if answer.get("type") == "Error":
                        raise SearchIndexError(f"搜索引擎 Pagefind 报错：{answer.get('message')}")
                    answers[reply.get("message_id", -1)] = answer
        except (OSError, ValueError) as e:
            raise SearchIndexError(f"搜索引擎 Pagefind 意外退出：{e}{self._stderr()}") from e
        finally:
            writer.join(timeout=5)
        if errors:
            raise SearchIndexError(f"搜索引擎 Pagefind 意外退出：{errors[0]}{self._stderr()}")
        return [answers.get(first + n, {}) for n in range(len(payloads))]

    def _stderr(self) -> str:
        try:
            self.proc.kill()
            err = self.proc.stderr.read().decode("utf-8", "replace") if self.proc.stderr else ""
        except OSError:
            err = ""
        return f"\n{err.strip()}" if err.strip() else ""

    def close(self) -> None:
        if self.proc.poll() is None:
            try:
                if self.proc.stdin:
                    self.proc.stdin.close()
                self.proc.wait(timeout=10)
            except (OSError, subprocess.TimeoutExpired):
                self.proc.kill()
                self.proc.wait()


def wait_until_written(out: Path, pid: int, timeout: float = 60.0) -> None:
    """Keep Pagefind running until its files are on disk.

    It answers WriteFiles while some writes are still in flight (tokio hands each
    write to a blocking thread and does not wait for the last one), and ending
    the process then loses them: seen as an empty pagefind-entry.json under load.
    Such a file is still open in the process, so on Linux we wait until Pagefind
    holds no file under ``out`` open (usually at once; a few ms under load).
    Without /proc: until the folder has not changed for 0.1 s.
    """
    deadline = time.monotonic() + timeout
    delay = 0.001
    while True:
        busy = _open_files_under(pid, out)
        if busy is None:
            return _wait_until_still(out, timeout)
        if not busy and _entry_ok(out / "pagefind-entry.json"):
            return
        if time.monotonic() > deadline:
            raise SearchIndexError(f"搜索引擎 Pagefind 没有在 {timeout:.0f} 秒内写完索引文件")
        time.sleep(delay)
        delay = min(delay * 2, 0.05)


def _open_files_under(pid: int, folder: Path) -> Optional[bool]:
    """Whether process ``pid`` holds a file under ``folder`` open; None if /proc cannot tell."""
    fd_dir = f"/proc/{pid}/fd"
    prefix = f"{folder}{os.sep}"
    try:
        fds = os.listdir(fd_dir)
    except FileNotFoundError:
        # Process gone (nothing open any more) or no /proc at all.
        return False if os.path.isdir("/proc/self/fd") else None
    except OSError:
        return None
    for fd in fds:
        try:
            if os.readlink(f"{fd_dir}/{fd}").startswith(prefix):
                return True
        except OSError:                          # closed meanwhile
            continue
    return False


def _wait_until_still(out: Path, timeout: float) -> None:
    """Without /proc: until the entry file reads and the folder has stopped changing."""
    deadline = time.monotonic() + timeout
    previous = None
    while time.monotonic() < deadline:
        state = sorted((p.name, p.stat().st_size) for p in out.rglob("*") if p.is_file())
        if state == previous and _entry_ok(out / "pagefind-entry.json"):
            return
        previous = state
        time.sleep(0.1)
    raise SearchIndexError(f"搜索引擎 Pagefind 没有在 {timeout:.0f} 秒内写完索引文件")


def _entry_ok(entry_file: Path) -> bool:
    try:
        return bool(json.loads(entry_file.read_text(encoding="utf-8")).get("languages"))
    except (OSError, json.JSONDecodeError):
        return False


