"""`kg build` through typer's CliRunner: outputs, exit codes, skipped inputs reported, nothing lost."""
from __future__ import annotations

import json
import shutil

import pytest
from typer.testing import CliRunner

from kg.cli import app
from tests.conftest import ROOT

pytestmark = pytest.mark.model
runner = CliRunner()


def test_build_writes_every_output_and_exits_zero(tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(ROOT / "seeds"), "--out", str(out), "--no-progress"])
    assert result.exit_code == 0, result.output
    for path in ("store", "graph.trig", "report.md", "report.json", "site/index.html", "build.json"):
        assert (out / path).exists(), path
    report = json.loads((out / "build.json").read_text())
    assert report["documents"] == 5 and report["skipped"] == []
    assert "built 5 document(s)" in result.output


def test_missing_input_exits_non_zero_naming_the_path(tmp_path):
    result = runner.invoke(app, ["build", str(tmp_path / "nope.txt"), "--out", str(tmp_path / "o")])
    assert result.exit_code != 0
    assert "nope.txt" in result.output


def test_empty_and_unreadable_inputs_are_reported_and_the_rest_is_built(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(ROOT / "seeds" / "003_6b7a9078bdc0757f.txt", src / "good.txt")
    (src / "empty.txt").write_text("   \n\t\n", encoding="utf-8")
    (src / "binary.txt").write_bytes(b"\x00\x01\x02 not text \x00" * 20)
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(src), "--out", str(out), "--no-progress", "--no-site", "--no-analysis"])
    assert result.exit_code == 3, result.output  # some inputs skipped, the rest built
    report = json.loads((out / "build.json").read_text())
    assert report["documents"] == 1
    reasons = {r["input"].rsplit("/", 1)[-1]: r["reason"] for r in report["skipped"]}
    assert set(reasons) == {"empty.txt", "binary.txt"}
    assert "empty" in reasons["empty.txt"] and "binary" in reasons["binary.txt"]


def test_rebuilding_the_same_input_changes_nothing(tmp_path):
    from kg.graph.store import Store

    out = tmp_path / "out"
    args = ["build", str(ROOT / "seeds"), "--out", str(out), "--no-progress", "--no-site", "--no-analysis"]
    assert runner.invoke(app, args).exit_code == 0
    with Store.open(out / "store") as store:
        first = store.canonical_hash()
    second_run = runner.invoke(app, args)
    assert second_run.exit_code == 0
    assert json.loads((out / "build.json").read_text())["unchanged"] == 5
    with Store.open(out / "store") as store:
        assert store.canonical_hash() == first


def test_the_export_is_this_builds_graph_and_byte_identical_when_rebuilt(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for seed in sorted((ROOT / "seeds").glob("*.txt"))[:2]:
        shutil.copy(seed, src / seed.name)
    out = tmp_path / "out"
    args = ["build", str(src), "--out", str(out), "--no-progress", "--no-site"]
    assert runner.invoke(app, args).exit_code == 0
    first = (out / "graph.trig").read_bytes()
    assert b"kg:pageRank \"" in first  # this build's metrics, not an earlier build's (the first build had none)
    assert runner.invoke(app, args).exit_code == 0
    assert (out / "graph.trig").read_bytes() == first
    fresh = tmp_path / "fresh"
    assert runner.invoke(app, ["build", str(src), "--out", str(fresh), "--no-progress", "--no-site"]).exit_code == 0
    assert (fresh / "graph.trig").read_bytes() == first
    # without the analysis, no metrics at all: the earlier ones describe another build
    assert runner.invoke(app, args + ["--no-analysis"]).exit_code == 0
    assert b"kg:pageRank \"" not in (out / "graph.trig").read_bytes()


def test_spelling_variants_merge_across_incremental_builds(tmp_path):
    from kg.graph.store import Store

    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    (first / "one.txt").write_text("Yusuf Karimov, a Syrian commander, met Turkish officials in Ankara.\n")
    (second / "two.txt").write_text("Yusuf Karimow said the talks had failed.\n")
    out = tmp_path / "out"
    for folder in (first, second):
        result = runner.invoke(app, ["build", str(folder), "--out", str(out), "--no-progress", "--no-site",
                                     "--no-analysis"])
        assert result.exit_code == 0, result.output
    with Store.open(out / "store") as store:
        people = [a for a in store.provisional_actors() if "karimo" in a[0]]
    assert len(people) == 1, people


def test_the_extractor_fingerprint_covers_every_rule_module():
    """A change to any module of the extraction code or its data re-extracts documents on the next build: the
    fingerprint once read only kg/nlp/*.py, so edits to kg/nlp/relations/*.py left stale results in the store."""
    from kg.build import extractor_files
    from kg.config import load_settings

    settings = load_settings()
    covered = {p.resolve() for p in extractor_files(settings)}
    package = ROOT / "kg"
    needed = [p for sub in ("nlp", "resolve") for p in (package / sub).rglob("*.py")]
    needed += list((package / "nlp" / "patterns").glob("*.yaml")) + [settings.ontology / "kg.ttl"]
    # what resolution reads: the gazetteer's loader, the agent nouns and the town names it types places by
    needed += [package / "gazetteer.py"] + [p for p in (package / "data").rglob("*") if p.is_file()]
    assert (package / "nlp" / "relations" / "clauses.py") in needed
    assert (package / "data" / "place_names.tsv.gz") in needed
    missing = [str(p) for p in needed if p.resolve() not in covered]
    assert not missing, missing
