"""Adjective predicates: "the US is skeptical of Russia's announcement", "Ankara is opposed to the plan", "Moscow is
supportive of Damascus", "Iran, angry at Washington, ...": the subject of the clause (or the noun the adjective
describes) stands so toward the actor named after the adjective's preposition (``adjectives`` in the lexicon)."""
from __future__ import annotations

from kg.nlp.relations.arguments import (
    actors_of_np,
    inside_for,
    prep_objects,
    subjects_of,
)
from kg.nlp.relations.context import Ctx, emit

__all__ = ["find_adjective_predicates"]


def find_adjective_predicates(ctx: Ctx) -> None:
    for a in ctx.tokens:
        if a.pos_ != "ADJ":
            continue
        spec = ctx.lex.adjectives.get(a.lemma_.lower()) or ctx.lex.adjectives.get(a.lower_)
        if spec is None:
            continue
        if a.dep_ in ("acomp", "oprd") and a.head.pos_ in ("VERB", "AUX"):
            holders = subjects_of(ctx, a.head)[0]
        elif a.dep_ == "amod" or a.dep_ == "appos":
            holders = actors_of_np(ctx, a.head)  # "an angry Iran", "Iran, furious at Washington"
        else:
            continue
        rel = spec["relation"]
        targets = prep_objects(ctx, a, spec.get("preps", ()), inside=inside_for(ctx, rel))
        for s in holders:
            for o in targets:
                if o not in holders:
                    emit(ctx, s, rel, o, a, f"adjective:{a.lemma_.lower()}", 0.65)
