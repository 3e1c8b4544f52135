"""The indexer process is started before the shards are planned (search/indexer.py): a plan
that fails leaves no indexer running."""
from __future__ import annotations

import subprocess

import pytest

from newsroom.search import indexer


def test_a_failing_plan_stops_the_indexer(tmp_path, monkeypatch):
    started: list[subprocess.Popen] = []
    real_popen = subprocess.Popen

    def popen(*args, **kwargs):
        started.append(real_popen(*args, **kwargs))
        return started[-1]

    def plan(*args, **kwargs):
        raise RuntimeError("the plan failed")

    monkeypatch.setattr(indexer.subprocess, "Popen", popen)
    monkeypatch.setattr(indexer, "plan_shards", plan)
    with pytest.raises(RuntimeError, match="the plan failed"):
        indexer.IndexJob(object(), tmp_path / "site")       # type: ignore[arg-type]
    assert len(started) == 1 and started[0].poll() is not None     # killed and reaped
    assert not (tmp_path / "site").exists()
