"""Generate ``kg/nlp/patterns/cameo_lexicon.yaml``: kg's verbs and event nouns, derived from the CAMEO verb dictionary.

Sources: the PETRARCH verb dictionaries of the Open Event Data Alliance (repository openeventdata/petrarch2, commit
676801c, MIT licence): ``CAMEO.2.0.txt`` (the PETRARCH-2 dictionary, whose verb codes win) and
``CAMEO.verbpatterns.150430.txt`` (the PETRARCH-1 dictionary: verbs the later one dropped, and its TABARI patterns
``- * WITH + [046]`` that say which preposition introduces the target). Each CAMEO code becomes a kg relation through
:data:`TYPOLOGY` (the table of ``ontology/README.md``); the tables below say which classes of entry are taken and why.
Run it again after editing a table; never edit the generated file (the hand lexicon ``lexicon.yaml`` wins over it).

What is derived:

* **verbs** -- a verb of a coded verb block with its own code, or the block's, or the code its own frame patterns
  (verb, preposition, target) agree on; prepositions from those frames (``with`` for symmetric relations);
* **phrasal verbs** -- ``lemma particle`` from patterns ``- * DOWN (ON) [175]`` and multiword verbs ``+CRACK_DOWN``;
* **verb + object** -- ``lemma noun`` from patterns ``- * SANCTIONS AGAINST + [163]`` (``impose sanction``,
  ``hold talks``, ``launch offensive``); the only entries light verbs (:data:`LIGHT_VERBS`) get;
* **event nouns** -- objects that carry the code under a verb that codes nothing by itself (``announce arrest``,
  ``launch offensive``), and the nominalisations (``arrest``, ``detention``, ``expulsion``) of derived verbs that the
  dictionary also uses as nouns, with the prepositions that introduce their target.

Usage::

    .venv/bin/python scripts/make_lexicon.py [--source ../shared/reference/cameo-dictionaries] [--out FILE]
    .venv/bin/python scripts/make_lexicon.py --check      # exit 1 when the committed file is out of date

Needs the spaCy pipeline kg uses (its lemmatizer tables tell real English nouns and verbs from the dictionary's
truncated stems, and give noun lemmas).
"""
from __future__ import annotations

import argparse
import hashlib
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

__all__ = ["TYPOLOGY", "LIGHT_VERBS", "relation_of", "read_dictionary", "derive", "render", "main"]

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = ROOT.parent / "shared" / "reference" / "cameo-dictionaries"
DEFAULT_OUT = ROOT / "kg" / "nlp" / "patterns" / "cameo_lexicon.yaml"
#: The hand lexicon: its event nouns' prepositions also introduce the target of verb + object entries.
HAND_LEXICON = ROOT / "kg" / "nlp" / "patterns" / "lexicon.yaml"
#: The dictionaries, in order of precedence (the first one's verb codes win).
SOURCES = ("CAMEO.2.0.txt", "CAMEO.verbpatterns.150430.txt")
UPSTREAM = "openeventdata/petrarch2, commit 676801c, petrarch2/data/dictionaries/"

# ------------------------------------------------------------------------------------------------------ typology
#: CAMEO code prefix -> kg relation (the longest prefix wins); None: the code is no relation between actors.
#: Keep in step with ontology/kg.ttl (every relation here declares the prefix in its kg:cameoCode) and the table
#: of ontology/README.md.
TYPOLOGY: dict[str, str | None] = {
    "01": None,                       # MAKE PUBLIC STATEMENT: say, comment, announce... never a relation
    "02": "appealsTo",                # APPEAL
    "03": "pledgesTo",                # EXPRESS INTENT TO COOPERATE: promise, pledge, offer
    "04": "meetsWith", "041": "telephones", "042": "visits", "043": "hosts", "045": "brokers",
    "046": "negotiatesWith",          # CONSULT
    "05": "supports", "050": "cooperatesWith", "051": "praises", "054": "recognizes", "055": "concedesTo",
    "057": "agreesWith",              # DIPLOMATIC COOPERATION (050: collaborate, coordinate)
    "06": "cooperatesWith",           # MATERIAL COOPERATION
    "063": None,                      # judicial cooperation: "extradite X to Y" has the person as object
    "07": "aids",                     # PROVIDE AID
    "08": "concedesTo", "084": "releases", "087": "withdrawsFrom", "0871": "agreesWith",  # YIELD; truce
    "09": "investigates",             # INVESTIGATE
    "10": "demands",                  # DEMAND
    "11": "criticizes", "112": "accuses", "114": "protestsTo", "115": "sues", "116": "sues",  # DISAPPROVE
    "12": "rejects",                  # REJECT
    "13": "threatens",                # THREATEN
    "14": "protestsAgainst",          # PROTEST
    "15": "deploysTo",                # EXHIBIT FORCE POSTURE (mobilise)
    "16": "reducesRelationsWith", "163": "sanctions",  # REDUCE RELATIONS; embargo, boycott, sanctions
    "17": "coerces", "173": "arrests", "174": "expels",  # COERCE
    "18": "attacks", "181": "abducts", "185": "assassinates", "186": "assassinates",  # ASSAULT
    "19": "attacks", "191": "blockades", "194": "shells", "195": "airStrikeOn",  # FIGHT
    "20": "attacks",                  # UNCONVENTIONAL MASS VIOLENCE
}
#: Relations whose arguments are partners: coordinated subjects relate to each other, "with" brings the partner.
SYMMETRIC = frozenset({"meetsWith", "negotiatesWith", "telephones", "cooperatesWith", "agreesWith"})
#: Relations of physical force: a verb that has them and also codes DISAPPROVE (11) gets ``verbal``.
PHYSICAL = frozenset({"attacks", "airStrikeOn", "shells", "blockades", "assassinates", "abducts", "coerces"})
#: Prepositions never read as introducing a verb's target: the agent of a passive, both parties of a relation.
AGENT_PREPS = frozenset({"by", "between", "among"})
#: Prepositions that bring the reason of a verbal conflict ("criticise X for Y", "accuse X of Y"), not its target.
REASON_PREPS = frozenset({"for", "of", "over", "about"})
VERBAL_CONFLICT = frozenset({"criticizes", "accuses", "sues", "protestsTo", "demands", "rejects", "threatens"})
#: How many DISAPPROVE patterns (110/111: "attack the government", "hit back at") a physical verb needs for ``verbal``.
VERBAL_EVIDENCE = 2
#: Relations whose nominalisation takes its target in an of-phrase ("the arrest of X", "condemnation of X"); for the
#: others the of-phrase names the agent or a theme ("the visit of the president", "the withdrawal of troops").
OF_TARGET = frozenset({"arrests", "expels", "abducts", "assassinates", "coerces", "attacks", "blockades", "shells",
                       "criticizes", "accuses", "praises", "recognizes", "investigates", "releases", "rejects",
                       "supports", "sanctions"})
#: Prepositions that introduce the target of an event noun of these relations even where the dictionary shows none.
NOUN_PREPS = {"attacks": ("on", "against"), "airStrikeOn": ("on", "against"), "shells": ("on",),
              "sanctions": ("on", "against"), "aids": ("to", "for"), "supports": ("for", "to"),
              "protestsAgainst": ("against",), "threatens": ("to", "against"), "withdrawsFrom": ("from",),
              "visits": ("to",), "blockades": ("on", "of"), "coerces": ("on", "against")}

# ----------------------------------------------------------------------------------------- what is not taken
#: Verbs too general to carry an event by themselves: only their verb + object and phrasal entries are taken
#: ("hold talks", "take hostage", "give aid", "carry out", "impose sanctions", "ratify a treaty", "withhold aid"),
#: never the bare verb.
LIGHT_VERBS = frozenset("""
add apply award ban be become block bring call carry come conduct deal do draw engage face find fire get give go
grant have head hold impose issue keep lay lead leave let look loosen make mount move pass pay provide put raise
ratify reach reimpose relax run see send set show slap stage start step strike take turn use vote withhold work
""".split())
#: Verbs that perform the event their object names ("launch an offensive", "impose sanctions", "announce the
#: arrest of"): the code of such a pattern is its object's, which makes the object an event noun. Other verbs' objects
#: are themes ("give food", "close schools", "end the fighting") and become no noun entry.
EVENT_VERBS = frozenset("""
announce begin carry conduct declare hold impose issue launch level lodge mount order resume stage start step
undertake wage
""".split())
#: Verb blocks taken for no entry at all: their WordNet synonyms do not denote an event between actors in news.
SKIP_BLOCKS = {
    "OVERSEE_MANAGE": "govern, rule, command, manage: running something, not cooperating with someone",
    "ENACT": "enact, establish, found: legislation and institutions",
    "LINK": "link, attach, connect: relating things", "MERGE": "merge, combine, fuse: things",
    "BOOST": "increase, expand, deepen: amounts", "ALLOCATE": "allocate, assign: budgets",
    "FACILITATE": "ease, improve, mitigate: situations", "DISCLOSE": "admit, reveal, confess: statements",
    "INFLUENCE": "affect, persuade: vague", "REJOICE": "rejoice: a mood", "DISGRACE": "degrade, humble: vague",
    "DISTURB": "annoy, bother, upset: moods", "HURT": "damage, spoil, corrupt: things and moods",
    "ASSEMBLE": "gather, join, unite: crowds and things", "GO_SOMEWHERE": "go, travel, leave: movement",
    "ARRIVE": "arrive, come: movement", "CONSIDER": "consider, think: deliberation", "HEAR": "hear, learn",
    "NOTIFY": "notify, apprise: statements", "INTRODUCE": "introduce, insert", "DELAY": "delay, hinder: things",
    "DESTROY": "beat, best, master, overcome: mostly sport and figure of speech", "ENCIRCLE": "circle, ring",
    "DIE": "die: what happens to a victim, no agent", "CONCERN": "concern, involve", "INTRUDE": "pry, trespass",
    "IMPEL": "compel, force, enforce: constructions with an infinitive", "REPULSE": "repel, repulse",
    "TAKE_CONTROL": "take over, overturn, revolutionise: mostly not an actor", "EXTRACT": "pull, pluck, wrest",
    "SPY": "spy: no target in the clause", "UNDERMINE": "undermine, sabotage: plans more than actors",
    "OFFEND": "offend, shock, outrage: moods", "DISMAY": "disappoint, sadden: moods", "LAMENT": "cry, mourn",
    "DESPAIR": "a mood", "CURSE": "curse, blaspheme", "DISTRUST": "doubt, suspect: moods",
    "PREPARE": "prepare, train, groom: the object is what is prepared", "STRIVE": "strive: no target",
    "INTEND": "intend, mean, plan: a modality (kg's plan words), not an event", "SIGNAL": "signal: a statement",
    "REVIVE": "revive, resuscitate: things", "MOBILIZE": "rally, summon: the object is troops or support",
    "PARADE": "parade: no target",
    "OVERFLY": "overfly: a place", "PATROL": "patrol: a place (hand lexicon)", "TRADE": "exchange, swap: goods",
    "ENLIST": "enlist, enroll", "STABILISE": "stabilise: a situation",
    "INTERVENE": "intervene, interfere: no target in the object", "CIRCULATE": "statements",
}
#: Single verbs of taken blocks left out: a sense other than the block's is the usual one in news.
SKIP_VERBS = {
    # PHYSICAL_CONFLICT, KILL, POUND, RAID, SHOOT, TARGET, EXPLOSIVE_DESTRUCTION (190)
    "match": "to equal", "pit": "to set against", "stone": "rare", "hammer": "figurative", "conflict": "to differ",
    "struggle": "to have difficulty", "compete": "sport, markets", "grapple": "with a problem", "duel": "rare",
    "wrestle": "with a problem", "kick": "sport", "hang": "to hang on", "ram": "rare", "thump": "rare",
    "blow": "wind", "circle": "to encircle", "ring": "telephone", "aim": "to intend", "clobber": "rare",
    "pummel": "rare", "altercate": "rare", "blitz": "rare", "forage": "rare", "reave": "archaic", "despoil": "rare",
    "foray": "rare", "lash": "to tie", "whip": "party whips", "rip": "to tear", "tear": "to tear",
    "rape": "not between actors", "dishonor": "rare", "dishonour": "rare", "abuse": "abuse of power",
    "mistreat": "not between actors", "terrorize": "vague", "rampage": "no target", "scuffle": "no target",
    "overthrew": "past form (overthrow)", "behead": "victims, not actors", "decapitate": "victims",
    "strangle": "victims", "slay": "victims", "butcher": "victims", "slaughter": "victims", "infest": "pests",
    "inhabit": "to live in", "reside": "to live in", "storm": "weather; hand lexicon for places",
    # SUPPORT, ACCLAIM and other cooperative blocks
    "advertise": "commerce", "advertize": "commerce", "promote": "to raise in rank, to advertise", "toast": "rare",
    "clap": "rare", "greet": "ceremony", "reward": "vague", "honor": "vague", "honour": "vague", "prize": "vague",
    "value": "vague", "esteem": "vague", "admire": "vague", "celebrate": "anniversaries",
    "commemorate": "anniversaries", "salute": "ceremony", "recognise": "to acknowledge a fact",
    "recognize": "to acknowledge a fact", "respect": "a ceasefire, a law", "bless": "religion",
    "sanctify": "religion", "cheer": "crowds", "rouse": "crowds", "spur": "growth", "inspire": "vague",
    "invigorate": "vague", "enliven": "vague", "embolden": "vague", "revitalize": "economies", "galvanize": "vague",
    "encourage": "to urge (an appeal)", "favor": "to prefer", "favour": "to prefer", "prefer": "a preference",
    "legitimise": "rare", "legitimize": "rare", "reassert": "a claim", "appreciate": "a statement",
    "associate": "to link", "concert": "rare", "conform": "rules", "correlate": "statistics", "harmonise": "rules",
    "harmonize": "rules", "integrate": "into something", "organise": "events", "organize": "events",
    "synchronise": "rare", "synchronize": "rare", "unionise": "labour", "unionize": "labour", "orchestrate": "plots",
    "barter": "goods", "haggle": "prices", "serve": "to serve a sentence, a term", "benefit": "things",
    "bequeath": "wills", "bestow": "honours", "endow": "funds", "entrust": "tasks", "accord": "to agree (statement)",
    "lend": "support (figure of speech)", "loan": "money", "supply": "goods", "contribute": "to a situation",
    "attire": "clothes", "furnish": "rooms", "gear": "rare", "outfit": "rare", "render": "to make", "stock": "shops",
    "tender": "bids", "invest": "markets", "buy": "goods", "purchase": "goods", "compensate": "victims",
    "import": "goods", "underwrite": "finance", "rescue": "victims", "tend": "rare", "ward": "rare",
    "safeguard": "interests", "shelter": "people", "guard": "places", "shield": "people",
    # YIELD and friends
    "abide": "rules", "bide": "rare", "fill": "posts", "satify": "typo", "obey": "orders", "bow": "to pressure",
    "succumb": "to wounds", "forswear": "rare", "cede": "territory (the object is a place)", "relinquish": "posts",
    "renounce": "claims", "waive": "fees", "abandon": "plans", "detach": "rare", "disconnect": "rare",
    "recede": "rare", "retire": "from posts", "retract": "statements", "disentangle": "rare", "tease": "rare",
    "undo": "rare", "untie": "rare", "allow": "a modality", "permit": "a modality", "enable": "a modality",
    "empower": "a modality", "tolerate": "a modality", "countenance": "rare", "consent": "a modality",
    "clear": "to clear a way", "verify": "facts", "legislate": "laws", "approve": "plans (the object is a decision)",
    "authorise": "a modality", "authorize": "a modality", "resettle": "refugees", "settle": "disputes, settlers",
    "resolve": "problems", "conciliate": "rare", "intermediate": "rare", "free": "to free (verb + object)",
    "liberate": "places (hand lexicon: controls)", "emancipate": "rare", "unloose": "rare", "pardon": "convicts",
    "absolve": "rare", "abstain": "votes", "accede": "to a treaty", "acquiesce": "rare", "submit": "documents",
    "comply": "rules", "exonerate": "rare", "acquit": "courts", "exculpate": "rare", "vindicate": "rare",
    "decriminalise": "laws", "decriminalize": "laws", "legalise": "laws", "legalize": "laws",
    "declassify": "documents", "unblock": "roads, funds",
    # INVESTIGATE, DEMAND, REJECT, THREATEN, PROTEST
    "analyse": "data", "ascertain": "facts", "audit": "accounts", "check": "facts", "examine": "facts",
    "explore": "options", "research": "topics", "study": "topics", "comb": "areas", "dig": "rare", "mine": "rare",
    "rake": "rare", "scan": "rare", "scrutinize": "documents", "skim": "rare", "sweep": "areas", "unearth": "things",
    "inspect": "sites", "probe": "events (the object is an event)", "adjure": "archaic", "bid": "auctions",
    "campaign": "elections", "clamor": "rare", "clamour": "rare", "crusade": "rare", "entreat": "archaic",
    "exhort": "rare", "necessitate": "things", "need": "a modality", "want": "a modality (kg's plan words)",
    "defer": "things", "remit": "money", "table": "motions", "stall": "things", "retard": "rare",
    "override": "decisions", "overrule": "decisions", "risk": "a modality", "endanger": "lives",
    "challenge": "elections, rulings (kept as verb + object)", "contend": "a statement", "contest": "elections",
    "contradict": "statements", "contrast": "things", "contravene": "laws", "counter": "arguments",
    "counterbalance": "rare", "differ": "opinions", "dispute": "facts", "dissent": "no target",
    "refute": "statements", "wrangle": "rare", "bemoan": "a mood", "debate": "topics", "object": "a statement",
    "cage": "animals", "contain": "things", "enclose": "things", "restrict": "things", "bill": "invoices",
    "inflict": "damage", "levy": "taxes", "curb": "things", "moderate": "rare", "restrain": "rare", "subdue": "rare",
    "constrain": "rare", "quell": "unrest (the object is an event)", "penalize": "rare", "punish": "vague",
    "tax": "income", "fine": "hand-picked nouns only", "censor": "media", "disallow": "rare", "forbid": "a modality",
    "interdict": "rare", "proscribe": "rare", "criminalise": "laws", "criminalize": "laws", "illegalise": "rare",
    "illegalize": "rare", "prohibit": "things", "veto": "resolutions (the object is a text)",
    "exclude": "from something", "segregate": "rare", "ostracise": "rare", "ostracize": "rare", "embargo": "goods",
    "remove": "things", "evict": "tenants", "exile": "rare", "banish": "rare", "snatch": "victims", "grab": "things",
    "nab": "rare", "catch": "things", "appropriate": "rare", "annex": "territory (hand lexicon: controls)",
    "nationalise": "companies", "nationalize": "companies", "steal": "things", "pirate": "rare", "commandeer": "rare",
    "pluck": "rare", "cordon": "places", "shun": "rare", "hijack": "planes (verb + object)",
    "sentence": "convicts (courts)", "prosecute": "courts", "sue": "courts (kept via its own block)",
    "demolish": "buildings", "vandalise": "property", "vandalize": "property", "loot": "property",
    "pillage": "property", "plunder": "property", "ransack": "property", "raze": "places", "surround": "places",
    "flatten": "places", "bombard": "places", "dynamite": "things", "explode": "no target", "detonate": "devices",
    "torch": "property", "pelt": "crowds", "snipe": "no target",
    "deploy": "the object is troops (deploysTo in the hand lexicon)", "overrun": "places (hand lexicon)",
    # judged on the derived list: statements, modalities and senses the block does not mean
    "include": "to contain", "question": "to doubt", "search": "places", "claim": "a speech verb", "aver": "rare",
    "avow": "rare", "swear": "oaths", "express": "a speech verb (express concern)", "react": "a reaction",
    "decide": "a modality", "determine": "a modality", "expect": "a modality", "seek": "a modality (plan word)",
    "volunteer": "rare", "subscribe": "rare", "certify": "documents", "ensure": "a modality", "vouch": "rare",
    "require": "a modality", "suggest": "a speech verb", "drive": "vague", "flee": "refugees", "rush": "vague",
    "return": "refugees, people", "trip": "rare as a verb", "fly": "aircraft", "disarray": "rare", "disorder": "rare",
    "snitch": "rare", "deceive": "rare", "disband": "groups", "disrupt": "things", "abort": "plans",
    "rescind": "decisions", "beef up": "miscoded [174] in the dictionary", "decree": "a statement",
    "hash out": "to discuss", "talk over": "to discuss", "excuse": "rare", "dismiss": "to fire an official",
    "arouse": "moods", "enkindle": "rare", "provoke": "vague", "reckon": "to think", "affirm": "a statement",
    "decorate": "rooms, medals", "reassure": "vague", "formalize": "agreements", "fight down": "rare",
    "glance over": "rare", "hunt": "animals, suspects", "resign": "from a post, no target", "drop out": "no target",
    "arbitrate": "filed under COMPROMISE [080]; mediate keeps its own [045] frame", "intercede": "as arbitrate",
    "fail": "a modality", "defect": "to defect to (a change of side)", "decline": "to decline to comment",
    "evacuate": "people and places", "summit": "rare as a verb", "reinstate": "officials", "trample": "rare",
    "square off": "rare", "string up": "rare", "incarcerate": "filed under CONFINE [170] without its own code",
    # CONSULT, statements
    "brave": "weather", "confront": "problems", "encounter": "problems", "interact": "rare", "cable": "rare",
    "elicit": "rare", "reinvite": "rare", "plead": "courts", "beg": "rare", "solicit": "rare",
    "advise": "a statement", "counsel": "rare", "hint": "a statement", "advocate": "policies", "desire": "a modality",
    "hope": "a modality",
}
#: Verbs whose block code the dictionary's own frames for that verb contradict: (code, the frame that says so).
CODE_FIXES = {
    "negotiate": ("046", "listed under COMPROMISE [080]; its frame `$ IS * WITH + [046]` (CAMEO.verbpatterns)"),
    "blockade": ("191", "listed under EXCLUDE [170]; all its own patterns code 191 (`+ * IN $ [191]`)"),
    "mediate": ("045", "listed under COMPROMISE [080]; its own frame `* (BETWEEN) [045]`"),
    "pull out": ("0874", "listed under RETREAT [080] with withdraw and retreat, whose own frames code 0874"),
    "pull back": ("0874", "as pull out"),
}
#: Event nouns left out although the dictionary codes them: another sense is the usual one in news.
SKIP_NOUNS = {
    "strike": "a labour strike is PROTEST; the air strike is in the hand lexicon", "fire": "fires", "end": "vague",
    "plan": "a modality", "decision": "vague", "call": "telephone or appeal", "defence": "the defence ministry",
    "defense": "the defense ministry", "order": "vague", "resolution": "a UN resolution is a text",
    "settlement": "settlers", "administration": "a government", "protection": "vague",
    "capture": "the object is a place", "control": "hand lexicon (controls)", "pressure": "vague", "measure": "vague",
    "action": "vague", "move": "vague", "help": "vague", "hit": "a success", "test": "a missile test has no target",
    "interest": "vague", "case": "a court case", "charge": "prices and charges", "trial": "courts",
    "sentence": "courts", "hearing": "courts", "report": "a text", "statement": "a text", "message": "a text",
    "letter": "a text", "bill": "a text", "claim": "a statement", "right": "rights", "peace": "a state",
    "war": "hand lexicon", "deal": "hand lexicon", "talks": "hand lexicon", "meeting": "hand lexicon",
    "support": "hand lexicon", "aid": "hand lexicon", "attack": "hand lexicon", "offer": "vague",
    "request": "an appeal noun needs its addressee", "demand": "vague", "delegation": "people", "mission": "people",
    "envoy": "people", "ambassador": "people", "diplomat": "people", "force": "troops", "forces": "troops",
    "troop": "troops", "police": "people", "home": "vague", "effort": "vague", "initiative": "vague",
    "relation": "hand lexicon (tension, rift...)", "tie": "vague", "contract": "commerce", "trade": "commerce",
    "investment": "commerce", "credit": "finance", "loan": "finance", "debt": "finance", "grant": "finance",
    "compensation": "finance", "visa": "travel", "election": "politics", "reform": "politics", "amnesty": "law",
    "restriction": "vague", "emergency": "vague", "relief": "vague", "entry": "vague", "transfer": "vague",
    "search": "a search for something", "work": "vague", "victory": "vague", "possibility": "vague",
    "commitment": "vague", "permission": "vague", "responsibility": "vague", "death": "no agent",
    "killing": "a killing has victims, rarely an actor as target", "campaign": "hand lexicon",
    "operation": "hand lexicon", "offensive": "hand lexicon", "flight": "air travel", "regulation": "rules",
    "game": "war games: no target", "meet": "sport", "helping": "a serving", "hitting": "sport",
    "equipment": "things", "export": "commerce", "law": "martial law: the head of a phrase", "answer": "&SOLUTION",
    "result": "&SOLUTION", "solution": "&SOLUTION", "border": "a place", "drive": "vague", "weapon": "a thing",
    "mock": "rare", "lobby": "a group", "back": "a body part", "failing": "a fault", "asking": "rare",
    "shell": "an artillery shell", "jail": "a building",
}

#: Synonym sets larger than this list things (weapons, currencies, aircraft): only their name is taken.
MAX_SYNSET = 12
#: Closed word classes of the pattern language.
PREPOSITIONS = frozenset("""
about above across after against along alongside amid among around as at before behind below beneath beside between
by despite during for from in inside into near of off on onto out outside over through throughout to toward towards
under upon via with within without
""".split())
PARTICLES = frozenset("up down off out back away over in on".split())
DETERMINERS = frozenset("a an the its their his her any all some this that these those".split())
#: Verb-to-noun suffix rules (generic English morphology), tried in order; a candidate must be a WordNet noun.
NOMINAL_SUFFIXES = (
    ("", ""), ("ate", "ation"), ("ize", "ization"), ("ise", "isation"), ("e", "ation"), ("", "ation"),
    ("", "ion"), ("e", "ion"), ("", "ment"), ("e", "al"), ("", "al"), ("ade", "asion"), ("ude", "usion"),
    ("pel", "pulsion"), ("tain", "tention"), ("vene", "vention"), ("mit", "mission"), ("ounce", "unciation"),
    ("ize", "ition"), ("y", "ication"), ("e", "ure"), ("", "ance"), ("", "ence"), ("", "ing"), ("e", "ing"),
)

# -------------------------------------------------------------------------------------------------- parsing
_HEADER = re.compile(r"^---\s*(?P<name>[A-Z][A-Z_\-]*)\s*(?:\[(?P<code>[^\]]*)\])?")
_CODE = re.compile(r"\[([0-9:\-]*)\]")
_ITEM = re.compile(r"\{[^}]*\}|\([^)]*\)|\S+")


@dataclass(frozen=True)
class VerbLine:
    """One verb of a block: its words (lower case), which one is the verb, its own code and irregular forms."""

    words: tuple[str, ...]
    head: int
    code: str | None
    forms: tuple[str, ...]


@dataclass(frozen=True)
class Pattern:
    """One pattern line: the tokens before and after ``*``, its code and the verbs its comment names."""

    pre: tuple[str, ...]
    post: tuple[str, ...]
    code: str | None
    paired: bool
    named: tuple[str, ...]
    source: str


@dataclass
class Block:
    """A verb synonym block (``--- NAME [code] ---``): its verbs and patterns."""

    name: str
    code: str | None
    source: str
    verbs: list[VerbLine] = field(default_factory=list)
    patterns: list[Pattern] = field(default_factory=list)


@dataclass
class Dictionary:
    """A PETRARCH verb dictionary: synonym sets and verb blocks."""

    name: str
    synsets: dict[str, tuple[str, ...]]
    blocks: list[Block]


def _code(text: str | None) -> tuple[str | None, bool]:
    """The event code of ``[code]`` / ``[code:code]`` (None for ``---`` or a reverse-only ``[:code]``)."""
    if text is None:
        return None, False
    main, _, other = text.strip().partition(":")
    main = main.strip()
    return (None if not main or set(main) <= {"-"} else main), bool(other.strip())


def read_dictionary(path: Path) -> Dictionary:
    """Parse a PETRARCH verb dictionary (either format: TABARI-style or PETRARCH-2 parenthesised patterns)."""
    synsets: dict[str, list[str]] = {}
    blocks: list[Block] = []
    synset: str | None = None
    block: Block | None = None
    in_verbs = False
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        line = raw.rstrip()
        if line.startswith("####### VERB PATTERNS"):
            in_verbs = True
            continue
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not in_verbs:
            if line.startswith("&"):
                synset = line.split()[0].rstrip("_")
                synsets[synset] = []
            elif line.startswith("+") and synset:
                synsets[synset].append(line[1:].split("#")[0].strip().rstrip("_").replace("_", " ").lower())
            continue
        if line.startswith("---"):
            match = _HEADER.match(line)
            if match:
                block = Block(match.group("name"), _code(match.group("code"))[0], path.name)
                blocks.append(block)
            continue
        if block is None or line.startswith("~"):
            continue
        body, _, comment = line.partition("#")
        if line.startswith("-"):
            codes = _CODE.findall(body)
            code, paired = _code(codes[-1]) if codes else (None, False)
            text = _CODE.sub(" ", body).lstrip("-").strip()
            pre, star, post = text.partition("*")
            if not star:
                continue
            named = tuple(w for w in re.split(r"[\s,]+", comment.split("<")[0].strip()) if w)
            block.patterns.append(Pattern(tuple(_ITEM.findall(pre.replace("_", " "))),
                                          tuple(_ITEM.findall(post.replace("_", " "))), code, paired,
                                          tuple(n.upper() for n in named), path.name))
        else:
            forms = re.findall(r"\{([^}]*)\}", body)
            codes = _CODE.findall(body)
            word = re.sub(r"\{[^}]*\}|\[[^\]]*\]", " ", body).split()
            if not word:
                continue
            parts = word[0].split("_")
            head = next((i for i, p in enumerate(parts) if p.startswith("+")), 0)
            words = tuple(p.lstrip("+").lower() for p in parts if p.lstrip("+"))
            block.verbs.append(VerbLine(words, min(head, len(words) - 1), _code(codes[0])[0] if codes else None,
                                        tuple(f.replace("+", "").replace("_", " ").lower()
                                              for f in (forms[0].split() if forms else []))))
    return Dictionary(path.name, {k: tuple(v) for k, v in synsets.items()}, blocks)


# ----------------------------------------------------------------------------------------------- derivation
def relation_of(code: str | None) -> str | None:
    """The kg relation of a CAMEO code by :data:`TYPOLOGY` (longest prefix), None when it is none.

    Examples:
        >>> relation_of("173"), relation_of("1723"), relation_of("046"), relation_of("010"), relation_of(None)
        ('arrests', 'coerces', 'negotiatesWith', None, None)
    """
    if not code or not code.isdigit():
        return None
    for n in range(len(code), 1, -1):
        if code[:n] in TYPOLOGY:
            return TYPOLOGY[code[:n]]
    return None


def _specificity(code: str) -> int:
    """Codes ending in 0 are a root's generic code; a pattern coded more precisely says more."""
    return len(code.rstrip("0"))


class Words:
    """English word lists and noun lemmas from the spaCy pipeline's lemmatizer tables (WordNet's index)."""

    def __init__(self, model: str):
        import spacy
        from spacy.tokens import Doc

        self._nlp = spacy.load(model, exclude=["parser", "ner", "tagger", "attribute_ruler", "senter"])
        self._doc = Doc
        lemmatizer = self._nlp.get_pipe("lemmatizer")
        self._lemmatizer = lemmatizer
        index = lemmatizer.lookups.get_table("lemma_index")
        self.nouns = frozenset(index["noun"])
        self.verbs = frozenset(index["verb"])
        self.adverbs = frozenset(index["adv"])
        self._cache: dict[tuple[str, str], str] = {}

    def lemma(self, word: str, pos: str) -> str:
        key = (word, pos)
        if key not in self._cache:
            doc = self._doc(self._nlp.vocab, words=[word], pos=[pos])
            lemmas = self._lemmatizer.rule_lemmatize(doc[0])
            self._cache[key] = lemmas[0] if lemmas else word
        return self._cache[key]

    def noun(self, word: str) -> str | None:
        """The lemma of ``word`` when it is an English noun (WordNet), else None ("INVOLV", "PREESS")."""
        word = word.lower()
        if not word.isalpha():
            return None
        lemma = self.lemma(word, "NOUN")
        return lemma if lemma in self.nouns else None


def _forms(line: VerbLine) -> set[str]:
    """Surface forms of a verb (upper case, underscores as spaces) for matching pattern comments."""
    verb = line.words[line.head]
    regular = {verb, verb + "s", verb + "es", verb + "ed", verb + "d", verb + "ing", verb[:-1] + "ing",
               verb[:-1] + "ied", verb[:-1] + "ies", verb + verb[-1] + "ed", verb + verb[-1] + "ing"}
    out = set()
    for form in regular | set(line.forms):
        words = list(line.words)
        if " " in form or form in line.forms and len(line.words) > 1:
            out.add(form.upper())
            continue
        words[line.head] = form
        out.add(" ".join(words).upper())
        out.add("_".join(words).upper())
        out.add(form.upper())
    return out


@dataclass
class Item:
    """A pattern token after ``*``: a word, a braced phrase (its head last), a prepositional group or a marker."""

    kind: str  # word | phrase | synset | group | target | source | other
    words: tuple[str, ...] = ()
    preps: tuple[str, ...] = ()


def _items(tokens: tuple[str, ...]) -> list[Item]:
    out: list[Item] = []
    for tok in tokens:
        if tok.startswith("(") and tok.endswith(")"):
            inner = tok[1:-1].split()
            preps = tuple(p.lower() for p in inner[0].split("/")) if inner else ()
            out.append(Item("group", tuple(w.lower() for w in inner[1:]), preps))
        elif tok.startswith("{"):
            out.append(Item("phrase", tuple(w.lower() for w in tok.strip("{}").split())))
        elif tok == "+":
            out.append(Item("target"))
        elif tok in ("$", "%", "^"):
            out.append(Item("source" if tok == "$" else "other"))
        elif tok.startswith("&"):
            out.append(Item("synset", (tok.rstrip("_"),)))
        elif re.fullmatch(r"[A-Za-z][A-Za-z'\-]*", tok):
            out.append(Item("word", (tok.lower(),)))
        else:
            out.append(Item("other", (tok,)))
    return out


@dataclass
class Reading:
    """What a pattern says about its verb: a particle, an object noun, the preposition that introduces the target."""

    particle: str | None = None
    nouns: tuple[str, ...] = ()
    target_preps: tuple[str, ...] = ()
    direct_target: bool = False
    exact: bool = True  # False: other words before * or after what was read (a narrower construction)


#: Words before ``*`` that leave a pattern about the verb itself: actor markers, tense and passive auxiliaries.
#: Anything else ("NOT *", "WILL *", "AGREE TO *", "+ WAS *") makes it a narrower construction.
NEUTRAL_PRE = frozenset({"$", "%", "^", "is", "are", "was", "were", "has", "have", "had", "been"})


def _read(pre: tuple[str, ...], post: tuple[str, ...], synsets: dict[str, tuple[str, ...]],
          words: Words) -> Reading | None:
    """Read a pattern as particle / object / frame; None when it cannot be read so. A reading that is not
    ``exact`` only shows that its object noun is used (its code belongs to the narrower construction)."""
    items = _items(post)
    reading = Reading(exact=all(tok.lower() in NEUTRAL_PRE for tok in pre))
    i = 0
    # an adverb right after the verb ("PUBLICLY", "STRONGLY") says nothing about the frame
    while i < len(items) and items[i].kind == "word" and items[i].words[0] in words.adverbs \
            and items[i].words[0].endswith("ly"):
        i += 1
    if i < len(items) and items[i].kind == "word" and items[i].words[0] in PARTICLES:
        nxt = items[i + 1] if i + 1 < len(items) else None
        if nxt is None or nxt.kind in ("target", "group", "source") or (
                nxt.kind == "word" and nxt.words[0] in PREPOSITIONS):
            reading.particle = items[i].words[0]
            i += 1
    while i < len(items) and items[i].kind == "word" and items[i].words[0] in DETERMINERS:
        i += 1
    if i < len(items) and items[i].kind in ("word", "phrase", "synset") and not (
            items[i].kind == "word" and items[i].words[0] in PREPOSITIONS):
        item = items[i]
        if item.kind == "synset":
            members = synsets.get(item.words[0], ())
            if len(members) > MAX_SYNSET:  # a list of things (&WEAPON, &CURRENCY): its name says what it is
                members = (item.words[0].lstrip("&").split("_")[0].lower(),)
            heads = [m for m in members if m and " " not in m]  # "cease fire" is no "fire"
        else:
            heads = [item.words[-1]]
        nouns = []
        for head in heads:
            lemma = words.noun(head)
            if lemma and lemma not in nouns:
                nouns.append(lemma)
        if not nouns:
            return None
        reading.nouns = tuple(nouns)
        i += 1
    if i < len(items) and items[i].kind == "target" and not reading.nouns:
        reading.direct_target = True
        i += 1
    elif i < len(items) and items[i].kind == "group" and (
            not items[i].words or items[i].words == ("+",)):
        reading.target_preps = tuple(p for p in items[i].preps if p in PREPOSITIONS)
        i += 1
    elif i < len(items) and items[i].kind == "word" and items[i].words[0] in PREPOSITIONS and (
            i + 1 == len(items) or items[i + 1].kind == "target"):
        reading.target_preps = (items[i].words[0],)
        i += 2
    elif i < len(items) and not reading.nouns:
        return None  # "* TO EXPEL +", "* (AGAINST PLAN)": a narrower construction than kg can use
    if i < len(items) and any(it.kind not in ("source", "other") for it in items[i:]):
        reading.exact = False  # "* BLOCKADE ON GOODS": the noun is used, but the pattern is narrower
    return reading


@dataclass
class VerbInfo:
    """Everything gathered about one verb (its lemma or ``lemma particle``) across blocks and dictionaries."""

    lemma: str
    block: str
    block_code: str | None
    own_code: str | None = None
    frames: list[tuple[str, tuple[str, ...], bool]] = field(default_factory=list)  # (code, preps, direct)
    objects: list[tuple[str, str, tuple[str, ...], bool]] = field(default_factory=list)  # code, noun, preps, exact
    verbal: Counter = field(default_factory=Counter)
    patterns: int = 0


def _gather(dictionaries: list[Dictionary], words: Words) -> dict[str, VerbInfo]:
    """Verbs with the codes, frames and objects their blocks and patterns give (first dictionary's code wins)."""
    infos: dict[str, VerbInfo] = {}
    for dictionary in dictionaries:
        seen_here: set[str] = set()
        for block in dictionary.blocks:
            if block.name in SKIP_BLOCKS:
                continue
            by_form: dict[str, VerbLine] = {}
            for line in block.verbs:
                for form in _forms(line):
                    by_form.setdefault(form, line)
            for line in block.verbs:
                if any(w in ("and", "or", "is", "seem", "was") for w in line.words):
                    continue  # "+KILLED_AND", "+IS_DETERMINED": tricks of the old coder, not verbs
                lemma = " ".join(line.words)
                new = lemma not in infos
                if new:
                    infos[lemma] = VerbInfo(lemma, block.name, block.code)
                info = infos[lemma]
                if new or (lemma in seen_here and info.own_code is None):
                    info.own_code = info.own_code or line.code
                seen_here.add(lemma)
            for pattern in block.patterns:
                targets = [by_form[n] for n in pattern.named if n in by_form] or (
                    block.verbs[:1] if len(block.verbs) == 1 else [])
                for line in dict.fromkeys(targets):
                    lemma = " ".join(line.words)
                    if lemma not in infos or pattern.code is None:
                        continue
                    info = infos[lemma]
                    info.patterns += 1
                    if (pattern.code or "")[:3] in ("110", "111"):  # DISAPPROVE: the verb has a verbal sense
                        info.verbal[relation_of(pattern.code)] += 1
                    reading = _read(pattern.pre, pattern.post, dictionary.synsets, words)
                    if reading is None:
                        continue
                    key = f"{lemma} {reading.particle}" if reading.particle else lemma
                    if reading.particle:
                        sub = infos.setdefault(key, VerbInfo(key, block.name, None))
                        sub.patterns += 1
                        info = sub
                    if reading.nouns:
                        for noun in reading.nouns:
                            info.objects.append((pattern.code, noun, reading.target_preps, reading.exact))
                    elif reading.exact:
                        info.frames.append((pattern.code, reading.target_preps, reading.direct_target))
    return infos


def _effective_code(info: VerbInfo) -> str | None:
    """The code a verb gives when it takes its target.

    In order: its own code; a correction of :data:`CODE_FIXES`; the code at least two of its own frame patterns
    (verb, preposition, target) agree on when it refines the block's (``withdraw`` in RETREAT [080]: ``* FROM +
    [0874]``); its block's code; for a verb of a block that codes no event, the code its frames give.
    """
    if info.own_code:
        return info.own_code
    if info.lemma in CODE_FIXES:
        return CODE_FIXES[info.lemma][0]
    framed = [code for code, preps, direct in info.frames if (preps or direct) and relation_of(code)]
    block = info.block_code
    if relation_of(block) is not None:
        refined = Counter(c for c in framed if c.startswith(block[:2]) and _specificity(c) > _specificity(block))
        if refined:
            code, count = max(refined.items(), key=lambda kv: (kv[1], _specificity(kv[0]), kv[0]))
            if count >= 2 and relation_of(code) != relation_of(block):
                return code
        return block
    if framed:
        counts = Counter(relation_of(c) for c in framed)
        return max(framed, key=lambda c: (counts[relation_of(c)], _specificity(c), c))
    return block


def _from_frames(info: VerbInfo) -> bool:
    """Whether the verb's code comes from its prepositional frames only (then the preposition is required)."""
    return not info.own_code and info.lemma not in CODE_FIXES and relation_of(info.block_code) is None


def _entry(relation: str, code: str, preps: set[str]) -> dict:
    entry: dict = {"relation": relation}
    if relation in SYMMETRIC:
        withs = sorted(preps & {"with"}) or ["with"]
        entry["with"] = withs
        entry["symmetric"] = True
        preps = preps - {"with"}
    if preps:
        entry["preps"] = sorted(preps)
    entry["cameo"] = code
    return entry


def _nominalisations(verb: str, words: Words) -> list[str]:
    out = []
    for old, new in NOMINAL_SUFFIXES:
        if old and not verb.endswith(old):
            continue
        stem = verb[: len(verb) - len(old)] if old else verb
        for candidate in (stem + new, stem + stem[-1] + new if new == "ing" else None):
            if candidate and candidate in words.nouns and candidate not in out:
                out.append(candidate)
    return out


def derive(dictionaries: list[Dictionary], words: Words, hand_nouns: dict[str, dict] | None = None,
           actor_nouns: frozenset[str] = frozenset(), agent_verbs: frozenset[str] = frozenset()) -> dict[str, dict]:
    """The lexicon tables (``verbs``, ``nouns``) derived from the dictionaries.

    Args:
        dictionaries: the parsed dictionaries, first one first.
        words: the English word lists.
        hand_nouns: the hand lexicon's event nouns (their prepositions serve verb + object entries too).
        actor_nouns: nouns that stand for an actor (the hand lexicon's institutions and titles, singular): a verb +
            object entry with one of them keeps its object as the target ("expel Russian diplomats").
        agent_verbs: the hand lexicon's ``noun_agent_verbs``: with an event noun as object they need no verb + object
            entry, the engine makes their subject the noun's agent ("launch an attack on").

    Returns:
        ``{"verbs": {key: entry}, "nouns": {key: entry}}``; an entry has ``relation``, ``cameo`` and the frame
        fields of ``lexicon.yaml`` (``preps``, ``with``, ``symmetric``, ``mutual``, ``object``), plus ``verbal`` for
        verbs with a verbal sense besides a physical one.
    """
    infos = _gather(dictionaries, words)
    verbs = _derive_verbs(infos, words)
    nouns = _derive_nouns(infos, verbs, words)
    known = {**{words.lemma(k.split()[-1], "NOUN"): v for k, v in (hand_nouns or {}).items()}, **nouns}
    for key, entry in _derive_objects(infos, known, actor_nouns, agent_verbs).items():
        verbs.setdefault(key, entry)
    return {"verbs": verbs, "nouns": nouns}


def _neutral(info: VerbInfo) -> bool:
    """A verb that codes no event by itself: a light verb, or one of a statement or null block."""
    return info.lemma.split()[0] in LIGHT_VERBS or relation_of(_effective_code(info)) is None


def _derive_verbs(infos: dict[str, VerbInfo], words: Words) -> dict[str, dict]:
    """Bare verbs, phrasal verbs and the dictionary's multiword verbs, with their frames."""
    verbs: dict[str, dict] = {}
    for lemma, info in sorted(infos.items()):
        parts = lemma.split()
        verb = parts[0]
        code = _effective_code(info)
        relation = relation_of(code)
        if relation is None or verb in LIGHT_VERBS or verb in SKIP_VERBS or lemma in SKIP_VERBS:
            continue
        if verb not in words.verbs:
            continue  # "CONCESSION", "CRACKDOWN": nouns listed among verbs (see _derive_nouns)
        if len(parts) > 1:
            if parts[1] in PREPOSITIONS - PARTICLES:
                key, preps = verb, {parts[1]}  # "+MEET_WITH": meet, with "with"
            elif parts[1] in PARTICLES:
                key, preps = lemma, set()      # "+CRACK_DOWN": a phrasal verb
            else:
                continue                       # "+WAGE_WAR": a verb + object (see _derive_objects)
        else:
            key, preps = lemma, set()
        for fcode, fpreps, _ in info.frames:
            if relation_of(fcode) == relation:
                preps.update(fpreps)
        preps -= AGENT_PREPS  # "by" brings the agent of a passive; "between" both parties
        if relation in VERBAL_CONFLICT:
            preps -= REASON_PREPS  # "slam X for Y", "accuse X of Y": the reason, not the target
        if not preps and len(parts) > 1 and parts[1] in PARTICLES:
            preps = set(NOUN_PREPS.get(relation, ()))  # "crack down (on)": a phrasal verb takes its target so
        entry = _entry(relation, code, preps)
        if _from_frames(info) and preps and not any(direct for c, p, direct in info.frames if c == code):
            entry["requires_prep"] = True  # "advance into X", "lobby against X": the code is the frame's
        if relation in PHYSICAL and info.verbal["criticizes"] >= VERBAL_EVIDENCE:
            entry["verbal"] = "criticizes"
        if key in verbs:
            merged = verbs[key]
            if merged["relation"] == entry["relation"]:
                for name in ("preps", "with"):
                    if name in entry:
                        merged[name] = sorted(set(merged.get(name, [])) | set(entry[name]))
            continue
        verbs[key] = entry
    return verbs


def _derive_nouns(infos: dict[str, VerbInfo], verbs: dict[str, dict], words: Words) -> dict[str, dict]:
    """Event nouns, in order of precedence: objects that at least two verbs of :data:`EVENT_VERBS` perform, with
    the code they give ("launch / stage a raid"); nominalisations of derived verbs that the dictionary uses as nouns
    too ("detention", "expulsion"; a noun of the verb's own form, "arrest", only where an event verb performs it:
    "announce the arrest of"); nouns listed among a block's verbs ("crackdown")."""
    used: set[str] = set()                          # every noun the dictionary's patterns use
    performed: dict[str, set[str]] = defaultdict(set)  # noun -> the event verbs that perform it
    voters: dict[str, set[str]] = defaultdict(set)     # the same, in exact patterns with a relation
    votes: dict[str, Counter] = defaultdict(Counter)
    preps_of: dict[tuple[str, str], set[str]] = defaultdict(set)
    nounish: dict[str, str] = {}
    for lemma, info in infos.items():
        verb = lemma.split()[0]
        for code, noun, preps, exact in info.objects:
            used.add(noun)
            if verb in EVENT_VERBS:
                performed[noun].add(lemma)
                if relation_of(code) and exact and not code.startswith("03"):
                    # "announce / begin a visit" is an intent (03): the noun's own event is what else they code
                    voters[noun].add(lemma)
                    votes[noun][code] += 1
                    preps_of[(noun, relation_of(code))].update(preps)
        code = _effective_code(info)
        if " " not in lemma and verb not in words.verbs and relation_of(code) and verb in words.nouns:
            nounish[verb] = code
    candidates: dict[str, tuple[str, set[str]]] = {}
    for noun, counts in sorted(votes.items()):
        if len(voters[noun]) >= 2:
            code = max(counts, key=lambda c: (counts[c], _specificity(c), c))
            candidates.setdefault(noun, (code, set(preps_of[(noun, relation_of(code))])))
    for key, entry in sorted(verbs.items()):
        if " " in key:
            continue
        for noun in _nominalisations(key, words):
            if noun in performed if noun == key else noun in used or noun in nounish:
                preps = set(entry.get("preps", ())) | set(preps_of[(noun, entry["relation"])])
                candidates.setdefault(noun, (entry["cameo"], preps))
    for noun, code in sorted(nounish.items()):
        candidates.setdefault(noun, (code, set()))
    nouns: dict[str, dict] = {}
    for noun, (code, preps) in sorted(candidates.items()):
        relation = relation_of(code)
        if noun in SKIP_NOUNS or relation is None:
            continue
        preps = (set(preps) | set(NOUN_PREPS.get(relation, ()))) - {"by"}  # "by" names the agent
        if relation in OF_TARGET:
            preps.add("of")
        if not preps and relation not in SYMMETRIC:
            continue  # nothing would introduce the target
        entry = _entry(relation, code, preps)
        if relation in SYMMETRIC:
            entry["mutual"] = ["among", "between"]
        nouns[noun] = entry
    return nouns


def _derive_objects(infos: dict[str, VerbInfo], event_nouns: dict[str, dict], actor_nouns: frozenset[str] = frozenset(),
                    agent_verbs: frozenset[str] = frozenset()) -> dict[str, dict]:
    """Verb + object entries ("impose sanction", "hold talk", "withdraw ambassador"): the code most of the verb's
    patterns with that object give; the target is introduced by the preposition the pattern shows, by the verb's
    own frames ("withdraw peacekeepers from"), or by the object's prepositions when it is an event noun ("lift the
    blockade of")."""
    slots: dict[str, dict] = {}
    for lemma, info in sorted(infos.items()):
        parts = lemma.split()
        verb = parts[0]
        if verb in SKIP_VERBS and verb not in LIGHT_VERBS:
            continue  # "hope accord", "favor dialogue": a modality or another sense, with any object
        own = relation_of(_effective_code(info))
        if (_effective_code(info) or "").startswith("01") and verb not in EVENT_VERBS:
            continue  # "report attacks", "quote a warning": whoever speaks is not the agent of the event
        pairs = list(info.objects)
        if len(parts) == 2 and parts[1] not in PREPOSITIONS | PARTICLES and own:
            pairs.append((_effective_code(info), parts[1], (), True))  # "+WAGE_WAR"
            lemma = verb
        elif len(parts) > 1:
            continue
        for code, noun, preps, exact in pairs:
            relation = relation_of(code)
            if not exact or relation is None or relation == own and not _neutral(info):
                continue  # "attack X" needs no "attack + noun" entry
            if verb in agent_verbs and noun in event_nouns:
                continue  # "launch an attack on X": the engine reads the event noun, whose agent the verb's subject is
            slot = slots.setdefault(f"{lemma} {noun}", {"codes": Counter(), "preps": defaultdict(set), "noun": noun,
                                                         "verb_preps": set()})
            # the verb keeps its own frame: "withdraw peacekeepers from X" as "withdraw from X"
            slot["verb_preps"].update(p for fcode, fpreps, _ in info.frames if relation_of(fcode) == own
                                      for p in fpreps)
            slot["codes"][code] += 1
            slot["preps"][relation].update(preps)
    out: dict[str, dict] = {}
    for key, slot in sorted(slots.items()):
        code = max(slot["codes"], key=lambda c: (slot["codes"][c], _specificity(c), c))
        relation = relation_of(code)
        preps = set(slot["preps"][relation]) | slot["verb_preps"]
        noun = event_nouns.get(slot["noun"])
        if noun:
            preps |= set(noun.get("preps", ())) | set(noun.get("with", ()))  # "lift the blockade of X"
        preps -= AGENT_PREPS
        if relation in VERBAL_CONFLICT:
            preps -= REASON_PREPS
        if not preps and relation not in SYMMETRIC and slot["noun"] not in actor_nouns:
            continue  # "seize weapon", "vow enemy": nothing in the clause would name the target
        entry = _entry(relation, code, preps)
        if slot["noun"] not in actor_nouns:
            entry["object"] = []  # "impose sanctions": the object is the event, not its target
        out[key] = entry  # "expel diplomats": the diplomats stand for their state (the hand lexicon's institutions)
    return out


# ------------------------------------------------------------------------------------------------ rendering
def _licence(source: Path) -> str:
    path = source / "LICENSE"
    return path.read_text(encoding="utf-8") if path.is_file() else ""


def render(tables: dict[str, dict], source: Path) -> str:
    """The generated YAML text (deterministic: sorted keys, fixed field order, no dates)."""
    digests = {name: hashlib.sha256((source / name).read_bytes()).hexdigest()[:16] for name in SOURCES
               if (source / name).is_file()}
    header = [
        "# GENERATED by scripts/make_lexicon.py -- do not edit: change the tables in the script and run it again.",
        "# kg's verbs and event nouns derived from the CAMEO verb dictionaries of the Open Event Data Alliance",
        f"# ({UPSTREAM}: " + ", ".join(f"{n} sha256:{d}" for n, d in digests.items()) + ").",
        "# The hand lexicon (lexicon.yaml) wins over every entry here. Fields: relation, cameo (the CAMEO code the",
        "# entry was derived from), preps / with / symmetric / mutual / object (as in lexicon.yaml), verbal (the",
        "# relation a verb has in its verbal sense: a politician who attacks a policy criticizes it).",
        "#",
        "# The dictionaries are distributed under the MIT licence:",
    ]
    header += [("# " + line).rstrip() for line in _licence(source).strip().splitlines()]
    order = ("relation", "preps", "with", "symmetric", "mutual", "object", "requires_prep", "verbal", "cameo")
    lines = header + [""]
    for table in ("verbs", "nouns"):
        lines.append(f"{table}:")
        for key in sorted(tables[table]):
            entry = tables[table][key]
            fields = []
            for name in order:
                if name not in entry:
                    continue
                value = entry[name]
                if isinstance(value, list):
                    text = "[" + ", ".join(f'"{v}"' for v in value) + "]"
                elif isinstance(value, bool):
                    text = "true" if value else "false"
                elif name == "cameo":
                    text = f'"{value}"'
                else:
                    text = str(value)
                fields.append(f"{name}: {text}")
            lines.append(f'  "{key}": {{{", ".join(fields)}}}')
    return "\n".join(lines) + "\n"


def stats(tables: dict[str, dict]) -> dict[str, Counter]:
    """Entries per CAMEO root code, for the report."""
    out = {}
    for table in ("verbs", "nouns"):
        out[table] = Counter(entry["cameo"][:2] for entry in tables[table].values())
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--source", type=Path, default=DEFAULT_SOURCE, help="folder of the CAMEO dictionaries")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--model", default=None, help="spaCy pipeline for the word lists (default: kg's)")
    ap.add_argument("--check", action="store_true", help="exit 1 when --out differs from what would be written")
    ap.add_argument("--stats", action="store_true", help="print entries per CAMEO root")
    args = ap.parse_args(argv)
    missing = [name for name in SOURCES if not (args.source / name).is_file()]
    if missing:
        print(f"{args.source}: missing {', '.join(missing)}; pass --source DIR (the cameo-dictionaries folder of "
              "../shared/reference/)", file=sys.stderr)
        return 2
    if args.model is None:
        sys.path.insert(0, str(ROOT))
        from kg.config import DEFAULT_MODEL
        args.model = DEFAULT_MODEL
    words = Words(args.model)
    dictionaries = [read_dictionary(args.source / name) for name in SOURCES]
    hand = yaml.safe_load(HAND_LEXICON.read_text(encoding="utf-8")) if HAND_LEXICON.is_file() else {}
    actor_nouns = frozenset(words.lemma(w.split()[-1], "NOUN") for table in ("institutions", "titles")
                            for w in hand.get(table, ()) if w)
    tables = derive(dictionaries, words, hand_nouns=hand.get("nouns", {}), actor_nouns=actor_nouns,
                    agent_verbs=frozenset(hand.get("noun_agent_verbs", ())))
    text = render(tables, args.source)
    yaml.safe_load(text)  # the file must stay valid YAML
    if args.stats:
        for table, counts in stats(tables).items():
            print(table, len(tables[table]), dict(sorted(counts.items())))
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.is_file() else ""
        if current != text:
            print(f"{args.out} is out of date; run scripts/make_lexicon.py", file=sys.stderr)
            return 1
        return 0
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out}: {len(tables['verbs'])} verbs, {len(tables['nouns'])} nouns")
    return 0


if __name__ == "__main__":
    sys.exit(main())
