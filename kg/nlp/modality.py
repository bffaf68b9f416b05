"""How a clause puts a relation: asserted, reported, hedged, planned or negated (who says so: :mod:`kg.nlp.relations.speakers`).

Negation wins over everything: a negated relation is recorded as negated evidence, never as a fact.
"""
from __future__ import annotations

from spacy.tokens import Token

from kg.nlp.lexicon import Lexicon

__all__ = ["modality_of", "modality_info"]

#: Links that stay inside one clause: negation, hedges and plans travel up these to the trigger, not across
#: "X said that ...", "..., as Y agreed", or a relative clause.
_CLIMB = frozenset({"xcomp", "dobj", "pobj", "prep", "acomp", "acl", "amod", "compound", "attr", "oprd", "pcomp",
                    "npadvmod", "auxpass"})  # not nsubj/appos: "Moscow, Assad's backer, denied ..." still backs


#: Prepositions that attach another eventuality to a clause: "Fighting stopped after a deal brokered by Russia":
#: the deal is not what stopped.
_ADVERBIAL = frozenset({"after", "before", "since", "following", "despite", "amid", "during", "until", "because",
                        "ahead", "prior", "upon"})


def _chain(trigger: Token, limit: int = 6) -> list[Token]:
    """The trigger and the heads above it inside its clause."""
    out = [trigger]
    t = trigger
    while t.head is not t and len(out) < limit and t.dep_ in _CLIMB:
        if t.dep_ == "prep" and t.lower_ in _ADVERBIAL:
            break
        t = t.head
        out.append(t)
    return out


def _negated(tok: Token, lex: Lexicon) -> Token | None:
    """The word that negates ``tok`` ("not", "no assault"), if any."""
    for c in tok.children:
        if c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ in ("no", "neither")):
            return c
    return None


def modality_of(trigger: Token, lex: Lexicon) -> str:
    """The modality of the relation carried by ``trigger`` (see :func:`modality_info`)."""
    return modality_info(trigger, lex)[0]


def modality_info(trigger: Token, lex: Lexicon, *, own_agent: bool = False) -> tuple[str, Token | None]:
    """The modality of the relation carried by ``trigger``, and the word that gives it (None for ``asserted``).

    Looks at the trigger and the words governing it up to the clause that reports it: negation (``not``,
    ``no assault``, ``avert a war``, ``refused to``, ``ruled out``), hedges (``may``, ``reportedly``, ``if``), plans
    and threats (``will``, ``plans to``, ``ready to``, ``threatened to``). The cue tells whose plan it is: the
    subject's own ("will attack", "vowed to attack") or another's wish ("urged Ankara to attack": the cue is "urged").
    ``own_agent``: the trigger's phrase names its own agent, so a refusal above it ("declined to join the US-led
    strikes") refuses someone else's act and does not negate it.
    """
    chain = _chain(trigger)
    sent_lower = trigger.sent.text.lower()
    lo = trigger.sent.start_char
    window = sent_lower[max(0, trigger.idx - lo - 60): trigger.idx - lo + 60]
    speech_seen = False
    hedged = planned = reported = None
    for n, tok in enumerate(chain):
        lemma = tok.lemma_.lower()
        if speech_seen:
            break
        negation = _negated(tok, lex)
        if negation is not None:
            return "negated", negation
        if n > 0 and lemma in lex.negating_verbs and not (own_agent and lemma in lex.refusal_verbs):
            return "negated", tok
        if lemma == "rule" and any(c.lower_ == "out" for c in tok.children):
            return "negated", tok
        for c in tok.children:
            cl = c.lower_
            if c.dep_ in ("aux", "auxpass") and cl in ("may", "might", "could"):
                hedged = hedged or c
            if c.dep_ == "aux" and (cl in ("will", "would", "shall", "'ll") or cl in lex.obligation_words):
                planned = planned or c  # "will attack", "must withdraw": not done yet
            elif c.dep_ == "aux" and cl == "to" and n == 0 and tok.dep_ in ("xcomp", "advcl", "acl", "relcl", "ccomp") \
                    and not (tok.dep_ == "xcomp" and tok.head.lemma_.lower() in lex.aspect_verbs):
                # "plans to attack", "urged X to attack", "waged an assault to recapture Aleppo": not done yet
                planned = planned or tok.head
            if c.dep_ in ("advmod", "amod") and cl in lex.hedge_words:
                hedged = hedged or c
            if c.dep_ == "advmod" and cl in lex.report_words:
                reported = reported or c
            if c.dep_ == "mark" and cl in ("if", "unless", "whether"):
                hedged = hedged or c
        if n > 0 and lemma in lex.plan_words:
            planned = planned or tok
        if tok.dep_ == "csubj" and tok.tag_ == "VBG":
            # "launching an assault on Idlib was impractical": an act as the subject of a judgement is not done
            hedged = hedged or tok.head
        if n > 0 and lemma in lex.speech_verbs:
            speech_seen = True
        if n > 0 and tok.pos_ in ("NOUN", "PROPN") and any(c.dep_ == "poss" for c in tok.children):
            break  # "rejected Trump's decision to recognise Jerusalem": a refusal of another's act does not undo it
    if any(p in window for p in lex.negating_phrases):
        return "negated", None
    if hedged is not None:
        return "hedged", hedged
    if planned is not None:
        return "planned", planned
    return ("reported", reported) if reported is not None else ("asserted", None)
