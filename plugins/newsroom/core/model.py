"""The content model: what editors write, as typed Python objects.

Plain dataclasses that know nothing of MkDocs. URLs are site-root-relative
strings without a leading slash (``news/2021/12/kegong-brands/``), the form
MkDocs uses for ``File.url``; templates turn them into relative links and
feeds into absolute ones.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from typing import Optional

from .media import Video
from .print_ref import PrintRef
from .schema import F, Schema, fm


@dataclass
class SourceRef:
    """Where an entity came from: for editors' messages (``path:line``)."""

    path: str                       # as the editor knows it, e.g. content/news/2021/x.md
    lines: dict[str, int] = field(default_factory=dict)   # front-matter key -> line
    body_line: int = 1              # first line of the Markdown body

    def line_of(self, key: str) -> int:
        return self.lines.get(key, 1)


@dataclass(frozen=True)
class GalleryPhoto:
    """One photo of an article's gallery (图集): ``{image, caption, credit}`` in front matter."""

    image: str                      # path under content/, like ``image``
    caption: str = ""
    credit: str = ""
    line: int = 1                   # its line in the file, for messages


@dataclass
class Honor:
    title: str
    year: Optional[int] = None

    def __str__(self) -> str:
        return f"{self.year}年 {self.title}" if self.year else self.title


# Region, as articles, brands and workers all have it.
def _region(listed: bool = False, search: tuple = ()) -> F:
    return F("text", zh="地区", aliases=("地区",), new="region:", listed=listed, search=search, facet="region")


@dataclass
class Brand:
    """A union brand (brands/<id>.md). Its front matter is the ``fm`` fields, in this order."""

    id: str
    name: str = fm(F("text", zh="名称", required=True, aliases=("名称",), new="name: {title}",
                     search=("head", 0), facet="brand"))
    source: SourceRef
    body: str = ""
    slogan: str = fm(F("text", zh="口号", new="slogan:", search=("prose", 0)), "")
    owner: str = fm(F("text", zh="主办单位", new="owner:", search=("meta", 1)), "")
    region: str = fm(_region(search=("meta", 3)), "")
    family: str = fm(F("text", zh="品牌矩阵", new="family:", search=("meta", 2)), "")
    attribute: str = fm(F("text", zh="品牌属性", search=("meta", 0)), "")
    since: Optional[int] = fm(F("year", zh="创立年份", new="since: {date:%Y}"), None)
    logo: str = ""                  # site-relative URL of the copied logo, '' if none
    # The logo path as written (relative to the site root).
    logo_src: str = fm(F("path", zh="标志", key="logo", aliases=("标志",), new="# logo: brands/img/{id}.svg"), "")

    @property
    def url(self) -> str:
        return f"brands/{self.id}/"

    @property
    def feed_url(self) -> str:
        return f"brands/{self.id}/feed.xml"

    @property
    def src_uri(self) -> str:
        return f"brands/{self.id}.md"


@dataclass
class Worker:
    """A model worker or craftsman (content/workers/<id>.md). Front matter: the ``fm`` fields."""

    id: str
    name: str = fm(F("text", zh="名称", required=True, aliases=("名称",), new="name: {title}",
                     search=("head", 0)))
    source: SourceRef
    body: str = ""
    honors: list[Honor] = fm(F("honors", zh="荣誉", aliases=("honor", "荣誉"), search=("meta", 0),
                               new="honors: []              # 例如 [全国劳动模范] 或 {{title: 浙江工匠, year: 2021}}"),
                             default_factory=list)
    occupation: str = fm(F("text", zh="职业", aliases=("job",), new="occupation:", search=("meta", 1)), "")
    employer: str = fm(F("text", zh="工作单位", aliases=("company",), new="employer:", search=("meta", 2)), "")
    region: str = fm(_region(search=("meta", 3)), "")
    # Path under content/, '' if none.
    photo: str = fm(F("path", zh="照片", new="# photo: images/workers/{id}.jpg"), "")

    @property
    def url(self) -> str:
        return f"workers/{self.id}/"

    @property
    def src_uri(self) -> str:
        return f"workers/{self.id}.md"

    @property
    def feed_url(self) -> str:
        return f"workers/{self.id}/feed.xml"


@dataclass
class Article:
    """A news article (content/news/**/<slug>.md). Its front matter is the ``fm`` fields, in
    this order (the order of ``newsroom new``'s skeleton and of "可用字段" in messages)."""

    src_uri: str                    # path under content/, e.g. news/2021/kegong.md
    title: str = fm(F("text", zh="标题", required=True, aliases=("标题",), new="title: {title}",
                      search=("head", 0), listed=True, feed=("extension",)))
    # Timezone-aware.
    date: dt.datetime = fm(F("datetime", zh="发布时间", required=True, aliases=("日期", "时间", "published"),
                             new="date: {date:%Y-%m-%d %H:%M}", listed=True))
    source: SourceRef               # where the file is (the front matter's `source` is `dateline`)
    body: str = ""
    kicker: str = fm(F("text", zh="引题", aliases=("引题",), new="kicker:                 # 引题（可不填）",
                       search=("head", 1), listed=True, feed=("kicker",)), "")
    subtitle: str = fm(F("text", zh="副题", aliases=("副题",), new="subtitle:               # 副题（可不填）",
                         search=("head", 2), listed=True, feed=("subhead",)), "")
    reporters: list[str] = fm(F("list", zh="记者", aliases=("reporter", "author", "authors", "记者"),
                                search=("meta", 6), listed=True, feed=("byline",)), default_factory=list)
    correspondents: list[str] = fm(F("list", zh="通讯员", aliases=("correspondent", "通讯员"),
                                     search=("meta", 6), listed=True, feed=("byline",)), default_factory=list)
    # 本报讯, 柯桥日报 ...
    dateline: str = fm(F("text", zh="来源", key="source", new="source: 本报讯", search=("meta", 5), listed=True), "")
    region: str = fm(_region(listed=True, search=("meta", 2)), "")
    brand_refs: list[str] = fm(F("list", zh="品牌", key="brands", aliases=("brand", "品牌"), ref="brand",
                                 new="brands: []              # 品牌 id 或名称", hint="品牌 id 或名称",
                                 search=("meta", 0), listed=True, facet="brand", feed=("category",)),
                             default_factory=list)
    worker_refs: list[str] = fm(F("list", zh="劳模工匠", key="workers", aliases=("worker", "劳模"), ref="worker",
                                  new="workers: []             # 劳模工匠 id 或姓名", hint="劳模工匠 id 或姓名",
                                  search=("meta", 1), listed=True), default_factory=list)
    tags: list[str] = fm(F("list", zh="标签", aliases=("tag", "标签", "categories"), new="tags: []",
                           search=("meta", 3), listed=True, feed=("category",)), default_factory=list)
    column: str = fm(F("text", zh="栏目", aliases=("category", "栏目"), new="column:", search=("meta", 4),
                       listed=True), "")
    # Path under content/.
    image: str = fm(F("path", zh="题图", aliases=("photo", "picture", "cover", "图片", "照片"),
                      new="# image: images/{date:%Y}/{id}.jpg", listed=True, feed=("image",)), "")
    image_caption: str = fm(F("text", zh="图片说明", aliases=("caption",), new="# image_caption:",
                              search=("meta", 7), listed=True, feed=("caption",)), "")
    image_credit: str = fm(F("text", zh="摄影", aliases=("credit",), new="# image_credit: 通讯员 某某 摄",
                             listed=True, feed=("credit",)), "")
    # A photo story (图集): swipeable on phones, every photo also a feed media item.
    gallery: list[GalleryPhoto] = fm(F("gallery", zh="图集", aliases=("图集", "photos", "组图"), new=None,
                                       hint="每张一项：image 图片路径，caption 说明，credit 摄影"),
                                     default_factory=list)
    # Where the 1200x630 sharing card is centred in the lead photo: "x,y", each 0-1 (photos/focus.py).
    image_focus: str = fm(F("text", zh="图片焦点", aliases=("focus", "焦点"), new=None,
                            hint="分享卡片从题图裁切时的中心：横向,纵向，各 0 到 1，例如 0.5,0.3"), "")
    # A self-hosted MP4 with its poster and WebVTT captions, paths under content/ (content/video.py).
    video: str = fm(F("path", zh="视频", aliases=("视频",), new=None, hint="content/ 下的 MP4 文件"), "")
    video_poster: str = fm(F("path", zh="视频封面", aliases=("poster",), new=None), "")
    video_captions: str = fm(F("path", zh="视频字幕", aliases=("captions", "subtitles", "字幕"), new=None,
                               hint="WebVTT（.vtt）中文字幕"), "")
    summary: str = fm(F("text", zh="摘要", aliases=("description", "摘要"), new=None, search=("prose", 0),
                        listed=True, feed=("summary",)), "")
    featured: bool = fm(F("bool", zh="头条", new=None, listed=True), False)
    # Holds a lead (焦点) slot of the home page until then (content/pins.py).
    pinned_until: Optional[dt.datetime] = fm(F("datetime", zh="置顶至", aliases=("置顶",), new=None,
                                               hint="到这个时间之前，文章留在首页焦点位置"), None)
    draft: bool = fm(F("bool", zh="草稿", new="draft: true             # 写好后删掉这一行即可发布"), False)
    updated: Optional[dt.datetime] = fm(F("datetime", zh="更新时间", aliases=("modified", "lastmod"), new=None,
                                          listed=True), None)
    slug: str = fm(F("text", zh="网址名", new=None), "")
    # Where it appeared in the print edition (content/epaper.py reads and checks it).
    print_ref: Optional[PrintRef] = fm(F("print", zh="见报", key="print", aliases=("见报", "版面"), new=None,
                                         hint="见报的版面：{edition: 日期, page: 版次, area: [x, y, 宽, 高]}"), None)
    # Filled in by the graph once references are resolved.
    brands: list[Brand] = field(default_factory=list)
    workers: list[Worker] = field(default_factory=list)
    video_file: Optional[Video] = None      # the checked video (content/video.py)

    # Cached: listings, feeds and digests ask for these millions of times on a large
    # site, and an article's date and slug never change once it is loaded.
    @cached_property
    def url(self) -> str:
        return f"news/{self.date.year:04d}/{self.date.month:02d}/{self.slug}/"

    @property
    def year(self) -> int:
        return self.date.year

    @property
    def modified(self) -> dt.datetime:
        return self.updated or self.date

    @cached_property
    def timestamp(self) -> float:
        """Seconds since the epoch (comparing distances in time without datetime arithmetic)."""
        return self.date.timestamp()

    @cached_property
    def sort_key(self) -> tuple[dt.datetime, str]:
        # Newest first everywhere; the URL breaks ties so order is stable.
        return (self.date, self.url)

    def is_public(self, now: dt.datetime) -> bool:
        """Published: not a draft, and dated at or before ``now`` (the build's time).

        The one rule for the graph (what the site lists), feeds and the news sitemap:
        ``serve --drafts`` puts the others in the graph, never in feeds or sitemaps."""
        return not self.draft and self.date <= now


@dataclass
class FreePage:
    """The front matter of a free page (content/pages/): MkDocs renders the page itself,
    and the theme shows these fields."""

    title: str = fm(F("text", zh="标题", required=True, aliases=("标题",)))
    description: str = fm(F("text", zh="简介"), "")
    author: str = fm(F("text", zh="作者"), "")


@dataclass(frozen=True)
class TopicSection:
    """One sub-column of a topic: the articles with any of ``tags`` (newest first), after
    the ``articles`` named (paths under content/news/ without .md, in that order)."""

    title: str
    tags: tuple[str, ...] = ()
    articles: tuple[str, ...] = ()
    line: int = 1                   # of its `- title:` line, for messages
    articles_line: int = 1          # of its `articles:` line


@dataclass
class Topic:
    """A topic (专题, content/topics/<id>.md). Its front matter is the ``fm`` fields, in order."""

    id: str
    title: str = fm(F("text", zh="标题", required=True, aliases=("标题",), new="title: {title}",
                      search=("head", 0)))
    start: dt.datetime = fm(F("datetime", zh="开始日期", required=True, aliases=("开始", "begin"),
                              new="start: {date:%Y-%m-%d}"))
    source: SourceRef
    body: str = ""
    # A date alone means the end of that day (``ends``); after it the topic is 往期.
    end: Optional[dt.datetime] = fm(F("datetime", zh="结束日期", aliases=("结束", "until"),
                                      new="end:                    # 结束日期：过了这一天，专题归入往期专题"), None)
    # Path under content/, '' if none.
    banner: str = fm(F("path", zh="专题横幅", aliases=("横幅", "banner_image"),
                       new="# banner: images/topics/{id}.svg"), "")
    summary: str = fm(F("text", zh="摘要", new="summary:                # 一句话介绍", search=("prose", 0)), "")
    sections: list[TopicSection] = fm(F("sections", zh="子栏目", aliases=("子栏目",), new=(
        "sections:               # 子栏目，按这个顺序显示\n"
        "  - title: 活动动态\n"
        "    tags: []             # 带这些标签的文章，新的在前\n"
        "# - title: 一线风采\n"
        "#   articles: []         # 或者列出文章：content/news/ 下的路径，不带 .md，按这个顺序")),
        default_factory=list)

    @property
    def url(self) -> str:
        return f"topics/{self.id}/"

    @property
    def src_uri(self) -> str:
        return f"topics/{self.id}.md"

    @property
    def ends(self) -> Optional[dt.datetime]:
        """The last moment of the topic: a date alone (midnight) lasts the whole day."""
        if self.end is None or self.end.timetz().replace(tzinfo=None) != dt.time(0):
            return self.end
        return self.end + dt.timedelta(days=1, microseconds=-1)

    def is_active(self, now: dt.datetime) -> bool:
        """Started and not yet over (as of the build's time)."""
        return self.start <= now and (self.ends is None or now <= self.ends)


# Every kind of entity editors write, by kind: the registry. ``Schema.fields()`` lists its
# front matter; its folder, layout and URL folder say where its files are (content/graph.py
# walks them, ``newsroom new`` writes them). A new kind is one more line here (or
# ``register(Schema(...))`` below its model).
SCHEMAS: dict[str, Schema] = {}


def register(schema: Schema) -> Schema:
    """Add a kind of entity to the registry (the graph loads it, ``newsroom new`` makes it)."""
    SCHEMAS[schema.kind] = schema
    return schema


for _schema in (
    Schema("article", "文章", Article, new_body="在这里写正文。", folder="news", layout="dated", search="years"),
    Schema("brand", "品牌", Brand, new_body="在这里写品牌介绍。", root="brands", unique_name=True,
           search="entities"),
    Schema("worker", "劳模工匠", Worker, new_body="在这里写人物介绍。", folder="workers", search="entities"),
    Schema("page", "页面", FreePage, folder="pages", layout="tree", urls="", new=False),
    Schema("topic", "专题", Topic, new_body="在这里写专题导语。", folder="topics", search="entities"),
):
    register(_schema)


# ---------------------------------------------------------------- notices (通知公告)

NOTICE_CATEGORIES = ("通知", "公告", "公示", "政策文件")
NOTICE_STATUSES = ("有效", "已废止", "已修订")


@dataclass(frozen=True)
class Attachment:
    """A file a notice links to, under content/files/, with what readers see of it."""

    path: str                       # under content/, e.g. files/2024/baoming.xlsx
    title: str
    kind: str                       # PDF, Word, Excel, ZIP
    size: int                       # bytes


@dataclass
class Notice:
    """A notice or policy document (content/notices/**/<slug>.md). Front matter: the ``fm`` fields."""

    src_uri: str                    # path under content/, e.g. notices/2024/songqingliang.md
    title: str = fm(F("text", zh="标题", required=True, aliases=("标题",), new="title: {title}",
                      search=("head", 0), listed=True))
    date: dt.datetime = fm(F("datetime", zh="发布时间", required=True, aliases=("日期", "时间", "published"),
                             new="date: {date:%Y-%m-%d %H:%M}", listed=True))
    source: SourceRef
    body: str = ""
    category: str = fm(F("text", zh="类别", required=True, aliases=("类别", "分类"), search=("meta", 0),
                         new="category: 通知           # 通知、公告、公示 或 政策文件", listed=True,
                         hint="通知、公告、公示 或 政策文件", facet="category", feed=("category", "extension")), "")
    # 文号 before 发文机关: the order of a notice's facts in its feed item.
    doc_number: str = fm(F("text", zh="文号", aliases=("文号", "发文字号"), search=("head", 1),
                           new="doc_number:             # 文号，例如 柯工〔{date:%Y}〕1号", listed=True,
                           feed=("fact",)), "")
    issuer: str = fm(F("text", zh="发文机关", required=True, aliases=("发文机关", "发文单位"), search=("meta", 1),
                       new="issuer: 柯桥区总工会       # 发文机关", listed=True, feed=("author", "fact")), "")
    written: Optional[dt.datetime] = fm(F("datetime", zh="成文日期", aliases=("成文日期",),
                                          new="written: {date:%Y-%m-%d}     # 成文日期"), None)
    status: str = fm(F("text", zh="状态", aliases=("状态",), new="status: 有效             # 有效、已废止 或 已修订",
                       hint="有效、已废止 或 已修订", feed=("fact",)), "有效")
    replaced_by: str = fm(F("text", zh="替代文件", aliases=("替代",), ref="notice",
                            new="# replaced_by:          # 替代它的通知：content/notices/ 下的路径，不带 .md",
                            hint="content/notices/ 下的路径，不带 .md"), "")
    expires: Optional[dt.datetime] = fm(F("datetime", zh="截止日期", aliases=("截止日期", "截止"),
                                          new="# expires:              # 公示或报名的截止日期"), None)
    pinned_until: Optional[dt.datetime] = fm(F("datetime", zh="置顶至", aliases=("置顶",),
                                               new="# pinned_until:         # 在通知公告栏置顶到这一天"), None)
    attachments: list[Attachment] = fm(F("attachments", zh="附件", aliases=("附件",),
                                         new="attachments: []         # 附件：- {{file: files/{date:%Y}/x.pdf, title: 名称}}",
                                         hint="content/files/ 下的 PDF、Word、Excel 或 ZIP 文件"),
                                       default_factory=list)
    draft: bool = fm(F("bool", zh="草稿", new="draft: true             # 写好后删掉这一行即可发布"), False)
    slug: str = ""

    @cached_property
    def url(self) -> str:
        return f"notices/{self.date.year:04d}/{self.date.month:02d}/{self.slug}/"

    @property
    def ref(self) -> str:
        """How ``replaced_by`` names it: its path under content/notices/, without .md."""
        return self.src_uri.removeprefix("notices/").removesuffix(".md")

    @property
    def modified(self) -> dt.datetime:
        return self.date

    def is_public(self, now: dt.datetime) -> bool:
        return not self.draft and self.date <= now

    def is_pinned(self, now: dt.datetime) -> bool:
        return self.pinned_until is not None and self.pinned_until > now

    def is_closed(self, now: dt.datetime) -> bool:
        """A 公示 or a call past its ``expires`` (as of the build)."""
        return self.expires is not None and self.expires < now


register(Schema("notice", "通知公告", Notice, new_body="在这里写通知正文。", folder="notices", layout="dated",
                search="years", shard="n"))
