"""Feed rules: where each feed lives and how pages and feed readers name it.

The site, each brand, each worker and each region, the notices and the print
edition have a feed (RSS at ``path``, JSON Feed beside it). Pages link them (``<link rel="alternate">``, outputs/seo.py),
the feed writer fills them (outputs/feeds.py): both take path and titles from here.
"""
from __future__ import annotations

from dataclasses import dataclass

from .model import Brand, Worker
from .settings import Settings
from .urls import term_url

FEED_FILE = "feed.xml"
JSON_FEED_FILE = "feed.json"


@dataclass(frozen=True)
class FeedRef:
    path: str           # site-root-relative RSS path, e.g. brands/ke-gong-yi/feed.xml
    link_title: str     # the title pages give their <link rel="alternate">
    title: str          # the channel's own title
    page: str           # site-root-relative URL of the page the feed follows
    description: str

    @property
    def json_path(self) -> str:
        return json_path(self.path)


def json_path(path: str) -> str:
    """The JSON Feed beside an RSS feed: brands/x/feed.xml -> brands/x/feed.json."""
    return path[: -len(FEED_FILE)] + JSON_FEED_FILE


def site_feed(s: Settings) -> FeedRef:
    return FeedRef(FEED_FILE, s.site_name, s.site_name, "", s.site_description or s.site_name)


def brand_feed(s: Settings, b: Brand) -> FeedRef:
    return FeedRef(b.feed_url, f"{b.name} 的文章", f"{b.name} - {s.site_name}", b.url,
                   b.slogan or b.attribute or f"{s.site_name}关于“{b.name}”的报道")


def worker_feed(s: Settings, w: Worker) -> FeedRef:
    return FeedRef(w.feed_url, f"{w.name} 的文章", f"{w.name} - {s.site_name}", w.url,
                   f"{s.site_name}关于{w.name}的报道")


def region_feed(s: Settings, region: str) -> FeedRef:
    url = term_url("region", region)
    return FeedRef(url + FEED_FILE, f"{region} 的新闻", f"{region} - {s.site_name}", url,
                   f"{s.site_name}：{region}的新闻")


def notice_feed(s: Settings) -> FeedRef:
    """通知公告: one feed for every notice (pages/kinds/notices.py links it and declares it, outputs/feeds.py writes it)."""
    return FeedRef(f"notices/{FEED_FILE}", "通知公告", f"通知公告 - {s.site_name}", "notices/",
                   f"{s.site_name}发布的通知、公告、公示和政策文件")


def epaper_feed(s: Settings) -> FeedRef:
    """数字报: one item per edition (pages/kinds/epaper.py links and declares it, outputs/epaper_feed.py makes its items)."""
    paper = s.paper or "数字报"
    return FeedRef(f"epaper/{FEED_FILE}", f"《{paper}》数字报", f"《{paper}》数字报 - {s.site_name}", "epaper/",
                   f"《{paper}》每一期的版面和文章")
