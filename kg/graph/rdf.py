"""Records (``kg.model``) and gazetteer entries -> pyoxigraph quads, following the RDF layout of docs/design.md.

Only IRIs minted by :mod:`kg.graph.iri` are used (no blank nodes), literals carry explicit datatypes
(``xsd:date`` dates, ``xsd:decimal`` confidence, ``xsd:integer`` offsets), and the output is a pure function of
the input: the same record gives the same quads.

Relation triples ``<s> kg:<rel> <o>`` are written only for relations with at least one non-negated evidence;
evidence nodes never use ``rdf:subject``/``rdf:predicate``/``rdf:object`` (negated evidence must not read as a
claim) but ``kg:subjectActor``/``kg:relation``/``kg:objectActor``.
"""
from __future__ import annotations

import datetime as _dt
import logging
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from pyoxigraph import Literal, NamedNode, Quad

from kg.graph import iri
from kg.model import ACTOR_TYPES, MODALITIES, Actor, DocResult, states_fact
from kg.vocab import KG, KG_NS

__all__ = [
    "document_quads",
    "actor_quads",
    "gazetteer_quads",
    "kg_term",
    "date_literal",
    "decimal_literal",
    "clean_text",
    "RDF_TYPE",
    "RDFS_LABEL",
    "SKOS_ALT",
]

log = logging.getLogger(__name__)

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDFS_LABEL = NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
RDFS_SEE_ALSO = NamedNode("http://www.w3.org/2000/01/rdf-schema#seeAlso")
SKOS_ALT = NamedNode("http://www.w3.org/2004/02/skos/core#altLabel")
DCT = "http://purl.org/dc/terms/"
PROV_DERIVED = NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom")
XSD_DATE = NamedNode(XSD + "date")
XSD_INTEGER = NamedNode(XSD + "integer")
XSD_DECIMAL = NamedNode(XSD + "decimal")
XSD_BOOLEAN = NamedNode(XSD + "boolean")
_TRUE = Literal("true", datatype=XSD_BOOLEAN)

_SURROGATE = re.compile(r"[\ud800-\udfff]")
_HTTP_IRI = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def clean_text(text: str) -> str:
    """Replace lone surrogates (not encodable in UTF-8) by U+FFFD, keeping the length (offsets stay valid)."""
    return _SURROGATE.sub("\ufffd", text)


def _lit(text: Any) -> Literal:
    return Literal(clean_text(str(text)))


def _int(n: int) -> Literal:
    return Literal(str(int(n)), datatype=XSD_INTEGER)


def decimal_literal(value: float) -> Literal:
    """A canonical ``xsd:decimal`` (4 decimals, trailing zeros dropped): ``0.8`` -> ``"0.8"^^xsd:decimal``."""
    text = f"{float(value):.4f}".rstrip("0")
    if text.endswith("."):
        text += "0"
    if text in ("-0.0",):
        text = "0.0"
    return Literal(text, datatype=XSD_DECIMAL)


def date_literal(value: Any) -> Literal | None:
    """``xsd:date`` for a full date, ``xsd:gYearMonth``/``xsd:gYear`` for partial ones, None when unreadable."""
    if value is None:
        return None
    if isinstance(value, (_dt.date, _dt.datetime)):
        value = value.isoformat()
    m = _DATE.match(str(value).strip())
    if not m:
        log.warning("date %r is not ISO 8601 (YYYY-MM-DD); left out of the graph", value)
        return None
    year, month, day = m.groups()
    try:
        if day:
            return Literal(_dt.date(int(year), int(month), int(day)).isoformat(), datatype=XSD_DATE)
        if month:
            _dt.date(int(year), int(month), 1)
            return Literal(f"{year}-{month}", datatype=NamedNode(XSD + "gYearMonth"))
    except ValueError:
        log.warning("date %r is not a valid calendar date; left out of the graph", value)
        return None
    return Literal(year, datatype=NamedNode(XSD + "gYear"))


def kg_term(local: str) -> NamedNode | None:
    """``kg:<local>`` when the ontology declares it, else None."""
    try:
        return NamedNode(str(getattr(KG, local)))
    except (AttributeError, TypeError):
        return None


def _type_terms(type_: str | None, subtype: str | None) -> list[NamedNode]:
    terms = []
    main = kg_term(type_) if type_ in ACTOR_TYPES else None
    if main is None:
        log.warning("actor type %r is not one of %s; typed as kg:Actor", type_, ", ".join(ACTOR_TYPES))
        main = _kg("Actor")
    terms.append(main)
    if subtype:
        sub = kg_term(subtype)
        if sub is None:
            log.warning("actor subtype %r is not declared in the ontology; left out", subtype)
        else:
            terms.append(sub)
    return terms


@lru_cache(maxsize=None)
def _kg(name: str) -> NamedNode:
    """The ontology term ``kg:name`` as a pyoxigraph node, built once (hot path: every quad of a build)."""
    return NamedNode(str(getattr(KG, name)))


@lru_cache(maxsize=512)
def _relation_class(relation: str) -> tuple[bool, int]:
    """(is a dated event, polarity) of ``relation`` from the ontology's annotations."""
    from kg.config import ontology_dir
    from kg.ontology import relation_table

    try:
        row = relation_table(ontology_dir()).get(relation, {})
    except (OSError, KeyError):
        return False, 1
    return row.get("event_class") == "event", int(row.get("polarity") or 0)


def document_quads(result: DocResult, *, extractor_version: str) -> list[Quad]:
    """Every quad of one document's named graph (the graph name is the document IRI).

    Args:
        result: what extraction found in the document.
        extractor_version: recorded on each evidence node (``kg:extractorVersion``).

    Returns:
        Quads, without duplicates, in a deterministic order.

    Examples:
        >>> from kg.model import Article, DocResult
        >>> quads = document_quads(DocResult(Article("a.txt", "Hello.", "h")), extractor_version="kg 0.1.0")
        >>> len(quads)
        4
    """
    art = result.article
    doc = NamedNode(iri.doc_iri(art.doc_id))
    out: list[Quad] = []

    def add(s, p, o) -> None:
        out.append(Quad(s, p, o, doc))

    add(doc, RDF_TYPE, _kg("Document"))
    add(doc, NamedNode(DCT + "identifier"), _lit(art.doc_id))
    add(doc, _kg("contentHash"), _lit(art.content_hash))
    add(doc, _kg("text"), _lit(art.text))
    if art.title:
        add(doc, NamedNode(DCT + "title"), _lit(art.title))
    date = date_literal(art.date)
    if date is not None:
        add(doc, NamedNode(DCT + "date"), date)
    if art.source:
        add(doc, NamedNode(DCT + "source"), _lit(art.source))
    if art.url and _HTTP_IRI.match(art.url):
        add(doc, RDFS_SEE_ALSO, NamedNode(art.url))

    # actors mentioned: declared ones, plus any key a mention or relation uses
    keys = set(result.actors)
    keys.update(m.key for m in result.mentions)
    for rel in result.relations:
        keys.update((rel.subject, rel.object, *rel.evidence.speakers))
    for key in sorted(k for k in keys if k):
        add(doc, _kg("mentions"), NamedNode(iri.actor_iri(key)))
    surface: dict[str, set[str]] = {}
    # names only: pronouns, role nouns ("the Russian president") and anaphors are mentions, not names
    for key, actor in result.actors.items():
        surface.setdefault(key, set()).update(actor.names)
    for key in sorted(surface):
        name = result.actors[key].name if key in result.actors else None
        for form in sorted(surface[key]):
            form = form.strip()
            if form and form != name:
                add(NamedNode(iri.actor_iri(key)), SKOS_ALT, _lit(form))

    for m in result.mentions:
        if not m.key:
            continue
        node = NamedNode(iri.mention_iri(art.doc_id, m.start, m.end))
        add(node, RDF_TYPE, _kg("Mention"))
        add(node, _kg("actor"), NamedNode(iri.actor_iri(m.key)))
        add(node, _kg("charStart"), _int(m.start))
        add(node, _kg("charEnd"), _int(m.end))

    asserted: set[tuple[str, str, str]] = set()
    for rel in result.relations:
        pred = kg_term(rel.predicate)
        if pred is None or not pred.value.startswith(KG_NS):
            log.warning("%s: relation %r is not declared in the ontology; %s %s %s left out",
                        art.doc_id, rel.predicate, rel.subject, rel.predicate, rel.object)
            continue
        ev = rel.evidence
        modality = ev.modality if ev.modality in MODALITIES else "asserted"
        event, polarity = _relation_class(rel.predicate)
        if states_fact(modality, event=event, polarity=polarity):
            asserted.add((rel.subject, rel.predicate, rel.object))
        node = NamedNode(iri.evidence_iri(art.doc_id, rel.subject, rel.predicate, rel.object, ev.start, ev.end))
        add(node, RDF_TYPE, _kg("Evidence"))
        add(node, _kg("subjectActor"), NamedNode(iri.actor_iri(rel.subject)))
        add(node, _kg("relation"), pred)
        add(node, _kg("objectActor"), NamedNode(iri.actor_iri(rel.object)))
        add(node, PROV_DERIVED, doc)
        add(node, _kg("sentence"), _lit(ev.sentence))
        add(node, _kg("sentenceStart"), _int(ev.sentence_start))
        add(node, _kg("charStart"), _int(ev.start))
        add(node, _kg("charEnd"), _int(ev.end))
        add(node, _kg("confidence"), decimal_literal(ev.confidence))
        add(node, _kg("modality"), NamedNode(str(getattr(KG, modality))))
        for speaker in ev.speakers:
            add(node, _kg("assertedBy"), NamedNode(iri.actor_iri(speaker)))
        if date is not None:
            add(node, _kg("articleDate"), date)
        add(node, _kg("extractorVersion"), _lit(extractor_version))
        if ev.rule:
            add(node, _kg("rule"), _lit(ev.rule))
    for s, p, o in sorted(asserted):
        add(NamedNode(iri.actor_iri(s)), kg_term(p), NamedNode(iri.actor_iri(o)))
    return list(dict.fromkeys(out))


def actor_quads(actors: Iterable[Actor] | Mapping[str, Actor]) -> list[Quad]:
    """Quads for ``id:graph/actors``: type(s), ``rdfs:label``, ``skos:altLabel``, ``kg:key``, ``kg:provisional``.

    Every actor gets at least one ``skos:altLabel`` (its canonical name and each surface form seen).
    """
    if isinstance(actors, Mapping):
        actors = actors.values()
    graph = NamedNode(iri.ACTORS_GRAPH)
    out: list[Quad] = []
    for actor in sorted(actors, key=lambda a: a.key):
        node = NamedNode(iri.actor_iri(actor.key))
        for t in _type_terms(actor.type, actor.subtype):
            out.append(Quad(node, RDF_TYPE, t, graph))
        out.append(Quad(node, RDFS_LABEL, _lit(actor.name), graph))
        for name in sorted({actor.name, *(n.strip() for n in actor.names)} - {""}):
            out.append(Quad(node, SKOS_ALT, _lit(name), graph))
        out.append(Quad(node, _kg("key"), _lit(actor.key), graph))
        if actor.provisional:
            out.append(Quad(node, _kg("provisional"), _TRUE, graph))
    return list(dict.fromkeys(out))


def _many(value: Any) -> list:
    if value is None:
        return []
    if isinstance(value, (str, bytes)):
        return [value]
    if isinstance(value, Mapping):
        return [value]
    return list(value)


def _referenced(entries: Mapping[str, Any], keys: Iterable[str]) -> set[str]:
    """``keys`` (those that are entries) and every entry they refer to by roles, affiliations and locatedIn."""
    todo = [k for k in keys if k in entries]
    seen: set[str] = set()
    while todo:
        key = todo.pop()
        if key in seen:
            continue
        seen.add(key)
        e = entries[key]
        refs = _many(_field(e, "located_in", "locatedIn"))
        refs += [link if isinstance(link, str) else _field(link, "of")
                 for link in _many(_field(e, "affiliated_with", "affiliatedWith"))]
        refs += [_field(role, "of") for role in _many(_field(e, "roles"))]
        todo.extend(str(r) for r in refs if r and str(r) in entries and str(r) not in seen)
    return seen


def _field(obj: Any, *names: str) -> Any:
    for name in names:
        if isinstance(obj, Mapping):
            if name in obj:
                return obj[name]
        elif hasattr(obj, name):
            return getattr(obj, name)
    return None


def gazetteer_quads(gazetteer: Any, keys: Iterable[str] | None = None) -> list[Quad]:
    """Quads for ``id:graph/gazetteer`` (background knowledge, never mixed into document graphs).

    Args:
        gazetteer: an object with ``entries: dict[str, Entry]`` (see ``kg.gazetteer``), or that dict itself.
        keys: write only these entries and the ones they refer to (role and affiliation targets, the places they
            are in, transitively), and borders between them; None writes every entry. A build passes the actors its documents mention, so a
            gazetteer of tens of thousands of entries costs a build what it uses, not all of it.

    Structural knowledge becomes plain triples (``kg:locatedIn``, ``kg:borders``, ``kg:affiliatedWith``, and
    a role's relation such as ``kg:headOfStateOf`` while the role is current, i.e. has no end date); every role
    also becomes a node ``id:role/{hash}`` with its title and validity dates.
    """
    entries = getattr(gazetteer, "entries", gazetteer) or {}
    if keys is not None:
        entries = {k: entries[k] for k in _referenced(entries, keys)}
    graph = NamedNode(iri.GAZETTEER_GRAPH)
    out: list[Quad] = [Quad(graph, PROV_DERIVED, Literal("ontology/gazetteer"), graph)]

    def add(s, p, o) -> None:
        out.append(Quad(s, p, o, graph))

    for key in sorted(entries):
        e = entries[key]
        ident = _field(e, "id") or key
        node = NamedNode(iri.actor_iri(ident))
        for t in _type_terms(_field(e, "type"), _field(e, "subtype")):
            add(node, RDF_TYPE, t)
        name = _field(e, "name") or ident
        add(node, RDFS_LABEL, _lit(name))
        add(node, _kg("key"), _lit(ident))
        for alias in sorted({str(a) for a in _many(_field(e, "aliases"))} - {""}):
            add(node, SKOS_ALT, _lit(alias))
        for attr, term in (("iso2", KG.iso2), ("iso3", KG.iso3), ("wikidata", KG.wikidata),
                           ("cameo", KG.cameoActorCode), ("sector", KG.sector)):
            value = _field(e, attr)
            if value:
                add(node, NamedNode(str(term)), _lit(value))
        for place in _many(_field(e, "located_in", "locatedIn")):
            add(node, _kg("locatedIn"), NamedNode(iri.actor_iri(str(place))))
        for other in _many(_field(e, "borders")):
            if keys is None or str(other) in entries:  # a subset keeps only borders between its own actors
                add(node, _kg("borders"), NamedNode(iri.actor_iri(str(other))))
        for link in _many(_field(e, "affiliated_with", "affiliatedWith")):
            of = link if isinstance(link, str) else _field(link, "of")
            if of:
                add(node, _kg("affiliatedWith"), NamedNode(iri.actor_iri(str(of))))
        for role in _many(_field(e, "roles")):
            relation, of = _field(role, "relation"), _field(role, "of")
            pred = kg_term(str(relation)) if relation else None
            if pred is None or not of:
                log.warning("gazetteer %s: role %r has an unknown relation or no 'of'; left out", ident, role)
                continue
            start, end = _field(role, "start", "from"), _field(role, "end", "until")
            target = NamedNode(iri.actor_iri(str(of)))
            rnode = NamedNode(iri.role_iri(ident, relation, of, start, end))
            add(rnode, RDF_TYPE, _kg("Role"))
            add(node, _kg("hasRole"), rnode)
            add(rnode, _kg("roleOf"), node)
            add(rnode, _kg("roleRelation"), pred)
            add(rnode, _kg("objectActor"), target)
            title = _field(role, "title")
            if title:
                add(rnode, _kg("roleTitle"), _lit(title))
            for value, term in ((start, KG.validFrom), (end, KG.validUntil)):
                lit = date_literal(value)
                if lit is not None:
                    add(rnode, NamedNode(str(term)), lit)
            if end is None:
                add(node, pred, target)
    return list(dict.fromkeys(out))
