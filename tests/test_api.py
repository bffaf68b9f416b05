"""The public API (kg.build, kg.open, kg.extract_text) on a real build of seeds/, and its import-time promises."""
from __future__ import annotations

import re
import subprocess
import sys

import networkx as nx
import pandas as pd
import pytest

import kg
from kg.api import KnowledgeGraph, _example_graph
from kg.errors import KgError, QueryError

# ------------------------------------------------------------------------------------------ import surface


def _run(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_importing_kg_loads_no_heavy_library():
    out = _run("import sys, kg; kg.__version__; "
               "print(sorted({m.split('.')[0] for m in sys.modules} & {'spacy', 'rdflib', 'pandas', 'pyoxigraph', "
               "'networkx', 'thinc', 'matplotlib', 'jinja2'}))")
    assert out == "[]"


def test_reaching_the_api_names_stays_lazy():
    # kg.open / kg.build resolve to functions without loading spaCy, rdflib or pandas; a build would load them
    out = _run("import sys, kg; fs = (kg.open, kg.build, kg.extract_text, kg.KgError); "
               "print(all(callable(f) for f in fs), "
               "sorted({m.split('.')[0] for m in sys.modules} & {'spacy', 'rdflib', 'pandas'}))")
    assert out == "True []"


def test_kg_build_stays_the_function_after_the_submodule_is_imported():
    out = _run("import kg, kg.build, sys; from kg.build import BuildSummary; "
               "print(callable(kg.build), kg.build.__module__, type(sys.modules['kg.build']).__name__)")
    assert out == "True kg.api module"


def test_unknown_attribute_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        kg.nope  # noqa: B018
    assert {"build", "open", "extract_text"} <= set(dir(kg))


# ------------------------------------------------------------------------- hand-made store (no spaCy)


@pytest.fixture
def small(tmp_path):
    g = kg.open(_example_graph(tmp_path / "out"))
    yield g
    g.close()


def test_open_twice_in_one_process_returns_the_open_graph(small):
    assert kg.open(small.out) is small
    small.close()
    again = kg.open(small.out)
    assert again is not small and not again.closed
    again.close()


def test_closed_graph_says_how_to_reopen(small):
    small.close()
    with pytest.raises(KgError, match=r"was closed; open it again with kg.open"):
        small.query("ASK {}")
    assert "closed" in repr(small)


def test_query_kinds_as_dataframes(small):
    df = small.query("SELECT ?doc ?n WHERE { ?d dcterms:identifier ?doc . "
                     "{ SELECT ?d (COUNT(?a) AS ?n) WHERE { ?d kg:mentions ?a } GROUP BY ?d } } ORDER BY ?doc")
    assert list(df.columns) == ["doc", "n"] and df["n"].tolist() == [3, 2]
    assert df["n"].dtype.kind == "i"
    assert small.query("ASK { ?a kg:opposes ?b }")["ask"].tolist() == [True]
    triples = small.query("CONSTRUCT { ?a kg:opposes ?b } WHERE { ?a kg:opposes ?b }")
    assert list(triples.columns) == ["subject", "predicate", "object"] and len(triples) == 1
    capped = small.query("SELECT ?a WHERE { ?a kg:key ?k }", row_cap=1)
    assert len(capped) == 1 and capped.attrs["truncated"] is True


def test_query_refuses_updates(small):
    with pytest.raises(QueryError):
        small.query("INSERT DATA { <urn:a> <urn:b> <urn:c> }")


def test_actor_by_key_name_alias_and_article(small):
    for name in ("RUS", "Russia", "russia", "Moscow", "Kremlin", "the Kremlin", "THE KREMLIN"):
        assert small.actor(name)["key"] == "RUS", name
    assert small.actor("Atlantis") is None and small.actor("") is None
    assert small.actor("the Atlantis") is None


def test_named_and_evidence_accept_aliases(small):
    ev = small.evidence("the Kremlin", "supports", "Damascus")
    assert ev["sentence"].tolist() == ["Moscow supports Damascus in Idlib."]
    assert small.evidence("Syria", "supports", "Russia").empty  # direction matters
    assert set(small.queries()["name"]) >= {"actor_relations", "edge_evidence", "top_actors"}
    with pytest.raises(QueryError, match="no named query"):
        small.named("nope")


def test_graph_is_rdflib(small):
    import rdflib

    assert isinstance(small.graph, rdflib.Dataset)
    opposes = rdflib.URIRef("https://w3id.org/kg-news/ontology#opposes")
    quads = list(small.graph.quads((None, opposes, None, None)))
    assert [(str(s).rsplit("/", 1)[-1], str(o).rsplit("/", 1)[-1]) for s, _, o, _ in quads] == [("TUR", "SYR")]


# -------------------------------------------------------------------- show(): inline, offline (D29)

_REMOTE = re.compile(r"""<(script|link|img|iframe)\b[^>]*\b(src|href)\s*=\s*["']?\s*(https?:)?//""", re.IGNORECASE)


def assert_offline_inline_view(view, labels):
    html = view._repr_html_()
    assert html == view.html
    assert '<script type="application/json" class="kg-nb-data">' in html
    assert "vis.Network" in html or "new vis" in html or "Network(" in html  # the library is inlined
    for label in labels:
        assert label in html, label
    assert not _REMOTE.search(html), _REMOTE.search(html)
    assert "@import" not in html and "<iframe" not in html.lower()
    assert not re.search(r"""url\(\s*["']?https?:""", html)


def test_show_is_inline_and_offline(small):
    view = small.show()
    assert (view.nodes, view.edges) == (3, 3)
    assert_offline_inline_view(view, ["Russia", "Turkey", "Syria", "Moscow supports Damascus"])


def test_show_draws_a_given_subgraph(small):
    G = small.to_networkx()
    view = small.show(nx.ego_graph(G.to_undirected(as_view=True), "TUR", radius=0).copy(), node_cap=5)
    assert view.nodes == 1 and view.edges == 0


def test_remote_pattern_catches_cdn_tags():
    assert _REMOTE.search('<script src="https://cdn.example/vis.js"></script>')
    assert _REMOTE.search("<link rel=stylesheet href=//cdn.example/x.css>")
    assert not _REMOTE.search('<script>var a = "https://visjs.github.io/";</script>')


# ---------------------------------------------------------------------------- a real build of seeds/


@pytest.fixture(scope="module")
def seeds(seeds_build):
    out, summary = seeds_build
    g = kg.open(out)
    yield g, summary
    g.close()


@pytest.mark.model
def test_open_a_seeds_build(seeds):
    g, summary = seeds
    assert isinstance(g, KnowledgeGraph)
    assert f"{summary.documents} documents" in repr(g) and summary.documents == 5
    docs = g.documents()
    assert len(docs) == 5 and docs["title"].notna().all()
    assert docs["title"].str.contains("Idlib").sum() >= 3


@pytest.mark.model
def test_seeds_actor_aliases(seeds):
    g, _ = seeds
    assert g.actor("the Kremlin")["key"] == "RUS"
    assert g.actor("Russian")["key"] == "RUS"
    erdogan = g.actor("Erdogan")
    assert erdogan["key"] == "ERDOGAN" and "Person" in erdogan["types"] and erdogan["documents"] >= 3
    assert g.actor("Ankara")["key"] in ("TUR", "CITY_ANKARA")


@pytest.mark.model
def test_seeds_queries_and_evidence(seeds):
    g, _ = seeds
    top = g.named("top_actors", limit=5)
    assert {"RUS", "TUR", "SYR"} <= set(top["key"])
    ev = g.evidence("Russia", "supports", "Bashar al-Assad")
    assert len(ev) >= 1 and ev["sentence"].str.len().gt(10).all()
    assert set(ev["modality"]) <= {"asserted", "reported", "hedged", "planned", "negated"}
    rel = g.named("actor_relations", actor="Erdogan")
    assert len(rel) >= 2
    assert isinstance(g.query("SELECT * WHERE { ?s ?p ?o } LIMIT 1"), pd.DataFrame)


@pytest.mark.model
def test_seeds_networkx_and_analysis(seeds):
    g, summary = seeds
    G = g.to_networkx()
    assert isinstance(G, nx.MultiDiGraph) and G.number_of_edges() == summary.relations
    assert G.has_edge("PUTIN", "ERDOGAN") or G.has_edge("ERDOGAN", "PUTIN")
    result = g.analyse(period="month", top=10)
    assert result["summary"]["relations"] == G.number_of_edges()
    assert {"RUS", "TUR", "SYR"} & {a["key"] for a in result["top"][:5]}
    assert result["blocs"] and result["stance"]["actors"]


@pytest.mark.model
def test_seeds_show_is_inline_and_offline(seeds):
    g, _ = seeds
    view = g.show(node_cap=20)
    assert view.nodes == 20 and view.hidden > 0
    assert_offline_inline_view(view, ["Russia", "Turkey", "Idlib"])


@pytest.mark.model
def test_extract_text_reexported():
    result = kg.extract_text("Russia backs Syrian President Bashar al-Assad.")
    triples = {(r.subject, r.predicate, r.object) for r in result.relations}
    assert ("RUS", "backs", "ASSAD") in triples or ("RUS", "supports", "ASSAD") in triples


@pytest.mark.model
def test_build_takes_one_path_and_closes_an_open_graph(tmp_path):
    from kg.ingest import content_hash  # noqa: F401  (the build below must not need more than the path)

    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("Turkey warns Syria over Idlib\n\nTurkey warned Syria on Monday.\n", encoding="utf-8")
    out = tmp_path / "out"
    first = kg.build(src, out=out, site=False, analysis=False)  # a single path, not a list of characters
    assert first.documents == 1
    g = kg.open(out)
    (src / "b.txt").write_text("Russia backs Syria\n\nRussia backed Syria in Idlib.\n", encoding="utf-8")
    second = kg.build(str(src), out=out, site=False, analysis=False)  # would fail on the lock without closing g
    assert second.documents == 2 and g.closed
    with kg.open(out) as again:
        assert len(again.documents()) == 2


def test_analyse_takes_the_weighting_like_the_cli(small):
    """``g.analyse(weighting=...)`` as ``kg analyse --weighting``: the report says which it used, and a bad one
    is refused with the choices."""
    assert small.analyse()["weighting"] == "goldstein"
    assert small.analyse(weighting="evidence")["weighting"] == "evidence"
    with pytest.raises(kg.KgError, match="goldstein"):
        small.analyse(weighting="loudest")
