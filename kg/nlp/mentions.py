"""Actor mentions in a parsed document: names, demonyms, metonyms, roles, anaphors, pronouns.

Resolution to canonical actors happens later (``kg.resolve``); this module only says what each stretch of text
is and how it is used (an acting body, or a location).
"""
from __future__ import annotations

import re
from dataclasses import replace

from spacy.tokens import Doc, Span, Token

from kg.model import RawMention
from kg.nlp.lexicon import Lexicon
from kg.nlp.pipeline import ID_SEP
from kg.nlp.sectors import load_sectors

__all__ = ["find_mentions", "LOCATIVE_PREPS", "ACTOR_LABELS"]

ACTOR_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT"})
LOCATIVE_PREPS = frozenset({"in", "at", "from", "near", "to", "into", "around", "across", "outside", "inside",
                            "within", "throughout", "toward", "towards", "along", "over", "through", "on"})
_PRONOUNS = frozenset({"he", "she", "him", "her", "his"})
_NOISE_NAMES = frozenset({"image", "getty", "photo", "afp", "ap", "print", "tweet", "views", "ok", "read more",
                          "accept", "state media", "news", "world", "source", "gmt", "bst", "utc", "est", "cet", "eet",
                          "edt", "pst", "easter", "christmas", "ramadan", "eid", "eid al-adha", "eid al-fitr", "ashura",
                          "passover", "hanukkah", "diwali", "new year", "thanksgiving", "islam", "christianity",
                          "judaism", "hinduism", "buddhism", "sikhism"})
#: Letters after a person's name: "Guy Mansfield QC", "Fraser Kemp MP".
_POSTNOMINALS = frozenset({"QC", "KC", "MP", "MEP", "MSP", "OBE", "MBE", "CBE", "KBE", "DBE", "PhD"})
#: Nouns that end the name of a place ("Castello Road", "Zaatari camp", "Yarmouk Camp").
_PLACE_HEADS = frozenset({"road", "street", "highway", "motorway", "bridge", "square", "airport", "camp", "village",
                          "district", "neighbourhood", "neighborhood", "crossing", "valley", "mountain", "mountains",
                          "river", "port", "dam", "base", "airbase", "prison", "checkpoint", "roundabout"})
#: Nouns a name after "of" is the place of: "the villages of al-Foua and Kefraya", "the town of Madaya".
_PLACE_NOUNS = frozenset({"village", "town", "city", "province", "region", "district", "area", "neighbourhood",
                          "neighborhood", "suburb", "governorate", "countryside", "outskirts", "camp", "municipality"})


#: Nouns a name in front of them is the place of: "the Qardaha hospital", "the al-Sekkari and al-Merja neighbourhoods"
#: (not "base", "camp", "checkpoint": "a Hezbollah base" is the group's).
_NAMED_PLACE_NOUNS = frozenset({"district", "neighbourhood", "neighborhood", "town", "city", "village", "province",
                                "countryside", "suburb", "region", "airport", "hospital", "governorate",
                                "municipality", "crossing", "outskirts", "quarter"})
#: Prepositions after which a name NER did not type as a place is still one ("in Zabadani", "near Kefraya"); not
#: "to", "on", "from": "adviser to the Treasury", "shown on BBC2", "a letter from Blair".
_PLACE_PREPS = frozenset({"in", "at", "near", "into", "around", "across", "outside", "inside", "within", "throughout",
                          "toward", "towards", "along"})
#: Last words of an organisation's name: never a place, whatever preposition comes before ("at the Institute for
#: Fiscal Studies").
_ORG_HEADS = frozenset({"institute", "council", "committee", "party", "association", "foundation", "bank", "university",
                        "agency", "ministry", "department", "office", "commission", "union", "front", "movement",
                        "brigade", "brigades", "corporation", "company", "group", "network", "society", "trust",
                        "federation", "league", "court", "parliament", "assembly", "authority", "service", "studies",
                        "organisation", "organization", "forum", "centre", "center", "college", "school", "church",
                        "board", "fund", "army", "force", "forces", "battalion", "coalition", "alliance", "observatory"})
#: Last words of names of things that are not actors: laws, budgets, elections ("Prevention of Terrorism Bill").
_THING_HEADS = frozenset({"bill", "act", "budget", "election", "elections", "referendum", "manifesto", "scheme",
                          "bills", "acts", "directive", "regulations", "paper"})
#: Words a name does not end in: it goes on in the next word ("Bank of England", "Abu Osama al-Iraqi").
_CONNECTORS = frozenset({"of", "al-", "el-", "bin", "ibn", "abu", "bint", "de", "du", "von", "van", "for", "and"})


def _strip(span: Span) -> Span:
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (doc[start].lower_ in ("the", "a", "an") or doc[start].is_space):
        start += 1
    while end > start and (doc[end - 1].lower_ in ("'s", "\u2019s", "'", "\u2019") or doc[end - 1].is_space):
        end -= 1
    return doc[start:end]


def _place_use(token: Token, *, ner: bool = False, senders: frozenset = frozenset()) -> bool:
    """A name used as a location: after a locative preposition ("in Zabadani"), or the place a place noun names
    ("the villages of al-Foua and Kefraya"), or ending in a place noun ("Castello Road"). ``ner``: a name only NER
    found, which the narrower :data:`_PLACE_PREPS` and the place nouns around it type. ``senders``: nouns whose
    "from" names who sends or does them ("criticism from Washington"), not where from."""
    preps = _PLACE_PREPS if ner else LOCATIVE_PREPS
    if token.lemma_.lower() in _PLACE_HEADS and token.i > 0:
        return True
    if ner and token.lower_ in _ORG_HEADS:
        return False  # "at the Institute for Fiscal Studies" is an organisation wherever it is
    head = token
    while head.dep_ in ("compound", "amod", "conj", "appos") and head.head is not head:
        head = head.head
    if ner and head is not token and head.lemma_.lower() in _NAMED_PLACE_NOUNS \
            and head.i > token.i:
        return True  # a name NER did not type, naming a place noun: "the Salah al-Din district", "Kweyris airport"
    if ner and head.dep_ == "pobj" and head.head.lower_ in ("including", "like") \
            and head.head.head.lemma_.lower() in _PLACE_NOUNS:
        return True  # "took villages including Bashkuwi and Sifat"
    if head.dep_ == "pobj" and head.head.lower_ == "of" and head.head.head.lemma_.lower() in _PLACE_NOUNS:
        return True
    if head.dep_ == "pobj" and head.head.lower_ == "from" and senders:
        gov = head.head.head
        if gov.lemma_.lower() in senders or gov.pos_ in ("VERB", "AUX") and any(
                c.dep_ == "dobj" and c.lemma_.lower() in senders for c in gov.children):
            return False  # "a letter from Ankara", "drew criticism from Washington"
    return head.dep_ == "pobj" and head.head.lower_ in preps


def _title_at(doc: Doc, i: int, lex: Lexicon) -> tuple[str, int] | None:
    """The longest title starting at token ``i``: (title, length in tokens)."""
    if doc[i].lower_ not in lex.title_heads and doc[i].lemma_.lower() not in lex.title_heads:
        return None  # most tokens begin no title: no n-grams to build
    for n in (4, 3, 2, 1):
        if i + n <= len(doc):
            words = " ".join(t.lower_ for t in doc[i:i + n])
            if words in lex.titles:
                return words, n
            if n == 1 and doc[i].lemma_.lower() in lex.titles:
                return doc[i].lemma_.lower(), 1
    return None


def find_mentions(doc: Doc, gazetteer, lex: Lexicon) -> tuple[list[RawMention], dict[int, int]]:
    """Mentions in ``doc`` and a map from token index to mention index."""
    sent_of = {}
    for n, sent in enumerate(doc.sents):
        for t in sent:
            sent_of[t.i] = n
    mentions: list[RawMention] = []
    by_token: dict[int, int] = {}

    def add(span: Span, label: str, kind: str, ref=None, role=None, of=None, place_use=False) -> int:
        idx = len(mentions)
        mentions.append(RawMention(text=span.text, start=span.start_char, end=span.end_char,
                                   sentence=sent_of.get(span.start, 0), label=label, kind=kind, ref=ref,
                                   role=role, of=of, place_use=place_use))
        for t in span:
            by_token.setdefault(t.i, idx)
        return idx

    lowercase = {t.lower_ for t in doc if t.is_lower}
    defined: dict[str, RawMention] = {}  # acronyms the text defines: "the Nigerian Air Force (NAF)"

    def add_acronym(span: Span, named: RawMention) -> None:
        """An acronym the article defines stands for the name it follows, here and further on."""
        defined[span.text] = named
        run = doc.char_span(named.start, named.end)
        if run is not None and named.kind == "ner" and any(t.i not in by_token for t in run):
            # the capitalised words NER did not take as one name are that name too
            idx = add(run, "ORG", "ner")
            mentions[idx] = replace(mentions[idx], text=named.text)
        idx = add(span, named.label, named.kind, ref=named.ref,
                  place_use=_place_use(span.root, senders=lex.sender_nouns))
        mentions[idx] = replace(mentions[idx], text=named.text)
    taken_until = 0
    for ent in doc.ents:
        if ent.label_ not in ACTOR_LABELS or ent.start < taken_until:
            continue
        span = _strip(ent)
        if not ent.ent_id_ and len(span) and span[-1].lower_ in _CONNECTORS | {"al", "el"} or span.text.endswith("-"):
            span = _continued(span)  # "Bank of" + "England", "Abu Osama al-" + "Iraqi": one name
            taken_until = span.end
        label = ent.label_
        if len(span) > 1 and span[-1].text in _POSTNOMINALS and span[-2].is_title:
            span, label = span[:-1], "PERSON"  # "Guy Mansfield QC" is a person
        if not len(span) or span.text.lower() in _NOISE_NAMES or not any(c.isalpha() for c in span.text):
            continue
        if not ent.ent_id_ and (_common_words(span, label, lowercase, lex) or _in_title(span, lex)
                                or span[-1].lower_ in _THING_HEADS):
            continue
        ref, kind = None, "ner"
        if not ent.ent_id_:
            named = _defined_acronym(span, by_token, mentions) or defined.get(span.text)
            if named is not None:
                add_acronym(span, named)
                continue
        if not ent.ent_id_ and len(span) <= 2 and (span.root.lemma_.lower() in lex.institutions
                                                  or span.text.lower() in lex.institutions):
            # "Army units", "the Government": an institution named by a common noun, not an organisation's name
            add(span, "ORG", "institution", role=span.root.lemma_.lower())
            continue
        if ent.ent_id_ and ID_SEP in ent.ent_id_:
            ref, kind = ent.ent_id_.split(ID_SEP, 1)
        else:
            ref = gazetteer.lookup(span.text)
            if ref:
                kind = "name"
            elif label in ("NORP", "EVENT", "FAC") or span.text.islower():
                continue  # an unknown nationality or event name is not an actor
        if kind == "ner" and label == "PERSON" and len(span) == 1 and span[0].is_title is False:
            continue
        if kind == "ner" and not any(t.pos_ == "PROPN" for t in span):
            continue  # "Fierce fighting": NER on a capitalised common word at the start of a sentence
        if kind == "nominal" and _owned_elsewhere(span, ref, gazetteer, mentions, by_token):
            continue  # "Kim Jong-un's regime", "the Iranian regime": whose it is, not the gazetteer's nominal reading
        add(span, label, kind, ref=ref, place_use=_place_use(span.root, ner=kind == "ner", senders=lex.sender_nouns))

    # acronyms NER did not tag: "the Indian Space Research Organization (ISRO)", and their later uses
    for t in doc:
        if t.i in by_token or not (2 <= len(t.text) <= 8 and t.text.isalpha() and t.text.isupper()):
            continue
        named = _defined_acronym(doc[t.i:t.i + 1], by_token, mentions) or defined.get(t.text)
        if named is not None:
            add_acronym(doc[t.i:t.i + 1], named)

    # role nouns standing for a person: "the Russian president", "the Syrian leader"
    for t in doc:
        if t.i in by_token or t.pos_ not in ("NOUN", "PROPN"):
            continue
        hit = _title_at(doc, t.i, lex)
        if hit is None or lex.titles[hit[0]].get("relation") is None:
            continue
        title, n = hit
        from kg.nlp.relations.titles import title_qualifier

        if title_qualifier(doc, t.i) == "past":
            continue  # "the former president": not whoever holds the office now
        last = doc[t.i + n - 1]
        if last.tag_ in ("NNS", "NNPS") or (t.i + n < len(doc) and doc[t.i + n].i in by_token
                                             and mentions[by_token[doc[t.i + n].i]].label == "PERSON"):
            continue  # plural, or a title in front of a name ("President Vladimir Putin")
        if last.dep_ in ("compound", "appos", "attr"):
            continue  # "Lavrov, Russia's foreign minister": a predicate of the name, not a new mention
        owner = None
        for child in last.children:
            if child.dep_ in ("amod", "poss", "compound", "nmod") and child.i in by_token:
                m = mentions[by_token[child.i]]
                if m.label in ("NORP", "GPE", "ORG", "PERSON"):
                    owner = by_token[child.i]
        det = [c for c in last.children if c.dep_ in ("det", "poss")]
        if owner is None or not det:
            continue
        if det[0].dep_ != "det":
            continue  # "Putin's spokesman" is not a role noun standing alone
        lesser = title_qualifier(doc, t.i) == "lesser"  # "the Iranian deputy foreign minister" is not the minister
        add(doc[det[0].i:t.i + n], "PERSON", "role",
            role="deputy" if lesser else lex.titles[title]["relation"], of=owner)

    # institutions with no state named ("the regime", "government forces") and place anaphors ("the province")
    for t in doc:
        if t.i in by_token or t.pos_ != "NOUN":
            continue
        lemma = t.lemma_.lower()
        named = any(c.i in by_token and not (lemma in lex.place_anaphors
                                             and mentions[by_token[c.i]].kind in ("demonym", "nominal"))
                    for c in t.children if c.dep_ in ("amod", "compound", "poss", "nmod"))
        named = named or lemma in lex.institution_anaphors and any(
            c.dep_ == "prep" and c.lower_ == "of" and p.dep_ == "pobj" and p.i in by_token
            and mentions[by_token[p.i]].label == "GPE" for c in t.children for p in c.children)
        if named:
            # "the Syrian regime", "the government of Cambodia" name their state; "the Syrian province" still points
            # back to a place
            continue
        has_det = any(c.dep_ in ("det", "poss") for c in t.children)
        if lemma in lex.institution_anaphors and (has_det or t.dep_ in ("compound", "amod", "npadvmod")):
            add(doc[t.i:t.i + 1], "ORG", "institution", role=lemma)
        elif lemma in lex.state_anaphors and t.tag_ == "NN" and has_det:
            add(doc[t.i:t.i + 1], "GPE", "institution", role=lemma)  # "the country's rebel groups"
        elif lemma in lex.place_anaphors and t.tag_ == "NN" and (
                has_det and not any(c.lower_ in ("a", "an", "another", "any", "every", "each", "no") for c in t.children)
                or any(c.lower_ in ("a", "an") for c in t.children) and any(c.dep_ == "relcl" for c in t.children)):
            add(doc[t.i:t.i + 1], "LOC", "place_anaphor", role=lemma, place_use=True)
    _agents(doc, gazetteer, lex, mentions, by_token, add)
    for t in doc:
        if t.i not in by_token and t.lower_ in _PRONOUNS and t.pos_ == "PRON":
            add(doc[t.i:t.i + 1], "PERSON", "pronoun")
    # "it"/"its" as the subject of a clause takes up the subject of the previous sentence when that is a named
    # state or organisation ("Ankara has pushed back. It brokered a deal with Russia ...")
    sents = list(doc.sents)
    for n, sent in enumerate(sents):
        for t in sent:
            if t.i in by_token or t.lower_ not in ("it", "its") or t.dep_ not in ("nsubj", "poss"):
                continue
            if t.dep_ == "nsubj" and t.head.lemma_.lower() in ("be",):
                continue  # "it is unclear"
            antecedent = _it_antecedent(t, sent, sents[n - 1] if n else None, mentions, by_token)
            if antecedent is not None and mentions[antecedent].label in ("GPE", "ORG", "NORP") \
                    and not mentions[antecedent].place_use:
                add(doc[t.i:t.i + 1], mentions[antecedent].label, "pronoun_it", of=antecedent)
    # "they"/"we" as the subject of what a group says: "the rebels said they would release the hostages"
    for t in doc:
        if t.i in by_token or t.lower_ not in ("they", "we") or t.dep_ != "nsubj":
            continue
        head = t.head
        if head.dep_ in ("ccomp", "xcomp") and head.head.i < t.i and head.head.lemma_.lower() in lex.speech_verbs:
            speaker = next((c for c in head.head.children if c.dep_ == "nsubj"), None)
            antecedent = _np_mention(speaker, by_token) if speaker is not None else None
            if antecedent is not None:
                add(doc[t.i:t.i + 1], mentions[antecedent].label, "pronoun_it", of=antecedent)
    return _in_text_order(mentions, by_token)


#: Words an acronym skips: "Democratic Republic of the Congo (DRC)".
_ACRONYM_SKIPS = frozenset({"of", "the", "and", "for", "in", "on", "to", "de", "del", "la", "le", "du", "des", "&"})


def abbreviates(acronym: str, name: str) -> bool:
    """Whether ``acronym`` is the initials of ``name`` ("CAR": Central African Republic, "USG": U.S. Government), or
    is spelt from its words in order, taking every word's initial ("EAEU": Eurasia Economic Union).

    >>> abbreviates("CAR", "Central African Republic"), abbreviates("USG", "U.S. Government")
    (True, True)
    >>> abbreviates("EAEU", "Eurasia Economic Union"), abbreviates("AFP", "Paris")
    (True, False)
    """
    letters = acronym.replace("-", "").replace(".", "")
    if len(letters) < 2 or not letters.isalpha() or not letters.isupper():
        return False
    words = [w for w in re.split(r"[\s\-]+", name) if w and w[0].isalpha() and w.lower() not in _ACRONYM_SKIPS]
    if not words:
        return False
    initials = "".join(w.replace(".", "") if re.fullmatch(r"(?:[A-Z]\.)+", w) else w[0] for w in words).upper()
    if initials == letters:
        return True
    if letters[0] != initials[0]:
        return False
    rest = iter("".join(words).upper())
    return all(ch in rest for ch in letters) and all(w[0].upper() in letters for w in words)


def _defined_acronym(span: Span, by_token: dict[int, int], mentions: list[RawMention]) -> RawMention | None:
    """What an acronym in brackets stands for: the mention right before it ("the Central African Republic (CAR)"),
    or the capitalised words before it that NER did not take as one name ("the Nigerian Air Force (NAF)", "the
    Department of State Services (DSS)"); None when ``span`` is no such acronym. A name found inside those words
    ("Department of State") is the longer name's, not its own."""
    doc = span.doc
    if len(span) != 1 or span.start < 2 or span.end >= len(doc) or doc[span.start - 1].text != "(" \
            or doc[span.end].text != ")":
        return None
    before = by_token.get(span.start - 2)
    if before is not None and mentions[before].kind not in ("pronoun", "pronoun_it", "place_anaphor") \
            and abbreviates(span.text, mentions[before].text):
        return mentions[before]
    words = []
    for k in range(span.start - 2, max(-1, span.start - 10), -1):
        if not (doc[k].is_title or doc[k].is_upper or doc[k].lower_ in _ACRONYM_SKIPS) or doc[k].is_sent_start \
                and doc[k].lower_ in _ACRONYM_SKIPS:
            break
        words.insert(0, doc[k])
        if doc[k].lower_ not in _ACRONYM_SKIPS and abbreviates(span.text, doc[k:span.start - 1].text):
            run = doc[k:span.start - 1]
            for t in run:
                m = by_token.get(t.i)
                if m is not None and mentions[m].kind in ("name", "alias", "ner") \
                        and len(mentions[m].text) < len(run.text):
                    mentions[m] = replace(mentions[m], text=run.text, label="ORG", kind="ner", ref=None)
            return RawMention(text=run.text, start=run.start_char, end=run.end_char, sentence=0, label="ORG",
                              kind="ner")
    return None


def _common_words(span: Span, label: str, lowercase: set[str], lex: Lexicon) -> bool:
    """A name NER found that is only capitalised common words: the document writes each of its words in lower case
    elsewhere ("the Budget" beside "the budget deficit", "General Election"), or it is the first word of a title
    ("Home Secretary Charles Clarke", "Defence Secretary")."""
    words = [t for t in span if t.is_alpha]
    if not words or label == "PERSON" and len(words) > 1:
        return False
    if len(words) == 1 and (words[0].lower_ in lex.titles or words[0].lemma_.lower() in lex.titles):
        return True  # a title alone: "MEP", "MPs", "President"
    if len(words) == 1 and words[0].lower_ in lowercase:
        return True
    if len(words) > 1 and span.text.lower() in span.doc.text and span.text.lower() != span.text:
        return True  # "General Election" where the text also writes "general election"
    sent = [t for t in span.sent if t.is_alpha]
    if len(words) > 1 and sum(t.is_title or t.is_upper for t in sent) >= 0.7 * len(sent) \
            and all(t.lower_ in lowercase for t in words):
        return True  # a headline's capitals: "US Raids on ISILs Syria Stronghold Kill 22"
    first = span[0].lower_
    stems = (first[:-1], first[:-2]) if first.endswith(("s", "ed")) else ()
    headline = sum(t.is_title or t.is_upper for t in sent) >= 0.7 * len(sent)
    if label != "PERSON" and len(span) > 1 and any(x in lex.verbs for x in stems) and (span[1].like_num or headline):
        return True  # a headline's verb and what follows it: "IS car bomb Kills 10", "Army Retakes Palmyra Airbase"
    nxt = span.doc[span.end] if span.end < len(span.doc) else None
    return len(words) == 1 and nxt is not None and nxt.is_title and (
        nxt.lower_ in lex.titles or nxt.lemma_.lower() in lex.titles or nxt.lower_ in ("secretary", "office"))


#: Words before a title that qualify it ("Shadow Home Secretary", "Deputy Prime Minister").
_QUALIFIERS = frozenset({"deputy", "vice", "assistant", "junior", "under", "shadow", "former", "acting", "interim"})


def _continued(span: Span) -> Span:
    """A name NER cut after a connector, with the capitalised words that go on: "Bank of" -> "Bank of England"."""
    doc, end = span.doc, span.end
    nxt = next((e for e in doc.ents if e.start == end), None)
    if nxt is not None:
        end = nxt.end  # the next name NER found: "Bank of" + "England"
    else:
        # after "of"/"for"/"and" a run of capitalised words; after a name particle ("al-", "bin") one word
        most = 4 if span[-1].lower_ in ("of", "for", "and", "de", "du") else 1
        while end < len(doc) and doc[end].is_alpha and doc[end].is_title and end - span.end < most:
            end += 1
    return doc[span.start:end] if end > span.end else span[:-1] if span[-1].lower_ in _CONNECTORS else span


def _in_title(span: Span, lex: Lexicon) -> bool:
    """A name NER found inside a title: "State" of "Secretary of State", "Shadow Home" of "Shadow Home Secretary"."""
    doc = span.doc
    for k in range(max(0, span.start - 2), span.end):
        hit = _title_at(doc, k, lex)
        if hit is None or hit[1] < 2:
            continue
        end = k + hit[1]
        if k < span.start and end >= span.end:
            return True  # the title covers the name: "Secretary of [State]"
        if span.start <= k and end > span.end and all(
                t.lower_ in _QUALIFIERS or t.i >= k for t in span):
            return True  # the name is a title's first words: "[Shadow Home] Secretary"
    return False


def _owned_elsewhere(span: Span, ref: str, gazetteer, mentions: list[RawMention], by_token: dict[int, int]) -> bool:
    """A nominal ("regime", "rebels") whose modifier names an actor outside the nominal's context: "the Iranian
    regime" is Iran's, not the Syrian regime the gazetteer's nominal means; "Syrian rebels" stay the nominal's."""
    entry = gazetteer.get(ref)
    context = set(entry.context) | {ref} if entry is not None else {ref}
    for c in span.root.children:
        if c.dep_ in ("poss", "amod", "compound", "nmod") and c.i < span.start and c.i in by_token:
            owner = mentions[by_token[c.i]]
            if owner.ref not in context:
                return True
    return False


def _np_mention(t: Token, by_token: dict[int, int]) -> int | None:
    """The mention a noun phrase names: its head's, else its first modifier's ("Syrian opposition members")."""
    if t.i in by_token:
        return by_token[t.i]
    return next((by_token[c.i] for c in t.children if c.dep_ in ("compound", "amod", "poss", "nmod") and c.i in by_token),
                None)


#: Modifiers and complements that say whose an agent noun's people are: "Syrian civilians", "Syria's refugees",
#: "residents of Aleppo", "refugees from Myanmar", "protesters in Cairo".
_OWNER_DEPS = ("amod", "compound", "poss", "nmod")
_OWNER_PREPS = ("of", "from", "in")
_LOYAL = frozenset({"loyal", "linked", "affiliated", "allied", "belong", "belonging", "aligned"})


def _agents(doc: Doc, gazetteer, lex: Lexicon, mentions: list[RawMention], by_token: dict[int, int], add) -> None:
    """Agent nouns heading a phrase that denotes an actor by its sector ("Syrian civilians", "protesters",
    "Palestinian gunmen"; ``kind="agent"``, ``role`` the sector code, ``of`` the state or group mention they belong to).

    Organs of a state ("the army", "Iraqi police") are left to the institution rules, which make them their state;
    a non-state group's fighters ("Hezbollah fighters") are that group.
    """
    sectors = load_sectors()
    for t in doc:
        if t.i in by_token or t.pos_ not in ("NOUN", "PROPN") or t.dep_ in ("compound", "amod") and t.head.i > t.i:
            continue  # "police station", "refugee camp": a modifier, not an agent
        lemma = t.lemma_.lower()
        first = t
        sector = None
        for c in t.children:
            if c.dep_ == "compound" and c.i == t.i - 1 and c.i not in by_token:
                sector = sectors.sector_of(f"{c.lemma_.lower()} {lemma}") or sectors.sector_of(f"{c.lower_} {lemma}")
                if sector:
                    first = c
                    break
        sector = sector or sectors.sector_of(lemma) or sectors.sector_of(t.lower_)
        if sector is None:
            continue
        owner = _owner(t, first, by_token, _OWNER_PREPS if sectors.uses_scene(sector) or sectors.is_organ(sector)
                       else _OWNER_PREPS[:2])
        if sectors.is_organ(sector):
            owner_type = _owner_type(mentions[owner], gazetteer) if owner is not None else None
            if owner_type == "Group":
                sector = "REB"  # "Kurdish forces": a people's armed forces are armed groups, not a state's organs
            elif owner_type != "Place":
                continue  # "Iraqi police", "the army": the institution rules make them their state
            # "a court in Istanbul", "police in Kirkuk": the organ of the state the place lies in
        if owner is None and sectors.needs_owner(sector):
            continue  # "jihadists", "gunmen" with nobody named: no actor of their own
        if owner is None and lemma in sectors.generic and not _counted(t):
            continue  # "people who earn", "young people": nobody in particular; "20 people", "hundreds of people" are
        add(doc[first.i:t.i + 1], "SECTOR", "agent", role=sector, of=owner)


def _owner(t: Token, first: Token, by_token: dict[int, int], owner_preps: tuple[str, ...]) -> int | None:
    """The mention an agent noun's people belong to: "Syrian civilians", "Syria's refugees", "residents of Aleppo",
    "refugees from Myanmar", "fighters loyal to the Nusra Front", "militants who belong to the Nusra Front";
    where they are ("civilians in Aleppo") only for populations (``owner_preps``), not for fighters."""
    for c in t.children:
        if c.dep_ in _OWNER_DEPS and c.i < first.i and c.i in by_token:
            return by_token[c.i]
    doc = t.doc
    for c in t.children:
        if c.dep_ == "amod" and c.lower_ == "led" and c.i >= 2 and doc[c.i - 1].text == "-" and c.i - 2 in by_token:
            return by_token[c.i - 2]  # "Kurdish-led forces"
    for c in t.children:
        preps = [c] if c.dep_ == "prep" and c.lower_ in owner_preps else [
            p for x in (c, *c.children) if x.dep_ in ("amod", "acl", "relcl", "xcomp", "acomp")
            and x.lemma_.lower() in _LOYAL for p in x.children if p.dep_ == "prep" and p.lower_ in ("to", "with")
        ] if c.dep_ in ("amod", "acl", "relcl") else []
        for prep in preps:
            found = [by_token[p.i] for p in prep.children if p.dep_ == "pobj" and p.i in by_token]
            if found:
                return found[0]
    return None


def _counted(t: Token) -> bool:
    """A number or quantity counts the noun: "20 people", "hundreds of people", "dozens of residents"."""
    if any(c.dep_ == "nummod" or c.like_num for c in t.children):
        return True
    head = t.head
    return t.dep_ == "pobj" and head.lower_ == "of" and (head.head.like_num or head.head.lemma_.lower() in (
        "dozen", "dozens", "hundred", "hundreds", "thousand", "thousands", "million", "millions", "score", "scores"))


def _owner_type(m: RawMention, gazetteer) -> str | None:
    entry = gazetteer.get(m.ref) if m.ref else None
    return entry.type if entry is not None else None


def _it_antecedent(t: Token, sent: Span, previous: Span, mentions, by_token) -> int | None:
    """What "it"/"its" takes up: the subject of the verb that reports it ("Ankara said it ..."), for "its" the
    nearest state or organisation before it in the sentence, else the subject of the previous sentence."""
    actor_labels = ("GPE", "ORG", "NORP")
    if t.lower_ == "its" and t.i + 1 < len(t.doc) and t.doc[t.i + 1].lower_ == "own":
        # "its own" is bound by its clause's subject: "Ankara struck a deal with Moscow to protect its own troops"
        bound = _binder(t, by_token, mentions, actor_labels)
        if bound is not None:
            return bound
    if t.lower_ == "its":
        for k in range(t.i - 1, sent.start - 1, -1):
            if k in by_token and mentions[by_token[k]].label in actor_labels:
                return by_token[k]
        return _main_subject(previous, by_token)
    head = t.head
    if head.dep_ in ("ccomp", "xcomp") and head.head.i < t.i:
        for c in head.head.children:
            if c.dep_ == "nsubj" and c.i in by_token:
                return by_token[c.i]
            if c.dep_ == "nsubj" and (c.pos_ == "NOUN" or c.lower_ in ("force", "forces")):
                # "The Nigerian army says it ...", "Turkey's foreign ministry said it ...": the actor the subject's
                # modifier names
                for m in c.children:
                    if m.dep_ in ("amod", "compound", "poss", "nmod") and m.i < c.i and m.i in by_token \
                            and mentions[by_token[m.i]].label in actor_labels:
                        return by_token[m.i]
        return None
    if head.i == sent.root.i or head.dep_ == "conj" and head.head.i == sent.root.i:
        return _main_subject(previous, by_token)
    return None


def _binder(t: Token, by_token: dict[int, int], mentions, labels) -> int | None:
    """The subject that binds ``t`` ("its own ..."): the nearest clause up the tree with a subject mention; an
    infinitive takes its controller ("urged Turkey to withdraw its own troops": Turkey)."""
    v = t.head
    for _ in range(12):
        if v.pos_ in ("VERB", "AUX"):
            for c in v.children:
                if c.dep_ in ("nsubj", "nsubjpass") and c.i in by_token and mentions[by_token[c.i]].label in labels:
                    return by_token[c.i]
            if v.dep_ == "xcomp":
                for c in v.head.children:
                    if c.dep_ == "dobj" and c.i in by_token and mentions[by_token[c.i]].label in labels:
                        return by_token[c.i]
        if v.head.i == v.i:
            return None
        v = v.head
    return None


def _main_subject(sent: Span | None, by_token: dict[int, int]) -> int | None:
    """The mention that is the subject of a sentence's main verb, if any."""
    if sent is None:
        return None
    root = sent.root
    clauses = [root] + [c for c in root.children if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX")]
    for verb in reversed(clauses):  # "Moscow wants X, but Ankara pushed back. It ...": the last clause's subject
        for c in verb.children:
            if c.dep_ in ("nsubj", "nsubjpass") and c.i in by_token:
                return by_token[c.i]
    return None


def _in_text_order(mentions: list[RawMention], by_token: dict[int, int]) -> tuple[list[RawMention], dict[int, int]]:
    """Mentions sorted by position (resolution looks back in text order), indices remapped."""
    order = sorted(range(len(mentions)), key=lambda i: (mentions[i].start, -mentions[i].end))
    new_index = {old: new for new, old in enumerate(order)}
    ordered = []
    for old in order:
        m = mentions[old]
        if m.of is not None:
            m = RawMention(**{**m.__dict__, "of": new_index[m.of]})
        ordered.append(m)
    return ordered, {t: new_index[i] for t, i in by_token.items()}
