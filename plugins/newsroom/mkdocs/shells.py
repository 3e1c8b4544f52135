"""Page shells: Material's page chrome rendered once, each page's own parts spliced in.

Material's ``base.html`` (header, tabs, navigation, footer, the config script,
translations) is ~80 % of the time Jinja spends on an article page, and it is
the same for every generated page with the same template at the same URL depth.
A ``Shell`` is that page rendered once with each *slot* block (the parts that
do change from page to page: title, head metadata, header topic, table of
contents, content) replaced by a marker; a page is then the shell's text with
only its slot blocks rendered, through the same compiled block functions a
full render would call (``super()`` and top-level variables included).

Which pages may share a shell is decided by the caller's key (template, base
URL, anything else outside the slots that a page could change). Each shell
checks itself when it is made: the first page is rendered both ways, and a
key whose splice differs from the full render is never spliced (logged, and
rendered in full). ``tests/test_shells.py`` compares every page of a whole site
both ways. Plain Jinja: nothing here knows MkDocs.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Callable, Hashable, Iterator, Optional, Union

from jinja2 import Environment, Template

log = logging.getLogger("mkdocs.plugins.newsroom")

# The blocks rendered per page (theme/main.html keeps everything else page-independent).
SLOTS = ("site_meta", "htmltitle", "extrahead", "nr_header_topic", "nr_toc", "content")

_MARK = "\x00nr-slot:{}\x00"


@dataclass
class Shell:
    """One rendered chrome: text pieces and slot names, in page order."""

    template: Template
    pieces: list[Union[str, "Slot"]]
    blocks: dict[str, list[Callable]]     # the template chain's block functions, slots included
    top_vars: dict[str, Any]               # variables set at the chain's top level (lang, features ...)

    def render(self, context: dict) -> str:
        ctx = self.template.new_context(context)
        ctx.vars.update(self.top_vars)
        ctx.blocks = self.blocks
        out = []
        for piece in self.pieces:
            if isinstance(piece, Slot):
                out.append("".join(self.blocks[piece.name][0](ctx)))
            else:
                out.append(piece)
        return "".join(out)


@dataclass(frozen=True)
class Slot:
    name: str


class ShellCache:
    """Shells by key, made on first use; keys whose splice proved wrong render in full.

    The first ``checks`` pages of each key are rendered both ways and compared:
    a difference (the key missed something a page changes outside the slots)
    turns splicing off for that key.
    """

    def __init__(self, env: Environment, slots: tuple[str, ...] = SLOTS, checks: int = 2) -> None:
        self.env = env
        self.slots = slots
        self.checks = checks
        self.shells: dict[Hashable, Optional[Shell]] = {}
        self.checked: dict[Hashable, int] = {}

    def render(self, template_name: str, context: dict, key: Hashable) -> str:
        template = self.env.get_template(template_name)
        full_key = (template_name, key)
        if full_key not in self.shells:
            self.shells[full_key] = make_shell(template, context, self.slots)
        shell = self.shells[full_key]
        if shell is None:
            return template.render(context)
        if self.checked.get(full_key, 0) >= self.checks:
            return shell.render(context)
        self.checked[full_key] = self.checked.get(full_key, 0) + 1
        full = template.render(context)
        if shell.render(context) != full:
            log.debug(f"page shell {full_key!r}: splice differs from the full render; not used")
            self.shells[full_key] = None
        return full


def make_shell(template: Template, context: dict, slots: tuple[str, ...]) -> Shell:
    """Render ``template`` once with every slot block replaced by a marker."""
    ctx = template.new_context(context)
    for name in slots:
        # A marker in front of the block's chain; the template's extends adds the parents behind it.
        ctx.blocks[name] = [_marker(name), *ctx.blocks.get(name, [])]
    text = "".join(template.root_render_func(ctx))
    blocks = {name: chain[1:] if name in slots else chain for name, chain in ctx.blocks.items()}
    return Shell(template, _split(text, slots), blocks, dict(ctx.vars))


def _marker(name: str) -> Callable[[Any], Iterator[str]]:
    def render(_context: Any) -> Iterator[str]:
        yield _MARK.format(name)
    return render


def _split(text: str, slots: tuple[str, ...]) -> list[Union[str, Slot]]:
    pieces: list[Union[str, Slot]] = [text]
    for name in slots:
        mark = _MARK.format(name)
        split: list[Union[str, Slot]] = []
        for piece in pieces:
            if isinstance(piece, Slot) or mark not in piece:
                split.append(piece)
                continue
            parts = piece.split(mark)
            for n, part in enumerate(parts):
                if n:
                    split.append(Slot(name))
                split.append(part)
        pieces = split
    return [p for p in pieces if p != ""]
