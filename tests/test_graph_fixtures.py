"""Hand-built DocResults and a stand-in gazetteer for the graph tests (no spaCy needed)."""
from __future__ import annotations

from dataclasses import dataclass, field

from kg.model import Actor, Article, DocResult, Evidence, Mention, Relation

EXTRACTOR = "kg test"


@dataclass(frozen=True)
class Link:
    of: str
    start: str | None = None
    end: str | None = None


@dataclass(frozen=True)
class Role:
    relation: str
    of: str
    title: str | None = None
    start: str | None = None
    end: str | None = None


@dataclass(frozen=True)
class Entry:
    id: str
    type: str
    name: str
    subtype: str | None = None
    aliases: tuple = ()
    demonyms: tuple = ()
    metonyms: tuple = ()
    nominals: tuple = ()
    context: tuple = ()
    ambiguous: tuple = ()
    iso2: str | None = None
    iso3: str | None = None
    wikidata: str | None = None
    cameo: str | None = None
    sector: str | None = None
    located_in: str | None = None
    borders: tuple = ()
    affiliated_with: tuple = ()
    roles: tuple = ()


@dataclass
class Gazetteer:
    entries: dict = field(default_factory=dict)


def gazetteer() -> Gazetteer:
    entries = [
        Entry("RUS", "State", "Russia", aliases=("Russian Federation",), metonyms=("Moscow", "the Kremlin"),
              iso2="RU", iso3="RUS", wikidata="Q159", cameo="RUS", borders=("TUR",)),
        Entry("TUR", "State", "Turkey", aliases=("Türkiye",), iso2="TR", iso3="TUR", borders=("RUS",)),
        Entry("SYR", "State", "Syria", iso3="SYR"),
        Entry("PUTIN", "Person", "Vladimir Putin", aliases=("Putin",),
              roles=(Role("headOfStateOf", "RUS", "President", "2012-05-07", None),)),
        Entry("ALEPPO", "Place", "Aleppo", subtype="City", located_in="SYR"),
        Entry("NUSRA", "ArmedGroup", "Nusra Front", affiliated_with=(Link("AQ", "2012-01-23", "2016-07-28"),)),
    ]
    return Gazetteer({e.id: e for e in entries})


ACTORS = {
    "RUS": Actor("RUS", "Russia", "State", names=frozenset({"Moscow", "Russia"})),
    "TUR": Actor("TUR", "Turkey", "State", names=frozenset({"Ankara"})),
    "SYR": Actor("SYR", "Syria", "State"),
    "PUTIN": Actor("PUTIN", "Vladimir Putin", "Person", names=frozenset({"Putin"})),
    "~person/ivan-smith": Actor("~person/ivan-smith", "Ivan Smith", "Person", provisional=True),
}


def doc(doc_id: str = "a.txt", *, text: str | None = None, relations=None, date: str = "2016-12-20",
        actors: tuple = ("RUS", "TUR", "PUTIN")) -> DocResult:
    """A document where Moscow supports Ankara, Ankara (negated) attacks Moscow, and Putin criticises Ankara."""
    text = text or "Moscow supports Ankara. Ankara did not attack Moscow. Putin criticised Ankara, Ivan Smith said."
    if relations is None:
        relations = (
            Relation("RUS", "supports", "TUR", Evidence("Moscow supports Ankara.", 0, 0, 22, confidence=0.8,
                                                        rule="support-verb")),
            Relation("TUR", "attacks", "RUS", Evidence("Ankara did not attack Moscow.", 24, 24, 53,
                                                       modality="negated", confidence=0.7)),
            Relation("PUTIN", "criticizes", "TUR", Evidence("Putin criticised Ankara, Ivan Smith said.", 54, 54, 77,
                                                            modality="reported", speakers=("~person/ivan-smith",))),
        )
    mentions = (Mention("RUS", "Moscow", 0, 6, 0), Mention("TUR", "Ankara", 16, 22, 0), Mention("PUTIN", "Putin", 54, 59, 2))
    keys = set(actors) | {"~person/ivan-smith"}
    return DocResult(
        Article(doc_id, text, "hash-" + text[:10] + str(len(text)), title="Title of " + doc_id, date=date,
                source="Test Wire", url="https://example.org/" + doc_id),
        actors={k: ACTORS[k] for k in sorted(keys)},
        mentions=mentions,
        relations=tuple(relations),
    )
