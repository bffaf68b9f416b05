"""The only place kg mints IRIs: actors, documents, mentions, evidence, roles and graph names.

Every IRI is a pure function of stable keys (canonical actor key, document id, offsets), hashed where the key
may contain arbitrary text, so re-ingesting the same input gives the same IRIs and no blank node is ever needed.

Examples:
    >>> actor_iri("RUS")
    'https://w3id.org/kg-news/id/actor/RUS'
    >>> actor_iri("~person/vladimir smith")
    'https://w3id.org/kg-news/id/actor/~person/vladimir%20smith'
    >>> doc_iri("a.txt") == doc_iri("a.txt")
    True
"""
from __future__ import annotations

import hashlib
from urllib.parse import quote

from kg.vocab import ID_NS

__all__ = [
    "BASE",
    "actor_iri",
    "doc_iri",
    "evidence_iri",
    "mention_iri",
    "role_iri",
    "actor_key_of",
    "GAZETTEER_GRAPH",
    "ACTORS_GRAPH",
    "METRICS_GRAPH",
    "ONTOLOGY_GRAPH",
    "BACKGROUND_GRAPHS",
]

#: ``https://w3id.org/kg-news/id/``
BASE = str(ID_NS)

GAZETTEER_GRAPH = BASE + "graph/gazetteer"
ACTORS_GRAPH = BASE + "graph/actors"
METRICS_GRAPH = BASE + "graph/metrics"
ONTOLOGY_GRAPH = BASE + "graph/ontology"
#: Graphs that are not document graphs.
BACKGROUND_GRAPHS = (GAZETTEER_GRAPH, ACTORS_GRAPH, METRICS_GRAPH, ONTOLOGY_GRAPH)

_ACTOR_PREFIX = BASE + "actor/"
# RFC 3987 iunreserved minus nothing risky: keep '~' and '/' (provisional keys look like "~person/slug").
_SAFE = "~/-._"


def _sha1(*parts: object) -> str:
    return hashlib.sha1("|".join(str(p) for p in parts).encode("utf-8", "surrogatepass")).hexdigest()


def actor_iri(key: str) -> str:
    """IRI of the actor with canonical key ``key`` (``RUS``, ``PUTIN``, ``~person/vladimir-smith``).

    Any character outside the unreserved set is percent-encoded (UTF-8), so the IRI is valid for any key.

    Raises:
        ValueError: ``key`` is empty.
    """
    if not key:
        raise ValueError("actor key is empty; expected a canonical key such as 'RUS' or '~person/name'")
    return _ACTOR_PREFIX + quote(key.encode("utf-8", "surrogatepass"), safe=_SAFE)


def actor_key_of(iri: str) -> str | None:
    """The canonical key back from an actor IRI, or None when ``iri`` is not an actor IRI.

    >>> actor_key_of(actor_iri("~org/a b"))
    '~org/a b'
    """
    from urllib.parse import unquote

    iri = str(iri)
    if not iri.startswith(_ACTOR_PREFIX):
        return None
    return unquote(iri[len(_ACTOR_PREFIX):])


def doc_iri(doc_id: str) -> str:
    """IRI of a document, also the name of its graph: ``id:doc/{sha1(doc_id)[:16]}``."""
    return f"{BASE}doc/{_sha1(doc_id)[:16]}"


def mention_iri(doc_id: str, start: int, end: int) -> str:
    """IRI of the mention at ``[start, end)`` of a document's text."""
    return f"{BASE}mention/{_sha1(doc_id, start, end)[:20]}"


def evidence_iri(doc_id: str, s: str, p: str, o: str, start: int, end: int) -> str:
    """IRI of one extracted relation occurrence (subject key, predicate local name, object key, offsets)."""
    return f"{BASE}ev/{_sha1(doc_id, s, p, o, start, end)[:20]}"


def role_iri(person: str, relation: str, of: str, start: object = None, end: object = None) -> str:
    """IRI of a gazetteer role node (a person's time-bounded role)."""
    return f"{BASE}role/{_sha1(person, relation, of, start, end)[:20]}"
