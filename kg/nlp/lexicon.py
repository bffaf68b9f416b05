"""The relation lexicon (``patterns/lexicon.yaml``) as a frozen, validated object."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from kg.errors import KgError

__all__ = ["Lexicon", "load_lexicon"]


@dataclass(frozen=True)
class Lexicon:
    verbs: dict
    nouns: dict
    participles: dict
    agent_nouns: dict
    titles: dict
    institutions: frozenset
    place_anaphors: frozenset
    partitives: frozenset
    noun_agent_verbs: frozenset
    institution_anaphors: frozenset
    opposition_phrases: tuple
    plural_anaphors: dict
    negation_words: frozenset
    negating_verbs: frozenset
    negating_phrases: tuple
    hedge_words: frozenset
    report_words: frozenset
    plan_words: frozenset
    speech_verbs: frozenset
    appeal_verbs: frozenset
    joint_verbs: frozenset
    refusal_verbs: frozenset
    stances: dict
    ouster_verbs: frozenset
    ouster_outcomes: frozenset

    @property
    def relations(self) -> set[str]:
        """Every relation the lexicon can produce (all must be declared in the ontology)."""
        out = set()
        for table in (self.verbs, self.nouns, self.participles, self.agent_nouns, self.titles):
            out.update(v["relation"] for v in table.values() if v.get("relation"))
        return out


@lru_cache(maxsize=4)
def load_lexicon(path: str | None = None) -> Lexicon:
    """Load and check the lexicon (the package's unless ``path`` names another file).

    Raises:
        KgError: the file is not valid YAML or an entry has no relation.
    """
    if path is None:
        text = (Path(__file__).parent / "patterns" / "lexicon.yaml").read_text(encoding="utf-8")
        where = "kg/nlp/patterns/lexicon.yaml"
    else:
        text, where = Path(path).read_text(encoding="utf-8"), path
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise KgError(f"{where}: not valid YAML: {exc}") from exc
    for table in ("verbs", "nouns", "participles", "agent_nouns"):
        for word, spec in data.get(table, {}).items():
            if not isinstance(spec, dict) or not spec.get("relation"):
                raise KgError(f"{where}: {table}.{word} needs a 'relation'")
            for listed in ("preps", "with", "object"):
                bad = [x for x in spec.get(listed, []) if not isinstance(x, str)]
                if bad:
                    raise KgError(f"{where}: {table}.{word}.{listed} has {bad!r}; quote words YAML reads as "
                                  f"booleans or numbers (\"on\", \"no\")")
    mod = data.get("modality", {})
    low = lambda xs: frozenset(str(x).lower() for x in xs)  # noqa: E731
    return Lexicon(
        verbs={k.lower(): v for k, v in data.get("verbs", {}).items()},
        nouns={k.lower(): v for k, v in data.get("nouns", {}).items()},
        participles={k.lower(): v for k, v in data.get("participles", {}).items()},
        agent_nouns={k.lower(): v for k, v in data.get("agent_nouns", {}).items()},
        titles={k.lower(): v for k, v in data.get("titles", {}).items()},
        institutions=low(data.get("institutions", [])),
        place_anaphors=low(data.get("place_anaphors", [])),
        partitives=low(data.get("partitives", [])),
        noun_agent_verbs=low(data.get("noun_agent_verbs", [])),
        institution_anaphors=low(data.get("institution_anaphors", [])),
        opposition_phrases=tuple(str(x).lower() for x in data.get("opposition_phrases", [])),
        plural_anaphors={str(k).lower(): v for k, v in data.get("plural_anaphors", {}).items()},
        negation_words=low(mod.get("negation_words", [])),
        negating_verbs=low(mod.get("negating_verbs", [])),
        negating_phrases=tuple(str(x).lower() for x in mod.get("negating_phrases", [])),
        hedge_words=low(mod.get("hedge_words", [])),
        report_words=low(mod.get("report_words", [])),
        plan_words=low(mod.get("plan_words", [])),
        speech_verbs=low(mod.get("speech_verbs", [])),
        appeal_verbs=low(mod.get("appeal_verbs", [])),
        joint_verbs=low(data.get("joint_verbs", [])),
        refusal_verbs=low(mod.get("refusal_verbs", [])),
        stances={str(k): str(v) for k, v in mod.get("stances", {}).items()},
        ouster_verbs=low(data.get("ouster_calls", {}).get("verbs", [])),
        ouster_outcomes=low(data.get("ouster_calls", {}).get("outcomes", [])),
    )
