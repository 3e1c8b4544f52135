"""Topics (专题, content/topics/<id>.md): read, checked, and filled with their articles.

A topic's sections name articles two ways: by tag (every published article with one
of the tags, newest first) and by path (``2024/kuaidi-xiaoge``: the file
content/news/2024/kuaidi-xiaoge.md, in the order written). The graph calls
``topic_from`` for each file and ``fill_topics`` once its articles are indexed.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any, Iterable, Optional

from ..core import ids
from ..core.model import SCHEMAS, Article, Topic, TopicSection
from ..core.settings import Settings
from ..core.problems import Problem, short
from .fields import Reader
from .load import RawDoc

_OWN = ("sections",)            # read here, not by Reader.read (a list of field groups)


@dataclass
class TopicArticles:
    """What the graph knows of a topic once filled: each section's articles, in order."""

    topic: Topic
    sections: list[tuple[TopicSection, list[Article]]] = field(default_factory=list)

    def articles(self) -> Iterable[Article]:
        return (a for _, listed in self.sections for a in listed)


def topic_from(doc: RawDoc, stem: str, settings: Settings) -> tuple[Optional[Topic], list[Problem]]:
    problems: list[Problem] = []
    schema = SCHEMAS["topic"]
    r = Reader(doc, "topic", settings.tz, problems)
    r.check_fields(schema.table())
    ok = _check_stem(doc, stem, problems) & r.check_required()
    values = r.read(f for f in schema.fields() if f.name not in _OWN)
    sections = _sections(r)
    if not ok or values["start"] is None or not values["title"]:
        return None, problems
    if values["end"] is not None and values["end"] < values["start"]:
        problems.append(Problem(doc.path, r.line("end"),
                                f"{r.named('end')} {values['end']:%Y-%m-%d} 早于{r.named('start')} {values['start']:%Y-%m-%d}",
                                "请检查 start 和 end 是否写反或打错"))
        return None, problems
    return schema.model(id=stem, source=r.source(), body=doc.body, sections=sections, **values), problems


def _check_stem(doc: RawDoc, stem: str, problems: list[Problem]) -> bool:
    if ids.is_valid_id(stem) and not ids.is_reserved(stem):
        return True
    title = doc.meta.get("title")
    better = ids.suggest_id(title if isinstance(title, str) and title.strip() else stem, "zhuan-ti")
    problems.append(Problem(doc.path, 1, f"文件名“{short(stem)}”不能用作专题的网址：只能用小写英文字母、数字和 -，"
                                         "也不能是 index、page、feed", f"请把文件改名为 {better}.md"))
    return False


def _sections(r: Reader) -> list[TopicSection]:
    raw = r.doc.meta.get("sections")
    if raw is None or raw == "":
        return []
    if not isinstance(raw, list):
        r.error("sections", f"{r.named('sections')}应是列表，每项写 title 和 tags 或 articles",
                "例如\nsections:\n  - title: 活动动态\n    tags: [送清凉]")
        return []
    out = []
    for index, item in enumerate(raw):
        section = _section(r, item, index)
        if section is not None:
            out.append(section)
    return out


def _section(r: Reader, item: Any, index: int) -> Optional[TopicSection]:
    line = r.doc.item_line("sections", index)
    title = item.get("title") if isinstance(item, dict) else None
    if not isinstance(title, str) or not title.strip():
        r.problems.append(Problem(r.doc.path, line, f"第 {index + 1} 个子栏目缺少标题 title",
                                  "每个子栏目写成 - title: 栏目名，下一行写 tags: [...] 或 articles: [...]"))
        return None
    title = title.strip()
    tags = _names(r, item, "tags", title, line)
    articles = _names(r, item, "articles", title, line)
    unknown = [str(k) for k in item if k not in ("title", "tags", "articles")]
    if unknown:
        r.problems.append(Problem(r.doc.path, r.doc.item_line("sections", index, unknown[0]),
                                  f"子栏目“{short(title)}”里的“{short(unknown[0])}”不认识",
                                  "子栏目只能写 title、tags、articles"))
    if not tags and not articles:
        r.problems.append(Problem(r.doc.path, line, f"子栏目“{short(title)}”既没有 tags 也没有 articles，不会列出任何文章",
                                  "加一行 tags: [标签]（列出带这些标签的文章），或 articles: [年份/文件名]"))
        return None
    return TopicSection(title, tags, articles, line, r.doc.item_line("sections", index, "articles"))


def _names(r: Reader, item: dict, key: str, title: str, line: int) -> tuple[str, ...]:
    value = item.get(key)
    if value is None or value == "":
        return ()
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        r.problems.append(Problem(r.doc.path, line, f"子栏目“{short(title)}”的 {key} 应是文字的列表",
                                  f"例如 {key}: [甲, 乙]"))
        return ()
    return tuple(v.strip() for v in values if v.strip())


def article_src(ref: str) -> str:
    """``2024/kuaidi-xiaoge`` -> ``news/2024/kuaidi-xiaoge.md`` (a copied ``content/news/…md`` too)."""
    path = ref.strip().strip("/").removeprefix("content/").removeprefix("news/").removesuffix(".md")
    return f"news/{path}.md"


def fill_topics(topics: Iterable[Topic], by_src: dict[str, Article], by_tag: dict[str, list[Article]],
                unpublished: set[str], broken: set[str], problems: list[Problem]) -> list[TopicArticles]:
    """Each section's articles: named ones in order, then tagged ones newest first.

    A named article that is a draft or scheduled is left out until it publishes; one
    whose file has errors of its own is not reported again here."""
    filled = []
    for topic in topics:
        t = TopicArticles(topic)
        for section in topic.sections:
            named = _named(topic, section, by_src, unpublished | broken, problems)
            tagged = sorted({id(a): a for tag in section.tags for a in by_tag.get(tag, [])}.values(),
                            key=lambda a: a.sort_key, reverse=True)
            t.sections.append((section, named + [a for a in tagged if a not in named]))
        filled.append(t)
    return filled


def _named(topic: Topic, section: TopicSection, by_src: dict[str, Article], known: set[str],
           problems: list[Problem]) -> list[Article]:
    out: list[Article] = []
    for ref in section.articles:
        src = article_src(ref)
        article = by_src.get(src)
        if article is not None:
            if article not in out:
                out.append(article)
        elif src not in known:
            choices = [s.removeprefix("news/").removesuffix(".md") for s in (*by_src, *known)]
            close = difflib.get_close_matches(src.removeprefix("news/").removesuffix(".md"), choices, 1, 0.6)
            hint = f"是不是 {close[0]}？" if close else "写 content/news/ 下的路径，不带 .md，例如 2021/kegong-brands"
            problems.append(Problem(topic.source.path, section.articles_line,
                                    f"子栏目“{short(section.title)}”列出的文章“{short(ref)}”不存在"
                                    f"（找不到 content/{src}）", hint))
    return out
