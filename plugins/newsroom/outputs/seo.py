"""Head metadata for search engines and news apps: JSON-LD, Open Graph, feed links.

Pure functions of a page and the site's settings (JSON-LD: pages/jsonld.py, from the page's data); templates print what ``head`` returns
(theme/partials/seo.html), so no HTML is built here. Front matter stays text:
the JSON-LD is serialized with ``</`` and ``<!--`` escaped so a title such as
``</script>`` cannot end the script element.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Optional
from urllib.parse import unquote

from ..content.graph_data import ContentGraph
from ..content.photo_refs import Picture
from ..core.feedrules import site_feed
from ..core.urls import abs_url, publisher_logo
from ..pages.kinds import Page
from .feeds import JSON_TYPE, RSS_TYPE


@dataclass
class FeedLink:
    title: str
    url: str          # absolute
    type: str         # application/rss+xml or application/feed+json


@dataclass
class Head:
    jsonld: str = ""                                          # JSON text, '</' already escaped
    meta: list[tuple[str, str]] = field(default_factory=list)  # (property, content) for <meta property=...>
    feeds: list[FeedLink] = field(default_factory=list)
    canonical: str = ""
    preload: Optional[Picture] = None      # the first screen's photo: <link rel=preload>


def jsonld_text(data: Any) -> str:
    """JSON for a <script type="application/ld+json">: nothing in it can close the element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("</", "<\\/").replace("<!--", "<\\u0021--")


def head(graph: Optional[ContentGraph], spec: Page | None) -> Head:
    """What the <head> of a page carries: the common parts here, the rest from its kind."""
    if graph is None:
        return Head()
    out = Head(feeds=feed_links(graph, spec))
    if spec is None:
        return out
    s = graph.settings
    url = abs_url(s, spec.url)
    out.canonical = url
    own = spec.maker.head(spec, s)
    og: list[tuple[str, str]] = [("og:site_name", s.site_name), ("og:locale", "zh_CN"),
                                 ("og:title", spec.title), ("og:type", own.og_type), ("og:url", url)]
    if spec.description:
        og.append(("og:description", spec.description))
    og.extend(og_image(graph, own.image))
    og.extend(own.meta)
    if own.preload:
        out.preload = graph.photos.picture(own.preload, own.preload_slot)
    out.meta = og
    if own.jsonld is not None:
        out.jsonld = jsonld_text(own.jsonld)
    return out


def og_image(graph: ContentGraph, image: str) -> list[tuple[str, str]]:
    """og:image: the photo's 1200x630 card (content/photo_refs.py) when it has one, with its
    size and a large Twitter card; else the image as given, or the publisher's logo."""
    s = graph.settings
    site = abs_url(s, "")
    card = graph.photos.og_media(unquote(image.removeprefix(site))) if image.startswith(site) else None
    if card is None:
        return [("og:image", image or publisher_logo(s))]
    return [("og:image", abs_url(s, card.url)), ("og:image:type", card.type),
            ("og:image:width", str(card.width)), ("og:image:height", str(card.height)),
            ("twitter:card", "summary_large_image")]


# ---------------------------------------------------------------- feed links

def feed_links(graph: ContentGraph, spec: Page | None) -> list[FeedLink]:
    """The site's feeds on every page; the page's own (brand, worker, region) feeds too."""
    s = graph.settings
    refs = [site_feed(s), *(spec.feeds if spec is not None else ())]
    out: list[FeedLink] = []
    seen: set[str] = set()
    for ref in refs:
        if ref.path in seen:
            continue
        seen.add(ref.path)
        out.append(FeedLink(ref.link_title, abs_url(s, ref.path), RSS_TYPE))
        out.append(FeedLink(ref.link_title, abs_url(s, ref.json_path), JSON_TYPE))
    return out


__all__ = ["Head", "FeedLink", "head", "jsonld_text"]
