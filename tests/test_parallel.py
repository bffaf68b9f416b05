"""Parallel extraction: ``workers=N`` gives the very graph of one worker; the input streams (no whole-corpus list)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
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


_BUILD = """
import json, sys
from pathlib import Path
from kg.build import build
from kg.config import load_settings
from kg.graph.store import Store
out = Path(sys.argv[2])
summary = build([sys.argv[1]], settings=load_settings(out=out, **json.loads(sys.argv[3])), site=False, analysis=False)
with Store.open(out / "store", read_only=True) as store:
    print(json.dumps([store.canonical_hash(), summary.as_dict()]))
"""


def _build_hash(inputs, out: Path, **settings) -> tuple[str, dict]:
    """Build in a fresh interpreter with a fixed hash seed (inherited by its worker processes), return its hash.

    The seed is fixed because the EntityRuler's pattern order follows Python set order (kg/nlp/pipeline.py), so two
    processes with different seeds may tag a few tied spans differently: see test_ruler_patterns_ignore_hash_seed.
    """
    env = dict(os.environ, PYTHONHASHSEED="0", CI="1")
    proc = subprocess.run([sys.executable, "-c", _BUILD, str(inputs), str(out), json.dumps(settings)], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    digest, summary = json.loads(proc.stdout.strip().splitlines()[-1])
    return digest, summary


_PATTERNS = """
import hashlib, json
import spacy
from kg.config import load_settings
from kg.gazetteer import load_gazetteer
from kg.nlp.pipeline import ruler_patterns
s = load_settings()
gaz = load_gazetteer(s.ontology, s.gazetteer)
forms = [(f, k, kind, gaz.get(k).type if gaz.get(k) else "Organization") for f, k, kind in gaz.surface_forms()]
print(hashlib.sha1(json.dumps(ruler_patterns(spacy.blank("en"), forms)).encode()).hexdigest())
"""


def test_ruler_patterns_ignore_hash_seed():
    """Worker processes get other hash seeds than the main process: the pipeline must not depend on it."""
    digests = set()
    for seed in ("1", "2", "3"):
        proc = subprocess.run([sys.executable, "-c", _PATTERNS], cwd=ROOT, env=dict(os.environ, PYTHONHASHSEED=seed),
                              capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stderr[-2000:]
        digests.add(proc.stdout.strip())
    assert len(digests) == 1


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


class _FakeCrew:
    """The children of :class:`kg.pipeline._Crew`, in this process: every ``every``-th ``collect`` finishes the
    oldest queued chunk (all of them when ``every`` is 0). ``taken`` counts the chunks the children did."""

    def __init__(self, every: int = 0):
        self.queue, self.parsed, self.every, self.calls, self.taken = [], [], every, 0, 0

    def put(self, index, chunk):
        self.queue.append((index, chunk))

    def steal(self):
        return self.queue.pop(0) if self.queue else None

    def collect(self, timeout):
        self.calls += 1
        if not self.every or self.calls % self.every == 0:
            for _ in range(len(self.queue) if not self.every else min(1, len(self.queue))):
                self.parsed.append(self.queue.pop(0))
                self.taken += 1
        out, self.parsed = self.parsed, []
        return out


def _articles(n: int, pulled: list):
    for i in range(n):
        pulled.append(i)
        yield Article(doc_id=f"d{i}", text="x", content_hash=str(i))


def test_parse_all_pulls_articles_lazily():
    """The parallel path holds a bounded number of articles: it never reads the whole input ahead."""
    from kg import pipeline

    pulled = []
    out = pipeline._shared(_FakeCrew(), list, pipeline._chunks(_articles(10_000, pulled), 4), window=3)
    first = [next(out) for _ in range(5)]
    assert [a.doc_id for a in first] == ["d0", "d1", "d2", "d3", "d4"]
    assert len(pulled) <= 4 * 4  # at most window + 1 chunks read, not 10,000 articles
    assert [a.doc_id for a in out][-1] == "d9999"  # and everything comes out, in order


def test_main_process_parses_while_the_children_are_busy():
    """While the next result in order is not there, this process takes queued chunks and parses them itself (it
    does not sit idle, nor wait at the end for a child's backlog), in input order, with a bounded window."""
    from kg import pipeline

    pulled, local_chunks = [], []

    def local(chunk):
        local_chunks.append(chunk[0].doc_id)
        return list(chunk)

    crew = _FakeCrew(every=3)
    out = pipeline._shared(crew, local, pipeline._chunks(_articles(400, pulled), 4), window=3)
    first = [next(out) for _ in range(4)]
    assert len(pulled) <= 4 * 4
    rest = list(out)
    assert [a.doc_id for a in first + rest] == [f"d{i}" for i in range(400)]
    assert local_chunks and crew.taken  # both sides parsed
    assert len(local_chunks) + crew.taken == 100


@pytest.mark.model
def test_a_dead_worker_is_reported_not_waited_for(tmp_path, monkeypatch):
    """A child killed mid-build (out of memory, a signal) makes the build fail with a clear error, not hang."""
    from kg import pipeline

    crew = pipeline._Crew(1, ("no-such-model-so-the-child-fails", "x", (), 1000, 4))
    try:
        crew.put(0, [Article(doc_id="a", text="x", content_hash="1")])
        with pytest.raises(pipeline.ExtractionError, match="died|failed"):
            for _ in range(60):
                crew.collect(timeout=0.5)
    finally:
        crew.close(wait=False)


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
