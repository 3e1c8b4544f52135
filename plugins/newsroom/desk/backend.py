"""Decap CMS's local-backend protocol, answered in-process (what ``decap-server`` does in
its file-system mode, ``src/middlewares/localFs/index.ts`` of decap-server 3.11.3).

Decap POSTs ``{"action": …, "params": {…}}`` and reads JSON back; an error is
``{"error": "…"}`` with a 4xx/5xx status, which Decap shows to the editor, so every
message here is Chinese. Paths are relative to the site folder (``content/news/2024/x.md``).

Stricter than decap-server, on purpose:

- a path may only lead into the content or the brands folder (``safety.contained``:
  every link followed, no hidden folder), never elsewhere in the site (``site_config.yml``,
  ``theme/``, ``.git``); ``..`` and absolute paths are refused outright, not normalised;
- entries are ``.md`` files, media are image files: nothing else is read or written;
- writes are atomic (a temporary file beside the target, then ``os.replace``), so the
  live preview never reads half a file;
- a renamed entry moves only its own file: decap-server also moves every other file of
  its folder (``hasSubfolders``), which in ``content/news/2024/`` would move a whole year.

The editorial-workflow actions (``unpublishedEntries`` …) are not answered, as in
decap-server's fs mode: the desk's local mode publishes directly.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import itertools
import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Callable, Optional
from zoneinfo import ZoneInfo

from ..content.safety import contained, list_folder, regular_file
from ..core import ids
from ..core.files import write_whole
from ..core.model import SCHEMAS
from .config import COLLECTION_KINDS
from .frontmatter import normalise

ENTRY_SUFFIXES = (".md",)
MEDIA_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg")
MAX_FILE = 20 << 20          # one image or article: larger is a mistake (or an attack)

Json = Any


class DeskError(Exception):
    """A request the backend refuses: ``status`` and a Chinese message for the editor."""

    def __init__(self, message: str, status: int = 422) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Folders:
    """Where the desk may read and write: Decap's paths are relative to ``root`` (the site
    folder) and must lead into one of ``allowed`` (the content and brands folders)."""

    root: Path
    allowed: tuple[Path, ...]
    # (folder relative to root, entity kind), longest first: which schema a saved file follows.
    kinds: tuple[tuple[str, str], ...] = ()
    timezone: str = "Asia/Shanghai"

    def kind_of(self, rel: str) -> Optional[str]:
        return next((kind for folder, kind in self.kinds if rel.startswith(folder + "/")), None)

    def resolve(self, rel: Any, suffixes: tuple[str, ...] = ()) -> Path:
        """The file or folder ``rel`` names, or DeskError when it may lead anywhere else."""
        if not isinstance(rel, str) or not rel.strip():
            raise DeskError("缺少文件路径")
        shown = rel[:200]
        pure = PurePosixPath(rel)
        if "\0" in rel or "\\" in rel or pure.is_absolute() or ".." in pure.parts:
            raise DeskError(f"路径“{shown}”不允许：只能是网站目录里的相对路径，不能含“..”", 403)
        path = self.root / pure
        if not any(contained(path, top) for top in self.allowed):
            raise DeskError(f"路径“{shown}”不在内容目录或品牌目录中（或经过链接、隐藏文件夹指向了别处），编辑台不能读写它", 403)
        if suffixes and path.suffix.lower() not in suffixes:
            raise DeskError(f"文件“{shown}”的类型不允许：只能是 {'、'.join(suffixes)}")
        return path

    def relative(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()


# ------------------------------------------------------------------ reading

def _read(path: Path) -> bytes:
    if not regular_file(path):
        raise FileNotFoundError(path)
    if path.stat().st_size > MAX_FILE:
        raise DeskError(f"文件“{path.name}”超过 {MAX_FILE >> 20} MB，编辑台不读取它", 413)
    return path.read_bytes()


def _entry(folders: Folders, rel: str, label: Any = None) -> dict[str, Any]:
    """One entry as decap-server returns it; an unreadable file has ``data: null``."""
    file: dict[str, Any] = {"path": rel, "id": None}
    if label is not None:
        file["label"] = label
    try:
        content = _read(folders.resolve(rel, ENTRY_SUFFIXES))
    except (OSError, DeskError):
        return {"data": None, "file": file}
    file["id"] = hashlib.sha256(content).hexdigest()
    return {"data": content.decode("utf-8", errors="replace"), "file": file}


def _media(folders: Folders, rel: str) -> dict[str, Any]:
    try:
        content = _read(folders.resolve(rel, MEDIA_SUFFIXES))
    except OSError:
        raise DeskError(f"找不到图片“{rel[:200]}”", 404) from None
    return {"id": hashlib.sha256(content).hexdigest(), "content": base64.b64encode(content).decode("ascii"),
            "encoding": "base64", "path": rel, "name": PurePosixPath(rel).name}


def _listing(folders: Folders, folder: str, suffix: str, depth: int) -> list[str]:
    """Files under ``folder`` down to ``depth`` levels that end with ``suffix``, as paths
    relative to the site folder. ``list_folder`` skips hidden files and links out."""
    top = folders.resolve(folder)
    if not top.is_dir():
        return []
    out = []
    for rel, names in list_folder(top, folders.root, "").walk():
        if rel.count("/") + (1 if rel else 0) >= depth:
            continue
        for name in names:
            if name.endswith(suffix):
                out.append(folders.relative(top / rel / name if rel else top / name))
    return out


# ------------------------------------------------------------------ writing

def _decoded(asset: Any) -> bytes:
    if not isinstance(asset, dict) or asset.get("encoding") != "base64" or not isinstance(asset.get("content"), str):
        raise DeskError("上传的文件格式不对（应为 base64）")
    try:
        content = base64.b64decode(asset["content"], validate=True)
    except (binascii.Error, ValueError):
        raise DeskError("上传的文件内容不是有效的 base64") from None
    if len(content) > MAX_FILE:
        raise DeskError(f"文件超过 {MAX_FILE >> 20} MB，请先缩小图片", 413)
    return content


def _persist_entry(folders: Folders, params: dict[str, Any]) -> Json:
    entry = params.get("entry")
    data_files = params.get("dataFiles") or ([entry] if entry else [])
    if not data_files or not all(isinstance(f, dict) and isinstance(f.get("raw"), str) for f in data_files):
        raise DeskError("保存的内容不完整：缺少文件")
    assets = params.get("assets") or []
    # Every path is checked before anything is written: a refused asset leaves no half-saved entry.
    targets = [(folders.resolve(f.get("path"), ENTRY_SUFFIXES), _ours(folders, f)) for f in data_files]
    targets += [(folders.resolve(a.get("path") if isinstance(a, dict) else None, MEDIA_SUFFIXES), _decoded(a))
                for a in assets]
    moves = [(folders.resolve(f["path"], ENTRY_SUFFIXES), folders.resolve(f["newPath"], ENTRY_SUFFIXES))
             for f in data_files if f.get("newPath")]
    for path, content in targets:
        write_whole(path, content)
    for old, new in moves if len(moves) == len(data_files) else ():
        new.parent.mkdir(parents=True, exist_ok=True)
        os.replace(old, new)
    return {"message": "entry persisted"}


def _ours(folders: Folders, file: dict[str, Any]) -> bytes:
    """Decap's text in the editors' format (frontmatter.py): unchanged fields keep their lines."""
    target = folders.resolve(file.get("newPath") or file.get("path"), ENTRY_SUFFIXES)
    current = folders.resolve(file.get("path"), ENTRY_SUFFIXES)
    try:
        old: Optional[str] = _read(current).decode("utf-8")
    except (OSError, UnicodeDecodeError):
        old = None
    kind = folders.kind_of(folders.relative(target))
    if kind is None:
        return file["raw"].encode("utf-8")
    return normalise(file["raw"], old, kind, target.stem, ZoneInfo(folders.timezone)).encode("utf-8")


def _new_id(folders: Folders, p: dict[str, Any]) -> Json:
    """The id ``newsroom new`` would give a new entry of ``collection``: the pinyin of its title
    (or name); for articles and notices the first one their year does not use yet (-2, -3 …),
    for the others the first file name not taken."""
    title, kind = p.get("title"), COLLECTION_KINDS.get(p.get("collection"))
    folder = next((rel for rel, k in folders.kinds if k == kind), None)
    if not isinstance(title, str) or not title.strip() or folder is None:
        return {"id": ""}
    title, top, year = " ".join(title.split()), folders.resolve(folder), p.get("year")
    if SCHEMAS[kind].dated:
        if not (isinstance(year, str) and year.isdigit() and len(year) == 4):
            return {"id": ""}                 # no date yet: the year folder is unknown
        return {"id": ids.first_free(ids.article_ids(title), ids.taken_slugs(top / year))}
    first = ids.suggest_id(title, kind)
    taken = {path.stem: path for path in top.glob("*.md")} if top.is_dir() else {}
    return {"id": ids.first_free(itertools.chain([first], (f"{first}-{n}" for n in itertools.count(2))), taken)}


def _persist_media(folders: Folders, params: dict[str, Any]) -> Json:
    asset = params.get("asset")
    path = folders.resolve(asset.get("path") if isinstance(asset, dict) else None, MEDIA_SUFFIXES)
    write_whole(path, _decoded(asset))
    return _media(folders, folders.relative(path))


def _delete(folders: Folders, rel: Any) -> None:
    path = folders.resolve(rel, ENTRY_SUFFIXES + MEDIA_SUFFIXES)
    if path.is_symlink() or regular_file(path):
        path.unlink()


def _delete_files(folders: Folders, params: dict[str, Any]) -> Json:
    paths = params.get("paths")
    if not isinstance(paths, list) or not paths:
        raise DeskError("缺少要删除的文件")
    for rel in paths:
        folders.resolve(rel, ENTRY_SUFFIXES + MEDIA_SUFFIXES)     # all refused, or none deleted
    for rel in paths:
        _delete(folders, rel)
    return {"message": f"deleted files {', '.join(paths)}"}


# ------------------------------------------------------------------ dispatch

def _entries_by_folder(folders: Folders, p: dict[str, Any]) -> Json:
    extension, depth = p.get("extension"), p.get("depth")
    if not isinstance(extension, str) or not isinstance(depth, int) or isinstance(depth, bool):
        raise DeskError("列出文件的参数不对（extension、depth）")
    return [_entry(folders, rel) for rel in _listing(folders, p.get("folder"), extension, depth)]


def _entries_by_files(folders: Folders, p: dict[str, Any]) -> Json:
    files = p.get("files")
    if not isinstance(files, list) or not all(isinstance(f, dict) for f in files):
        raise DeskError("缺少要读取的文件列表")
    for f in files:
        folders.resolve(f.get("path"))                # a path out is refused, not read as null
    return [_entry(folders, f["path"], f.get("label")) for f in files]


def _get_entry(folders: Folders, p: dict[str, Any]) -> Json:
    folders.resolve(p.get("path"))
    return _entry(folders, p["path"])


def _get_media(folders: Folders, p: dict[str, Any]) -> Json:
    return [_media(folders, rel) for rel in _listing(folders, p.get("mediaFolder"), "", 1)
            if rel.lower().endswith(MEDIA_SUFFIXES)]


def _delete_file(folders: Folders, p: dict[str, Any]) -> Json:
    _delete(folders, p.get("path"))
    return {"message": f"deleted file {p['path']}"}


def _info(folders: Folders, p: dict[str, Any]) -> Json:
    return {"repo": folders.root.name, "publish_modes": ["simple"], "type": "local_fs"}


ACTIONS: dict[str, Callable[[Folders, dict[str, Any]], Json]] = {
    "info": _info,
    "entriesByFolder": _entries_by_folder,
    "entriesByFiles": _entries_by_files,
    "getEntry": _get_entry,
    "persistEntry": _persist_entry,
    "getMedia": _get_media,
    "getMediaFile": lambda folders, p: _media(folders, folders.relative(folders.resolve(p.get("path")))),
    "persistMedia": _persist_media,
    "deleteFile": _delete_file,
    "deleteFiles": _delete_files,
    "getDeployPreview": lambda folders, p: None,
    "newId": _new_id,
}


def handle(folders: Folders, request: Any) -> tuple[int, Json]:
    """One request of Decap's protocol: ``(HTTP status, JSON body)``; never raises on input."""
    if not isinstance(request, dict) or not isinstance(request.get("action"), str):
        return 422, {"error": "请求格式不对：缺少 action"}
    action = ACTIONS.get(request["action"])
    if action is None:
        return 422, {"error": f"编辑台不支持这个操作：{request['action'][:60]}"}
    params = request.get("params") or {}
    if not isinstance(params, dict):
        return 422, {"error": "请求格式不对：params 应是对象"}
    try:
        return 200, action(folders, params)
    except DeskError as exc:
        return exc.status, {"error": str(exc)}
    except OSError as exc:
        return 500, {"error": f"读写文件失败：{exc.strerror or exc}"}


__all__ = ["Folders", "DeskError", "ACTIONS", "handle", "ENTRY_SUFFIXES", "MEDIA_SUFFIXES"]
