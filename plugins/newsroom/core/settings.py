"""The site-wide settings the core needs: read from ``site_config.yml`` by the MkDocs
adapter (mkdocs/site_settings.py), passed to the loaders, kinds and outputs."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Optional
from zoneinfo import ZoneInfo

from .service import SiteIdentity


@dataclass
class Settings:
    """Site-wide settings the core needs, read from ``site_config.yml``."""

    site_url: str = "https://example.org/"
    site_name: str = "工会新闻网"
    site_description: str = ""
    timezone: str = "Asia/Shanghai"
    per_page: int = 20
    publisher: str = ""
    publisher_logo: str = ""
    paper: str = ""                 # the printed paper's name (extra.paper), for editions without one
    # When the build runs; articles dated after it are not published yet.
    now: Optional[dt.datetime] = None
    # ``serve --drafts`` shows drafts (and scheduled articles) in the preview.
    include_drafts: bool = False
    # Publish camera originals as uploaded (with their EXIF) beside the variants (issue 13).
    publish_originals: bool = False
    # The service block and 网站标识码 (core/service.py).
    identity: SiteIdentity = field(default_factory=SiteIdentity)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def build_time(self) -> dt.datetime:
        return self.now or dt.datetime.now(self.tz)
