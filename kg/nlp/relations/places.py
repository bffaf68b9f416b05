"""Possessive places: "Syria's Idlib province" gives Idlib locatedIn Syria."""
from __future__ import annotations

from kg.nlp.relations.context import Ctx, emit

__all__ = ["find_possessive_places"]


def find_possessive_places(ctx: Ctx) -> None:
    """ "Syria's Idlib province", "Russia's Black Sea resort of Sochi": a state's place is located in it."""
    for m_idx, m in enumerate(ctx.mentions):
        if ctx.type_of(m_idx)[0] != "Place" or m.kind in ("place_anaphor",):
            continue
        span = ctx.doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None:
            continue
        head = span.root
        while head.dep_ in ("compound",) and head.head.i > head.i:
            head = head.head
        if head.dep_ == "pobj" and head.head.lower_ == "of" and head.head.head.lemma_.lower() in ctx.lex.place_anaphors:
            head = head.head.head  # "the resort of Sochi"
        for c in head.children:
            if c.dep_ == "poss" and c.i in ctx.by_token:
                owner = ctx.by_token[c.i]
                if ctx.type_of(owner)[0] == "State":
                    emit(ctx, m_idx, "locatedIn", owner, head, "possessive-place", 0.8, modality="asserted")
