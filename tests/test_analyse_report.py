"""run_analysis end to end on a small store written through kg.graph.store (no spaCy model)."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from kg.analyse.report import analyse_graph, run_analysis
from kg.config import Settings
from kg.errors import KgError, StoreError
from kg.model import Actor, Article, DocResult, Evidence, Relation

ACTORS = {
    "RUS": Actor("RUS", "Russia", "State"), "SYR": Actor("SYR", "Syria", "State"),
    "TUR": Actor("TUR", "Turkey", "State"), "IRN": Actor("IRN", "Iran", "State"),
    "FSA": Actor("FSA", "Free Syrian Army", "ArmedGroup"), "USA": Actor("USA", "United States", "State"),
    "PUTIN": Actor("PUTIN", "Vladimir Putin", "Person"),
}


def doc(doc_id: str, date: str, *triples) -> DocResult:
    text = " ".join(f"{s} {p} {o}." for s, p, o, *_ in triples)
    relations, offset = [], 0
    for s, p, o, *modality in triples:
        sentence = f"{s} {p} {o}."
        relations.append(Relation(s, p, o, Evidence(sentence, offset, offset, offset + len(sentence),
                                                    modality=modality[0] if modality else "asserted",
                                                    confidence=0.8, rule="test")))
        offset += len(sentence) + 1
    keys = {k for s, _, o, *_ in triples for k in (s, o)}
    return DocResult(Article(doc_id, text, f"hash-{doc_id}-{text}", title=f"Story {doc_id}", date=date),
                     actors={k: ACTORS[k] for k in keys}, relations=tuple(relations))


DOCS = [
    doc("a.txt", "2018-02-01", ("RUS", "supports", "SYR"), ("IRN", "supports", "SYR"), ("TUR", "supports", "FSA"),
        ("FSA", "fightsAgainst", "SYR"), ("TUR", "criticizes", "SYR")),
    doc("b.txt", "2018-03-01", ("RUS", "criticizes", "TUR"), ("SYR", "attacks", "FSA"), ("PUTIN", "leaderOf", "RUS"),
        ("RUS", "cooperatesWith", "IRN")),
    doc("c.txt", "2018-08-10", ("RUS", "cooperatesWith", "TUR"), ("TUR", "attacks", "SYR"),
        ("USA", "criticizes", "TUR"), ("RUS", "supports", "SYR"), ("IRN", "attacks", "FSA", "negated")),
]


@pytest.fixture
def out(tmp_path):
    from kg.graph.store import Store

    with Store.open(tmp_path / "store", create=True) as store:
        for result in DOCS:
            store.replace_document(result, extractor_version="kg test")
    return tmp_path


def test_run_analysis_writes_report_files_and_metrics(out):
    from kg.graph.store import Store

    result = run_analysis(Settings(out=out), period="quarter")
    for name in ("report.md", "report.json", "charts/centrality.png", "charts/relations_over_time.png",
                 "charts/stance_over_time.png"):
        assert (out / name).is_file() and (out / name).stat().st_size > 0, name
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert data["summary"]["documents"] == 3 and data["summary"]["negated"] == 1
    assert [p["period"] for p in data["periods"]] == ["2018-Q1", "2018-Q3"]
    blocs = {k: a["bloc"] for a in data["actors"] for k in [a["key"]]}
    assert blocs["TUR"] != blocs["SYR"] and blocs["RUS"] == blocs["SYR"] == blocs["IRN"]
    # criticizes (Goldstein -2) then cooperatesWith (+6), each one evidence at confidence 0.8
    assert data["change"]["sign_flips"] == [{"pair": ["RUS", "TUR"], "before": -0.16, "after": 0.48}]
    assert data["weighting"] == "goldstein" and "Goldstein" in (out / "report.md").read_text(encoding="utf-8")
    assert ["RUS", "TUR"] in [c["pair"] for c in data["contradictions"]]
    md = (out / "report.md").read_text(encoding="utf-8")
    for heading in ("## Central actors", "## Brokers", "## Blocs", "## Balance", "## Contradictions", "## Stance",
                    "## Over time", "## Change between the last two periods", "![Centrality ranking]"):
        assert heading in md
    assert "| 1 | " in md and "Syria (`SYR`)" in md
    with Store.open(out / "store", read_only=True) as store:
        rows = list(store.raw.query(
            "PREFIX kg: <https://w3id.org/kg-news/ontology#> SELECT ?a ?pr ?bloc WHERE { GRAPH "
            "<https://w3id.org/kg-news/id/graph/metrics> { ?a kg:pageRank ?pr ; kg:degree ?d . "
            "OPTIONAL { ?a kg:bloc ?bloc } } } ORDER BY DESC(?pr)"))
    assert len(rows) == len(data["actors"])
    assert rows[0]["a"].value.endswith("/" + data["top"][0]["key"])
    assert float(rows[0]["pr"].value) == pytest.approx(data["top"][0]["pagerank"])
    assert result["outputs"]["report_md"] == str(out / "report.md")


def test_run_analysis_is_deterministic(out):
    run_analysis(Settings(out=out))
    first = {p: (out / p).read_bytes() for p in ("report.json", "report.md", "charts/centrality.png",
                                                 "charts/stance_over_time.png")}
    run_analysis(Settings(out=out))
    assert first == {p: (out / p).read_bytes() for p in first}


def test_since_until_and_period(out):
    result = run_analysis(Settings(out=out), since="2018-06-01", period="month")
    assert result["summary"]["documents"] == 1 and result["change"] is None
    assert [p["period"] for p in result["periods"]] == ["2018-08"]
    assert "Fewer than two periods" in (out / "report.md").read_text(encoding="utf-8")


def test_bad_options_and_missing_store(tmp_path, out):
    with pytest.raises(KgError, match="not a date"):
        run_analysis(Settings(out=out), since="last week")
    with pytest.raises(KgError, match="not one of month, quarter, year"):
        run_analysis(Settings(out=out), period="week")
    with pytest.raises(KgError, match="--weighting 'count' is not one of goldstein, evidence"):
        run_analysis(Settings(out=out), weighting="count")
    with pytest.raises(StoreError, match="kg build"):
        run_analysis(Settings(out=tmp_path / "nothing"))


def test_empty_graph_gives_a_report(tmp_path):
    import networkx as nx

    result = analyse_graph(nx.MultiDiGraph())
    assert result["summary"]["actors"] == 0 and result["blocs"] == [] and result["change"] is None


def test_cli_analyse(out):
    from kg.cli import app

    result = CliRunner().invoke(app, ["analyse", "--out", str(out), "--period", "month"])
    assert result.exit_code == 0, result.output
    assert "report.md" in result.output
    assert json.loads((out / "report.json").read_text())["period"] == "month"
    result = CliRunner().invoke(app, ["analyse", "--out", str(out), "--since", "yesterday"])
    assert result.exit_code != 0 and "not a date" in result.output
    result = CliRunner().invoke(app, ["analyse", "--out", str(out), "--weighting", "evidence"])
    assert result.exit_code == 0, result.output
    assert json.loads((out / "report.json").read_text())["weighting"] == "evidence"
    result = CliRunner().invoke(app, ["analyse", "--out", str(out), "--weighting", "loudness"])
    assert result.exit_code != 0 and "not one of goldstein, evidence" in result.output
