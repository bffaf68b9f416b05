"""Titles and appositions: "Russian President Vladimir Putin", "Dmitry Peskov, Putin's spokesman"."""
from __future__ import annotations

from kg.nlp.relations.context import Ctx, emit

__all__ = ["find_titles", "title_qualifier"]

#: Words before a title that change it: a former or late holder holds it no more, a deputy or vice holds another.
_PAST = frozenset({"former", "ex", "then", "late", "erstwhile", "onetime", "one-time", "outgoing-"})
_LESSER = frozenset({"deputy", "vice", "assistant", "junior", "under", "shadow"})


def title_qualifier(doc, lo: int) -> str | None:
    """"past" when the title starting at token ``lo`` is preceded by "former"/"ex-"/"the then", "lesser" for
    "deputy"/"vice"/"assistant"/"shadow" (another, lower office), None otherwise."""
    k = lo - 1
    if k >= 0 and doc[k].text in ("-", "–"):
        k -= 1
    j = k
    while j >= 0 and lo - j <= 5 and (doc[j].pos_ in ("ADJ", "PROPN", "NOUN") or doc[j].text in ("-", "–")) \
            and doc[j].lower_ not in _PAST:
        j -= 1
    if j >= 0 and doc[j].lower_ in _PAST:
        return "past"  # "Former Downing Street communications chief Alastair Campbell"
    if k >= 0 and doc[k].is_lower and doc[k].pos_ == "NOUN" and doc[k].lower_ not in _PAST | _LESSER:
        return "lesser"  # "Labour's election chief", "the party's campaign chief": another office than the head
    while k >= 0 and doc[k].pos_ in ("ADJ", "PROPN", "NOUN") and doc[k].lower_ not in _PAST | _LESSER and lo - k <= 4:
        k -= 1  # "former Cabinet minister", "deputy foreign minister", "Former Downing Street communications chief"
    word = doc[k].lower_ if k >= 0 else ""
    return "past" if word in _PAST else "lesser" if word in _LESSER else None


def _title_owner(ctx: Ctx, lo: int, hi: int, spec: dict | None = None) -> int | None:
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
        if mention.kind == "ner" and " " not in mention.text.strip() and mention.label != "PERSON" \
                and not (mention.text.isupper() and len(mention.text) >= 2):
            continue  # "Childrens Minister": one unknown capitalised word is no owner of a title ("PCS leader" is)
        end_tok = i
        while end_tok + 1 < hi and ctx.by_token.get(end_tok + 1) == m:
            end_tok += 1
        poss = end_tok + 1 < len(doc) and doc[end_tok + 1].lower_ in ("'s", "\u2019s", "'")
        typ, _ = ctx.type_of(m)
        if typ == "Organization" and (spec or {}).get("posted"):
            continue  # "UN ambassador Nikki Haley": posted to the UN, not its ambassador
        rank = 0 if poss else 1 if mention.label in ("NORP", "GPE") or typ == "State" else 2 if typ != "Place" else 9
        if rank < best_rank or (rank == best_rank and rank > 0):
            best, best_rank = m, rank
    return best if best_rank < 9 else None


_HEADS = frozenset({"headOfStateOf", "headOfGovernmentOf"})


def _owned_relation(ctx: Ctx, rel: str | None, owner: int | None, spec: dict) -> str | None:
    """The title's relation for its owner: a state has heads of state and government; an organisation's president
    leads it; an organ of a state (the Commons, a ministry) has officials, not the state's leaders ("Commons leader
    Peter Hain"); a title heading only some states' governments ("Chancellor") is elsewhere a minister's; a
    state's MP is its official, a party's its member."""
    if owner is None or rel is None:
        return rel
    typ, subtype = ctx.type_of(owner)
    if subtype == "GovernmentBody" and (rel in _HEADS or rel == "leaderOf"):
        return "officialOf"
    if spec.get("heads") is not None and rel in _HEADS:
        ref = ctx.mentions[owner].ref
        return rel if ref in spec["heads"] else "ministerOf"
    if rel in _HEADS and typ not in ("State", None):
        return "leaderOf"
    if rel == "memberOf" and typ == "State":
        return "officialOf"  # "British MP George Galloway": a member of the state's parliament, an official
    return rel


def find_titles(ctx: Ctx) -> None:
    doc = ctx.doc
    titled: list[tuple[int, str]] = []
    for m_idx, m in enumerate(ctx.mentions):
        if m.label != "PERSON" or m.kind not in ("name", "alias", "ner"):
            continue
        first = doc.char_span(m.start, m.end, alignment_mode="expand")
        if first is None:
            continue
        i = first.start
        if i - 1 in ctx.by_token and ctx.mentions[ctx.by_token[i - 1]].label != "PERSON":
            # "US ambassador to the UN Nikki Haley": the title ends before "to the UN"
            at = doc.char_span(ctx.mentions[ctx.by_token[i - 1]].start, ctx.mentions[ctx.by_token[i - 1]].end,
                               alignment_mode="expand")
            k = at.start - (1 if at is not None and at.start > 0 and doc[at.start - 1].lower_ == "the" else 0) \
                if at is not None else i
            if at is not None and k > 0 and doc[k - 1].lower_ == "to":
                i = k - 1
        before = i - 2 if i >= 2 and doc[i - 1].lower_ in ("'s", "\u2019s") else i - 1
        if before >= 0 and before in ctx.by_token and ctx.type_of(ctx.by_token[before])[1] == "Party" \
                and ctx.mentions[ctx.by_token[before]].kind in ("name", "alias", "demonym") \
                and m.kind in ("name", "alias", "ner"):
            # "Lib Dem Norman Baker", "Tory John Redwood", "Labour's Alan Milburn": the party's member
            emit(ctx, m_idx, "memberOf", ctx.by_token[before], doc[i - 1], "party-name", 0.8, modality="asserted",
                 span=(ctx.mentions[ctx.by_token[before]].start, m.end))
        # pre-nominal title: "Russian President Vladimir Putin", "Kremlin envoy Alexander Lavrentyev"; before a
        # comma when the name is its apposition: "Australia's PM, John Howard", "Syria's president, Bashar al-Assad"
        t_end = i - 1 if i >= 2 and doc[i - 1].text == "," and first.root.dep_ == "appos" \
            and first.root.head.i == i - 2 else i
        for n in (4, 3, 2, 1):
            if t_end - n < 0:
                continue
            words = " ".join(t.lower_ for t in doc[t_end - n:t_end]).replace(" - ", " ")  # "Vice-President"
            spec = ctx.lex.titles.get(words)
            if spec is None:
                continue
            rel = spec.get("relation")
            if spec.get("counterpart"):
                rel = next((r for _, r in reversed(titled)), "leaderOf")
            qualifier = title_qualifier(doc, t_end - n)
            if qualifier == "past" or qualifier == "lesser" and words.split()[0] == "shadow":
                break  # "Former US President Barack Obama", "ex-Prime Minister Mykola Azarov": no office now
            if qualifier == "lesser" or words.split()[0] in _LESSER:
                rel = "officialOf"  # "Deputy Foreign Minister X" is an official, not the minister
            sent_start = doc[i].sent.start
            lo = t_end - n
            k = lo - 1
            while k >= max(sent_start, lo - 5) and not (doc[k].pos_ in ("VERB", "AUX", "ADP", "PUNCT")
                                                       and doc[k].text not in ("-",)) and doc[k].lower_ not in ("and",):
                k -= 1
            owner = _title_owner(ctx, k + 1, lo, spec)
            rel = _owned_relation(ctx, rel, owner, spec)
            if owner is not None and rel:
                emit(ctx, m_idx, rel, owner, doc[t_end - 1], f"title:{words}", 0.9, modality="asserted",
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
                for n in (4, 3, 2, 1):
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
                rel = _owned_relation(ctx, ctx.lex.titles[words]["relation"], owner, ctx.lex.titles[words])
                qualifier = title_qualifier(doc, x)
                if qualifier == "past":
                    owner = None
                elif qualifier == "lesser":
                    rel = "officialOf"
                if owner is not None and rel:
                    emit(ctx, m_idx, rel, owner, doc[x], f"apposition:{words}", 0.85,
                          modality="asserted", span=(m.start, doc[k - 1].idx + len(doc[k - 1])))
