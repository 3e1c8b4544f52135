"""Decap's config.yml, generated from content/fields.py's tables (docs/desk.md, "config.yml
generated from the schema"). The tables are imported, never copied: a field added to the
model must show up here with a Chinese label, or these tests fail."""
from __future__ import annotations

import re

import pytest
import yaml
from conftest import ROOT

from newsroom.content import fields as model
from newsroom.core.model import SCHEMAS
from newsroom.desk.config import DESK_LABELS, label, widget
from newsroom.desk.start import make_desk

TABLES = {"news": (model.ARTICLE_FIELDS, "article"), "brands": (model.BRAND_FIELDS, "brand"),
          "workers": (model.WORKER_FIELDS, "worker"), "pages": (model.PAGE_FIELDS, "page"),
          "notices": (SCHEMAS["notice"].table(), "notice"), "topics": (SCHEMAS["topic"].table(), "topic")}
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def config() -> dict:
    """The config the sample site's desk serves, parsed back from its YAML text."""
    desk = make_desk(ROOT, ROOT / "content", ROOT / "brands")
    return yaml.safe_load(desk.config_yaml)


def collection(config: dict, name: str) -> dict:
    return next(c for c in config["collections"] if c["name"] == name)


def by_name(config: dict, name: str) -> dict[str, dict]:
    return {f["name"]: f for f in collection(config, name)["fields"]}


@pytest.mark.parametrize("name", TABLES)
def test_every_field_of_the_model_appears_in_order_with_a_chinese_label(config, name):
    table, kind = TABLES[name]
    fields = collection(config, name)["fields"]
    # Every kind gets the file-name field (slug) just before the body; articles have it in the model.
    assert [f["name"] for f in fields] == [*(k for k in table if k != "slug"), "slug", "body"]
    for field in fields:
        assert CJK.search(field["label"]), field
        assert field["widget"]
    for key in table:
        required = by_name(config, name)[key].get("required", True)
        assert required is (key in SCHEMAS[kind].required()), key


def test_labels_reuse_the_validators_words():
    # One label per field: the form names a field as the error message does. Only "slug"
    # says more in the desk (the editor types pinyin there).
    for key, zh in model.FIELD_ZH.items():
        if key != "slug":
            assert label(key) == zh, key
    assert not {k for k in DESK_LABELS if k in model.FIELD_ZH} - {"slug"}


def test_a_field_nobody_labelled_or_typed_fails_loudly():
    with pytest.raises(KeyError):
        label("no_such_field")
    with pytest.raises(KeyError):
        widget("rating", "stars")


def test_relations_pick_brand_and_worker_ids(config):
    news = by_name(config, "news")
    for key, target in (("brands", "brands"), ("workers", "workers")):
        field = news[key]
        assert field["widget"] == "relation" and field["collection"] == target and field["multiple"] is True
        assert field["value_field"] == "{{slug}}" and field["search_fields"] == ["name"]


def test_dates_images_and_the_other_widgets(config):
    news = by_name(config, "news")
    for key in ("date", "updated"):
        assert news[key]["widget"] == "datetime" and news[key]["format"] == "YYYY-MM-DD HH:mm"
        assert news[key]["picker_utc"] is False
    assert news["featured"]["widget"] == news["draft"]["widget"] == "boolean"
    assert news["tags"]["widget"] == "list" and news["summary"]["widget"] == "text"
    assert news["slug"]["pattern"][0] == "^[a-z0-9]+(-[a-z0-9]+)*$" and news["slug"]["required"] is False
    assert CJK.search(news["slug"]["pattern"][1])             # the form says what is wrong in Chinese
    assert by_name(config, "brands")["since"]["widget"] == "number"
    assert by_name(config, "workers")["honors"]["field"]["widget"] == "string"
    for coll, key in (("news", "image"), ("brands", "logo"), ("workers", "photo")):
        assert by_name(config, coll)[key]["widget"] == "image"
        assert by_name(config, coll)[key]["choose_url"] is False      # no images from other sites


def test_collections_folders_and_media_folders(config):
    news = collection(config, "news")
    assert news["folder"] == "content/news" and news["path"] == "{{year}}/{{slug}}"
    assert news["slug"] == "{{fields.slug}}" and news["create"] is True
    # Beside the article an uploaded image fails `newsroom check` (measured in the trial).
    assert (news["media_folder"], news["public_folder"]) == ("/content/images/{{year}}", "images/{{year}}")
    brands = collection(config, "brands")
    assert brands["folder"] == "brands" and brands["public_folder"] == "brands/img"
    assert collection(config, "workers")["folder"] == "content/workers"
    assert collection(config, "pages")["folder"] == "content/pages"


def test_local_proxy_backend_chinese_locale_and_no_media_library(config):
    assert config["backend"] == {"name": "proxy", "proxy_url": "/admin/api/v1"}
    assert config["locale"] == "zh_Hans"
    assert "media_library" not in config and "local_backend" not in config


def test_folders_follow_the_command_line(tmp_path):
    (tmp_path / "news-site" / "稿件").mkdir(parents=True)
    (tmp_path / "news-site" / "pinpai").mkdir()
    desk = make_desk(tmp_path / "news-site", tmp_path / "news-site" / "稿件", tmp_path / "news-site" / "pinpai")
    config = yaml.safe_load(desk.config_yaml)
    assert collection(config, "news")["folder"] == "稿件/news"
    assert collection(config, "brands")["media_folder"] == "/pinpai/img"


def test_notices_topics_and_their_pickers(config):
    notices = by_name(config, "notices")
    assert notices["replaced_by"]["widget"] == "relation" and notices["replaced_by"]["collection"] == "notices"
    assert notices["written"]["format"] == "YYYY-MM-DD" and notices["written"]["time_format"] is False
    assert notices["attachments"]["fields"][0]["widget"] == "file"
    assert notices["attachments"]["media_folder"] == "/content/files/{{year}}"
    sections = by_name(config, "topics")["sections"]["fields"]
    articles = next(f for f in sections if f["name"] == "articles")
    # A topic names articles by their path under news/ without .md: Decap's slug of a nested entry.
    assert articles["collection"] == "news" and articles["value_field"] == "{{slug}}" and articles["multiple"]
    for name in ("news", "notices", "topics", "brands", "workers"):
        assert collection(config, name)["create"] is True and collection(config, name)["slug"] == "{{fields.slug}}"


def test_a_built_sites_config_names_the_forge_and_never_a_local_backend():
    from newsroom.desk.config import desk_config

    remote = desk_config(remote={"backend": "gitlab", "repo": "kqzgh/news", "base_url": "https://git.example.cn/",
                                 "app_id": "abc"})
    assert remote["backend"] == {"name": "gitlab", "repo": "kqzgh/news", "branch": "main",
                                 "base_url": "https://git.example.cn", "api_root": "https://git.example.cn/api/v4",
                                 "app_id": "abc", "auth_type": "pkce"}
    assert remote["publish_mode"] == "editorial_workflow"
    assert "proxy" not in str(remote) and "local_backend" not in remote
    gitea = desk_config(remote={"backend": "gitea", "repo": "a/b"})
    assert "publish_mode" not in gitea                   # Decap's gitea backend has no review step
    with pytest.raises(ValueError, match="forgejo"):
        desk_config(remote={"backend": "github", "repo": "a/b"})
