"""``newsroom desk``'s web server: ``/admin/`` (the page, the vendored Decap CMS, the
generated ``config.yml``) and ``POST /admin/api/v1`` (backend.py), on one loopback port.

The backend writes into the site's folders without any log-in, so who may reach it is
the whole defence:

- it listens on a loopback address only (``parse_addr`` refuses anything else);
- ``Host`` must be a loopback name with our port: a web page on another site whose DNS
  name is re-pointed to 127.0.0.1 (DNS rebinding) sends its own name and is refused;
- a POST must carry ``Origin`` equal to this server's origin and a JSON content type:
  another site's page cannot send one without a CORS preflight, which is never granted;
- answers carry a CSP, ``nosniff`` and ``frame-ancestors 'none'``.
"""
from __future__ import annotations

import ipaddress
import json
import socket
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable

from .backend import Folders, handle
from .manifest import BUNDLE, VENDOR
from .site import OWN_FILES, csp, index_html

HERE = Path(__file__).resolve().parent
API = "/admin/api/v1"
MAX_BODY = 30 << 20                    # a 20 MB image in base64, with room for the JSON around it
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
# Decap injects its styles (emotion), validates its config with Ajv, which compiles each schema
# with `new Function` ('unsafe-eval', measured: without it the desk stops at "Config Errors"),
# and compiles image codecs from .wasm. Every source is this origin; nothing else is allowed.
CSP = csp() + "; frame-ancestors 'none'"
TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8", ".wasm": "application/wasm",
         ".txt": "text/plain; charset=utf-8", ".html": "text/html; charset=utf-8", ".yml": "text/yaml; charset=utf-8"}


class AddressError(ValueError):
    """A --dev-addr the desk refuses, with the Chinese reason."""


def parse_addr(text: str) -> tuple[str, int]:
    """``127.0.0.1:8001``, ``localhost:8001`` or ``[::1]:8001`` as ``(host, port)``; loopback only."""
    host, sep, port = text.rpartition(":")
    host = host[1:-1] if host.startswith("[") and host.endswith("]") else host
    if not sep or not port.isdigit() or not 0 <= int(port) < 65536:
        raise AddressError(f"地址“{text}”不对，应写成 127.0.0.1:8001 这样的“地址:端口”")
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise AddressError(f"编辑台只能在本机地址上运行（127.0.0.1、localhost 或 ::1），不能用“{host}”："
                           "它不需要登录就能改动网站的文件")
    return ("127.0.0.1" if host == "localhost" else host), int(port)


@dataclass(frozen=True)
class Desk:
    """What the server serves: the folders the backend may touch, and the config text."""

    folders: Folders
    config_yaml: str
    # The site's stylesheets for the preview frame, served as /admin/preview/<name>.
    styles: tuple[tuple[str, Path], ...] = ()

    def index(self) -> bytes:
        return index_html(f"preview/{name}" for name, _ in self.styles).encode("utf-8")

    def static(self, name: str) -> Path | None:
        """The file ``/admin/<name>`` serves, looked up by exact name (never joined as a path)."""
        if name in OWN_FILES:
            return HERE / name
        if name.startswith("preview/"):
            return dict(self.styles).get(name[len("preview/"):])
        return _VENDORED.get(name)


_VENDORED = {p.name: p for p in (VENDOR / BUNDLE).iterdir() if p.is_file()} if (VENDOR / BUNDLE).is_dir() else {}


class DeskServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, host: str, port: int, desk: Desk) -> None:
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.desk = desk
        super().__init__((host, port), DeskHandler)

    @property
    def port(self) -> int:
        return self.server_address[1]

    def hosts(self) -> set[str]:
        """The Host headers a page of ours sends."""
        return {f"{name}:{self.port}" for name in LOOPBACK_NAMES}

    def url(self) -> str:
        host = self.server_address[0]
        return f"http://{'[' + host + ']' if ':' in host else host}:{self.port}/admin/"


class DeskHandler(BaseHTTPRequestHandler):
    server: DeskServer
    server_version = "newsroom-desk"
    sys_version = ""

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - BaseHTTPRequestHandler's name
        pass          # every request would flood the editor's terminal; errors reach the page

    # ---------------------------------------------------------- requests

    def do_GET(self) -> None:  # noqa: N802 - http.server's names
        if not self._host_ok():
            return
        path = self.path.split("?", 1)[0]
        if path in ("/", "/admin"):
            self._send(302, b"", "text/plain", {"Location": "/admin/"})
        elif path in ("/admin/", "/admin/index.html"):
            self._send(200, self.server.desk.index(), TYPES[".html"])
        elif path == "/admin/config.yml":
            self._send(200, self.server.desk.config_yaml.encode("utf-8"), TYPES[".yml"])
        elif path.startswith("/admin/") and (file := self.server.desk.static(path[len("/admin/"):])):
            self._send(200, file.read_bytes(), TYPES.get(file.suffix, "application/octet-stream"),
                       {"Cache-Control": "no-cache"})      # revalidated: a new release replaces them
        else:
            self._send(404, "没有这个页面：编辑台在 /admin/".encode("utf-8"), TYPES[".txt"])

    def do_HEAD(self) -> None:  # noqa: N802
        self.do_GET()

    def do_POST(self) -> None:  # noqa: N802
        if not self._host_ok() or not self._origin_ok():
            return
        if self.path != API:
            return self._json(404, {"error": "没有这个接口"})
        if not self.headers.get("Content-Type", "").startswith("application/json"):
            return self._json(415, {"error": "请求应是 JSON"})
        length = self.headers.get("Content-Length", "")
        if not length.isdigit() or int(length) > MAX_BODY:
            return self._json(413, {"error": f"请求太大（上限 {MAX_BODY >> 20} MB），请先缩小图片"})
        try:
            request = json.loads(self.rfile.read(int(length)))
        except (ValueError, UnicodeDecodeError):
            return self._json(400, {"error": "请求不是有效的 JSON"})
        self._json(*handle(self.server.desk.folders, request))

    def _refuse_method(self) -> None:
        if self._host_ok():
            self._json(405, {"error": "编辑台不接受这种请求"})

    do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _refuse_method  # noqa: N815 - no CORS preflight is granted

    # ---------------------------------------------------------- checks

    def _host_ok(self) -> bool:
        if self.headers.get("Host", "").lower() in self.server.hosts():
            return True
        self._json(403, {"error": f"访问地址不对：请用 {self.server.url()} 打开编辑台"})
        return False

    def _origin_ok(self) -> bool:
        origin = self.headers.get("Origin", "")
        if origin.lower() == f"http://{self.headers.get('Host', '').lower()}":
            return True
        self._json(403, {"error": "只接受编辑台页面自己的请求（来源不符）"})
        return False

    # ---------------------------------------------------------- answers

    def _json(self, status: int, body: Any) -> None:
        self._send(status, json.dumps(body, ensure_ascii=False).encode("utf-8"), "application/json; charset=utf-8")

    def _send(self, status: int, body: bytes, content_type: str, extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        headers = {"Content-Type": content_type, "Content-Length": str(len(body)), "Cache-Control": "no-store",
                   "Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff",
                   "Referrer-Policy": "no-referrer", **(extra or {})}
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def run(server: DeskServer, say: Callable[[str], None]) -> int:
    """Serve until Ctrl-C; 0."""
    say(f"编辑台已启动：请在浏览器中打开 {server.url()}（只能在本机打开；按 Ctrl+C 停止）")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        say("编辑台已停止。")
    finally:
        server.server_close()
    return 0


__all__ = ["Desk", "DeskServer", "AddressError", "parse_addr", "run", "API", "CSP"]
