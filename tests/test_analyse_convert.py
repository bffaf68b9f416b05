"""RDF -> networkx: hand-built stores following the RDF layout of docs/design.md."""
from __future__ import annotations

import hashlib

import networkx as nx
import pyoxigraph as ox
import pytest
from rdflib import Dataset

from kg.analyse.convert import (
    cooperation_graph,
    relation_table,
    signed_graph,
    time_slices,
    to_networkx,
)
from kg.errors import StoreError

KG = "https://w3id.org/kg-news/ontology#"
ID = "https://w3id.org/kg-news/id/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
SUBPROP = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#subPropertyOf")
ALT = ox.NamedNode("http://www.w3.org/2004/02/skos/core#altLabel")
DCT = "http://purl.org/dc/terms/"
XSD = "http://www.w3.org/2001/XMLSchema#"


def kg(name: str) -> ox.NamedNode:
    return ox.NamedNode(KG + name)


def actor(key: str) -> ox.NamedNode:
    return ox.NamedNode(ID + "actor/" + key)


def _h(*parts) -> str:
    return hashlib.sha1("|".join(map(str, parts)).encode()).hexdigest()


def build_store(docs, actors, *, ontology: bool = False) -> ox.Store:
    """A store with ``docs``: ``[(doc_id, date, [(s, rel, o, modality, confidence, speakers)])]``.

    ``actors``: ``{key: (label, type)}``.
    """
    store = ox.Store()
    quads = []
    ag = ox.NamedNode(ID + "graph/actors")
    for key, (label, type_) in actors.items():
        quads += [ox.Quad(actor(key), RDF_TYPE, kg(type_), ag), ox.Quad(actor(key), LABEL, ox.Literal(label), ag),
                  ox.Quad(actor(key), kg("key"), ox.Literal(key), ag)]
        if key.startswith("~"):
            quads.append(ox.Quad(actor(key), kg("provisional"), ox.Literal(True), ag))
    for doc_id, date, rels in docs:
        d = ox.NamedNode(ID + "doc/" + _h(doc_id)[:16])
        quads += [ox.Quad(d, RDF_TYPE, kg("Document"), d),
                  ox.Quad(d, ox.NamedNode(DCT + "identifier"), ox.Literal(doc_id), d),
                  ox.Quad(d, ox.NamedNode(DCT + "title"), ox.Literal("Title " + doc_id), d)]
        if date:
            quads.append(ox.Quad(d, ox.NamedNode(DCT + "date"),
                                 ox.Literal(date, datatype=ox.NamedNode(XSD + "date")), d))
        for i, (s, rel, o, modality, conf, speakers) in enumerate(rels):
            for key in (s, o, *speakers):
                quads.append(ox.Quad(d, kg("mentions"), actor(key), d))
            ev = ox.NamedNode(ID + "ev/" + _h(doc_id, s, rel, o, i)[:20])
            quads += [ox.Quad(ev, RDF_TYPE, kg("Evidence"), d), ox.Quad(ev, kg("subjectActor"), actor(s), d),
                      ox.Quad(ev, kg("relation"), kg(rel), d), ox.Quad(ev, kg("objectActor"), actor(o), d),
                      ox.Quad(ev, kg("sentence"), ox.Literal(f"{s} {rel} {o}."), d),
                      ox.Quad(ev, kg("sentenceStart"), ox.Literal(i * 10), d),
                      ox.Quad(ev, kg("charStart"), ox.Literal(i * 10), d),
                      ox.Quad(ev, kg("charEnd"), ox.Literal(i * 10 + 5), d),
                      ox.Quad(ev, kg("confidence"), ox.Literal(str(conf), datatype=ox.NamedNode(XSD + "decimal")), d),
                      ox.Quad(ev, kg("modality"), kg(modality), d)]
            if date:
                quads.append(ox.Quad(ev, kg("articleDate"), ox.Literal(date, datatype=ox.NamedNode(XSD + "date")), d))
            for sp in speakers:
                quads.append(ox.Quad(ev, kg("assertedBy"), actor(sp), d))
            if modality != "negated":
                quads.append(ox.Quad(actor(s), kg(rel), actor(o), d))
        quads.append(ox.Quad(actor("TUR"), ALT, ox.Literal("Ankara"), d))
    if ontology:
        og = ox.NamedNode(ID + "graph/ontology")
        quads += [ox.Quad(kg("pounds"), SUBPROP, kg("airStrikeOn"), og),
                  ox.Quad(kg("airStrikeOn"), SUBPROP, kg("attacks"), og),
                  ox.Quad(kg("attacks"), kg("polarity"), kg("conflict"), og),
                  ox.Quad(kg("hosts"), kg("polarity"), kg("neutral"), og)]
    store.extend(quads)
    return store


ACTORS = {"TUR": ("Turkey", "State"), "SYR": ("Syria", "State"), "RUS": ("Russia", "State"),
          "PUTIN": ("Vladimir Putin", "Person"), "~person/jane-doe": ("Jane Doe", "Person")}
DOCS = [
    ("a.txt", "2018-09-10", [("TUR", "attacks", "SYR", "asserted", 0.9, ()),
                             ("RUS", "supports", "SYR", "reported", 0.6, ("PUTIN",))]),
    ("b.txt", "2018-11-02", [("TUR", "attacks", "SYR", "asserted", 0.7, ()),
                             ("RUS", "criticizes", "TUR", "negated", 0.8, ())]),
    ("c.txt", None, [("PUTIN", "leaderOf", "RUS", "asserted", 1.0, ()),
                     ("~person/jane-doe", "meetsWith", "PUTIN", "asserted", 0.5, ())]),
]


@pytest.fixture
def store() -> ox.Store:
    return build_store(DOCS, ACTORS)


def test_nodes_carry_actor_attributes(store):
    G = to_networkx(store)
    assert set(G) == set(ACTORS)
    assert G.nodes["TUR"] == {"label": "Turkey", "type": "State", "subtype": None, "iri": ID + "actor/TUR",
                              "provisional": False, "aliases": ["Ankara"], "documents": 2}
    assert G.nodes["~person/jane-doe"]["provisional"] is True
    assert G.nodes["PUTIN"]["documents"] == 2


def test_edges_aggregate_evidence(store):
    G = to_networkx(store)
    edge = G["TUR"]["SYR"]["attacks"]
    assert (edge["count"], edge["confidence"], edge["polarity"], edge["core"]) == (2, 0.9, -1, "attacks")
    assert edge["dates"] == ["2018-09-10", "2018-11-02"]
    assert (edge["first_date"], edge["last_date"]) == ("2018-09-10", "2018-11-02")
    assert edge["documents"] == ["a.txt", "b.txt"]
    assert [e["doc_id"] for e in edge["evidence"]] == ["a.txt", "b.txt"]
    support = G["RUS"]["SYR"]["supports"]["evidence"][0]
    assert support["speakers"] == ["PUTIN"] and support["modality"] == "reported"
    assert support["title"] == "Title a.txt" and support["sentence"] == "RUS supports SYR."
    assert G["~person/jane-doe"]["PUTIN"]["meetsWith"]["symmetric"] is True


def test_negated_evidence_is_not_an_edge(store):
    G = to_networkx(store)
    assert not G.has_edge("RUS", "TUR")
    assert [(n["s"], n["relation"], n["o"]) for n in G.graph["negated"]] == [("RUS", "criticizes", "TUR")]
    assert set(G.graph["documents"]) == {"a.txt", "b.txt", "c.txt"}


def test_since_until_filter_documents(store):
    G = to_networkx(store, since="2018-10-01")
    assert G["TUR"]["SYR"]["attacks"]["count"] == 1
    assert not G.has_edge("RUS", "SYR")
    assert "~person/jane-doe" not in G  # undated document left out
    G = to_networkx(store, until="2018-09-30")
    assert sorted(G.edges(keys=True)) == [("RUS", "SYR", "supports"), ("TUR", "SYR", "attacks")]


def test_rdflib_dataset_gives_the_same_graph(store):
    ds = Dataset()
    ds.parse(data=store.dump(format=ox.RdfFormat.N_QUADS).decode(), format="nquads")
    A, B = to_networkx(store), to_networkx(ds)
    assert nx.utils.edges_equal(A.edges(keys=True, data="count"), B.edges(keys=True, data="count"))
    assert dict(A.nodes(data=True)) == dict(B.nodes(data=True))


def test_unknown_source_raises_a_clear_error():
    with pytest.raises(StoreError, match="expected a kg Store"):
        to_networkx(42)


def test_ontology_chain_gives_core_and_polarity():
    store = build_store([("a.txt", "2018-01-01", [("TUR", "pounds", "SYR", "asserted", 0.5, ()),
                                                  ("TUR", "hosts", "RUS", "asserted", 0.5, ())])],
                        ACTORS, ontology=True)
    G = to_networkx(store)
    assert G["TUR"]["SYR"]["pounds"]["core"] == "attacks"
    assert G["TUR"]["SYR"]["pounds"]["polarity"] == -1
    assert G["TUR"]["RUS"]["hosts"]["polarity"] == 0  # the ontology overrides the built-in table
    assert relation_table()["hosts"]["polarity"] == 1


def test_signed_graph_nets_cooperation_and_conflict(store):
    G = to_networkx(store)
    S = signed_graph(G)
    # attacks scores -10 (scale 1): confidences 0.9 + 0.7; supports scores +3.4 (scale 0.34): 0.34 x 0.6
    assert S["TUR"]["SYR"]["sign"] == -1 and S["TUR"]["SYR"]["weight"] == pytest.approx(-1.6)
    assert S["RUS"]["SYR"]["weight"] == pytest.approx(0.204)
    assert not S.has_edge("RUS", "TUR")
    assert signed_graph(G, weighting="evidence")["RUS"]["SYR"]["weight"] == pytest.approx(0.6)
    with pytest.raises(ValueError, match="weighting 'count' is not one of goldstein, evidence"):
        signed_graph(G, weighting="count")


def test_edges_carry_the_goldstein_score_of_the_ontology():
    og = ox.NamedNode(ID + "graph/ontology")
    store = build_store([("a.txt", "2018-01-01", [("TUR", "pounds", "SYR", "asserted", 0.5, ()),
                                                  ("TUR", "hosts", "RUS", "asserted", 0.5, ()),
                                                  ("RUS", "shells", "SYR", "asserted", 0.5, ())])],
                        ACTORS, ontology=True)
    decimal = ox.NamedNode(XSD + "decimal")
    store.extend([ox.Quad(kg("airStrikeOn"), kg("goldstein"), ox.Literal("-7.5", datatype=decimal), og),
                  ox.Quad(kg("hosts"), kg("goldstein"), ox.Literal("2.0", datatype=decimal), og)])
    G = to_networkx(store)
    assert G["TUR"]["SYR"]["pounds"]["goldstein"] == -7.5  # inherited from its super-property in the store
    assert G["TUR"]["RUS"]["hosts"]["goldstein"] == 2.0  # the store's ontology overrides the built-in table
    assert G["RUS"]["SYR"]["shells"]["goldstein"] == -10.0  # not in the store's ontology: built-in table
    assert relation_table()["hosts"]["goldstein"] == 2.8
    S = signed_graph(G)
    assert S["TUR"]["SYR"]["weight"] == pytest.approx(-0.375)


def test_an_attack_outweighs_meetings():
    # five meetings (Goldstein +1) and one attack (-10), all at full confidence
    G = nx.MultiDiGraph()
    G.add_edge("A", "B", key="meetsWith", relation="meetsWith", polarity=1, symmetric=True,
               evidence=[{"doc_id": f"d{i}.txt", "sentence_start": 0, "confidence": 1.0} for i in range(5)])
    G.add_edge("B", "A", key="attacks", relation="attacks", polarity=-1,
               evidence=[{"doc_id": "d9.txt", "sentence_start": 0, "confidence": 1.0}])
    S = signed_graph(G)
    assert (S["A"]["B"]["positive"], S["A"]["B"]["negative"], S["A"]["B"]["sign"]) == (0.5, 1.0, -1)
    S = signed_graph(G, weighting="evidence")  # the unweighted behaviour: five against one
    assert (S["A"]["B"]["weight"], S["A"]["B"]["sign"]) == (4.0, 1)


def test_one_sentence_counts_once():
    # two rules find the same claim in one sentence; a symmetric claim is stored both ways from one sentence
    same = [{"doc_id": "a.txt", "sentence_start": 10, "confidence": 0.5},
            {"doc_id": "a.txt", "sentence_start": 10, "confidence": 0.75},
            {"doc_id": "a.txt", "sentence_start": 90, "confidence": 1.0}]
    G = nx.MultiDiGraph()
    G.add_edge("A", "B", key="attacks", relation="attacks", polarity=-1, evidence=same)
    G.add_edge("C", "D", key="agreesWith", relation="agreesWith", polarity=1, symmetric=True, evidence=same[:1])
    G.add_edge("D", "C", key="agreesWith", relation="agreesWith", polarity=1, symmetric=True, evidence=same[1:])
    G.add_edge("E", "F", key="criticizes", relation="criticizes", polarity=-1, evidence=same[:1])
    G.add_edge("F", "E", key="criticizes", relation="criticizes", polarity=-1, evidence=same[:1])
    S = signed_graph(G)
    assert S["A"]["B"]["weight"] == pytest.approx(-1.75)
    assert S["C"]["D"]["weight"] == pytest.approx(0.4 * 1.75)
    assert S["E"]["F"]["weight"] == pytest.approx(-0.2)  # two directed claims (they criticise each other)


def test_signed_graph_decay_halves_old_evidence():
    G = nx.MultiDiGraph()
    G.add_edge("A", "B", key="attacks", polarity=-1,
               evidence=[{"date": "2020-01-01", "confidence": 1.0}, {"date": "2020-01-11", "confidence": 1.0}])
    S = signed_graph(G, decay_half_life_days=10)
    assert S["A"]["B"]["weight"] == pytest.approx(-1.5)
    S = signed_graph(G, decay_half_life_days=10, as_of="2020-01-21")
    assert S["A"]["B"]["weight"] == pytest.approx(-0.75)


def test_cooperation_graph_and_time_slices(store):
    G = to_networkx(store)
    C = cooperation_graph(G)
    # leaderOf is neutral (ontology/kg.ttl): a head of state is not "cooperating" with the state
    assert sorted(tuple(sorted(e)) for e in C.edges()) == [("PUTIN", "~person/jane-doe"), ("RUS", "SYR")]
    assert C["RUS"]["SYR"]["weight"] == pytest.approx(0.204)
    assert C["PUTIN"]["~person/jane-doe"]["weight"] == pytest.approx(0.05)  # meetsWith: Goldstein 1.0 x 0.5
    slices = time_slices(G, "month")
    assert list(slices) == ["2018-09", "2018-11"]
    assert sorted(slices["2018-11"].edges(keys=True)) == [("TUR", "SYR", "attacks")]
    assert slices["2018-09"]["TUR"]["SYR"]["attacks"]["count"] == 1
    assert [n["relation"] for n in slices["2018-11"].graph["negated"]] == ["criticizes"]
    assert list(time_slices(G, "year")) == ["2018"]
    with pytest.raises(ValueError, match="period"):
        time_slices(G, "week")


def test_gazetteer_labels_fill_gaps_but_add_no_nodes(store):
    gz = ox.NamedNode(ID + "graph/gazetteer")
    store.extend([ox.Quad(actor("FRA"), kg("key"), ox.Literal("FRA"), gz),
                  ox.Quad(actor("FRA"), LABEL, ox.Literal("France"), gz),
                  ox.Quad(actor("AQ"), kg("key"), ox.Literal("AQ"), gz),
                  ox.Quad(actor("AQ"), LABEL, ox.Literal("al-Qaeda"), gz),
                  ox.Quad(actor("AQ"), RDF_TYPE, kg("ArmedGroup"), gz)])
    d = ox.NamedNode(ID + "doc/" + _h("a.txt")[:16])
    store.add(ox.Quad(d, kg("mentions"), actor("AQ"), d))  # mentioned, but not in the actors graph
    G = to_networkx(store)
    assert "FRA" not in G
    assert (G.nodes["AQ"]["label"], G.nodes["AQ"]["type"], G.nodes["AQ"]["documents"]) == ("al-Qaeda", "ArmedGroup", 1)


def test_fallback_tables_agree_with_the_ontology():
    """Without an ontology graph in the store, the analysis falls back on built-in tables: they must say what
    ontology/kg.ttl says, or the same graph would be analysed differently depending on how it was loaded."""
    from kg.analyse.convert import _FINER_FALLBACK, CORE_GOLDSTEIN, CORE_POLARITY
    from kg.config import load_settings
    from kg.ontology import relation_table

    table = relation_table(load_settings().ontology)
    core = {name: row for name, row in table.items() if row["parent"] is None}
    assert {k: CORE_POLARITY[k] for k in core} == {k: row["polarity"] for k, row in core.items()}
    assert {k: CORE_GOLDSTEIN[k] for k in core} == {k: row["goldstein"] for k, row in core.items()}
    assert all(table[finer]["core"] == parent for finer, parent in _FINER_FALLBACK.items())
    # every finer relation of the ontology is in the fallback, with the same core, polarity and weight
    assert set(_FINER_FALLBACK) == {name for name, row in table.items() if row["parent"] is not None}
    from kg.analyse.convert import relation_table as fallback

    built_in = fallback()
    for name, row in table.items():
        assert (built_in[name]["core"], built_in[name]["polarity"], built_in[name]["goldstein"]) == (
            row["core"], row["polarity"], row["goldstein"]), name
