"""Nominalised frames: "a suspension of aid to Egypt", "the lifting of sanctions on Iran", "the delivery of weapons
to Kyiv": the noun of a frame verb (``nominalizations`` in the lexicon) with its of-object reads as the verb with its
object ("suspend aid" -> reducesRelationsWith), the target after the frame's prepositions of either noun, the agent
its possessor or modifier ("Denmark's suspension of aid") or the subject of the verb announcing it."""
from __future__ import annotations

from kg.nlp.relations.arguments import inside_for, prep_objects, subjects_of
from kg.nlp.relations.context import Ctx, emit
from kg.nlp.relations.nouns import governing_verb, noun_agents

__all__ = ["find_nominal_frames"]


def find_nominal_frames(ctx: Ctx) -> None:
    for t in ctx.tokens:
        verb = ctx.lex.nominalizations.get(t.lemma_.lower()) if t.pos_ == "NOUN" else None
        if verb is None or t.i in ctx.by_token:
            continue
        themes = [p for c in t.children if c.dep_ == "prep" and c.lower_ == "of" for p in c.children if p.dep_ == "pobj"]
        for theme in themes:
            spec = ctx.lex.verbs.get(f"{verb} {theme.lemma_.lower()}") or ctx.lex.verbs.get(f"{verb} {theme.lower_}")
            if spec is None:
                continue
            rel = spec["relation"]
            inside = inside_for(ctx, rel)
            targets = [o for x in (t, theme) for o in prep_objects(ctx, x, spec.get("preps", ()), inside=inside)]
            if not targets and spec.get("with"):
                targets = [o for x in (t, theme) for o in prep_objects(ctx, x, spec["with"], inside=inside)]
            agents = noun_agents(ctx, t)
            governor = governing_verb(t)
            if not agents and governor is not None and governor.lemma_.lower() in ctx.lex.noun_agent_verbs:
                agents = subjects_of(ctx, governor)[0]  # "Denmark announced a suspension of aid to Egypt"
            for s in agents:
                for o in dict.fromkeys(targets):
                    if o not in agents:
                        emit(ctx, s, rel, o, t, f"nominal:{verb} {theme.lemma_.lower()}", 0.6,
                             own_agent=bool(noun_agents(ctx, t)))
