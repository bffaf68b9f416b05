"""Sector actors: agent nouns ("civilians", "gunmen", "police") make actors by their sector and their people."""
from __future__ import annotations

import pytest

from kg.errors import KgError
from kg.nlp.sectors import load_sectors


def test_sector_table_loads_and_names_actors():
    table = load_sectors()
    assert table.sector_of("civilian") == "CVL" and table.sector_of("aid worker") == "NGO"
    assert table.is_organ("MIL") and not table.is_organ("REB")
    assert table.actor_name("Syrian", "CVL") == "Syrian people"
    assert table.actor_name(None, "PTR") == "Protesters"
    assert table.actor_type("REB") == "ArmedGroup"


def test_an_agent_noun_naming_an_unknown_sector_is_refused(tmp_path):
    bad = tmp_path / "sectors.yaml"
    bad.write_text("sectors:\n  CVL: {name: civilians}\nagents:\n  civilian: CVL\n  gunman: XYZ\n")
    with pytest.raises(KgError, match="unknown sectors"):
        load_sectors(str(bad))


@pytest.mark.model
@pytest.mark.parametrize("text,expected", [
    # nationality + agent noun: the state's people, not the state
    ("Israeli troops killed two Palestinian gunmen.", {("ISR", "PSE_REB")}),
    # a people's fighters are that people's armed groups; a group's fighters are the group
    ("Kurdish fighters attacked Islamic State positions.", {("KURDS_REB", "ISIS")}),
    ("Hezbollah fighters attacked Syrian rebels.", {("HEZBOLLAH", "SYR_OPPOSITION")}),
    ("Fighters loyal to the Nusra Front attacked Hama.", {("NUSRA", "CITY_HAMA")}),
    # residents of a place belong to its state
    ("Government forces shelled residents of Aleppo.", {("SYR", "SYR_CVL")}),
])
def test_sector_actors_in_relations(text, expected):
    from kg.pipeline import extract_text

    result = extract_text(text)
    got = {(r.subject, r.object) for r in result.relations if r.predicate not in ("leaderOf", "locatedIn")}
    assert expected <= got, got


@pytest.mark.model
def test_sector_actor_names_and_types():
    from kg.pipeline import extract_text

    result = extract_text("Syrian civilians fled as Kurdish fighters advanced.")
    assert result.actors["SYR_CVL"].name == "Syrian people" and result.actors["SYR_CVL"].type == "Group"
    assert result.actors["KURDS_REB"].name == "Kurdish armed groups"
    assert result.actors["KURDS_REB"].type == "ArmedGroup" and not result.actors["KURDS_REB"].provisional
