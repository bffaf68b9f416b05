"""The kg ontology's namespace as a closed rdflib ``DefinedNamespace``: ``KG.suports`` raises.

Every term here is declared in ``ontology/kg.ttl``; ``tests/test_ontology.py`` checks both ways.
"""
from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

__all__ = ["KG", "KG_NS", "ID_NS", "CORE_RELATIONS", "SYMMETRIC_RELATIONS"]

KG_NS = "https://w3id.org/kg-news/ontology#"
#: Base of every IRI kg mints (actors, documents, evidence, graphs).
ID_NS = Namespace("https://w3id.org/kg-news/id/")

#: The core relation vocabulary (local names fixed by the gold files and the scorer).
CORE_RELATIONS = (
    "leaderOf", "officialOf", "affiliatedWith", "locatedIn", "borders",
    "supports", "cooperatesWith", "agreesWith", "meetsWith", "appealsTo",
    "guarantorOf", "participatesIn", "hosts",
    "opposes", "criticizes", "accuses", "warns", "threatens", "attacks",
    "fightsAgainst", "controls", "deploysTo",
)
SYMMETRIC_RELATIONS = frozenset({"borders", "cooperatesWith", "agreesWith", "meetsWith"})


class KG(DefinedNamespace):
    """Terms of ``https://w3id.org/kg-news/ontology#``."""

    _fail = True
    _NS = Namespace(KG_NS)

    # actor classes
    Actor: URIRef
    Person: URIRef
    State: URIRef
    Organization: URIRef
    GovernmentBody: URIRef
    InternationalOrganization: URIRef
    MediaOrganization: URIRef
    NGO: URIRef
    ArmedGroup: URIRef
    Group: URIRef
    Place: URIRef
    City: URIRef
    Region: URIRef
    Event: URIRef
    Talks: URIRef
    Summit: URIRef
    Agreement: URIRef
    Operation: URIRef
    # documents, evidence, metrics
    Document: URIRef
    Evidence: URIRef
    Role: URIRef
    Modality: URIRef
    Mention: URIRef
    Polarity: URIRef
    # core relations
    leaderOf: URIRef
    officialOf: URIRef
    affiliatedWith: URIRef
    locatedIn: URIRef
    borders: URIRef
    supports: URIRef
    cooperatesWith: URIRef
    agreesWith: URIRef
    meetsWith: URIRef
    appealsTo: URIRef
    guarantorOf: URIRef
    participatesIn: URIRef
    hosts: URIRef
    opposes: URIRef
    criticizes: URIRef
    accuses: URIRef
    warns: URIRef
    threatens: URIRef
    attacks: URIRef
    fightsAgainst: URIRef
    controls: URIRef
    deploysTo: URIRef
    # finer relations (rdfs:subPropertyOf a core one)
    headOfStateOf: URIRef
    headOfGovernmentOf: URIRef
    ministerOf: URIRef
    spokespersonOf: URIRef
    envoyOf: URIRef
    ambassadorOf: URIRef
    commanderOf: URIRef
    memberOf: URIRef
    backs: URIRef
    allyOf: URIRef
    armsSupplierOf: URIRef
    brokers: URIRef
    condemns: URIRef
    blames: URIRef
    airStrikeOn: URIRef
    shells: URIRef
    besieges: URIRef
    sanctions: URIRef
    # the event typology (PLOVER types the core relations do not name; ontology/README.md)
    negotiatesWith: URIRef
    visits: URIRef
    telephones: URIRef
    praises: URIRef
    recognizes: URIRef
    aids: URIRef
    pledgesTo: URIRef
    concedesTo: URIRef
    releases: URIRef
    withdrawsFrom: URIRef
    investigates: URIRef
    sues: URIRef
    protestsTo: URIRef
    demands: URIRef
    rejects: URIRef
    protestsAgainst: URIRef
    reducesRelationsWith: URIRef
    coerces: URIRef
    arrests: URIRef
    expels: URIRef
    abducts: URIRef
    assassinates: URIRef
    blockades: URIRef
    # evidence model
    relation: URIRef
    subjectActor: URIRef
    objectActor: URIRef
    sentence: URIRef
    sentenceStart: URIRef
    charStart: URIRef
    charEnd: URIRef
    confidence: URIRef
    modality: URIRef
    assertedBy: URIRef
    extractorVersion: URIRef
    rule: URIRef
    articleDate: URIRef
    mentions: URIRef
    actor: URIRef
    text: URIRef
    contentHash: URIRef
    # modalities
    asserted: URIRef
    reported: URIRef
    hedged: URIRef
    planned: URIRef
    negated: URIRef
    # relation annotations
    polarity: URIRef
    cooperation: URIRef
    conflict: URIRef
    neutral: URIRef
    verbal: URIRef
    material: URIRef
    eventClass: URIRef
    standing: URIRef
    event: URIRef
    goldstein: URIRef
    cameoCode: URIRef
    ploverType: URIRef
    relationKind: URIRef
    # actor identifiers and roles
    key: URIRef
    iso2: URIRef
    iso3: URIRef
    wikidata: URIRef
    cameoActorCode: URIRef
    sector: URIRef
    provisional: URIRef
    hasRole: URIRef
    roleRelation: URIRef
    roleOf: URIRef
    roleTitle: URIRef
    validFrom: URIRef
    validUntil: URIRef
    # metrics written back by analysis
    pageRank: URIRef
    betweenness: URIRef
    degree: URIRef
    bloc: URIRef
    community: URIRef
