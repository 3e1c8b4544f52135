"""The desk's local backend: Decap's proxy protocol against a real tree on disk
(docs/desk.md, "newsroom serve --desk"), and who may reach it over HTTP."""
from __future__ import annotations

import base64
import hashlib
import http.client
import json
import os
import threading
from pathlib import Path

import pytest
from conftest import png, write_tree

from newsroom.desk.backend import Folders, handle
from newsroom.desk.start import make_desk
from newsroom.desk.server import DeskServer

ARTICLE = "---\ntitle: 标题甲\ndate: 2021-05-01 09:00\n---\n正文甲。\n"
BRAND = "---\nname: 柯工益\n---\n介绍。\n"


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    write_tree(root, {"content/news/2021/jia.md": ARTICLE, "content/news/2022/yi.md": ARTICLE,
                      "content/news/2022/notes.txt": "not an entry", "brands/ke-gong-yi.md": BRAND,
                      "site_config.yml": "site_name: 秘密\n", "theme/main.html": "{{ x }}",
                      "content/.git/config": "[core]"})
    (root / "content/images/2021").mkdir(parents=True)
    (root / "content/images/2021/p.png").write_bytes(png(2, 2))
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text("---\ntitle: 外面\n---\n", encoding="utf-8")
    return root


def folders(root: Path) -> Folders:
    return make_desk(root, root / "content", root / "brands").folders


def call(root: Path, action: str, **params) -> tuple[int, object]:
    return handle(folders(root), {"action": action, "params": {"branch": "master", **params}})


def ok(root: Path, action: str, **params):
    status, body = call(root, action, **params)
    assert status == 200, body
    return body


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


# ------------------------------------------------------------------ the actions

def test_info(tree):
    assert ok(tree, "info") == {"repo": "site", "publish_modes": ["simple"], "type": "local_fs"}


def test_entries_by_folder_lists_markdown_down_to_depth(tree):
    entries = ok(tree, "entriesByFolder", folder="content/news", extension="md", depth=2)
    assert sorted(e["file"]["path"] for e in entries) == ["content/news/2021/jia.md", "content/news/2022/yi.md"]
    first = entries[0]
    assert first["data"] == ARTICLE
    assert first["file"]["id"] == hashlib.sha256(ARTICLE.encode()).hexdigest()
    assert ok(tree, "entriesByFolder", folder="content/news", extension="md", depth=1) == []


def test_entries_by_folder_of_a_missing_folder_is_empty(tree):
    assert ok(tree, "entriesByFolder", folder="content/topics", extension="md", depth=1) == []


def test_entries_by_files_and_get_entry(tree):
    entries = ok(tree, "entriesByFiles", files=[{"path": "brands/ke-gong-yi.md", "label": "柯工益"},
                                                {"path": "brands/none.md"}])
    assert entries[0] == {"data": BRAND, "file": {"path": "brands/ke-gong-yi.md", "label": "柯工益",
                                                  "id": hashlib.sha256(BRAND.encode()).hexdigest()}}
    assert entries[1] == {"data": None, "file": {"path": "brands/none.md", "id": None}}
    assert ok(tree, "getEntry", path="content/news/2021/jia.md")["data"] == ARTICLE


def test_persist_entry_writes_the_file_and_its_assets(tree):
    raw = "---\ntitle: 新文章\ndate: 2024-07-05 09:30\n---\n正文。\n"
    image = png(3, 3)
    body = ok(tree, "persistEntry", dataFiles=[{"slug": "xin", "path": "content/news/2024/xin.md", "raw": raw}],
              assets=[{"path": "content/images/2024/lead.png", "content": b64(image), "encoding": "base64"}],
              options={"commitMessage": "Create", "useWorkflow": False, "status": ""})
    assert body == {"message": "entry persisted"}
    assert (tree / "content/news/2024/xin.md").read_text(encoding="utf-8") == raw
    assert (tree / "content/images/2024/lead.png").read_bytes() == image
    assert not [p for p in (tree / "content/news/2024").iterdir() if p.name != "xin.md"]   # no temp file left


def test_persist_entry_with_the_old_entry_key_and_a_rename(tree):
    ok(tree, "persistEntry", entry={"slug": "jia", "path": "content/news/2021/jia.md", "raw": "---\ntitle: 改\n---\n",
                                    "newPath": "content/news/2021/jia-2.md"},
       assets=[], options={"commitMessage": "Update", "useWorkflow": False, "status": ""})
    assert not (tree / "content/news/2021/jia.md").exists()
    assert (tree / "content/news/2021/jia-2.md").read_text(encoding="utf-8") == "---\ntitle: 改\n---\n"
    # Only the entry moves: decap-server would also move the rest of its folder.
    assert (tree / "content/news/2022/yi.md").exists()


def test_persist_entry_writes_the_editors_format_not_decaps(tree):
    """Decap's block lists, reordered keys and booleans come out as the content model writes
    them (a new field at its place in the schema's order); an unchanged field keeps its line (desk/frontmatter.py, tests/test_desk_format.py)."""
    (tree / "content/news/2021/jia.md").write_text(
        "---\ntitle: 标题甲\ndate: 2021年5月1日 09:00\ntags: [甲, 乙]   # 两个\n---\n正文甲。\n", encoding="utf-8")
    raw = ("---\ntags:\n  - 甲\n  - 乙\ntitle: 标题甲\ndate: 2021-05-01 09:00\nbrands:\n  - ke-gong-yi\n"
           "featured: false\nslug: jia\n---\n正文甲。\n")
    ok(tree, "persistEntry", dataFiles=[{"slug": "2021/jia", "path": "content/news/2021/jia.md", "raw": raw}],
       assets=[], options={})
    assert (tree / "content/news/2021/jia.md").read_text(encoding="utf-8") == (
        "---\ntitle: 标题甲\ndate: 2021年5月1日 09:00\nbrands: [ke-gong-yi]\ntags: [甲, 乙]   # 两个\n---\n正文甲。\n")


def test_new_id_is_the_pinyin_newsroom_new_gives(tree):
    assert ok(tree, "newId", collection="news", title="标题甲", year="2021") == {"id": "biao-ti-jia"}
    (tree / "content/news/2021/biao-ti-jia.md").write_text(ARTICLE, encoding="utf-8")
    assert ok(tree, "newId", collection="news", title="标题甲", year="2021") == {"id": "biao-ti-jia-2"}
    assert ok(tree, "newId", collection="news", title="标题甲", year="") == {"id": ""}      # no date yet
    assert ok(tree, "newId", collection="brands", title="柯工益") == {"id": "ke-gong-yi-2"}
    assert ok(tree, "newId", collection="workers", title="叶金龙") == {"id": "ye-jin-long"}
    assert ok(tree, "newId", collection="nothing", title="甲") == {"id": ""}


def test_media_actions(tree):
    media = ok(tree, "getMedia", mediaFolder="content/images/2021")
    assert [(m["name"], m["path"], m["encoding"]) for m in media] == [("p.png", "content/images/2021/p.png", "base64")]
    assert base64.b64decode(media[0]["content"]) == png(2, 2)
    assert ok(tree, "getMediaFile", path="content/images/2021/p.png") == media[0]
    stored = ok(tree, "persistMedia", asset={"path": "brands/img/new.png", "content": b64(png(4, 4)), "encoding": "base64"},
                options={"commitMessage": "Upload"})
    assert stored["path"] == "brands/img/new.png" and (tree / "brands/img/new.png").read_bytes() == png(4, 4)


def test_delete_file_and_files(tree):
    ok(tree, "deleteFile", path="content/images/2021/p.png", options={"commitMessage": "Delete"})
    assert not (tree / "content/images/2021/p.png").exists()
    ok(tree, "deleteFiles", paths=["content/news/2021/jia.md", "content/news/2022/yi.md"], options={"commitMessage": "D"})
    assert not (tree / "content/news/2021/jia.md").exists() and not (tree / "content/news/2022/yi.md").exists()


def test_deploy_preview_is_none_and_unknown_actions_are_refused_in_chinese(tree):
    assert ok(tree, "getDeployPreview", collection="news", slug="jia") is None
    status, body = call(tree, "unpublishedEntries")
    assert status == 422 and "不支持" in body["error"]
    assert handle(folders(tree), ["not", "an", "object"])[0] == 422


# ------------------------------------------------------------------ containment

OUT_OF_BOUNDS = ["../outside/secret.md", "content/../../outside/secret.md", "content/../site_config.yml",
                 "site_config.yml", "theme/main.html", "content/.git/config.md", "/etc/passwd.md",
                 "content\\..\\site_config.yml", "content/news/\0.md"]


@pytest.mark.parametrize("path", OUT_OF_BOUNDS)
def test_reads_out_of_content_and_brands_are_refused(tree, path):
    for action, params in (("getEntry", {"path": path}), ("entriesByFiles", {"files": [{"path": path}]}),
                           ("getMediaFile", {"path": path}), ("entriesByFolder", {"folder": path, "extension": "md", "depth": 1})):
        status, body = call(tree, action, **params)
        assert status in (403, 422), (action, body)
        assert "秘密" not in json.dumps(body, ensure_ascii=False)


@pytest.mark.parametrize("path", OUT_OF_BOUNDS)
def test_writes_out_of_content_and_brands_are_refused(tree, path):
    before = sorted(p for p in tree.parent.rglob("*"))
    status, body = call(tree, "persistEntry", dataFiles=[{"slug": "x", "path": path, "raw": "x"}], assets=[],
                        options={"commitMessage": "x", "useWorkflow": False, "status": ""})
    assert status in (403, 422) and body["error"]
    status, _ = call(tree, "persistMedia", asset={"path": path, "content": b64(b"x"), "encoding": "base64"},
                     options={"commitMessage": "x"})
    assert status in (403, 422)
    status, _ = call(tree, "deleteFile", path=path, options={"commitMessage": "x"})
    assert status in (403, 422)
    assert sorted(p for p in tree.parent.rglob("*")) == before
    assert (tree / "site_config.yml").read_text(encoding="utf-8") == "site_name: 秘密\n"


def test_refusal_is_chinese(tree):
    status, body = call(tree, "getEntry", path="../outside/secret.md")
    assert status == 403 and "不允许" in body["error"]
    status, body = call(tree, "getEntry", path="site_config.yml")
    assert status == 403 and "不在内容目录或品牌目录中" in body["error"]


def test_symlinks_out_are_neither_read_listed_nor_written_through(tree):
    outside = tree.parent / "outside"
    os.symlink(outside / "secret.md", tree / "content/news/2021/link.md")
    os.symlink(outside, tree / "content/news/escape")
    os.symlink(tree / "site_config.yml", tree / "brands/config.md")      # inside the site, outside the folders
    for path in ("content/news/2021/link.md", "content/news/escape/secret.md", "brands/config.md"):
        assert call(tree, "getEntry", path=path)[0] == 403
        status, _ = call(tree, "persistEntry", dataFiles=[{"slug": "x", "path": path, "raw": "被改了"}], assets=[],
                         options={"commitMessage": "x", "useWorkflow": False, "status": ""})
        assert status == 403
        assert call(tree, "deleteFile", path=path, options={"commitMessage": "x"})[0] == 403
    listed = ok(tree, "entriesByFolder", folder="content/news", extension="md", depth=3)
    assert "外面" not in json.dumps(listed, ensure_ascii=False)
    assert all(e["data"] is None or "秘密" not in e["data"] for e in listed)
    assert (outside / "secret.md").read_text(encoding="utf-8") == "---\ntitle: 外面\n---\n"
    assert call(tree, "getMedia", mediaFolder="content/news/escape")[0] == 403


def test_only_markdown_entries_and_image_media(tree):
    status, body = call(tree, "persistEntry", dataFiles=[{"slug": "x", "path": "content/news/run.sh", "raw": "rm"}],
                        assets=[], options={"commitMessage": "x", "useWorkflow": False, "status": ""})
    assert status == 422 and "类型不允许" in body["error"]
    status, _ = call(tree, "persistMedia", asset={"path": "content/images/x.html", "content": b64(b"<script>"),
                                                  "encoding": "base64"}, options={"commitMessage": "x"})
    assert status == 422
    assert not (tree / "content/news/run.sh").exists() and not (tree / "content/images/x.html").exists()


def test_a_refused_asset_leaves_the_entry_unwritten(tree):
    status, _ = call(tree, "persistEntry", dataFiles=[{"slug": "x", "path": "content/news/2024/x.md", "raw": "x"}],
                     assets=[{"path": "../outside/x.png", "content": b64(b"x"), "encoding": "base64"}],
                     options={"commitMessage": "x", "useWorkflow": False, "status": ""})
    assert status == 403 and not (tree / "content/news/2024/x.md").exists()


def test_bad_base64_is_refused(tree):
    status, body = call(tree, "persistMedia", asset={"path": "content/images/x.png", "content": "!!!", "encoding": "base64"},
                        options={"commitMessage": "x"})
    assert status == 422 and "base64" in body["error"]


def test_content_folder_outside_the_site_is_refused(tree, tmp_path):
    from newsroom.core.problems import CliError

    with pytest.raises(CliError, match="网站目录"):
        make_desk(tree, tmp_path / "outside", tree / "brands")
    with pytest.raises(CliError, match="网站目录本身"):
        make_desk(tree, tree, tree / "brands")


# ------------------------------------------------------------------ over HTTP

@pytest.fixture
def server(tree):
    srv = DeskServer("127.0.0.1", 0, make_desk(tree, tree / "content", tree / "brands"))
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()


def request(srv: DeskServer, method: str, path: str, body: object = None, **headers: str):
    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=10)
    data = json.dumps(body).encode() if body is not None else None
    conn.request(method, path, body=data, headers={"Host": f"127.0.0.1:{srv.port}", **headers})
    resp = conn.getresponse()
    payload = resp.read()
    conn.close()
    return resp, payload


def api(srv: DeskServer, body: object, **headers: str):
    defaults = {"Origin": f"http://127.0.0.1:{srv.port}", "Content-Type": "application/json; charset=utf-8"}
    return request(srv, "POST", "/admin/api/v1", body, **{**defaults, **headers})


def test_same_origin_post_is_answered(server):
    resp, payload = api(server, {"action": "info", "params": {"branch": "master"}})
    assert resp.status == 200 and json.loads(payload)["type"] == "local_fs"
    resp, _ = api(server, {"action": "info"}, Host=f"localhost:{server.port}", Origin=f"http://localhost:{server.port}")
    assert resp.status == 200


@pytest.mark.parametrize("headers", [
    {"Host": "evil.example"},                                    # DNS rebinding: the attacker's name
    {"Host": "evil.example:{port}", "Origin": "http://evil.example:{port}"},
    {"Origin": "http://evil.example"},                           # another site's page
    {"Origin": "null"},                                          # sandboxed iframe, file://
    {"Origin": ""},                                              # no Origin at all
    {"Origin": "http://127.0.0.1:1"},                            # another local port
])
def test_foreign_host_or_origin_is_refused(server, tree, headers):
    headers = {k: v.format(port=server.port) for k, v in headers.items()}
    body = {"action": "persistEntry", "params": {"branch": "master", "assets": [], "options": {},
                                                 "dataFiles": [{"slug": "x", "path": "content/news/x.md", "raw": "x"}]}}
    resp, payload = api(server, body, **headers)
    assert resp.status == 403
    assert "error" in json.loads(payload)
    assert not (tree / "content/news/x.md").exists()


def test_foreign_host_cannot_read_the_page_or_config(server):
    resp, payload = request(server, "GET", "/admin/config.yml", Host="evil.example")
    assert resp.status == 403 and "proxy_url" not in payload.decode()


def test_form_posts_and_preflights_are_refused(server):
    resp, _ = api(server, {"action": "info"}, **{"Content-Type": "text/plain"})
    assert resp.status == 415
    resp, _ = request(server, "OPTIONS", "/admin/api/v1", Origin="http://evil.example",
                      **{"Access-Control-Request-Method": "POST"})
    assert resp.status == 405 and resp.getheader("Access-Control-Allow-Origin") is None


def test_admin_page_bundle_and_config_are_served_with_a_csp(server):
    resp, payload = request(server, "GET", "/admin/")
    assert resp.status == 200 and b"decap-cms.js" in payload and b'name="robots" content="noindex"' in payload
    assert "default-src 'self'" in resp.getheader("Content-Security-Policy")
    assert resp.getheader("X-Content-Type-Options") == "nosniff"
    resp, payload = request(server, "GET", "/admin/decap-cms.js")
    assert resp.status == 200 and resp.getheader("Content-Type").startswith("text/javascript") and len(payload) > 5_000_000
    resp, payload = request(server, "GET", "/admin/config.yml")
    assert resp.status == 200 and b"proxy_url: /admin/api/v1" in payload
    for path in ("/admin/../site_config.yml", "/admin/%2e%2e/site_config.yml", "/admin/MANIFEST", "/site_config.yml"):
        assert request(server, "GET", path)[0].status == 404


def test_oversized_body_is_refused(server):
    resp, payload = api(server, None, **{"Content-Length": str(31 << 20)})
    assert resp.status == 413 and "上限" in json.loads(payload)["error"]
