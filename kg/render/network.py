"""vis-network payloads: which actors a graph shows, where they sit, and the node/edge records the JS draws.

Everything is plain JSON-able data built by filling lists directly (no pyvis ``add_node``/``add_edge``, which
scan all edges on every call). Positions are precomputed with a seeded layout so the browser only has a few
stabilisation iterations to run.
"""
from __future__ import annotations

import logging
import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

import networkx as nx

from kg.render.style import ACTOR_STYLE, POLARITY_STYLE, UNKNOWN_STYLE
from kg.render.text import actor_slug, clip, doc_slug, excerpt, relation_slug

__all__ = ["actor_ranks", "pagerank", "layout", "ego_layout", "network_payload", "style_payload"]

log = logging.getLogger(__name__)

#: Layout coordinates are scaled to at most this many pixels (half-width).
SCALE = 900.0


def pagerank(G: nx.MultiDiGraph, *, alpha: float = 0.85, iterations: int = 100, tol: float = 1e-10) -> dict[str, float]:
    """PageRank over the relation graph weighted by evidence count (pure numpy, no scipy needed).

    Examples:
        >>> G = nx.MultiDiGraph([("A", "B"), ("C", "B")])
        >>> r = pagerank(G)
        >>> max(r, key=r.get), round(sum(r.values()), 6)
        ('B', 1.0)
    """
    import numpy as np

    nodes = list(G.nodes)
    n = len(nodes)
    if n == 0:
        return {}
    index = {k: i for i, k in enumerate(nodes)}
    src, dst, weight = [], [], []
    for u, v, count in G.edges(data="count", default=1):
        if u != v:
            src.append(index[u])
            dst.append(index[v])
            weight.append(float(count or 1))
    src_a, dst_a, w = np.array(src, dtype=np.int64), np.array(dst, dtype=np.int64), np.array(weight)
    out = np.bincount(src_a, weights=w, minlength=n) if len(src) else np.zeros(n)
    rank = np.full(n, 1.0 / n)
    for _ in range(iterations):
        share = np.where(out > 0, rank / np.where(out > 0, out, 1), 0.0)
        new = np.bincount(dst_a, weights=share[src_a] * w, minlength=n) if len(src) else np.zeros(n)
        dangling = rank[out == 0].sum()
        new = alpha * (new + dangling / n) + (1 - alpha) / n
        if np.abs(new - rank).sum() < tol:
            rank = new
            break
        rank = new
    return {k: float(rank[i]) for k, i in index.items()}


def actor_ranks(G: nx.MultiDiGraph, metrics: dict[str, dict[str, Any]]) -> dict[str, float]:
    """PageRank of every actor: the stored metric when present, else computed here.

    Examples:
        >>> G = nx.MultiDiGraph([("A", "B")])
        >>> actor_ranks(G, {"A": {"pageRank": 0.9}, "B": {"pageRank": 0.1}})
        {'A': 0.9, 'B': 0.1}
    """
    stored = {k: metrics.get(k, {}).get("pageRank") for k in G.nodes}
    if G.number_of_nodes() and all(isinstance(v, (int, float)) for v in stored.values()):
        return {k: float(v) for k, v in stored.items()}
    computed = pagerank(G)
    return {k: float(v) if isinstance(v, (int, float)) else computed[k] for k, v in stored.items()}


def layout(G: nx.Graph, *, seed: int = 42, iterations: int = 60) -> dict[Any, tuple[float, float]]:
    """Seeded spring layout scaled to pixels (circular when networkx cannot run the spring layout).

    Examples:
        >>> pos = layout(nx.path_graph(3), seed=1)
        >>> sorted(pos) == [0, 1, 2] and pos == layout(nx.path_graph(3), seed=1)
        True
    """
    if G.number_of_nodes() == 0:
        return {}
    if G.number_of_nodes() == 1:
        return {next(iter(G.nodes)): (0.0, 0.0)}
    simple = nx.Graph()
    simple.add_nodes_from(G.nodes)
    simple.add_edges_from((u, v) for u, v in G.edges() if u != v)
    # sparse spring layout needs scipy for 500+ nodes; below that networkx uses numpy alone
    try:
        pos = nx.spring_layout(simple, seed=seed, iterations=iterations, scale=1.0,
                               k=1.8 / math.sqrt(simple.number_of_nodes()))
    except ImportError:
        log.info("spring layout needs scipy for %d nodes; using a circular layout", simple.number_of_nodes())
        pos = nx.circular_layout(simple, scale=1.0)
    scale = min(SCALE, 120.0 + 60.0 * math.sqrt(simple.number_of_nodes()))  # small graphs stay readable when fitted
    return {k: (round(float(x) * scale, 1), round(float(y) * scale, 1)) for k, (x, y) in pos.items()}


def ego_layout(center: Any, neighbours: list[Any]) -> dict[Any, tuple[float, float]]:
    """The actor in the middle, its neighbours on rings (inner ring first): instant and readable.

    Examples:
        >>> ego_layout("A", ["B", "C"])["A"]
        (0.0, 0.0)
    """
    pos = {center: (0.0, 0.0)}
    ring, placed, radius = 0, 0, 260.0
    while placed < len(neighbours):
        size = 12 + 10 * ring
        chunk = neighbours[placed: placed + size]
        for i, key in enumerate(chunk):
            angle = 2 * math.pi * i / len(chunk) + ring * 0.3
            pos[key] = (round(radius * math.cos(angle), 1), round(radius * math.sin(angle), 1))
        placed += len(chunk)
        ring += 1
        radius += 190.0
    return pos


def style_payload() -> dict[str, Any]:
    """The style table the JS uses to colour nodes and edges (same table as the legends)."""
    return {
        "types": {t: dict(s) for t, s in ACTOR_STYLE.items()},
        "unknown": dict(UNKNOWN_STYLE),
        "polarity": {str(p): dict(s) for p, s in POLARITY_STYLE.items()},
    }


def _evidence_record(ev: dict, root: str, limit: int) -> dict[str, Any]:
    sentence = ev.get("sentence") or ""
    base = ev.get("sentence_start") or 0
    start = (ev.get("start") if ev.get("start") is not None else base) - base
    end = (ev.get("end") if ev.get("end") is not None else base) - base
    text, a, b = excerpt(sentence, start, end, limit)
    return {
        "s": text, "m": [a, b] if a < b else None, "t": clip(ev.get("title") or ev.get("doc_id"), 160),
        "d": ev.get("date"), "src": ev.get("source"), "mod": ev.get("modality") or "asserted",
        "doc": f"{root}doc/{doc_slug(ev['doc_id'])}.html" if ev.get("doc_id") else None,
    }


def network_payload(G: nx.MultiDiGraph, keys: Iterable[str], *, positions: dict[str, tuple[float, float]],
                    ranks: dict[str, float], root: str = "", evidence_per_edge: int = 2, sentence_limit: int = 300,
                    edge_filter: Callable[[str, str, str, dict], bool] | None = None,
                    evidence_filter: Callable[[dict], bool] | None = None, max_edges: int | None = None,
                    highlight: str | None = None) -> dict[str, Any]:
    """Nodes and edges (between ``keys``) as compact records for ``kg.js``.

    Args:
        G: the actor graph.
        keys: the actors to draw, most important first.
        positions: precomputed ``{key: (x, y)}``.
        ranks: PageRank per actor (node size, order of the index's cap).
        root: relative path from the page to the site root ("" or "../").
        evidence_per_edge: evidence sentences carried by each edge (the rest is on the actor pages).
        sentence_limit: characters kept of each sentence (around the relation's span).
        edge_filter: keep only the edges for which this returns True.
        evidence_filter: keep only the evidence records for which this returns True.
        max_edges: keep at most this many edges (the most attested).
        highlight: key of the actor the page is about (drawn larger, with a border).

    Returns:
        ``{"nodes": [...], "edges": [...], "dropped_edges": n}``; node ids are small integers (opaque), each
        node carries its page url, each edge the relation, polarity, count, dates, roundness and evidence.
    """
    keys = list(dict.fromkeys(keys))
    ids = {k: i for i, k in enumerate(keys)}
    top = max((ranks.get(k, 0.0) for k in keys), default=0.0) or 1.0
    nodes = []
    for key in keys:
        data = G.nodes[key]
        x, y = positions.get(key, (0.0, 0.0))
        label = str(data.get("label") or key)
        type_ = data.get("type")
        docs = int(data.get("documents") or 0)
        nodes.append({
            "id": ids[key], "label": clip(label, 40), "name": label, "type": type_ or "", "x": x, "y": y,
            "rank": round(ranks.get(key, 0.0), 6), "size": round(10 + 30 * math.sqrt(ranks.get(key, 0.0) / top), 1),
            "docs": docs, "prov": bool(data.get("provisional")), "url": f"{root}actor/{actor_slug(str(key))}.html",
            "title": f"{label}\n{type_ or 'actor'} · {docs} document(s)", "focus": key == highlight,
        })
    chosen = []
    succ = G.succ
    for u in keys:  # only the edges among the drawn actors: O(their degrees), not O(all edges)
        for v, rels in succ[u].items():
            if v not in ids:
                continue
            for rel, data in rels.items():
                if edge_filter is None or edge_filter(u, v, rel, data):
                    chosen.append((u, v, rel, data))
    dropped = 0
    if max_edges is not None and len(chosen) > max_edges:
        chosen.sort(key=lambda e: (-(e[3].get("count") or 0), ids[e[0]], ids[e[1]], e[2]))
        dropped = len(chosen) - max_edges
        chosen = chosen[:max_edges]
    chosen.sort(key=lambda e: (ids[e[0]], ids[e[1]], e[2]))
    per_pair: dict[tuple[int, int], int] = defaultdict(int)
    edges = []
    for u, v, rel, data in chosen:
        pair = (min(ids[u], ids[v]), max(ids[u], ids[v]))
        nth = per_pair[pair]
        per_pair[pair] += 1
        records = data.get("evidence") or []
        if evidence_filter is not None:
            records = [e for e in records if evidence_filter(e)]
        polarity = int(data.get("polarity") or 0)
        edges.append({
            "id": len(edges), "from": ids[u], "to": ids[v], "rel": rel, "pol": polarity,
            "url": f"{root}relation/{relation_slug(rel)}.html",
            "n": int(data.get("count") or len(records) or 1), "f": data.get("first_date"), "l": data.get("last_date"),
            "r": round(0.1 + 0.18 * nth, 2),
            "ev": [_evidence_record(e, root, sentence_limit) for e in records[:evidence_per_edge]],
            "more": max(len(records) - evidence_per_edge, 0),
            "title": f"{G.nodes[u].get('label') or u} {rel} {G.nodes[v].get('label') or v} "
                     f"({int(data.get('count') or 1)}×, {POLARITY_STYLE.get(polarity, POLARITY_STYLE[0])['name']})",
        })
    return {"nodes": nodes, "edges": edges, "dropped_edges": dropped}
