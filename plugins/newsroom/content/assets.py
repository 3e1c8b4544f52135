"""Images and files named by bodies and fields: found, in the right case, inside the site."""
from __future__ import annotations

import os
import posixpath
import re
import stat
from pathlib import Path
from typing import Iterator, Optional
from urllib.parse import unquote, urlsplit

from ..core.problems import Problem, short
from .links import lines_with
from .load import RawDoc, is_scratch_file
from .safety import Listing, contained, regular_file
from .sanitize_report import body_problems

_MD_IMAGE = re.compile(r"!\[[^\]\n]*\]\(\s*<?([^)\s>]+)>?(?:\s+[\"'][^\"'\n]*[\"'])?\s*\)")


_CODE_SPAN = re.compile(r"`[^`\n]*`")


class AssetIndex:
    """Every file under content/ that may be published (safety.list_folder's one walk of
    the folder: links out and special files left out) instead of a stat per image, in
    exact case, as the web server will see it, even on a case-insensitive disk."""

    def __init__(self, root: Path, listing: Listing):
        self.root = root
        self.listing = listing
        self._files: Optional[set[str]] = None
        self._by_name: Optional[dict[str, list[str]]] = None

    def files(self) -> set[str]:
        if self._files is None:
            self._files = {rel for rel in self.listing.paths()
                           if not rel.endswith(".md") and not is_scratch_file(rel.rpartition("/")[2])}
        return self._files

    def near(self, rel: str) -> str:
        """A file that was probably meant: same name in another folder, or another case."""
        if self._by_name is None:
            self._by_name = {}
            for file in self.files():
                self._by_name.setdefault(file.rpartition("/")[2].lower(), []).append(file)
        found = sorted(self._by_name.get(rel.rpartition("/")[2].lower(), []))
        return found[0] if found else ""


def check_body_images(doc: RawDoc, src_uri: str, assets: AssetIndex, problems: list[Problem],
                      removed: Optional[list[Problem]] = None) -> None:
    """Markdown images in the body (``![说明](../../images/x.jpg)``) must exist, resolved from
    the file's own folder as MkDocs will. Raw HTML ``<img src>`` is left alone: MkDocs does
    not rewrite it, so it is relative to the published page, not to the file.

    Also what the allow-list removes from the body, and images from other sites
    (``sanitize_report``; ``removed``: those already found, a function of the body alone)."""
    problems.extend(body_problems(doc.body, doc.body_line, doc.path) if removed is None else removed)
    if "![" not in doc.body:
        return
    base = posixpath.dirname(src_uri)
    for lineno, line in lines_with(doc.body, doc.body_line, "!["):
        line = _CODE_SPAN.sub("", line)
        for src in _MD_IMAGE.findall(line):
            problem = _body_image_problem(src, base, assets)
            if problem:
                problems.append(Problem(doc.path, lineno, *problem))


def body_image_targets(body: str, body_line: int, src_uri: str) -> Iterator[tuple[int, str]]:
    """``(line, path under content/)`` of each Markdown image of a body that names a file of
    this site (the photo build's list of body images; an image outside is left out)."""
    if "![" not in body:
        return
    base = posixpath.dirname(src_uri)
    for lineno, line in lines_with(body, body_line, "!["):
        for src in _MD_IMAGE.findall(_CODE_SPAN.sub("", line)):
            target = _target(src, base)
            if target and target != ".." and not target.startswith("../"):
                yield lineno, target


def _target(src: str, base: str) -> Optional[str]:
    """The path under content/ an image source names, resolved from the file's folder
    (None for another site's image or data:)."""
    path = src
    if ":" in src or "?" in src or "#" in src or src.startswith("//"):   # else plainly a path: skip the parsing
        parts = urlsplit(src)
        if parts.scheme or parts.netloc or not parts.path:
            return None          # another site's image, or data: — not a file of this site
        path = parts.path
    if "%" in path:
        path = unquote(path)
    return posixpath.normpath(path.lstrip("/") if path.startswith("/") else posixpath.join(base, path))


def _body_image_problem(src: str, base: str, assets: AssetIndex) -> Optional[tuple[str, str]]:
    target = _target(src, base)
    if target is None:
        return None
    prefix = f"{assets.root.name}/"
    shown = short(src, 80)
    if target == ".." or target.startswith("../"):
        return (f"正文图片“{shown}”不在网站目录中",
                f"请把图片放进 {prefix}images/，再从本文所在的文件夹写相对路径，上一级写 ../")
    if target in assets.files():
        return None
    if assets.listing.escapes(target):
        return (f"正文图片“{shown}”是指向网站目录之外的链接，不会发布",
                f"请把图片本身（不是链接）放进 {prefix}images/")
    near = assets.near(target)
    guess = f"；是不是 {posixpath.relpath(near, base or '.')}？" if near else ""
    return (f"正文图片“{shown}”不存在",
            f"程序找的是 {prefix}{target}：请把图片放到那里，或改正路径（从本文所在的文件夹算起，上一级写 ../）{guess}")


def check_file(path_text: str, root: Path, doc_path: str, line: int, what: str,
               problems: list[Problem], prefix: Optional[str] = None, home: str = "",
               repo: Optional[str] = None) -> bool:
    """An image, photo or logo path must exist under its root.

    ``prefix`` is how editors call ``root`` in hints (``content/``); '' for the
    site's own folder (brand logos are written as ``brands/img/x.svg``). ``home``
    is the folder such paths must start with (``brands/``), '' if any. The path
    must stay in ``root`` as written; links in it may lead anywhere in ``repo``
    (safety.site_root; ``root`` if not given), never out.
    """
    if not path_text:
        return False
    prefix = f"{root.name}/" if prefix is None else prefix
    shown = short(path_text, 80)
    if "://" in path_text or path_text.startswith("//"):
        problems.append(Problem(doc_path, line, f"{what}“{shown}”是外部网址：本站不引用其他网站的资源",
                                f"请把图片放进 {prefix}images/ 并写相对路径" if prefix else "请把图片放进 brands/img/ 并写相对路径"))
        return False
    if "\\" in path_text:
        problems.append(Problem(doc_path, line, f"{what}路径“{shown}”里不能用反斜杠 \\",
                                "请改用 /，例如 images/2021/photo.jpg"))
        return False
    try:
        base = os.path.abspath(root)
        candidate = os.path.normpath(os.path.join(base, path_text.lstrip("/")))
        inside = candidate == base or candidate.startswith(base.rstrip(os.sep) + os.sep)
    except ValueError:            # a NUL in the path
        inside = False
    if inside and _through_link(candidate, base) and not contained(candidate, repo or root):
        problems.append(Problem(doc_path, line, f"{what}“{shown}”不能使用：它是指向网站目录之外的链接，或在隐藏文件夹中，不会发布",
                                f"请把文件本身（不是链接）放进 {prefix or 'brands/img/'} 下"))
        return False
    exists = inside and regular_file(candidate)
    if not inside:
        problems.append(Problem(doc_path, line, f"{what}“{shown}”不在网站目录中",
                                f"请把文件放进 {prefix} 下，并写相对于 {prefix} 的路径" if prefix else "请把文件放进 brands/img/ 下"))
        return False
    if not exists:
        problems.append(Problem(doc_path, line, f"{what}“{shown}”不存在",
                                _missing_file_hint(path_text.lstrip("/"), root, prefix, home)))
        return False
    return True


def _through_link(candidate: str, base: str) -> bool:
    """Whether a link lies on the way from ``base`` to ``candidate`` (the rest is as written):
    an lstat of each part below ``base``, the first missing one ending the way (what lies above
    ``base`` is the same for both). ``candidate`` is ``base`` or under it (check_file).

    Not two ``os.path.realpath``s (an lstat of every part from /, each, and two relpaths): 0.13
    of 0.15 profiled s for 1,000 photos' paths a build."""
    top = base.rstrip(os.sep)
    path = top
    for part in candidate[len(top) + 1:].split(os.sep) if candidate != base else ():
        path += os.sep + part
        try:
            if stat.S_ISLNK(os.lstat(path).st_mode):
                return True
        except OSError:
            return False           # not there: no link on the way (check_file says it is missing)
        except ValueError:
            return True
    return False


def _missing_file_hint(rel: str, root: Path, prefix: str, home: str) -> str:
    """Where the file should be; a path written from the wrong folder gets the path to write."""
    if prefix and rel.startswith(prefix):        # content/images/x.jpg: content/ written twice
        fixed = rel[len(prefix):]
        where = "" if (root / fixed).is_file() else f"，并确认文件在 {prefix}{fixed}"
        return f"路径从 {prefix} 算起，开头不要再写 {prefix}：请写成 {fixed}{where}"
    if home and not rel.startswith(home):        # img/x.svg for a logo: brands/img/x.svg
        fixed = home + rel
        where = "" if (root / fixed).is_file() else f"，并确认文件在 {fixed}"
        return f"路径从网站目录算起，要以 {home} 开头：请写成 {fixed}{where}"
    other_case = _other_case(root, rel)
    if other_case:         # SongQingLiang.JPG for songqingliang.jpg: the web server tells them apart
        return f"文件应放在 {prefix}{rel}；大小写不同的文件是有的：是不是 {other_case}？"
    return f"文件应放在 {prefix}{rel}；请检查文件名和大小写"


def _other_case(root: Path, rel: str) -> str:
    """``rel`` with each part in the case the disk has it, '' if no such file."""
    folder, found = root, []
    for part in rel.split("/"):
        if part in ("", "."):
            continue
        try:
            names = os.listdir(folder)
        except OSError:
            return ""
        match = part if part in names else next((n for n in sorted(names) if n.lower() == part.lower()), "")
        if not match:
            return ""
        found.append(match)
        folder = folder / match
    return "/".join(found) if folder.is_file() else ""


