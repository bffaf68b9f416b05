"""SHACL shapes: graphs written by kg's own RDF writer conform; broken graphs fail with readable results."""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib import RDF, RDFS, BNode, Literal, Namespace, URIRef
from typer.testing import CliRunner

from kg.config import ontology_dir
from kg.errors import InputError
from kg.gazetteer import load_gazetteer
from kg.graph import iri, rdf
from kg.graph.validate import Report, validate
from kg.model import Actor, Article, DocResult, Evidence, Mention, Relation
from kg.ontology import relation_table
from kg.vocab import KG_NS

KG = Namespace(KG_NS)
DCT = Namespace("http://purl.org/dc/terms/")
PROV = Namespace("http://www.w3.org/ns/prov#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
TEXT = "Turkey criticized the Syrian government. Erdogan said Russia carried out air strikes on Idlib."


def _result() -> DocResult:
    art = Article("a.txt", TEXT, hashlib.sha256(TEXT.encode()).hexdigest(), title="Idlib", date="2019-05-01",
                  source="Reuters", url="https://example.org/a")
    actors = {k: Actor(k, n, t, provisional=k.startswith("~")) for k, n, t in [
        ("TUR", "Turkey", "State"), ("SYR", "Syria", "State"), ("ERDOGAN", "Recep Tayyip Erdoğan", "Person"),
        ("RUS", "Russia", "State"), ("IDLIB", "Idlib", "Place"), ("~person/x", "X", "Person")]}
    s2 = TEXT.index("Erdogan")
    return DocResult(art, actors, (Mention("TUR", "Turkey", 0, 6, 0), Mention("ERDOGAN", "Erdogan", s2, s2 + 7, 1)), (
        Relation("TUR", "criticizes", "SYR", Evidence(TEXT[:s2 - 1], 0, 0, s2 - 1, "asserted", 0.8, (), "r1")),
        Relation("RUS", "airStrikeOn", "IDLIB", Evidence(TEXT[s2:], s2, s2 + 13, len(TEXT) - 1, "reported", 0.6,
                                                         ("ERDOGAN",), "r2")),
        Relation("RUS", "attacks", "TUR", Evidence(TEXT[s2:], s2, s2 + 13, len(TEXT) - 1, "negated", 0.6, (), "r3")),
    ))


def _dataset(*, gazetteer: bool = False) -> rdflib.Dataset:
    from kg.graph.store import load_ontology_quads

    res = _result()
    quads = rdf.document_quads(res, extractor_version="kg 0.1.0") + rdf.actor_quads(res.actors)
    quads += load_ontology_quads(ontology_dir())
    if gazetteer:
        quads += rdf.gazetteer_quads(load_gazetteer(ontology_dir()))
    ds = rdflib.Dataset()
    ds.parse(data=ox.serialize(quads, format=ox.RdfFormat.N_QUADS).decode("utf-8"), format="nquads")
    return ds


def _doc() -> URIRef:
    return URIRef(iri.doc_iri("a.txt"))


def _graph_of(ds: rdflib.Dataset, name: str) -> rdflib.Graph:
    return ds.graph(URIRef(name))


@pytest.fixture(scope="module")
def good() -> Report:
    return validate(_dataset())


def test_written_output_conforms(good):
    assert good.conforms, good.text()
    assert good.errors == []


def test_gazetteer_background_conforms():
    report = validate(_dataset(gazetteer=True))
    assert report.conforms, report.text()


def _broken(mutate) -> Report:
    ds = _dataset()
    mutate(ds, _graph_of(ds, iri.doc_iri("a.txt")), _graph_of(ds, iri.ACTORS_GRAPH))
    return validate(ds)


def _set(graph, node, prop, value) -> None:
    graph.remove((node, prop, None))
    graph.add((node, prop, value))


def _ev(ds, pred="criticizes"):
    return next(s for s, _, _, _ in ds.quads((None, KG.relation, KG[pred], None)))


BROKEN = {
    "document without contentHash": (
        lambda ds, doc, act: doc.remove((_doc(), KG.contentHash, None)), "kg:contentHash"),
    "document with two texts": (
        lambda ds, doc, act: doc.add((_doc(), KG.text, Literal("another text"))), "kg:text"),
    "document date not a date": (
        lambda ds, doc, act: _set(doc, _doc(), DCT.date, Literal("May 2019")),
        "dcterms:date"),
    "evidence modality outside the closed list": (
        lambda ds, doc, act: _set(doc, _ev(ds), KG.modality, KG.rumoured),
        "kg:modality"),
    "evidence confidence above 1": (
        lambda ds, doc, act: _set(doc, _ev(ds), KG.confidence, Literal("1.5", datatype=XSD.decimal)),
        "kg:confidence"),
    "evidence confidence as a string": (
        lambda ds, doc, act: _set(doc, _ev(ds), KG.confidence, Literal("high")),
        "kg:confidence"),
    "evidence without sentence": (
        lambda ds, doc, act: doc.remove((_ev(ds), KG.sentence, None)), "kg:sentence"),
    "evidence without document": (
        lambda ds, doc, act: doc.remove((_ev(ds), PROV.wasDerivedFrom, None)), "prov:wasDerivedFrom"),
    "evidence offsets reversed": (
        lambda ds, doc, act: _set(doc, _ev(ds), KG.charEnd, Literal(-1, datatype=XSD.integer)),
        "kg:charStart"),
    "evidence with an undeclared relation": (
        lambda ds, doc, act: _set(doc, _ev(ds), KG.relation, KG.likes),
        "kg:relation"),
    "evidence as rdf:Statement": (
        lambda ds, doc, act: doc.add((_ev(ds), RDF.subject, URIRef(iri.actor_iri("TUR")))), "rdf:subject"),
    "asserted evidence without its relation triple": (
        lambda ds, doc, act: doc.remove((None, KG.criticizes, None)), "has no relation triple"),
    "reported evidence without its relation triple": (
        lambda ds, doc, act: doc.remove((None, KG.airStrikeOn, None)), "has no relation triple"),
    "actor with two labels": (
        lambda ds, doc, act: act.add((URIRef(iri.actor_iri("TUR")), RDFS.label, Literal("Türkiye"))), "rdfs:label"),
    "actor without a type": (
        lambda ds, doc, act: act.remove((URIRef(iri.actor_iri("SYR")), RDF.type, None)), "kg:Actor"),
    "relation to an untyped node": (
        lambda ds, doc, act: doc.add((URIRef(iri.actor_iri("TUR")), KG.supports, URIRef(iri.actor_iri("NOBODY")))),
        "not a typed actor"),
    "mention without actor": (
        lambda ds, doc, act: doc.remove((None, KG.actor, None)), "kg:actor"),
    "blank node": (
        lambda ds, doc, act: doc.add((BNode(), KG.key, Literal("X"))), "blank node"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_graph_fails(case):
    mutate, expected = BROKEN[case]
    report = _broken(mutate)
    assert not report.conforms, f"{case}: expected a violation"
    assert expected in report.text(limit=None), report.text()


def test_planned_event_needs_no_relation_triple():
    def planned(ds, doc, act):
        _set(doc, _ev(ds, "airStrikeOn"), KG.modality, KG.planned)
        doc.remove((None, KG.airStrikeOn, None))

    report = _broken(planned)
    assert report.conforms, report.text()


def test_warnings_do_not_break_conformance():
    def short_hash(ds, doc, act):
        doc.remove((_doc(), KG.contentHash, None))
        doc.add((_doc(), KG.contentHash, Literal("abc")))

    report = _broken(short_hash)
    assert report.conforms
    assert any(v.severity == "Warning" and "SHA-256" in v.message for v in report.violations)


def test_shapes_list_every_relation_of_the_ontology():
    text = (ontology_dir() / "shapes.ttl").read_text(encoding="utf-8")
    block = text[text.index("sh:path kg:relation"):]
    block = block[:block.index(")")]
    listed = set(re.findall(r"kg:([A-Za-z]+)", block)) - {"relation"}
    assert listed == set(relation_table(ontology_dir()))


def test_report_text_is_readable():
    report = _broken(BROKEN["actor with two labels"][0])
    text = report.text()
    assert "does NOT conform" in text and "id:actor/TUR" in text and "[Violation]" in text


# --- files, folders and the CLI -------------------------------------------------------------------------------

def _write_trig(folder: Path, ds: rdflib.Dataset) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "graph.trig"
    ds.serialize(destination=str(path), format="trig")
    return path


def test_validate_output_folder(tmp_path):
    _write_trig(tmp_path / "out", _dataset())
    assert validate(tmp_path / "out").conforms


def test_validate_missing_output(tmp_path):
    with pytest.raises(InputError, match="kg build"):
        validate(tmp_path)
    with pytest.raises(InputError, match="does not exist"):
        validate(tmp_path / "nope")


def test_cli_validate_exit_codes(tmp_path):
    from kg.cli import app

    good_dir, bad_dir = tmp_path / "good", tmp_path / "bad"
    _write_trig(good_dir, _dataset())
    ds = _dataset()
    ds.graph(URIRef(iri.ACTORS_GRAPH)).add((URIRef(iri.actor_iri("TUR")), RDFS.label, Literal("Türkiye")))
    _write_trig(bad_dir, ds)
    runner = CliRunner()
    ok = runner.invoke(app, ["validate", "--out", str(good_dir)])
    assert ok.exit_code == 0, ok.output
    assert "conforms" in ok.output
    bad = runner.invoke(app, ["validate", "--out", str(bad_dir)])
    assert bad.exit_code == 1
    assert "rdfs:label" in bad.output
    missing = runner.invoke(app, ["validate", "--out", str(tmp_path / "nothing")])
    assert missing.exit_code == 1
    assert "Traceback" not in missing.output


SHARED = Path(__file__).resolve().parents[2] / "shared"


@pytest.mark.model
@pytest.mark.slow
def test_seeds_build_conforms(tmp_path):
    seeds = Path(__file__).resolve().parent.parent / "seeds"
    if not seeds.is_dir():
        pytest.skip("no seeds/ folder")
    from kg.build import build

    build([seeds], tmp_path / "out", site=False, analysis=False)
    report = validate(tmp_path / "out")
    assert report.conforms, report.text()
