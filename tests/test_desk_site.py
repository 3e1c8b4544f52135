"""The desk in a built site and beside the preview (issue 17): `newsroom build` writes
/admin/ when site_config.yml enables it (the sample does), pointing at the forge and never at
a local backend; its CSP ('unsafe-eval' for Decap) stays inside /admin/; and
`newsroom serve --desk` starts the preview and the desk with one command."""
from __future__ import annotations

import re
import urllib.request

import yaml
from conftest import ROOT, newsroom, soup
from desk_helpers import running_desk, sample_copy

from newsroom.desk.manifest import BUNDLE, VENDOR


def test_the_built_sample_has_the_desk_for_its_forge(sample_site):
    admin = sample_site / "admin"
    shipped = {p.name for p in (VENDOR / BUNDLE).iterdir()}
    assert shipped <= {p.name for p in admin.iterdir()}
    config = yaml.safe_load((admin / "config.yml").read_text(encoding="utf-8"))
    assert config["backend"]["name"] == "forgejo" and config["backend"]["repo"] == "kqzgh/news"
    assert config["publish_mode"] == "editorial_workflow" and config["locale"] == "zh_Hans"
    text = (admin / "config.yml").read_text(encoding="utf-8")
    assert "proxy" not in text and "local_backend" not in text and "/admin/api" not in text

    page = soup(admin / "index.html")
    policy = page.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    assert "'unsafe-eval'" in policy and "connect-src 'self' blob: https://git.kqzgh.example.cn" in policy
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    styles = [m["content"] for m in page.find_all("meta", attrs={"name": "newsroom-preview-style"})]
    assert styles[-1] == "../assets/stylesheets/newsroom.css" and len(styles) == 3
    for href in styles:
        assert (admin / href).resolve().is_file(), href


def test_unsafe_eval_is_confined_to_admin_and_admin_is_not_listed(sample_site):
    for html in sample_site.rglob("*.html"):
        if "admin" not in html.relative_to(sample_site).parts:
            assert "unsafe-eval" not in html.read_text(encoding="utf-8"), html
    assert "admin/" not in (sample_site / "sitemap.xml").read_text(encoding="utf-8")


def test_a_site_without_desk_settings_has_no_admin(tmp_path):
    root = sample_copy(tmp_path)
    config = (root / "site_config.yml").read_text(encoding="utf-8")
    config = re.sub(r"\n      # The web desk.*?app_id: [^\n]*", "", config, flags=re.S)
    assert "desk:" not in config
    (root / "site_config.yml").write_text(config, encoding="utf-8")
    newsroom("build", "-q", "--site-dir", str(root / "site"), cwd=root, check=True)
    assert (root / "site" / "index.html").exists() and not (root / "site" / "admin").exists()


def test_a_wrong_desk_setting_is_a_chinese_error_before_anything_is_built(tmp_path):
    site = sample_copy(tmp_path)
    config = site / "site_config.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("backend: forgejo", "backend: github"),
                      encoding="utf-8")
    proc = newsroom("build", "-q", "--site-dir", str(site / "site"), cwd=site)
    assert proc.returncode == 1 and "desk" in proc.stderr and "forgejo" in proc.stderr
    assert "Traceback" not in proc.stderr and not (site / "site" / "index.html").exists()


def test_serve_desk_starts_the_preview_and_the_desk_together(tmp_path):
    site = sample_copy(tmp_path)
    with running_desk(site, "serve", "--desk", "--dev-addr", "127.0.0.1:0") as url:
        page = urllib.request.urlopen(url, timeout=30).read().decode("utf-8")
        assert "decap-cms.js" in page and "newsroom-desk.js" in page
        css = urllib.request.urlopen(url + "preview/newsroom.css", timeout=30).read()
        assert css == (ROOT / "theme" / "assets" / "stylesheets" / "newsroom.css").read_bytes()
