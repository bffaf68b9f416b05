"""kg.open(out): DataFrames, actor lookup by alias, evidence, networkx delegation."""
from __future__ import annotations

import pytest

import kg
from kg.errors import QueryError
from kg.graph.store import Store
from tests.test_graph_fixtures import EXTRACTOR, doc, gazetteer


@pytest.fixture
def g(tmp_path):
    out = tmp_path / "out"
    with Store.open(out / "store", create=True) as store:
        store.write_background(gazetteer(), None)
        store.replace_document(doc("a.txt"), extractor_version=EXTRACTOR)
    with kg.open(out) as graph:
        yield graph


def test_query_returns_dataframe(g):
    df = g.query("SELECT ?doc ?n WHERE { ?d dcterms:identifier ?doc . ?e kg:charStart ?n } ORDER BY ?n LIMIT 2")
    assert list(df.columns) == ["doc", "n"] and df["n"].tolist() == [0, 0]
    assert df.attrs["truncated"] is False
    assert g.query("ASK { ?s kg:supports ?o }")["ask"][0]
    assert set(g.query("CONSTRUCT WHERE { ?s kg:supports ?o }").columns) == {"subject", "predicate", "object"}
    with pytest.raises(QueryError):
        g.query("DROP ALL")


def test_actor_lookup_by_alias(g):
    a = g.actor("the kremlin") or g.actor("Moscow")
    assert a["key"] == "RUS" and a["label"] == "Russia" and "State" in a["types"]
    assert g.actor("Putin")["key"] == "PUTIN"
    assert g.actor("nobody") is None


def test_evidence_includes_negated(g):
    df = g.evidence("Ankara", "attacks", "Moscow")
    assert df["modality"].str.endswith("negated").tolist() == [True]


def test_graph_is_rdflib_dataset(g):
    from rdflib import Dataset

    assert isinstance(g.graph, Dataset)
    assert len(list(g.graph.quads((None, None, None, None)))) == g.store.stats()["quads"]
