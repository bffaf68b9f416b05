"""Frozen dataclasses passed between stages: ingest -> nlp -> resolve -> graph.

No stage passes spaCy or rdflib objects to another; these plain records are the whole contract.
"""
from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "ACTOR_TYPES",
    "MODALITIES",
    "Article",
    "Skipped",
    "Mention",
    "Actor",
    "Evidence",
    "Relation",
    "DocResult",
]

#: Actor types of the ontology (``kg:Person`` ...); subtypes travel in ``Actor.subtype``.
ACTOR_TYPES = ("Person", "State", "Organization", "ArmedGroup", "Place", "Event")

#: How the text puts a relation: only ``negated`` ones are kept out of the asserted graph.
MODALITIES = ("asserted", "reported", "hedged", "planned", "negated")


@dataclass(frozen=True)
class Article:
    """One input document, with normalised text.

    ``doc_id`` is the file name (or the JSONL ``id``), the document's ``dcterms:identifier``.
    ``content_hash`` is the SHA-256 of the normalised text: the same article with CRLF, a BOM or trailing
    blanks has the same hash.
    """

    doc_id: str
    text: str
    content_hash: str
    title: str | None = None
    date: str | None = None  # ISO 8601 date
    source: str | None = None
    url: str | None = None
    path: str | None = None


@dataclass(frozen=True)
class Skipped:
    """An input that was not ingested, and why (kept for the build report)."""

    where: str
    reason: str


@dataclass(frozen=True)
class Mention:
    """A stretch of text that names an actor."""

    key: str  # canonical actor key
    text: str
    start: int  # character offsets in Article.text
    end: int
    sentence: int  # index of the sentence in the document


@dataclass(frozen=True)
class Actor:
    """An actor as one document (or the gazetteer) knows it."""

    key: str
    name: str
    type: str  # one of ACTOR_TYPES
    subtype: str | None = None
    provisional: bool = False  # True when the gazetteer does not know it (found by NER alone)
    names: frozenset[str] = frozenset()  # surface forms seen in the text


@dataclass(frozen=True)
class Evidence:
    """Where and how a relation was stated."""

    sentence: str
    sentence_start: int  # character offset of the sentence in Article.text
    start: int  # offsets of the clause or phrase that carries the relation
    end: int
    modality: str = "asserted"
    confidence: float = 0.5
    speakers: tuple[str, ...] = ()  # actor keys of who asserted it (reported speech)
    rule: str = ""  # id of the pattern that found it


@dataclass(frozen=True)
class Relation:
    """``subject predicate object`` between actor keys, with its evidence.

    ``predicate`` is an ontology local name: a core relation or a sub-property of one.
    """

    subject: str
    predicate: str
    object: str
    evidence: Evidence


@dataclass(frozen=True)
class DocResult:
    """What one document says: its actors, mentions and relations."""

    article: Article
    actors: dict[str, Actor] = field(default_factory=dict)
    mentions: tuple[Mention, ...] = ()
    relations: tuple[Relation, ...] = ()
