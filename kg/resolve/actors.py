"""Canonical actors for one document's mentions, and its relations between them.

* gazetteer names, aliases, demonyms and metonyms give their key; a capital used as a location ("in Ankara")
  becomes the city, not the state;
* nominals ("rebels", "the regime") count only in documents that mention their context actor;
* people: a surname or variant ("Putin", "Lavrantiev") takes up the full name seen before in the document or
  in the build (:class:`Registry`, transliteration-aware, never merging two given names);
* role nouns ("the Russian president") become the person holding that role in the document, else the
  gazetteer's holder on the article's date; "the province" the last place named; "he" the last person.
"""
from __future__ import annotations

import re
from collections import Counter

from kg import cache as _disk_cache
from kg.gazetteer import load_place_names
from kg.model import Actor, DocResult, Mention, RawDoc, Relation
from kg.nlp.sectors import load_sectors
from kg.resolve import names
from kg.resolve.names import provisional_key, same_name, skeleton, slug, strip_honorific, translit_key

__all__ = ["Registry", "resolve_document", "PERSON_RELATIONS"]

#: Relations whose subject must be a person (titles and roles).
PERSON_RELATIONS = frozenset({"leaderOf", "officialOf", "headOfStateOf", "headOfGovernmentOf", "ministerOf",
                              "spokespersonOf", "envoyOf", "ambassadorOf", "commanderOf"})
_PLACE_OBJECT = frozenset({"deploysTo", "controls", "locatedIn"})
_LOOKBACK_SENTENCES = 3


def _surname_bucket(name: str) -> str:
    """First two letters of the transliterated surname: variants (one edit in a long name) share it."""
    words = translit_key(name).split()
    return words[-1][:2] if words else ""


class Registry:
    """Provisional actors seen so far in a build, so spelling variants across documents share one key.

    >>> r = Registry()
    >>> r.key_for("Alexander Lavrentyev", "Person") == r.key_for("Alexander Lavrentiev", "Person")
    True
    """

    def __init__(self) -> None:
        self._people: dict[str, list[tuple[str, str]]] = {}  # surname prefix -> [(name, key)]
        self._other: dict[str, str] = {}
        self._names: dict[str, str] = {}  # key -> the name it was minted from
        self._types: dict[str, str] = {}  # key -> the type it was minted with
        self._surnames: dict[str, set[str]] = {}  # surname -> people named in full in the build (any key)
        self._genders: dict[str, str] = {}  # person key -> "m"/"f" as an honorific told it

    def seed(self, key: str, name: str, actor_type: str) -> None:
        """Make a provisional actor of an earlier build known (its key and canonical name)."""
        self._names.setdefault(key, name)
        self._types.setdefault(key, actor_type)
        if actor_type == "Person":
            self._people.setdefault(_surname_bucket(name), []).append((name, key))
        else:
            self._other.setdefault(_name_index(name), key)

    def name_for(self, key: str, fallback: str) -> str:
        """The one canonical name of a provisional actor: the spelling its key was minted from.

        Every document that mentions the actor gives it the same ``rdfs:label``, whatever variant it used.
        """
        return self._names.get(key, fallback)

    def key_for(self, name: str, actor_type: str) -> str:
        if actor_type == "Person" and len(name.split()) == 1 and _name_index(name) in self._other:
            return self._other[_name_index(name)]  # "Zabadani" a place in one article is not a person in the next
        if actor_type == "Person":
            bucket = self._people.setdefault(_surname_bucket(name), [])
            for known, key in bucket:  # only names whose surnames start alike can be variants of each other
                if len(known.split()) > 1 and len(name.split()) > 1 and same_name(known, name):
                    return key
            key = provisional_key(name, actor_type)
            bucket.append((name, key))
            self._names.setdefault(key, name)
            self._types.setdefault(key, actor_type)
            return key
        # groups, organisations and places: one actor per spelling of a name ("Kefraya" / "Kafraya"), whatever
        # type a document's NER gave it; the first document's type stays (one type per actor)
        index = _name_index(name)
        key = self._other.get(index)
        if key is None and len(name.split()) == 1:
            key = next((k for known, k in self._people.get(_surname_bucket(name), []) if slug(known) == slug(name)), None)
            if key is not None:
                self._other[index] = key
        if key is None:
            key = self._other[index] = provisional_key(name, actor_type)
            self._names.setdefault(key, name)
            self._types.setdefault(key, actor_type)
        return key

    def note_person(self, name: str, key: str, gender: str | None = None) -> None:
        """A person a document named in full (``name`` of two words or more), so a bare surname elsewhere in the
        build can take it up: "Mr Howard" in one article is the "Michael Howard" of others."""
        words = translit_key(name).split()
        if len(words) > 1:
            self._surnames.setdefault(words[-1], set()).add(key)
        if gender:
            self._genders.setdefault(key, gender)

    def by_surname(self, surname: str, gender: str | None = None) -> str | None:
        """The one person of the build named in full with this surname (None when none or several are)."""
        words = translit_key(surname).split()
        keys = self._surnames.get(words[-1], set()) if len(words) == 1 else set()
        if gender:
            keys = {k for k in keys if self._genders.get(k, gender) == gender}
        return next(iter(keys)) if len(keys) == 1 else None

    def type_for(self, key: str, fallback: str) -> str:
        """The one type of a provisional actor: the type it was minted with."""
        return self._types.get(key, fallback)


def _indexes_on_disk(gazetteer, kind: str, make) -> dict[str, str]:
    """``make(gazetteer)``, kept on the gazetteer object and, for a gazetteer loaded from files, in kg's disk cache
    keyed by the files' stamp and this module's code (building the indexes of the ~21,000-entry gazetteer takes
    seconds, in every build)."""
    attr = f"_kg_{kind}"
    cached = getattr(gazetteer, attr, None)
    if cached is not None:
        return cached
    stamp = getattr(gazetteer, "_kg_stamp", None)
    key = (stamp, _disk_cache.source_digest(__file__, names.__file__)) if stamp is not None else None
    cached = _disk_cache.load(kind, key) if key is not None else None
    if not isinstance(cached, dict):
        cached = make(gazetteer)
        if key is not None:
            _disk_cache.store(kind, key, cached)
    try:
        object.__setattr__(gazetteer, attr, cached)
    except (AttributeError, TypeError):
        pass
    return cached


def _skeleton_index(gazetteer) -> dict[str, str]:
    """Consonant skeleton of every name of people, groups, organisations and places -> key (unique ones only): of
    several words, or one word of four consonants or more ("Kefraya" / "Kafraya", "Deir ez-Zor" / "Deir az-Zour")."""
    return _indexes_on_disk(gazetteer, "skeletons", _make_skeleton_index)


def _make_skeleton_index(gazetteer) -> dict[str, str]:
    seen: dict[str, set[str]] = {}
    for key, entry in gazetteer.entries.items():
        if entry.type not in ("Person", "ArmedGroup", "Organization", "Place"):
            continue
        for name in (entry.name, *entry.aliases):
            if _skeleton_worthy(name):
                seen.setdefault(skeleton(name), set()).add(key)
    return {sk: next(iter(keys)) for sk, keys in seen.items() if len(keys) == 1}


def _joined(name: str) -> str:
    """A person's name with the words after the given name run together: "Rami Abdel Rahman" -> "rm bdlrhmn"."""
    words = translit_key(name).split()
    return f"{skeleton(words[0])} {skeleton(''.join(words[1:]))}" if len(words) > 1 else skeleton(name)


def _joined_index(gazetteer) -> dict[str, str]:
    """:func:`_joined` of every person's name of two words or more -> key (unique ones only)."""
    return _indexes_on_disk(gazetteer, "joined", _make_joined_index)


def _make_joined_index(gazetteer) -> dict[str, str]:
    seen: dict[str, set[str]] = {}
    for key, entry in gazetteer.entries.items():
        if entry.type == "Person":
            for name in (entry.name, *entry.aliases):
                if len(name.split()) > 1:
                    seen.setdefault(_joined(name), set()).add(key)
    return {k: next(iter(keys)) for k, keys in seen.items() if len(keys) == 1}


def _name_index(name: str) -> str:
    """What a provisional group, organisation or place is known by across documents: its consonant skeleton when
    long enough to identify it, else its slug."""
    words = name.split()
    if len(words) == 1 and "-" in name and skeleton(name).startswith("l ") and len(name.split("-", 1)[1]) >= 4:
        name = name.split("-", 1)[1]  # "al-Zabadani" is Zabadani
    return skeleton(name) if _skeleton_worthy(name) else slug(name)


def _skeleton_worthy(name: str) -> bool:
    """Whether a name is long enough for its consonants to identify it (not a person's single surname)."""
    consonants = len(re.sub(r"[^a-z]", "", skeleton(name)))
    return len(name.split()) > 1 or consonants >= 4 or consonants == 3 and len(name) >= 6


def _variant_of(entry, text: str) -> bool:
    """Whether ``text``, whose consonants match a name of ``entry``, is a spelling of that name.

    For groups and organisations the consonants are enough ("Jeish al-Islam"); a person's name must also be the same
    name by :func:`~kg.resolve.names.same_name` (given name and surname agree): among tens of thousands of people,
    "Mr Lane" has the consonants of "Mario Lino" and "Mahmoud Abbas" those of "Mohammad Abbasi".

    >>> from kg.gazetteer import Entry
    >>> mino = Entry(id="X", type="Person", name="Mario Lino")
    >>> _variant_of(mino, "Mr Lane"), _variant_of(mino, "Mario Lino")
    (False, True)
    """
    if entry is None:
        return False
    if entry.type != "Person":
        return entry.type != "Place" or len(text.split()) > 1 or len(text) >= 5
    return any(same_name(text, name) for name in (entry.name, *entry.aliases) if len(name.split()) > 1)


def _place_index(gazetteer) -> dict[str, str]:
    cached = getattr(gazetteer, "_kg_place_by_name", None)
    if cached is None:
        cached = {}
        for key, entry in gazetteer.entries.items():
            if entry.type == "Place":
                cached.setdefault(entry.name.lower(), key)
        try:
            object.__setattr__(gazetteer, "_kg_place_by_name", cached)
        except (AttributeError, TypeError):
            pass
    return cached


def _organ_state(gazetteer, entry) -> str | None:
    """The state a government body or state military belongs to: organs of a state act as the state.

    "The Russian defence ministry said", "the Syrian Arab Army shelled": GDELT-style actor coding treats them as
    the state (with a GOV or MIL sector); the organ's own name stays on the mention and as an alternative label.
    """
    if entry.type != "Organization" or not (entry.subtype in ("GovernmentBody", "Military") or entry.sector in ("GOV", "MIL")):
        return None
    for link in entry.affiliated_with:
        target = gazetteer.get(link.of)
        if target is not None and target.type == "State":
            return link.of
    return None


class _DocResolver:
    def __init__(self, raw: RawDoc, gazetteer, registry: Registry):
        self.raw = raw
        self.gaz = gazetteer
        self.registry = registry
        self.keys: list[str | None] = [None] * len(raw.mentions)
        self.types: list[str | None] = [None] * len(raw.mentions)
        self.names: dict[str, set[str]] = {}
        self.provisional: dict[str, tuple[str, str]] = {}
        self.sector_actors: dict[str, tuple[str, str]] = {}  # "SYR_CVL" -> ("Syrian civilians", "Group")
        self.genders: dict[str, str] = {}  # person key -> "m"/"f", from the honorifics the document gives them
        self.context = set()
        self.about: set[str] = set()  # states the article is about: its context, and the homes of its actors
        for m in raw.mentions:
            key = m.ref if m.ref and m.kind != "nominal" else None
            for _ in range(5):  # Afrin -> Aleppo province -> Syria
                entry = gazetteer.get(key) if key else None
                if entry is None:
                    break
                self.context.add(key)
                organ_of = _organ_state(gazetteer, entry)
                if organ_of:
                    self.context.add(organ_of)  # "Syrian troops" (the Syrian Arab Army): Syria
                home = gazetteer.get((entry.cameo or "")[:3])
                if home is not None and home.type == "State":
                    self.about.add(home.id)  # "Labour" (GBRPTY): an article about Britain
                key = entry.located_in

    # -- helpers ---------------------------------------------------------------------------------------------
    def _type(self, key: str | None) -> str | None:
        if key is None:
            return None
        entry = self.gaz.get(key)
        if entry is not None:
            return entry.type
        if key in self.sector_actors:
            return self.sector_actors[key][1]
        return self.provisional.get(key, (None, None))[1]

    def _recent(self, i: int, want) -> str | None:
        m = self.raw.mentions[i]
        for j in range(i - 1, -1, -1):
            other = self.raw.mentions[j]
            if m.sentence - other.sentence > _LOOKBACK_SENTENCES:
                break
            key = self.keys[j]
            if key is not None and want(key, other):
                return key
        return None

    # -- one mention -----------------------------------------------------------------------------------------
    def resolve(self, i: int) -> str | None:
        m = self.raw.mentions[i]
        gaz = self.gaz
        if m.ref:
            entry = gaz.get(m.ref)
            if entry is None:
                return None
            if m.kind == "nominal" and not (set(entry.context) & self.context or not entry.context):
                return None
            if m.place_use and entry.type == "State" and m.kind == "metonym":
                return _place_index(gaz).get(m.text.lower(), m.ref)
            return _organ_state(gaz, entry) or m.ref
        if m.kind == "ner":
            text, gender, titled = strip_honorific(m.text)
            known = self._gazetteer_variant(text)
            if known is None and re.search(r"[^s]s$", text):
                # a possessive that lost its apostrophe: "Hezballahs official television"
                known = self._gazetteer_variant(text[:-1])
            if known is not None:
                return known  # "Jeish al-Islam" is the gazetteer's Jaish al-Islam
            if m.label == "PERSON" or titled or len(text.split()) == 1:
                # "Mr Blair", "Blair" (NER may even call a surname an organisation): the person named in full earlier
                earlier = self._named_person(i, text, gender)
                if earlier is None and re.search(r"[^s]s$", text) and len(text.split()) == 1:
                    earlier = self._named_person(i, text[:-1], gender)  # "Nohas" after "Noha"
                if earlier is None and (m.label == "PERSON" or titled) and len(text.split()) == 1 \
                        and not m.place_use:
                    earlier = self.registry.by_surname(text, gender)  # named in full in another article
                    if earlier is not None and self.gaz.get(earlier) is None:
                        self.provisional.setdefault(earlier, (self.registry.name_for(earlier, text),
                                                              self.registry.type_for(earlier, "Person")))
                if earlier is not None:
                    return earlier
            town = not titled and self._town(text, m.label)
            if titled or m.label == "PERSON" and not (m.place_use or town):
                return self._provisional(text, "Person")
            # "in Zabadani", "near Kefraya": a name used as a location is a place, whatever NER called it; so is a
            # town's name ("Jayrud", "Bournemouth")
            actor_type = "Place" if m.place_use or town else {"ORG": "Organization", "GPE": "Place", "LOC": "Place",
                                                              "FAC": "Place"}.get(m.label)
            return self._provisional(m.text, actor_type) if actor_type else None
        if m.kind == "role" and m.of is not None:
            owner = self.keys[m.of] if m.of < i else self.resolve(m.of)
            if not owner:
                return None
            # "the Chinese ambassador" whom neither the document nor the gazetteer names acts for China, as event
            # coders code an unnamed official by the state he serves (CHNGOV)
            return self._role_holder(i, owner, m.role) or (
                owner if self._type(owner) in ("State", "Organization", "ArmedGroup") else None)
        if m.kind == "institution":
            # "the army" after "the Turkish army": that state's; else "the regime", "government forces": the
            # government of the country the story happens in
            return self._named_before(i, m.role) or self._scene_state() or \
                self._recent(i, lambda k, o: self._type(k) == "State" and not o.place_use)
        if m.kind == "place_anaphor":
            return self._salient_place(i, m.role)
        if m.kind == "agent":
            return self._sector_actor(i, m)
        if m.kind == "pronoun_it" and m.of is not None:
            return self.keys[m.of] if m.of < i else None
        if m.kind == "pronoun":
            return self._recent(i, lambda k, o: self._type(k) == "Person" and o.kind != "pronoun")
        return None

    def _gazetteer_variant(self, text: str) -> str | None:
        """The gazetteer actor ``text`` spells differently: same consonants ("Jeish al-Islam"), or for a person a
        surname of two words written as one ("Rami Abdel Rahman" / "Rami Abdulrahman")."""
        if not _skeleton_worthy(text):
            return None
        known = _skeleton_index(self.gaz).get(skeleton(text))
        if known is None and len(text.split()) > 2:
            known = _joined_index(self.gaz).get(_joined(text))
        return known if known and _variant_of(self.gaz.get(known), text) else None

    def _town(self, text: str, label: str) -> bool:
        """Whether a name the gazetteer does not know is a town's in a state the article is about ("Jayrud" in a
        story about Syria, "Bournemouth" in one about British parties); a "person" only by a one-word name (a
        surname is more often someone's: "Howard", "Lincoln"). A town elsewhere tells nothing: "Liberty" in a
        British story is the rights group, not the town in Missouri."""
        countries = load_place_names().get(text.lower())
        if not countries or label == "PERSON" and len(text.split()) > 1:
            return False
        return bool(countries & (self.context | self.about))

    def _state_of(self, key: str | None) -> str | None:
        """``key`` when it is a state, the state a gazetteer place lies in, else None."""
        for _ in range(5):
            entry = self.gaz.get(key) if key else None
            if entry is None:
                return None
            if entry.type == "State":
                return key
            key = entry.located_in if entry.type == "Place" else None
        return None

    def _sector_actor(self, i: int, m) -> str | None:
        """The actor an agent noun denotes ("Syrian civilians" -> SYR_CVL, "protesters" -> the scene's protesters,
        "Amnesty activists" -> Amnesty): its state's or group's sector actor, or the group itself."""
        sectors = load_sectors()
        owner = None
        if m.of is not None:
            owner = self.keys[m.of] if m.of < i else self.resolve(m.of)
        state = self._state_of(owner)
        if sectors.is_organ(m.role):
            return state  # "a court in Istanbul": Turkey
        if owner is not None and state is None and self._type(owner) in ("ArmedGroup", "Organization", "Person"):
            return owner  # "Amnesty activists": the organisation itself
        if owner is not None and state is None and self._type(owner) != "Group":
            owner = None
        if owner is None and sectors.uses_scene(m.role):
            state = self._scene_state()
        base = state or owner
        key = sectors.actor_key(base, m.role)
        if key not in self.sector_actors:
            entry = self.gaz.get(base) if base else None
            adjective = (entry.demonyms[0] if entry is not None and entry.demonyms else entry.name if entry else None)
            self.sector_actors[key] = (sectors.actor_name(adjective, m.role), sectors.actor_type(m.role))
        return key

    def _named_person(self, i: int, text: str, gender: str | None) -> str | None:
        """The person mention ``i`` (a surname, a name with an honorific, or a variant spelling) takes up: the most
        recent person named in full earlier in the document by the same name, never one that an honorific of the
        other gender named. "Tony Blair ... Mr Blair ... Blair" is one person; "Mrs Blair" after "Cherie Blair" is
        her, and "Cherie Blair" after "Mr Blair" is not him.
        """
        if not text.split():
            return None
        best = None
        for j in range(i - 1, -1, -1):
            other, key = self.raw.mentions[j], self.keys[j]
            if not key or self._type(key) != "Person" or other.kind not in ("name", "alias", "ner"):
                continue
            other_text = strip_honorific(other.text)[0]
            if len(other_text.split()) < 2 or not same_name(other_text, text):
                continue  # only a full name is an antecedent
            known = self.genders.get(key)
            if gender and known and known != gender:
                continue
            if not gender or known == gender:
                best = key
                break
            best = best or key
        if best is not None and gender:
            self.genders.setdefault(best, gender)
        return best

    def _named_before(self, i: int, noun: str | None) -> str | None:
        """The state of the last "Turkish army" / "Russia's military" before mention ``i``, for "the army"."""
        if not noun:
            return None
        text = self.raw.article.text
        pattern = re.compile(rf"^(?:['’]s)?\s+(?:[\w-]+\s+)?{re.escape(noun)}", re.I)
        for j in range(i - 1, -1, -1):
            other = self.raw.mentions[j]
            key = self.keys[j]
            if key and other.kind in ("demonym", "name", "alias", "metonym") and self._type(key) == "State" \
                    and (pattern.match(text[other.end:other.end + 40]) or other.text.lower().endswith(noun)):
                return key
        return None

    def _scene_state(self) -> str | None:
        """The state whose places the document mentions most (where the story happens)."""
        if not hasattr(self, "_scene"):
            votes: Counter = Counter()
            for m in self.raw.mentions:
                if not m.ref or m.kind in ("nominal", "demonym"):
                    continue
                entry = self.gaz.get(m.ref)
                if entry is not None and entry.type == "State" and m.place_use:
                    votes[m.ref] += 1  # "in Britain", "in Baghdad": the state as the place things happen
                elif entry is not None and entry.type == "Place" and entry.located_in:
                    state = entry.located_in
                    while self.gaz.get(state) is not None and self.gaz.get(state).type == "Place" and self.gaz.get(state).located_in:
                        state = self.gaz.get(state).located_in
                    votes[state] += 1
            self._scene = votes.most_common(1)[0][0] if votes else None
        return self._scene

    def _salient_place(self, i: int, noun: str | None) -> str | None:
        """The place "the province" or "the city" stands for: the most mentioned fitting place before it."""
        want = {"city": "City", "town": "City"}.get(noun or "", "Region")
        counts: Counter = Counter()
        last: dict[str, int] = {}
        for j in range(i):
            key = self.keys[j]
            if key is None or self.raw.mentions[j].kind == "place_anaphor":
                continue
            entry = self.gaz.get(key)
            is_place = (entry is not None and entry.type == "Place") or self._type(key) == "Place"
            if not is_place:
                continue
            fit = entry is None or entry.subtype in (None, want)
            counts[key] += 2 if fit else 1
            last[key] = j
        if not counts:
            return None
        return max(counts, key=lambda k: (counts[k], last[k]))

    def _states_led(self, person: str | None) -> list[str]:
        if not person:
            return []
        date = self.raw.article.date
        return [r.of for r in self.gaz.roles_of(person, on=date) if r.relation in ("headOfStateOf", "headOfGovernmentOf", "leaderOf")]

    def _role_holder(self, i: int, owner: str, role: str | None) -> str | None:
        # a person given that title for that owner earlier in the document
        family = {"headOfStateOf", "headOfGovernmentOf", "leaderOf"} if role in ("headOfStateOf", "headOfGovernmentOf", "leaderOf") else {role}
        for r in self.raw.relations:
            if r.predicate in family and r.object < len(self.keys) and self.keys[r.object] == owner \
                    and r.subject < i and self.keys[r.subject]:
                return self.keys[r.subject]
        if role in ("officialOf", "envoyOf", "ambassadorOf", "spokespersonOf", "ministerOf"):
            for r in self.raw.relations:
                if r.predicate in PERSON_RELATIONS and r.subject < i and r.object < len(self.keys) \
                        and self.keys[r.object] == owner and self.keys[r.subject]:
                    return self.keys[r.subject]
        holders = self.gaz.holders(owner, None, on=self.raw.article.date)
        picked = {p for p, r in holders if r.relation in family or (role == "leaderOf" and r.relation in
                                                                     ("headOfStateOf", "headOfGovernmentOf"))}
        return picked.pop() if len(picked) == 1 else None

    def _provisional(self, name: str, actor_type: str) -> str:
        key = self.registry.key_for(name, actor_type)
        self.provisional.setdefault(key, (name, self.registry.type_for(key, actor_type)))
        return key

    # -- the document ----------------------------------------------------------------------------------------
    def run(self) -> DocResult:
        raw = self.raw
        for i, m in enumerate(raw.mentions):
            if self.keys[i] is None:
                self.keys[i] = self.resolve(i)
            if self.keys[i] is not None and m.kind not in ("pronoun", "pronoun_it", "place_anaphor", "institution", "role") \
                    and not (m.kind == "agent" and self.keys[i] not in self.sector_actors):
                self.names.setdefault(self.keys[i], set()).add(m.text)
                if m.kind in ("name", "alias", "ner") and self._type(self.keys[i]) == "Person":
                    text, gender, _ = strip_honorific(m.text)
                    self.registry.note_person(text, self.keys[i], gender or self.genders.get(self.keys[i]))
        relations = []
        for r in raw.relations:
            s, o = self.keys[r.subject], self.keys[r.object]
            if s is None or o is None or s == o:
                continue
            if r.predicate in PERSON_RELATIONS and self._type(s) != "Person":
                continue
            if r.predicate in PERSON_RELATIONS and self._type(o) in ("Place", "Event"):
                continue
            speakers = tuple(dict.fromkeys(k for k in (self.keys[x] for x in r.speakers) if k and k != s))
            evidence = r.evidence if speakers == r.evidence.speakers else _with_speakers(r.evidence, speakers)
            relations.append(Relation(subject=s, predicate=r.predicate, object=o, evidence=evidence))
        # news agencies are sources, not actors: they stay only where they assert something; a sector of nobody in
        # particular ("Civilians", "Government" in a story that names no state) only where it takes part in one
        speakers = {k for r in relations for k in r.evidence.speakers}
        related = {x for r in relations for x in (r.subject, r.object)} | speakers
        for i, key in enumerate(self.keys):
            entry = self.gaz.get(key) if key else None
            if entry is not None and entry.subtype == "MediaOrganization" and key not in speakers:
                self.keys[i] = None
            elif key in self.sector_actors and "_" not in key and key not in related:
                self.keys[i] = None
        used = {k for k in self.keys if k} | {x for r in relations for x in (r.subject, r.object)} | speakers
        actors = {}
        for key in sorted(used):
            entry = self.gaz.get(key)
            seen = frozenset(self.names.get(key, ()))
            if entry is not None:
                actors[key] = Actor(key=key, name=entry.name, type=entry.type, subtype=entry.subtype, names=seen)
            elif key in self.sector_actors:
                name, actor_type = self.sector_actors[key]
                actors[key] = Actor(key=key, name=name, type=actor_type, names=seen)
            else:
                name, actor_type = self.provisional.get(key, (key, self.registry.type_for(key, "Organization")))
                actors[key] = Actor(key=key, name=self.registry.name_for(key, name), type=actor_type,
                                    provisional=True, names=seen)
        mentions = tuple(Mention(key=k, text=m.text, start=m.start, end=m.end, sentence=m.sentence)
                         for k, m in zip(self.keys, raw.mentions) if k is not None)
        return DocResult(article=raw.article, actors=actors, mentions=mentions, relations=tuple(relations))


def _with_speakers(evidence, speakers):
    from dataclasses import replace

    return replace(evidence, speakers=speakers, modality="reported" if speakers and evidence.modality == "asserted"
                   else evidence.modality)


def resolve_document(raw: RawDoc, gazetteer, registry: Registry | None = None) -> DocResult:
    """Canonical actors, mentions and relations of one parsed document."""
    return _DocResolver(raw, gazetteer, registry or Registry()).run()
