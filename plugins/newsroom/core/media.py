"""An article's self-hosted video, as the checks found it (content/video.py)."""
from __future__ import annotations

from dataclasses import dataclass

VIDEO_TYPE = "video/mp4"


@dataclass(frozen=True)
class Video:
    """What pages, feeds and JSON-LD show of an article's video. Paths are under content/
    (published at the same path under the site root); '' when the article has none."""

    src: str                        # media/2022/yizhan.mp4
    poster: str                     # images/2022/yizhan-video.jpg, else the lead image, else ''
    captions: str                   # media/2022/yizhan.zh.vtt, or ''
    size: int                       # bytes: the feed's enclosure length
    width: int = 0                  # from the MP4's track header; 0 if unknown
    height: int = 0
    seconds: float = 0.0            # from the MP4's movie header; 0 if unknown
    type: str = VIDEO_TYPE

    @property
    def iso_duration(self) -> str:
        """schema.org's duration, e.g. PT1M5S; '' if unknown."""
        if self.seconds <= 0:
            return ""
        total = max(1, round(self.seconds))
        minutes, secs = divmod(total, 60)
        return f"PT{minutes}M{secs}S" if minutes else f"PT{secs}S"
