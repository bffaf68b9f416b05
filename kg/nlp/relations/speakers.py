"""Who reports a clause: "X said that ...", "..., X said", "according to X"."""
from __future__ import annotations

from spacy.tokens import Token

from kg.nlp.relations.arguments import actors_of_np

__all__ = ["speakers_of"]


def speakers_of(trigger: Token, ctx) -> list[int]:
    """Mentions of whoever reports the clause of ``trigger`` ("X said that ...", "..., X said")."""
    t = trigger
    steps = 0
    while t.head is not t and steps < 6:
        head = t.head
        if head.lemma_.lower() in ctx.lex.speech_verbs and t.dep_ in ("ccomp", "parataxis", "xcomp", "dobj", "advcl", "conj"):
            subj = [c for c in head.children if c.dep_ in ("nsubj",)]
            out = []
            for s in subj:
                out.extend(m for m in _np_mentions(s, ctx) if m not in out)
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
