"""The preview's web server: MkDocs' ``LiveReloadServer`` with two changes for editors.

- Content errors show in the browser. An editor who saves a broken file watches the
  browser, not the terminal: every page the preview serves carries an overlay that
  lists the errors as ``path:line: 说明`` until the file is fixed. The live reload
  that follows each save fetches the page again, so the overlay comes and goes by
  itself. It is added while serving, never written into the site: builds never have it.
- Odd request paths (``/%00``, bytes that are not UTF-8) get the 404 page. MkDocs
  would open a path with a NUL byte and print a traceback.

Both override LiveReloadServer's private hooks (``_serve_request``,
``_inject_js_into_html``, ``_visible_epoch``): pyproject.toml pins MkDocs 1.6.1, and
tests/test_serve.py drives both through a real preview and Chromium.
"""
from __future__ import annotations

import html
import re
from typing import Any, Callable, Iterable, Optional

from mkdocs.livereload import LiveReloadServer, _timestamp

from ..core.terminal import on_signals

OVERLAY_ID = "nr-preview-errors"
# Control characters never name a file of the site; NUL makes open() raise ValueError.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

_OVERLAY_STYLE = ("position:fixed;top:0;left:0;right:0;z-index:100000;max-height:60vh;overflow:auto;"
                  "margin:0;padding:12px 16px;background:#fff3f3;color:#5c0000;border-bottom:4px solid #c00;"
                  "box-shadow:0 2px 10px rgba(0,0,0,.25);font:16px/1.6 system-ui,sans-serif;text-align:left")
_LIST_STYLE = "margin:0 0 8px;padding-left:1.2em;word-break:break-all"
_BUTTON_STYLE = ("min-height:44px;min-width:44px;padding:0 16px;font:inherit;color:#fff;background:#a00;"
                 "border:0;border-radius:4px;cursor:pointer")


def overlay_html(lines: list[str]) -> str:
    """The error overlay for ``lines`` ('' when there is nothing wrong)."""
    if not lines:
        return ""
    items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
    return (f'<div id="{OVERLAY_ID}" role="alert" lang="zh-CN" style="{_OVERLAY_STYLE}">'
            f'<p style="margin:0 0 6px;font-weight:bold">内容有错误，预览显示的是上一次的结果。'
            f'改好并保存后，本页会自动刷新：</p>'
            f'<ul style="{_LIST_STYLE}">{items}</ul>'
            f'<button type="button" style="{_BUTTON_STYLE}" onclick="this.parentNode.remove()">先收起</button>'
            f'</div>')


def add_overlay(page: bytes, lines: list[str]) -> bytes:
    """``page`` with the overlay as the first thing in its body (screen readers meet it first)."""
    overlay = overlay_html(lines).encode("utf-8")
    if not overlay:
        return page
    body = re.search(rb"<body[^>]*>", page)
    at = body.end() if body else 0
    return page[:at] + overlay + page[at:]


class PreviewServer(LiveReloadServer):
    """``errors_now``: the preview's current errors, one ``path:line: 说明`` per line."""

    def __init__(self, *args: Any, errors_now: Callable[[], list[str]], **kwargs: Any) -> None:
        self.errors_now = errors_now
        super().__init__(*args, **kwargs)

    def _serve_request(self, environ: dict, start_response: Callable) -> Optional[Iterable[bytes]]:
        if not servable(environ.get("PATH_INFO", "")):
            return None                          # the 404 page
        return super()._serve_request(environ, start_response)

    def _inject_js_into_html(self, content: bytes, epoch: int) -> bytes:
        return add_overlay(super()._inject_js_into_html(content, epoch), self.errors_now())

    def stop_soon(self) -> None:
        """End the build loop at its next look (every ``shutdown_delay``, or once the save
        being built is written). Takes no lock: a signal handler calls it, and a handler may
        interrupt code holding one."""
        self._shutdown = True

    def stop_on_signals(self) -> None:
        """While serving, Ctrl-C, kill or a closed terminal stop the loop (``stop_soon``)
        instead of raising KeyboardInterrupt wherever the main thread is: raised inside a
        callback that swallows exceptions (nh3's attribute filter, a finalizer) it was lost,
        with a traceback on the terminal, and the preview never stopped. A save being built
        is finished first (a second or two); a second signal interrupts it at once."""
        def stop(signum: int, frame: Any) -> None:
            if self._shutdown:
                raise KeyboardInterrupt
            self.stop_soon()

        on_signals(stop, ("SIGINT", "SIGTERM", "SIGHUP"))

    def reload_now(self) -> None:
        """Reload the browsers now, from inside the builder (MkDocs' loop does it when the
        builder returns): the preview has written the pages an editor looks at, and
        serves files from here on without waiting for the rest of the update."""
        with self._epoch_cond:
            self._visible_epoch = self._wanted_epoch
            self._epoch_cond.notify_all()

    def reload_again(self) -> None:
        """After ``reload_now``: a newer site version, so that browsers reload once more
        when the builder returns (pages written after the first reload, e.g. /news/page/37/)."""
        with self._epoch_cond:
            self._wanted_epoch = max(_timestamp(), self._visible_epoch + 1)

    def error_page(self, page: bytes) -> bytes:
        """An error page (404) that reloads and shows the errors like the others: an editor
        waiting for a new article's page sees it come, or sees why it does not."""
        return self._inject_js_into_html(page, self._visible_epoch)


def servable(path_info: str) -> bool:
    """A request path that can name a file: UTF-8 (WSGI hands it over as latin-1), no control characters."""
    try:
        path = path_info.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return False
    return not _CONTROL.search(path)
