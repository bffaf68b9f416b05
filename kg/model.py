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
    "RawMention",
    "RawRelation",
    "RawDoc",
    "states_fact",
]

#: Actor types of the ontology (``kg:Person`` ...); subtypes travel in ``Actor.subtype``.
ACTOR_TYPES = ("Person", "State", "Organization", "ArmedGroup", "Group", "Place", "Event")

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


@dataclass(frozen=True)
class RawMention:
    """A mention as the NLP stage sees it, before resolution to a canonical actor.

    ``kind`` says how it was found: ``name`` (gazetteer name or alias), ``demonym`` ("Russian"), ``metonym``
    ("Ankara", "the Kremlin"), ``nominal`` ("rebels"), ``ner`` (NER alone), ``role`` ("the Russian president":
    ``role`` is the title's relation, ``of`` the mention it is a role of), ``institution`` ("the regime",
    "government forces" with no state named), ``place_anaphor`` ("the province"), ``pronoun`` ("he").
    ``ref`` is the gazetteer key when the gazetteer knows the name. ``place_use`` is True when the text uses the
    name as a location ("in Ankara") rather than as an acting body ("Ankara said").
    """

    text: str
    start: int
    end: int
    sentence: int
    label: str
    kind: str
    ref: str | None = None
    role: str | None = None
    of: int | None = None
    place_use: bool = False


@dataclass(frozen=True)
class RawRelation:
    """A relation between two mentions (indices into ``RawDoc.mentions``) with its evidence."""

    subject: int
    predicate: str
    object: int
    evidence: Evidence
    speakers: tuple[int, ...] = ()


@dataclass(frozen=True)
class RawDoc:
    """What the NLP stage read in one document."""

    article: Article
    mentions: tuple[RawMention, ...] = ()
    relations: tuple[RawRelation, ...] = ()


def states_fact(modality: str, *, event: bool, polarity: int = 1) -> bool:
    """Whether evidence with ``modality`` makes its relation a fact of the document's graph.

    Negated evidence never does. Planned or hedged *events* ("a possible offensive", "may launch an attack") do
    not either, nor planned states of the world ("vowed to recapture Aleppo" is not control): they are recorded
    as evidence with their modality. A planned or hedged *stance* ("Russia is ready to help the rebels", a
    standing relation of cooperation or conflict) does state the relation.

    >>> states_fact("planned", event=True), states_fact("planned", event=False), states_fact("negated", event=False)
    (False, True, False)
    >>> states_fact("planned", event=False, polarity=0), states_fact("reported", event=True, polarity=0)
    (False, True)
    """
    if modality == "negated":
        return False
    if modality in ("planned", "hedged"):
        return not event and polarity != 0
    return True
