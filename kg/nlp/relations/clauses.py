"""Clauses with a lexicon verb: its subject(s) and object(s), active or passive, through infinitives, coordination,
relative clauses and participles; and lexicon verbs the parser misread inside a noun phrase."""
from __future__ import annotations

from itertools import combinations

from spacy.tokens import Token

from kg.nlp.relations.arguments import (
    LOCATIVE,
    RELATIVES,
    SUBJECT_INSIDE,
    actors_of_np,
    conjuncts,
    flat,
    inside_for,
    is_passive,
    phrase_prep_objects,
    prep_objects,
    subjects_of,
)
from kg.nlp.relations.context import Ctx, emit, type_ok
from kg.nlp.relations.nouns import noun_agents, noun_entry

__all__ = ["find_clauses", "find_sandwiched_verbs"]


def _verb_entry(ctx: Ctx, v: Token):
    """The lexicon entry of verb ``v``: (word, spec, token carrying the rest of a multiword entry).

    The object picks the most specific entry: verb (+ particle) + object ("hand over aid", "lift sanctions"; the
    object of a passive, and the theme of "provided Egypt with aid", count), then verb + particle, then the verb.
    """
    lemma = v.lemma_.lower()
    particle = next((c for c in v.children if c.dep_ == "prt"), None)
    heads = ([f"{lemma} {particle.lower_}"] if particle is not None else []) + [lemma]
    themes = [c for c in v.children if c.dep_ in ("dobj", "nsubjpass", "ccomp", "xcomp", "attr", "nsubj")]
    # "gave Armenia some of its equipment": the noun after a quantity's "of"
    themes += [p for c in themes if c.lemma_.lower() in ctx.lex.partitives or c.pos_ in ("NUM", "PRON")
               for x in c.children if x.dep_ == "prep" and x.lower_ == "of" for p in x.children if p.dep_ == "pobj"]
    # "provided the army with vehicles", "held civilians as human shields", "came under criticism from"
    themes += [p for c in v.children if c.dep_ == "prep" and c.lower_ in ("with", "as", "under") for p in c.children
               if p.dep_ == "pobj"]
    for c in themes:
        for head in heads:
            # "struck a deal with": the parser sometimes reads "deal" as a verb or its object as a subject
            for obj in dict.fromkeys((c.lemma_.lower(), c.lower_)):
                spec = ctx.lex.verbs.get(f"{head} {obj}")
                if spec and (c.dep_ in ("dobj", "attr", "nsubjpass", "pobj") or c.i > v.i):
                    return f"{head} {obj}", spec, c
    if particle is not None:
        spec = ctx.lex.verbs.get(heads[0])
        if spec:
            return heads[0], spec, particle
    spec = ctx.lex.verbs.get(lemma)
    return (lemma, spec, None) if spec else (None, None, None)


def find_clauses(ctx: Ctx) -> None:
    for v in ctx.tokens:
        if v.pos_ not in ("VERB", "AUX") and not (v.pos_ == "NOUN" and v.dep_ == "ROOT"):
            continue
        word, spec, part = _verb_entry(ctx, v)
        if spec is None:
            continue
        rel = spec["relation"]
        core = ctx.relations.get(rel, {}).get("core")
        inside = () if spec.get("plain_object") else inside_for(ctx, rel)
        if spec.get("passive_subject") and v.tag_ == "VBN" and v.dep_ != "acl" \
                and not any(c.dep_ in ("aux", "auxpass", "nsubj", "nsubjpass") for c in v.children):
            continue  # a bare participle with no theme, as in a byline ("Posted on May 3 by ..."): nobody deployed
        has_object = any(c.dep_ == "dobj" for c in v.children)
        passive = is_passive(v) or (v.tag_ == "VBN" and v.dep_ == "acl" and not has_object)
        subjects, direct = subjects_of(ctx, v)
        objects: list[int] = []
        if passive:
            themes = flat(ctx, [c for c in v.children if c.dep_ == "nsubjpass"], inside=inside)
            if not themes and v.dep_ == "relcl" and any(c.dep_ == "nsubjpass" and c.lower_ in RELATIVES
                                                        for c in v.children):
                themes = actors_of_np(ctx, v.head)  # "the Nusra Front, which was renamed ...": the antecedent
            if v.dep_ == "acl":
                themes = actors_of_np(ctx, v.head)  # "the Free Syrian Army, backed by Turkey, ..."
                direct = True
            subjects = flat(ctx, [p for c in v.children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj"],
                            inside=SUBJECT_INSIDE)
            if spec.get("passive_subject"):
                subjects, objects = themes, []  # "Syrian troops were deployed to Manbij", "Aleppo is located in"
                # "the Nusra Front was renamed Jabhat Fatah al-Sham": the object complement is the object
                objects = flat(ctx, [c for c in v.children if c.dep_ in spec.get("passive_object", ())])
            else:
                objects = themes
        else:
            obj_deps = spec.get("object", ["dobj"])
            if obj_deps:
                # "took 20 soldiers hostage": the entry's own noun ("hostage") is no object
                complement = part if spec.get("complement") else None
                objects = flat(ctx, [c for c in v.children if c.dep_ in obj_deps
                                     and (complement is None or c.i != complement.i)]
                               or _shared_objects(v, obj_deps), inside=inside)
                if not objects and complement is not None:
                    # "took 20 Kenyan soldiers hostage" read as one noun phrase: the people before the entry's noun
                    objects = flat(ctx, [c for c in complement.children if c.dep_ == "compound" and c.i < complement.i])
        if not objects and not passive and "dobj" in spec.get("object", ["dobj"]):
            for c in v.children:
                if c.dep_ in ("ccomp", "xcomp"):
                    objects = flat(ctx, [n for n in c.children if n.dep_ == "nsubj"])
                    if objects:
                        break
        if not objects and not passive and "dobj" in spec.get("object", ["dobj"]) and v.i + 1 < len(ctx.doc) \
                and v.i + 1 in ctx.by_token and ctx.doc[v.i + 1].dep_ in ("compound", "nsubj", "amod", "poss"):
            objects = [ctx.by_token[v.i + 1]]  # "help Assad retake territory" misparsed: the name after the verb
        carriers = [v] + ([part] if part is not None and part.dep_ != "prt" else [])
        if spec.get("agent_preps"):
            # "drew criticism from Washington", "won backing from Germany": the one after "from" acts on the subject
            agents = [o for c in carriers for o in prep_objects(ctx, c, spec["agent_preps"], inside=SUBJECT_INSIDE)]
            for a in agents:
                for s in subjects:
                    emit(ctx, a, rel, s, v, f"verb:{word}:from", 0.7 if direct else 0.6)
            continue
        if part is not None and part.dep_ != "prt":
            # "lifted a travel ban imposed on Chadian citizens", "aid destined for Gaza": the object's participle
            carriers += [c for c in part.children if c.dep_ == "acl" and c.tag_ == "VBN"]
        carriers += [c for c in v.children if c.dep_ == "dobj" and c.i not in ctx.by_token]  # "sent troops to X"
        if spec.get("deep_preps"):
            # "have forces on the ground in Syria": the place may hang anywhere under the object
            scopes = carriers[1:] + [c for c in v.children if c.dep_ in ("xcomp", "advcl") and c.i > v.i]
            for c in scopes:
                for x in c.subtree:
                    if x.dep_ == "prep" and x.lower_ in spec["deep_preps"]:
                        objects += [o for o in flat(ctx, [p for p in x.children if p.dep_ == "pobj"]) if o not in objects]
        if not objects and not passive and "dobj" in spec.get("object", ["dobj"]):
            # "condemned the US strike on X", "welcomed Russia's support": the act stands for whoever did it
            for c in v.children:
                if c.dep_ == "dobj" and c.i not in ctx.by_token and noun_entry(ctx, c)[1] is not None:
                    objects = noun_agents(ctx, c)
        fight = core in ("attacks", "fightsAgainst")
        prep_objs = [o for c in carriers for o in prep_objects(ctx, c, spec.get("preps", ()), inside=inside,
                                                                 where_is_no_state=fight)]
        if not prep_objs and part is not None and part.dep_ != "prt" and spec.get("object") == []:
            # a frame's target may close the object phrase: "sent supplies and personnel such as doctors to Nepal"
            prep_objs = phrase_prep_objects(ctx, part, spec.get("preps", ()), inside=inside)
        with_objs = [o for c in carriers for o in prep_objects(ctx, c, spec.get("with", ()), inside=inside)]
        if spec.get("requires_prep") and not (prep_objs or with_objs):
            if spec.get("direct") and not passive and not any(
                    c.dep_ in ("oprd", "ccomp") or c.dep_ == "xcomp" and c.lemma_.lower() not in spec.get(
                        "direct_purposes", ()) for c in v.children):
                # "Tillerson called Lavrov", "called Erdogan to apologize": with a direct object and no preposition,
                # another relation; the object may be a title with its holder beside it ("his counterpart, Aoun")
                for s in subjects:
                    for o in flat(ctx, [c for c in v.children if c.dep_ == "dobj"], inside=("of",)):
                        if ctx.type_of(o)[0] in ("Person", "State", "Organization", "ArmedGroup"):
                            emit(ctx, s, spec["direct"], o, v, f"verb:{word}:direct", 0.7)
            continue
        if spec.get("requires_theme") and not any(c.dep_ in ("dobj", "nsubjpass") for c in v.children) \
                and not (passive and v.dep_ == "acl"):
            continue  # "refugees returned to Syria": nothing handed over
        if spec.get("requires_xcomp") and not any(c.dep_ in ("xcomp", "ccomp") for c in v.children):
            continue  # "press X to do" is an appeal; "forces press Islamic State" is not
        if core == "deploysTo" and any(
                c.dep_ == "dobj" and c.lemma_.lower() in ctx.lex.message_nouns for c in v.children):
            continue  # "sent a letter to Ethiopia" deploys nothing there
        if spec.get("subject_heads") and not any(
                x.lemma_.lower() in spec["subject_heads"] for c in v.children if c.dep_ in ("nsubj", "nsubjpass")
                for x in [c] + [p for o in c.children if o.dep_ == "prep" and o.lower_ == "of" for p in o.children]):
            continue  # "British troops arrived in Mali" deploy there; "Putin arrived in Beijing" does not
        objects += [o for o in prep_objs if o not in objects]
        if spec.get("recipient"):
            # "gave Egypt $1 billion", "provided the Lebanese army with vehicles": the recipient is the target
            recipients = [c for c in v.children if c.dep_ == "dative"]
            if part is not None and part.dep_ == "pobj" and part.head.lower_ == "with":
                recipients += [c for c in v.children if c.dep_ == "dobj"]
            objects += [o for o in flat(ctx, recipients, inside=inside) if o not in objects]
        if spec.get("owner_target") and part is not None and part.dep_ != "prt":
            # "violated Philippine's holiday ceasefire": whose ceasefire it is
            objects += [o for x in part.children if x.dep_ in ("poss", "compound", "amod", "nmod")
                        for o in actors_of_np(ctx, x) if o not in objects]
        if spec.get("responsibility") and part is not None:
            _claimed_acts(ctx, v, part, subjects)
            continue
        if not objects and spec.get("xcomp_obj"):
            for x in v.children:
                if x.dep_ == "xcomp":
                    for n in x.children:
                        if n.dep_ == "dobj":
                            objects += prep_objects(ctx, n, ("on", "against"), inside=inside) or flat(ctx, [n], inside=inside)
                    objects += prep_objects(ctx, x, ("on", "against"), inside=inside)
        if core == "controls":
            # "took control of oilfields in Iraq": a state where the ground lies is not what was taken
            objects = [o for o in objects if ctx.type_of(o)[0] != "State" or not _under_locative(ctx, o, v)]
            if not objects and any(c.dep_ == "dobj" and c.lemma_.lower() in ctx.lex.terrain_nouns for c in v.children):
                # "recaptured territory around Palmyra": the parser hangs the ground's place on the verb
                objects = [o for o in prep_objects(ctx, v, ("around", "near", "in", "outside", "on"))
                           if ctx.type_of(o)[0] == "Place"]
        if core == "attacks":
            # "killed 20 people in the province of Latakia": the attack hit the place as well as its people
            # (for a population only: fighters killed "in Deir ez-Zor province" were the target, not the province)
            objects += [o for c in v.children if c.dep_ == "dobj" and c.i in ctx.by_token
                        and ctx.mentions[ctx.by_token[c.i]].kind == "agent" and ctx.type_of(ctx.by_token[c.i])[0] == "Group"
                        for o in prep_objects(ctx, c, ("in", "near", "across", "around"))
                        if ctx.type_of(o)[0] == "Place" and o not in objects]
        allowed = spec.get("needs_object_type")
        if spec.get("place_fallback") and not any(type_ok(ctx, o, allowed) for o in objects):
            # "provided EUR 28 million to pay for aid for those affected in Yemen", "deploying troops to the UN
            # mission in Mali": with no recipient kg knows, the place the act is for
            fallback = [o for o in _places_under(ctx, v, spec["place_fallback"]) if o not in objects]
            objects += fallback
        else:
            fallback = []
        conf = 0.8 if direct else 0.65
        rule = f"verb:{word}"
        for s_ in subjects:
            for o in prep_objects(ctx, v, spec.get("alongside", ())):
                emit(ctx, s_, "cooperatesWith", o, v, rule + ":alongside", conf - 0.05)
        for s in subjects:
            for o in objects:
                if spec.get("verbal") and _verbal_use(ctx, s, o):
                    # "Milburn attacked the Tories", "Corbyn hit out at the PM": a politician's attack is words
                    emit(ctx, s, spec["verbal"], o, v, rule + ":verbal", conf)
                elif type_ok(ctx, o, allowed):
                    if o in fallback:
                        emit(ctx, s, rel, o, v, rule + ":place", conf - 0.1)
                    else:
                        emit(ctx, s, rel, o, v, rule, conf)
                elif spec.get("otherwise"):
                    emit(ctx, s, spec["otherwise"], o, v, rule + ":otherwise", conf - 0.05)
            for o in with_objs:
                emit(ctx, s, rel, o, v, rule + ":with", conf)
        if spec.get("symmetric") and len(subjects) > 1 and not with_objs:
            for a, b in combinations(subjects, 2):
                emit(ctx, a, rel, b, v, rule + ":coordinated", conf - 0.05)
                if spec.get("reciprocal"):
                    emit(ctx, b, rel, a, v, rule + ":coordinated", conf - 0.05)
        if spec.get("reciprocal"):
            for s_ in subjects:
                for o in with_objs:
                    emit(ctx, o, rel, s_, v, rule + ":with", conf)


def _under_locative(ctx: Ctx, m: int, v: Token) -> bool:
    """Whether mention ``m`` hangs below verb ``v`` through a locative preposition ("oilfields in Iraq")."""
    t = ctx.doc.char_span(ctx.mentions[m].start, ctx.mentions[m].end, alignment_mode="expand")
    if t is None:
        return False
    t = t.root
    while t.i != v.i and t.head.i != t.i:
        if t.dep_ == "prep" and t.lower_ in LOCATIVE:
            return True
        t = t.head
    return False


#: Actor types between which a verb with a physical and a verbal sense ("attack", "hit", "blast") has the verbal one.
_VERBAL_SIDES = frozenset({"Person", "Organization"})


def _verbal_use(ctx: Ctx, s: int, o: int) -> bool:
    """Whether an act between mentions ``s`` and ``o`` is verbal: a person or a (non-armed) organisation acting on
    another ("Labour's Alan Milburn attacked the Tories"); a state, an armed group or a place keeps the physical
    sense ("Russia attacked Ukraine", "the militants attacked the BBC's offices in Kabul" is a place)."""
    return ctx.type_of(s)[0] in _VERBAL_SIDES and ctx.type_of(o)[0] in _VERBAL_SIDES and ctx.mentions[s].kind != "agent"


#: Where the place an act is for may hang: its object, recipient, purpose and the complements of either.
_PLACE_SCOPES = frozenset({"dobj", "dative", "prep", "xcomp", "advcl", "npadvmod"})


def _places_under(ctx: Ctx, v: Token, preps) -> list[int]:
    """States and places after ``preps`` anywhere in what follows verb ``v`` (its object, recipient, purpose), not in
    another clause with a subject of its own ("... after Russia sent troops to Syria")."""
    out: list[int] = []
    queue = [c for c in v.children if c.dep_ in _PLACE_SCOPES and c.i > v.i]
    for x in queue:  # breadth first: the queue grows as it is walked
        if x.pos_ in ("VERB", "AUX") and any(c.dep_ in ("nsubj", "nsubjpass") and c.lower_ not in RELATIVES
                                            for c in x.children):
            continue
        if x.dep_ == "prep" and x.lower_ in preps:
            for o in flat(ctx, [p for p in x.children if p.dep_ == "pobj"]):
                if o not in out and ctx.type_of(o)[0] in ("Place", "State"):
                    out.append(o)
        queue.extend(x.children)
    return out


def _shared_objects(v: Token, deps) -> list[Token]:
    """The object coordinated verbs share: "rejects and condemns the decision", "attacked and killed the soldiers"."""
    linked = [c for c in v.children if c.dep_ == "conj" and c.pos_ == "VERB"]
    if v.dep_ == "conj" and v.head.pos_ == "VERB":
        linked.append(v.head)
    return [c for x in linked for c in x.children if c.dep_ in deps and "dobj" in deps]


def _claimed_acts(ctx: Ctx, v: Token, responsibility: Token, claimants: list[int]) -> None:
    """"The Taliban claimed responsibility for the attack on the base": the claimant did what the act names."""
    for prep in responsibility.children:
        if prep.dep_ != "prep" or prep.lower_ != "for":
            continue
        for act in (p for p in prep.children if p.dep_ == "pobj"):
            for n in conjuncts(act):
                word, spec = noun_entry(ctx, n)
                if spec is None:
                    continue
                rel = spec["relation"]
                targets = prep_objects(ctx, n, spec.get("preps", ()), inside=inside_for(ctx, rel))
                for s in claimants:
                    for o in targets:
                        emit(ctx, s, rel, o, v, f"claim:{word}", 0.7)


def find_sandwiched_verbs(ctx: Ctx) -> None:
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
        if type_ok(ctx, o, spec.get("needs_object_type")):
            emit(ctx, s, spec["relation"], o, t, f"surface:{t.lower_}", 0.6)
