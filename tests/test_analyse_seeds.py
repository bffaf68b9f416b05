"""End to end on seeds/: the Idlib articles' main actors come out central and Turkey and Syria apart."""
from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
STATES = {"RUS": "Russia", "TUR": "Turkey", "SYR": "Syria", "IRN": "Iran"}
LEADERS = ("Putin", "Erdogan", "Assad", "Rouhani")
TOP = 12

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> dict:
    if not SEEDS.is_dir():
        pytest.skip(f"{SEEDS} is absent")
    from kg.build import build

    out = tmp_path_factory.mktemp("seeds-out")
    build([SEEDS], out=out, site=False, analysis=True)
    return json.loads((out / "report.json").read_text(encoding="utf-8"))


def _best_rank(report: dict, match) -> int | None:
    """Best 1-based rank, by PageRank or by degree, of the actors ``match`` accepts."""
    by_rank = report["actors"]
    by_degree = sorted(report["actors"], key=lambda a: (-a["degree"], str(a["key"])))
    ranks = [i + 1 for ranking in (by_rank, by_degree) for i, a in enumerate(ranking) if match(a)]
    return min(ranks) if ranks else None


@pytest.mark.parametrize("key", sorted(STATES))
def test_states_are_central(report, key):
    rank = _best_rank(report, lambda a: a["key"] == key)
    assert rank is not None and rank <= TOP, f"{STATES[key]} ranks {rank}; top: {[a['key'] for a in report['top']]}"


def _fold(text: str | None) -> str:
    """``Erdoğan`` -> ``erdogan``."""
    return "".join(c for c in unicodedata.normalize("NFKD", text or "") if not unicodedata.combining(c)).lower()


@pytest.mark.parametrize("name", LEADERS)
def test_leaders_are_central(report, name):
    rank = _best_rank(report, lambda a: a["type"] == "Person" and _fold(name) in _fold(a["label"]) + _fold(a["key"]))
    assert rank is not None and rank <= TOP, f"{name} ranks {rank}; top: {[a['key'] for a in report['top']]}"


def test_turkey_and_syria_sit_in_different_blocs(report):
    bloc = {a["key"]: a["bloc"] for a in report["actors"]}
    assert bloc.get("TUR") is not None and bloc.get("SYR") is not None
    assert bloc["TUR"] != bloc["SYR"], report["blocs"]
