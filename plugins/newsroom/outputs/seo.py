"""Head metadata for search engines and news apps: JSON-LD, Open Graph, feed links.

Pure functions of the graph and a page; templates print what ``head`` returns
(theme/partials/seo.html), so no HTML is built here. Front matter stays text:
the JSON-LD is serialized with ``</`` and ``<!--`` escaped so a title such as
``</script>`` cannot end the script element.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Optional

from ..content.graph import ContentGraph
from ..core import dates
from ..core.model import Article, Brand, Worker
from ..core.feedrules import site_feed
from ..core.urls import abs_url, publisher_logo
from ..pages.text import summary_of
from ..pages.views import Home, Listing, PageSpec
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


def jsonld_text(data: Any) -> str:
    """JSON for a <script type="application/ld+json">: nothing in it can close the element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("</", "<\\/").replace("<!--", "<\\u0021--")


def head(graph: Optional[ContentGraph], spec: PageSpec | None) -> Head:
    """What the <head> of a page carries."""
    if graph is None:
        return Head()
    out = Head(feeds=feed_links(graph, spec))
    if spec is None:
        return out
    s = graph.settings
    url = abs_url(s, spec.url)
    out.canonical = url
    data = spec.data
    og: list[tuple[str, str]] = [("og:site_name", s.site_name), ("og:locale", "zh_CN"),
                                 ("og:title", spec.title), ("og:url", url)]
    if spec.description:
        og.append(("og:description", spec.description))
    ld: Any = None
    if spec.kind == "article" and isinstance(data, Article):
        og.insert(3, ("og:type", "article"))
        og.append(("og:image", abs_url(s, data.image) if data.image else publisher_logo(s)))
        og.append(("article:published_time", dates.iso(data.date)))
        og.append(("article:modified_time", dates.iso(data.modified)))
        if data.column:
            og.append(("article:section", data.column))
        og.extend(("article:tag", t) for t in data.tags)
        ld = news_article(graph, data)
    elif isinstance(data, Listing) and isinstance(data.entity, Brand):
        og.insert(3, ("og:type", "website"))
        og.append(("og:image", abs_url(s, data.entity.logo) if data.entity.logo else publisher_logo(s)))
        ld = brand_org(graph, data.entity)
    elif isinstance(data, Listing) and isinstance(data.entity, Worker):
        og.insert(3, ("og:type", "profile"))
        og.append(("og:image", abs_url(s, data.entity.photo) if data.entity.photo else publisher_logo(s)))
        ld = person(graph, data.entity)
    elif spec.kind == "home" or isinstance(data, Home):
        og.insert(3, ("og:type", "website"))
        og.append(("og:image", publisher_logo(s)))
        ld = home_graph(graph)
    else:
        og.insert(3, ("og:type", "website"))
        og.append(("og:image", publisher_logo(s)))
    out.meta = og
    if ld is not None:
        out.jsonld = jsonld_text(ld)
    return out


# ---------------------------------------------------------------- feed links

def feed_links(graph: ContentGraph, spec: PageSpec | None) -> list[FeedLink]:
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


# ---------------------------------------------------------------- JSON-LD

CONTEXT = "https://schema.org"


def publisher_org(graph: ContentGraph) -> dict:
    s = graph.settings
    return {
        "@type": "Organization",
        "@id": abs_url(s, "") + "#publisher",
        "name": s.publisher or s.site_name,
        "url": abs_url(s, ""),
        "logo": {"@type": "ImageObject", "url": publisher_logo(s)},
    }


def _person(name: str) -> dict:
    return {"@type": "Person", "name": name}


def news_article(graph: ContentGraph, a: Article) -> dict:
    s = graph.settings
    url = abs_url(s, a.url)
    publisher = publisher_org(graph)
    data: dict = {
        "@context": CONTEXT,
        "@type": "NewsArticle",
        "@id": url + "#article",
        "headline": a.title,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "datePublished": dates.iso(a.date),
        "dateModified": dates.iso(a.modified),
        "inLanguage": "zh-CN",
        "description": summary_of(a),
        "author": [_person(n) for n in a.reporters] or [publisher],
        "publisher": publisher,
        "image": [abs_url(s, a.image) if a.image else publisher_logo(s)],
    }
    if a.subtitle:
        data["alternativeHeadline"] = a.subtitle
    if a.correspondents:
        data["contributor"] = [_person(n) for n in a.correspondents]
    if a.column:
        data["articleSection"] = a.column
    if a.brands:
        data["about"] = [{"@type": "Organization", "name": b.name, "url": abs_url(s, b.url)}
                         for b in a.brands]
    if a.workers:
        data["mentions"] = [{"@type": "Person", "name": w.name, "url": abs_url(s, w.url)}
                            for w in a.workers]
    if a.tags:
        data["keywords"] = list(a.tags)
    if a.region:
        data["contentLocation"] = {"@type": "Place", "name": a.region}
    if a.image and (a.image_caption or a.image_credit):
        obj = {"@type": "ImageObject", "url": abs_url(s, a.image)}
        if a.image_caption:
            obj["caption"] = a.image_caption
        if a.image_credit:
            obj["creditText"] = a.image_credit
        data["image"] = [obj]
    return data


def brand_org(graph: ContentGraph, b: Brand) -> dict:
    s = graph.settings
    data: dict = {
        "@context": CONTEXT,
        "@type": "Organization",
        "@id": abs_url(s, b.url) + "#brand",
        "name": b.name,
        "url": abs_url(s, b.url),
        "logo": abs_url(s, b.logo) if b.logo else publisher_logo(s),
    }
    if b.slogan:
        data["slogan"] = b.slogan
    if b.attribute:
        data["description"] = b.attribute
    if b.owner:
        data["parentOrganization"] = {"@type": "Organization", "name": b.owner}
    if b.since:
        data["foundingDate"] = str(b.since)
    if b.region:
        data["areaServed"] = {"@type": "Place", "name": b.region}
    return data


def person(graph: ContentGraph, w: Worker) -> dict:
    s = graph.settings
    data: dict = {
        "@context": CONTEXT,
        "@type": "Person",
        "@id": abs_url(s, w.url) + "#person",
        "name": w.name,
        "url": abs_url(s, w.url),
    }
    if w.occupation:
        data["jobTitle"] = w.occupation
    if w.employer:
        data["worksFor"] = {"@type": "Organization", "name": w.employer}
    if w.honors:
        data["award"] = [str(h) for h in w.honors]
    if w.photo:
        data["image"] = abs_url(s, w.photo)
    if w.region:
        data["homeLocation"] = {"@type": "Place", "name": w.region}
    return data


def home_graph(graph: ContentGraph) -> dict:
    s = graph.settings
    org = publisher_org(graph)
    site = {
        "@type": "WebSite",
        "@id": abs_url(s, "") + "#website",
        "name": s.site_name,
        "url": abs_url(s, ""),
        "inLanguage": "zh-CN",
        "publisher": {"@id": org["@id"]},
    }
    if s.site_description:
        site["description"] = s.site_description
    return {"@context": CONTEXT, "@graph": [site, org]}


__all__ = ["Head", "FeedLink", "head", "jsonld_text"]
