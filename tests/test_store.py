"""Store behaviour: idempotency, atomic replacement, manifest checks, locks, backups, export atomicity."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from kg.errors import StoreError, StoreInUseError, StoreMismatchError
from kg.graph import export as export_mod
from kg.graph import iri
from kg.graph.export import export_dataset
from kg.graph.store import Store, restore_backup
from kg.model import Evidence, Relation
from tests.test_graph_fixtures import EXTRACTOR, doc, gazetteer

KG = "https://w3id.org/kg-news/ontology#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


@pytest.fixture
def out(tmp_path: Path) -> Path:
    return tmp_path / "out"


def _build(out: Path, docs) -> str:
    with Store.open(out / "store", create=True) as store:
        store.write_background(gazetteer(), None)
        for d in docs:
            store.replace_document(d, extractor_version=EXTRACTOR)
        return store.canonical_hash()


def _graph(store: Store, name: str) -> set:
    return set(store.raw.quads_for_pattern(None, None, None, ox.NamedNode(name)))


def test_same_input_twice_gives_same_quads_and_hash(out):
    first = _build(out, [doc("a.txt"), doc("b.txt")])
    with Store.open(out / "store") as store:
        quads = store.stats()["quads"]
    second = _build(out, [doc("a.txt"), doc("b.txt")])
    with Store.open(out / "store") as store:
        assert store.stats()["quads"] == quads
    assert first == second


def test_canonical_hash_is_order_independent(tmp_path):
    a = _build(tmp_path / "x", [doc("a.txt"), doc("b.txt")])
    b = _build(tmp_path / "y", [doc("b.txt"), doc("a.txt")])
    assert a == b


def test_changed_document_replaces_only_its_graph(out):
    _build(out, [doc("a.txt"), doc("b.txt")])
    with Store.open(out / "store") as store:
        b_before = _graph(store, iri.doc_iri("b.txt"))
        changed = doc("a.txt", text="Moscow attacks Ankara now, a completely different story of this day.",
                      relations=[Relation("RUS", "attacks", "TUR", Evidence("Moscow attacks Ankara now.", 0, 0, 26))])
        store.replace_document(changed, extractor_version=EXTRACTOR)
        a_after = _graph(store, iri.doc_iri("a.txt"))
        assert _graph(store, iri.doc_iri("b.txt")) == b_before
        preds = {q.predicate.value for q in a_after if q.subject.value == iri.actor_iri("RUS")}
        assert KG + "attacks" in preds and KG + "supports" not in preds  # old relation gone, no merge
        assert store.document_hashes()["a.txt"] == changed.article.content_hash
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["documents"]["a.txt"]["content_hash"] == changed.article.content_hash


def test_negated_evidence_is_not_a_claim_and_no_reification(out):
    _build(out, [doc("a.txt")])
    with Store.open(out / "store") as store:
        quads = _graph(store, iri.doc_iri("a.txt"))
        preds = {q.predicate.value for q in store.raw}
        assert not any(p in preds for p in (RDF + "subject", RDF + "predicate", RDF + "object"))
        assert not any(q.predicate.value == KG + "attacks" for q in quads)  # only negated evidence for it
        assert any(q.predicate.value == KG + "supports" for q in quads)
        ev = [q for q in quads if q.predicate.value == KG + "modality" and q.object.value == KG + "negated"]
        assert len(ev) == 1
        assert not any(isinstance(t, ox.BlankNode) for q in store.raw for t in (q.subject, q.object))


def test_literal_datatypes(out):
    _build(out, [doc("a.txt")])
    with Store.open(out / "store") as store:
        by_pred = {q.predicate.value: q.object for q in store.raw}
    xsd = "http://www.w3.org/2001/XMLSchema#"
    assert by_pred["http://purl.org/dc/terms/date"].datatype.value == xsd + "date"
    assert by_pred[KG + "confidence"].datatype.value == xsd + "decimal"
    assert by_pred[KG + "charStart"].datatype.value == xsd + "integer"


def test_export_contract_for_the_scorer(out):
    _build(out, [doc("a.txt")])
    with Store.open(out / "store") as store:
        export_dataset(store, out / "graph.trig")
    ds = Dataset()
    ds.parse(out / "graph.trig", format="trig")
    graph = ds.graph(URIRef(iri.doc_iri("a.txt")))
    assert (URIRef(iri.doc_iri("a.txt")), URIRef("http://purl.org/dc/terms/identifier"), None) in graph
    assert (URIRef(iri.actor_iri("RUS")), URIRef(KG + "supports"), URIRef(iri.actor_iri("TUR"))) in graph
    actors = ds.graph(URIRef(iri.ACTORS_GRAPH))
    for actor in set(actors.subjects(URIRef(KG + "key"), None)):
        assert actors.value(actor, URIRef("http://www.w3.org/2000/01/rdf-schema#label")) is not None
        assert actors.value(actor, URIRef("http://www.w3.org/2004/02/skos/core#altLabel")) is not None


@pytest.mark.parametrize("fmt", ["trig", "nquads", "turtle", "jsonld"])
def test_export_formats_round_trip(out, fmt):
    _build(out, [doc("a.txt")])
    with Store.open(out / "store") as store:
        path = export_dataset(store, out / f"g.{fmt}", fmt=fmt)
        n = store.stats()["quads"]
    ds = Dataset()
    ds.parse(path, format={"jsonld": "json-ld"}.get(fmt, fmt))
    got = len(ds) if fmt == "turtle" else sum(1 for _ in ds.quads())
    assert got == n or (fmt == "turtle" and 0 < got <= n)


def test_turtle_export_is_stable(out):
    _build(out, [doc("a.txt"), doc("b.txt")])
    with Store.open(out / "store") as store:
        one = export_dataset(store, out / "1.ttl", fmt="turtle").read_bytes()
        two = export_dataset(store, out / "2.ttl", fmt="turtle").read_bytes()
    assert one == two


def test_failing_serializer_leaves_old_file_byte_identical(out, monkeypatch):
    _build(out, [doc("a.txt")])
    target = out / "graph.trig"
    with Store.open(out / "store") as store:
        export_dataset(store, target)
        before = target.read_bytes()

        def broken(raw, fh):
            fh.write(b"@prefix partial")
            raise ValueError("Can't split 'http://ex/123/'")

        monkeypatch.setitem(export_mod.FORMATS, "trig", broken)
        with pytest.raises(StoreError, match="previous file was left unchanged"):
            export_dataset(store, target)
    assert target.read_bytes() == before
    assert not [p for p in target.parent.iterdir() if p.name.startswith(".graph.trig.")]


def test_second_writer_gets_store_in_use(out):
    _build(out, [doc("a.txt")])
    code = ("import sys; from kg.graph.store import Store\n"
            "from kg.errors import StoreInUseError\n"
            "try:\n    Store.open(sys.argv[1])\nexcept StoreInUseError as e:\n    print(e); sys.exit(7)\n")
    with Store.open(out / "store"):
        proc = subprocess.run([sys.executable, "-c", code, str(out / "store")], capture_output=True, text=True,
                              timeout=60)
    assert proc.returncode == 7, proc.stderr
    assert "store in use by another process" in proc.stdout
    assert "Traceback" not in proc.stderr


def test_missing_current_file_is_refused_not_served_empty(out):
    _build(out, [doc("a.txt")])
    (out / "store" / "CURRENT").unlink()
    for _ in range(2):  # the second open is the one RocksDB would have served empty
        with pytest.raises(StoreMismatchError, match="damaged"):
            Store.open(out / "store")


def test_empty_store_with_manifest_listing_quads_is_refused(out):
    _build(out, [doc("a.txt")])
    manifest = json.loads((out / "manifest.json").read_text())
    import shutil

    shutil.rmtree(out / "store")
    ox.Store(str(out / "store"))  # a fresh, empty store in its place
    with pytest.raises(StoreMismatchError, match=f"0 quads but .* says {manifest['quads']} quads"):
        Store.open(out / "store")


def test_store_ahead_of_manifest_is_reconciled(out):
    _build(out, [doc("a.txt")])
    manifest_path = out / "manifest.json"
    stale = manifest_path.read_text()
    with Store.open(out / "store") as store:
        store.replace_document(doc("b.txt"), extractor_version=EXTRACTOR)
    manifest_path.write_text(stale)  # as if killed between the store write and the manifest write
    with Store.open(out / "store") as store:
        assert set(store.document_hashes()) == {"a.txt", "b.txt"}
    assert "b.txt" in json.loads(manifest_path.read_text())["documents"]


def test_document_missing_from_store_is_refused(out):
    _build(out, [doc("a.txt")])
    manifest = json.loads((out / "manifest.json").read_text())
    manifest["documents"]["ghost.txt"] = {"content_hash": "x", "graph": iri.doc_iri("ghost.txt")}
    (out / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(StoreMismatchError, match="not in the store"):
        Store.open(out / "store")


def test_no_store_without_create(out):
    with pytest.raises(StoreError, match="kg build"):
        Store.open(out / "store")


def test_backup_before_writes_and_restore(out):
    first = _build(out, [doc("a.txt")])
    _build(out, [doc("a.txt"), doc("b.txt")])  # backs up the one-document store first
    assert (out / "store.bak" / "CURRENT").is_file()
    (out / "store" / "CURRENT").unlink()  # damage the live store
    with pytest.raises(StoreMismatchError):
        Store.open(out / "store")
    restore_backup(out)
    with Store.open(out / "store") as store:
        assert set(store.document_hashes()) == {"a.txt"}
        assert store.canonical_hash() == first


def test_remove_document(out):
    _build(out, [doc("a.txt"), doc("b.txt")])
    with Store.open(out / "store") as store:
        assert store.remove_document("a.txt")
        assert not store.remove_document("a.txt")
        assert set(store.document_hashes()) == {"b.txt"}
    with Store.open(out / "store") as store:
        assert set(store.document_hashes()) == {"b.txt"}


def test_write_metrics_replaces_graph(out):
    _build(out, [doc("a.txt")])
    with Store.open(out / "store") as store:
        store.write_metrics({"RUS": {"pageRank": 0.25, "degree": 3}})
        store.write_metrics({"TUR": {"pageRank": 0.5}})
        metrics = _graph(store, iri.METRICS_GRAPH)
    assert {q.subject.value for q in metrics} == {iri.actor_iri("TUR")}


def test_gazetteer_graph_and_rdflib_dataset(out):
    _build(out, [doc("a.txt")])
    with Store.open(out / "store") as store:
        gaz = _graph(store, iri.GAZETTEER_GRAPH)
        assert any(q.predicate.value == KG + "headOfStateOf" for q in gaz)
        assert any(q.predicate.value == KG + "roleTitle" and q.object.value == "President" for q in gaz)
        ds = store.dataset
        assert len(ds.graph(URIRef(iri.doc_iri("a.txt")))) == len(_graph(store, iri.doc_iri("a.txt")))
        assert store.resolve_actor("putin") == iri.actor_iri("PUTIN")
        assert store.resolve_actor("Moscow") == iri.actor_iri("RUS")
        assert store.resolve_actor("nobody at all") is None


def test_rdf_is_isomorphic_across_builds(tmp_path):
    graphs = []
    for name in ("x", "y"):
        _build(tmp_path / name, [doc("a.txt")])
        with Store.open(tmp_path / name / "store") as store:
            export_dataset(store, tmp_path / name / "g.nq", fmt="nquads")
        ds = Dataset()
        ds.parse(tmp_path / name / "g.nq", format="nquads")
        graphs.append(ds.graph(URIRef(iri.doc_iri("a.txt"))))
    if not isomorphic(graphs[0], graphs[1]):
        _, only_a, only_b = graph_diff(to_isomorphic(graphs[0]), to_isomorphic(graphs[1]))
        pytest.fail(f"not isomorphic:\n{only_a.serialize(format='nt')}\n---\n{only_b.serialize(format='nt')}")


def test_unchanged_background_is_not_rewritten(out, tmp_path):
    onto = tmp_path / "onto"
    onto.mkdir()
    (onto / "kg.ttl").write_text('@prefix kg: <https://w3id.org/kg-news/ontology#> .\n'
                                 '@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n'
                                 'kg:supports kg:goldstein "5.0"^^xsd:decimal ; kg:polarity kg:cooperation .\n'
                                 'kg:Person kg:relationKind [ kg:polarity kg:neutral ] .\n')
    with Store.open(out / "store", create=True) as store:
        store.write_background(gazetteer(), onto)
        store.replace_document(doc("a.txt"), extractor_version=EXTRACTOR)
        first = store.canonical_hash()
    with Store.open(out / "store", create=True) as store:
        store.write_background(gazetteer(), onto)
        assert not store._wrote  # nothing changed: no write, no backup
        assert store.canonical_hash() == first


def test_second_handle_in_the_same_process_says_so_and_a_closed_one_reopens(tmp_path):
    from kg.errors import StoreInUseError
    from kg.graph.store import Store

    path = tmp_path / "store"
    first = Store.open(path, create=True)
    with pytest.raises(StoreInUseError, match="this process"):
        Store.open(path)
    first.close()
    Store.open(path).close()


def test_rdflib_view_is_the_union_of_all_graphs(tmp_path):
    import pyoxigraph as ox

    from kg.graph.store import Store

    with Store.open(tmp_path / "store", create=True) as store:
        store.raw.add(ox.Quad(ox.NamedNode("http://e/a"), ox.NamedNode("http://e/p"), ox.NamedNode("http://e/b"),
                              ox.NamedNode("http://e/g")))
        from rdflib import URIRef

        assert (URIRef("http://e/a"), URIRef("http://e/p"), URIRef("http://e/b")) in store.dataset


@pytest.mark.model
def test_relation_count_agrees_with_the_sparql_definition(seeds_build):
    """``stats()["relations"]`` (read off the indexes) is the number of distinct actor-actor triples in the KG
    namespace asserted in document graphs: negated or hedged evidence and background facts do not count."""
    from kg.graph import iri
    from kg.graph.store import _PREFIXES, Store
    from kg.vocab import KG_NS

    out, _ = seeds_build
    actor = iri.BASE + "actor/"
    with Store.open(out / "store", read_only=True) as store:
        rows = store.raw.query(
            _PREFIXES + "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?g a kg:Document . "
            f"?s ?p ?o . FILTER(isIRI(?o) && STRSTARTS(STR(?s), \"{actor}\") && STRSTARTS(STR(?o), \"{actor}\") "
            f"&& STRSTARTS(STR(?p), \"{KG_NS}\")) }} }} }}")
        expected = int(next(iter(rows))["n"].value)
        assert expected > 20
        assert store.stats()["relations"] == expected
