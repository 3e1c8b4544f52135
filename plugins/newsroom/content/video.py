"""An article's self-hosted video: the MP4, its poster and WebVTT captions, checked.

The page plays the file with the browser's own controls, so what is checked is what a
browser needs: an MP4 (its ``ftyp`` box, not only its name) whose index (``moov``) can be
read, in a codec every browser plays; a poster image; captions that are WebVTT in UTF-8.
The MP4's boxes are read with the standard library (the movie and track headers only,
never the media data): its size, frame size and duration go to pages, feeds and JSON-LD.
"""
from __future__ import annotations

import os
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Iterator, Optional

from ..core.media import Video
from ..core.model import Article
from ..core.problems import ERROR, WARNING, Problem, short
from .assets import check_file

VIDEO_SUFFIXES = (".mp4", ".m4v")
POSTER_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".svg")
CAPTION_SUFFIXES = (".vtt",)
# Codecs every current browser plays in an MP4 (H.264, AV1, VP9); HEVC plays in some only.
_PLAYABLE = {b"avc1", b"avc3", b"av01", b"vp09"}
_HEVC = {b"hvc1", b"hev1"}
_MOOV_LIMIT = 64 << 20              # an index bigger than this is no video of a news page
_CONTAINERS = {b"moov", b"trak", b"mdia", b"minf", b"stbl"}
_EXPORT_HINT = "请用剪辑软件重新导出为 MP4（H.264 编码）"


@dataclass
class _Probe:
    """What the MP4's headers say."""

    seconds: float = 0.0
    width: int = 0
    height: int = 0
    codecs: tuple[bytes, ...] = ()
    moov_first: bool = True         # the index before the media data: playback starts at once


def check_video(article: Article, content_dir: Path, content_root: str,
                problems: list[Problem]) -> Optional[Video]:
    """The article's video if its file is good (problems at the lines of its fields)."""
    if not article.video:
        for key in ("video_poster", "video_captions"):
            if getattr(article, key):
                _at(problems, article, key, f"写了 {key}，却没有写视频文件（video）",
                    "请加上 video: media/年份/文件名.mp4，或删掉这一行", WARNING)
        return None
    src = _checked(article, "video", VIDEO_SUFFIXES, "视频", "视频只能是 MP4 文件（.mp4）", content_dir,
                   content_root, problems)
    poster = _checked(article, "video_poster", POSTER_SUFFIXES, "视频封面",
                      "封面只能是 JPG、PNG、WebP、GIF 或 SVG 图片", content_dir, content_root, problems)
    captions = _checked(article, "video_captions", CAPTION_SUFFIXES, "视频字幕",
                        "字幕只能是 WebVTT 文件（.vtt）", content_dir, content_root, problems)
    if captions and not _is_webvtt(content_dir / captions):
        _at(problems, article, "video_captions", f"视频字幕“{short(article.video_captions, 80)}”不是 WebVTT 字幕",
            "WebVTT 文件以一行 WEBVTT 开头，用 UTF-8 编码保存；SRT 字幕可以用字幕软件转存为 .vtt")
        captions = ""
    if not article.video_poster:
        _at(problems, article, "video", "视频没有封面图（video_poster）",
            "请加上 video_poster: images/年份/封面.jpg" + ("；现在先用题图（image）作封面" if article.image else
                                                          "；没有封面时，读者在播放前只看到一块空白"), WARNING)
    if not src:
        return None
    probe = _probe_problems(article, content_dir / src, problems)
    if probe is None:
        return None
    return Video(src, poster or (article.image if not article.video_poster else ""), captions,
                 os.stat(content_dir / src).st_size, probe.width, probe.height, probe.seconds)


def _checked(article: Article, key: str, suffixes: tuple[str, ...], what: str, types: str, content_dir: Path,
             content_root: str, problems: list[Problem]) -> str:
    """The field's path under content/ if it names a file of the right type inside the site, else ''."""
    path = getattr(article, key)
    if not path:
        return ""
    if os.path.splitext(path)[1].lower() not in suffixes:
        _at(problems, article, key, f"{what}“{short(path, 80)}”的类型不能用", types)
        return ""
    # Missing, outside the site, through a link out: the graph told it already (every path
    # field is checked to exist, content/graph._load_kind); here only the verdict counts.
    if not check_file(path, content_dir, article.source.path, article.source.line_of(key), what, [],
                      repo=content_root):
        return ""
    return os.path.normpath(path.lstrip("/")).replace(os.sep, "/")


def _at(problems: list[Problem], article: Article, key: str, message: str, hint: str, level: str = ERROR) -> None:
    problems.append(Problem(article.source.path, article.source.line_of(key), message, hint, level))


def _is_webvtt(path: Path) -> bool:
    try:
        with open(path, "rb") as f:
            head = f.read(4096)
        text = head.decode("utf-8-sig") if len(head) < 4096 else head[:4000].decode("utf-8-sig", "ignore")
    except (OSError, UnicodeDecodeError):
        return False
    return text.startswith("WEBVTT") and (len(text) == 6 or text[6] in " \t\r\n")


# ---------------------------------------------------------------- the MP4's headers

def _probe_problems(article: Article, path: Path, problems: list[Problem]) -> Optional[_Probe]:
    shown = short(article.video, 80)
    try:
        with open(path, "rb") as f:
            probe = probe_mp4(f)
    except OSError:
        probe = None
    if probe is None:
        _at(problems, article, "video", f"视频“{shown}”不是能在网页里播放的 MP4 文件（读不到它的文件头）", _EXPORT_HINT)
        return None
    if probe.codecs and set(probe.codecs) & _HEVC:
        _at(problems, article, "video", f"视频“{shown}”是 HEVC（H.265）编码，部分浏览器（如电脑上的 Firefox）不能播放",
            _EXPORT_HINT, WARNING)
    elif probe.codecs and not set(probe.codecs) & _PLAYABLE:
        names = "、".join(c.decode("latin-1") for c in probe.codecs)
        _at(problems, article, "video", f"视频“{shown}”的编码（{names}）浏览器不能播放", _EXPORT_HINT)
        return None
    if not probe.moov_first:
        _at(problems, article, "video", f"视频“{shown}”的索引在文件末尾：读者要等整个文件下载完才能开始播放",
            "导出时请选“快速启动”（Fast Start / Web 优化），或用 ffmpeg -movflags +faststart 转存", WARNING)
    return probe


def probe_mp4(f: BinaryIO) -> Optional[_Probe]:
    """The headers of an MP4 (None if it is not one): top-level boxes are skipped over,
    only ``moov`` is read."""
    probe, seen_ftyp, seen_media = _Probe(), False, False
    for kind, size, start in _top_boxes(f):
        if not seen_ftyp and kind != b"ftyp":
            return None
        seen_ftyp = True
        if kind == b"mdat":
            seen_media = True
        elif kind == b"moov":
            if size > _MOOV_LIMIT:
                return None
            f.seek(start)
            _read_moov(f.read(size), probe)
            probe.moov_first = not seen_media
            return probe if probe.codecs or probe.seconds else None
    return None


def _top_boxes(f: BinaryIO) -> Iterator[tuple[bytes, int, int]]:
    """(type, payload size, payload offset) of each top-level box."""
    end = f.seek(0, os.SEEK_END)
    at = 0
    while at + 8 <= end:
        f.seek(at)
        size, kind = struct.unpack(">I4s", f.read(8))
        head = 8
        if size == 1:
            size, head = struct.unpack(">Q", f.read(8))[0], 16
        elif size == 0:
            size = end - at
        if size < head or at + size > end:
            return
        yield kind, size - head, at + head
        at += size


def _boxes(data: bytes) -> Iterator[tuple[bytes, bytes]]:
    at = 0
    while at + 8 <= len(data):
        size, kind = struct.unpack_from(">I4s", data, at)
        head = 8
        if size == 1 and at + 16 <= len(data):
            size, head = struct.unpack_from(">Q", data, at + 8)[0], 16
        elif size == 0:
            size = len(data) - at
        if size < head or at + size > len(data):
            return
        yield kind, data[at + head:at + size]
        at += size


def _read_moov(data: bytes, probe: _Probe) -> None:
    for kind, payload in _boxes(data):
        if kind == b"mvhd" and len(payload) >= 32:
            if payload[0] == 1:
                scale, duration = struct.unpack_from(">IQ", payload, 20)
            else:
                scale, duration = struct.unpack_from(">II", payload, 12)
            probe.seconds = duration / scale if scale else 0.0
        elif kind == b"tkhd" and len(payload) >= 84:
            width, height = struct.unpack_from(">II", payload, len(payload) - 8)
            if width and height and not probe.width:
                probe.width, probe.height = width >> 16, height >> 16
        elif kind == b"stsd" and len(payload) >= 16:
            probe.codecs += (payload[12:16],)
        elif kind in _CONTAINERS:
            _read_moov(payload, probe)
