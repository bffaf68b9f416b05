"""Extraction quality on the seed articles against the hand-annotated gold relations (../shared/gold)."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import ROOT, shared_path

pytestmark = pytest.mark.model


def test_seeds_meet_the_quality_targets(seeds_build):
    from kg.evaluate import score_export

    out, _ = seeds_build
    gold = shared_path("gold", "seeds.gold")
    report = score_export(gold, out / "graph.trig", ROOT / "ontology")
    assert len(report["docs_found"]) == 5
    assert report["forbidden"] == 0, [d["forbidden"] for d in report["docs"].values()]
    assert report["precision"] >= 0.85, report
    assert report["recall"] >= 0.80, report


def test_kg_eval_agrees_with_the_shared_scorer(seeds_build):
    from kg.evaluate import score_export

    out, _ = seeds_build
    gold = shared_path("gold", "seeds.gold")
    scorer = shared_path("eval", "score.py")
    theirs = json.loads(subprocess.run(
        [sys.executable, str(scorer), str(gold), str(out / "graph.trig"), "--ontology", str(ROOT / "ontology"), "--json"],
        check=True, capture_output=True, text=True).stdout)
    ours = score_export(gold, out / "graph.trig", ROOT / "ontology")
    for key in ("tp", "fp", "fn", "neutral", "forbidden"):
        assert ours[key] == theirs[key], key
    assert ours["precision"] == pytest.approx(theirs["precision"])
    assert ours["recall"] == pytest.approx(theirs["recall"])


def test_evidence_spans_lie_inside_their_sentence():
    from kg.config import load_settings
    from kg.gazetteer import load_gazetteer
    from kg.ingest import iter_articles
    from kg.model import Article
    from kg.pipeline import extract_documents

    settings = load_settings()
    gaz = load_gazetteer(settings.ontology)
    articles = [a for a in iter_articles([ROOT / "seeds"]) if isinstance(a, Article)]
    checked = 0
    for result in extract_documents(articles, settings=settings, gazetteer=gaz):
        text = result.article.text
        for rel in result.relations:
            ev = rel.evidence
            assert text[ev.sentence_start:ev.sentence_start + len(ev.sentence)] == ev.sentence
            assert ev.sentence_start <= ev.start <= ev.end <= ev.sentence_start + len(ev.sentence), rel
            checked += 1
        for m in result.mentions:
            assert text[m.start:m.end] == m.text
    assert checked > 50
