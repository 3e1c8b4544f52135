"""The indexer's priority: a cold build's index yields the CPU to page rendering (nice 10); a
warm build's few changed shards, what a new article's build waits for last, run at the build's
own priority (search/indexer.py: ``niceness``, WARM_NICENESS). Checked in real child processes."""
from __future__ import annotations

import os
import subprocess
import sys
from types import SimpleNamespace

from newsroom.search import indexer as search_indexer


def _niceness_in_child(planned: int, env: dict[str, str]) -> int:
    probe = ("from newsroom.search.indexer import _yield_to_rendering; import os; "
             f"_yield_to_rendering({planned}); print(os.nice(0))")
    out = subprocess.run([sys.executable, "-c", probe], env={**search_indexer._indexer_env(), **env},
                         capture_output=True, text=True, check=True)
    return int(out.stdout)


def test_the_indexer_takes_the_planned_niceness_unless_the_environment_says(monkeypatch):
    monkeypatch.delenv(search_indexer.NICE_VAR, raising=False)
    base = os.nice(0)
    assert _niceness_in_child(search_indexer.INDEX_NICENESS, {}) == min(19, base + search_indexer.INDEX_NICENESS)
    assert _niceness_in_child(search_indexer.WARM_NICENESS, {}) == base + search_indexer.WARM_NICENESS
    assert _niceness_in_child(0, {search_indexer.NICE_VAR: "5"}) == min(19, base + 5)   # a benchmark's choice


def test_only_a_warm_build_with_few_shards_to_index_runs_at_the_builds_priority():
    def planned(to_index: int, linked: int) -> list:
        return [SimpleNamespace(kept=None)] * to_index + [SimpleNamespace(kept=object())] * linked

    few, many = search_indexer.FEW_SHARDS, search_indexer.FEW_SHARDS + 1
    assert search_indexer.niceness(planned(1, 15), warm=True) == search_indexer.WARM_NICENESS
    assert search_indexer.niceness(planned(few, 14), warm=True) == search_indexer.WARM_NICENESS
    assert search_indexer.niceness(planned(many, 13), warm=True) == search_indexer.INDEX_NICENESS  # a brand renamed
    assert search_indexer.niceness(planned(1, 0), warm=False) == search_indexer.INDEX_NICENESS      # cold, preview
    assert search_indexer.WARM_NICENESS < search_indexer.INDEX_NICENESS
