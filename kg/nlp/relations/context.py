"""What every construction shares: the parsed document, its mentions, and how a relation is emitted.

:func:`emit` turns a (subject mention, relation, object mention, trigger token) into a :class:`~kg.model.RawRelation`
with its evidence span, modality (:mod:`kg.nlp.modality`), speakers and confidence, once per trigger.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from kg.model import Evidence, RawMention, RawRelation
from kg.nlp.lexicon import Lexicon
from kg.nlp.modality import modality_of
from kg.nlp.relations.speakers import speakers_of


__all__ = ["Ctx", "type_ok", "emit"]


_NON_ARG_SUBTYPES = frozenset({"MediaOrganization"})


@dataclass
class Ctx:
    doc: Doc
    mentions: list[RawMention]
    by_token: dict[int, int]
    lex: Lexicon
    type_of: object  # callable(mention index) -> (type, subtype) or (None, None)
    out: list[RawRelation] = field(default_factory=list)
    seen: set = field(default_factory=set)


def type_ok(ctx: Ctx, m: int, allowed) -> bool:
    if not allowed:
        return True
    typ, _ = ctx.type_of(m)
    return typ is None or typ in allowed


def emit(ctx: Ctx, s: int, rel: str, o: int, trigger: Token, rule: str, confidence: float, *,
          modality: str | None = None, span: tuple[int, int] | None = None) -> None:
    if s == o:
        return
    ms, mo = ctx.mentions[s], ctx.mentions[o]
    if ms.start == mo.start:
        return
    for m in (s, o):
        if ctx.type_of(m)[1] in _NON_ARG_SUBTYPES:
            return
    if ms.kind in ("pronoun", "pronoun_it") or mo.kind in ("pronoun", "pronoun_it"):
        confidence -= 0.15
    if ms.kind in ("institution", "nominal") or mo.kind in ("institution", "nominal", "place_anaphor"):
        confidence -= 0.1
    sent = trigger.sent
    mod = modality or modality_of(trigger, ctx.lex)
    speakers = tuple(x for x in speakers_of(trigger, ctx) if x not in (s,)) \
        if mod in ("asserted", "reported") and modality is None else ()
    if speakers and mod == "asserted":
        mod = "reported"
    lo = min(ms.start, mo.start, trigger.idx) if span is None else span[0]
    hi = max(ms.end, mo.end, trigger.idx + len(trigger)) if span is None else span[1]
    # an argument taken up from an earlier sentence ("all three countries") keeps the span in this sentence
    lo, hi = max(lo, sent.start_char), min(hi, sent.end_char)
    key = (s, rel, o, trigger.i)
    if key in ctx.seen:
        return
    ctx.seen.add(key)
    ctx.out.append(RawRelation(
        subject=s, predicate=rel, object=o, speakers=speakers,
        evidence=Evidence(sentence=sent.text.strip(), sentence_start=sent.start_char + (len(sent.text) - len(sent.text.lstrip())),
                          start=lo, end=hi, modality=mod, confidence=round(max(0.05, min(confidence, 0.99)), 2),
                          rule=rule),
    ))
