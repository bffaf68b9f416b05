"""The spaCy pipeline kg builds: gazetteer names recognised with the right case rules."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def nlp():
    from kg.config import load_settings
    from kg.gazetteer import load_gazetteer
    from kg.nlp.pipeline import load_pipeline

    settings = load_settings()
    return load_pipeline(settings.model, load_gazetteer(settings.ontology))


def _ids(nlp, text):
    return [(e.text, e.ent_id_.split("#")[0]) for e in nlp(text).ents if e.ent_id_]


@pytest.mark.parametrize("text,expected,absent", [
    ("The turkey was eaten in Turkey.", [("Turkey", "TUR")], ["turkey"]),
    ("IS fighters said it is over.", [("IS", "ISIS")], ["is"]),
    ("The US said it would help us.", [("US", "USA")], ["us"]),
    ("al-Qaeda-linked Hay’at Tahrir al-Sham attacked.", [("al-Qaeda", "AQ"), ("Hay’at Tahrir al-Sham", "HTS")], []),
    ("Rebels and rebels met.", [("Rebels", "SYR_OPPOSITION"), ("rebels", "SYR_OPPOSITION")], []),
    ("Syrias Idlib province", [("Syrias", "SYR"), ("Idlib province", "IDLIB")], []),
])
def test_gazetteer_names_match_with_the_right_case(nlp, text, expected, absent):
    found = _ids(nlp, text)
    for item in expected:
        assert item in found, found
    for word in absent:
        assert word not in [t for t, _ in found]


def test_the_longest_name_wins(nlp):
    assert ("Hayat Tahrir al-Sham", "HTS") in _ids(nlp, "Hayat Tahrir al-Sham controls Idlib.")


@pytest.mark.model
def test_a_byline_participle_deploys_nobody():
    """ "Posted on August 12 2016 by <author> <headline>": a bare participle heading a byline has no agent to deploy
    (found in FA-KES: "Posted ... by Youssef Diab Russians and the Syrian Regime ... Attack Aleppo" gave a deployment)."""
    import json

    from kg.pipeline import extract_text
    from tests.conftest import shared_path

    path = shared_path("corpus", "fakes", "fakes_articles.jsonl")
    with path.open(encoding="utf-8") as fh:
        record = next(r for r in map(json.loads, fh) if r["id"] == "fakes-1918150044")
    result = extract_text(record["text"], doc_id=record["id"])
    assert not [r for r in result.relations if r.predicate == "deploysTo"]
    assert not [r for r in result.relations if r.evidence.rule == "verb:post"]


def test_pipelines_are_cached_by_gazetteer_content(tmp_path):
    """Equal gazetteers loaded twice share one pipeline (not two of ~250 MB); a different gazetteer gets its own,
    which knows its names."""
    from kg.config import load_settings
    from kg.gazetteer import load_gazetteer
    from kg.nlp.pipeline import load_pipeline

    import copy

    settings = load_settings()
    gazetteer = load_gazetteer(settings.ontology)
    first = load_pipeline(settings.model, gazetteer)
    assert load_pipeline(settings.model, copy.deepcopy(gazetteer)) is first  # another object, the same content
    user = tmp_path / "mine.yaml"
    user.write_text("- {id: ZORBLAT, type: ArmedGroup, name: Zorblat Brigade}\n", encoding="utf-8")
    other = load_pipeline(settings.model, load_gazetteer(settings.ontology, (user,)))
    assert other is not first
    assert ("Zorblat Brigade", "ZORBLAT") in _ids(other, "The Zorblat Brigade attacked.")
    assert ("Zorblat Brigade", "ZORBLAT") not in _ids(first, "The Zorblat Brigade attacked.")
