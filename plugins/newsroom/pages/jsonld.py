"""JSON-LD (schema.org) for the head of articles, notices, brands, workers and the home page.

Built from the pages' own data (pages/kinds/), so the head shows nothing the
preview's digest of the page does not hold. outputs/seo.py serializes them.
"""
from __future__ import annotations

import mimetypes
from typing import Any

from ..core import dates
from ..core.settings import Settings
from ..core.urls import abs_url, publisher_logo

# The views (kinds.article.ArticleView, kinds.brand.BrandView, kinds.worker.WorkerView)
# are typed Any here: the kinds import this module, and the package has no import cycles.
CONTEXT = "https://schema.org"


def publisher_org(s: Settings) -> dict:
    return {
        "@type": "Organization",
        "@id": abs_url(s, "") + "#publisher",
        "name": s.publisher or s.site_name,
        "url": abs_url(s, ""),
        "logo": {"@type": "ImageObject", "url": publisher_logo(s)},
    }


def _person(name: str) -> dict:
    return {"@type": "Person", "name": name}


def news_article(s: Settings, a: Any) -> dict:
    url = abs_url(s, a.url)
    publisher = publisher_org(s)
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
        "description": a.summary,
        "author": [_person(n) for n in a.reporters] or [publisher],
        "publisher": publisher,
        "image": [abs_url(s, a.image) if a.image else publisher_logo(s)],
    }
    if a.subtitle:
        data["alternativeHeadline"] = a.subtitle
    if a.correspondents:
        data["contributor"] = [_person(n) for n in a.correspondents]
    if a.column:
        data["articleSection"] = a.column.name
    if a.brands:
        data["about"] = [{"@type": "Organization", "name": b.name, "url": abs_url(s, b.url)}
                         for b in a.brands]
    if a.workers:
        data["mentions"] = [{"@type": "Person", "name": w.name, "url": abs_url(s, w.url)}
                            for w in a.workers]
    if a.tags:
        data["keywords"] = [t.name for t in a.tags]
    if a.region:
        data["contentLocation"] = {"@type": "Place", "name": a.region.name}
    printed = getattr(a, "printed", None)     # 见报 (pages/kinds/epaper.Citation)
    if printed is not None:
        data.update(printEdition=printed.edition, printPage=str(printed.page), printSection=printed.section)
    if a.image and (a.image_caption or a.image_credit):
        obj = {"@type": "ImageObject", "url": abs_url(s, a.image)}
        if a.image_caption:
            obj["caption"] = a.image_caption
        if a.image_credit:
            obj["creditText"] = a.image_credit
        data["image"] = [obj]
    if a.video:
        video = a.video.file
        data["video"] = video_object(s, video, a.title, a.summary, a.date)
        if not a.image and video.poster:
            data["image"] = [abs_url(s, video.poster)]
    return data


def video_object(s: Settings, video: Any, name: str, description: str, uploaded: Any) -> dict:
    """An article's own video (core/media.Video): played from this site, never embedded from another."""
    data: dict = {
        "@type": "VideoObject",
        "name": name,
        "description": description or name,
        "thumbnailUrl": [abs_url(s, video.poster) if video.poster else publisher_logo(s)],
        "uploadDate": dates.iso(uploaded),
        "contentUrl": abs_url(s, video.src),
        "encodingFormat": video.type,
        "inLanguage": "zh-CN",
    }
    if video.iso_duration:
        data["duration"] = video.iso_duration
    if video.captions:
        data["caption"] = {"@type": "MediaObject", "contentUrl": abs_url(s, video.captions),
                           "encodingFormat": "text/vtt", "inLanguage": "zh-CN"}
    return data


def notice_document(s: Settings, n: Any) -> dict:
    """A notice (kinds.notice.NoticeView): an Article issued by its 发文机关, its 文号 as the
    identifier, its status, the date a 公示 closes, its attachments as downloads."""
    url = abs_url(s, n.url)
    data: dict = {
        "@context": CONTEXT,
        "@type": "Article",
        "@id": url + "#notice",
        "headline": n.title,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "datePublished": dates.iso(n.date),
        "inLanguage": "zh-CN",
        "description": n.summary,
        "articleSection": n.category.name,
        "author": {"@type": "Organization", "name": n.issuer},
        "publisher": publisher_org(s),
        "creativeWorkStatus": n.status,
    }
    if n.doc_number:
        data["identifier"] = {"@type": "PropertyValue", "name": "文号", "value": n.doc_number}
    if n.written:
        data["dateCreated"] = dates.iso(n.written)
    if n.expires:
        data["expires"] = dates.iso(n.expires)
    if n.attachments:
        data["associatedMedia"] = [
            {"@type": "MediaObject", "name": f.title, "contentUrl": abs_url(s, f.url), "contentSize": f.size_text,
             "encodingFormat": mimetypes.guess_type(f.url)[0] or f.kind}
            for f in n.attachments]
    return data


def brand_org(s: Settings, b: Any) -> dict:
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
        data["areaServed"] = {"@type": "Place", "name": b.region.name}
    return data


def person(s: Settings, w: Any) -> dict:
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
        data["award"] = list(w.honors)
    if w.photo:
        data["image"] = abs_url(s, w.photo)
    if w.region:
        data["homeLocation"] = {"@type": "Place", "name": w.region.name}
    return data


def home_graph(s: Settings) -> dict:
    org = publisher_org(s)
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
