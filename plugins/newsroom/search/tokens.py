"""Search tokens: normalisation and CJK bigrams (search.js mirrors every rule here)."""
from __future__ import annotations

import functools
import operator
import re
import unicodedata
from typing import Iterable

ROUTE_BUCKETS = 1024


_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"


TOKEN = re.compile(f"([{_CJK}]+)|([0-9a-z]+)")


# One token with the gap before it: what lies between two tokens is exactly the
# characters that are neither Chinese nor [0-9a-z].
_GAP_TOKEN = re.compile(f"([^{_CJK}0-9a-z]*)(?:([{_CJK}]+)|([0-9a-z]+))")


# Runs of unified ideographs, which NFKC leaves alone and which never compose
# with a neighbour (no decomposition, combining class 0, in no canonical pair):
# the text can be normalized piecewise between them, with the same result.
_NFKC_STABLE = re.compile("([\u3400-\u4dbf\u4e00-\u9fff]+)")


_nfkc = functools.partial(unicodedata.normalize, "NFKC")


def normalize(text: str) -> str:
    """NFKC (full-width letters and digits become ASCII) and lower case."""
    # Normalizing only what lies between ideograph runs is 3-5x faster on
    # Chinese text than normalizing it whole (the runs are most of it).
    parts = _NFKC_STABLE.split(text)
    parts[::2] = map(_nfkc, parts[::2])
    return "".join(parts).lower()


def _bigrams(run: str) -> Iterable[str]:
    """疫情防控 -> 疫情 情防 防控; a single character stays as it is."""
    return (run,) if len(run) == 1 else map(operator.add, run, run[1:])


def tokens(text: str) -> list[str]:
    """The indexed tokens of ``text``: bigrams of Chinese runs, Latin/digit words whole.

    A Chinese run of one character is kept as it is. ``search.js`` has the same
    function (``tokens``); tests check both agree.
    """
    out: list[str] = []
    for run, word in TOKEN.findall(normalize(text)):
        if word:
            out.append(word)
        else:
            out.extend(_bigrams(run))
    return out


def token_text(text: str) -> str:
    """What Pagefind indexes and stores: ``token_list`` joined by spaces."""
    return " ".join(token_list(text))


def token_list(text: str) -> list[str]:
    """What Pagefind indexes and stores, one token at a time: the tokens, with the punctuation between them.

    Punctuation between two runs is kept as a token of its own (Pagefind does not
    index it), so a phrase never matches across it and ``search.js`` can turn
    the tokens back into readable text for excerpts; a line break becomes '¦',
    in its place among the marks (``；\n“`` -> ``; ¦ “``: the quote opens the next line).
    """
    # findall, not finditer: tuples of strings cost far less than match objects,
    # and this runs for every page of the site (1.3 million matches at 10,000
    # articles: the loop's body is kept to what a match needs).
    out: list[str] = []
    append, extend, add = out.append, out.extend, operator.add
    for gap, run, word in _GAP_TOKEN.findall(normalize(text)):
        if gap and out:
            extend(_gap_marks(gap))
        if word:
            append(word)
        elif len(run) > 1:
            extend(map(add, run, run[1:]))      # _bigrams, inline
        else:
            append(run)
    return out


@functools.lru_cache(maxsize=4096)
def _gap_marks(gap: str) -> tuple[str, ...]:
    """The tokens of what lies between two words: its marks, and '¦' where lines break.

    A function of the gap alone (a gap always follows a word's token, never a '¦'), so
    it is cached: a text's gaps are mostly the same few marks (，、。 and line ends)."""
    if "\n" not in gap:
        mark = "".join(gap.split())
        return (mark,) if mark else ()
    out: list[str] = []
    for n, line in enumerate(gap.split("\n")):
        if n and (not out or out[-1] != "¦"):
            out.append("¦")
        mark = "".join(line.split())
        if mark:
            out.append(mark)
    return tuple(out)


def route_bucket(token: str) -> int:
    """The routing bucket of a token (search.js: routeBucket)."""
    h = 0
    for ch in token:
        h = (h * 31 + ord(ch)) & 0xFFFFFFFF
    return h % ROUTE_BUCKETS


