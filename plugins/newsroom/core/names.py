"""Names that become paths: the one rule for every URL segment derived from a name.

A tag, region or column (free Chinese text), a brand or worker id, an article slug
and a free page's file name each become one folder of the site
(``tags/<标签>/``, ``brands/<id>/`` …). Whatever an editor types, that folder
must stay inside its section: no ``..`` that climbs out, no separator that makes
two folders, no name the generator writes itself (``index.html``, ``feed.xml``,
``page`` of pagination), and no two names that end up in one folder.

Ids (``ids.py``: lowercase ASCII, digits and ``-``) can only meet the reserved
names; free-text names go through ``term_segment`` and ``term_problem``.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Iterable, Optional

from .model import Article
from .problems import Problem
from .terms import TERM_RULES

# Names of the generator's own pages inside any folder: a listing's second page is
# .../page/2/, a feed .../feed.xml, and brands/index.md is the brand wall.
RESERVED_WORDS = frozenset({"index", "page", "feed"})
# Files the site writes (MkDocs, feeds, sitemaps, search): a folder of that name
# beside them would replace one or stop the build.
SITE_FILES = frozenset({"index.html", "index.md", "feed.xml", "feed.json", "sitemap.xml",
                        "sitemap.xml.gz", "sitemap-news.xml", "robots.txt", "404.html"})
# Windows cannot create these folders (the live preview runs on editors' PCs).
_DEVICES = frozenset({"con", "prn", "aux", "nul"} | {f"{d}{n}" for d in ("com", "lpt") for n in range(10)})
# Characters that cannot be a plain folder name in a URL: separators, query and
# fragment marks, percent (MkDocs unquotes URLs into paths), shell and HTML specials.
_UNSAFE = re.compile(r"[\s/\\?#%&+<>\"'|*:]+")
# Control and format characters (NUL, zero-width space, bidi overrides) and lone
# surrogates: invisible, or no valid file name at all.
_INVISIBLE = frozenset({"Cc", "Cf", "Cs"})
# A file name holds at most 255 bytes; a Chinese character takes 3 in UTF-8.
MAX_SEGMENT_BYTES = 180

# (kind, site folder, Chinese label, example) of the free-text names that become folders
# (terms.TERM_RULES is the table).
TERM_FOLDERS = {r.kind: (r.folder, r.label, r.example) for r in TERM_RULES}


def reserved_reason(segment: str) -> Optional[str]:
    """Why ``segment`` may not be a folder of the site because of what the site itself
    writes (Chinese, for editors), None if it may."""
    folded = segment.casefold()   # INDEX.HTML is index.html on Windows and macOS disks
    if folded in RESERVED_WORDS or folded in SITE_FILES:
        return "是网站保留的名字（自动生成的一览页、翻页或订阅要用），不能用作网址"
    if folded.split(".")[0] in _DEVICES:
        return "是 Windows 的设备名，不能用作文件夹名"
    return None


def is_reserved(segment: str) -> bool:
    return reserved_reason(segment) is not None


@lru_cache(maxsize=None)   # every tag of every article, on every build of the preview
def term_segment(name: str) -> str:
    """The URL segment of a tag, region or column: its own name, made path-safe.

    Separators and other URL specials become ``-``; dots and dashes at either end go
    (``..`` leaves nothing; ``.NET`` would be a hidden folder that servers refuse).
    '' when nothing is left: such a name is an error (``term_problem``).
    """
    return _UNSAFE.sub("-", unicodedata.normalize("NFC", name.strip())).strip("-.")


def visible(name: str) -> str:
    """``name`` with invisible characters shown as [U+200B], for messages to editors."""
    return "".join(f"[U+{ord(ch):04X}]" if unicodedata.category(ch) in _INVISIBLE else ch for ch in name)


@lru_cache(maxsize=None)
def term_problem(name: str) -> Optional[str]:
    """Why a tag, region or column cannot be a folder of the site (Chinese), None if it can."""
    if any(unicodedata.category(ch) in _INVISIBLE for ch in name):
        return "含有看不见的控制字符，不能用作网址"
    segment = term_segment(name)
    if not segment:
        return "只有标点、点或空格，没有可以用作网址的文字"
    reason = reserved_reason(segment)
    if reason:
        return reason
    if len(segment.encode("utf-8")) > MAX_SEGMENT_BYTES:
        return "太长，不能用作网址（最多 60 个汉字）"
    return None


def term_key(name: str) -> str:
    """Names with the same key share one folder: on Windows and macOS disks case and
    Unicode normalization do not tell folders apart."""
    return term_segment(name).casefold()


def term_names(article: Article, kind: str) -> list[str]:
    """The article's tags, or its region or column as a list."""
    if kind == "tag":
        return list(article.tags)
    value = article.region if kind == "region" else article.column
    return [value] if value else []


def collision_problems(articles: Iterable[Article]) -> list[Problem]:
    """Two different tags (regions, columns) that would share one folder: an error at
    the later file's field, naming the first file and both spellings."""
    problems: list[Problem] = []
    ordered = sorted(articles, key=lambda a: a.source.path)   # the same report on every run
    for kind, (folder, label, _) in TERM_FOLDERS.items():
        first: dict[str, tuple[str, Article]] = {}
        reported: set[tuple[str, str]] = set()
        keys: dict[str, str] = {}      # a few hundred names among 10,000 articles: each keyed once
        for article in ordered:
            for name in term_names(article, kind):
                key = keys.get(name)
                if key is None:
                    key = keys[name] = term_key(name)
                seen = first.setdefault(key, (name, article))
                if seen[0] == name or (seen[0], name) in reported:
                    continue
                reported.add((seen[0], name))
                field = "tags" if kind == "tag" else kind
                problems.append(Problem(
                    article.source.path, article.source.line_of(field),
                    f"{label}“{name}”与 {seen[1].source.path} 的{label}“{seen[0]}”对应同一个网址 "
                    f"/{folder}/{term_segment(name)}/，两者的文章会混在一起",
                    f"请统一写法：都写成“{seen[0]}”，或改成不同的名称"))
    return problems
