"""Relation nouns: "Russian air strikes on Idlib", "a deal with Moscow", "the Moscow-Ankara deal", "clashes between X and
Y", "Turkey's support for the rebels"; the agent from a possessive, modifier, by-phrase or the governing verb."""
from __future__ import annotations

from itertools import combinations

from spacy.tokens import Token

from kg.nlp.relations.arguments import (
    OBJECT_INSIDE,
    actor_of_head,
    actors_of_np,
    inside_for,
    led_by,
    prep_objects,
    subjects_of,
)
from kg.nlp.relations.context import Ctx, emit, type_ok

__all__ = ["noun_entry", "ATTACK_RELATIONS", "governing_verb", "find_nouns", "noun_agents"]


def noun_entry(ctx: Ctx, t: Token):
    """The lexicon entry of relation noun ``t``: (word, spec); compounds first ("air strike", "cease-fire"), then a
    noun with its of-complement ("war of words", a verbal fight)."""
    lemma = t.lemma_.lower()
    doc = t.doc
    for prep in t.children:
        if prep.dep_ == "prep" and prep.lower_ == "of":
            for p in prep.children:
                word = f"{lemma} of {p.lemma_.lower()}"
                if p.dep_ == "pobj" and word in ctx.lex.nouns:
                    return word, ctx.lex.nouns[word]
    if t.i >= 2 and doc[t.i - 1].text == "-" and not doc[t.i - 1].whitespace_:
        word = f"{doc[t.i - 2].lower_}-{lemma}"  # "cease-fire", "cyber-attack"
        spec = ctx.lex.nouns.get(word) or ctx.lex.nouns.get(word.replace("-", ""))
        if spec:
            return word, spec
    for c in t.children:
        if c.dep_ == "compound":
            spec = ctx.lex.nouns.get(f"{c.lower_} {lemma}")
            if spec:
                return f"{c.lower_} {lemma}", spec
    spec = ctx.lex.nouns.get(lemma)
    return (lemma, spec) if spec else (None, None)


ATTACK_RELATIONS = frozenset({"attacks", "airStrikeOn", "shells", "besieges"})


#: Nouns that count or group acts: "hundreds of air strikes", "a wave of attacks" are acts of the verb's subject.
_QUANTITIES = frozenset({"hundred", "hundreds", "dozen", "dozens", "thousand", "thousands", "number", "series",
                         "wave", "string", "spate", "round", "rounds", "barrage", "campaign", "flurry", "volley",
                         "couple", "pair", "handful", "lot", "lots", "score", "scores"})


def governing_verb(t: Token) -> Token | None:
    """The verb a noun is the object of, directly or through one preposition ("met for a summit with")."""
    h = t
    for _ in range(3):
        if h.dep_ in ("dobj", "nsubjpass", "attr"):
            return h.head if h.head.pos_ in ("VERB", "AUX") else None
        if h.dep_ == "pobj" and h.head.dep_ == "prep":
            h = h.head.head
            if h.pos_ in ("VERB", "AUX"):
                return h
            if (h.pos_ == "NUM" or h.pos_ == "NOUN" and h.lemma_.lower() in _QUANTITIES) \
                    and h.head.pos_ in ("VERB", "AUX") and h.dep_ in ("dobj", "nsubjpass"):
                return h.head  # "carried out hundreds of air strikes"
            if h.pos_ in ("NOUN", "PROPN"):
                return None  # "expressed concern regarding the attack": the attack is the concern's topic
            continue
        if h.dep_ == "conj":
            h = h.head
            continue
        return None
    return None


def _hyphen_chain(ctx: Ctx, t: Token) -> list[int]:
    """Mentions joined by hyphens right before ``t``: "Moscow-Ankara deal", "Russia-Iran-Syria axis"."""
    doc = ctx.doc
    i = t.i - 1
    while i >= 0 and doc[i].pos_ in ("ADJ", "VERB") and doc[i].lower_ not in ("-",) and doc[i].i not in ctx.by_token:
        i -= 1  # "brokered", "backed"
    chain: list[int] = []
    while i >= 0 and i in ctx.by_token:
        m = ctx.by_token[i]
        if m not in chain:
            chain.insert(0, m)
        i -= 1
        while i >= 0 and i in ctx.by_token and ctx.by_token[i] == m:
            i -= 1
        if i >= 0 and doc[i].text in ("-", "\u2013", "/"):
            i -= 1
            continue
        break
    return chain if len(chain) >= 2 else []


def find_nouns(ctx: Ctx) -> None:
    for t in ctx.tokens:
        if t.pos_ not in ("NOUN", "PROPN") or t.i in ctx.by_token:
            continue
        word, spec = noun_entry(ctx, t)
        if spec is None:
            continue
        rel = spec["relation"]
        rule = f"noun:{word}"
        chain = _hyphen_chain(ctx, t)
        if chain and spec.get("symmetric"):
            for a, b in combinations(chain, 2):
                emit(ctx, a, rel, b, t, rule + ":pair", 0.7)
            continue
        parties = _mutual_parties(ctx, t, spec.get("mutual", ()))
        if len(parties) > 1:
            # "clashes between government troops and rebels", "talks among Russia, Turkey and Iran"
            for a, b in combinations(parties, 2):
                emit(ctx, a, rel, b, t, rule + ":mutual", 0.65)
                if not spec.get("symmetric") or spec.get("reciprocal"):
                    emit(ctx, b, rel, a, t, rule + ":mutual", 0.65)
            continue
        agents = noun_agents(ctx, t)
        direct = bool(agents)
        governor = governing_verb(t)
        if not agents and governor is not None and (governor.lemma_.lower() in ctx.lex.noun_agent_verbs
                                                    or ctx.lex.verbs.get(governor.lemma_.lower(), {}).get("symmetric")
                                                    or (t.dep_ == "pobj" and t.head.lower_ == "in")):
            agents = subjects_of(ctx, governor)[0]  # "launched strikes", "waged a campaign in support of"
        inside = inside_for(ctx, rel)
        fight = ctx.relations.get(rel, {}).get("core") in ("attacks", "fightsAgainst")
        objects = prep_objects(ctx, t, spec.get("preps", ()), inside=inside, where_is_no_state=fight)
        with_objs = prep_objects(ctx, t, spec.get("with", ()), inside=OBJECT_INSIDE)
        if not with_objs and spec.get("with") and governor is not None:
            with_objs = prep_objects(ctx, governor, spec.get("with", ()), inside=OBJECT_INSIDE)
            for c in governor.children:
                if not with_objs and c.dep_ in ("advcl", "xcomp") and c.i > t.i:
                    with_objs = prep_objects(ctx, c, spec.get("with", ()))
        if not objects and t.dep_ == "conj" and t.head.pos_ == "NOUN":
            # "launched air and artillery strikes on X": the coordination's preposition hangs on its first noun
            objects = prep_objects(ctx, t.head, spec.get("preps", ()), inside=inside)
        if not objects and spec["relation"] in ATTACK_RELATIONS and governor is not None and t.dep_ in ("dobj", "conj"):
            # "condemned the US strike on a Syrian airbase": the parser hangs the target on the verb
            objects = prep_objects(ctx, governor, [p for p in spec.get("preps", ()) if p in ("on", "against")],
                                   inside=inside)
        if not objects and spec["relation"] in ATTACK_RELATIONS and t.dep_ == "nsubj":
            # "Russian and Syrian air strikes ... have killed 30 civilians across the province"
            objects = [o for o in prep_objects(ctx, t.head, ("in", "across", "on", "near", "around"))
                       if ctx.type_of(o)[0] == "Place"]
        if not objects and t.dep_ == "pobj" and t.head.lower_ == "under" and t.head.head.pos_ in ("VERB", "AUX"):
            # "Homs came under attack by government forces", "the town is under siege": the subject suffers it
            objects = subjects_of(ctx, t.head.head)[0]
        allowed = spec.get("needs_object_type")
        conf = 0.65 if direct else 0.55
        if len(agents) > 1 and any(c.lower_ in ("joint", "combined") for c in t.children if c.dep_ == "amod"):
            for a, b in combinations(agents, 2):  # "Turkish and Russian troops conducted joint patrols"
                emit(ctx, a, "cooperatesWith", b, t, rule + ":joint", conf)
        for s in agents:
            for o in objects:
                if o not in agents and type_ok(ctx, o, allowed):
                    emit(ctx, s, rel, o, t, rule, conf, own_agent=direct)
            for o in with_objs:
                if o not in agents:
                    emit(ctx, s, rel, o, t, rule + ":with", conf)
                    if spec.get("reciprocal"):
                        emit(ctx, o, rel, s, t, rule + ":with", conf)
        if spec.get("symmetric"):
            # everyone at a summit or party to a deal relates to everyone else there
            participants = agents + [o for o in with_objs if o not in agents]
            for a, b in combinations(participants, 2):
                if (a in agents) != (b in agents):
                    continue  # agent x with-object pairs were emitted above
                if a not in agents or len(agents) > 1 and (direct or with_objs):
                    emit(ctx, a, rel, b, t, rule + ":coordinated", conf - 0.05)
                    if spec.get("reciprocal"):
                        emit(ctx, b, rel, a, t, rule + ":coordinated", conf - 0.05)


def noun_agents(ctx: Ctx, t: Token) -> list[int]:
    """Who does what relation noun ``t`` names: possessive, modifiers ("Russian air strikes"), a by-phrase."""
    agents: list[int] = list(led_by(ctx, t))  # "the US-led strikes"
    for c in t.children:
        if c.dep_ in ("poss", "amod", "compound", "nmod", "npadvmod") and c.i < t.i:
            agents += [m for m in actors_of_np(ctx, c) if m not in agents]
    agents += [m for m in prep_objects(ctx, t, ("by",)) if m not in agents]
    return agents


def _mutual_parties(ctx: Ctx, t: Token, preps) -> list[int]:
    """The actors after "between"/"among" following noun ``t`` ("fighting erupted overnight between X and Y").

    Read off the surface up to the next verb, clause punctuation or locative preposition, because the parser
    often hangs the "between" phrase on a neighbouring noun.
    """
    if not preps:
        return []
    doc = ctx.doc
    end = min(t.sent.end, t.i + 12)
    start = next((k for k in range(t.i + 1, end) if doc[k].lower_ in preps and doc[k].pos_ == "ADP"), None)
    if start is None:
        return []
    out: list[int] = []
    for k in range(start + 1, t.sent.end):
        tok = doc[k]
        if tok.pos_ in ("VERB", "AUX") or tok.text in (".", ";", ":", "(", ")") or (
                tok.pos_ == "ADP" and tok.lower_ not in ("of",) and k not in ctx.by_token):
            break
        if k in ctx.by_token:
            m = ctx.by_token[k]
            if tok.dep_ in ("amod", "compound", "npadvmod") and tok.head.i > k and tok.head.i in ctx.by_token \
                    and ctx.by_token[tok.head.i] != m:
                continue  # "between Ankara and the Kurdish pro-independence PKK": "Kurdish" describes the PKK
            if m not in out and ctx.type_of(m)[0] not in ("Place", "Event"):
                out.append(m)
        elif tok.pos_ == "NOUN":
            for m in actor_of_head(ctx, tok):
                if m not in out:
                    out.append(m)
    return out
