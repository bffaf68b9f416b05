"""The analysis report: ``OUT/report.md``, ``OUT/report.json``, ``OUT/charts/*.png`` and the metrics graph.

:func:`analyse_graph` computes every number from a networkx graph (pure, no I/O); :func:`run_analysis`
reads the store, calls it, writes the files and writes the per-actor metrics back to ``id:graph/metrics``
(``kg:pageRank``, ``kg:betweenness``, ``kg:degree``, ``kg:bloc``, ``kg:community``) so SPARQL can use them.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import networkx as nx

from kg import __version__
from kg.analyse.convert import (
    WEIGHTINGS,
    alignment_graph,
    paused_gc,
    signed_graph,
    time_slices,
    to_networkx,
)
from kg.analyse.metrics import (
    betweenness,
    change,
    communities,
    contradictions,
    degrees,
    pagerank,
    signed_blocs,
    stance,
    triad_balance,
)
from kg.config import Settings
from kg.errors import KgError
from kg.fileio import write_text_atomic

__all__ = ["run_analysis", "analyse_graph", "write_report", "metrics_quads", "PERIODS"]

log = logging.getLogger(__name__)

PERIODS = ("month", "quarter", "year")
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_XSD = "http://www.w3.org/2001/XMLSchema#"


def _check_date(name: str, value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    value = str(value).strip()
    if not _DATE.match(value):
        raise KgError(f"--{name} {value!r} is not a date; expected YYYY-MM-DD (or YYYY-MM, YYYY), e.g. 2018-09-01")
    return value


# ---------------------------------------------------------------------------------------------- numbers
def analyse_graph(G: nx.MultiDiGraph, *, period: str = "quarter", seed: int = 42, top: int = 15,
                  weighting: str = "goldstein") -> dict[str, Any]:
    """Every number of the report, from the graph alone (deterministic for a given ``seed``).

    Args:
        G: a graph from :func:`kg.analyse.convert.to_networkx`.
        period: the time slices compared: month, quarter or year.
        seed: seeds Louvain, sampled betweenness and the signed blocs.
        top: how many actors the ranking tables list.
        weighting: how relations weigh in communities, blocs, balance, stance, contradictions and sign flips:
            ``"goldstein"`` (|Goldstein| / 10 of the relation x confidence per evidence, the default) or
            ``"evidence"`` (confidence per evidence, whatever the relation).

    Returns:
        A JSON-ready dict: ``summary``, ``actors`` (every actor with its metrics, by PageRank), ``top``,
        ``brokers``, ``blocs``, ``triads``, ``contradictions``, ``stance``, ``periods``, ``change``.

    Raises:
        KgError: ``period`` is not month, quarter or year, or ``weighting`` not goldstein or evidence.

    Examples:
        >>> G = nx.MultiDiGraph()
        >>> G.add_edge("TUR", "SYR", key="attacks", polarity=-1, count=1, confidence=1.0)
        'attacks'
        >>> result = analyse_graph(G)
        >>> result["summary"]["relations"], [b["members"] for b in result["blocs"]]
        (1, [['SYR'], ['TUR']])
    """
    if period not in PERIODS:
        raise KgError(f"--period {period!r} is not one of {', '.join(PERIODS)}")
    _check_weighting(weighting)
    with paused_gc():
        return _analyse(G, period=period, seed=seed, top=top, weighting=weighting)


def _analyse(G: nx.MultiDiGraph, *, period: str, seed: int, top: int, weighting: str) -> dict[str, Any]:
    rank, between, degree = pagerank(G), betweenness(G, seed=seed), degrees(G)
    community = communities(G, seed=seed, weighting=weighting) if G.number_of_nodes() else {}
    signed = signed_graph(G, weighting=weighting)  # once, for the triads and stance
    # blocs are alignment: cooperation events (meetings, deals) between adversaries are discounted
    blocs = signed_blocs(alignment_graph(G, weighting=weighting), seed=seed)
    bloc_of = blocs["bloc"]

    def label(key) -> str:
        return G.nodes[key].get("label") or str(key) if key in G else str(key)

    actors = []
    for key in sorted(G, key=lambda k: (-rank.get(k, 0.0), str(k))):
        node = G.nodes[key]
        actors.append({
            "key": key, "label": label(key), "type": node.get("type"), "subtype": node.get("subtype"),
            "provisional": bool(node.get("provisional")), "documents": node.get("documents", 0),
            "pagerank": round(rank.get(key, 0.0), 8), "betweenness": round(between.get(key, 0.0), 8),
            "degree": degree[key]["degree"], "in": degree[key]["in"], "out": degree[key]["out"],
            "bloc": bloc_of.get(key), "community": community.get(key),
        })
    top_actors = actors[:top]
    brokers = sorted((a for a in actors if a["betweenness"] > 0), key=lambda a: (-a["betweenness"], str(a["key"])))
    polarity_counts = defaultdict(int)
    for _, _, pol in G.edges(data="polarity"):
        polarity_counts[{1: "cooperation", -1: "conflict"}.get(pol, "neutral")] += 1

    top_keys = [a["key"] for a in top_actors]
    stance_all = stance(G, nodes=top_keys, weighting=weighting)
    contra = contradictions(G, weighting=weighting)
    for item in contra:
        item["labels"] = [label(k) for k in item["pair"]]

    slices = time_slices(G, period)
    periods = []
    for name, H in slices.items():
        counts = defaultdict(int)
        for _, _, data in H.edges(data=True):
            counts[{1: "cooperation", -1: "conflict"}.get(data.get("polarity"), "neutral")] += data.get("count", 0)
        periods.append({"period": name, "actors": H.number_of_nodes(), "relations": H.number_of_edges(),
                        "documents": len(H.graph.get("documents", {})), "cooperation": counts["cooperation"],
                        "conflict": counts["conflict"], "neutral": counts["neutral"],
                        "stance": _pair_stance(H, top_keys, weighting)})
    changed = None
    if len(slices) >= 2:
        (before, G0), (after, G1) = list(slices.items())[-2:]
        changed = {"from": before, "to": after, **change(G0, G1, top=10, weighting=weighting)}
        for mover in changed["rising"] + changed["falling"]:
            mover["label"] = label(mover["actor"])

    return {
        "generated_by": f"kg {__version__}",
        "since": G.graph.get("since"), "until": G.graph.get("until"), "period": period, "seed": seed,
        "weighting": weighting,
        "summary": {"actors": G.number_of_nodes(), "relations": G.number_of_edges(),
                    "documents": len(G.graph.get("documents", {})), "negated": len(G.graph.get("negated", [])),
                    "cooperation": polarity_counts["cooperation"], "conflict": polarity_counts["conflict"],
                    "neutral": polarity_counts["neutral"], "evidence": sum(c or 0 for _, _, c in G.edges(data="count"))},
        "actors": actors,
        "top": top_actors,
        "brokers": brokers[:top],
        "blocs": [{"id": i, "size": len(members), "members": members, "labels": [label(m) for m in members]}
                  for i, members in enumerate(blocs["blocs"])],
        "frustration": blocs["frustration"], "signed_weight": blocs["total_weight"],
        "triads": triad_balance(signed),
        "contradictions": contra,
        "stance": {"actors": top_keys, "labels": [label(k) for k in top_keys], "matrix": stance_all},
        "periods": periods,
        "change": changed,
    }


def _check_weighting(weighting: str) -> None:
    if weighting not in WEIGHTINGS:
        raise KgError(f"--weighting {weighting!r} is not one of {', '.join(WEIGHTINGS)}")


def _pair_stance(H: nx.MultiDiGraph, keys: list, weighting: str = "goldstein") -> dict[str, float]:
    """Net signed weight of each (unordered) pair of ``keys`` in one slice: ``{"A|B": x}``."""
    out: dict[str, float] = defaultdict(float)
    for pair_from, row in stance(H, nodes=keys, weighting=weighting).items():
        for pair_to, value in row.items():
            a, b = sorted((str(pair_from), str(pair_to)))
            out[f"{a}|{b}"] += value
    return {k: round(v, 9) for k, v in sorted(out.items())}


def metrics_quads(result: dict[str, Any]) -> list:
    """``id:graph/metrics`` quads for every actor (PageRank and betweenness as ``xsd:double``: tiny values
    would vanish at decimal precision).

    Examples:
        >>> quads = metrics_quads({"actors": [{"key": "RUS", "pagerank": 0.25, "betweenness": 0.0, "degree": 3,
        ...                                    "bloc": 0, "community": None}]})
        >>> sorted(q.predicate.value.split("#")[1] for q in quads)
        ['betweenness', 'bloc', 'degree', 'pageRank']
    """
    import pyoxigraph as ox

    from kg.graph.iri import METRICS_GRAPH, actor_iri
    from kg.vocab import KG

    graph = ox.NamedNode(METRICS_GRAPH)
    double, integer = ox.NamedNode(_XSD + "double"), ox.NamedNode(_XSD + "integer")
    quads = []
    for actor in result["actors"]:
        node = ox.NamedNode(actor_iri(actor["key"]))
        for term, name, datatype in ((KG.pageRank, "pagerank", double), (KG.betweenness, "betweenness", double),
                                     (KG.degree, "degree", integer), (KG.bloc, "bloc", integer),
                                     (KG.community, "community", integer)):
            value = actor.get(name)
            if value is None:
                continue
            text = repr(float(value)) if datatype == double else str(int(value))
            quads.append(ox.Quad(node, ox.NamedNode(str(term)), ox.Literal(text, datatype=datatype), graph))
    return quads


# ---------------------------------------------------------------------------------------------- files
def run_analysis(settings: Settings, *, since: str | dt.date | None = None, until: str | dt.date | None = None,
                 period: str = "quarter", top: int = 15, weighting: str = "goldstein") -> dict[str, Any]:
    """Analyse the store in ``settings.out``: write the report files and the metrics graph.

    Args:
        settings: ``settings.out`` holds the store; ``settings.seed`` seeds the random steps.
        since: only documents dated on or after this date (YYYY-MM-DD, YYYY-MM or YYYY).
        until: only documents dated on or before this date.
        period: the time slices compared: month, quarter or year.
        top: how many actors the ranking tables list.
        weighting: ``"goldstein"`` (default) or ``"evidence"``; see :func:`analyse_graph`.

    Returns:
        The report's numbers (also written to ``OUT/report.json``), with ``outputs`` naming the files.

    Raises:
        KgError: a bad date, period or weighting.
        StoreError: no store in ``settings.out`` (run ``kg build`` first), or it is in use or damaged.
    """
    from kg.graph.store import Store

    since, until = _check_date("since", since), _check_date("until", until)
    if period not in PERIODS:
        raise KgError(f"--period {period!r} is not one of {', '.join(PERIODS)}")
    _check_weighting(weighting)
    out = Path(settings.out)
    with Store.open(out / "store") as store:
        G = to_networkx(store, since=since, until=until)
        result = analyse_graph(G, period=period, seed=settings.seed, top=top, weighting=weighting)
        store.write_metrics(metrics_quads(result))
    result["outputs"] = write_report(result, out)
    return result


def write_report(result: dict[str, Any], out: str | Path) -> dict[str, str]:
    """Write ``report.json``, ``report.md`` and the charts of ``result`` into ``out``; returns their paths."""
    out = Path(out)
    charts = out / "charts"
    charts.mkdir(parents=True, exist_ok=True)
    from kg.analyse.charts import centrality_chart, relations_chart, stance_chart

    paths = {"centrality": centrality_chart(result, charts / "centrality.png"),
             "relations_over_time": relations_chart(result, charts / "relations_over_time.png"),
             "stance_over_time": stance_chart(result, charts / "stance_over_time.png")}
    result["charts"] = {k: str(Path(v).relative_to(out)) for k, v in paths.items() if v}
    write_text_atomic(out / "report.json", json.dumps(result, indent=1, ensure_ascii=False, default=str) + "\n")
    write_text_atomic(out / "report.md", render_markdown(result))
    return {"report_md": str(out / "report.md"), "report_json": str(out / "report.json"),
            **{f"chart_{k}": str(v) for k, v in paths.items() if v}}


# ---------------------------------------------------------------------------------------------- markdown
def _weighting_note(weighting: str) -> str:
    if weighting == "evidence":
        return ("Each evidence weighs its confidence, whatever the relation (unweighted: a meeting counts as "
                "much as an attack).")
    return ("Each evidence weighs its relation's Goldstein score (-10 .. +10, from the ontology) / 10 times its "
            "confidence: one attack (-10) weighs as much as ten meetings (+1); cooperation or conflict without a "
            "score (membership, affiliation) counts as a score of 5.")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4f}"
    return str(value).replace("|", "\\|").replace("\n", " ")


def _table(headers: list[str], rows: list[list[Any]]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
    return lines + [""]


def render_markdown(result: dict[str, Any]) -> str:
    """The report as Markdown (tables and links to the charts)."""
    s = result["summary"]
    window = ""
    if result.get("since") or result.get("until"):
        window = f" Documents dated {result.get('since') or '…'} to {result.get('until') or '…'}."
    lines = [
        "# Actor network report", "",
        f"{s['actors']} actors, {s['relations']} relations ({s['cooperation']} cooperation, {s['conflict']} "
        f"conflict, {s['neutral']} neutral) from {s['evidence']} evidence in {s['documents']} documents; "
        f"{s['negated']} negated statements left out.{window} Generated by {result['generated_by']} "
        f"(seed {result['seed']}).", "",
    ]
    charts = result.get("charts", {})
    lines += ["## Central actors", "", "Ranked by PageRank over the directed relations (weighted by evidence count).", ""]
    lines += _table(["#", "actor", "type", "PageRank", "degree", "in", "out", "betweenness", "bloc", "docs"],
                    [[i + 1, f"{a['label']} (`{a['key']}`)", a["type"], a["pagerank"], a["degree"], a["in"],
                      a["out"], a["betweenness"], a["bloc"], a["documents"]] for i, a in enumerate(result["top"])])
    if charts.get("centrality"):
        lines += [f"![Centrality ranking]({charts['centrality']})", ""]
    lines += ["## Brokers", "", "Actors on the most shortest paths between others (betweenness).", ""]
    lines += _table(["#", "actor", "betweenness", "degree"],
                    [[i + 1, f"{a['label']} (`{a['key']}`)", a["betweenness"], a["degree"]]
                     for i, a in enumerate(result["brokers"])]) if result["brokers"] else ["No brokers.", ""]
    lines += ["## Blocs", "",
              "A partition that maximises structural balance: cooperation inside blocs, conflict across them. "
              "Blocs are read from alignment: meetings, deals, appeals and other cooperation events, which "
              "adversaries have too, count a quarter; standing relations and all conflict count fully. "
              f"{_weighting_note(result.get('weighting', 'goldstein'))} "
              f"Frustration (conflict inside plus cooperation across blocs): {result['frustration']:.3f} of "
              f"{result['signed_weight']:.3f} signed weight.", ""]
    lines += _table(["bloc", "size", "members"],
                    [[b["id"], b["size"], ", ".join(b["labels"][:25]) + (" …" if b["size"] > 25 else "")]
                     for b in result["blocs"]]) if result["blocs"] else ["No cooperation or conflict relations.", ""]
    t = result["triads"]
    ratio = f"{t['ratio']:.1%}" if t["ratio"] is not None else "n/a"
    lines += ["## Balance", "", f"{t['balanced']} balanced and {t['unbalanced']} unbalanced signed triads "
              f"({ratio} balanced).", ""]
    lines += _table(["triad", "count", "balanced"],
                    [[k, v, "yes" if k in ("+++", "+--") else "no"] for k, v in t["by_type"].items()])
    if t["unbalanced_examples"]:
        lines += ["Unbalanced triads (first ones): " + "; ".join(" / ".join(x) for x in t["unbalanced_examples"][:10]), ""]
    lines += ["## Contradictions", "", "Pairs joined by both cooperation and conflict relations.", ""]
    lines += _table(["actors", "cooperation", "conflict", "+ weight", "- weight", "documents"],
                    [[" – ".join(c["labels"]), ", ".join(c["cooperation"]), ", ".join(c["conflict"]), c["positive"],
                      c["negative"], len(c["documents"])] for c in result["contradictions"][:20]]) \
        if result["contradictions"] else ["None found.", ""]
    st = result["stance"]
    keys = st["actors"][:10]
    if keys:
        lines += ["## Stance", "", "Net stance of the row actor toward the column actor (cooperation − conflict, "
                  "weighted as in the blocs).", ""]
        lines += _table(["from \\ to"] + [f"`{k}`" for k in keys],
                        [[f"`{a}`"] + [st["matrix"].get(a, {}).get(b) for b in keys] for a in keys])
    lines += [f"## Over time (by {result['period']})", ""]
    if result["periods"]:
        lines += _table(["period", "documents", "actors", "relations", "cooperation", "conflict", "neutral"],
                        [[p["period"], p["documents"], p["actors"], p["relations"], p["cooperation"], p["conflict"],
                          p["neutral"]] for p in result["periods"]])
        for name, title in (("relations_over_time", "Relations over time"), ("stance_over_time", "Stance over time")):
            if charts.get(name):
                lines += [f"![{title}]({charts[name]})", ""]
    else:
        lines += ["No dated evidence.", ""]
    c = result.get("change")
    lines += ["## Change between the last two periods", ""]
    if c:
        lines += [f"From {c['from']} to {c['to']}: {len(c['new'])} new relations, {len(c['vanished'])} vanished, "
                  f"{len(c['sign_flips'])} sign flips.", ""]
        if c["sign_flips"]:
            lines += _table(["pair", "before", "after"],
                            [[" – ".join(map(str, f["pair"])), f["before"], f["after"]] for f in c["sign_flips"]])
        movers = [("rising", m) for m in c["rising"]] + [("falling", m) for m in c["falling"]]
        if movers:
            lines += _table(["", "actor", "PageRank before", "after", "degree before", "after"],
                            [[d, f"{m['label']} (`{m['actor']}`)", m["before"], m["after"], m["degree_before"],
                              m["degree_after"]] for d, m in movers])
        for name in ("new", "vanished"):
            if c[name]:
                shown = "; ".join(" ".join(map(str, t)) for t in c[name][:15])
                more = f" (and {len(c[name]) - 15} more)" if len(c[name]) > 15 else ""
                lines += [f"**{name.capitalize()}:** {shown}{more}", ""]
    else:
        lines += ["Fewer than two periods with dated evidence.", ""]
    return "\n".join(lines).rstrip() + "\n"
