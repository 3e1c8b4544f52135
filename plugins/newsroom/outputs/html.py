"""Body HTML made absolute for feeds: every URL attribute joined to the site's address."""
from __future__ import annotations

import html
import re
from urllib.parse import urljoin

# Start tags that have a URL attribute (quoted values may hold '>'), and those attributes.
_ATTR_NAMES = r"(?:href|src|srcset|poster|cite|action|data|xlink:href)"


_TAG = re.compile(r"<[A-Za-z][^\s/>]*(?=(?:\"[^\"]*\"|'[^']*'|[^'\">])*?\s" + _ATTR_NAMES
                  + r"\s*=)(?:\"[^\"]*\"|'[^']*'|[^'\">])*>", re.IGNORECASE)


_URL_ATTR = re.compile(
    r"""(?P<lead>\s(?P<name>""" + _ATTR_NAMES[3:-1] + r""")\s*=\s*)"""
    r"""(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"'=<>`]+))""",
    re.IGNORECASE)


_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


_ORIGIN = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*://[^/?#]*)(/[^?#]*)?")


def _join(base: str, value: str) -> str:
    """``urljoin(base, value)`` for an absolute, fragment-free page URL ``base``.

    The links MkDocs writes (``../../images/x.png``, ``../other/``, ``#fn:1``) take a
    fast path (RFC 3986 dot-segment removal); anything unusual goes to ``urljoin``.
    """
    value = value.strip()
    if not value:
        return base
    if value[0] == "#":
        return base.split("#", 1)[0] + value
    if _SCHEME.match(value):
        return value
    m = _ORIGIN.match(base)
    if m is None or value.startswith(("//", "?")) or "\\" in value:
        return urljoin(base, value)
    cut = min((i for i in (value.find("?"), value.find("#")) if i >= 0), default=len(value))
    path, rest = value[:cut], value[cut:]
    if not path:
        return urljoin(base, value)
    if not path.startswith("/"):
        base_path = m.group(2) or "/"
        path = base_path[: base_path.rfind("/") + 1] + path
    segments = path.split("/")[1:]
    out: list[str] = []
    for i, seg in enumerate(segments):
        last = i == len(segments) - 1
        if seg == "..":
            if out:
                out.pop()
            if last:
                out.append("")
        elif seg == ".":
            if last:
                out.append("")
        else:
            out.append(seg)
    return m.group(1) + "/" + "/".join(out) + rest


def _srcset(base: str, value: str) -> str:
    out = []
    for candidate in value.split(","):
        parts = candidate.strip().split(None, 1)
        if not parts:
            continue
        parts[0] = _join(base, parts[0])
        out.append(" ".join(parts))
    return ", ".join(out)


def absolutize(fragment: str, base: str) -> str:
    """Resolve every href/src/srcset/... in an HTML fragment against ``base``."""

    def attr(m: re.Match) -> str:
        raw = m.group("dq") if m.group("dq") is not None else (
            m.group("sq") if m.group("sq") is not None else m.group("bare"))
        value = html.unescape(raw)
        value = _srcset(base, value) if m.group("name").lower() == "srcset" else _join(base, value)
        return f'{m.group("lead")}"{html.escape(value, quote=True)}"'

    return _TAG.sub(lambda t: _URL_ATTR.sub(attr, t.group(0)), fragment)




def video_html(site_url_of, video) -> str:
    """The video at the top of a feed item: the reader's own player where it has one, the
    poster and a link to the file where it does not. ``site_url_of`` makes a path absolute."""
    src = html.escape(site_url_of(video.src))
    poster = f' poster="{html.escape(site_url_of(video.poster))}"' if video.poster else ""
    size = f' width="{video.width}" height="{video.height}"' if video.width and video.height else ""
    track = (f'<track kind="captions" srclang="zh" label="中文字幕" src="{html.escape(site_url_of(video.captions))}">'
             if video.captions else "")
    return (f'<figure><video controls preload="none"{poster}{size}><source src="{src}" type="{video.type}">{track}'
            f'<a href="{src}">观看视频</a></video><figcaption><a href="{src}">观看视频</a></figcaption></figure>\n')
