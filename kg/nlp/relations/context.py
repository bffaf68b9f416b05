"""What every construction shares: the parsed document, its mentions, and how a relation is emitted.

:func:`emit` turns a (subject mention, relation, object mention, trigger token) into a :class:`~kg.model.RawRelation`
with its evidence span, modality (:mod:`kg.nlp.modality`), speakers and confidence, once per trigger.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from kg.model import Evidence, RawMention, RawRelation
from kg.nlp.lexicon import Lexicon
from kg.nlp.modality import modality_info
from kg.nlp.relations.speakers import speakers_of

__all__ = ["Ctx", "type_ok", "emit"]


_NON_ARG_SUBTYPES = frozenset({"MediaOrganization"})
#: Core relations a place may be the subject of.
_PLACE_SUBJECT = frozenset({"locatedIn", "borders"})


@dataclass
class Ctx:
    doc: Doc
    mentions: list[RawMention]
    by_token: dict[int, int]
    lex: Lexicon
    type_of: object  # callable(mention index) -> (type, subtype) or (None, None)
    relations: dict = field(default_factory=dict)  # the ontology's relation table (polarity, event class)
    out: list[RawRelation] = field(default_factory=list)
    seen: set = field(default_factory=set)
    #: The document's tokens, made once: every construction walks them, and a spaCy Token is built anew each time a
    #: Doc is iterated
    tokens: list = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.tokens:
            self.tokens = list(self.doc)


def type_ok(ctx: Ctx, m: int, allowed) -> bool:
    if not allowed:
        return True
    typ, _ = ctx.type_of(m)
    return typ is None or typ in allowed


def emit(ctx: Ctx, s: int, rel: str, o: int, trigger: Token, rule: str, confidence: float, *,
          modality: str | None = None, span: tuple[int, int] | None = None, own_agent: bool = False,
          presupposed: bool = False) -> None:
    """Record ``s rel o`` carried by ``trigger`` (once per trigger), with its evidence, modality and speakers.

    ``own_agent``: the trigger is an act whose agent its own phrase names ("the US-led strikes"), so a refusal
    above it is another's ("Britain declined to join the US-led strikes": the strikes happened).
    ``presupposed``: the relation describes a noun ("the rebel-held province", "Turkish-backed rebels"), so the
    plans, hedges or negations of the clause around it are not its own; only who reports it counts.
    """
    if s == o:
        return
    ms, mo = ctx.mentions[s], ctx.mentions[o]
    if ms.start == mo.start:
        return
    for m in (s, o):
        if ctx.type_of(m)[1] in _NON_ARG_SUBTYPES:
            return
    core = ctx.relations.get(rel, {}).get("core")
    if core in _PLACE_SUBJECT and any(ctx.type_of(m)[0] not in (None, "Place", "State") for m in (s, o)):
        return  # "the rebel stronghold, which borders Turkey": places border places, not the rebels
    if ctx.type_of(s)[0] == "Place" and ms.kind != "ner" and core not in _PLACE_SUBJECT:
        # "the area that shelled civilians": a known place does not act; its state or its fighters do (a name only
        # NER calls a place, "Pittsburgh sued the developers", may be a city's government)
        return
    if ms.kind in ("pronoun", "pronoun_it") or mo.kind in ("pronoun", "pronoun_it"):
        confidence -= 0.15
    if ms.kind in ("institution", "nominal") or mo.kind in ("institution", "nominal", "place_anaphor"):
        confidence -= 0.1
    sent = trigger.sent
    mod, cue = (modality, None) if modality else ("asserted", None) if presupposed else \
        modality_info(trigger, ctx.lex, own_agent=own_agent)
    if mod == "planned" and cue is not None and cue is not trigger and cue.lemma_.lower() in ctx.lex.appeal_verbs:
        return  # "urged Ankara to back the SDF": the appeal is to Ankara; Ankara backing the SDF is only wished for
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
    stance = _stance(ctx, rel, mod, cue, trigger)
    if stance is not None:
        # "vowed to attack X", "will send aid to X": the intent is stated now (CAMEO 03 / 13); "refused to meet X":
        # the refusal is (CAMEO 12). The act itself stays planned or negated.
        emit(ctx, s, stance, o, cue, f"{stance}:{rule}", confidence - 0.1, modality="asserted", span=(lo, hi))


def _stance(ctx: Ctx, rel: str, mod: str, cue: Token | None, trigger: Token) -> str | None:
    """The relation a subject's own plan or refusal states now: intent to cooperate (agreesWith), a threat
    (threatens), a rejection (opposes); None when the plan is another's wish or the relation is no event.

    Only an act in a clause counts ("will attack", "vowed to retake"): "what would be an offensive" is a
    hypothesis, not a plan, and "would" alone is often one."""
    if cue is None or cue is trigger or mod not in ("planned", "negated"):
        return None
    if trigger.pos_ == "NOUN" and trigger.dep_ == "dobj" and cue.head.i == trigger.head.i:
        trigger = trigger.head  # "will launch an offensive against X": the act's verb carries the plan
    if trigger.pos_ not in ("VERB", "AUX"):
        return None
    if cue.lower_ in ctx.lex.obligation_words:
        return None  # "Turkey must withdraw": another's demand (or a judgement), not Turkey's stated intent
    if cue.lower_ in ("could", "might") or cue.lower_ == "would" and not (
            trigger.dep_ == "ccomp" and trigger.head.lemma_.lower() in ctx.lex.speech_verbs):
        return None  # "would" states a plan only in reported speech: "Israel warned it would strike ..."
    lemma = cue.lemma_.lower()
    if mod == "negated":
        # "refused to meet X"; "will not lift the ban on X", "won't accept refugees": a refusal of the act's target
        future = cue.dep_ == "neg" and any(c.dep_ == "aux" and c.lower_ in ("will", "wo", "shall")
                                           for c in cue.head.children)
        refusal = lemma in ctx.lex.refusal_verbs or future and ctx.relations.get(rel, {}).get("polarity") == 1
        return ctx.lex.stances.get("refusal") if refusal else None
    if not (cue.dep_ == "aux" or lemma in ctx.lex.plan_words) or lemma in ctx.lex.appeal_verbs:
        return None
    row = ctx.relations.get(rel, {})
    if row.get("event_class") != "event":
        return None
    kind = {1: "cooperation", -1: "conflict"}.get(row.get("polarity", 0))
    if kind == "conflict" and row.get("kind") == "verbal" and lemma not in ctx.lex.stance_verbs:
        return None  # "Howard will attack Labour's record" plans a criticism, it threatens nobody
    if kind is None:
        # "offered to send troops to Uganda" pledges to Uganda, "threatened to send troops into Syria" threatens it
        kind = ctx.lex.stance_verbs.get(lemma)
    return ctx.lex.stances.get(kind)
