"""Compiled templates kept between warm builds (Jinja's bytecode cache, verified).

Every build compiled the ~30 templates it renders on their first use (Jinja parses each,
generates Python, compiles it): ~0.2 CPU-s of a warm build at 10k articles, the same work
each time. ``TemplateCache`` keeps the code objects in one file of the build cache
(``templates.marshal`` beside manifest.json) and hands them to Jinja instead.

Why a kept code object is the one compiling would make:

- an entry is used only for the same template name, file and source (its SHA-256);
- the file is valid for one *context*: the warm build's global key (our code, MkDocs',
  Material's, Jinja's and Python's versions, site_config.yml, the theme folder:
  mkdocs/warm_key.py), Python's bytecode magic, and what Jinja's code generator reads from
  the environment besides the source (the lexer's settings, extensions, ``finalize``,
  ``autoescape``, which filters and tests exist and what each is passed). Any other
  context and the whole file is ignored;
- the file is sealed (core/sealed.py: the SHA-256 of everything before its last line) and
  written whole; damaged, truncated, of another format or context, an entry that is not a
  code object: compiled again, as without a cache.

Like the rest of the build cache it is sealed against damage, not against whoever can write
the cache folder beside site_config.yml: they could as well edit the theme it compiles.
``marshal`` reads only a file whose checksum verified, of this Python's version.
"""
from __future__ import annotations

import hashlib
import importlib.util
import logging
import marshal
import sys
from pathlib import Path
from types import CodeType
from typing import Any, Optional

import jinja2
from jinja2.bccache import Bucket, BytecodeCache
from jinja2.utils import _PassArg

from ..core.files import write_whole
from ..core.sealed import seal, stable_hash, unseal

log = logging.getLogger("mkdocs.plugins.newsroom")

NAME = "templates.marshal"
FORMAT = 1


class TemplateCache(BytecodeCache):
    """Jinja's bytecode cache over one sealed file; ``save`` writes it if a template compiled."""

    def __init__(self, path: Path, key: str) -> None:
        self.path = path
        self.key = key                      # the warm build's global key
        self.context = ""                   # set by ``attach``: key plus the environment's settings
        self.entries: dict[str, tuple[str, CodeType]] = {}   # bucket key -> (source SHA-256, code)
        self.compiled = 0                   # templates compiled this build (not found here)
        self.taken = 0

    def attach(self, env: jinja2.Environment) -> None:
        """Read the file for ``env`` and make Jinja ask this cache for each template.
        Not with a callable ``autoescape``: the generated code then depends on its answer
        for each template's name, which the context does not hold (MkDocs' is False)."""
        if callable(env.autoescape):
            return
        self.context = stable_hash(("newsroom-templates", FORMAT, self.key, sys.version,
                                    importlib.util.MAGIC_NUMBER.hex(), jinja2.__version__, _env_settings(env)))
        self.entries = _read(self.path, self.context)
        env.bytecode_cache = self

    def get_source_checksum(self, source: str) -> str:
        return hashlib.sha256(source.encode("utf-8", "surrogatepass")).hexdigest()

    def load_bytecode(self, bucket: Bucket) -> None:
        found = self.entries.get(bucket.key)
        if found is not None and found[0] == bucket.checksum:
            bucket.code = found[1]
            self.taken += 1

    def dump_bytecode(self, bucket: Bucket) -> None:
        if bucket.code is not None:
            self.entries[bucket.key] = (bucket.checksum, bucket.code)
            self.compiled += 1

    def save(self) -> None:
        """Write the file if a template was compiled this build (never fails the build)."""
        if not self.compiled or not self.context:
            return
        data = marshal.dumps({"format": FORMAT, "context": self.context,
                              "entries": {k: [sha, code] for k, (sha, code) in self.entries.items()}})
        try:
            write_whole(self.path, *seal(data))
        except OSError as exc:
            log.debug(f"compiled templates not kept: {exc}")
        self.compiled = 0


def _read(path: Path, context: str) -> dict[str, tuple[str, CodeType]]:
    """The file's entries if it verifies and was made for ``context``; else none."""
    try:
        data = unseal(path.read_bytes())
        record = marshal.loads(data) if data is not None else None
    except (OSError, ValueError, EOFError, TypeError):
        return {}
    if not isinstance(record, dict) or record.get("format") != FORMAT or record.get("context") != context:
        return {}
    entries = record.get("entries")
    if not isinstance(entries, dict):
        return {}
    return {key: (value[0], value[1]) for key, value in entries.items()
            if type(key) is str and isinstance(value, list) and len(value) == 2
            and type(value[0]) is str and type(value[1]) is CodeType}


def _env_settings(env: jinja2.Environment) -> tuple:
    """What Jinja's lexer, parser, optimizer and code generator read from ``env`` besides a
    template's source: a kept code object is valid only for the same."""
    lexer = (env.block_start_string, env.block_end_string, env.variable_start_string, env.variable_end_string,
             env.comment_start_string, env.comment_end_string, env.line_statement_prefix,
             env.line_comment_prefix, env.trim_blocks, env.lstrip_blocks, env.newline_sequence,
             env.keep_trailing_newline)
    return (lexer, sorted(env.extensions), env.optimized, env.is_async, _pass(env.finalize),
            env.autoescape,
            _callable_name(env.code_generator_class), _callable_name(env.template_class),
            _functions(env.filters), _functions(env.tests))


def _functions(table: dict[str, Any]) -> list:
    """Each filter or test by name, the function's qualified name and what it is passed
    (the generated call names ``context``, ``eval_ctx`` or ``environment`` accordingly)."""
    return sorted((name, _callable_name(func), _pass(func)) for name, func in table.items())


def _pass(func: Any) -> str:
    if func is None:
        return ""
    found = _PassArg.from_obj(func)
    return found.name if found is not None else "-"


def _callable_name(func: Any) -> str:
    return f"{getattr(func, '__module__', '')}.{getattr(func, '__qualname__', type(func).__qualname__)}"


def template_cache(warm: Optional[Any]) -> Optional[TemplateCache]:
    """The cache of a warm build whose global key is known (mkdocs/warm.py), else None."""
    found = warm.kept_file(NAME) if warm is not None else None
    return TemplateCache(*found) if found is not None else None


__all__ = ["TemplateCache", "template_cache", "NAME"]
