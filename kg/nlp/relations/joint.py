"""Joint acts: "a mechanism established by Turkey, Russia and Iran", "Russia and Turkey set up a joint centre",
"a deal brokered by Russia Turkey and Iran": the actors who found, sign or broker something together cooperate,
every pair of them (the words are ``joint_verbs`` in the lexicon)."""
from __future__ import annotations

from itertools import combinations

from kg.nlp.relations.arguments import SUBJECT_INSIDE, flat, is_passive
from kg.nlp.relations.context import Ctx, emit

__all__ = ["find_joint_acts"]


def find_joint_acts(ctx: Ctx) -> None:
    for v in ctx.tokens:
        if v.pos_ != "VERB":
            continue
        lemma = v.lemma_.lower()
        if lemma not in ctx.lex.joint_heads:
            continue
        particle = next((c.lower_ for c in v.children if c.dep_ == "prt"), None)
        word = f"{lemma} {particle}" if particle and f"{lemma} {particle}" in ctx.lex.joint_verbs else lemma
        if word not in ctx.lex.joint_verbs:
            continue
        if is_passive(v) or v.dep_ == "acl" and v.tag_ == "VBN":
            doers = [p for c in v.children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj"]
        else:
            doers = [c for c in v.children if c.dep_ == "nsubj"]
        agents = [m for m in flat(ctx, doers, inside=SUBJECT_INSIDE)
                  if ctx.type_of(m)[0] in ("State", "Organization", "ArmedGroup", "Person", "Group")]
        for a, b in combinations(agents, 2):
            emit(ctx, a, "cooperatesWith", b, v, f"joint:{word}", 0.65)
