"""Relations between mentions, from the lexicon's words and construction types, one module each.

Construction types (the words are data in ``patterns/lexicon.yaml``):

* :mod:`.clauses`: a lexicon verb with its subject(s) and object(s), active or passive, with subjects carried through
  infinitives, coordination and relative clauses ("Moscow is keen to help Assad", "Ankara, which backs ...");
* :mod:`.nouns`: "Russian air strikes on Idlib", "a deal with Russia", "the Moscow-Ankara deal", "Turkey's support for";
* :mod:`.participles`: participles fused with an agent: "Russian-backed forces", "rebel-held Idlib";
* :mod:`.agent_nouns`: "Putin, one of Assad's closest allies", "staunch Assad supporter Moscow", "an al-Qaeda affiliate";
* :mod:`.titles`: titles and appositions: "Russian President Vladimir Putin", "Dmitry Peskov, Putin's spokesman";
* :mod:`.phrases`: fixed phrases ("at odds", calls for someone to go), reported demands ("Russia says Israel must
  end attacks"); :mod:`.places`: "Syria's Idlib province";
* :mod:`.nominalizations`: a frame verb's noun ("a suspension of aid to Egypt");
* :mod:`.adjectives`: adjective predicates ("skeptical of", "opposed to", "supportive of");
* :mod:`.joint`: joint acts: "a mechanism established by Turkey, Russia and Iran" (every pair cooperates).

:mod:`.arguments` finds who a noun phrase or subject denotes; :mod:`.context` emits a relation with its evidence,
modality and speakers. A new construction is a new module with a ``find_*(ctx)`` function listed in
:data:`CONSTRUCTIONS`, and its sentences in ``tests/data/extraction_table.yaml``.
"""
from __future__ import annotations

from spacy.tokens import Doc

from kg.config import ontology_dir
from kg.model import RawMention, RawRelation
from kg.nlp.lexicon import Lexicon
from kg.nlp.relations.adjectives import find_adjective_predicates
from kg.nlp.relations.agent_nouns import find_agent_nouns
from kg.nlp.relations.clauses import find_clauses, find_sandwiched_verbs
from kg.nlp.relations.context import Ctx
from kg.nlp.relations.joint import find_joint_acts
from kg.nlp.relations.nominalizations import find_nominal_frames
from kg.nlp.relations.nouns import find_nouns
from kg.nlp.relations.participles import find_participles
from kg.nlp.relations.phrases import find_opposition_phrases, find_ouster_calls, find_reported_demands
from kg.nlp.relations.places import find_possessive_places
from kg.nlp.relations.titles import find_titles
from kg.ontology import relation_table

__all__ = ["find_relations", "CONSTRUCTIONS"]

#: Constructions in the order they run: titles first, so that role nouns later in the document find their holder.
CONSTRUCTIONS = (find_titles, find_clauses, find_sandwiched_verbs, find_ouster_calls, find_reported_demands,
                 find_opposition_phrases,
                 find_nouns, find_participles, find_agent_nouns, find_possessive_places, find_joint_acts,
                 find_nominal_frames, find_adjective_predicates)


def find_relations(doc: Doc, mentions: list[RawMention], by_token: dict[int, int], lex: Lexicon,
                   type_of) -> list[RawRelation]:
    """Every relation the lexicon's constructions find in ``doc``.

    Args:
        doc: the parsed document.
        mentions: its mentions (from :func:`kg.nlp.mentions.find_mentions`).
        by_token: token index -> mention index.
        lex: the relation lexicon.
        type_of: mention index -> (actor type, subtype), ``(None, None)`` when unknown.
    """
    ctx = Ctx(doc=doc, mentions=mentions, by_token=by_token, lex=lex, type_of=type_of,
              relations=relation_table(ontology_dir()))
    for construction in CONSTRUCTIONS:
        construction(ctx)
    return ctx.out
