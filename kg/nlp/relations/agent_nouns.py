"""Agent nouns: "Putin, one of Assad's closest allies", "staunch Assad supporter Moscow", "an al-Qaeda affiliate"."""
from __future__ import annotations

from spacy.tokens import Token

from kg.nlp.relations.arguments import actors_of_np, prep_objects, subjects_of
from kg.nlp.relations.context import Ctx, emit

__all__ = ["find_agent_nouns"]


def _holder_of(ctx: Ctx, node: Token) -> list[int]:
    """Who an agent noun or title is said of: apposition, copula subject, or the name right after it."""
    if node.dep_ == "pobj" and node.head.dep_ == "prep" and node.head.lower_ == "of" and node.head.head.lower_ in (
            "one", "some", "two", "three", "all", "both"):
        node = node.head.head
    if node.dep_ == "appos":
        return actors_of_np(ctx, node.head)
    if node.dep_ == "attr":
        return subjects_of(ctx, node.head)[0]
    nxt = node.i + 1
    if nxt < len(ctx.doc) and nxt in ctx.by_token:
        after = ctx.doc[nxt]
        while after.head.i in ctx.by_token and ctx.by_token[after.head.i] == ctx.by_token[nxt] \
                and after.head.i != after.i:
            after = after.head  # the head token of a multi-token name
        if after.dep_ == "appos" and after.head.i == node.i:
            return actors_of_np(ctx, after)  # "Syria's allies Russia and Iran": both
        return [ctx.by_token[nxt]]
    if node.head.i in ctx.by_token and node.dep_ in ("compound", "amod") and node.head.i > node.i:
        return [ctx.by_token[node.head.i]]
    return []


def _complement_of(ctx: Ctx, n: Token, node: Token) -> list[int]:
    for t in (n, node):
        for c in t.children:
            if c.dep_ == "poss":
                found = actors_of_np(ctx, c)
                if found:
                    return found
    for t in (n, node):
        found = prep_objects(ctx, t, ("of", "for", "to"))
        if found:
            return found
    for t in (n, node):
        for c in t.children:
            if c.dep_ in ("compound", "amod", "nmod") and c.i < t.i and c.i in ctx.by_token:
                return [ctx.by_token[c.i]]
    j = n.i - 1
    while j >= 0 and ctx.doc[j].pos_ == "ADJ" and j not in ctx.by_token:
        j -= 1
    if j >= 0 and j in ctx.by_token:
        return [ctx.by_token[j]]
    return []


def find_agent_nouns(ctx: Ctx) -> None:
    for n in ctx.tokens:
        if n.pos_ not in ("NOUN", "PROPN") or n.i in ctx.by_token:
            continue
        spec = ctx.lex.agent_nouns.get(n.lemma_.lower())
        if spec is None:
            continue
        node = n.head if n.dep_ == "compound" and n.head.i > n.i and n.head.i not in ctx.by_token else n
        holders = _holder_of(ctx, node)
        complements = [c for c in _complement_of(ctx, n, node) if c not in holders]
        if spec.get("demonym_is_complement", True) is False:
            # "its Syrian affiliate PYD": the demonym says where the affiliate is, not what it belongs to
            complements = [c for c in complements if ctx.mentions[c].kind != "demonym"]
        for h in holders:
            for c in complements:
                emit(ctx, h, spec["relation"], c, n, f"agent-noun:{n.lemma_.lower()}", 0.75)
