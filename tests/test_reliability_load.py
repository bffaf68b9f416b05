"""Endpoint under load while a build ingests into the same OUT (a short run of ``benchmarks/bench_load.py``):
8 concurrent clients, no errors, no wrong answers (the server answers from its start-time snapshot), and the
build completes with every new document."""
from __future__ import annotations

import pytest

from benchmarks.bench_load import run_load

pytestmark = [pytest.mark.server, pytest.mark.model]


def test_eight_clients_during_a_concurrent_build(tmp_path):
    result = run_load(clients=8, queries=25, docs=40, workers=2, work=tmp_path, build_timeout=600)
    assert result["errors"] == []
    assert result["wrong"] == []
    assert result["answered"] == 8 * 25
    assert result["concurrent_build"]["exit_code"] == 0
    assert result["concurrent_build"]["documents_added"] == 40
    assert result["latency_ms"]["p99"] < 10_000
