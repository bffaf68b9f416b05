"""Metrics of an actor network, as plain functions of G.

Every function takes the graph first and options by keyword, returns plain dicts (keyed by node where
that makes sense), never mutates its input, and takes a ``seed`` wherever randomness enters. They accept
the ``MultiDiGraph`` of :func:`kg.analyse.convert.to_networkx` (edge attributes ``polarity``, ``count``,
``confidence``, ``symmetric``); the signed ones also accept an already signed ``nx.Graph``.

PageRank, betweenness and the signed blocs are written on numpy arrays (no scipy needed) so they stay
tractable at 50k actors / 300k relations; see ``benchmarks/bench_analyse.py``. Relations weigh by their
Goldstein score unless ``weighting="evidence"`` (see :func:`kg.analyse.convert.signed_graph`).

Examples:
    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("RUS", "SYR", key="supports", polarity=1, count=1, confidence=1.0)
    'supports'
    >>> G.add_edge("TUR", "SYR", key="attacks", polarity=-1, count=1, confidence=1.0)
    'attacks'
    >>> degrees(G)["SYR"]
    {'degree': 2, 'in': 2, 'out': 0}
"""
from __future__ import annotations

import logging
from collections import defaultdict
from typing import Any

import networkx as nx
import numpy as np

from kg.analyse.convert import (
    _pair_weights,
    _without_gc,
    cooperation_graph,
    edge_weight,
    relation_scale,
    signed_graph,
)

__all__ = [
    "degrees",
    "pagerank",
    "betweenness",
    "communities",
    "signed_blocs",
    "triad_balance",
    "stance",
    "ego_network",
    "contradictions",
    "change",
]

log = logging.getLogger(__name__)

#: Graphs with at most this many nodes get exact betweenness when ``k`` is not given.
EXACT_BETWEENNESS_NODES = 1000
#: Components with at most this many nodes get a dense eigendecomposition in :func:`signed_blocs`.
DENSE_SPECTRAL_NODES = 1500


# ---------------------------------------------------------------------------------------------- helpers
def _index(G) -> tuple[list, dict]:
    nodes = sorted(G, key=str)
    return nodes, {n: i for i, n in enumerate(nodes)}


def _arcs(G, *, weight: str | None = "count", symmetric_both_ways: bool = True):
    """Directed arcs (src, dst, weight) aggregated over parallel edges, sorted by (src, dst); symmetric
    relations go both ways."""
    nodes, index = _index(G)
    directed = G.is_directed()
    src, dst, w, both = [], [], [], []
    for u, v, data in G.edges(data=True):
        if u == v:
            continue
        src.append(index[u])
        dst.append(index[v])
        w.append(float(data.get(weight, 1.0)) if weight else 1.0)
        both.append(not directed or (symmetric_both_ways and bool(data.get("symmetric"))))
    if not src:
        empty = np.zeros(0, dtype=np.int64)
        return nodes, empty, empty, np.zeros(0)
    src_a, dst_a, w_a = np.array(src, dtype=np.int64), np.array(dst, dtype=np.int64), np.array(w)
    back = np.array(both, dtype=bool)
    src_a, dst_a = np.concatenate([src_a, dst_a[back]]), np.concatenate([dst_a, src_a[back]])
    w_a = np.concatenate([w_a, w_a[back]])
    n = max(len(nodes), 1)
    keys, inverse = np.unique(src_a * n + dst_a, return_inverse=True)
    totals = np.bincount(inverse.reshape(-1), weights=w_a)
    return nodes, keys // n, keys % n, totals


def _csr(n: int, src: np.ndarray, dst: np.ndarray, data: np.ndarray | None = None):
    order = np.lexsort((dst, src))
    src, dst = src[order], dst[order]
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.add.at(indptr, src + 1, 1)
    np.cumsum(indptr, out=indptr)
    return indptr, dst, (data[order] if data is not None else None)


def _undirected_neighbours(G) -> tuple[list, np.ndarray, np.ndarray]:
    """CSR (indptr, indices) of the simple undirected view of G (distinct neighbours, no self-loops)."""
    nodes, index = _index(G)
    pairs = {(index[u], index[v]) for u, v in G.edges() if u != v}
    pairs |= {(j, i) for i, j in pairs}
    if not pairs:
        return nodes, np.zeros(len(nodes) + 1, dtype=np.int64), np.zeros(0, dtype=np.int64)
    arr = np.array(sorted(pairs), dtype=np.int64)
    indptr, indices, _ = _csr(len(nodes), arr[:, 0], arr[:, 1])
    return nodes, indptr, indices


def _as_signed(G, **kwargs) -> nx.Graph:
    if isinstance(G, nx.Graph) and not G.is_directed() and not G.is_multigraph() and all(
            "sign" in d for _, _, d in G.edges(data=True)):
        return G
    return signed_graph(G, **kwargs)


# ---------------------------------------------------------------------------------------------- centrality
@_without_gc
def degrees(G) -> dict[Any, dict[str, int]]:
    """Distinct neighbours of each actor: ``degree`` (either direction), ``in`` and ``out``.

    Several relations between the same two actors count once, so an actor is not central for being
    described many ways by one other.

    Examples:
        >>> G = nx.MultiDiGraph([("A", "B", "attacks"), ("A", "B", "threatens"), ("C", "A", "supports")])
        >>> degrees(G)["A"]
        {'degree': 2, 'in': 1, 'out': 1}
    """
    out: dict[Any, dict[str, int]] = {}
    directed = G.is_directed()
    for node in sorted(G, key=str):
        succ = set(G.successors(node) if directed else G.neighbors(node)) - {node}
        pred = set(G.predecessors(node) if directed else G.neighbors(node)) - {node}
        out[node] = {"degree": len(succ | pred), "in": len(pred), "out": len(succ)}
    return out


def pagerank(G, *, alpha: float = 0.85, weight: str | None = "count", tol: float = 1.0e-10,
             max_iter: int = 500) -> dict[Any, float]:
    """PageRank over directed relations (symmetric relations count both ways), weighted by evidence count.

    Equal to networkx's PageRank on the same weighted digraph (dangling actors spread their rank evenly),
    computed with numpy so it needs no scipy.

    Examples:
        >>> G = nx.MultiDiGraph([("A", "C", "supports"), ("B", "C", "supports")])
        >>> rank = pagerank(G)
        >>> max(rank, key=rank.get), round(sum(rank.values()), 6)
        ('C', 1.0)
    """
    nodes, src, dst, w = _arcs(G, weight=weight)
    n = len(nodes)
    if n == 0:
        return {}
    out_weight = np.bincount(src, weights=w, minlength=n)
    dangling = out_weight == 0
    p = np.full(n, 1.0 / n)
    x = p.copy()
    coef = np.divide(w, out_weight[src], out=np.zeros_like(w), where=out_weight[src] > 0)
    for _ in range(max_iter):
        prev = x
        x = alpha * (np.bincount(dst, weights=prev[src] * coef, minlength=n) + prev[dangling].sum() * p) \
            + (1 - alpha) * p
        if np.abs(x - prev).sum() < n * tol:
            break
    else:
        log.warning("pagerank did not converge in %d iterations", max_iter)
    x /= x.sum()
    return {node: float(x[i]) for i, node in enumerate(nodes)}


def betweenness(G, *, k: int | None = None, seed: int | None = 0,
                normalized: bool = True) -> dict[Any, float]:
    """Betweenness of each actor on the undirected simple view of G: the brokers.

    Exact (every actor a source) up to ``EXACT_BETWEENNESS_NODES`` actors; above that, or when ``k`` is
    given, estimated from ``k`` source actors drawn with ``seed`` (default k: 256). Scaled like networkx's
    ``betweenness_centrality`` (same values when exact).

    Examples:
        >>> G = nx.MultiDiGraph([("A", "B", "meetsWith"), ("B", "C", "meetsWith")])
        >>> betweenness(G)
        {'A': 0.0, 'B': 1.0, 'C': 0.0}
    """
    nodes, indptr, indices = _undirected_neighbours(G)
    n = len(nodes)
    if n == 0:
        return {}
    if k is None and n > EXACT_BETWEENNESS_NODES:
        k = 256
    if k is None or k >= n:
        sources = np.arange(n)
    else:
        sources = np.sort(np.random.default_rng(seed).choice(n, size=k, replace=False))
    bc = np.zeros(n)
    for s in sources:
        bc += _brandes_from(int(s), n, indptr, indices)
    if normalized:
        scale = 1.0 / ((n - 1) * (n - 2)) if n > 2 else 0.0
    else:
        scale = 0.5
    scale *= n / len(sources)
    return {node: float(bc[i] * scale) for i, node in enumerate(nodes)}


def _brandes_from(s: int, n: int, indptr: np.ndarray, indices: np.ndarray) -> np.ndarray:
    """Dependencies of every node on shortest paths from ``s`` (Brandes), one BFS level at a time."""
    dist = np.full(n, -1, dtype=np.int64)
    sigma = np.zeros(n)
    dist[s], sigma[s] = 0, 1.0
    frontier = np.array([s], dtype=np.int64)
    levels: list[tuple[np.ndarray, np.ndarray]] = []  # arcs from level d to level d+1
    depth = 0
    while frontier.size:
        starts, ends = indptr[frontier], indptr[frontier + 1]
        lengths = ends - starts
        total = int(lengths.sum())
        if total == 0:
            break
        offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(total)
        tail = np.repeat(frontier, lengths)
        head = indices[offsets]
        fresh = dist[head] == -1
        dist[head[fresh]] = depth + 1
        down = dist[head] == depth + 1
        tail, head = tail[down], head[down]
        if head.size == 0:
            break
        sigma += np.bincount(head, weights=sigma[tail], minlength=n)
        levels.append((tail, head))
        frontier = np.unique(head)
        depth += 1
    delta = np.zeros(n)
    for tail, head in reversed(levels):
        delta += np.bincount(tail, weights=sigma[tail] / sigma[head] * (1.0 + delta[head]), minlength=n)
    delta[s] = 0.0
    return delta


def communities(G, *, seed: int | None = 0, resolution: float = 1.0,
                weighting: str = "goldstein") -> dict[Any, int]:
    """Louvain communities of the cooperation graph (cooperation relations only), numbered by size.

    Relations weigh as in ``cooperation_graph`` (``weighting``: ``"goldstein"`` or ``"evidence"``). Actors
    without any cooperation relation are each their own community.

    Examples:
        >>> G = nx.MultiDiGraph()
        >>> for u, v in [("A", "B"), ("B", "C"), ("A", "C"), ("D", "E"), ("E", "F"), ("D", "F")]:
        ...     _ = G.add_edge(u, v, key="supports", polarity=1, count=1, confidence=1.0)
        >>> _ = G.add_edge("C", "D", key="attacks", polarity=-1, count=1, confidence=1.0)
        >>> communities(G, seed=1)
        {'A': 0, 'B': 0, 'C': 0, 'D': 1, 'E': 1, 'F': 1}
    """
    C = cooperation_graph(G, weighting=weighting) if G.is_directed() or G.is_multigraph() else G
    parts = nx.community.louvain_communities(C, weight="weight", resolution=resolution, seed=seed)
    return _number_groups(parts)


def _number_groups(parts) -> dict[Any, int]:
    groups = sorted((sorted(p, key=str) for p in parts if p), key=lambda p: (-len(p), str(p[0])))
    numbered = {node: i for i, group in enumerate(groups) for node in group}
    return dict(sorted(numbered.items(), key=lambda item: str(item[0])))


# ---------------------------------------------------------------------------------------------- signed blocs
@_without_gc
def signed_blocs(G, *, seed: int | None = 0, max_passes: int = 50, weighting: str = "goldstein",
                 decay_half_life_days: float | None = None, as_of=None) -> dict[str, Any]:
    """Blocs: a partition of the actors that maximises structural balance.

    Minimises frustration (the weight of conflict inside blocs plus cooperation across blocs). Two starts are
    refined and the better kept: a spectral split of each connected component of the signed graph on its
    signed Laplacian, and every actor alone. Refinement alternates local moves of actors (an actor changes to
    the bloc it has the most net cooperation with, or a new bloc of its own) with the same moves of whole blocs
    on the graph of blocs (a bloc joining another is a merge), until neither lowers the frustration. Moves are
    computed for all actors at once with numpy and made together when they do not interact, so every move
    made lowers the frustration; the result is a local optimum (no single actor move and no merge of two
    blocs helps). Last, a bloc is split into the parts its inner cooperation holds together, so actors are
    never reported as one bloc only because nothing separates them. Deterministic for a given ``seed``.

    Args:
        G: a graph from ``to_networkx`` or a signed graph from ``signed_graph``.
        seed: seeds the start vector of the large-component eigen solver and the tie-breaks between moves.
        max_passes: cap on the rounds of actor moves followed by bloc moves.
        weighting, decay_half_life_days, as_of: passed to ``signed_graph`` when ``G`` is not signed yet
            (by default each evidence weighs ``|Goldstein| / 10`` of its relation times its confidence).

    Returns:
        ``{"bloc": {node: int}, "blocs": [[members]...], "frustration": float, "total_weight": float}``;
        blocs numbered by size; actors without cooperation or conflict relations are in no bloc.

    Examples:
        >>> S = nx.Graph()
        >>> S.add_edge("A", "B", weight=1, sign=1); S.add_edge("C", "D", weight=1, sign=1)
        >>> S.add_edge("A", "C", weight=-1, sign=-1); S.add_edge("B", "D", weight=-1, sign=-1)
        >>> signed_blocs(S)["blocs"]
        [['A', 'B'], ['C', 'D']]
    """
    S = _as_signed(G, weighting=weighting, decay_half_life_days=decay_half_life_days, as_of=as_of)
    nodes, index = _index(S)
    pairs = [(index[u], index[v], float(d["weight"])) for u, v, d in S.edges(data=True) if d.get("sign") and u != v]
    if not pairs:
        return {"bloc": {}, "blocs": [], "frustration": 0.0, "total_weight": 0.0}
    arr = np.array(pairs)
    i, j = arr[:, 0].astype(np.int64), arr[:, 1].astype(np.int64)
    # actors with a cooperation or conflict relation, renumbered 0..n-1 (in node order)
    active = np.unique(np.concatenate([i, j]))
    local = np.full(len(nodes), -1, dtype=np.int64)
    local[active] = np.arange(active.size)
    nodes = [nodes[k] for k in active.tolist()]
    n = len(nodes)
    src, dst = np.concatenate([local[i], local[j]]), np.concatenate([local[j], local[i]])
    indptr, indices, weights = _csr(n, src, dst, np.concatenate([arr[:, 2], arr[:, 2]]))
    src = np.repeat(np.arange(n), np.diff(indptr))
    rng = np.random.default_rng(seed)
    component = _components(n, src, indices)
    spectral = 2 * component
    negative = np.bincount(component[src], weights=(weights < 0), minlength=n) > 0
    for root in np.flatnonzero(negative).tolist():  # components with a conflict get split in two
        members = np.flatnonzero(component == root)
        a, b, w = _local_arcs(members, indptr, indices, weights)
        spectral[members] += _spectral_side(members.size, a, b, w, rng)
    best, best_frustration = None, None
    for start in (spectral, np.arange(n, dtype=np.int64)):  # spectral cut, and every actor alone
        labels = _refine(start, src, indices, weights, n, rng, max_passes)
        for _ in range(max_passes):  # split blocs that cooperation does not hold together, refine the parts
            parts = _split_by_cooperation(labels, src, indices, weights)
            if np.unique(parts).size == np.unique(labels).size:
                break
            labels = _refine(parts, src, indices, weights, n, rng, max_passes)
        frustration = _frustration(labels, src, indices, weights)
        if best is None or frustration < best_frustration - 1e-12:
            best, best_frustration = labels, frustration
    parts: dict[int, list] = defaultdict(list)
    for k, label in enumerate(best.tolist()):
        parts[label].append(nodes[k])
    bloc = _number_groups(parts.values())
    blocs: list[list] = [[] for _ in range(len(parts))]
    for node, b in bloc.items():
        blocs[b].append(node)
    return {"bloc": bloc, "blocs": [sorted(b, key=str) for b in blocs], "frustration": round(best_frustration, 9),
            "total_weight": round(float(np.abs(weights).sum() / 2), 9)}


def _components(n: int, src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """Connected components: each node's label is the smallest node of its component (hook and compress)."""
    parent = np.arange(n, dtype=np.int64)
    while True:
        a, b = parent[src], parent[dst]
        lower = a < b
        if not lower.any():
            return parent
        np.minimum.at(parent, b[lower], a[lower])  # hook roots onto smaller roots
        while True:
            jumped = parent[parent]
            if np.array_equal(jumped, parent):
                break
            parent = jumped


def _local_arcs(members: np.ndarray, indptr, indices, weights):
    """Arcs among ``members`` only, renumbered 0..len(members)-1."""
    m = len(members)
    local = np.full(indptr.size - 1, -1, dtype=np.int64)
    local[members] = np.arange(m)
    lengths = indptr[members + 1] - indptr[members]
    offsets = np.repeat(indptr[members] - np.cumsum(lengths) + lengths, lengths) + np.arange(int(lengths.sum()))
    src = np.repeat(np.arange(m), lengths)
    dst = local[indices[offsets]]
    inside = dst >= 0
    return src[inside], dst[inside], weights[offsets][inside]


def _spectral_side(m: int, src, dst, w, rng) -> np.ndarray:
    """0/1 side of each node from the eigenvector of the smallest eigenvalue of the signed Laplacian."""
    absdeg = np.bincount(src, weights=np.abs(w), minlength=m)
    if m <= DENSE_SPECTRAL_NODES:
        lap = np.diag(absdeg)
        np.add.at(lap, (src, dst), -w)
        _, vecs = np.linalg.eigh(lap)
        vec = vecs[:, 0]
    else:
        # power iteration on I + D^-1/2 A D^-1/2 (eigenvalues in [0, 2]): its top eigenvector is the bottom
        # one of the normalised signed Laplacian
        inv = 1.0 / np.sqrt(np.maximum(absdeg, 1e-12))
        norm_w = w * inv[src] * inv[dst]
        vec = rng.standard_normal(m)
        for _ in range(300):
            nxt = vec + np.bincount(src, weights=norm_w * vec[dst], minlength=m)
            nxt /= np.sqrt(np.square(nxt).sum())  # not np.linalg.norm: BLAS threads stall on a busy machine
            if np.abs(nxt - vec).max() < 1e-9:
                vec = nxt
                break
            vec = nxt
        vec = vec * inv
    anchor = int(np.argmax(np.abs(vec)))
    if vec[anchor] < 0:
        vec = -vec
    return (vec < 0).astype(np.int64)


def _refine(labels, src, dst, weights, n, rng, max_passes) -> np.ndarray:
    """Local moves of actors, then of whole blocs (a move of a bloc into another is a merge), until neither
    lowers the frustration: a Louvain-style two-level search, every step vectorised."""
    labels = _compact(labels)
    for _ in range(max_passes):
        labels = _local_moves(labels, src, dst, weights, n, rng)
        k = int(labels.max()) + 1
        a, b = labels[src], labels[dst]
        across = a != b
        if not across.any():
            break
        keys, inverse = np.unique(a[across] * k + b[across], return_inverse=True)
        coarse_w = np.bincount(inverse.reshape(-1), weights=weights[across])
        coarse_src, coarse_dst = np.divmod(keys, k)
        coarse = _local_moves(np.arange(k, dtype=np.int64), coarse_src, coarse_dst, coarse_w, k, rng)
        if np.unique(coarse).size == k:  # no bloc joined another
            break
        labels = _compact(coarse[labels])
    return labels


def _split_by_cooperation(labels, src, dst, weights) -> np.ndarray:
    """Each bloc split into the parts its inner cooperation holds together (never raises the frustration).

    Actors that share a bloc only because nothing separates them (no tie at all, or only conflict with the
    rest) would otherwise be reported as allies: e.g. a group whose one tie is a fight with an enemy of the
    bloc. Splitting drops no cooperation across blocs and can only remove conflict inside them.
    """
    inner = (labels[src] == labels[dst]) & (weights > 0)
    return _compact(_components(labels.size, src[inner], dst[inner]))


def _compact(labels: np.ndarray) -> np.ndarray:
    """Labels renumbered 0..k-1 in the order of their values (keeps keys small)."""
    _, inverse = np.unique(labels, return_inverse=True)
    return inverse.astype(np.int64).reshape(-1)


def _best_moves(labels, src, dst, weights, n):
    """For each node with arcs: the gain of its best move and the bloc it moves to (-1: a new bloc of its own).

    A node's share of the frustration falls by the net tie weight it gains with its bloc, so the best move
    is to the bloc it has the most net cooperation with (a new bloc counts 0). ``src`` must be sorted.
    """
    gain = np.zeros(n)
    target = labels.copy()
    if src.size == 0:
        return gain, target
    size = int(labels.max()) + 1
    keys, inverse = np.unique(src * size + labels[dst], return_inverse=True)
    totals = np.bincount(inverse.reshape(-1), weights=weights)
    node, label = np.divmod(keys, size)
    here = np.zeros(n)
    mine = label == labels[node]
    here[node[mine]] = totals[mine]
    head = np.r_[True, node[1:] != node[:-1]]
    segment = np.cumsum(head) - 1
    top = np.maximum.reduceat(totals, np.flatnonzero(head))
    at_top = np.flatnonzero(totals >= top[segment])
    first = at_top[np.r_[True, segment[at_top][1:] != segment[at_top][:-1]]]  # smallest label among the best
    best = np.zeros(n)
    best[node[first]] = totals[first]
    target[node[first]] = label[first]
    alone = best <= 1e-12
    target[alone] = -1
    gain = np.maximum(best, 0.0) - here
    gain[(target == labels) | (alone & (here >= -1e-12))] = 0.0
    target[gain <= 0.0] = labels[gain <= 0.0]
    return gain, target


def _local_moves(labels, src, dst, weights, n, rng, max_rounds: int = 1000) -> np.ndarray:
    """Move nodes to the bloc with the highest net tie weight (0 for a new bloc) while that helps.

    Vectorised: each round computes the best move of every node whose neighbourhood changed, then moves at
    once every node whose gain beats that of each neighbour whose move would interact with its own (one
    leaving or entering the bloc it leaves or enters; ties broken at random with ``rng``). Moves made together
    do not interact, so each lowers the frustration by exactly its gain and rounds cannot undo each other.
    ``src`` must be sorted.
    """
    labels = labels.copy()
    gain, target = np.zeros(n), labels.copy()
    dirty = np.ones(n, dtype=bool)
    for _ in range(max_rounds):
        arcs = np.flatnonzero(dirty[src]) if not dirty.all() else slice(None)
        fresh_gain, fresh_target = _best_moves(labels, src[arcs], dst[arcs], weights[arcs], n)
        gain[dirty], target[dirty] = fresh_gain[dirty], fresh_target[dirty]
        movers = gain > 1e-12
        if not movers.any():
            break
        priority = np.where(movers, gain + rng.random(n) * 1e-9 * np.maximum(gain, 1.0), -1.0)
        arcs = np.flatnonzero(movers[src] & movers[dst])
        a, b = src[arcs], dst[arcs]
        la, ta, lb, tb = labels[a], target[a], labels[b], target[b]
        interacts = (lb == la) | (lb == ta) | (tb == la) | ((tb == ta) & (ta >= 0))
        a, rival_priority = a[interacts], priority[b[interacts]]
        rival = np.full(n, -1.0)
        if a.size:
            heads = np.flatnonzero(np.r_[True, a[1:] != a[:-1]])
            rival[a[heads]] = np.maximum.reduceat(rival_priority, heads)
        chosen = np.flatnonzero(movers & (priority > rival))
        new = chosen[target[chosen] < 0]
        target[new] = int(labels.max()) + 1 + np.arange(new.size)
        labels[chosen] = target[chosen]
        moved = np.zeros(n, dtype=bool)
        moved[chosen] = True
        dirty = movers.copy()
        dirty[dst[moved[src]]] = True
        gain[chosen] = 0.0
        if labels.max() > 4 * n + 16:
            labels = _compact(labels)
            dirty[:] = True
    else:
        log.warning("signed bloc moves stopped after %d rounds", max_rounds)
    return labels


def _frustration(labels, src, dst, weights) -> float:
    same = labels[src] == labels[dst]
    bad = np.where(same, np.maximum(-weights, 0), np.maximum(weights, 0))
    return float(bad.sum() / 2)


@_without_gc
def triad_balance(G, **signed_options) -> dict[str, Any]:
    """Balanced and unbalanced signed triangles (a triangle is balanced when the product of its signs is +).

    The sign of a pair is the sign of its net weight in ``signed_graph(G, **signed_options)`` (Goldstein
    weighting unless ``weighting="evidence"``).

    Returns:
        ``{"balanced": n, "unbalanced": n, "ratio": balanced / all, "by_type": {"+++": n, "++-": n,
        "+--": n, "---": n}, "unbalanced_examples": [[a, b, c]...] (first 20)}``.

    Examples:
        >>> S = nx.Graph()
        >>> S.add_edge("A", "B", sign=1, weight=1); S.add_edge("B", "C", sign=-1, weight=-1)
        >>> S.add_edge("A", "C", sign=-1, weight=-1)
        >>> triad_balance(S)["by_type"]
        {'+++': 0, '++-': 0, '+--': 1, '---': 0}
    """
    S = _as_signed(G, **signed_options)
    nodes, index = _index(S)
    adj: list[dict[int, int]] = [{} for _ in nodes]
    for u, v, sign in S.edges(data="sign"):
        if sign and u != v:
            adj[index[u]][index[v]] = sign
            adj[index[v]][index[u]] = sign
    by_type = {"+++": 0, "++-": 0, "+--": 0, "---": 0}
    examples = []
    for a in range(len(nodes)):
        higher = {b: s for b, s in adj[a].items() if b > a}
        for b, sab in higher.items():
            for c in higher.keys() & adj[b].keys():
                if c <= b:
                    continue
                negatives = (sab < 0) + (adj[a][c] < 0) + (adj[b][c] < 0)
                kind = "+" * (3 - negatives) + "-" * negatives
                by_type[kind] += 1
                if negatives % 2 and len(examples) < 20:
                    examples.append([nodes[a], nodes[b], nodes[c]])
    balanced = by_type["+++"] + by_type["+--"]
    unbalanced = by_type["++-"] + by_type["---"]
    total = balanced + unbalanced
    return {"balanced": balanced, "unbalanced": unbalanced, "ratio": balanced / total if total else None,
            "by_type": by_type, "unbalanced_examples": examples}


# ---------------------------------------------------------------------------------------------- stance, ego
@_without_gc
def stance(G, *, nodes=None, weighting: str = "goldstein") -> dict[Any, dict[Any, float]]:
    """Net stance of each actor toward each other: its cooperation minus its conflict toward it.

    Directed: ``stance[a][b]`` sums what ``a`` does to ``b`` (and symmetric relations either way), each
    relation weighing ``edge_weight`` (its evidence confidences times ``|Goldstein| / 10`` by default). Only
    pairs with a non-neutral relation appear.

    Args:
        nodes: restrict to relations among these actors.
        weighting: ``"goldstein"`` or ``"evidence"`` (every evidence weighs its confidence).

    Examples:
        >>> G = nx.MultiDiGraph()
        >>> G.add_edge("TUR", "SYR", key="attacks", polarity=-1, count=2, confidence=0.5)
        'attacks'
        >>> G.add_edge("SYR", "TUR", key="meetsWith", polarity=1, count=1, confidence=1.0, symmetric=True)
        'meetsWith'
        >>> stance(G)
        {'SYR': {'TUR': 0.1}, 'TUR': {'SYR': -0.9}}
        >>> stance(G, weighting="evidence")
        {'SYR': {'TUR': 1.0}, 'TUR': {'SYR': 0.0}}
    """
    keep = set(nodes) if nodes is not None else None
    out: dict[Any, dict[Any, float]] = defaultdict(lambda: defaultdict(float))
    for u, v, rel, data in G.edges(keys=True, data=True):
        polarity = data.get("polarity", 0)
        if u == v or not polarity or (keep is not None and (u not in keep or v not in keep)):
            continue
        value = polarity * edge_weight(data, relation=rel, weighting=weighting)
        out[u][v] += value
        if data.get("symmetric"):
            out[v][u] += value
    return {u: {v: round(x, 9) for v, x in sorted(row.items(), key=lambda i: str(i[0]))}
            for u, row in sorted(out.items(), key=lambda i: str(i[0]))}


def ego_network(G, node, *, radius: int = 1) -> nx.MultiDiGraph:
    """The actors within ``radius`` relations of ``node`` (either direction) and the relations among them.

    Returns a copy; the input graph is unchanged.

    Examples:
        >>> G = nx.MultiDiGraph([("A", "B", "supports"), ("B", "C", "attacks"), ("C", "D", "attacks")])
        >>> sorted(ego_network(G, "B"))
        ['A', 'B', 'C']
    """
    if node not in G:
        raise KeyError(f"actor {node!r} is not in the graph; expected one of its node keys, e.g. "
                       f"{sorted(G, key=str)[:3]}")
    return nx.ego_graph(G, node, radius=radius, undirected=True).copy()


@_without_gc
def contradictions(G, *, weighting: str = "goldstein") -> list[dict[str, Any]]:
    """Pairs of actors joined by both cooperation and conflict relations, most contested first.

    ``positive`` and ``negative`` weigh each side like ``signed_graph`` (``weighting``); "most contested" is
    the larger of the two smaller sides.

    Examples:
        >>> G = nx.MultiDiGraph()
        >>> G.add_edge("RUS", "TUR", key="cooperatesWith", polarity=1, count=2, confidence=1.0)
        'cooperatesWith'
        >>> G.add_edge("TUR", "RUS", key="criticizes", polarity=-1, count=1, confidence=1.0)
        'criticizes'
        >>> [(c["pair"], c["cooperation"], c["conflict"]) for c in contradictions(G)]
        [(['RUS', 'TUR'], ['cooperatesWith'], ['criticizes'])]
    """
    relation_scale({}, weighting=weighting)  # validate early
    kinds: dict[tuple, tuple[set, set]] = {}
    for u, v, rel, polarity in G.edges(keys=True, data="polarity", default=0):
        if u == v or not polarity:
            continue
        pair = (u, v) if str(u) <= str(v) else (v, u)
        entry = kinds.get(pair)
        if entry is None:
            entry = kinds[pair] = (set(), set())
        entry[0 if polarity > 0 else 1].add(rel)
    mixed = {pair for pair, (cooperation, conflict) in kinds.items() if cooperation and conflict}
    if not mixed:
        return []
    H = nx.MultiDiGraph()  # the relations of the mixed pairs, weighed like signed_graph
    documents: dict[tuple, set] = defaultdict(set)
    for u, v, rel, data in G.edges(keys=True, data=True):
        pair = (u, v) if str(u) <= str(v) else (v, u)
        if pair in mixed and u != v and data.get("polarity", 0):
            H.add_edge(u, v, key=rel, **data)
            documents[pair].update(data.get("documents") or ())
    weights = _pair_weights(H, weighting=weighting)
    found = []
    for pair in mixed:
        cooperation, conflict = kinds[pair]
        positive, negative, _ = weights[pair]
        found.append({"pair": sorted(pair, key=str), "cooperation": sorted(cooperation),
                      "conflict": sorted(conflict), "positive": round(positive, 9), "negative": round(negative, 9),
                      "documents": sorted(documents[pair])})
    return sorted(found, key=lambda c: (-min(c["positive"], c["negative"]), [str(x) for x in c["pair"]]))


# ---------------------------------------------------------------------------------------------- change
@_without_gc
def change(G_before, G_after, *, top: int = 10, weighting: str = "goldstein") -> dict[str, Any]:
    """What changed between two graphs (e.g. two time slices).

    Returns:
        ``new`` and ``vanished`` relations (``[s, relation, o]``), ``sign_flips`` (pairs whose net signed
        weight, see ``signed_graph`` and ``weighting``, changed sign: ``{"pair", "before", "after"}``), and ``rising`` / ``falling`` actors by
        PageRank (``{"actor", "before", "after", "delta", "degree_before", "degree_after"}``, ``top`` each).

    Examples:
        >>> A = nx.MultiDiGraph([("TUR", "SYR", "attacks")])
        >>> B = nx.MultiDiGraph([("RUS", "SYR", "supports")])
        >>> c = change(A, B)
        >>> c["new"], c["vanished"]
        ([['RUS', 'supports', 'SYR']], [['TUR', 'attacks', 'SYR']])
    """
    before_edges = {(u, k, v) for u, v, k in G_before.edges(keys=True)}
    after_edges = {(u, k, v) for u, v, k in G_after.edges(keys=True)}
    key = lambda t: tuple(str(x) for x in t)  # noqa: E731
    new = [list(t) for t in sorted(after_edges - before_edges, key=key)]
    vanished = [list(t) for t in sorted(before_edges - after_edges, key=key)]
    S0, S1 = signed_graph(G_before, weighting=weighting), signed_graph(G_after, weighting=weighting)
    flips = []
    for u, v, sign in S1.edges(data="sign"):
        if S0.has_edge(u, v):
            old = S0[u][v]["sign"]
            if old and sign and old != sign:
                flips.append({"pair": sorted((u, v), key=str), "before": S0[u][v]["weight"],
                              "after": S1[u][v]["weight"]})
    flips.sort(key=lambda f: [str(x) for x in f["pair"]])
    pr0, pr1 = pagerank(G_before), pagerank(G_after)
    d0, d1 = degrees(G_before), degrees(G_after)
    moves = []
    for node in sorted(set(pr0) | set(pr1), key=str):
        b, a = pr0.get(node, 0.0), pr1.get(node, 0.0)
        moves.append({"actor": node, "before": b, "after": a, "delta": a - b,
                      "degree_before": d0.get(node, {}).get("degree", 0),
                      "degree_after": d1.get(node, {}).get("degree", 0)})
    rising = sorted((m for m in moves if m["delta"] > 1e-12), key=lambda m: (-m["delta"], str(m["actor"])))
    falling = sorted((m for m in moves if m["delta"] < -1e-12), key=lambda m: (m["delta"], str(m["actor"])))
    return {"new": new, "vanished": vanished, "sign_flips": flips, "rising": rising[:top], "falling": falling[:top]}
