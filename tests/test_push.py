"""`kg push` into a real Oxigraph server (started by the test on 127.0.0.1): same named-query answers there."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import httpx
import pytest

from kg.graph.named import bind, named_queries
from kg.graph.push import push
from kg.graph.store import Store
from kg.model import Evidence, Relation
from tests.servers import free_port, serving
from tests.test_graph_fixtures import EXTRACTOR, doc, gazetteer

pytestmark = pytest.mark.server

OXIGRAPH = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
ONTOLOGY = """@prefix kg: <https://w3id.org/kg-news/ontology#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
kg:supports kg:polarity kg:cooperation . kg:backs rdfs:subPropertyOf kg:supports . kg:attacks kg:polarity kg:conflict .
"""
PARAMS = {"actor_relations": {"actor": "RUS"}, "relation_over_time": {"relation": "supports"},
          "edge_evidence": {"subject": "TUR", "relation": "attacks", "object": "RUS"},
          "documents_two_actors": {"a": "RUS", "b": "TUR"}}


@pytest.fixture(scope="module")
def oxigraph_server(tmp_path_factory):
    if not Path(OXIGRAPH).is_file():
        pytest.skip("the oxigraph server CLI is not installed (pip install oxigraph)")
    port = free_port()
    location = tmp_path_factory.mktemp("oxigraph")
    base = f"http://127.0.0.1:{port}"
    with serving([OXIGRAPH, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
                 base + "/query?query=ASK%20%7B%7D", what="oxigraph server", ready=lambda r: True, timeout=30):
        yield base


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    out = tmp_path_factory.mktemp("push") / "out"
    onto = out.parent / "onto"
    onto.mkdir()
    (onto / "kg.ttl").write_text(ONTOLOGY)
    with Store.open(out / "store", create=True) as store:
        store.write_background(gazetteer(), onto)
        store.replace_document(doc("a.txt"), extractor_version=EXTRACTOR)
        store.replace_document(doc("b.txt", relations=[
            Relation("RUS", "attacks", "TUR", Evidence("Moscow attacked Ankara.", 0, 0, 20))]),
            extractor_version=EXTRACTOR)
    return out


def _remote_rows(base: str, sparql: str) -> list:
    r = httpx.post(base + "/query", content=sparql.encode(), timeout=30,
                   headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"})
    r.raise_for_status()
    data = r.json()
    return sorted(tuple(sorted((k, v["value"]) for k, v in b.items())) for b in data["results"]["bindings"])


def _local_rows(store: Store, sparql: str) -> list:
    res = store.query(sparql)
    return sorted(tuple(sorted((v, t.value) for v, t in zip(res.variables, row) if t is not None)) for row in res.rows)


@pytest.mark.parametrize("mode", ["update", "graph-store"])
def test_push_then_named_queries_agree(oxigraph_server, out, mode):
    base = oxigraph_server
    with Store.open(out / "store") as store:
        for _ in range(2):  # pushing twice changes nothing
            if mode == "update":
                report = push(store, base + "/update")
            else:
                report = push(store, graph_store=base + "/store")
            assert not report.failed and report.quads == store.stats()["quads"]
        count = _remote_rows(base, "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }")
        assert int(dict(count[0])["n"]) == store.stats()["quads"]
        for name, q in named_queries().items():
            text = bind(q, PARAMS.get(name, {}), resolve_actor=store.resolve_actor)
            assert _remote_rows(base, text) == _local_rows(store, text), name


def test_push_to_a_dead_endpoint_is_a_clear_error(out):
    from kg.errors import KgError

    port = free_port()
    with Store.open(out / "store") as store, pytest.raises(KgError, match="cannot reach"):
        push(store, f"http://127.0.0.1:{port}/update", timeout=2)
