"""Page images for the print edition (数字报), laid out from the articles' headlines.

No scan of a real paper is copied: each page is drawn here as an SVG, every article
in the rectangle its ``print: area`` names (percent of the page), with its 引题,
主题 and 副题 and grey lines for the text. The sample's pages come from it:

    .venv/bin/python tests/epaper_svg.py content      # rewrites content/epaper/*/NN.svg

and tests draw their own trees' pages with ``page_svg``.
"""
from __future__ import annotations

import datetime as dt
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

import yaml

WIDTH, HEIGHT = 1000, 1400
FONT = "'Noto Serif CJK SC','Source Han Serif SC','SimSun',serif"
WEEKDAYS = "一二三四五六日"


@dataclass
class Block:
    title: str
    kicker: str = ""
    subtitle: str = ""
    area: tuple[float, float, float, float] = (4, 10, 92, 40)


def _lines(text: str, per_line: int) -> list[str]:
    return [text[i:i + per_line] for i in range(0, len(text), max(1, per_line))] or [""]


def _text(x: float, y: float, size: int, text: str, weight: str = "400", fill: str = "#1a1a1a",
          anchor: str = "start") -> str:
    return (f'<text x="{x:.0f}" y="{y:.0f}" font-family="{FONT}" font-size="{size}" font-weight="{weight}" '
            f'fill="{fill}" text-anchor="{anchor}">{escape(text)}</text>')


def _block(b: Block) -> str:
    x, y, w, h = (b.area[0] * WIDTH / 100, b.area[1] * HEIGHT / 100, b.area[2] * WIDTH / 100,
                  b.area[3] * HEIGHT / 100)
    pad = 14
    out = [f'<rect x="{x:.0f}" y="{y:.0f}" width="{w:.0f}" height="{h:.0f}" fill="none" stroke="#c9c2b2"/>']
    size = 46 if w > 700 else 34 if w > 400 else 28
    cursor = y + pad
    if b.kicker:
        cursor += 22
        out.append(_text(x + w / 2, cursor, 20, b.kicker, anchor="middle", fill="#333"))
        cursor += 8
    for line in _lines(b.title, int((w - 2 * pad) // size)):
        cursor += size + 6
        out.append(_text(x + w / 2, cursor, size, line, "700", "#111", "middle"))
    if b.subtitle:
        for line in _lines("——" + b.subtitle, int((w - 2 * pad) // 22)):
            cursor += 30
            out.append(_text(x + w / 2, cursor, 22, line, anchor="middle", fill="#333"))
    cursor += 24
    columns = 3 if w > 700 else 2 if w > 400 else 1
    col_w = (w - 2 * pad - (columns - 1) * 16) / columns
    for c in range(columns):
        line_y = cursor
        while line_y + 12 < y + h - pad:
            out.append(f'<rect x="{x + pad + c * (col_w + 16):.0f}" y="{line_y:.0f}" width="{col_w:.0f}" '
                       f'height="7" fill="#d8d3c8"/>')
            line_y += 17
    return "\n".join(out)


def _overlap(a: tuple, b: tuple) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def _guide(lines: list[str], area: tuple[float, float, float, float]) -> str:
    """本期导读: a box of plain text (not an article: no area of the page links it)."""
    x, y, w = area[0] * WIDTH / 100, area[1] * HEIGHT / 100, area[2] * WIDTH / 100
    out = [f'<rect x="{x:.0f}" y="{y:.0f}" width="{w:.0f}" height="{area[3] * HEIGHT / 100:.0f}" fill="#f3ece0"/>',
           _text(x + 16, y + 44, 30, "本期导读", "700", "#c8161d")]
    cursor = y + 60
    for line in lines:
        for part in _lines(line, int((w - 32) // 22)):
            cursor += 34
            out.append(_text(x + 16, cursor, 22, part))
    return "\n".join(out)


def page_svg(paper: str, day: dt.date, number: int | None, page: int, name: str, blocks: list[Block],
             guide: list[str] = (), guide_area: tuple[float, float, float, float] = (52, 57, 44, 39)) -> str:
    """One page, masthead on page 1, a running head on the others; ``guide``: 本期导读 lines."""
    date = f"{day.year}年{day.month}月{day.day}日 星期{WEEKDAYS[day.weekday()]}"
    issue = f"第{number}期" if number is not None else ""
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
             f'viewBox="0 0 {WIDTH} {HEIGHT}">',
             f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#fbf8f1"/>']
    if page == 1:
        parts += [_text(WIDTH / 2, 120, 104, paper, "900", "#c8161d", "middle"),
                  f'<rect x="40" y="160" width="{WIDTH - 80}" height="4" fill="#c8161d"/>',
                  _text(40, 200, 22, date), _text(WIDTH / 2, 200, 22, f"{issue} 今日{name}", anchor="middle"),
                  _text(WIDTH - 40, 200, 22, f"第{page}版", anchor="end"),
                  f'<rect x="40" y="215" width="{WIDTH - 80}" height="1.5" fill="#1a1a1a"/>']
    else:
        parts += [_text(40, 70, 26, f"第{page}版 · {name}", "700", "#c8161d"),
                  _text(WIDTH - 40, 70, 22, f"{paper}　{date}", anchor="end"),
                  f'<rect x="40" y="90" width="{WIDTH - 80}" height="2" fill="#c8161d"/>']
    parts += [_block(b) for b in blocks]
    free = not any(_overlap(b.area, guide_area) for b in blocks)
    if guide and free:
        parts.append(_guide(list(guide), guide_area))
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


# ---------------------------------------------------------------- the sample

_FRONT = re.compile(r"^---\n(.*?)\n---\n", re.S)


def _articles(content: Path) -> list[dict]:
    out = []
    for md in sorted((content / "news").rglob("*.md")):
        m = _FRONT.match(md.read_text(encoding="utf-8"))
        meta = yaml.safe_load(m.group(1)) if m else None
        if isinstance(meta, dict) and isinstance(meta.get("print"), dict):
            out.append(meta)
    return out


def render_sample(content: Path) -> list[Path]:
    written = []
    articles = _articles(content)
    for edition_file in sorted((content / "epaper").glob("*/edition.yml")):
        edition = yaml.safe_load(edition_file.read_text(encoding="utf-8"))
        day = edition["date"] if isinstance(edition["date"], dt.date) else dt.date.fromisoformat(edition["date"])
        on = {int(p["page"]): [Block(str(a["title"]), str(a.get("kicker") or ""), str(a.get("subtitle") or ""),
                                     tuple(a["print"]["area"]))
                               for a in articles if str(a["print"]["edition"]) == f"{day:%Y-%m-%d}"
                               and int(a["print"]["page"]) == int(p["page"])] for p in edition["pages"]}
        guide = [f"第{p['page']}版 {p['name']}：{b.title}" for p in edition["pages"][1:] for b in on[int(p["page"])]]
        for p in edition["pages"]:
            target = edition_file.parent / p["image"]
            number = int(p["page"])
            target.write_text(page_svg(edition["paper"], day, edition.get("number"), number, p["name"], on[number],
                                       guide if number == 1 else ()), encoding="utf-8")
            written.append(target)
    return written


if __name__ == "__main__":
    for path in render_sample(Path(sys.argv[1] if len(sys.argv) > 1 else "content")):
        print(path)
