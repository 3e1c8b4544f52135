"""The service block (服务热线) and the 网站标识码 from site_config.yml's ``extra:``, and the
menu's sections (通知公告, 专题, 数字报 among them).

The sample site is built for real: the footer of every kind of page and the home page list
each number as a ``tel:`` link, the footer shows the site code; bad values stop ``check``
and plain ``mkdocs build`` with a Chinese message at their line (test_config_errors.py's
way: a copy of the project's site_config.yml with one mistake).
"""
from __future__ import annotations

import subprocess

import pytest

from conftest import BIN, ENV, page, soup
from test_config_errors import CONFIG, _check, _config, _fails_with

SERVICE = [("职工服务热线", "12351", "tel:12351"), ("法律援助", "0575-84000012", "tel:057584000012"),
           ("心理关爱", "0575-84000021", "tel:057584000021")]
# One page of each kind the footer is on: generated pages, a free page (MkDocs renders it), the 404.
FOOTERS = ["", "news/2021/12/kegong-brands/", "notices/", "topics/songqingliang/", "brands/ke-gong-yi/",
           "workers/shen-jianhua/", "search/", "about/", "404.html"]
SECTIONS = ["首页", "新闻", "通知公告", "专题", "数字报", "工会品牌", "劳模工匠", "栏目", "关于我们"]


def _lines(block) -> list[tuple[str, str, str]]:
    return [(li.select_one(".nr-service-name").get_text(strip=True), li.select_one("a.nr-service-tel").get_text(strip=True),
             li.select_one("a.nr-service-tel")["href"]) for li in block.select(".nr-service-list li")]


@pytest.mark.parametrize("url", FOOTERS)
def test_footer_lists_the_service_numbers_and_the_site_code(sample_site, url):
    doc = soup(sample_site / url) if url.endswith(".html") else page(sample_site, url)
    footer = doc.select_one("footer.nr-footer")
    assert _lines(footer.select_one(".nr-footer-service")) == SERVICE
    assert footer.select_one(".nr-site-code").get_text(strip=True) == "网站标识码：3306210012"
    assert "通知公告" in [a.get_text() for a in footer.select(".nr-footer__links a")]


def test_home_page_has_the_service_block(sample_site):
    block = page(sample_site, "").select_one(".nr-home-service")
    assert block.select_one("h2").get_text(strip=True) == "职工服务"
    assert _lines(block) == SERVICE
    assert "24 小时接听" in block.get_text()


def test_menu_lists_sections_only_with_notices_topics_and_the_epaper(sample_site):
    doc = page(sample_site, "")
    tabs = doc.select("nav.md-tabs a.md-tabs__link")
    assert [a.get_text(strip=True) for a in tabs] == SECTIONS
    hrefs = [a["href"] for a in tabs]
    assert "notices/" in hrefs and "topics/" in hrefs and "epaper/" in hrefs
    assert not any(h.startswith("news/20") for h in hrefs)      # never an article


@pytest.mark.parametrize("old,new,at,words", [
    ('      phone: "12351"', "      phone: 热线电话", "热线电话", ["服务热线“职工服务热线”的电话“热线电话”不是电话号码"]),
    ('      phone: "12351"', '      phone: ""', "name: 职工服务热线", ["服务热线“职工服务热线”没有写电话号码（phone）"]),
    ("    - name: 法律援助", "    - name:", "phone: 0575-84000012", ["service（服务热线）中电话“0575-84000012”没有写名称（name）"]),
    ('  site_code: "3306210012"', "  site_code: 浙3306210012", "site_code", ["site_code（网站标识码）“浙3306210012”应是一串数字"]),
    (CONFIG[CONFIG.index("  service:\n"):], "  service: 12351\n", "service: 12351",
     ["extra 的 service（服务热线）应是一个列表"]),
])
def test_a_bad_value_is_a_chinese_error_at_its_line(tmp_path, old, new, at, words):
    config, _ = _config(tmp_path, old, new)
    line = next(n for n, row in enumerate(config.read_text(encoding="utf-8").splitlines(), 1) if at in row)
    _fails_with(_check(config), f"site_config.yml:{line}:", *words)


def test_plain_mkdocs_build_refuses_a_bad_site_code(tmp_path):
    config, line = _config(tmp_path, '  site_code: "3306210012"', "  site_code: abc")
    site = tmp_path / "out"
    proc = subprocess.run([str(BIN / "mkdocs"), "build", "-q", "-f", str(config), "-d", str(site)],
                          env=ENV, capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert proc.returncode != 0
    assert f"site_config.yml:{line}:" in proc.stderr and "网站标识码" in proc.stderr, proc.stderr
    assert not (site / "index.html").exists()
