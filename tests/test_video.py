"""Self-hosted video on articles: checked, published beside the site, played by the browser.

The sample site's video article (content/news/2022/yizhan-shipin.md) is built for real:
its page has the browser's own player (no autoplay, nothing preloaded, a poster, Chinese
captions), the files are published at their paths, the feeds carry the MP4 as the
enclosure with its true length (feedparser and newsboat read it), and Debian's Chromium
loads the file's metadata and the captions' cues. Editors' mistakes are told at their line.
"""
from __future__ import annotations

import io
import json
import os
import shutil
import struct
from pathlib import Path

import feedparser
import pytest

from browser import PHONE, browser_fixture, goto, run_axe
from conftest import ROOT, build_tree, check_tree, page, write_tree

from newsroom.content.video import probe_mp4

ARTICLE = "news/2022/07/yizhan-shipin/"
MP4 = "media/2022/yizhan-shipin.mp4"
POSTER = "images/2022/yizhan-shipin.jpg"
VTT = "media/2022/yizhan-shipin.zh.vtt"
SAMPLE_MP4 = ROOT / "content" / MP4


def test_article_page_plays_the_file_with_the_browsers_own_controls(sample_site):
    doc = page(sample_site, ARTICLE)
    video = doc.select_one("figure.nr-video video")
    assert video is not None
    assert video.has_attr("controls") and video["preload"] == "none"
    assert not video.has_attr("autoplay") and not video.has_attr("muted")
    assert video["poster"].endswith(POSTER)
    assert (video["width"], video["height"]) == ("320", "180")
    source = video.find("source")
    assert source["src"].endswith(MP4) and source["type"] == "video/mp4"
    track = video.find("track")
    assert track["kind"] == "captions" and track["srclang"] == "zh" and track["src"].endswith(VTT)
    # No foreign player: nothing embedded, every media URL relative (this site).
    assert not doc.select(".nr-article iframe, .nr-article embed, .nr-article object")
    for el in doc.select(".nr-article [src], .nr-article [poster]"):
        for attr in ("src", "poster"):
            assert "://" not in el.get(attr, ""), el
    assert "0:04" in doc.select_one(".nr-video figcaption").get_text()
    # The files are published at their paths, as they are.
    for rel in (MP4, POSTER, VTT):
        assert (sample_site / rel).read_bytes() == (ROOT / "content" / rel).read_bytes()


def test_head_has_og_video_and_a_video_object(sample_site):
    doc = page(sample_site, ARTICLE)
    og = {m["property"]: m["content"] for m in doc.select("meta[property]")}
    assert og["og:video"].endswith(MP4) and og["og:video:type"] == "video/mp4"
    assert og["og:image"].endswith(POSTER)
    blocks = [json.loads(s.string) for s in doc.select('script[type="application/ld+json"]')]
    article = next(b for b in blocks if b.get("@type") == "NewsArticle")
    video = article["video"]
    assert video["@type"] == "VideoObject" and video["contentUrl"].endswith(MP4)
    assert video["thumbnailUrl"][0].endswith(POSTER) and video["duration"] == "PT4S"
    assert video["caption"]["contentUrl"].endswith(VTT)


def _video_entry(feed):
    return next(e for e in feed.entries if e.link.endswith(ARTICLE))


@pytest.mark.parametrize("feed", ["feed.xml", "brands/jia-gong-hui/feed.xml", "regions/嘉兴市平湖市/feed.xml"])
def test_feeds_enclose_the_video_with_its_true_length(sample_site, feed):
    parsed = feedparser.parse((sample_site / feed).read_bytes())
    assert not parsed.bozo, parsed.bozo_exception
    entry = _video_entry(parsed)
    assert len(entry.enclosures) == 1
    enclosure = entry.enclosures[0]
    assert enclosure.href.endswith("/" + MP4) and enclosure.type == "video/mp4"
    assert int(enclosure.length) == os.path.getsize(SAMPLE_MP4) == os.path.getsize(sample_site / MP4)
    assert "<video" in entry.content[0].value


def test_json_feed_lists_the_video_as_an_attachment(sample_site):
    feed = json.loads((sample_site / "feed.json").read_text(encoding="utf-8"))
    item = next(i for i in feed["items"] if i["url"].endswith(ARTICLE))
    assert item["attachments"] == [{"url": item["attachments"][0]["url"], "mime_type": "video/mp4",
                                    "size_in_bytes": os.path.getsize(SAMPLE_MP4)}]
    assert item["attachments"][0]["url"].endswith("/" + MP4)


def test_newsboat_reads_the_enclosure(sample_site, site_server, tmp_path):
    from test_newsboat import _newsboat, _subscribe

    count, db = _subscribe(_newsboat(), tmp_path / "nb", [site_server + "feed.xml"])
    assert count > 0
    rows = db.execute("SELECT enclosure_url, enclosure_type FROM rss_item WHERE url LIKE ?",
                      (f"%{ARTICLE}",)).fetchall()
    assert rows and rows[0][0].endswith("/" + MP4) and rows[0][1] == "video/mp4"


# ---------------------------------------------------------------- in Chromium

@pytest.fixture(scope="module")
def browser():
    yield from browser_fixture()


def test_chromium_loads_the_video_and_its_captions(browser, site_server):
    ctx = browser.new_context(viewport=PHONE, locale="zh-CN")
    try:
        tab = ctx.new_page()
        requested: list[str] = []
        tab.on("request", lambda r: requested.append(r.url))
        goto(tab, site_server + ARTICLE)
        # preload="none": opening the page fetches the poster, never the video.
        assert not any(u.endswith(".mp4") for u in requested), requested
        assert tab.evaluate("document.querySelector('video').paused")
        assert tab.evaluate("document.scrollingElement.scrollWidth") <= 360
        state = tab.evaluate("""async () => {
            const v = document.querySelector('figure.nr-video video');
            v.preload = 'metadata';
            v.load();
            await new Promise((ok, fail) => {
                if (v.readyState >= 1) return ok();
                v.addEventListener('loadedmetadata', ok);
                v.addEventListener('error', () => fail(new Error('video error ' + (v.error && v.error.code))));
                setTimeout(() => fail(new Error('no metadata')), 10000);
            });
            const track = v.textTracks[0];
            track.mode = 'hidden';
            for (let i = 0; i < 100 && !(track.cues && track.cues.length); i++) await new Promise(r => setTimeout(r, 50));
            return {ready: v.readyState, duration: v.duration, width: v.videoWidth, height: v.videoHeight,
                    box: v.getBoundingClientRect().width, cues: [...(track.cues || [])].map(c => c.text),
                    lang: track.language, kind: track.kind};
        }""")
        assert state["ready"] >= 1 and 3.5 < state["duration"] < 4.5, state
        assert (state["width"], state["height"]) == (320, 180)
        assert 0 < state["box"] <= 360
        assert state["kind"] == "captions" and state["lang"] == "zh"
        assert len(state["cues"]) == 2 and "职工驿站" in state["cues"][1], state["cues"]
        serious = [v for v in run_axe(tab) if v["impact"] in ("serious", "critical")]
        assert not serious, serious
    finally:
        ctx.close()


# ---------------------------------------------------------------- editors' mistakes

ARTICLE_MD = """\
---
title: 视频新闻
date: 2024-06-20 09:00
{fields}---
正文。
"""


def _tree(root: Path, fields: str, files: dict[str, bytes] | None = None) -> Path:
    write_tree(root, {"content/news/2024/shipin.md": ARTICLE_MD.format(fields=fields)})
    for rel, data in (files or {}).items():
        path = root / "content" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


GOOD = {"media/v.mp4": SAMPLE_MP4.read_bytes(), "images/p.jpg": (ROOT / "content" / POSTER).read_bytes(),
        "media/v.vtt": "WEBVTT\n\n00:00.000 --> 00:01.000\n字幕\n".encode()}


def test_a_good_video_checks_clean(tmp_path):
    root = _tree(tmp_path, "video: media/v.mp4\nvideo_poster: images/p.jpg\nvideo_captions: media/v.vtt\n", GOOD)
    proc = check_tree(root)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "警告" not in proc.stdout + proc.stderr


@pytest.mark.parametrize("fields,files,line,words", [
    ("video: media/missing.mp4\n", {}, 4, "视频“media/missing.mp4”不存在"),
    ("video: media/v.avi\n", {"media/v.avi": b"RIFF"}, 4, "视频“media/v.avi”的类型不能用"),
    ("video: media/v.mp4\n", {"media/v.mp4": b"not a video at all"}, 4, "视频“media/v.mp4”不是能在网页里播放的 MP4 文件"),
    ("video: ../outside.mp4\n", {}, 4, "视频“../outside.mp4”不在网站目录中"),
    ("video: media/v.mp4\nvideo_poster: images/p.jpg\nvideo_captions: media/v.srt\n",
     {**GOOD, "media/v.srt": b"1\n00:00:00,000 --> 00:00:01,000\nhi\n"}, 6, "视频字幕“media/v.srt”的类型不能用"),
    ("video: media/v.mp4\nvideo_poster: images/p.jpg\nvideo_captions: media/v.vtt\n",
     {**GOOD, "media/v.vtt": b"1\n00:00:00,000 --> 00:00:01,000\nhi\n"}, 6, "视频字幕“media/v.vtt”不是 WebVTT 字幕"),
    ("video: media/v.mp4\nvideo_poster: images/nope.jpg\n", GOOD, 5, "视频封面“images/nope.jpg”不存在"),
])
def test_a_bad_video_is_an_error_at_its_line(tmp_path, fields, files, line, words):
    root = _tree(tmp_path, fields, files)
    proc = build_tree(root)
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0, out
    assert f"content/news/2024/shipin.md:{line}: {words}" in out, out
    assert not (root / "site" / "index.html").exists()


def test_a_video_through_a_link_out_of_the_site_is_refused(tmp_path):
    outside = tmp_path / "elsewhere" / "v.mp4"
    outside.parent.mkdir()
    outside.write_bytes(SAMPLE_MP4.read_bytes())
    root = _tree(tmp_path / "site-root", "video: media/v.mp4\nvideo_poster: images/p.jpg\n",
                 {"images/p.jpg": GOOD["images/p.jpg"]})
    (root / "content/media").mkdir(parents=True)
    os.symlink(outside, root / "content/media/v.mp4")
    proc = check_tree(root)
    assert proc.returncode != 0
    assert "content/news/2024/shipin.md:4: 视频“media/v.mp4”" in proc.stdout + proc.stderr


def test_a_video_without_a_poster_is_a_warning_and_builds(tmp_path):
    root = _tree(tmp_path, "video: media/v.mp4\n", {"media/v.mp4": GOOD["media/v.mp4"]})
    proc = build_tree(root)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out
    assert "content/news/2024/shipin.md:4: 警告：视频没有封面图（video_poster）" in out
    video = page(root / "site", "news/2024/06/shipin/").select_one("video")
    assert video is not None and not video.has_attr("poster") and not video.find("track")


# ---------------------------------------------------------------- the MP4's headers

def _boxes(data: bytes) -> list[tuple[bytes, bytes]]:
    out, at = [], 0
    while at < len(data):
        size, kind = struct.unpack_from(">I4s", data, at)
        out.append((kind, data[at:at + size]))
        at += size
    return out


def test_probe_reads_size_duration_and_codec():
    probe = probe_mp4(io.BytesIO(SAMPLE_MP4.read_bytes()))
    assert probe is not None
    assert (probe.width, probe.height, round(probe.seconds)) == (320, 180, 4)
    assert b"avc1" in probe.codecs and probe.moov_first


def test_index_at_the_end_and_hevc_are_warnings_an_unplayable_codec_an_error(tmp_path):
    boxes = dict(_boxes(SAMPLE_MP4.read_bytes()))
    late = boxes[b"ftyp"] + boxes[b"mdat"] + boxes[b"moov"]
    assert not probe_mp4(io.BytesIO(late)).moov_first
    cases = [(late, "索引在文件末尾", 0), (SAMPLE_MP4.read_bytes().replace(b"avc1", b"hvc1"), "HEVC", 0),
             (SAMPLE_MP4.read_bytes().replace(b"avc1", b"mp4v"), "浏览器不能播放", 1)]
    for n, (data, words, code) in enumerate(cases):
        root = _tree(tmp_path / str(n), "video: media/v.mp4\nvideo_poster: images/p.jpg\n",
                     {"media/v.mp4": data, "images/p.jpg": GOOD["images/p.jpg"]})
        proc = check_tree(root)
        assert (proc.returncode != 0) == bool(code), proc.stdout + proc.stderr
        assert f"content/news/2024/shipin.md:4: {'警告：' if not code else ''}视频“media/v.mp4”" in proc.stdout + proc.stderr
        assert words in proc.stdout + proc.stderr
    shutil.rmtree(tmp_path)
