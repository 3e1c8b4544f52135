"""outputs/writer.Writer takes each key's stable digest once (``_digest``): the sitemap's key, a
tuple of ~15,000 (URL, lastmod) pairs at 10k articles, is shared by sitemap.xml and its .gz,
with two other files written between them."""
from __future__ import annotations

from pathlib import Path

from newsroom.core.sealed import stable_hash
from newsroom.outputs import writer


class _Earlier:
    """A warm build's last outputs: none taken, every file made recorded with its key's digest."""

    def __init__(self) -> None:
        self.made_from: dict[str, str] = {}

    def take(self, path: str, key: str) -> bool:
        return False

    def made(self, path: str, key: str, data: bytes) -> None:
        self.made_from[path] = key


def test_a_key_written_twice_with_others_between_is_digested_once(tmp_path: Path, monkeypatch):
    hashed: list = []
    monkeypatch.setattr(writer, "stable_hash", lambda key: hashed.append(key) or stable_hash(key))
    earlier = _Earlier()
    out = writer.Writer(tmp_path, {}, earlier)
    main, news = ("https://x.cn/", tuple((f"p{i}/", None) for i in range(3))), ("https://x.cn/", "news")
    out.write("sitemap.xml", main, lambda: b"<urlset/>")
    out.write("sitemap-news.xml", news, lambda: b"<urlset/>")
    out.write("robots.txt", "https://x.cn/", lambda: b"User-agent: *\n")
    out.write("sitemap.xml.gz", main, lambda: b"gz")
    assert hashed == [main, news, "https://x.cn/"]
    assert earlier.made_from == {"sitemap.xml": stable_hash(main), "sitemap-news.xml": stable_hash(news),
                                 "robots.txt": stable_hash("https://x.cn/"), "sitemap.xml.gz": stable_hash(main)}


def test_an_equal_key_that_is_another_object_is_digested_as_its_own(tmp_path: Path):
    """The digest is remembered by the key object, not by its value's hash or an id reused."""
    earlier = _Earlier()
    out = writer.Writer(tmp_path, {}, earlier)
    out.write("a.xml", ("k", 1), lambda: b"a")
    out.write("b.xml", ("k", 2), lambda: b"b")
    assert earlier.made_from == {"a.xml": stable_hash(("k", 1)), "b.xml": stable_hash(("k", 2))}
