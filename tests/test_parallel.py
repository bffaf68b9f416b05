"""Parallel extraction: ``workers=N`` gives the very graph of one worker; the input streams (no whole-corpus list)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.config import load_settings
from kg.model import Article
from tests.conftest import ROOT, shared_path


def _corpus(tmp_path: Path, n: int = 16) -> Path:
    """The seeds plus the first ``n`` fake articles of the shared corpus, in one folder."""
    fakes = shared_path("corpus", "fakes", "fakes_articles.jsonl")
    folder = tmp_path / "corpus"
    folder.mkdir()
    for seed in sorted((ROOT / "seeds").glob("*.txt")):
        (folder / seed.name).write_text(seed.read_text(encoding="utf-8"), encoding="utf-8")
    with fakes.open(encoding="utf-8") as fh:
        lines = [next(fh) for _ in range(n)]
    (folder / "fakes.jsonl").write_text("".join(lines), encoding="utf-8")
    return folder


def _build_hash(inputs, out: Path, **settings) -> tuple[str, dict]:
    from kg.build import build
    from kg.graph.store import Store

    summary = build([inputs], settings=load_settings(out=out, **settings), site=False, analysis=False)
    with Store.open(out / "store", read_only=True) as store:
        return store.canonical_hash(), summary.as_dict()


@pytest.mark.model
def test_two_workers_build_the_same_graph_as_one(tmp_path):
    corpus = _corpus(tmp_path)
    one, s1 = _build_hash(corpus, tmp_path / "one", workers=1, batch_size=4)
    two, s2 = _build_hash(corpus, tmp_path / "two", workers=2, batch_size=4)  # 21 docs -> 6 chunks on 2 processes
    assert s1["added"] == s2["added"] == 21
    assert (s1["relations"], s1["actors"]) == (s2["relations"], s2["actors"])
    assert one == two


@pytest.mark.model
def test_progress_counts_every_input_and_knows_the_total(tmp_path):
    from kg.build import build

    corpus = _corpus(tmp_path, n=3)
    (corpus / "empty.txt").write_text("   \n", encoding="utf-8")  # skipped: counted as done too
    calls = []
    build([corpus], settings=load_settings(out=tmp_path / "out"), site=False, analysis=False,
          progress=lambda done, total: calls.append((done, total)))
    assert calls[0] == (0, 9) and calls[-1] == (9, 9)
    assert [d for d, _ in calls] == list(range(10))
    calls.clear()  # a second build: every document is unchanged and still counted
    build([corpus], settings=load_settings(out=tmp_path / "out"), site=False, analysis=False,
          progress=lambda done, total: calls.append((done, total)))
    assert calls[-1] == (9, 9)


def test_parse_all_pulls_articles_lazily(monkeypatch):
    """The pool path holds a bounded number of articles: it never reads the whole input ahead."""
    from kg import pipeline

    pulled = []

    def articles():
        for i in range(10_000):
            pulled.append(i)
            yield Article(doc_id=f"d{i}", text="x", content_hash=str(i))

    class FakeResult:
        def __init__(self, chunk):
            self.chunk = chunk

        def get(self):
            return self.chunk

    out = pipeline._ordered(FakeResult, pipeline._chunks(articles(), 4), in_flight=3)
    first = [next(out) for _ in range(5)]
    assert [a.doc_id for a in first] == ["d0", "d1", "d2", "d3", "d4"]
    assert len(pulled) <= 4 * 4  # at most in_flight + 1 chunks read, not 10,000 articles
    assert [a.doc_id for a in out][-1] == "d9999"  # and everything comes out, in order


def test_chunks_of_any_iterable():
    from kg.pipeline import _chunks

    assert list(_chunks(iter(range(7)), 3)) == [[0, 1, 2], [3, 4, 5], [6]]
    assert list(_chunks([], 3)) == []


def test_count_inputs_counts_files_and_jsonl_records(tmp_path):
    """The progress total: one per file, one per non-blank JSONL line (bad records included: they are skipped)."""
    from kg.build import count_inputs

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.jsonl").write_text(json.dumps({"id": "a", "text": "x"}) + "\n\n" + json.dumps({"id": "b"}) + "\n")
    (folder / "b.txt").write_text("hello")
    assert count_inputs([folder]) == 3
