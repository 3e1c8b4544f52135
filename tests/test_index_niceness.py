"""The indexer's priority: a cold build's index yields the CPU to page rendering (nice 10); a
warm build's few changed shards, what a new article's build waits for last, run at the build's
own priority (search/indexer.py, WARM_NICENESS). Checked in real child processes."""
from __future__ import annotations

import os
import subprocess
import sys

from newsroom.search import indexer as search_indexer

PROBE = ("from newsroom.search.indexer import _yield_to_rendering; import os; "
         "_yield_to_rendering(); print(os.nice(0))")


def _niceness_in_child(env: dict[str, str]) -> int:
    out = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True)
    return int(out.stdout)


def test_a_cold_index_yields_and_a_warm_one_does_not(monkeypatch):
    monkeypatch.delenv(search_indexer.NICE_VAR, raising=False)
    base = os.nice(0)
    assert _niceness_in_child(search_indexer._indexer_env(warm=False)) == min(19, base + search_indexer.INDEX_NICENESS)
    assert _niceness_in_child(search_indexer._indexer_env(warm=True)) == base + search_indexer.WARM_NICENESS
    monkeypatch.setenv(search_indexer.NICE_VAR, "5")           # a benchmark's choice wins
    assert _niceness_in_child(search_indexer._indexer_env(warm=True)) == min(19, base + 5)


def test_the_job_passes_warm_only_with_kept_shards(tmp_path, monkeypatch):
    """IndexJob: ``reuse`` (a warm build's kept shards) makes it warm; the preview's refresh
    and a cold build (no ``reuse``) keep the index at the lower priority."""
    seen = []
    monkeypatch.delenv(search_indexer.NICE_VAR, raising=False)
    real = search_indexer._indexer_env
    monkeypatch.setattr(search_indexer, "_indexer_env", lambda warm=False: seen.append(warm) or real(warm))
    monkeypatch.setattr(search_indexer, "_INDEXER", "import sys; sys.stdin.buffer.read(); print('\"\"')")
    monkeypatch.setattr(search_indexer, "_work", lambda *a: b"")

    class Kept:                        # a stand-in ShardReuse: only its presence matters here
        pass

    search_indexer.IndexJob(None, tmp_path / "a").finish()
    search_indexer.IndexJob(None, tmp_path / "b", reuse=Kept()).finish()
    assert seen == [False, True]
