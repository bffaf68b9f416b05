"""Who reports a clause: "X said that ...", "..., X said", "according to X"; and who alleges an act: "X accused Y
of V-ing", "a UN report alleging that Qatar funds Hezbollah" (the allegation is reported, with its speaker)."""
from __future__ import annotations

from spacy.tokens import Token

from kg.nlp.relations.arguments import SUBJECT_INSIDE, actors_in, actors_of_np

__all__ = ["speakers_of"]


def speakers_of(trigger: Token, ctx) -> list[int]:
    """Mentions of whoever reports the clause of ``trigger`` ("X said that ...", "..., X said")."""
    t = trigger
    steps = 0
    while t.head is not t and steps < 6:
        head = t.head
        lemma = head.lemma_.lower()
        if lemma in ctx.lex.speech_verbs and t.dep_ in ("ccomp", "parataxis", "xcomp", "dobj", "advcl", "conj") or (
                lemma in ctx.lex.allegation_verbs and t.dep_ == "prep" and t.lower_ in ("of", "for", "over", "with")):
            subj = [c for c in head.children if c.dep_ in ("nsubj",)]
            out = []
            for s in subj:
                out.extend(m for m in _np_mentions(s, ctx) if m not in out)
            if not subj and head.dep_ == "acl":  # "a UN report alleging that ...": the report's author
                out = actors_in(ctx, head.head, SUBJECT_INSIDE)
            return out
        t = head
        steps += 1
    # "..., Reuters reported": the reporting verb is the root, the clause its ccomp: handled above;
    # "according to X"
    for tok in trigger.sent:
        if tok.lower_ == "according" and tok.i + 2 < len(tok.doc) and tok.nbor(1).lower_ == "to":
            for c in tok.nbor(1).children:
                if c.dep_ == "pobj":
                    return _np_mentions(c, ctx)
    return []


def _np_mentions(t: Token, ctx) -> list[int]:
    return actors_of_np(ctx, t)
