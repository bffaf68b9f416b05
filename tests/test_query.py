"""Query screening, deadlines, row caps, named queries and the `kg query` / `kg export` commands."""
from __future__ import annotations

import json
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.errors import QueryError, QueryTimeoutError
from kg.graph.named import bind, get_named_query, named_queries
from kg.graph.query import QueryWorker, screen
from kg.graph.results import serialize_result
from kg.graph.store import Store
from kg.model import Evidence, Relation
from tests.servers import listening, smuggled_service_queries
from tests.test_graph_fixtures import EXTRACTOR, doc, gazetteer

ONTOLOGY = """@prefix kg: <https://w3id.org/kg-news/ontology#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
kg:supports kg:polarity kg:cooperation . kg:backs rdfs:subPropertyOf kg:supports .
kg:attacks kg:polarity kg:conflict . kg:criticizes kg:polarity kg:conflict .
"""

ALLOWED = [
    "SELECT * WHERE { ?s ?p ?o } LIMIT 1",
    "ASK { ?s ?p ?o }",
    "CONSTRUCT WHERE { ?s ?p ?o }",
    "DESCRIBE <https://w3id.org/kg-news/id/actor/RUS>",
    'SELECT ?from ?service ?load WHERE { ?from <http://x/load> ?service . FILTER(?from != "SERVICE FROM LOAD") } # FROM',
    "PREFIX ex: <http://ex/> SELECT * { ?s ex:service ?o }",
]
REFUSED = [
    ("SELECT * { SERVICE <http://169.254.169.254/latest/> { ?s ?p ?o } }", "SERVICE"),
    ("SELECT * { ?a ?b ?c OPTIONAL { SERVICE SILENT <http://127.0.0.1:9/> { ?s ?p ?o } } }", "SERVICE"),
    ("SELECT * { \\u0053ERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", "SERVICE"),
    ("SELECT * FROM <file:///etc/passwd> { ?s ?p ?o }", "FROM"),
    ("SELECT * FROM NAMED <file:///etc/passwd> { GRAPH ?g { ?s ?p ?o } }", "FROM"),
    ("CONSTRUCT { ?s ?p ?o } FROM <http://127.0.0.1:9/x.ttl> WHERE { ?s ?p ?o }", "FROM"),
    ("LOAD <http://127.0.0.1:1/x.ttl>", "updates"),
    ("DROP ALL", "updates"),
    ("INSERT DATA { <http://a> <http://b> <http://c> }", "updates"),
    ("SELECT * WHERE { ?s ?p ?o ", "syntax"),
    ("", "empty"),
]


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("q") / "out"
    onto = out.parent / "onto"
    onto.mkdir()
    (onto / "kg.ttl").write_text(ONTOLOGY)
    with Store.open(out / "store", create=True) as store:
        store.write_background(gazetteer(), onto)
        store.replace_document(doc("a.txt"), extractor_version=EXTRACTOR)
        store.replace_document(doc("b.txt", date="2017-01-05", relations=[
            Relation("RUS", "attacks", "TUR", Evidence("Moscow attacked Ankara.", 0, 0, 20, confidence=0.9)),
            Relation("RUS", "backs", "SYR", Evidence("Moscow backs Damascus.", 30, 30, 50)),
        ]), extractor_version=EXTRACTOR)
    return out


@pytest.mark.parametrize("sparql", ALLOWED)
def test_query_forms_are_accepted(sparql):
    assert screen(sparql) in {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}


@pytest.mark.parametrize("sparql,why", REFUSED)
def test_hostile_or_bad_queries_are_refused(sparql, why):
    with pytest.raises(QueryError) as info:
        screen(sparql)
    assert why.lower() in str(info.value).lower()


def test_refused_query_reaches_neither_oxigraph_nor_the_network(out, monkeypatch):
    import socket

    def no_network(*args, **kwargs):
        raise AssertionError("a socket was opened")

    monkeypatch.setattr(socket, "socket", no_network)
    with Store.open(out / "store") as store:
        with pytest.raises(QueryError):
            store.query("SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")


def test_service_hidden_behind_a_carriage_return_comment_reaches_no_listener(out):
    """Store.query (with and without a deadline), kg.open().query and `kg query` refuse a SERVICE hidden by a
    comment that a bare CR ends, and nothing connects to the listener it names."""
    import kg

    with listening() as (port, hits):
        for q in smuggled_service_queries(port):
            with pytest.raises(QueryError, match="SERVICE"):
                screen(q)
            with Store.open(out / "store") as store:
                with pytest.raises(QueryError, match="SERVICE"):
                    store.query(q)
                with pytest.raises(QueryError, match="SERVICE"):
                    store.query(q, timeout=30)
            with kg.open(out) as graph, pytest.raises(QueryError, match="SERVICE"):
                graph.query(q)
            result = CliRunner().invoke(app, ["query", "--out", str(out), q])
            assert result.exit_code != 0 and "SERVICE" in result.output, result.output
    assert hits == []


def test_carriage_returns_end_comments_for_the_screen_as_for_the_engine(out):
    """CR and CR LF are line ends in queries: a query written with them runs and means what it says."""
    q = "SELECT ?o WHERE {\r\n  # the supported\r  ?s <https://w3id.org/kg-news/ontology#supports> ?o\r}"
    assert screen(q) == "SELECT"
    with Store.open(out / "store") as store:
        assert {row[0].value for row in store.query(q).rows} == {"https://w3id.org/kg-news/id/actor/TUR"}


def test_row_cap_sets_truncated_flag(out):
    with Store.open(out / "store") as store:
        capped = store.query("SELECT * { ?s ?p ?o }", row_cap=5)
        full = store.query("SELECT * { ?s ?p ?o } LIMIT 5", row_cap=5)
    assert capped.truncated and len(capped.rows) == 5
    assert not full.truncated
    body = json.loads(serialize_result(capped, "json"))
    assert body["truncated"] is True and len(body["results"]["bindings"]) == 5


def test_default_graph_is_the_union(out):
    with Store.open(out / "store") as store:
        r = store.query("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")
        assert int(r.rows[0][0].value) == store.stats()["quads"]


def test_timeout_kills_worker_and_next_query_works(tmp_path):
    path = tmp_path / "big"
    raw = ox.Store(str(path))
    raw.extend(ox.Quad(ox.NamedNode(f"http://x/{i}"), ox.NamedNode("http://x/p"), ox.Literal(str(i)),
                       ox.NamedNode("http://x/g")) for i in range(3000))
    raw.flush()
    del raw
    worker = QueryWorker(path)
    try:
        worker.run("ASK { }", timeout=60)  # start-up outside the measured deadline
        started = time.monotonic()
        with pytest.raises(QueryTimeoutError, match="longer than 1 s"):
            worker.run("SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }", timeout=1)
        assert time.monotonic() - started < 3
        r = worker.run("SELECT (COUNT(*) AS ?n) { ?a ?b ?c }", timeout=60)
        assert int(r.rows[0][0].value) == 3000
    finally:
        worker.close()


def test_store_query_with_deadline_uses_snapshot(out):
    with Store.open(out / "store") as store:
        r = store.query("SELECT ?o { ?s <https://w3id.org/kg-news/ontology#supports> ?o }", timeout=60)
    assert {row[0].value for row in r.rows} == {"https://w3id.org/kg-news/id/actor/TUR"}


def test_every_named_query_has_a_header_and_runs(out):
    params = {"actor_relations": {"actor": "Moscow"}, "relation_over_time": {"relation": "supports"},
              "edge_evidence": {"subject": "TUR", "relation": "attacks", "object": "RUS"},
              "documents_two_actors": {"a": "RUS", "b": "Turkey"}}
    queries = named_queries()
    assert {"actor_relations", "supports_opposes", "relation_over_time", "actors_by_type", "edge_evidence",
            "documents_two_actors", "contradictions", "top_actors"} <= set(queries)
    with Store.open(out / "store") as store:
        results = {}
        for name, q in queries.items():
            assert q.title != name and q.description
            text = bind(q, params.get(name, {}), resolve_actor=store.resolve_actor)
            screen(text)
            results[name] = store.query(text)
    assert len(results["actor_relations"].rows) == 3  # supports, criticizes (a); attacks, backs (b); not negated
    over_time = results["relation_over_time"].rows  # supports and its sub-property backs
    assert {r[2].value.rsplit("#")[1] for r in over_time} == {"supports", "backs"}
    assert len(results["edge_evidence"].rows) == 2 - 1  # only a.txt has TUR attacks RUS (negated)
    contradictions = {(r[0].value, r[1].value) for r in results["contradictions"].rows}
    assert contradictions == {("Russia", "Turkey")}  # a: supports, b: attacks
    assert len(results["documents_two_actors"].rows) == 2


def test_parameters_cannot_inject(out):
    q = get_named_query("actor_relations")
    text = bind(q, {"actor": 'x> } } SELECT * { ?s ?p ?o } #'})
    assert "SELECT * { ?s ?p ?o } #" not in text.replace("%20", " ")
    screen(text)
    with pytest.raises(QueryError):
        bind(get_named_query("relation_over_time"), {"relation": "supports> } DROP ALL"})
    with pytest.raises(QueryError, match="needs --param actor"):
        bind(q, {})
    with pytest.raises(QueryError, match="no parameter"):
        bind(q, {"actor": "RUS", "bogus": "1"})


runner = CliRunner()


def test_cli_query_formats(out):
    r = runner.invoke(app, ["query", "--out", str(out), "SELECT ?d { ?g <http://purl.org/dc/terms/identifier> ?d } ORDER BY ?d",
                            "--format", "json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert [b["d"]["value"] for b in data["results"]["bindings"]] == ["a.txt", "b.txt"]
    r = runner.invoke(app, ["query", "--out", str(out), "--name", "top_actors", "--format", "csv"])
    assert r.exit_code == 0 and r.stdout.startswith("label,key,documents,actor")
    r = runner.invoke(app, ["query", "--out", str(out), "CONSTRUCT WHERE { ?s a ?t } LIMIT 2", "--format", "ntriples"])
    assert r.exit_code == 0 and r.stdout.count(" .\n") == 2
    r = runner.invoke(app, ["query", "--out", str(out), "SELECT * FROM <file:///etc/passwd> { ?s ?p ?o }"])
    assert r.exit_code == 2 and "FROM" in r.output
    r = runner.invoke(app, ["query", "--list"])
    assert r.exit_code == 0 and "contradictions" in r.stdout


def test_cli_query_truncation_is_reported(out):
    r = runner.invoke(app, ["query", "--out", str(out), "SELECT * { ?s ?p ?o }", "--row-cap", "3"])
    assert r.exit_code == 0
    assert "TRUNCATED" in r.stdout


def test_cli_export(out, tmp_path):
    target = tmp_path / "g.nq"
    r = runner.invoke(app, ["export", "--out", str(out), "--format", "nquads", "-o", str(target)])
    assert r.exit_code == 0, r.output
    assert target.read_text().count(" .\n") > 50
