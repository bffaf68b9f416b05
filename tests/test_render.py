"""The static site: pages, escaping, offline assets, caps, determinism (no browser; see test_browser_render.py)."""
from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import pytest

from kg.render.network import network_payload, pagerank
from kg.render.sample import synthetic_data
from kg.render.site import contradictions, write_site
from kg.render.text import actor_slug, doc_slug, script_json, segments
from tests.test_render_fixtures import XSS_KEY, XSS_NAME, XSS_SENTENCE_TAIL, hostile_data


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("site") / "site"
    write_site(hostile_data(), path, node_cap=150)
    return path


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


class _Resources(HTMLParser):
    """Collects every attribute that makes the browser fetch something, and every inline script."""

    def __init__(self) -> None:
        super().__init__()
        self.fetched: list[str] = []
        self.inline_scripts: list[tuple[dict, str]] = []
        self.anchors: list[str] = []
        self._script: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a":
            self.anchors.append(attrs.get("href") or "")
        elif tag == "link":
            self.fetched.append(attrs.get("href") or "")
        for name in ("src", "srcset", "poster", "data", "background"):
            if attrs.get(name):
                self.fetched.append(attrs[name])
        if tag == "script":
            self._script = attrs

    def handle_data(self, data):
        if self._script is not None and "src" not in self._script:
            self.inline_scripts.append((self._script, data))

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None


def parse(path: Path) -> _Resources:
    parser = _Resources()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def graph_data(path: Path) -> dict:
    scripts = [data for attrs, data in parse(path).inline_scripts if attrs.get("id") == "kg-data"]
    assert len(scripts) == 1, f"{path}: expected one kg-data block"
    return json.loads(scripts[0])


# --------------------------------------------------------------------------------------------------- layout
def test_site_has_every_kind_of_page(site: Path):
    assert (site / "index.html").is_file()
    assert (site / "contradictions.html").is_file()
    for key in ("RUS", "TUR", "PUTIN", XSS_KEY):
        assert (site / "actor" / f"{actor_slug(key)}.html").is_file(), key
    for doc_id in ("a.txt", "b <script>.txt"):
        assert (site / "doc" / f"{doc_slug(doc_id)}.html").is_file(), doc_id
    assert sorted(p.stem for p in (site / "relation").glob("*.html")) == ["accuses", "attacks", "criticizes", "meetsWith"]
    for asset in ("vis-network.min.js", "vis-network.min.css", "kg.js", "kg.css", "search-index.js"):
        assert (site / "assets" / asset).stat().st_size > 0, asset
    assert not list(site.rglob(".tmp-*"))


def test_internal_links_resolve(site: Path):
    for page in pages(site):
        res = parse(page)
        for href in res.anchors + res.fetched:
            if not href or href.startswith(("https://", "http://", "#")):
                continue
            target = (page.parent / href.split("#")[0]).resolve()
            assert target.is_file(), f"{page.relative_to(site)} links to missing {href}"


# --------------------------------------------------------------------------------------------------- offline
def test_no_page_loads_anything_from_the_network(site: Path):
    for page in pages(site):
        res = parse(page)
        remote = [u for u in res.fetched if re.match(r"^\s*(https?:)?//", u, re.I)]
        assert remote == [], f"{page.name} loads {remote}"
        assert "cdn" not in page.read_text(encoding="utf-8").lower()
    assert "url(http" not in (site / "assets" / "kg.css").read_text() + (site / "assets" / "vis-network.min.css").read_text()


def test_vis_network_is_the_pyvis_copy(site: Path):
    from kg.render.site import vis_asset_dir

    assert (site / "assets" / "vis-network.min.js").read_bytes() == (vis_asset_dir() / "vis-network.min.js").read_bytes()
    assert b"@version 9.1.2" in (site / "assets" / "vis-network.min.js").read_bytes()[:400]


def test_external_links_are_plain_anchors_to_safe_urls(site: Path):
    rus = parse(site / "actor" / "RUS.html").anchors
    assert "https://www.wikidata.org/wiki/Q159" in rus
    tur = (site / "actor" / "TUR.html").read_text(encoding="utf-8")
    assert 'href="javascript' not in tur  # a bad wikidata id is shown as text, never linked
    assert "https://example.org/a" in parse(site / "doc" / f"{doc_slug('a.txt')}.html").anchors


# --------------------------------------------------------------------------------------------------- safety
def test_no_unescaped_markup_from_the_data_reaches_any_page(site: Path):
    for page in pages(site):
        text = page.read_text(encoding="utf-8")
        assert "<img" not in text, page.name
        assert "<script>alert" not in text, page.name
        assert "<b>Evil" not in text, page.name
        assert "innerHTML" not in text, page.name
    js = (site / "assets" / "kg.js").read_text()
    assert "innerHTML" not in js and "insertAdjacentHTML" not in js and "document.write" not in js


def test_the_hostile_name_is_shown_as_text(site: Path):
    page = (site / "actor" / f"{actor_slug(XSS_KEY)}.html").read_text(encoding="utf-8")
    assert f"<h1>" in page or "<h1>" in page.replace("\n", "")
    assert html.escape(XSS_NAME, quote=False) in page


def test_json_block_cannot_break_out_of_its_script(site: Path):
    for name in ("index.html", f"actor/{actor_slug(XSS_KEY)}.html", f"doc/{doc_slug('b <script>.txt')}.html"):
        page = site / name
        raw = page.read_text(encoding="utf-8")
        block = raw.split('id="kg-data">', 1)[1].split("</script>", 1)[0]
        assert "<" not in block and ">" not in block and "&" not in block, name
        data = graph_data(page)
        labels = {n["name"] for n in data["nodes"]}
        assert XSS_NAME in labels, name  # round-trips intact: escaped in transit only
        assert data["kind"] in ("index", "actor", "doc")
    sentences = [ev["s"] for e in graph_data(site / "index.html")["edges"] for ev in e["ev"]]
    assert any(XSS_SENTENCE_TAIL in s for s in sentences)


def test_script_json_escapes_and_is_stable():
    value = {"b": "</script><script>alert(1)</script>", "a": "x & y \u2028"}
    text = str(script_json(value))
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == value
    assert text == str(script_json(dict(reversed(list(value.items())))))


# --------------------------------------------------------------------------------------------------- content
def test_every_relation_between_a_pair_is_drawn(site: Path):
    data = graph_data(site / "index.html")
    ids = {n["name"]: n["id"] for n in data["nodes"]}
    pair = {ids["Russia"], ids["Turkey"]}
    edges = [e for e in data["edges"] if {e["from"], e["to"]} == pair]
    assert sorted(e["rel"] for e in edges) == ["accuses", "criticizes", "meetsWith"]
    same_direction = [e["r"] for e in edges if e["from"] == ids["Russia"]]
    assert len(set(same_direction)) == len(same_direction), "parallel edges need different curvature"
    assert {e["pol"] for e in edges} == {1, -1}


def test_actor_page_groups_relations_and_highlights_evidence(site: Path):
    page = (site / "actor" / "RUS.html").read_text(encoding="utf-8")
    assert 'id="out-meetsWith"' in page and 'id="out-criticizes"' in page and 'id="in-accuses"' in page
    assert "<mark>met</mark>" in page
    assert "<mark>criticised</mark>" in page
    assert "Q159" in page and "RUSSIA" in page  # identifiers and aliases
    assert ">0.4000<" in page  # metrics from the metrics graph
    assert "badge mod-reported" in page and "badge mod-hedged" in page
    assert 'class="badge mod-negated"' in page  # the negated statement, shown clearly
    assert f'href="../doc/{doc_slug("a.txt")}.html"' in page
    data = graph_data(site / "actor" / "RUS.html")
    assert [n["name"] for n in data["nodes"] if n["focus"]] == ["Russia"]


def test_document_page_links_mentions_to_actor_pages(site: Path):
    page = (site / "doc" / f"{doc_slug('a.txt')}.html").read_text(encoding="utf-8")
    assert '<a class="mention" href="../actor/PUTIN.html" title="Vladimir Putin">Putin</a>' in page
    assert '<a class="mention" href="../actor/RUS.html" title="Russia">Moscow</a>' in page
    data = graph_data(site / "doc" / f"{doc_slug('a.txt')}.html")
    assert {e["rel"] for e in data["edges"]} == {"meetsWith", "criticizes", "accuses"}
    assert all(ev["doc"].endswith(f"{doc_slug('a.txt')}.html") for e in data["edges"] for ev in e["ev"])


def test_contradictions_page_lists_opposite_polarities(site: Path):
    page = (site / "contradictions.html").read_text(encoding="utf-8")
    assert "1 pair(s)" in page
    assert "Asserted in one place, denied in another" not in page  # TUR attacks RUS is never asserted
    found = contradictions(hostile_data().G)
    assert [(a, b) for a, b, _, _ in found] == [("RUS", "TUR")]


def test_search_index_lists_every_actor(site: Path):
    text = (site / "assets" / "search-index.js").read_text(encoding="utf-8")
    assert text.startswith("window.kgActors = ") and "<" not in text
    actors = json.loads(text[len("window.kgActors = "):].rstrip().rstrip(";"))
    assert {a[4] for a in actors} == {"RUS", "TUR", "PUTIN", XSS_KEY}


def test_segments_clip_and_skip_overlaps():
    segs = segments("abcdef", base=100, marks=[(90, 102)], mentions=[(101, 104, "x", "X"), (102, 103, "y", "Y")])
    assert "".join(s.text for s in segs) == "abcdef"
    assert [(s.text, s.mark, s.href) for s in segs] == [("a", True, None), ("b", True, "x"), ("cd", False, "x"),
                                                        ("ef", False, None)]


# --------------------------------------------------------------------------------------------------- scale
def test_output_is_deterministic_and_stale_pages_are_removed(tmp_path: Path):
    a, b = tmp_path / "a", tmp_path / "b"
    write_site(synthetic_data(60, 120, 20), a, node_cap=20)
    write_site(synthetic_data(60, 120, 20), b, node_cap=20)
    files_a = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    assert files_a == sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    for rel in files_a:
        assert (a / rel).read_bytes() == (b / rel).read_bytes(), rel
    report = write_site(synthetic_data(30, 50, 5), a, node_cap=20)
    assert report.removed > 0
    assert len(list((a / "actor").glob("*.html"))) == 30
    assert len(list((a / "doc").glob("*.html"))) == 5


def test_index_caps_nodes_and_says_how_many_are_hidden(tmp_path: Path):
    report = write_site(synthetic_data(400, 900, 40), tmp_path, node_cap=50)
    data = graph_data(tmp_path / "index.html")
    assert data["cap"] == 50 and data["total"] == 400
    assert 50 <= len(data["nodes"]) <= 450
    ranks = [n["rank"] for n in data["nodes"]]
    assert ranks == sorted(ranks, reverse=True), "index nodes come most central first (the JS shows the first cap)"
    assert "350 more actors not shown" in (tmp_path / "index.html").read_text(encoding="utf-8")
    assert report.index_actors == 50


def test_page_weight_stays_bounded_on_a_large_graph(tmp_path: Path):
    report = write_site(synthetic_data(1200, 3000, 120, evidence_per_edge=3), tmp_path, node_cap=150)
    assert report.index_bytes < 1_500_000, report.index_bytes
    assert report.largest_page < 2_500_000, report.largest_page


def test_payload_fills_lists_fast_for_20k_nodes():
    import time

    G = nx.gnm_random_graph(20_000, 40_000, seed=1, directed=True)
    M = nx.MultiDiGraph()
    M.add_nodes_from((str(n), {"label": f"n{n}", "type": "State"}) for n in G.nodes)
    M.add_edges_from((str(u), str(v), "attacks", {"polarity": -1, "count": 1}) for u, v in G.edges)
    started = time.perf_counter()
    ranks = pagerank(M)
    payload = network_payload(M, list(M.nodes), positions={}, ranks=ranks)
    assert len(payload["nodes"]) == 20_000 and len(payload["edges"]) == 40_000
    assert time.perf_counter() - started < 20


# --------------------------------------------------------------------------------------------------- notebook
def test_show_is_self_contained_and_escaped():
    from kg.render import show

    view = show(hostile_data().G)
    snippet = view._repr_html_()
    assert "@version 9.1.2" in snippet  # vis-network inlined, not fetched
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", snippet)
    assert "<iframe" not in snippet.lower()
    assert "<img" not in snippet
    body = snippet.split("</script>")
    assert all("<script>alert" not in part for part in body)
    assert snippet == show(hostile_data().G)._repr_html_()  # deterministic


# --------------------------------------------------------------------------------------------------- from a store
@pytest.fixture
def built(tmp_path: Path) -> Path:
    """A real build folder: gazetteer, two documents and metrics written through kg's Store."""
    from kg.graph.store import Store
    from tests.test_graph_fixtures import EXTRACTOR, doc, gazetteer

    out = tmp_path / "out"
    with Store.open(out / "store", create=True) as store:
        store.write_background(gazetteer(), None)
        store.replace_document(doc("a.txt"), extractor_version=EXTRACTOR)
        store.replace_document(doc("b.txt", date="2017-01-02"), extractor_version=EXTRACTOR)
        store.write_metrics({"RUS": {"pageRank": 0.5, "bloc": 1}, "TUR": {"pageRank": 0.25, "bloc": 2}})
    return out


def test_gather_reads_text_mentions_identifiers_and_metrics(built: Path):
    from kg.render.data import load_site_data

    data = load_site_data(built)
    assert {"RUS", "TUR", "PUTIN"} <= set(data.G.nodes)
    assert data.G.has_edge("RUS", "TUR", key="supports")
    assert not data.G.has_edge("TUR", "RUS", key="attacks")  # negated: not an edge
    assert data.texts["a.txt"].startswith("Moscow supports Ankara.")
    assert (0, 6, "RUS") in data.mentions["a.txt"]
    assert data.identifiers["RUS"]["wikidata"] == "Q159"
    assert data.metrics["RUS"]["pageRank"] == pytest.approx(0.5) and data.metrics["TUR"]["bloc"] == 2
    assert data.urls["a.txt"] == "https://example.org/a.txt"


def test_kg_render_command_writes_the_site(built: Path):
    from typer.testing import CliRunner

    from kg.cli import app

    result = CliRunner().invoke(app, ["render", "--out", str(built)])
    assert result.exit_code == 0, result.output
    site = built / "site"
    assert "wrote" in result.output and (site / "index.html").is_file()
    page = (site / "actor" / "RUS.html").read_text(encoding="utf-8")
    assert "https://www.wikidata.org/wiki/Q159" in page and "<mark>" in page
    doc_page = (site / "doc" / f"{doc_slug('a.txt')}.html").read_text(encoding="utf-8")
    assert '<a class="mention" href="../actor/RUS.html" title="Russia">Moscow</a>' in doc_page
    assert "did not attack" in (site / "actor" / "TUR.html").read_text(encoding="utf-8")  # negated, shown as such


def test_kg_render_without_a_build_says_what_to_do(tmp_path: Path):
    from typer.testing import CliRunner

    from kg.cli import app

    result = CliRunner().invoke(app, ["render", "--out", str(tmp_path / "nothing")])
    assert result.exit_code == 1
    assert "kg build" in result.output
