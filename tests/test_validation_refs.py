"""References between files, through the real CLI: body images, files that are there
but broken, duplicate URLs, and paths written from the wrong folder.

A reference to a file that exists but has its own error must never be reported
as unknown with a suggestion pointing elsewhere: the editor would retag a good
article. The broken file gets the error; its references at most one note.
"""
from __future__ import annotations

from conftest import png
from test_errors import BRAND, article, expect, problem_lines, run_check, tree

A = "content/news/2021/a.md"


def report(root) -> str:
    proc = run_check(root)
    return proc.stdout + proc.stderr


# ------------------------------------------------------------------ images in the body

def test_missing_body_image_at_its_line(tmp_path):
    body = "第一段。\n\n![活动现场](../../images/2021/huodong.jpg)\n"
    root = tree(tmp_path, {A: article("title: 标题\ndate: 2021-12-28", body)})
    expect(root, A, 7, "正文图片“../../images/2021/huodong.jpg”不存在", "程序找的是 content/images/2021/huodong.jpg")


def test_present_body_images_and_code_are_fine(tmp_path):
    body = ("![现场](../../images/2021/huodong.png \"说明\")\n\n![绝对](/images/2021/huodong.png)\n\n"
            "<img src=\"../../../../images/2021/huodong.png\">\n\n"    # raw HTML: relative to the page's URL
            "```\n![示例](nope.jpg)\n```\n\n`![行内](nope.jpg)`\n")   # an image from another site is an error: test_sanitize.py
    root = tree(tmp_path, {A: article("title: 标题\ndate: 2021-12-28", body),
                           "content/images/2021/huodong.png": png(4, 3)})
    assert run_check(root).returncode == 0, report(root)


def test_body_image_in_another_folder_is_suggested(tmp_path):
    body = "![现场](images/huodong.png)\n"
    root = tree(tmp_path, {A: article("title: 标题\ndate: 2021-12-28", body),
                           "content/images/2021/huodong.png": png(4, 3)})
    expect(root, A, 5, "正文图片“images/huodong.png”不存在", "content/news/2021/images/huodong.png",
           "是不是 ../../images/2021/huodong.png？")


def test_body_image_in_another_case(tmp_path):
    body = "第一段。\n![现场](../../images/2021/HuoDong.PNG)\n"
    root = tree(tmp_path, {A: article("title: 标题\ndate: 2021-12-28", body),
                           "content/images/2021/huodong.png": png(4, 3)})
    expect(root, A, 6, "正文图片“../../images/2021/HuoDong.PNG”不存在", "../../images/2021/huodong.png")


def test_body_images_of_workers_and_pages(tmp_path):
    root = tree(tmp_path, {
        "content/workers/chen.md": article("name: 陈新", "![照片](../images/chen.jpg)\n"),
        "content/pages/about.md": article("title: 关于我们", "正文。\n\n![合影](../images/team.jpg)\n"),
    })
    expect(root, "content/workers/chen.md", 4, "正文图片“../images/chen.jpg”不存在", "content/images/chen.jpg")
    expect(root, "content/pages/about.md", 6, "正文图片“../images/team.jpg”不存在", "content/images/team.jpg")


def test_body_image_outside_the_site(tmp_path):
    root = tree(tmp_path, {A: article("title: 标题\ndate: 2021-12-28", "![x](../../../../etc/x.png)\n")})
    expect(root, A, 5, "正文图片“../../../../etc/x.png”不在网站目录中")


# ------------------------------------------------------------------ broken files that are referenced

def referencing(*refs: str) -> dict[str, str]:
    """Two articles naming the same brand or worker."""
    front = "\n".join(refs)
    return {"content/news/2021/a.md": article(f"title: 甲\ndate: 2021-12-28\n{front}"),
            "content/news/2021/b.md": article(f"title: 乙\ndate: 2021-12-29\n{front}")}


def assert_one_note(root, broken: str) -> None:
    """No reference is "unknown"; exactly one warning points at the broken file."""
    lines = problem_lines(run_check(root))
    assert not [ln for ln in lines if "找不到" in ln or "是不是" in ln or "请先在" in ln], lines
    notes = [ln for ln in lines if "本身有错误" in ln]
    assert len(notes) == 1, lines
    assert "警告" in notes[0] and f"{broken} 里的错误" in notes[0], notes


def test_brand_with_yaml_error(tmp_path):
    root = tree(tmp_path, {"brands/ke-gong-yi.md": "---\nname：柯工益\n---\n展示。\n",
                           **referencing("brands: [ke-gong-yi, 柯工益]")})
    expect(root, "brands/ke-gong-yi.md", 2, "“name”后面是中文冒号“：”")
    line = expect(root, "content/news/2021/a.md", 4, "品牌“ke-gong-yi”所在的文件", "本身有错误", warning=True)
    assert "brands/ke-gong-yi.md" in line
    assert_one_note(root, "brands/ke-gong-yi.md")


def test_brand_named_by_name_whose_name_line_is_unreadable(tmp_path):
    """The name cannot be read at all: the pinyin of the reference finds the file."""
    root = tree(tmp_path, {"brands/ke-gong-yi.md": "---\nslogan: \"没闭合\n---\n展示。\n",
                           **referencing("brands: 柯工益")})
    expect(root, "content/news/2021/a.md", 4, "品牌“柯工益”所在的文件", warning=True)
    assert_one_note(root, "brands/ke-gong-yi.md")


def test_brand_without_name(tmp_path):
    root = tree(tmp_path, {"brands/ke-gong-yi.md": "---\nslogan: 工会有为\n---\n展示。\n",
                           **referencing("brands: [ke-gong-yi]")})
    expect(root, "brands/ke-gong-yi.md", 1, "品牌缺少必填字段“name”")
    assert_one_note(root, "brands/ke-gong-yi.md")


def test_brand_dropped_as_a_duplicate_name(tmp_path):
    """ke-gong-sai-2.md is read first; ke-gong-sai.md, same name, gets the error, and
    references to its id get the note (not "找不到品牌“ke-gong-sai”")."""
    root = tree(tmp_path, {"brands/ke-gong-sai-2.md": BRAND, **referencing("brands: [ke-gong-sai]")})
    expect(root, "brands/ke-gong-sai.md", 2, "品牌名称“柯工赛”", "重复")
    assert_one_note(root, "brands/ke-gong-sai.md")


def test_worker_with_yaml_error(tmp_path):
    root = tree(tmp_path, {"content/workers/shen-jianhua.md": "---\nname：沈建华\n---\n档案。\n",
                           **referencing("workers: [shen-jianhua, 沈建华]")})
    expect(root, "content/workers/shen-jianhua.md", 2, "“name”后面是中文冒号“：”")
    expect(root, "content/news/2021/a.md", 4, "劳模工匠“shen-jianhua”所在的文件", warning=True)
    assert_one_note(root, "content/workers/shen-jianhua.md")


def test_link_to_a_broken_article(tmp_path):
    root = tree(tmp_path, {
        "content/news/2021/kegong-brand.md": article("title: 近似的名字\ndate: 2021-12-20"),
        "content/news/2021/broken.md": article("title: 坏的\ndate: 明天"),
        A: article("title: 标题\ndate: 2021-12-29", "见[那篇](broken.md)。\n"),
    })
    expect(root, "content/news/2021/broken.md", 3, "发布时间")
    expect(root, A, 5, "链接“broken.md”指向的文章所在的文件", "content/news/2021/broken.md", warning=True)
    assert_one_note(root, "content/news/2021/broken.md")


def test_duplicate_url_reported_at_the_copy(tmp_path):
    """a-copy.md sorts first, but kegong-brands.md is named by its slug: the copy gets the error."""
    root = tree(tmp_path, {"content/news/2021/a-copy.md": article(
        "title: 副本\ndate: 2021-12-28 09:30\nslug: kegong-brands")})
    expect(root, "content/news/2021/a-copy.md", 4, "/news/2021/12/kegong-brands/", "重复",
           "content/news/2021/kegong-brands.md")
    assert "content/news/2021/kegong-brands.md:" not in report(root)


# ------------------------------------------------------------------ paths from the wrong folder

def test_image_path_starting_with_content(tmp_path):
    root = tree(tmp_path, {A: article("title: 标题\ndate: 2021-12-28\nimage: content/images/2021/x.png"),
                           "content/images/2021/x.png": png(4, 3)})
    line = expect(root, A, 4, "题图“content/images/2021/x.png”不存在", "开头不要再写 content/",
                  "请写成 images/2021/x.png")
    assert "content/content/" not in line


def test_logo_path_without_brands(tmp_path):
    root = tree(tmp_path, {"brands/ke-gong-yi.md": article("name: 柯工益\nlogo: img/ke-gong-yi.svg"),
                           "brands/img/ke-gong-yi.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"/>'})
    line = expect(root, "brands/ke-gong-yi.md", 3, "品牌标志“img/ke-gong-yi.svg”不存在",
                  "要以 brands/ 开头", "请写成 brands/img/ke-gong-yi.svg")
    assert "文件应放在 img/" not in line


def test_honor_year_at_its_own_line(tmp_path):
    root = tree(tmp_path, {"content/workers/shen.md": article(
        "name: 沈建华\nhonors:\n  - 全国劳动模范\n  - title: 浙江工匠\n    year: 二〇二一")})
    expect(root, "content/workers/shen.md", 6, "荣誉“浙江工匠”的年份应是四位数字")
