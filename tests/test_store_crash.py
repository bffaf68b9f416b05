"""SIGKILL a writer at random points: the store always reopens, each document is whole or absent, and
re-running reaches the same canonical hash as an uninterrupted run (reliability.md C.19, C.22)."""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.graph import iri
from kg.graph.rdf import document_quads
from kg.graph.store import Store
from tests.test_graph_fixtures import EXTRACTOR, doc, gazetteer

N_DOCS = 1500
WRITER = """
import sys
sys.path.insert(0, sys.argv[2])
from tests.test_graph_fixtures import EXTRACTOR, doc, gazetteer
from kg.graph.store import Store
with Store.open(sys.argv[1], create=True) as store:
    store.write_background(gazetteer(), None)
    known = store.document_hashes()
    for i in range({n}):
        d = doc(f"d{{i}}.txt", text=f"Moscow supports Ankara. Ankara did not attack Moscow. Putin criticised Ankara, Ivan Smith said. {{i}}")
        if known.get(d.article.doc_id) != d.article.content_hash:
            store.replace_document(d, extractor_version=EXTRACTOR)
    print("done", flush=True)
""".format(n=N_DOCS)


def _run(store: Path, kill_after: float | None) -> bool:
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(store), str(Path(__file__).resolve().parent.parent)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if kill_after is None:
        out, errs = proc.communicate(timeout=300)
        assert proc.returncode == 0, errs
        return True
    time.sleep(kill_after)
    proc.send_signal(signal.SIGKILL)
    proc.wait(30)
    return proc.returncode == 0


def _check_whole_or_absent(store_path: Path) -> int:
    with Store.open(store_path, create=True) as store:
        present = 0
        for i in range(N_DOCS):
            d = doc(f"d{i}.txt", text=f"Moscow supports Ankara. Ankara did not attack Moscow. Putin criticised Ankara, "
                                      f"Ivan Smith said. {i}")
            graph = set(store.raw.quads_for_pattern(None, None, None, ox.NamedNode(iri.doc_iri(d.article.doc_id))))
            if graph:
                canonical = ox.Store()
                canonical.extend(document_quads(d, extractor_version=EXTRACTOR))
                assert graph == set(canonical), f"d{i}.txt is partial"
                present += 1
        return present


@pytest.mark.slow
def test_sigkill_during_writes(tmp_path):
    reference = tmp_path / "ref" / "store"
    started = time.monotonic()
    _run(reference, None)
    full = time.monotonic() - started
    with Store.open(reference) as store:
        expected = store.canonical_hash()
    target = tmp_path / "out" / "store"
    rng = random.Random(7)
    interrupted = 0
    for _ in range(5):
        finished = _run(target, rng.uniform(0.25, 0.6) * full)
        present = _check_whole_or_absent(target)
        interrupted += not finished and 0 < present < N_DOCS
    assert interrupted >= 1, "no kill landed in the middle of the writes; the test proved nothing"
    _run(target, None)
    assert _check_whole_or_absent(target) == N_DOCS
    with Store.open(target) as store:
        assert store.canonical_hash() == expected
