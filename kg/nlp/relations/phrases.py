"""Fixed phrases: "on opposite sides" / "at odds" (opposition both ways), and calls for someone to go."""
from __future__ import annotations

from itertools import combinations

from kg.nlp.relations.arguments import flat, prep_objects, subjects_of
from kg.nlp.relations.context import Ctx, emit

__all__ = ["find_opposition_phrases", "find_ouster_calls", "find_reported_demands"]


def find_opposition_phrases(ctx: Ctx) -> None:
    """ "Putin and Erdogan, who are on opposite sides", "Ankara is at odds with Moscow": against each other."""
    for sent in ctx.doc.sents:
        low = sent.text.lower()
        for phrase in ctx.lex.opposition_phrases:
            at = low.find(phrase)
            if at < 0:
                continue
            tok = next((t for t in sent if t.idx - sent.start_char >= at), None)
            if tok is None:
                continue
            verb = tok
            while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:  # a Token is made anew: compare indices
                verb = verb.head
            # "the war has placed Washington and Moscow at loggerheads": who is put at odds is the object
            parties = flat(ctx, [c for c in verb.children if c.dep_ == "dobj"]) or subjects_of(ctx, verb)[0]
            parties += [o for o in prep_objects(ctx, verb, ("with",)) if o not in parties]
            for t in ctx.doc[tok.i:min(sent.end, tok.i + 6)]:
                if t.lower_ == "with" and t.dep_ == "prep":
                    parties += [o for o in flat(ctx, [p for p in t.children if p.dep_ == "pobj"]) if o not in parties]
            for a, b in combinations(parties, 2):
                emit(ctx, a, "opposes", b, tok, f"phrase:{phrase}", 0.65)
                emit(ctx, b, "opposes", a, tok, f"phrase:{phrase}", 0.65)


def find_ouster_calls(ctx: Ctx) -> None:
    """ "Ankara called for the Syrian leader to leave power": a call for someone to go opposes them."""
    for v in ctx.tokens:
        if v.pos_ != "VERB" or v.lemma_.lower() not in ctx.lex.ouster_verbs:
            continue
        subjects = subjects_of(ctx, v)[0]
        for c in v.subtree:
            if c.lemma_.lower() in ctx.lex.ouster_outcomes and c.pos_ == "VERB" and c.i > v.i and c.head.i >= v.i:
                targets = flat(ctx, [t for t in c.children if t.dep_ == "nsubj"]) or (
                    flat(ctx, [t for t in v.children if t.dep_ == "dobj"]))
                for s in subjects:
                    for o in targets:
                        if o not in subjects:
                            emit(ctx, s, "opposes", o, v, "ouster-call", 0.7)


def find_reported_demands(ctx: Ctx) -> None:
    """ "Russia says Israel must end attacks on Syria", "HRW said Sudanese authorities should ensure security": who
    says another must act demands it of them (CAMEO 10). The act itself stays unstated (the clause's modality)."""
    for v in ctx.tokens:
        if v.pos_ != "VERB" or v.lemma_.lower() not in ctx.lex.demand_speech_verbs:
            continue
        clauses = [c for c in v.children if c.dep_ == "ccomp" and any(
            a.dep_ == "aux" and a.lower_ in ctx.lex.obligation_words for a in c.children)]
        if not clauses:
            continue
        speakers = subjects_of(ctx, v)[0]
        for c in clauses:
            # a passive subject is what is to be done, not who is asked ("Syria must be decided by Damascus")
            for o in flat(ctx, [t for t in c.children if t.dep_ == "nsubj"]):
                for s in speakers:
                    if o not in speakers:
                        emit(ctx, s, "demands", o, v, "reported-demand", 0.7)
