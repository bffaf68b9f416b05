"""Extraction on news kg was not written from: the event-coded dev set (../shared/gold/events/events-dev.jsonl,
1,153 world-news sentences whose source, target and event class political scientists coded), built as a user
builds it and scored by the shared scorer (../shared/eval/score_events.py).

The floors are where kg stands now (pair F1 0.572, recall 0.471, event precision 0.729 on 3 Dec 2026, second session),
a little below so that noise in a model upgrade does not fail it: they catch a regression, they are not
the issue's target (pair F1 0.60). Raise them as the work lands; never lower them to get green.
"""
from __future__ import annotations

import json
import subprocess

import pytest

from tests.conftest import ROOT, shared_path

pytestmark = pytest.mark.model

F1_FLOOR = 0.56
RECALL_FLOOR = 0.45
PRECISION_FLOOR = 0.70


@pytest.fixture(scope="module")
def dev_scores(tmp_path_factory):
    from kg.build import build

    gold = shared_path("gold", "events", "events-dev.jsonl")
    scorer = shared_path("eval", "score_events.py")
    python = subprocess.run(["bash", str(shared_path("eval", "scorer-python"))], check=True, capture_output=True,
                            text=True, timeout=600).stdout.strip()
    out = tmp_path_factory.mktemp("dev-build")
    build([gold], out=out)
    done = subprocess.run([python, str(scorer), str(gold), str(out / "graph.trig"), "--ontology", str(ROOT / "ontology"),
                           "--json"], check=True, capture_output=True, text=True, timeout=600)
    return json.loads(done.stdout)


def test_dev_set_pair_scores_stay_above_their_floors(dev_scores):
    assert dev_scores["pair_recall"] >= RECALL_FLOOR, dev_scores
    assert dev_scores["precision"] >= PRECISION_FLOOR, dev_scores
    assert dev_scores["pair_f1"] >= F1_FLOOR, dev_scores


def test_dev_set_relations_mostly_agree_with_the_coded_polarity(dev_scores):
    """A pair found with the wrong side (cooperation for a coded conflict) is rare: typed recall stays close."""
    assert dev_scores["typed_recall"] >= dev_scores["pair_recall"] - 0.03, dev_scores
