"""Time each analysis metric on a synthetic signed actor network (default 50k actors, 300k relations).

The graph has hidden camps: relations inside a camp are mostly cooperation, across camps mostly conflict;
endpoints are drawn with heavy-tailed activity so there are hubs, as in news. Writes
``benchmarks/results/analyse.json`` and ``.md``.

    .venv/bin/python benchmarks/bench_analyse.py                     # 50k / 300k
    .venv/bin/python benchmarks/bench_analyse.py --actors 5000 --relations 30000
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sys
import time
from pathlib import Path

import networkx as nx
import numpy as np

from kg.analyse.convert import cooperation_graph, signed_graph, time_slices
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
from kg.analyse.report import analyse_graph

COOPERATION = ("supports", "cooperatesWith", "agreesWith", "meetsWith")
CONFLICT = ("opposes", "criticizes", "accuses", "threatens", "attacks", "fightsAgainst")
SYMMETRIC = {"cooperatesWith", "agreesWith", "meetsWith"}


def synthetic_graph(actors: int, relations: int, *, camps: int = 4, noise: float = 0.05, seed: int = 0) -> tuple[nx.MultiDiGraph, np.ndarray]:
    """A MultiDiGraph in the schema of ``to_networkx`` with ``relations`` distinct (s, relation, o) edges."""
    rng = np.random.default_rng(seed)
    camp = rng.integers(0, camps, size=actors)
    activity = rng.pareto(1.5, size=actors) + 1.0
    p = activity / activity.sum()
    G = nx.MultiDiGraph()
    for i in range(actors):
        G.add_node(f"A{i}", label=f"Actor {i}", type="State" if i % 10 == 0 else "Person", subtype=None,
                   iri=f"https://w3id.org/kg-news/id/actor/A{i}", provisional=False, aliases=[], documents=1)
    days = np.datetime64("2016-01-01") + np.arange(3 * 365)
    seen: set[tuple[int, str, int]] = set()
    while len(seen) < relations:
        batch = relations - len(seen)
        s = rng.choice(actors, size=batch * 2, p=p)
        o = rng.choice(actors, size=batch * 2, p=p)
        same = camp[s] == camp[o]
        friendly = np.where(same, rng.random(s.size) >= noise, rng.random(s.size) < noise)
        pick = rng.integers(0, 12, size=s.size)
        counts = rng.integers(1, 4, size=s.size)
        conf = rng.uniform(0.4, 1.0, size=s.size)
        date_idx = rng.integers(0, days.size, size=s.size)
        for j in range(s.size):
            if s[j] == o[j]:
                continue
            rel = COOPERATION[pick[j] % 4] if friendly[j] else CONFLICT[pick[j] % 6]
            key = (int(s[j]), rel, int(o[j]))
            if key in seen:
                continue
            seen.add(key)
            date = str(days[date_idx[j]])
            n = int(counts[j])
            evidence = [{"doc_id": f"d{date_idx[j]}-{k}", "date": date, "confidence": float(conf[j])} for k in range(n)]
            G.add_edge(f"A{s[j]}", f"A{o[j]}", key=rel, relation=rel, core=rel, polarity=1 if friendly[j] else -1,
                       symmetric=rel in SYMMETRIC, count=n, confidence=float(conf[j]), dates=[date], first_date=date,
                       last_date=date, documents=sorted({e["doc_id"] for e in evidence}), evidence=evidence)
            if len(seen) >= relations:
                break
    G.graph.update(documents={}, negated=[])
    return G, camp


def timed(results: dict, name: str, fn, *args, **kwargs):
    started = time.perf_counter()
    value = fn(*args, **kwargs)
    results[name] = round(time.perf_counter() - started, 3)
    print(f"{name:<28} {results[name]:>9.3f} s", file=sys.stderr, flush=True)
    return value


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actors", type=int, default=50_000)
    parser.add_argument("--relations", type=int, default=300_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--k", type=int, default=256, help="betweenness source samples")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results")
    parser.add_argument("--no-report", action="store_true", help="skip the full analyse_graph run")
    args = parser.parse_args(argv)

    load_before = [round(x, 2) for x in os.getloadavg()]
    times: dict[str, float] = {}
    G, camp = timed(times, "generate graph", synthetic_graph, args.actors, args.relations, seed=args.seed)
    timed(times, "degrees", degrees, G)
    timed(times, "pagerank", pagerank, G)
    timed(times, f"betweenness (k={args.k})", betweenness, G, k=args.k, seed=args.seed)
    S = timed(times, "signed_graph", signed_graph, G)
    timed(times, "cooperation_graph", cooperation_graph, G)
    timed(times, "communities (Louvain)", communities, G, seed=args.seed)
    blocs = timed(times, "signed_blocs", signed_blocs, S, seed=args.seed)
    triads = timed(times, "triad_balance", triad_balance, S)
    rank = pagerank(G)
    top = sorted(rank, key=rank.get, reverse=True)[:15]
    timed(times, "stance (top 15)", stance, G, nodes=top)
    found = timed(times, "contradictions", contradictions, G)
    slices = timed(times, "time_slices (quarter)", time_slices, G, "quarter")
    labels = list(slices)
    timed(times, "change (last two quarters)", change, slices[labels[-2]], slices[labels[-1]])
    if not args.no_report:
        timed(times, "analyse_graph (all of the report)", analyse_graph, G, period="quarter", seed=args.seed)

    # how well the blocs recover the hidden camps: share of actor pairs in one bloc that share a camp
    bloc_of = blocs["bloc"]
    index = {f"A{i}": i for i in range(args.actors)}
    rng = np.random.default_rng(1)
    members = np.array([index[n] for n in bloc_of])
    bloc_ids = np.array([bloc_of[n] for n in bloc_of])
    a, b = rng.integers(0, members.size, 200_000), rng.integers(0, members.size, 200_000)
    same_bloc = bloc_ids[a] == bloc_ids[b]
    purity = float((camp[members[a]][same_bloc] == camp[members[b]][same_bloc]).mean()) if same_bloc.any() else None

    planted = 0.0
    for u, v, w in S.edges(data="weight"):
        same_camp = camp[index[u]] == camp[index[v]]
        planted += max(-w, 0.0) if same_camp else max(w, 0.0)

    result = {
        "actors": G.number_of_nodes(), "relations": G.number_of_edges(), "signed_pairs": S.number_of_edges(),
        "seconds": times,
        "blocs": len(blocs["blocs"]), "largest_blocs": [len(x) for x in blocs["blocs"][:10]],
        "frustration_share": round(blocs["frustration"] / blocs["total_weight"], 4),
        "planted_frustration_share": round(planted / blocs["total_weight"], 4),
        "same_bloc_same_camp": round(purity, 4) if purity is not None else None,
        "triads": {k: triads[k] for k in ("balanced", "unbalanced", "ratio")}, "contradictions": len(found),
        "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "load_average": {"before": load_before, "after": [round(x, 2) for x in os.getloadavg()]},
        "weighting": "goldstein",
        "python": platform.python_version(), "networkx": nx.__version__, "numpy": np.__version__,
        "cpus": os.cpu_count(),
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "analyse.json").write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    lines = [f"# Analysis benchmark: {result['actors']:,} actors, {result['relations']:,} relations", "",
             f"Synthetic signed network with 4 hidden camps and 5% sign noise (`benchmarks/bench_analyse.py`), "
             f"{result['signed_pairs']:,} signed actor pairs; {result['cpus']} CPUs (shared), Python "
             f"{result['python']}, networkx {result['networkx']}, numpy {result['numpy']}; max RSS "
             f"{result['max_rss_mb']} MB. Load average (1, 5, 15 min) before {load_before}, after "
             f"{result['load_average']['after']}: the CPUs were shared with other jobs, so times are upper bounds. "
             "Relations weighted by Goldstein score (the default).", "", "| step | seconds |", "|---|---:|"]
    lines += [f"| {name} | {secs:.2f} |" for name, secs in times.items()]
    lines += ["", f"Signed blocs: {result['blocs']} (largest {result['largest_blocs']}), frustration "
              f"{result['frustration_share']:.1%} of the signed weight (the hidden camps as blocs: "
              f"{result['planted_frustration_share']:.1%}); two actors drawn from one bloc share a hidden "
              f"camp {result['same_bloc_same_camp']:.1%} of the time. Triads: {triads['balanced']:,} balanced, "
              f"{triads['unbalanced']:,} unbalanced.", ""]
    (args.out / "analyse.md").write_text("\n".join(lines), encoding="utf-8")
    return result


if __name__ == "__main__":
    main()
