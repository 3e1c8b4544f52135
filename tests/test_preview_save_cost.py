"""The live preview's per-save bookkeeping: the collector paused during a save and run after
it (core/memory.collector_paused, LivePreview.collect), and MkDocs' documentation pages
walked only when a save added or dropped one."""
from __future__ import annotations

import gc
import weakref

from test_incremental import _article, _assert_same_as_clean, _edit, preview  # noqa: F401 (fixture)


def test_collector_paused_restores_what_it_found():
    from newsroom.core.memory import collector_paused

    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()            # it was off: it stays off
    finally:
        gc.enable()


class _Cycle:
    def __init__(self) -> None:
        self.me = self


def test_a_save_pauses_the_collector_and_collect_frees_its_garbage(preview, tmp_path):
    race = preview.tree / "content/news/2021/race-23.md"
    _edit(race, "技能比武第23场", "技能比武第二十三场（更正）")
    during: list[bool] = []
    garbage = _Cycle()
    gone = weakref.ref(garbage)
    del garbage                               # a cycle: only the collector frees it
    preview.update(lambda: during.append(gc.isenabled()))
    assert during == [False]                  # no automatic collection while the pages are made
    assert gc.isenabled()                     # on again once the save is written
    preview.collect()
    assert gone() is None
    page = (preview.site_dir / "news/2021/12/race-23/index.html").read_text(encoding="utf-8")
    assert "技能比武第二十三场（更正）" in page
    _assert_same_as_clean(preview, tmp_path)


def test_documentation_pages_follow_added_and_deleted_articles(preview, tmp_path):
    files = preview.plugin.files
    (preview.tree / "content/news/2021/title-only.md").write_text(_article("只改标题", "2021-02-03 08:00"),
                                                                 encoding="utf-8")
    preview.update()                          # a new page: the list is walked again
    assert preview._doc_files == files.documentation_pages()
    assert "news/2021/title-only.md" in {f.src_uri for f in preview._doc_files}
    kept = preview._doc_files
    _edit(preview.tree / "content/news/2021/title-only.md", "只改标题", "只改了标题")
    preview.update()                          # the same pages: the same list, not walked again
    assert preview._doc_files is kept
    (preview.tree / "content/news/2021/title-only.md").unlink()
    preview.update()
    assert preview._doc_files is None or preview._doc_files == files.documentation_pages()
    assert "news/2021/title-only.md" not in {f.src_uri for f in files.documentation_pages()}
    _assert_same_as_clean(preview, tmp_path)


def test_a_brand_chart_of_the_same_dates_is_the_very_same_chart():
    """Brand pages' charts are made on every save of the preview: equal dates give the chart made
    last time (a frozen dataclass: the digest finds it by id), other dates a new one."""
    import datetime as dt
    from types import SimpleNamespace

    from newsroom.pages import charts

    tz = dt.timezone(dt.timedelta(hours=8))
    dated = [SimpleNamespace(date=dt.datetime(2022, m, 1, tzinfo=tz)) for m in (3, 3, 5)]
    until = dt.datetime(2022, 8, 1, tzinfo=tz)
    first = charts.activity(dated, until=until)
    assert first is not None and first.total == 3
    assert charts.activity(list(dated), until=until) is first
    other = charts.activity(dated[:2], until=until)
    assert other is not first and other.total == 2
