"""Relations between mentions, from the lexicon's words and a handful of construction types.

Construction types (the words are data in ``patterns/lexicon.yaml``):

* clauses: a lexicon verb with its subject(s) and object(s), active or passive, with subjects carried through
  infinitives, coordination and relative clauses ("Moscow is keen to help Assad", "Ankara, which backs ...");
* nouns: "Russian air strikes on Idlib", "a deal with Russia", "the Moscow-Ankara deal", "Turkey's support for";
* participles fused with an agent: "Russian-backed forces", "rebel-held Idlib", "al-Qaeda-linked HTS";
* agent nouns: "Putin, one of Assad's closest allies", "staunch Assad supporter Moscow", "an al-Qaeda affiliate";
* titles and appositions: "Russian President Vladimir Putin", "Dmitry Peskov, Putin's spokesman".

Every relation carries its modality (:mod:`kg.nlp.modality`) and a confidence that reflects how it was found.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations

from spacy.tokens import Doc, Token

from kg.model import Evidence, RawMention, RawRelation
from kg.nlp.lexicon import Lexicon
from kg.nlp.modality import modality_of, speakers_of

__all__ = ["find_relations"]

_SUBJ = ("nsubj",)
_REL_PRONOUNS = frozenset({"which", "who", "that", "whom"})
_NON_ARG_SUBTYPES = frozenset({"MediaOrganization"})


@dataclass
class _Ctx:
    doc: Doc
    mentions: list[RawMention]
    by_token: dict[int, int]
    lex: Lexicon
    type_of: object  # callable(mention index) -> (type, subtype) or (None, None)
    out: list[RawRelation] = field(default_factory=list)
    seen: set = field(default_factory=set)


def _conjuncts(t: Token) -> list[Token]:
    return [t] + [c for c in t.conjuncts if c.i > t.i]


def _actors_of_np(ctx: _Ctx, t: Token, depth: int = 0) -> list[int]:
    """Mentions that the noun phrase headed by ``t`` denotes (with its conjuncts)."""
    out: list[int] = []
    for c in _conjuncts(t):
        for m in _actor_of_head(ctx, c, depth):
            if m not in out:
                out.append(m)
    return out


def _led_by(ctx: _Ctx, t: Token) -> list[int]:
    """ "the Saudi-led coalition", "U.S.-led forces": the leader acts for what it leads."""
    for c in t.children:
        if c.dep_ == "amod" and c.lower_ in ("led", "-led") and c.i > 1 and ctx.doc[c.i - 1].text == "-" \
                and c.i - 2 in ctx.by_token:
            return [ctx.by_token[c.i - 2]]
    return []


_RELATIVES = ("that", "which", "who")
_NUMBERS = {"two": 2, "both": 2, "three": 3, "four": 4, "five": 5, "2": 2, "3": 3, "4": 4, "5": 5}
_MENTION_TYPES = {"State": ("GPE", "NORP"), "Person": ("PERSON",)}


def _plural_antecedents(ctx: _Ctx, t: Token) -> list[int]:
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


def _actor_of_head(ctx: _Ctx, t: Token, depth: int = 0) -> list[int]:
    leader = _led_by(ctx, t)
    if leader:
        return leader
    group = _plural_antecedents(ctx, t) if t.i not in ctx.by_token else []
    if group:
        return group
    if t.i in ctx.by_token:
        if ctx.mentions[ctx.by_token[t.i]].kind == "place_anaphor":
            named = _prep_objects(ctx, t, ("of",))  # "the province of Idlib" is Idlib, whatever came before
            if named:
                return named
        return [ctx.by_token[t.i]]
    if depth > 3 or t.pos_ not in ("NOUN", "PROPN", "ADJ", "PRON"):
        return []
    lemma, lower = t.lemma_.lower(), t.lower_
    compounds = [c.lower_ for c in t.children if c.dep_ in ("compound", "amod") and c.i == t.i - 1]
    is_group = lemma in ctx.lex.institutions or lower in ctx.lex.institutions or lemma in ctx.lex.titles \
        or lower in ctx.lex.titles or any(f"{c} {lemma}" in ctx.lex.institutions for c in compounds)
    if lemma in ctx.lex.place_anaphors:
        found = _prep_objects(ctx, t, ("of",))  # "the town of Khan Sheikhoun"
        if found:
            return found
        if t.dep_ == "appos" and t.head.i in ctx.by_token:
            return [ctx.by_token[t.head.i]]  # "Douma, the besieged rebel-held town"
    if (lemma in ctx.lex.agent_nouns or t.pos_ == "NOUN" and t.head.i in ctx.by_token) and t.dep_ == "appos" \
            and depth < 2:
        # an apposition denotes what it stands beside: "the Nusra Front, an al-Qaeda affiliate that ...",
        # "the Nusra Front, a jihadist group that has since been renamed ..."
        return _actors_of_np(ctx, t.head, depth + 1)
    if lemma in ctx.lex.partitives or lower in ctx.lex.partitives:
        return _prep_objects(ctx, t, ("of",))
    if not is_group:
        return []
    nxt = t.i + 1
    if (lemma in ctx.lex.titles or lower in ctx.lex.titles) and nxt in ctx.by_token \
            and ctx.mentions[ctx.by_token[nxt]].label == "PERSON":
        return [ctx.by_token[nxt]]  # "his Turkish counterpart Recep Tayyip Erdogan"
    for dep in ("poss", "amod", "compound", "nmod", "npadvmod"):
        for c in t.children:
            if c.dep_ == dep and c.i < t.i:
                # "Deir Ezzor units of the army": a place's units are not the place
                found = [m for x in _conjuncts(c) for m in _actor_of_head(ctx, x, depth + 1)
                         if ctx.type_of(m)[0] != "Place"]
                if found:
                    return found
    for c in t.children:
        if c.dep_ == "prep" and c.lower_ in ("of", "for"):
            for p in c.children:
                if p.dep_ == "pobj":
                    found = _actors_of_np(ctx, p, depth + 1)
                    if found:
                        return found
    return []


def _subjects(ctx: _Ctx, v: Token, depth: int = 0) -> tuple[list[int], bool]:
    """Subject mentions of verb ``v`` and whether they were found directly (not through control/coordination)."""
    subj = [c for c in v.children if c.dep_ in _SUBJ]
    agent = [p for c in v.children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj"]
    if agent:
        return _flat(ctx, agent), True
    if subj:
        if subj[0].lower_ in _REL_PRONOUNS and v.dep_ == "relcl":
            head = v.head
            while head.dep_ in ("conj", "appos"):  # "Putin and Erdogan, who are ...": the whole coordination
                head = head.head
            return _actors_of_np(ctx, head), False
        return _flat(ctx, subj), True
    if depth > 3:
        return [], False
    if v.dep_ == "xcomp":
        objs = [c for c in v.head.children if c.dep_ == "dobj"]
        if objs and _flat(ctx, objs):
            return _flat(ctx, objs), False  # object control: "asked Putin to take ..."
        return _subjects(ctx, v.head, depth + 1)[0], False
    if v.dep_ in ("conj", "acomp", "advcl") and v.head.pos_ in ("VERB", "AUX", "ADJ"):
        return _subjects(ctx, v.head, depth + 1)[0], False
    if v.head.pos_ in ("ADJ",) or v.head.dep_ == "acomp":
        return _subjects(ctx, v.head, depth + 1)[0], False
    if v.dep_ == "pcomp" and v.head.dep_ == "prep":
        gov = v.head.head
        objs = _flat(ctx, [c for c in gov.children if c.dep_ == "dobj"]) if v.head.lower_ in ("for", "of") else []
        if objs:
            return objs, False  # "criticised Putin for backing Assad": Putin backs
        return _subjects(ctx, gov, depth + 1)[0], False  # "after hosting a summit"
    if v.dep_ == "acl" and (v.tag_ == "VBG" or any(c.dep_ == "dobj" for c in v.children)):
        # "opposition fighters seeking ...", "the coalition bombed X" read as a participle
        return _actors_of_np(ctx, v.head), False
    if v.dep_ == "relcl":
        return _actors_of_np(ctx, v.head), False
    return [], False


def _flat(ctx: _Ctx, tokens: list[Token]) -> list[int]:
    out: list[int] = []
    for t in tokens:
        for m in _actors_of_np(ctx, t):
            if m not in out:
                out.append(m)
    return out


def _is_passive(v: Token) -> bool:
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in v.children)


def _prep_objects(ctx: _Ctx, t: Token, preps) -> list[int]:
    out = []
    for c in t.children:
        if c.dep_ in ("prep", "dative", "agent") and c.lower_ in preps:
            out.extend(_flat(ctx, [p for p in c.children if p.dep_ == "pobj"]))
    return out


def _type_ok(ctx: _Ctx, m: int, allowed) -> bool:
    if not allowed:
        return True
    typ, _ = ctx.type_of(m)
    return typ is None or typ in allowed


def _emit(ctx: _Ctx, s: int, rel: str, o: int, trigger: Token, rule: str, confidence: float, *,
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


def _verb_entry(ctx: _Ctx, v: Token):
    """The lexicon entry of verb ``v``: (word, spec, token carrying the rest of a multiword entry)."""
    lemma = v.lemma_.lower()
    for c in v.children:
        if c.dep_ == "prt":
            spec = ctx.lex.verbs.get(f"{lemma} {c.lower_}")
            if spec:
                return f"{lemma} {c.lower_}", spec, c
        if c.dep_ in ("dobj", "ccomp", "xcomp", "attr", "nsubj"):
            # "struck a deal with": the parser sometimes reads "deal" as a verb or its object as a subject
            spec = ctx.lex.verbs.get(f"{lemma} {c.lemma_.lower()}") or ctx.lex.verbs.get(f"{lemma} {c.lower_}")
            if spec and (c.dep_ in ("dobj", "attr") or c.i > v.i):
                return f"{lemma} {c.lemma_.lower()}", spec, c
    spec = ctx.lex.verbs.get(lemma)
    return (lemma, spec, None) if spec else (None, None, None)


def _clauses(ctx: _Ctx) -> None:
    for v in ctx.doc:
        if v.pos_ not in ("VERB", "AUX") and not (v.pos_ == "NOUN" and v.dep_ == "ROOT"):
            continue
        word, spec, part = _verb_entry(ctx, v)
        if spec is None:
            continue
        rel = spec["relation"]
        if spec.get("passive_subject") and v.tag_ == "VBN" and v.dep_ != "acl" \
                and not any(c.dep_ in ("aux", "auxpass", "nsubj", "nsubjpass") for c in v.children):
            continue  # a bare participle with no theme, as in a byline ("Posted on May 3 by ..."): nobody deployed
        has_object = any(c.dep_ == "dobj" for c in v.children)
        passive = _is_passive(v) or (v.tag_ == "VBN" and v.dep_ == "acl" and not has_object)
        subjects, direct = _subjects(ctx, v)
        objects: list[int] = []
        if passive:
            themes = _flat(ctx, [c for c in v.children if c.dep_ == "nsubjpass"])
            if not themes and v.dep_ == "relcl" and any(c.dep_ == "nsubjpass" and c.lower_ in _RELATIVES
                                                        for c in v.children):
                themes = _actors_of_np(ctx, v.head)  # "the Nusra Front, which was renamed ...": the antecedent
            if v.dep_ == "acl":
                themes = _actors_of_np(ctx, v.head)  # "the Free Syrian Army, backed by Turkey, ..."
                direct = True
            subjects = _flat(ctx, [p for c in v.children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj"])
            if spec.get("passive_subject"):
                subjects, objects = themes, []  # "Syrian troops were deployed to Manbij", "Aleppo is located in"
                # "the Nusra Front was renamed Jabhat Fatah al-Sham": the object complement is the object
                objects = _flat(ctx, [c for c in v.children if c.dep_ in spec.get("passive_object", ())])
            else:
                objects = themes
        else:
            obj_deps = spec.get("object", ["dobj"])
            if obj_deps:
                objects = _flat(ctx, [c for c in v.children if c.dep_ in obj_deps])
        if not objects and not passive and "dobj" in spec.get("object", ["dobj"]):
            for c in v.children:
                if c.dep_ in ("ccomp", "xcomp"):
                    objects = _flat(ctx, [n for n in c.children if n.dep_ == "nsubj"])
                    if objects:
                        break
        if not objects and not passive and "dobj" in spec.get("object", ["dobj"]) and v.i + 1 < len(ctx.doc) \
                and v.i + 1 in ctx.by_token and ctx.doc[v.i + 1].dep_ in ("compound", "nsubj", "amod", "poss"):
            objects = [ctx.by_token[v.i + 1]]  # "help Assad retake territory" misparsed: the name after the verb
        carriers = [v] + ([part] if part is not None and part.dep_ != "prt" else [])
        carriers += [c for c in v.children if c.dep_ == "dobj" and c.i not in ctx.by_token]  # "sent troops to X"
        if spec.get("deep_preps"):
            # "have forces on the ground in Syria": the place may hang anywhere under the object
            scopes = carriers[1:] + [c for c in v.children if c.dep_ in ("xcomp", "advcl") and c.i > v.i]
            for c in scopes:
                for x in c.subtree:
                    if x.dep_ == "prep" and x.lower_ in spec["deep_preps"]:
                        objects += [o for o in _flat(ctx, [p for p in x.children if p.dep_ == "pobj"]) if o not in objects]
        if not objects and not passive and "dobj" in spec.get("object", ["dobj"]):
            # "condemned the US strike on X", "welcomed Russia's support": the act stands for whoever did it
            for c in v.children:
                if c.dep_ == "dobj" and c.i not in ctx.by_token and _noun_entry(ctx, c)[1] is not None:
                    objects = _noun_agents(ctx, c)
        prep_objs = [o for c in carriers for o in _prep_objects(ctx, c, spec.get("preps", ()))]
        with_objs = [o for c in carriers for o in _prep_objects(ctx, c, spec.get("with", ()))]
        if spec.get("requires_prep") and not (prep_objs or with_objs):
            continue
        if spec.get("requires_xcomp") and not any(c.dep_ in ("xcomp", "ccomp") for c in v.children):
            continue  # "press X to do" is an appeal; "forces press Islamic State" is not
        objects += [o for o in prep_objs if o not in objects]
        if not objects and spec.get("xcomp_obj"):
            for x in v.children:
                if x.dep_ == "xcomp":
                    for n in x.children:
                        if n.dep_ == "dobj":
                            objects += _prep_objects(ctx, n, ("on", "against")) or _flat(ctx, [n])
                    objects += _prep_objects(ctx, x, ("on", "against"))
        allowed = spec.get("needs_object_type")
        conf = 0.8 if direct else 0.65
        rule = f"verb:{word}"
        for s_ in subjects:
            for o in _prep_objects(ctx, v, spec.get("alongside", ())):
                _emit(ctx, s_, "cooperatesWith", o, v, rule + ":alongside", conf - 0.05)
        for s in subjects:
            for o in objects:
                if _type_ok(ctx, o, allowed):
                    _emit(ctx, s, rel, o, v, rule, conf)
                elif spec.get("otherwise"):
                    _emit(ctx, s, spec["otherwise"], o, v, rule + ":otherwise", conf - 0.05)
            for o in with_objs:
                _emit(ctx, s, rel, o, v, rule + ":with", conf)
        if spec.get("symmetric") and len(subjects) > 1 and not with_objs:
            for a, b in combinations(subjects, 2):
                _emit(ctx, a, rel, b, v, rule + ":coordinated", conf - 0.05)
                if spec.get("reciprocal"):
                    _emit(ctx, b, rel, a, v, rule + ":coordinated", conf - 0.05)
        if spec.get("reciprocal"):
            for s_ in subjects:
                for o in with_objs:
                    _emit(ctx, o, rel, s_, v, rule + ":with", conf)


def _sandwiched_verbs(ctx: _Ctx) -> None:
    """ "Idlib province borders Turkey" misparsed as one noun phrase: a lexicon verb form right between two names."""
    doc = ctx.doc
    for t in doc[1:-1]:
        if t.pos_ in ("VERB", "AUX") or t.i - 1 not in ctx.by_token or t.i + 1 not in ctx.by_token:
            continue
        if not (t.lower_.endswith("s") or t.lower_.endswith("ed")):
            continue
        spec = ctx.lex.verbs.get(t.lemma_.lower()) or ctx.lex.verbs.get(t.lower_.rstrip("s"))
        if spec is None or spec.get("requires_prep") or spec.get("object") == []:
            continue
        s, o = ctx.by_token[t.i - 1], ctx.by_token[t.i + 1]
        if _type_ok(ctx, o, spec.get("needs_object_type")):
            _emit(ctx, s, spec["relation"], o, t, f"surface:{t.lower_}", 0.6)


def _opposition_phrases(ctx: _Ctx) -> None:
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
            while verb.pos_ not in ("VERB", "AUX") and verb.head is not verb:
                verb = verb.head
            parties = _subjects(ctx, verb)[0]
            parties += [o for o in _prep_objects(ctx, verb, ("with",)) if o not in parties]
            for t in ctx.doc[tok.i:min(sent.end, tok.i + 6)]:
                if t.lower_ == "with" and t.dep_ == "prep":
                    parties += [o for o in _flat(ctx, [p for p in t.children if p.dep_ == "pobj"]) if o not in parties]
            for a, b in combinations(parties, 2):
                _emit(ctx, a, "opposes", b, tok, f"phrase:{phrase}", 0.65)
                _emit(ctx, b, "opposes", a, tok, f"phrase:{phrase}", 0.65)


def _ouster_calls(ctx: _Ctx) -> None:
    """ "Ankara called for the Syrian leader to leave power": a call for someone to go opposes them."""
    for v in ctx.doc:
        if v.pos_ != "VERB" or v.lemma_.lower() not in ctx.lex.ouster_verbs:
            continue
        subjects = _subjects(ctx, v)[0]
        for c in v.subtree:
            if c.lemma_.lower() in ctx.lex.ouster_outcomes and c.pos_ == "VERB" and c.i > v.i and c.head.i >= v.i:
                targets = _flat(ctx, [t for t in c.children if t.dep_ == "nsubj"]) or (
                    _flat(ctx, [t for t in v.children if t.dep_ == "dobj"]))
                for s in subjects:
                    for o in targets:
                        if o not in subjects:
                            _emit(ctx, s, "opposes", o, v, "ouster-call", 0.7)


def _noun_entry(ctx: _Ctx, t: Token):
    lemma = t.lemma_.lower()
    for c in t.children:
        if c.dep_ == "compound":
            spec = ctx.lex.nouns.get(f"{c.lower_} {lemma}")
            if spec:
                return f"{c.lower_} {lemma}", spec
    spec = ctx.lex.nouns.get(lemma)
    return (lemma, spec) if spec else (None, None)


_ATTACK_RELATIONS = frozenset({"attacks", "airStrikeOn", "shells", "besieges"})


def _governing_verb(t: Token) -> Token | None:
    """The verb a noun is the object of, directly or through one preposition ("met for a summit with")."""
    h = t
    for _ in range(3):
        if h.dep_ in ("dobj", "nsubjpass", "attr"):
            return h.head if h.head.pos_ in ("VERB", "AUX") else None
        if h.dep_ == "pobj" and h.head.dep_ == "prep":
            h = h.head.head
            if h.pos_ in ("VERB", "AUX"):
                return h
            if h.pos_ in ("NOUN", "NUM") and h.head.pos_ in ("VERB", "AUX") and h.dep_ in ("dobj", "nsubjpass"):
                return h.head  # "carried out hundreds of air strikes"
            continue
        if h.dep_ == "conj":
            h = h.head
            continue
        return None
    return None


def _hyphen_chain(ctx: _Ctx, t: Token) -> list[int]:
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


def _nouns(ctx: _Ctx) -> None:
    for t in ctx.doc:
        if t.pos_ not in ("NOUN", "PROPN") or t.i in ctx.by_token:
            continue
        word, spec = _noun_entry(ctx, t)
        if spec is None:
            continue
        rel = spec["relation"]
        rule = f"noun:{word}"
        chain = _hyphen_chain(ctx, t)
        if chain and spec.get("symmetric"):
            for a, b in combinations(chain, 2):
                _emit(ctx, a, rel, b, t, rule + ":pair", 0.7)
            continue
        parties = _mutual_parties(ctx, t, spec.get("mutual", ()))
        if len(parties) > 1:
            # "clashes between government troops and rebels", "talks among Russia, Turkey and Iran"
            for a, b in combinations(parties, 2):
                _emit(ctx, a, rel, b, t, rule + ":mutual", 0.65)
                if not spec.get("symmetric") or spec.get("reciprocal"):
                    _emit(ctx, b, rel, a, t, rule + ":mutual", 0.65)
            continue
        agents = _noun_agents(ctx, t)
        direct = bool(agents)
        governor = _governing_verb(t)
        if not agents and governor is not None and (governor.lemma_.lower() in ctx.lex.noun_agent_verbs
                                                    or ctx.lex.verbs.get(governor.lemma_.lower(), {}).get("symmetric")
                                                    or (t.dep_ == "pobj" and t.head.lower_ == "in")):
            agents = _subjects(ctx, governor)[0]  # "launched strikes", "waged a campaign in support of"
        objects = _prep_objects(ctx, t, spec.get("preps", ()))
        with_objs = _prep_objects(ctx, t, spec.get("with", ()))
        if not with_objs and spec.get("with") and governor is not None:
            with_objs = _prep_objects(ctx, governor, spec.get("with", ()))
            for c in governor.children:
                if not with_objs and c.dep_ in ("advcl", "xcomp") and c.i > t.i:
                    with_objs = _prep_objects(ctx, c, spec.get("with", ()))
        if not objects and spec["relation"] in _ATTACK_RELATIONS and governor is not None and t.dep_ == "dobj":
            # "condemned the US strike on a Syrian airbase": the parser hangs the target on the verb
            objects = _prep_objects(ctx, governor, [p for p in spec.get("preps", ()) if p in ("on", "against")])
        if not objects and spec["relation"] in _ATTACK_RELATIONS and t.dep_ == "nsubj":
            # "Russian and Syrian air strikes ... have killed 30 civilians across the province"
            objects = [o for o in _prep_objects(ctx, t.head, ("in", "across", "on", "near", "around"))
                       if ctx.type_of(o)[0] == "Place"]
        allowed = spec.get("needs_object_type")
        conf = 0.65 if direct else 0.55
        if len(agents) > 1 and any(c.lower_ in ("joint", "combined") for c in t.children if c.dep_ == "amod"):
            for a, b in combinations(agents, 2):  # "Turkish and Russian troops conducted joint patrols"
                _emit(ctx, a, "cooperatesWith", b, t, rule + ":joint", conf)
        for s in agents:
            for o in objects:
                if o not in agents and _type_ok(ctx, o, allowed):
                    _emit(ctx, s, rel, o, t, rule, conf)
            for o in with_objs:
                if o not in agents:
                    _emit(ctx, s, rel, o, t, rule + ":with", conf)
                    if spec.get("reciprocal"):
                        _emit(ctx, o, rel, s, t, rule + ":with", conf)
        if spec.get("symmetric"):
            # everyone at a summit or party to a deal relates to everyone else there
            participants = agents + [o for o in with_objs if o not in agents]
            for a, b in combinations(participants, 2):
                if (a in agents) != (b in agents):
                    continue  # agent x with-object pairs were emitted above
                if a not in agents or len(agents) > 1 and (direct or with_objs):
                    _emit(ctx, a, rel, b, t, rule + ":coordinated", conf - 0.05)
                    if spec.get("reciprocal"):
                        _emit(ctx, b, rel, a, t, rule + ":coordinated", conf - 0.05)


def _noun_agents(ctx: _Ctx, t: Token) -> list[int]:
    """Who does what relation noun ``t`` names: possessive, modifiers ("Russian air strikes"), a by-phrase."""
    agents: list[int] = []
    for c in t.children:
        if c.dep_ in ("poss", "amod", "compound", "nmod", "npadvmod") and c.i < t.i:
            agents += [m for m in _actors_of_np(ctx, c) if m not in agents]
    agents += [m for m in _prep_objects(ctx, t, ("by",)) if m not in agents]
    return agents


def _mutual_parties(ctx: _Ctx, t: Token, preps) -> list[int]:
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
            if m not in out and ctx.type_of(m)[0] not in ("Place", "Event"):
                out.append(m)
        elif tok.pos_ == "NOUN":
            for m in _actor_of_head(ctx, tok):
                if m not in out:
                    out.append(m)
    return out


def _participles(ctx: _Ctx) -> None:
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
                agents = _actors_of_np(ctx, doc[j])
        else:
            for c in t.children:
                if c.dep_ in ("npadvmod", "compound") and c.i < t.i:
                    agents += _actors_of_np(ctx, c)
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
        objects = _actors_of_np(ctx, head) if head.i not in ctx.by_token else [ctx.by_token[head.i]]
        if not objects:
            # "the government-held city of Aleppo": the head's of-phrase names the place
            objects = _prep_objects(ctx, head, ("of",))
        rel = spec["relation"]
        if rel == "controls" and (head.lemma_.lower() in ctx.lex.partitives):
            # "opposition-held parts of Syria" is control of parts, not of the state
            objects = [o for o in objects if ctx.type_of(o)[0] != "State"]
        for a in agents:
            for o in objects:
                if o in agents:
                    continue
                if spec.get("reverse"):
                    _emit(ctx, o, rel, a, t, f"participle:{t.lower_}", 0.75)
                else:
                    _emit(ctx, a, rel, o, t, f"participle:{t.lower_}", 0.75)


def _holder_of(ctx: _Ctx, node: Token) -> list[int]:
    """Who an agent noun or title is said of: apposition, copula subject, or the name right after it."""
    if node.dep_ == "pobj" and node.head.dep_ == "prep" and node.head.lower_ == "of" and node.head.head.lower_ in (
            "one", "some", "two", "three", "all", "both"):
        node = node.head.head
    if node.dep_ == "appos":
        return _actors_of_np(ctx, node.head)
    if node.dep_ == "attr":
        return _subjects(ctx, node.head)[0]
    nxt = node.i + 1
    if nxt < len(ctx.doc) and nxt in ctx.by_token:
        return [ctx.by_token[nxt]]
    if node.head.i in ctx.by_token and node.dep_ in ("compound", "amod") and node.head.i > node.i:
        return [ctx.by_token[node.head.i]]
    return []


def _complement_of(ctx: _Ctx, n: Token, node: Token) -> list[int]:
    for t in (n, node):
        for c in t.children:
            if c.dep_ == "poss":
                found = _actors_of_np(ctx, c)
                if found:
                    return found
    for t in (n, node):
        found = _prep_objects(ctx, t, ("of", "for", "to"))
        if found:
            return found
    for t in (n, node):
        for c in t.children:
            if c.dep_ in ("compound", "amod", "nmod") and c.i < t.i and c.i in ctx.by_token:
                return [ctx.by_token[c.i]]
    j = n.i - 1
    while j >= 0 and ctx.doc[j].pos_ == "ADJ" and j not in ctx.by_token:
        j -= 1
    if j >= 0 and j in ctx.by_token:
        return [ctx.by_token[j]]
    return []


def _agent_nouns(ctx: _Ctx) -> None:
    for n in ctx.doc:
        if n.pos_ not in ("NOUN", "PROPN") or n.i in ctx.by_token:
            continue
        spec = ctx.lex.agent_nouns.get(n.lemma_.lower())
        if spec is None:
            continue
        node = n.head if n.dep_ == "compound" and n.head.i > n.i and n.head.i not in ctx.by_token else n
        holders = _holder_of(ctx, node)
        complements = [c for c in _complement_of(ctx, n, node) if c not in holders]
        if spec.get("demonym_is_complement", True) is False:
            # "its Syrian affiliate PYD": the demonym says where the affiliate is, not what it belongs to
            complements = [c for c in complements if ctx.mentions[c].kind != "demonym"]
        for h in holders:
            for c in complements:
                _emit(ctx, h, spec["relation"], c, n, f"agent-noun:{n.lemma_.lower()}", 0.75)


def _title_owner(ctx: _Ctx, lo: int, hi: int, spec: dict | None = None) -> int | None:
    """The owner of a title among tokens ``lo..hi``: a possessive, then a demonym or state, then an organisation."""
    doc = ctx.doc
    best, best_rank = None, 9
    for i in range(lo, hi):
        if i not in ctx.by_token:
            continue
        m = ctx.by_token[i]
        mention = ctx.mentions[m]
        if mention.kind in ("pronoun", "pronoun_it", "place_anaphor", "role"):
            continue
        if mention.label == "PERSON" and not (spec or {}).get("person_owner"):
            continue
        if mention.kind == "ner" and " " not in mention.text.strip() and mention.label != "PERSON":
            continue  # "Childrens Minister": one unknown capitalised word is no owner of a title
        end_tok = i
        while end_tok + 1 < hi and ctx.by_token.get(end_tok + 1) == m:
            end_tok += 1
        poss = end_tok + 1 < len(doc) and doc[end_tok + 1].lower_ in ("'s", "\u2019s", "'")
        typ, _ = ctx.type_of(m)
        rank = 0 if poss else 1 if mention.label in ("NORP", "GPE") or typ == "State" else 2 if typ != "Place" else 9
        if rank < best_rank or (rank == best_rank and rank > 0):
            best, best_rank = m, rank
    return best if best_rank < 9 else None


def _titles(ctx: _Ctx) -> None:
    doc = ctx.doc
    titled: list[tuple[int, str]] = []
    for m_idx, m in enumerate(ctx.mentions):
        if m.label != "PERSON" or m.kind not in ("name", "alias", "ner"):
            continue
        first = doc.char_span(m.start, m.end, alignment_mode="expand")
        if first is None:
            continue
        i = first.start
        # pre-nominal title: "Russian President Vladimir Putin", "Kremlin envoy Alexander Lavrentyev"
        for n in (3, 2, 1):
            if i - n < 0:
                continue
            words = " ".join(t.lower_ for t in doc[i - n:i])
            spec = ctx.lex.titles.get(words)
            if spec is None:
                continue
            rel = spec.get("relation")
            if spec.get("counterpart"):
                rel = next((r for _, r in reversed(titled)), "leaderOf")
            sent_start = doc[i].sent.start
            lo = i - n
            k = lo - 1
            while k >= max(sent_start, lo - 5) and not (doc[k].pos_ in ("VERB", "AUX", "ADP", "PUNCT")
                                                       and doc[k].text not in ("-",)) and doc[k].lower_ not in ("and",):
                k -= 1
            owner = _title_owner(ctx, k + 1, lo, spec)
            if owner is not None and rel:
                _emit(ctx, m_idx, rel, owner, doc[i - 1], f"title:{words}", 0.9, modality="asserted",
                      span=(doc[k + 1].idx, m.end))
                titled.append((m_idx, rel))
            break
        # apposition: "Alexander Lavrentiev, Russia's Syria envoy", "Maria Zakharova, a spokeswoman for ..."
        j = first.end
        if j < len(doc) and doc[j].text == ",":
            k = j + 1
            while k < len(doc) and k < j + 12 and doc[k].text not in (",", ".", ";", ":", "\u2014") \
                    and doc[k].pos_ not in ("VERB", "AUX"):
                k += 1
            title_at = None
            for x in range(j + 1, k):
                for n in (3, 2, 1):
                    words = " ".join(t.lower_ for t in doc[x:x + n]) if x + n <= k else None
                    if words and words in ctx.lex.titles and ctx.lex.titles[words].get("relation"):
                        if x + n in ctx.by_token and ctx.mentions[ctx.by_token[x + n]].label == "PERSON":
                            continue  # "..., Syrian President Bashar Assad's ally": the title is Assad's
                        title_at = (x, n, words)
                        break
                if title_at:
                    break
            if title_at:
                x, n, words = title_at
                owner = _title_owner(ctx, j + 1, k, ctx.lex.titles[words])
                if owner is not None:
                    _emit(ctx, m_idx, ctx.lex.titles[words]["relation"], owner, doc[x], f"apposition:{words}", 0.85,
                          modality="asserted", span=(m.start, doc[k - 1].idx + len(doc[k - 1])))


def _possessive_places(ctx: _Ctx) -> None:
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
                    _emit(ctx, m_idx, "locatedIn", owner, head, "possessive-place", 0.8, modality="asserted")


def find_relations(doc: Doc, mentions: list[RawMention], by_token: dict[int, int], lex: Lexicon,
                   type_of) -> list[RawRelation]:
    """Every relation the lexicon's constructions find in ``doc``.

    Args:
        doc: the parsed document.
        mentions: its mentions (from :func:`kg.nlp.mentions.find_mentions`).
        by_token: token index -> mention index.
        lex: the relation lexicon.
        type_of: mention index -> (actor type, subtype), ``(None, None)`` when unknown.
    """
    ctx = _Ctx(doc=doc, mentions=mentions, by_token=by_token, lex=lex, type_of=type_of)
    _titles(ctx)
    _clauses(ctx)
    _sandwiched_verbs(ctx)
    _ouster_calls(ctx)
    _opposition_phrases(ctx)
    _nouns(ctx)
    _participles(ctx)
    _agent_nouns(ctx)
    _possessive_places(ctx)
    return ctx.out
