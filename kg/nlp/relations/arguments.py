"""Who a noun phrase or a clause's subject denotes: mentions, coordinations, institutions ("the Russian army"),
plural anaphors ("all three countries"), partitives, appositions, and subjects carried through control, coordination and
relative clauses."""
from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Token

from kg.nlp.sectors import load_sectors

if TYPE_CHECKING:
    from kg.nlp.relations.context import Ctx


__all__ = ["SUBJ", "REL_PRONOUNS", "conjuncts", "actors_of_np", "led_by", "RELATIVES", "actor_of_head", "subjects_of", "flat",
    "is_passive", "prep_objects"]


SUBJ = ("nsubj",)
REL_PRONOUNS = frozenset({"which", "who", "that", "whom"})


def conjuncts(t: Token) -> list[Token]:
    return [t] + [c for c in t.conjuncts if c.i > t.i]


def actors_of_np(ctx: Ctx, t: Token, depth: int = 0) -> list[int]:
    """Mentions that the noun phrase headed by ``t`` denotes (with its conjuncts, and a list the parser read as an
    apposition: "The United States, India, Israel and Pakistan")."""
    out: list[int] = []
    for c in conjuncts(t) + _listed_appositions(ctx, t):
        for m in actor_of_head(ctx, c, depth):
            if m not in out:
                out.append(m)
    return out


def _listed_appositions(ctx: Ctx, t: Token) -> list[Token]:
    """Appositions of a name that are names of the same kind, with their conjuncts: a list, not a description."""
    if t.i not in ctx.by_token:
        return []
    kind = ctx.type_of(ctx.by_token[t.i])[0]
    out = []
    for c in t.children:
        if c.dep_ == "appos" and c.i in ctx.by_token and ctx.by_token[c.i] != ctx.by_token[t.i] \
                and kind in ("State", "Organization", "ArmedGroup") and ctx.type_of(ctx.by_token[c.i])[0] == kind:
            out += conjuncts(c)
    return out


def led_by(ctx: Ctx, t: Token) -> list[int]:
    """ "the Saudi-led coalition", "U.S.-led forces": the leader acts for what it leads."""
    for c in t.children:
        if c.dep_ == "amod" and c.lower_ in ("led", "-led") and c.i > 1 and ctx.doc[c.i - 1].text == "-" \
                and c.i - 2 in ctx.by_token:
            return [ctx.by_token[c.i - 2]]
    return []


RELATIVES = ("that", "which", "who")
_NUMBERS = {"two": 2, "both": 2, "three": 3, "four": 4, "five": 5, "2": 2, "3": 3, "4": 4, "5": 5}


_MENTION_TYPES = {"State": ("GPE", "NORP"), "Person": ("PERSON",)}


def _plural_antecedents(ctx: Ctx, t: Token) -> list[int]:
    """ "All three countries", "the two leaders", "both sides": the last coordination of that many actors."""
    want = ctx.lex.plural_anaphors.get(t.lemma_.lower())
    if want is None or t.tag_ not in ("NNS", "NNPS"):
        return []
    counts = [_NUMBERS[c.lower_] for c in t.children if c.lower_ in _NUMBERS and c.dep_ in ("nummod", "det", "predet")]
    if not counts:
        return []
    n = counts[0]
    doc = ctx.doc
    first_sent = max(0, t.sent.start - 400)
    for k in range(t.i - 1, first_sent - 1, -1):
        if k not in ctx.by_token or doc[k].dep_ == "conj":
            continue
        group = [doc[k]] + [c for c in doc[k].conjuncts if c.i > k]
        members = []
        for g in group:
            m = ctx.by_token.get(g.i)
            if m is None or m in members:
                break
            typ = ctx.type_of(m)[0]
            label_ok = want == "any" or typ == want or ctx.mentions[m].label in _MENTION_TYPES.get(want, ())
            if not label_ok:
                break
            members.append(m)
        if len(members) == n and len(group) == n:
            return members
    return []


def actor_of_head(ctx: Ctx, t: Token, depth: int = 0) -> list[int]:
    if t.i in ctx.by_token and ctx.mentions[ctx.by_token[t.i]].kind in ("name", "alias"):
        # "the US-led coalition" the gazetteer knows is the coalition, not the US
        return _listed_before(ctx, t) + [ctx.by_token[t.i]]
    leader = [m for m in led_by(ctx, t) if ctx.type_of(m)[0] != "Group"]  # "Kurdish-led forces": armed groups
    if leader:
        return leader
    group = _plural_antecedents(ctx, t) if t.i not in ctx.by_token else []
    if group:
        return group
    if t.i in ctx.by_token:
        if ctx.mentions[ctx.by_token[t.i]].kind == "place_anaphor":
            named = prep_objects(ctx, t, ("of",))  # "the province of Idlib" is Idlib, whatever came before
            if named:
                return named
        return _listed_before(ctx, t) + [ctx.by_token[t.i]]
    if depth > 3 or t.pos_ not in ("NOUN", "PROPN", "ADJ", "PRON"):
        return []
    lemma, lower = t.lemma_.lower(), t.lower_
    compounds = [c.lower_ for c in t.children if c.dep_ in ("compound", "amod") and c.i == t.i - 1]
    is_group = lemma in ctx.lex.institutions or lower in ctx.lex.institutions or lemma in ctx.lex.titles \
        or lower in ctx.lex.titles or any(f"{c} {lemma}" in ctx.lex.institutions for c in compounds)
    if lemma in ctx.lex.place_anaphors:
        found = prep_objects(ctx, t, ("of",))  # "the town of Khan Sheikhoun"
        if found:
            return found
        if t.dep_ == "appos" and t.head.i in ctx.by_token:
            return [ctx.by_token[t.head.i]]  # "Douma, the besieged rebel-held town"
    if (lemma in ctx.lex.agent_nouns or t.pos_ == "NOUN" and t.head.i in ctx.by_token) and t.dep_ == "appos" \
            and depth < 2:
        # an apposition denotes what it stands beside: "the Nusra Front, an al-Qaeda affiliate that ...",
        # "the Nusra Front, a jihadist group that has since been renamed ..."
        return actors_of_np(ctx, t.head, depth + 1)
    if lemma in ctx.lex.partitives or lower in ctx.lex.partitives:
        return prep_objects(ctx, t, ("of",))
    if not is_group:
        return []
    bears = next((x for x in t.children if x.dep_ == "appos" and x.i == t.i + 1 and x.i in ctx.by_token), None)
    if bears is not None and ctx.mentions[ctx.by_token[bears.i]].kind in ("name", "alias", "ner") \
            and ctx.mentions[ctx.by_token[bears.i]].label in ("ORG", "NORP"):
        # "the Russian space organization Glavkosmos", "the militant group Hayat Tahrir al-Sham": the name it bears
        named = [ctx.by_token[bears.i]]
        return named + [m for c in conjuncts(bears)[1:] for m in actor_of_head(ctx, c, depth + 1) if m not in named]
    nxt = t.i + 1
    if (lemma in ctx.lex.titles or lower in ctx.lex.titles) and nxt in ctx.by_token \
            and ctx.mentions[ctx.by_token[nxt]].label == "PERSON" and t.tag_ not in ("NNS", "NNPS"):
        return [ctx.by_token[nxt]]  # "his Turkish counterpart Recep Tayyip Erdogan"
    title = ctx.lex.titles.get(lemma) or ctx.lex.titles.get(lower)
    if title is not None:
        held = [ctx.by_token[c.i] for c in t.children if c.dep_ == "appos" and c.i in ctx.by_token
                and ctx.mentions[ctx.by_token[c.i]].label == "PERSON"]
        # "US ambassador to the UN Nikki Haley", read with the name inside "to the UN ...": the holder
        held += [ctx.by_token[p.i] for c in t.children if c.dep_ == "prep" and c.lower_ == "to" for p in c.children
                 if p.dep_ == "pobj" and p.i in ctx.by_token and ctx.mentions[ctx.by_token[p.i]].label == "PERSON"]
        if held and t.tag_ in ("NNS", "NNPS"):
            # "Presidents Vladimir Putin and Hassan Rouhani": every holder the plural title lists
            return [ctx.by_token[x.i] for c in t.children if c.dep_ == "appos" and c.i in ctx.by_token
                    for x in conjuncts(c) if x.i in ctx.by_token and ctx.mentions[ctx.by_token[x.i]].label == "PERSON"]
        if held:
            return held[:1]  # "his Lebanese counterpart, Michel Aoun": the holder beside the title
    # "his Lebanese counterpart": the possessor is the other side, the one the title's holder is set against
    own = ("amod", "compound", "nmod", "npadvmod") if title and title.get("counterpart") else \
        ("poss", "amod", "compound", "nmod", "npadvmod")
    for dep in own:
        for c in t.children:
            if c.dep_ == dep and c.i < t.i:
                # "Deir Ezzor units of the army": a place's units are not the place
                found = [m for x in conjuncts(c) for m in actor_of_head(ctx, x, depth + 1)
                         if ctx.type_of(m)[0] != "Place"]
                if found:
                    return found
    for c in t.children:
        if c.dep_ == "prep" and c.lower_ in ("of", "for", "from"):  # "diplomats from Poland"
            for p in c.children:
                if p.dep_ == "pobj":
                    found = actors_of_np(ctx, p, depth + 1)
                    if found:
                        return found
    return []


#: Actor types that a list written without commas may hold ("brokered by Russia Turkey and Iran").
_LISTED = frozenset({"State", "ArmedGroup", "Organization"})


def _listed_before(ctx: Ctx, t: Token) -> list[int]:
    """Names of states or groups the parser hung on ``t`` as compounds although they are a list missing its commas:
    "a deal brokered by Russia Turkey and Iran", "Hezbollah Syrian Army kill ..." (headline style)."""
    own = ctx.by_token[t.i]
    if ctx.type_of(own)[0] not in _LISTED:
        return []
    out = []
    for c in t.children:
        if c.dep_ != "compound" or c.i >= t.i or c.i not in ctx.by_token:
            continue
        m = ctx.by_token[c.i]
        mention = ctx.mentions[m]
        if m != own and m not in out and mention.kind in ("name", "alias", "metonym") \
                and ctx.type_of(m)[0] in _LISTED:
            out.append(m)
    return out


def subjects_of(ctx: Ctx, v: Token, depth: int = 0) -> tuple[list[int], bool]:
    """Subject mentions of verb ``v`` and whether they were found directly (not through control/coordination)."""
    subj = [c for c in v.children if c.dep_ in SUBJ]
    agent = [p for c in v.children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj"]
    if agent:
        return flat(ctx, agent, inside=SUBJECT_INSIDE), True
    if subj:
        if subj[0].lower_ in REL_PRONOUNS and v.dep_ == "relcl":
            head = v.head
            while head.dep_ in ("conj", "appos"):  # "Putin and Erdogan, who are ...": the whole coordination
                head = head.head
            return flat(ctx, [head], inside=SUBJECT_INSIDE), False
        return flat(ctx, subj, inside=SUBJECT_INSIDE), True
    if depth > 3:
        return [], False
    if v.dep_ == "xcomp":
        objs = [c for c in v.head.children if c.dep_ == "dobj"]
        if objs and flat(ctx, objs):
            return flat(ctx, objs), False  # object control: "asked Putin to take ..."
        return subjects_of(ctx, v.head, depth + 1)[0], False
    if v.dep_ in ("conj", "acomp", "advcl") and v.head.pos_ in ("VERB", "AUX", "ADJ"):
        return subjects_of(ctx, v.head, depth + 1)[0], False
    if v.head.pos_ in ("ADJ",) or v.head.dep_ == "acomp":
        return subjects_of(ctx, v.head, depth + 1)[0], False
    if v.dep_ == "pcomp" and v.head.dep_ == "prep" and v.head.lower_ == "against":
        return [], False  # "Russia warned against supplying weapons to Ukraine": nobody named does it
    if v.dep_ == "pcomp" and v.head.dep_ == "prep":
        gov = v.head.head
        dobjs = [c for c in gov.children if c.dep_ == "dobj"] if v.head.lower_ in ("for", "of") else []
        if dobjs:
            # "criticised Putin for backing Assad": Putin backs; "accused Gulen of attempting a coup": the accused
            # acts even when kg knows no actor there, never the accuser
            return flat(ctx, dobjs), False
        return subjects_of(ctx, gov, depth + 1)[0], False  # "after hosting a summit"
    if v.dep_ == "acl" and (v.tag_ == "VBG" or any(c.dep_ == "dobj" for c in v.children)):
        # "opposition fighters seeking ...", "the coalition bombed X" read as a participle
        found = flat(ctx, [v.head], inside=SUBJECT_INSIDE)
        msg = v.head
        if not found and v.tag_ == "VBG" and msg.lemma_.lower() in ctx.lex.message_nouns:
            # "HRW issued a statement calling on X", "said in a letter urging X": the sender speaks
            gov = msg.head.head if msg.dep_ == "pobj" and msg.head.dep_ == "prep" else msg.head
            if msg.dep_ in ("dobj", "pobj") and gov.pos_ in ("VERB", "AUX"):
                return subjects_of(ctx, gov, depth + 1)[0], False
        return found, False
    if v.dep_ == "relcl":
        return flat(ctx, [v.head], inside=SUBJECT_INSIDE), False
    return [], False


def flat(ctx: Ctx, tokens: list[Token], *, inside: tuple[str, ...] = ()) -> list[int]:
    """Actors the noun phrases headed by ``tokens`` denote; with ``inside``, looking into phrases whose head names
    none (:func:`actors_in`)."""
    out: list[int] = []
    for t in tokens:
        for m in (actors_in(ctx, t, inside) if inside else actors_of_np(ctx, t)):
            if m not in out:
                out.append(m)
    return out


#: Where an event's participant hides in a phrase whose head names no actor. A subject: its modifiers and
#: "of"/"by" ("U.S. military airstrikes", "hundreds of IS fighters", "a car bombing by the Islamic State").
SUBJECT_INSIDE = ("of", "by")
#: An object: its modifiers, then its complements ("praised Haiti's efforts", "rejected a US offer", "the government
#: websites of Georgia", "accusations by the US", "supplies to the Mujahideen").
OBJECT_INSIDE = ("of", "by", "to", "against", "on", "for", "from", "with", "including")
#: The object of a material act on a place (an attack, a deployment) also by where it is: "positions near Damascus",
#: "a base in Helmand"; a summit "in southern Russia" is not a meeting with Russia.
PLACE_INSIDE = OBJECT_INSIDE + ("near", "in", "at", "inside", "around", "across", "into", "toward", "towards", "over")
#: Core relations whose object may be a place.
PLACE_RELATIONS = frozenset({"attacks", "fightsAgainst", "deploysTo", "controls", "locatedIn"})


def inside_for(ctx: Ctx, relation: str) -> tuple[str, ...]:
    """The complements an object phrase of ``relation`` is searched through (:data:`OBJECT_INSIDE`, or
    :data:`PLACE_INSIDE` for material acts on places); none for a demand or an appeal, whose object is what is asked
    for, not whom ("demanded a Lords inquiry" demands nothing of the Lords)."""
    core = ctx.relations.get(relation, {}).get("core", relation)
    if core == "appealsTo" or relation == "demands":
        return ()
    return PLACE_INSIDE if core in PLACE_RELATIONS else OBJECT_INSIDE
_MODIFIERS = ("poss", "compound", "amod", "nmod", "npadvmod", "nummod")
#: "the YPG east of the Euphrates": a direction says where, not who
_DIRECTIONS = frozenset({"east", "west", "north", "south", "northeast", "northwest", "southeast", "southwest"})
_NOMINAL = frozenset({"NOUN", "PROPN", "NUM", "ADJ", "PRON", "X"})


def _included(ctx: Ctx, t: Token, preps: tuple[str, ...]) -> list[int]:
    out: list[int] = []
    for c in t.children:
        if c.dep_ == "prep" and (c.lower_ == "including" or c.lower_ == "as" and any(
                x.lower_ == "such" for x in c.children) or c.lower_ == "as" and c.i > 0 and ctx.doc[c.i - 1].lower_ == "such"):
            for p in c.children:
                if p.dep_ == "pobj":
                    out += [m for m in actors_in(ctx, p, preps, 1) if m not in out]
    return out


def actors_in(ctx: Ctx, t: Token, preps: tuple[str, ...], depth: int = 0) -> list[int]:
    """Who the phrase headed by ``t`` denotes as the participant of an event: the actors it names, or, when its
    head names none, the actors named by its modifiers, else by its complements introduced by ``preps`` (in that
    order, the nearest first): event coders take the actor a phrase carries ("Syria's chemical weapons" is Syria's).
    """
    out: list[int] = []
    if depth == 0:
        # "12 people, including the head of Amnesty International", "student groups such as X and Y"
        out += [m for m in _included(ctx, t, preps) if m not in out]
    for c in conjuncts(t) + _listed_appositions(ctx, t):
        found = actor_of_head(ctx, c)
        if found and all(ctx.mentions[m].kind in _WEAK for m in found) and depth <= 2 and preps != SUBJECT_INSIDE:
            # the object "the last ISIS group bastion": the group its modifiers name, not whatever place "bastion"
            # takes up (as a subject, "the rebel stronghold, which borders Turkey", the place it is stays)
            named = [m for m in _inside(ctx, c, preps, depth) if ctx.mentions[m].kind not in _WEAK]
            found = named or found
        if found or depth > 2 or c.pos_ not in _NOMINAL:
            out += [m for m in found if m not in out]
            continue
        out += [m for m in _inside(ctx, c, preps, depth) if m not in out]
    return out


#: Mentions that only take something up (an anaphor, a bare institution): a name inside the phrase wins over them.
_WEAK = frozenset({"place_anaphor", "institution"})


def _inside(ctx: Ctx, c: Token, preps: tuple[str, ...], depth: int) -> list[int]:
    """The actors inside the phrase headed by ``c`` (which names none itself): see :func:`actors_in`."""
    # "The Grand Mufti of Egypt, Sheikh Shawki Allam": the person the title stands beside
    found = [m for x in c.children if x.dep_ == "appos" and (
        x.i in ctx.by_token or x.lemma_.lower() in ctx.lex.titles) for m in actor_of_head(ctx, x)]
    if not found:  # "all UNSCOM weapons inspectors": a name however deep in the compound
        found = [m for x in c.children if x.dep_ in _MODIFIERS and x.i < c.i
                 for m in (actors_of_np(ctx, x) or (actors_in(ctx, x, (), depth + 1) if x.dep_ == "compound" else []))]
    if (not found or all(ctx.mentions[m].kind in _WEAK for m in found)) \
            and load_sectors().sector_of(c.lemma_) is None and c.lemma_.lower() not in _DIRECTIONS:
        # complements, unless the head names people the story leaves unnamed: in "an assault on militants in
        # Idlib" the militants are the target, not Idlib; a name there wins over a bare institution modifier
        # ("the government websites of Georgia")
        for x in c.children:
            if x.dep_ in ("prep", "agent") and x.lower_ in preps:
                named = [m for p in x.children if p.dep_ == "pobj" for m in actors_in(ctx, p, preps, depth + 1)]
                if named:
                    found = named
                    break
    return found


def phrase_prep_objects(ctx: Ctx, t: Token, preps, *, inside: tuple[str, ...] = ()) -> list[int]:
    """Like :func:`prep_objects`, through the whole noun phrase headed by ``t`` (its conjuncts and listed members,
    no clause inside it): "sent emergency supplies and personnel such as doctors to Nepal"."""
    out: list[int] = []
    for x in t.subtree:
        if x.dep_ not in ("prep", "dative") or x.lower_ not in preps or x.i == t.i:
            continue
        path = x.head
        while path.i != t.i and path.pos_ not in ("VERB", "AUX") and path.head.i != path.i:
            path = path.head
        if path.i == t.i:
            out += [m for m in flat(ctx, [p for p in x.children if p.dep_ == "pobj"], inside=inside) if m not in out]
    return out


def is_passive(v: Token) -> bool:
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in v.children)


#: Prepositions that say where, not whom: what follows them is a target only if it is a place ("an offensive in
#: Idlib"), never a state ("an anti-Daesh operation in Iraq", "Kurdish forces in Syria").
LOCATIVE = frozenset({"in", "inside", "within", "across", "throughout"})


def prep_objects(ctx: Ctx, t: Token, preps, *, inside: tuple[str, ...] = (), where_is_no_state: bool = False
                 ) -> list[int]:
    """Actors named by the objects of ``t``'s prepositions in ``preps`` (looking ``inside`` them, see :func:`flat`).

    ``where_is_no_state``: for an attack or a fight, a state after a locative preposition is where it happened, not
    what it hit ("an anti-Daesh operation in Iraq"); a place there is still a target ("an offensive in Idlib").
    """
    out = []
    for c in t.children:
        if c.dep_ in ("prep", "dative", "agent") and c.lower_ in preps:
            objs = [p for p in c.children if p.dep_ == "pobj"]
            if not objs and inside:
                # "concern over holding talks with the US": the actor inside the object of a gerund after the
                # preposition; not the object itself ("concern about arming the rebels" is no criticism of them)
                objs = [o for g in c.children if g.dep_ == "pcomp" and g.tag_ == "VBG"
                        for o in g.children if o.dep_ == "dobj" and not actors_of_np(ctx, o)]
            found = flat(ctx, objs, inside=inside)
            if where_is_no_state and c.lower_ in LOCATIVE:
                found = [m for m in found if ctx.type_of(m)[0] != "State"]
            out.extend(m for m in found if m not in out)
    return out
