"""The site's settings (core.settings.Settings) read from the MkDocs configuration: what the
core knows of site_config.yml, with the fallbacks editors get when a field is missing."""
from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from markupsafe import Markup

from ..core import dates
from ..core.settings import Settings
from ..core.service import read_identity

log = logging.getLogger("mkdocs.plugins.newsroom")


def site_settings(config: Any, plugin_config: Any) -> Settings:
    """``config``: MkDocs' configuration; ``plugin_config``: the newsroom plugin's options."""
    extra = config.extra or {}
    publisher = extra.get("publisher") if isinstance(extra.get("publisher"), dict) else {}
    return Settings(
        site_url=config.site_url or "https://example.org/",
        site_name=_text(config.site_name),
        site_description=config.site_description or "",
        timezone=plugin_config.timezone,
        per_page=plugin_config.per_page,        # at least 1: checked with the configuration
        publisher=publisher.get("name") or _text(config.site_name),
        publisher_logo=_site_asset(config, publisher.get("logo", "")),
        paper=_paper_name(extra.get("paper")),        # 数字报: the printed paper's name
        identity=read_identity(extra)[0],     # its mistakes stopped on_config
        include_drafts=plugin_config.drafts,
        publish_originals=plugin_config.publish_originals,
        now=_fixed_now(plugin_config.timezone),
    )


def _fixed_now(timezone: str):
    """NEWSROOM_NOW pins the build time (reproducible builds and tests)."""
    text = os.environ.get("NEWSROOM_NOW")
    if not text:
        return None
    from zoneinfo import ZoneInfo

    return dates.parse_datetime(text, ZoneInfo(timezone))


def _site_asset(config: Any, path: Any) -> str:
    """``path`` if the built site will have it (docs_dir or a theme folder has it), else ''.

    Feeds and JSON-LD then fall back to the site icon instead of linking a missing file.
    """
    rel = str(path or "").strip().lstrip("/")
    if not rel:
        return ""
    if any(Path(d, rel).is_file() for d in [config.docs_dir, *config.theme.dirs]):
        return rel
    log.warning(f"extra.publisher.logo：找不到 {rel}（应放在 content/ 或 theme/ 下），订阅和结构化数据改用网站图标")
    return ""


def _paper_name(value: Any) -> str:
    """``extra.paper``: the name, or a mapping with a ``name`` (the publisher's style)."""
    if isinstance(value, dict):
        value = value.get("name")
    return value.strip() if isinstance(value, str) else ""


def _text(value: Any) -> str:
    """site_name as written, also once on_config made it Markup (escaped)."""
    return value.unescape() if isinstance(value, Markup) else value


__all__ = ["site_settings"]
