"""Participles fused with an agent: "Russian-backed forces", "rebel-held Idlib", "al-Qaeda-linked HTS"."""
from __future__ import annotations

from kg.nlp.relations.arguments import actors_of_np, prep_objects
from kg.nlp.relations.context import Ctx, emit

__all__ = ["find_participles"]


def find_participles(ctx: Ctx) -> None:
    doc = ctx.doc
    for t in doc:
        spec = ctx.lex.participles.get(t.lower_)
        if spec is None or t.i == 0:
            continue
        # agent: the mention(s) fused to the participle by a hyphen, or its npadvmod/compound child
        agents: list[int] = []
        j = t.i - 1
        if doc[j].text in ("-", "\u2013"):
            j -= 1
            if j in ctx.by_token:
                agents.append(ctx.by_token[j])
                k = j - 1
                while k >= 0 and k in ctx.by_token and ctx.by_token[k] == ctx.by_token[j]:
                    k -= 1
                # "Moscow- and Ankara-backed": a coordinated first agent
                if k >= 1 and doc[k].lower_ == "and" and doc[k - 1].text in ("-", "\u2013") and k - 2 in ctx.by_token:
                    agents.append(ctx.by_token[k - 2])
            else:
                agents = actors_of_np(ctx, doc[j])
        else:
            for c in t.children:
                if c.dep_ in ("npadvmod", "compound") and c.i < t.i:
                    agents += actors_of_np(ctx, c)
        if not agents:
            continue
        head = t.head if t.dep_ in ("amod", "compound", "acl") and t.head.i > t.i else None
        if head is None:
            k = t.i + 1
            while k < len(doc) and doc[k].pos_ in ("ADJ", "PROPN", "NOUN", "DET") and k not in ctx.by_token:
                k += 1
            head = doc[k] if k < len(doc) and k in ctx.by_token else None
        if head is None:
            continue
        objects = actors_of_np(ctx, head) if head.i not in ctx.by_token else [ctx.by_token[head.i]]
        if not objects:
            # "the government-held city of Aleppo": the head's of-phrase names the place
            objects = prep_objects(ctx, head, ("of",))
        rel = spec["relation"]
        if rel == "controls" and (head.lemma_.lower() in ctx.lex.partitives):
            # "opposition-held parts of Syria" is control of parts, not of the state
            objects = [o for o in objects if ctx.type_of(o)[0] != "State"]
        for a in agents:
            for o in objects:
                if o in agents:
                    continue
                if spec.get("reverse"):
                    emit(ctx, o, rel, a, t, f"participle:{t.lower_}", 0.75, presupposed=True)
                else:
                    emit(ctx, a, rel, o, t, f"participle:{t.lower_}", 0.75, presupposed=True)
