"""``kg build --dask``: extraction on a Dask cluster gives the graph of a single-process build."""
from __future__ import annotations

import pytest

from kg.config import load_settings
from kg.model import Article
from tests.test_parallel import _build_hash, _corpus

distributed = pytest.importorskip("dask.distributed", reason="dask[distributed] is not installed")


@pytest.fixture(scope="module")
def cluster():
    """A LocalCluster of 2 worker processes on the loopback interface (hash seed 0, as the reference build)."""
    import os

    old = os.environ.get("PYTHONHASHSEED")
    os.environ["PYTHONHASHSEED"] = "0"  # the workers inherit it; see tests/test_parallel.py::_build_hash
    try:
        c = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                     dashboard_address=None)
    finally:
        if old is None:
            os.environ.pop("PYTHONHASHSEED", None)
        else:
            os.environ["PYTHONHASHSEED"] = old
    with c:
        yield c


@pytest.mark.model
def test_dask_build_is_identical_to_single_process(tmp_path, cluster):
    corpus = _corpus(tmp_path, n=12)
    single, s1 = _build_hash(corpus, tmp_path / "single", workers=1)
    from kg.build import build
    from kg.graph.store import Store

    summary = build([corpus], settings=load_settings(out=tmp_path / "dask", batch_size=4), site=False,
                    analysis=False, dask=cluster.scheduler_address)
    with Store.open(tmp_path / "dask" / "store", read_only=True) as store:
        on_dask = store.canonical_hash()
    assert summary.added == s1["added"] == 17
    assert on_dask == single


def _echo_chunk(articles, init_args):
    return [Skipped(a.doc_id, f"seen {init_args[0]}") for a in articles]


from kg.model import Skipped  # noqa: E402  (used by _echo_chunk on the workers)


def test_results_come_back_in_input_order(cluster, monkeypatch):
    """Many small tasks on 2 workers: whatever finishes first, the order is the input's (no model needed)."""
    from kg import distributed as kd

    monkeypatch.setattr(kd, "_parse_chunk", _echo_chunk)
    arts = (Article(doc_id=f"d{i}", text="x", content_hash=str(i)) for i in range(200))
    with distributed.Client(cluster) as client:
        out = list(kd.parse_on_dask(arts, client, ("m",), chunk=3))
    assert [s.where for s in out] == [f"d{i}" for i in range(200)]
    assert {s.reason for s in out} == {"seen m"}


def test_unreachable_scheduler_is_a_clear_error():
    from kg.distributed import DaskError, parse_on_dask

    with pytest.raises(DaskError, match="cannot reach the Dask scheduler"):
        list(parse_on_dask([Article("a", "x", "h")], "tcp://127.0.0.1:9", ("m",)))
