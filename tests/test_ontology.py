"""ontology/kg.ttl: every vocab term declared, core relations exact, sub-properties reach a core one."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import rdflib
from rdflib import OWL, RDF, RDFS, Namespace

from kg.config import ontology_dir
from kg.errors import KgError
from kg.gazetteer import ROLE_RELATIONS
from kg.ontology import core_relation, relation_table
from kg.vocab import CORE_RELATIONS, KG, KG_NS, SYMMETRIC_RELATIONS

KGN = Namespace(KG_NS)
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def onto() -> rdflib.Graph:
    g = rdflib.Graph()
    g.parse(ontology_dir() / "kg.ttl", format="turtle")
    return g


def _vocab_terms() -> set[str]:
    return {name for name in KG.__annotations__}


def _declared(g: rdflib.Graph) -> set[str]:
    return {str(s)[len(KG_NS):] for s in g.subjects(RDF.type, None) if str(s).startswith(KG_NS)}


def test_ontology_header(onto):
    ont = rdflib.URIRef("https://w3id.org/kg-news/ontology")
    assert (ont, RDF.type, OWL.Ontology) in onto
    assert onto.value(ont, OWL.versionInfo) is not None


def test_every_vocab_term_is_declared(onto):
    missing = _vocab_terms() - _declared(onto)
    assert not missing, f"declared in kg/vocab.py but not in kg.ttl: {sorted(missing)}"


def test_every_declared_term_is_in_vocab(onto):
    extra = _declared(onto) - _vocab_terms()
    assert not extra, f"declared in kg.ttl but not in kg/vocab.py: {sorted(extra)}"


def test_every_kg_term_used_in_ttl_is_declared(onto):
    used = {str(t) for triple in onto for t in triple if isinstance(t, rdflib.URIRef) and str(t).startswith(KG_NS)}
    undeclared = {u[len(KG_NS):] for u in used} - _declared(onto)
    assert not undeclared


def test_every_term_has_label_and_comment(onto):
    for name in _declared(onto):
        term = KGN[name]
        assert onto.value(term, RDFS.label) is not None, name
        assert onto.value(term, RDFS.comment) is not None, name


@pytest.mark.parametrize("name", CORE_RELATIONS)
def test_core_relation_exists_with_exact_local_name(onto, name):
    term = KGN[name]
    assert (term, RDF.type, OWL.ObjectProperty) in onto
    assert onto.value(term, RDFS.subPropertyOf) is None, f"{name} is core; it must not be a sub-property"
    for ann in ("polarity", "relationKind", "eventClass", "goldstein"):
        assert onto.value(term, KGN[ann]) is not None, f"{name} lacks kg:{ann}"
    assert onto.value(term, RDFS.domain) is not None and onto.value(term, RDFS.range) is not None


def test_exactly_22_core_relations():
    table = relation_table(ontology_dir())
    assert sorted(n for n, e in table.items() if e["parent"] is None) == sorted(CORE_RELATIONS)
    assert len(CORE_RELATIONS) == 22


def test_every_sub_property_reaches_a_core_one(onto):
    subs = {s for s, o in onto.subject_objects(RDFS.subPropertyOf) if str(o).startswith(KG_NS)}
    assert len(subs) >= 15
    for s in subs:
        seen, current = set(), s
        while current is not None and str(current)[len(KG_NS):] not in CORE_RELATIONS:
            assert current not in seen, f"cycle at {current}"
            seen.add(current)
            current = onto.value(current, RDFS.subPropertyOf)
        assert current is not None, f"{s} does not reach a core relation"


def test_symmetric_relations_match_vocab(onto):
    symmetric = {str(s)[len(KG_NS):] for s in onto.subjects(RDF.type, OWL.SymmetricProperty)}
    assert SYMMETRIC_RELATIONS <= symmetric
    assert symmetric & set(CORE_RELATIONS) == SYMMETRIC_RELATIONS


def test_polarity_values():
    table = relation_table(ontology_dir())
    assert table["attacks"]["polarity"] == -1 and table["supports"]["polarity"] == 1
    assert table["locatedIn"]["polarity"] == 0
    assert table["criticizes"]["kind"] == "verbal" and table["attacks"]["kind"] == "material"
    assert table["leaderOf"]["event_class"] == "standing" and table["meetsWith"]["event_class"] == "event"
    for name, entry in table.items():
        assert entry["polarity"] in (-1, 0, 1)
        assert -10 <= entry["goldstein"] <= 10
        assert entry["kind"] in ("verbal", "material"), name
        assert entry["event_class"] in ("standing", "event"), name


def test_sub_property_core_and_symmetric():
    assert core_relation("headOfStateOf", ontology_dir()) == "leaderOf"
    assert core_relation("spokespersonOf", ontology_dir()) == "officialOf"
    assert core_relation("backs", ontology_dir()) == "supports"
    assert core_relation("nonsense", ontology_dir()) is None


#: The PLOVER event types (cooperation side, then conflict side): each must be the kg:ploverType of a relation.
PLOVER_COOPERATION = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST")
PLOVER_CONFLICT = ("ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT", "FIGHT",
                   "DEMAND", "DISAPPROVE")


@pytest.mark.parametrize("plover", PLOVER_COOPERATION + PLOVER_CONFLICT)
def test_every_plover_type_has_a_relation(plover):
    table = relation_table(ontology_dir())
    assert [name for name, row in table.items() if row["plover"] == plover], f"no relation has kg:ploverType {plover}"


def test_plover_side_agrees_with_the_core_polarity():
    """A conflict type under a cooperation core would be scored (and analysed) as cooperation. REQUEST sits on
    appealsTo, MOBILIZE on deploysTo: both neutral cores, which agree with either side."""
    table = relation_table(ontology_dir())
    wrong = []
    for name, row in table.items():
        core = table[row["core"]]["polarity"]
        if row["plover"] in PLOVER_COOPERATION and core == -1 or row["plover"] in PLOVER_CONFLICT and core == 1:
            wrong.append((name, row["plover"], row["core"]))
    assert not wrong, wrong
    assert {row["plover"] for row in table.values() if row["plover"]} <= set(PLOVER_COOPERATION + PLOVER_CONFLICT)


def test_sub_properties_share_the_polarity_of_their_core():
    table = relation_table(ontology_dir())
    differ = {n: (r["polarity"], r["core"]) for n, r in table.items() if r["polarity"] != table[r["core"]]["polarity"]}
    assert not differ, f"these relations would be counted with another sign than their core relation: {differ}"


def test_event_relations_carry_cameo_plover_and_goldstein():
    table = relation_table(ontology_dir())
    for name, row in table.items():
        if row["plover"] is None:
            continue  # structural relations (leaderOf, locatedIn, controls) are no CAMEO events
        assert row["cameo"] and all(re.fullmatch(r"[0-2][0-9]{1,3}", code) for code in row["cameo"]), name
        sign = {1: 1, -1: -1}.get(row["polarity"])
        if sign is not None:
            assert row["goldstein"] * sign > 0, f"{name}: Goldstein {row['goldstein']} against its polarity"


@pytest.mark.parametrize("relation, core, plover, cameo, goldstein", [
    ("negotiatesWith", "meetsWith", "CONSULT", "046", 7.0),
    ("arrests", "attacks", "COERCE", "173", -5.0),
    ("expels", "attacks", "COERCE", "174", -5.0),
    ("aids", "supports", "AID", "07", 7.0),
    ("withdrawsFrom", "cooperatesWith", "RETREAT", "087", 9.0),
    ("demands", "opposes", "DEMAND", "10", -5.0),
    ("protestsTo", "criticizes", "DISAPPROVE", "114", -2.0),
    ("blockades", "attacks", "COERCE", "191", -9.5),
])
def test_typology_rows(relation, core, plover, cameo, goldstein):
    row = relation_table(ontology_dir())[relation]
    assert (row["core"], row["plover"], row["goldstein"]) == (core, plover, goldstein)
    assert cameo in row["cameo"]


def test_gazetteer_role_relations_agree_with_ontology():
    table = relation_table(ontology_dir())
    for name, parent in ROLE_RELATIONS.items():
        assert name in table
        assert table[name]["parent"] == parent


def test_evidence_aligned_with_prov(onto):
    prov = Namespace("http://www.w3.org/ns/prov#")
    assert (KGN.Evidence, RDFS.subClassOf, prov.Entity) in onto
    assert (KGN.assertedBy, RDFS.subPropertyOf, prov.wasAttributedTo) in onto


def test_no_blank_nodes(onto):
    assert not any(isinstance(t, rdflib.BNode) for triple in onto for t in triple)


@pytest.mark.parametrize("name", ["lexicon.yaml", "cameo_lexicon.yaml"])
def test_lexicon_relations_are_declared(name):
    """Every relation the hand lexicon or the derived one names (relation, verbal, otherwise) is in the ontology."""
    lexicon = ROOT / "kg" / "nlp" / "patterns" / name
    if not lexicon.is_file():
        pytest.skip(f"no {name} yet")
    text = lexicon.read_text(encoding="utf-8")
    names = set(re.findall(r"\b(?:relation|verbal|otherwise):\s*([A-Za-z]+)", text))
    assert len(names) > 10
    table = relation_table(ontology_dir())
    unknown = {n for n in names if n not in table and n not in ("null", "what")}
    assert not unknown, f"{name} uses relations the ontology does not declare: {sorted(unknown)}"


def test_broken_ontology_gives_clear_error(tmp_path):
    (tmp_path / "kg.ttl").write_text("@prefix kg: <x#> . kg:a kg:b", encoding="utf-8")
    with pytest.raises(KgError, match="not valid Turtle"):
        relation_table(tmp_path)


def test_orphan_sub_property_is_rejected(tmp_path):
    text = (ontology_dir() / "kg.ttl").read_text(encoding="utf-8")
    text = text.replace("rdfs:subPropertyOf kg:attacks ;\n    rdfs:label \"shells\"",
                        "rdfs:label \"shells\"")
    assert "rdfs:label \"shells\"" in text
    (tmp_path / "kg.ttl").write_text(text, encoding="utf-8")
    with pytest.raises(KgError, match="shells does not reach a core relation"):
        relation_table(tmp_path)


def test_readme_sparql_examples_run():
    import pyoxigraph as ox

    text = (ontology_dir() / "README.md").read_text(encoding="utf-8")
    queries = re.findall(r"```sparql\n(.*?)```", text, re.S)
    assert len(queries) >= 3
    store = ox.Store()
    store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in
                 ox.parse(path=str(ontology_dir() / "kg.ttl"), format=ox.RdfFormat.TURTLE))
    for query in queries:
        list(store.query(query, use_default_graph_as_union=True))  # parses and runs
