"""outputs/sitemaps.py: sitemap.xml.gz compressed on a thread while the other outputs are written."""
from __future__ import annotations

import gzip
import threading

import pytest

from newsroom.outputs import sitemaps


def test_the_gzip_is_of_the_sitemap_made_and_compressed_once(monkeypatch):
    made, threads = [], []
    real = threading.Thread.start

    def start(self):
        threads.append(self.name)
        real(self)

    monkeypatch.setattr(threading.Thread, "start", start)
    data = b"<urlset>" + b"<url>x</url>" * 5000 + b"</urlset>"
    packed = sitemaps._Packed(lambda: made.append(1) or data)
    assert packed.made() == data
    assert threads == ["sitemap-gzip"]
    gz = packed.gz()
    assert gzip.decompress(gz) == data
    assert gz == gzip.compress(data, mtime=0)            # the same bytes as before it was threaded
    assert packed.gz() is gz                              # one compression
    assert made == [1]


def test_the_gzip_alone_when_the_sitemap_was_not_made():
    packed = sitemaps._Packed(lambda: b"<urlset/>")
    assert gzip.decompress(packed.gz()) == b"<urlset/>"


def test_a_failed_compression_fails_in_the_build(monkeypatch):
    def broken(data, mtime=None):
        raise OSError("zlib broke")

    monkeypatch.setattr(sitemaps.gzip, "compress", broken)
    packed = sitemaps._Packed(lambda: b"<urlset/>")
    packed.made()
    with pytest.raises(OSError, match="zlib broke"):
        packed.gz()
