"""The one bridge from RDF to networkx, and the projections analysis works on.

:func:`to_networkx` reads the store with a few SPARQL SELECTs (on pyoxigraph: fast) and returns the
``MultiDiGraph`` described in ``docs/design.md`` ("networkx schema"): nodes keyed by actor key, one edge per
asserted ``(subject, relation, object)`` keyed by the relation's local name, carrying its evidence.
:func:`signed_graph`, :func:`cooperation_graph` and :func:`time_slices` project it for the metrics. In the
projections each evidence weighs ``|Goldstein| / 10`` of its relation (``kg:goldstein`` in the ontology, -10 ..
+10) times its confidence, so an attack outweighs a meeting; ``weighting="evidence"`` weighs every evidence by
its confidence alone (the unweighted behaviour).

Examples:
    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("TUR", "SYR", key="attacks", polarity=-1, count=2, confidence=0.5, evidence=[])
    'attacks'
    >>> G.add_edge("RUS", "SYR", key="supports", polarity=1, count=1, confidence=1.0, evidence=[])
    'supports'
    >>> S = signed_graph(G)
    >>> S["TUR"]["SYR"]["weight"], S["RUS"]["SYR"]["sign"]
    (-1.0, 1)
"""
from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gc
import logging
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import networkx as nx

from kg.errors import StoreError
from kg.graph.iri import ACTORS_GRAPH, GAZETTEER_GRAPH, ONTOLOGY_GRAPH, actor_key_of
from kg.model import ACTOR_TYPES
from kg.vocab import CORE_RELATIONS, KG_NS, SYMMETRIC_RELATIONS

__all__ = [
    "to_networkx",
    "signed_graph",
    "cooperation_graph",
    "time_slices",
    "period_label",
    "paused_gc",
    "edge_weight",
    "relation_scale",
    "relation_table",
    "CORE_POLARITY",
    "CORE_GOLDSTEIN",
    "WEIGHTINGS",
    "UNSCORED_SCALE",
]

log = logging.getLogger(__name__)

_ACTOR_PREFIX = "https://w3id.org/kg-news/id/actor/"
_PREFIXES = f"""
PREFIX kg: <{KG_NS}>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
"""

#: Polarity of each core relation as ``ontology/kg.ttl`` declares it (``kg:polarity``: +1 cooperation, -1 conflict),
#: used when the store has no ontology graph; a test keeps the two equal.
CORE_POLARITY: dict[str, int] = {
    "leaderOf": 0, "officialOf": 0, "affiliatedWith": 1, "locatedIn": 0, "borders": 0,
    "supports": 1, "cooperatesWith": 1, "agreesWith": 1, "meetsWith": 1, "appealsTo": 1,
    "guarantorOf": 1, "participatesIn": 0, "hosts": 1,
    "opposes": -1, "criticizes": -1, "accuses": -1, "warns": -1, "threatens": -1, "attacks": -1,
    "fightsAgainst": -1, "controls": 0, "deploysTo": 0,
}
# Finer relations of the vocabulary and the core relation each falls under (fallback without ontology).
_FINER_FALLBACK = {
    "headOfStateOf": "leaderOf", "headOfGovernmentOf": "leaderOf", "commanderOf": "leaderOf",
    "ministerOf": "officialOf", "spokespersonOf": "officialOf", "envoyOf": "officialOf",
    "ambassadorOf": "officialOf", "memberOf": "affiliatedWith", "backs": "supports", "allyOf": "supports",
    "armsSupplierOf": "supports", "brokers": "guarantorOf", "condemns": "criticizes", "blames": "accuses",
    "airStrikeOn": "attacks", "shells": "attacks", "besieges": "attacks", "sanctions": "opposes",
    "negotiatesWith": "meetsWith", "visits": "meetsWith", "telephones": "meetsWith", "praises": "supports",
    "recognizes": "supports", "aids": "supports", "pledgesTo": "agreesWith", "concedesTo": "cooperatesWith",
    "releases": "cooperatesWith", "withdrawsFrom": "cooperatesWith", "investigates": "accuses", "sues": "accuses",
    "protestsTo": "criticizes", "demands": "opposes", "rejects": "opposes", "protestsAgainst": "opposes",
    "reducesRelationsWith": "opposes", "coerces": "attacks", "arrests": "attacks", "expels": "attacks",
    "abducts": "attacks", "assassinates": "attacks", "blockades": "attacks",
}
_POLARITY_NAMES = {"cooperation": 1, "conflict": -1, "neutral": 0}
#: Goldstein-style score (-10 .. +10) of each relation, as ``ontology/kg.ttl`` declares it (``kg:goldstein``);
#: used when the store has no ontology graph. Structural ties score 0 there (they are not CAMEO events).
CORE_GOLDSTEIN: dict[str, float] = {
    "leaderOf": 0.0, "officialOf": 0.0, "affiliatedWith": 0.0, "locatedIn": 0.0, "borders": 0.0,
    "supports": 3.4, "cooperatesWith": 6.0, "agreesWith": 4.0, "meetsWith": 1.0, "appealsTo": 3.0,
    "guarantorOf": 5.0, "participatesIn": 1.0, "hosts": 2.8,
    "opposes": -4.0, "criticizes": -2.0, "accuses": -2.0, "warns": -3.0, "threatens": -4.4, "attacks": -10.0,
    "fightsAgainst": -10.0, "controls": 0.0, "deploysTo": -2.0,
    "headOfStateOf": 0.0, "headOfGovernmentOf": 0.0, "commanderOf": 0.0, "ministerOf": 0.0, "spokespersonOf": 0.0,
    "envoyOf": 0.0, "ambassadorOf": 0.0, "memberOf": 0.0, "backs": 5.0, "allyOf": 6.0, "armsSupplierOf": 7.4,
    "brokers": 5.0, "condemns": -2.0, "blames": -2.0, "airStrikeOn": -10.0, "shells": -10.0, "besieges": -9.0,
    "sanctions": -8.0,
    "negotiatesWith": 7.0, "visits": 1.9, "telephones": 1.0, "praises": 3.4, "recognizes": 6.0, "aids": 7.0,
    "pledgesTo": 4.0, "concedesTo": 5.0, "releases": 7.0, "withdrawsFrom": 9.0, "investigates": -2.0, "sues": -2.0,
    "protestsTo": -2.0, "demands": -5.0, "rejects": -4.0, "protestsAgainst": -6.5, "reducesRelationsWith": -4.0,
    "coerces": -7.0, "arrests": -5.0, "expels": -5.0, "abducts": -9.0, "assassinates": -10.0, "blockades": -9.5,
}
#: How relations weigh in the signed projections: ``"goldstein"`` (each evidence weighs |Goldstein| / 10 of its
#: relation times its confidence: an attack outweighs a meeting) or ``"evidence"`` (each evidence weighs its
#: confidence, whatever the relation: the unweighted behaviour).
WEIGHTINGS = ("goldstein", "evidence")
#: Scale (in place of |Goldstein| / 10) of a cooperation or conflict relation without a Goldstein score, or with a
#: score of 0 (structural ties such as ``affiliatedWith``, ``memberOf``): the middle of the scale.
UNSCORED_SCALE = 0.5


# ---------------------------------------------------------------------------------------------- helpers
@contextlib.contextmanager
def paused_gc():
    """Pause the cyclic garbage collector while building many small containers (restored on exit).

    Building a projection of a 300k-relation graph allocates millions of dicts and sets; each automatic
    collection then walks every object of the (large, long-lived) input graph, which more than doubles the
    time. Nothing built here forms reference cycles that need collecting.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _without_gc(function):
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with paused_gc():
            return function(*args, **kwargs)

    return wrapper


# ---------------------------------------------------------------------------------------------- sources
def _oxigraph_store(source: Any):
    """A ``pyoxigraph.Store`` for ``source``: a kg Store (``.raw``), a pyoxigraph Store or an rdflib Dataset."""
    import pyoxigraph as ox

    if isinstance(source, ox.Store):
        return source
    raw = getattr(source, "raw", None)
    if isinstance(raw, ox.Store):
        return raw
    if hasattr(source, "serialize") and hasattr(source, "graphs"):  # rdflib Dataset / ConjunctiveGraph
        store = ox.Store()
        data = source.serialize(format="nquads")
        store.load(data.encode("utf-8") if isinstance(data, str) else data, format=ox.RdfFormat.N_QUADS)
        return store
    raise StoreError(
        f"cannot read a graph from {type(source).__name__}; expected a kg Store, a pyoxigraph.Store "
        "or an rdflib Dataset (open the build output with kg.graph.store.Store.open(OUT/'store'))"
    )


def _value(term) -> Any:
    if term is None:
        return None
    return term.value


def _select(store, query: str) -> Iterable:
    return store.query(_PREFIXES + query)


def _in_window(date: str | None, since: str | None, until: str | None) -> bool:
    if since is None and until is None:
        return True
    if not date:
        return False
    if since is not None and date[: len(since)] < since:
        return False
    if until is not None and date[: len(until)] > until:
        return False
    return True


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    return str(value)


# ---------------------------------------------------------------------------------------------- ontology
def relation_table(source: Any = None) -> dict[str, dict[str, Any]]:
    """Core relation, polarity and symmetry of every relation the ontology graph declares.

    Falls back to the built-in table of the 22 core relations (and the vocabulary's finer ones) for what the
    ontology graph does not say, or when the store has no ontology graph.

    Args:
        source: anything :func:`to_networkx` accepts, or None for the built-in table alone.

    Returns:
        ``{local_name: {"core": str, "polarity": int, "symmetric": bool, "goldstein": float | None}}``;
        ``goldstein`` is the relation's ``kg:goldstein`` score (-10 .. +10), inherited from its super-property
        when it has none, None when neither the ontology nor the built-in table knows it.

    Examples:
        >>> relation_table()["airStrikeOn"]
        {'core': 'attacks', 'polarity': -1, 'symmetric': False, 'goldstein': -10.0}
    """
    parents: dict[str, str] = dict(_FINER_FALLBACK)
    polarity: dict[str, int] = {}
    goldstein: dict[str, float] = {}
    symmetric: set[str] = set(SYMMETRIC_RELATIONS)
    if source is not None:
        store = _oxigraph_store(source)
        graph = f"<{ONTOLOGY_GRAPH}>"
        for row in _select(store, f"SELECT ?p ?q WHERE {{ GRAPH {graph} {{ ?p rdfs:subPropertyOf ?q }} }}"):
            p, q = _local(row["p"].value), _local(row["q"].value)
            if p and q and p != q:
                parents[p] = q
        for row in _select(store, f"SELECT ?p ?v WHERE {{ GRAPH {graph} {{ ?p kg:polarity ?v }} }}"):
            p = _local(row["p"].value)
            value = _polarity_value(row["v"].value)
            if p and value is not None:
                polarity[p] = value
        for row in _select(store, f"SELECT ?p ?v WHERE {{ GRAPH {graph} {{ ?p kg:goldstein ?v }} }}"):
            p = _local(row["p"].value)
            try:
                score = float(row["v"].value)
            except ValueError:
                continue
            if p:
                goldstein[p] = score
        for row in _select(store, f"SELECT ?p WHERE {{ GRAPH {graph} {{ ?p a owl:SymmetricProperty }} }}"):
            p = _local(row["p"].value)
            if p:
                symmetric.add(p)
    names = set(CORE_RELATIONS) | set(parents) | set(polarity)
    table: dict[str, dict[str, Any]] = {}
    for name in sorted(names):
        core, seen = name, set()
        while core not in CORE_RELATIONS and core in parents and core not in seen:
            seen.add(core)
            core = parents[core]
        if core not in CORE_RELATIONS:
            core = name
        pol, step, seen = None, name, set()
        while pol is None and step is not None and step not in seen:
            seen.add(step)
            pol = polarity.get(step)
            step = parents.get(step)
        if pol is None:
            pol = CORE_POLARITY.get(core, 0)
        score, step, seen = None, name, set()
        while score is None and step is not None and step not in seen:
            seen.add(step)
            score = goldstein.get(step, CORE_GOLDSTEIN.get(step))
            step = parents.get(step)
        table[name] = {"core": core, "polarity": pol, "symmetric": name in symmetric, "goldstein": score}
    return table


def _local(iri: str) -> str | None:
    return iri[len(KG_NS):] if iri.startswith(KG_NS) else None


def _polarity_value(value: str) -> int | None:
    name = value.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    if name in _POLARITY_NAMES:
        return _POLARITY_NAMES[name]
    try:
        number = float(value)
    except ValueError:
        return None
    return (number > 0) - (number < 0)


# ---------------------------------------------------------------------------------------------- to_networkx
@_without_gc
def to_networkx(source: Any, *, since: str | dt.date | None = None,
                until: str | dt.date | None = None) -> nx.MultiDiGraph:
    """The actor network of a store as a ``MultiDiGraph`` (schema: ``docs/design.md``).

    Args:
        source: a kg ``Store`` (its ``.raw``), a ``pyoxigraph.Store``, or an rdflib ``Dataset``.
        since: keep only documents dated on or after this ISO date (undated documents are then left out).
        until: keep only documents dated on or before this ISO date.

    Returns:
        Nodes keyed by actor key; one edge per asserted ``(s, relation, o)``, keyed by the relation's local
        name. Negated evidence is listed in ``G.graph["negated"]``, documents in ``G.graph["documents"]``.

    Raises:
        StoreError: ``source`` is not a store or dataset.

    Examples:
        >>> import pyoxigraph as ox
        >>> G = to_networkx(ox.Store())
        >>> G.number_of_nodes(), G.graph["negated"]
        (0, [])
    """
    since, until = _iso(since), _iso(until)
    store = _oxigraph_store(source)
    relations = relation_table(store)

    documents: dict[str, dict[str, Any]] = {}
    doc_of_graph: dict[str, str] = {}
    for row in _select(store, """
        SELECT ?d ?id ?title ?date ?source WHERE { GRAPH ?d {
          ?d a kg:Document ; dcterms:identifier ?id .
          OPTIONAL { ?d dcterms:title ?title } OPTIONAL { ?d dcterms:date ?date }
          OPTIONAL { ?d dcterms:source ?source } } }"""):
        date = _value(row["date"])
        if not _in_window(date, since, until):
            continue
        doc_id = row["id"].value
        documents[doc_id] = {"title": _value(row["title"]), "date": date, "source": _value(row["source"]),
                             "iri": row["d"].value}
        doc_of_graph[row["d"].value] = doc_id

    mentioned: dict[str, set[str]] = defaultdict(set)
    for row in _select(store, "SELECT ?d ?a WHERE { GRAPH ?d { ?d a kg:Document ; kg:mentions ?a } }"):
        doc_id = doc_of_graph.get(row["d"].value)
        key = actor_key_of(row["a"].value)
        if doc_id is not None and key:
            mentioned[key].add(doc_id)

    # asserted triples: the claim is in a document graph only if one of its evidence is not negated
    asserted: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for row in _select(store, f"""
        SELECT ?d ?s ?p ?o WHERE {{ GRAPH ?d {{ ?d a kg:Document . ?s ?p ?o .
          FILTER(STRSTARTS(STR(?s), "{_ACTOR_PREFIX}") && STRSTARTS(STR(?o), "{_ACTOR_PREFIX}")
                 && STRSTARTS(STR(?p), "{KG_NS}")) }} }}"""):
        doc_id = doc_of_graph.get(row["d"].value)
        rel = _local(row["p"].value)
        s, o = actor_key_of(row["s"].value), actor_key_of(row["o"].value)
        if doc_id is not None and rel and s and o:
            asserted[(s, rel, o)].add(doc_id)

    speakers: dict[str, list[str]] = defaultdict(list)
    for row in _select(store, "SELECT ?ev ?sp WHERE { GRAPH ?d { ?ev a kg:Evidence ; kg:assertedBy ?sp } }"):
        key = actor_key_of(row["sp"].value)
        if key:
            speakers[row["ev"].value].append(key)

    evidence: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    negated: list[dict] = []
    for row in _select(store, """
        SELECT ?d ?ev ?s ?p ?o ?sentence ?sstart ?start ?end ?conf ?mod ?date WHERE { GRAPH ?d {
          ?ev a kg:Evidence ; kg:subjectActor ?s ; kg:relation ?p ; kg:objectActor ?o .
          OPTIONAL { ?ev kg:sentence ?sentence } OPTIONAL { ?ev kg:sentenceStart ?sstart }
          OPTIONAL { ?ev kg:charStart ?start } OPTIONAL { ?ev kg:charEnd ?end }
          OPTIONAL { ?ev kg:confidence ?conf } OPTIONAL { ?ev kg:modality ?mod }
          OPTIONAL { ?ev kg:articleDate ?date } } }"""):
        doc_id = doc_of_graph.get(row["d"].value)
        rel = _local(row["p"].value)
        s, o = actor_key_of(row["s"].value), actor_key_of(row["o"].value)
        if doc_id is None or not (rel and s and o):
            continue
        doc = documents[doc_id]
        modality = (_local(row["mod"].value) if row["mod"] is not None else None) or "asserted"
        record = {
            "doc_id": doc_id, "title": doc["title"], "date": _value(row["date"]) or doc["date"],
            "source": doc["source"], "sentence": _value(row["sentence"]),
            "sentence_start": _int(row["sstart"]), "start": _int(row["start"]), "end": _int(row["end"]),
            "confidence": float(row["conf"].value) if row["conf"] is not None else 0.5,
            "modality": modality, "speakers": sorted(set(speakers.get(row["ev"].value, ()))),
            "evidence_iri": row["ev"].value,
        }
        if modality == "negated":
            negated.append({"s": s, "relation": rel, "o": o, **record})
        else:
            evidence[(s, rel, o)].append(record)

    G = nx.MultiDiGraph()
    G.graph["documents"] = dict(sorted(documents.items()))
    G.graph["negated"] = sorted(negated, key=lambda e: (e["s"], e["relation"], e["o"], e["doc_id"], e["start"] or 0))
    G.graph["since"], G.graph["until"] = since, until

    keys = set(mentioned) | {k for triple in asserted for k in (triple[0], triple[2])}
    actors = _actors(store)
    if since is None and until is None:
        keys |= {key for key, info in actors.items() if info.get("in_actors_graph")}
    aliases = _aliases(store)
    for key in sorted(keys):
        info = actors.get(key, {})
        G.add_node(key, label=info.get("label") or key, type=info.get("type"), subtype=info.get("subtype"),
                   iri=_ACTOR_PREFIX + key if not info.get("iri") else info["iri"],
                   provisional=bool(info.get("provisional", key.startswith("~"))),
                   aliases=sorted(aliases.get(key, ())), documents=len(mentioned.get(key, ())))

    for (s, rel, o), docs in sorted(asserted.items()):
        records = sorted(evidence.get((s, rel, o), []),
                         key=lambda e: (e["date"] or "", e["doc_id"], e["start"] or 0, e["evidence_iri"]))
        info = relations.get(rel) or {"core": rel, "polarity": 0, "symmetric": False, "goldstein": None}
        dates = sorted({e["date"] for e in records if e["date"]}) or sorted(
            {documents[d]["date"] for d in docs if documents[d]["date"]})
        G.add_edge(s, o, key=rel, relation=rel, core=info["core"], polarity=info["polarity"],
                   symmetric=info["symmetric"], goldstein=info["goldstein"], count=len(records) or len(docs),
                   confidence=max((e["confidence"] for e in records), default=0.5),
                   dates=dates, first_date=dates[0] if dates else None, last_date=dates[-1] if dates else None,
                   documents=sorted(docs | {e["doc_id"] for e in records}), evidence=records)
    log.info("networkx graph: %d actors, %d relations, %d negated evidence",
             G.number_of_nodes(), G.number_of_edges(), len(negated))
    return G


def _int(term) -> int | None:
    return int(term.value) if term is not None else None


def _actors(store) -> dict[str, dict[str, Any]]:
    """Label, type, subtype, provisional flag of every actor in the actors graph (gazetteer labels fill gaps)."""
    actors: dict[str, dict[str, Any]] = {}
    for graph in (GAZETTEER_GRAPH, ACTORS_GRAPH):  # actors graph last: it wins
        for row in _select(store, f"""
            SELECT ?a ?label ?type ?prov WHERE {{ GRAPH <{graph}> {{
              ?a kg:key ?key . OPTIONAL {{ ?a rdfs:label ?label }} OPTIONAL {{ ?a a ?type }}
              OPTIONAL {{ ?a kg:provisional ?prov }} }} }}"""):
            key = actor_key_of(row["a"].value)
            if not key:
                continue
            info = actors.setdefault(key, {"iri": row["a"].value})
            if graph == ACTORS_GRAPH and not info.get("in_actors_graph"):
                info.update(in_actors_graph=True, type=None, subtype=None)
            if row["label"] is not None and (graph == ACTORS_GRAPH or not info.get("label")):
                info["label"] = row["label"].value
            type_ = _local(row["type"].value) if row["type"] is not None else None
            if type_ in ACTOR_TYPES:
                info["type"] = type_
            elif type_ and type_ != "Actor":
                info["subtype"] = type_
            if row["prov"] is not None:
                info["provisional"] = row["prov"].value in ("true", "1")
    return actors


def _aliases(store) -> dict[str, set[str]]:
    aliases: dict[str, set[str]] = defaultdict(set)
    for row in _select(store, f"""
        SELECT DISTINCT ?a ?alt WHERE {{ GRAPH ?g {{ ?a skos:altLabel ?alt .
          FILTER(STRSTARTS(STR(?a), "{_ACTOR_PREFIX}")) }} }}"""):
        key = actor_key_of(row["a"].value)
        if key:
            aliases[key].add(row["alt"].value)
    return aliases


# ---------------------------------------------------------------------------------------------- projections
def _decay(date: str | None, as_of: dt.date | None, half_life: float | None) -> float:
    if not half_life or as_of is None or not date:
        return 1.0
    try:
        day = dt.date.fromisoformat(_full_date(date))
    except ValueError:
        return 1.0
    age = max((as_of - day).days, 0)
    return 0.5 ** (age / half_life)


def _full_date(date: str) -> str:
    date = date[:10]
    if len(date) == 4:
        return date + "-07-01"
    if len(date) == 7:
        return date + "-15"
    return date


@functools.lru_cache(maxsize=1)
def _builtin_scores() -> dict[str, float | None]:
    return {name: info["goldstein"] for name, info in relation_table().items()}


def relation_scale(data: dict, relation: str | None = None, *, weighting: str = "goldstein") -> float:
    """How much one evidence of a relation weighs before its confidence: ``|Goldstein| / 10`` (0 .. 1).

    The score is the edge's ``goldstein`` attribute (from the ontology, see :func:`to_networkx`), else the
    built-in table's score of its ``relation`` (or of ``relation``). A relation without a score, or scored 0,
    weighs ``UNSCORED_SCALE``. With ``weighting="evidence"`` every relation weighs 1.

    Raises:
        ValueError: ``weighting`` is not one of ``WEIGHTINGS``.

    Examples:
        >>> relation_scale({"relation": "attacks"}), relation_scale({"relation": "meetsWith"})
        (1.0, 0.1)
        >>> relation_scale({"goldstein": -4.4}), relation_scale({"relation": "memberOf"})
        (0.44, 0.5)
        >>> relation_scale({"relation": "meetsWith"}, weighting="evidence")
        1.0
    """
    if weighting == "evidence":
        return 1.0
    if weighting != "goldstein":
        raise ValueError(f"weighting {weighting!r} is not one of {', '.join(WEIGHTINGS)}")
    score = data.get("goldstein")
    if score is None:
        score = _builtin_scores().get(data.get("relation") or relation)
    if not score:
        return UNSCORED_SCALE
    return round(min(abs(float(score)), 10.0) / 10.0, 12)


def _distinct(records: list[dict]) -> list[dict]:
    """One evidence per sentence: the same claim found twice in one sentence (two rules, two mentions)
    counts once, at its best confidence. Records without a document or sentence offset are all kept."""
    if len(records) < 2:
        return records
    best: dict[tuple, dict] = {}
    loose = []
    for e in records:
        doc, start = e.get("doc_id"), e.get("sentence_start")
        if doc is None or start is None:
            loose.append(e)
            continue
        kept = best.get((doc, start))
        if kept is None or e.get("confidence", 0.5) > kept.get("confidence", 0.5):
            best[(doc, start)] = e
    return loose + list(best.values()) if best else loose


def edge_weight(data: dict, *, relation: str | None = None, weighting: str = "goldstein",
                as_of: dt.date | None = None, half_life_days: float | None = None) -> float:
    """Weight of one relation edge: the sum over its evidence of scale x confidence x decay.

    The scale is :func:`relation_scale` (``|Goldstein| / 10`` by default, 1 with ``weighting="evidence"``);
    the same claim twice in one sentence counts once; each evidence is halved every ``half_life_days`` of age
    before ``as_of`` when both are given. An edge without an evidence list weighs scale x count x confidence.

    Examples:
        >>> edge_weight({"relation": "attacks", "evidence": [{"confidence": 0.5}, {"confidence": 0.75}]})
        1.25
        >>> edge_weight({"relation": "meetsWith", "count": 2, "confidence": 0.5})
        0.1
        >>> edge_weight({"relation": "meetsWith", "count": 2, "confidence": 0.5}, weighting="evidence")
        1.0
    """
    scale = relation_scale(data, relation, weighting=weighting)
    records = data.get("evidence") or []
    if records:
        return scale * _records_weight(records, as_of, half_life_days)
    return scale * data.get("count", 1) * data.get("confidence", 0.5) * _decay(data.get("last_date"), as_of,
                                                                              half_life_days)


def _records_weight(records: list[dict], as_of: dt.date | None, half_life_days: float | None) -> float:
    if len(records) > 1:
        records = _distinct(records)
    if not half_life_days or as_of is None:
        return sum(e.get("confidence", 0.5) for e in records)
    return sum(e.get("confidence", 0.5) * _decay(e.get("date"), as_of, half_life_days) for e in records)


def _pair_weights(G: nx.MultiDiGraph, *, weighting: str, as_of: dt.date | None = None,
                  half_life_days: float | None = None, signs: tuple[int, ...] = (1, -1),
                  cooperation_events: float = 1.0) -> dict[tuple, list]:
    """``{(u, v): [positive, negative, relations]}`` over the signed relations of ``G`` (u <= v as strings).

    A symmetric relation stated both ways (``A meetsWith B``, ``B meetsWith A``) pools its evidence, so one
    sentence read in both directions counts once.
    """
    relation_scale({}, weighting=weighting)  # validate early
    scales: dict[tuple, float] = {}
    sums: dict[tuple, list] = {}
    pooled: dict[tuple, list[dict]] = defaultdict(list)
    keep_positive, keep_negative = 1 in signs, -1 in signs
    for u, v, rel, data in G.edges(keys=True, data=True):
        polarity = data.get("polarity", 0)
        if u == v or not polarity or not (keep_positive if polarity > 0 else keep_negative):
            continue
        pair = (u, v) if str(u) <= str(v) else (v, u)
        records = data.get("evidence")
        if records and data.get("symmetric"):
            pooled[(pair, rel, polarity > 0)].append(data)
            continue
        scale_key = (rel, data.get("relation"), data.get("goldstein"))
        scale = scales.get(scale_key)
        if scale is None:
            scale = scales[scale_key] = relation_scale(data, rel, weighting=weighting) * (
                cooperation_events if polarity > 0 and (data.get("core") or rel) in COOPERATION_EVENTS else 1.0)
        if records:
            weight = scale * _records_weight(records, as_of, half_life_days)
        else:
            weight = scale * data.get("count", 1) * data.get("confidence", 0.5) * _decay(
                data.get("last_date"), as_of, half_life_days)
        entry = sums.get(pair)
        if entry is None:
            entry = sums[pair] = [0.0, 0.0, set()]
        entry[0 if polarity > 0 else 1] += weight
        entry[2].add(rel)
    for (pair, rel, positive), datas in pooled.items():
        records = datas[0]["evidence"] if len(datas) == 1 else [e for d in datas for e in d["evidence"]]
        weight = relation_scale(datas[0], rel, weighting=weighting) * _records_weight(records, as_of, half_life_days)
        if positive and (datas[0].get("core") or rel) in COOPERATION_EVENTS:
            weight *= cooperation_events
        entry = sums.setdefault(pair, [0.0, 0.0, set()])
        entry[0 if positive else 1] += weight
        entry[2].add(rel)
    return sums


#: Cooperation that happens as a dated event (ontology kg:eventClass kg:event, polarity +1): meetings, deals,
#: appeals, hosting, joint action. Adversaries do all of these (that is what diplomacy is), so bloc detection
#: counts them at ALIGNMENT_EVENT_WEIGHT of their weight: alignment is read from standing relations and conflict.
COOPERATION_EVENTS = frozenset({"cooperatesWith", "agreesWith", "meetsWith", "appealsTo", "hosts"})
ALIGNMENT_EVENT_WEIGHT = 0.25


def alignment_graph(G: nx.MultiDiGraph, **options) -> nx.Graph:
    """The signed graph that blocs are read from: :func:`signed_graph` with cooperation events discounted.

    Turkey and Russia meet, agree and guarantee talks together while backing opposite sides of a war: their
    meetings are interactions, not alignment. Cooperation events (:data:`COOPERATION_EVENTS`) weigh
    :data:`ALIGNMENT_EVENT_WEIGHT` of their usual weight; standing relations and all conflict count fully.

    Examples:
        >>> G = nx.MultiDiGraph()
        >>> G.add_edge("A", "B", key="agreesWith", polarity=1, core="agreesWith", count=2, confidence=1.0)
        'agreesWith'
        >>> G.add_edge("A", "B", key="warns", polarity=-1, core="warns", count=1, confidence=1.0)
        'warns'
        >>> signed_graph(G)["A"]["B"]["sign"], alignment_graph(G)["A"]["B"]["sign"]
        (1, -1)
    """
    options.setdefault("cooperation_events", ALIGNMENT_EVENT_WEIGHT)
    return signed_graph(G, **options)


@_without_gc
def signed_graph(G: nx.MultiDiGraph, *, weighting: str = "goldstein", decay_half_life_days: float | None = None,
                 as_of: str | dt.date | None = None, cooperation_events: float = 1.0) -> nx.Graph:
    """Undirected weighted signed projection: cooperation adds, conflict subtracts.

    By default (``weighting="goldstein"``, event-data practice) each evidence weighs ``|Goldstein| / 10`` of its
    relation times its confidence: one attack (-10) outweighs nine meetings (+1), a verbal criticism (-2) weighs
    a fifth of an attack. ``weighting="evidence"`` is the unweighted behaviour: every evidence weighs its
    confidence, so an edge weighs about count x confidence. Either way the same claim twice in one sentence
    counts once, each evidence is halved every ``decay_half_life_days`` of age when given, and neutral
    relations and self-loops are left out.

    Args:
        G: a graph from :func:`to_networkx`.
        weighting: ``"goldstein"`` or ``"evidence"`` (see above).
        decay_half_life_days: age at which an evidence counts half; None for no decay.
        as_of: the date ages are measured from (default: the latest date in ``G``).
        cooperation_events: factor on the weight of cooperation events (:data:`COOPERATION_EVENTS`);
            :func:`alignment_graph` uses :data:`ALIGNMENT_EVENT_WEIGHT`.

    Returns:
        ``nx.Graph`` with edge attributes ``weight`` (positive - negative), ``positive``, ``negative``,
        ``sign`` (+1, -1, or 0 on an exact tie) and ``relations`` (sorted relation names); every node of ``G``.

    Raises:
        ValueError: ``weighting`` is not one of ``WEIGHTINGS``.

    Examples:
        >>> G = nx.MultiDiGraph()
        >>> G.add_edge("A", "B", key="meetsWith", polarity=1, count=3, confidence=1.0)
        'meetsWith'
        >>> G.add_edge("B", "A", key="attacks", polarity=-1, count=1, confidence=1.0)
        'attacks'
        >>> S = signed_graph(G)
        >>> S["A"]["B"]["weight"], S["A"]["B"]["positive"], S["A"]["B"]["negative"]
        (-0.7, 0.3, 1.0)
        >>> signed_graph(G, weighting="evidence")["A"]["B"]["weight"]
        2.0
    """
    if as_of is None and decay_half_life_days:
        dates = [d.get("last_date") for _, _, d in G.edges(data=True) if d.get("last_date")]
        dates += [e["date"] for _, _, evs in G.edges(data="evidence") for e in evs or () if e.get("date")]
        as_of = max(dates) if dates else None
    as_of_day = dt.date.fromisoformat(_full_date(_iso(as_of))) if as_of else None
    sums = _pair_weights(G, weighting=weighting, as_of=as_of_day, half_life_days=decay_half_life_days,
                         cooperation_events=cooperation_events)
    S = nx.Graph()
    S.add_nodes_from(G.nodes(data=True))
    edges = []
    for (u, v), (pos, neg, rels) in sums.items():  # in the edge order of G: deterministic
        net = round(pos - neg, 12)
        edges.append((u, v, {"weight": net, "positive": round(pos, 12), "negative": round(neg, 12),
                             "sign": (net > 0) - (net < 0),
                             "relations": sorted(rels) if len(rels) > 1 else list(rels)}))
    S.add_edges_from(edges)
    return S


@_without_gc
def cooperation_graph(G: nx.MultiDiGraph, *, weighting: str = "goldstein") -> nx.Graph:
    """Undirected graph of cooperation relations only (polarity +1), weighted like :func:`signed_graph`.

    Examples:
        >>> G = nx.MultiDiGraph()
        >>> G.add_edge("A", "B", key="attacks", polarity=-1, count=1, confidence=1.0)
        'attacks'
        >>> G.add_edge("A", "C", key="cooperatesWith", polarity=1, count=2, confidence=0.5)
        'cooperatesWith'
        >>> sorted(cooperation_graph(G).edges(data="weight"))
        [('A', 'C', 0.6)]
        >>> sorted(cooperation_graph(G, weighting="evidence").edges(data="weight"))
        [('A', 'C', 1.0)]
    """
    sums = _pair_weights(G, weighting=weighting, signs=(1,))
    C = nx.Graph()
    C.add_nodes_from(G.nodes(data=True))
    C.add_edges_from((u, v, {"weight": round(pos, 12)}) for (u, v), (pos, _, _) in sums.items())
    return C


def period_label(date: str, period: str = "quarter") -> str:
    """The period an ISO date falls in: ``2018-09`` (month), ``2018-Q3`` (quarter) or ``2018`` (year).

    Examples:
        >>> period_label("2018-09-14"), period_label("2018-09-14", "month"), period_label("2018-09", "year")
        ('2018-Q3', '2018-09', '2018')
    """
    if period not in ("month", "quarter", "year"):
        raise ValueError(f"period {period!r} is not one of month, quarter, year")
    year = date[:4]
    if period == "year" or len(date) < 7:
        return year
    month = date[5:7]
    if period == "month":
        return f"{year}-{month}"
    return f"{year}-Q{(int(month) - 1) // 3 + 1}"


@_without_gc
def time_slices(G: nx.MultiDiGraph, period: str = "month") -> dict[str, nx.MultiDiGraph]:
    """One graph per period (month, quarter or year), by the date of each evidence.

    Each slice keeps the edges with evidence dated in that period (count, confidence, dates and documents
    recomputed from that evidence) and the actors they join; undated evidence is in no slice.

    Returns:
        ``{label: MultiDiGraph}`` in chronological order.

    Examples:
        >>> G = nx.MultiDiGraph()
        >>> ev = [{"date": "2018-01-05", "confidence": 0.9, "doc_id": "a"},
        ...       {"date": "2018-05-01", "confidence": 0.7, "doc_id": "b"}]
        >>> G.add_edge("TUR", "SYR", key="attacks", relation="attacks", polarity=-1, evidence=ev)
        'attacks'
        >>> slices = time_slices(G, "quarter")
        >>> list(slices), slices["2018-Q2"]["TUR"]["SYR"]["attacks"]["count"]
        (['2018-Q1', '2018-Q2'], 1)
    """
    period_label("2000-01-01", period)  # validate early
    labels: dict[str, str] = {}  # date -> period label, computed once per distinct date
    edges: dict[str, list] = defaultdict(list)
    for u, v, rel, data in G.edges(keys=True, data=True):
        by_period: dict[str, list[dict]] = {}
        for e in data.get("evidence") or ():
            date = e.get("date")
            if date:
                label = labels.get(date)
                if label is None:
                    label = labels[date] = period_label(date, period)
                by_period.setdefault(label, []).append(e)
        for label, records in by_period.items():
            dates = sorted({e["date"] for e in records})
            attrs = dict(data)
            attrs.update(count=len(records), confidence=max(e.get("confidence", 0.5) for e in records),
                         dates=dates, first_date=dates[0], last_date=dates[-1],
                         documents=sorted({e["doc_id"] for e in records if e.get("doc_id")}), evidence=records)
            edges[label].append((u, v, rel, attrs))
    slices: dict[str, nx.MultiDiGraph] = {}
    for label, items in edges.items():
        H = nx.MultiDiGraph()
        H.graph.update({k: v for k, v in G.graph.items() if k not in ("negated", "documents")})
        H.graph.update(period=label, negated=[], documents={})
        ends = dict.fromkeys(node for u, v, _, _ in items for node in (u, v))  # in order of first use
        H.add_nodes_from((node, G.nodes[node]) for node in ends)
        H.add_edges_from(items)
        slices[label] = H
    documents = G.graph.get("documents", {})
    for label, H in slices.items():
        docs = {d for _, _, ds in H.edges(data="documents") for d in ds or ()}
        H.graph["documents"] = {d: documents[d] for d in sorted(docs) if d in documents}
    for item in G.graph.get("negated", []):
        if item.get("date"):
            label = period_label(item["date"], period)
            if label in slices:
                slices[label].graph["negated"].append(item)
    return dict(sorted(slices.items()))
