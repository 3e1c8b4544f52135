"""What a warm build keeps of the theme: its compiled templates (template_cache.py), and its
static templates (Material's ``404.html``), published as they were.

MkDocs renders each static template in every build: ``404.html`` is a full Material page
(~0.15 CPU-s at 10k articles, its compiling aside). It shows no page's data, only what the
warm build's global key holds (mkdocs/warm_key.py: the theme and Material, site_config.yml
and the configuration MkDocs made of it (the menu, site_url, extra), the settings behind
the footer's service block, the menu's page titles, our code): with the same key, the
same bytes. So it is published like an unchanged feed (mkdocs/warm.py ``take``): the file
the last build published, verified by its stat or SHA-256, under a key made of the global
key and the template's name; else rendered, and recorded for the next build (``made``).
"""
from __future__ import annotations

import os
from typing import Any, Optional

from ..core.sealed import stable_hash
from .template_cache import template_cache


class KeptTheme:
    """The compiled templates a warm build takes, and which static templates it publishes
    as they were instead of rendering them. ``KeptTheme(None)``: nothing kept (the preview,
    ``--no-reuse``)."""

    def __init__(self, warm: Optional[Any] = None) -> None:
        self.warm = warm
        self.taken: list[str] = []
        self.templates = template_cache(warm)

    def attach(self, env: Any, config: Any) -> None:
        """``on_env``: before MkDocs renders anything."""
        if self.templates is not None:
            self.templates.attach(env)
        self.take(config)

    def _key(self, name: str) -> str:
        assert self.warm is not None
        return stable_hash(("newsroom-static-template-1", name, self.warm.key))

    def take(self, config: Any) -> None:
        """Before MkDocs renders them (``on_env``): the ones the warm build publishes as they
        were leave the theme's list for this build."""
        warm = self.warm
        if warm is None or not warm.key:
            return
        statics = config.theme.static_templates
        self.taken = [name for name in sorted(statics) if warm.take(name, self._key(name))]
        for name in self.taken:
            statics.discard(name)

    def record(self, config: Any) -> None:
        """After rendering (``on_post_build``): the list as it was, what was rendered recorded
        under its key for the next build, and the templates compiled this build kept."""
        statics = config.theme.static_templates
        statics.update(self.taken)
        warm, taken, self.taken = self.warm, set(self.taken), []
        if warm is None or not warm.key:
            return
        for name in sorted(statics - taken):
            try:
                with open(os.path.join(config.site_dir, name), "rb") as f:
                    data = f.read()
            except OSError:
                continue              # not rendered (MkDocs skips an empty output)
            warm.made(name, self._key(name), data)
        if self.templates is not None:
            self.templates.save()


__all__ = ["KeptTheme"]
