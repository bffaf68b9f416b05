"""Metrics on small hand-built graphs with known answers."""
from __future__ import annotations

import copy

import networkx as nx
import pytest

from kg.analyse.convert import signed_graph
from kg.analyse.metrics import (
    betweenness,
    change,
    communities,
    contradictions,
    degrees,
    ego_network,
    pagerank,
    signed_blocs,
    stance,
    triad_balance,
)

COOP, CONF = ("supports", 1), ("attacks", -1)


def graph(*edges) -> nx.MultiDiGraph:
    """``(s, o, (relation, polarity))`` or ``(s, o, (relation, polarity), count)`` -> MultiDiGraph."""
    G = nx.MultiDiGraph()
    for s, o, (rel, pol), *count in edges:
        G.add_edge(s, o, key=rel, relation=rel, polarity=pol, count=count[0] if count else 1, confidence=1.0,
                   symmetric=False, documents=[f"{s}-{o}.txt"])
    return G


def two_camps() -> nx.MultiDiGraph:
    """Two cliques of allies (A B C, X Y Z) in conflict with each other."""
    allies = [(a, b, COOP) for camp in ("ABC", "XYZ") for i, a in enumerate(camp) for b in camp[i + 1:]]
    enemies = [("A", "X", CONF), ("B", "Y", CONF), ("Z", "C", CONF), ("A", "Z", CONF)]
    return graph(*allies, *enemies)


# ---------------------------------------------------------------------------------------------- balance
def test_balanced_triangle():
    # friends of friends are friends; the enemy of my friend is my enemy
    result = triad_balance(graph(("A", "B", COOP), ("B", "C", CONF), ("A", "C", CONF)))
    assert (result["balanced"], result["unbalanced"], result["ratio"]) == (1, 0, 1.0)


def test_unbalanced_triangle():
    result = triad_balance(graph(("A", "B", COOP), ("B", "C", COOP), ("A", "C", CONF)))
    assert (result["balanced"], result["unbalanced"]) == (0, 1)
    assert result["by_type"]["++-"] == 1 and result["unbalanced_examples"] == [["A", "B", "C"]]


def test_all_enemies_triangle_is_unbalanced_and_neutral_edges_do_not_count():
    G = graph(("A", "B", CONF), ("B", "C", CONF), ("A", "C", CONF), ("A", "D", ("locatedIn", 0)),
              ("B", "D", ("locatedIn", 0)))
    result = triad_balance(G)
    assert result["by_type"] == {"+++": 0, "++-": 0, "+--": 0, "---": 1}


# ---------------------------------------------------------------------------------------------- blocs
def test_two_camps_make_two_blocs():
    result = signed_blocs(two_camps())
    assert sorted(result["blocs"]) == [["A", "B", "C"], ["X", "Y", "Z"]]
    assert result["frustration"] == 0.0
    assert result["bloc"]["A"] != result["bloc"]["X"]


def test_blocs_minimise_frustration_with_a_traitor():
    # D cooperates with the X camp more than it quarrels with it, and fights A: it belongs with X
    G = two_camps()
    G.add_edge("D", "X", key="supports", polarity=1, count=3, confidence=1.0)
    G.add_edge("D", "Y", key="supports", polarity=1, count=1, confidence=1.0)
    G.add_edge("D", "A", key="attacks", polarity=-1, count=2, confidence=1.0)
    G.add_edge("D", "B", key="supports", polarity=1, count=1, confidence=1.0)
    result = signed_blocs(G)
    assert result["bloc"]["D"] == result["bloc"]["X"]
    assert result["frustration"] == pytest.approx(0.34)  # only D supports B (Goldstein 3.4) crosses blocs


def test_an_attack_splits_what_meetings_would_join():
    # A and B meet three times (Goldstein +1 each) and B attacks A once (-10); C meets both
    G = nx.MultiDiGraph()
    G.add_edge("A", "B", key="meetsWith", relation="meetsWith", polarity=1, count=3, confidence=1.0, symmetric=True)
    G.add_edge("B", "A", key="attacks", relation="attacks", polarity=-1, count=1, confidence=1.0)
    G.add_edge("C", "A", key="cooperatesWith", relation="cooperatesWith", polarity=1, count=1, confidence=1.0)
    result = signed_blocs(G)
    assert result["blocs"] == [["A", "C"], ["B"]] and result["frustration"] == 0.0
    unweighted = signed_blocs(G, weighting="evidence")
    assert unweighted["blocs"] == [["A", "B", "C"]]
    assert triad_balance(G)["ratio"] is None and stance(G)["B"]["A"] == pytest.approx(-0.7)


def test_three_mutual_enemies_make_three_blocs():
    result = signed_blocs(graph(("A", "B", CONF), ("B", "C", CONF), ("A", "C", CONF)))
    assert result["blocs"] == [["A"], ["B"], ["C"]] and result["frustration"] == 0.0


def test_actors_without_signed_relations_are_in_no_bloc():
    G = two_camps()
    G.add_node("LONER")
    G.add_edge("P", "Q", key="locatedIn", polarity=0, count=1, confidence=1.0)
    assert not {"LONER", "P", "Q"} & set(signed_blocs(G)["bloc"])


def test_large_component_uses_power_iteration(monkeypatch):
    from kg.analyse import metrics

    monkeypatch.setattr(metrics, "DENSE_SPECTRAL_NODES", 2)
    result = signed_blocs(two_camps(), seed=3)
    assert sorted(result["blocs"]) == [["A", "B", "C"], ["X", "Y", "Z"]]


# ---------------------------------------------------------------------------------------------- brokers
def test_bridge_actor_has_top_betweenness():
    left = [(a, b, COOP) for a, b in [("A", "B"), ("B", "C"), ("A", "C")]]
    right = [(a, b, COOP) for a, b in [("X", "Y"), ("Y", "Z"), ("X", "Z")]]
    G = graph(*left, *right, ("C", "BROKER", COOP), ("BROKER", "X", COOP))
    bc = betweenness(G)
    assert max(bc, key=bc.get) == "BROKER"
    assert bc == pytest.approx(nx.betweenness_centrality(nx.Graph(G.to_undirected())))


def test_sampled_betweenness_is_seeded():
    U = nx.barabasi_albert_graph(300, 2, seed=1)
    G = nx.MultiDiGraph(U)
    a, b = betweenness(G, k=30, seed=7), betweenness(G, k=30, seed=7)
    assert a == b
    exact = betweenness(G)
    top = max(exact, key=exact.get)
    assert sorted(a, key=a.get, reverse=True).index(top) < 5


# ---------------------------------------------------------------------------------------------- centrality
def test_pagerank_matches_networkx_reference():
    from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python

    D = nx.gnm_random_graph(40, 120, seed=2, directed=True)
    G = nx.MultiDiGraph()
    G.add_nodes_from(D)
    for u, v in D.edges():
        G.add_edge(u, v, key="supports", count=1)
    assert pagerank(G) == pytest.approx(_pagerank_python(D, tol=1e-12), abs=1e-8)


def test_symmetric_relations_count_both_ways_in_pagerank():
    G = nx.MultiDiGraph()
    G.add_edge("A", "B", key="meetsWith", symmetric=True, count=1)
    rank = pagerank(G)
    assert rank["A"] == pytest.approx(rank["B"])


def test_degrees_count_distinct_neighbours():
    G = graph(("A", "B", COOP), ("A", "B", CONF), ("B", "A", CONF), ("C", "A", COOP))
    assert degrees(G)["A"] == {"degree": 2, "in": 2, "out": 1}


def test_communities_on_cooperation_only():
    part = communities(two_camps(), seed=0)
    assert part["A"] == part["B"] == part["C"] != part["X"] == part["Y"] == part["Z"]


# ---------------------------------------------------------------------------------------------- stance etc.
def test_stance_is_directed_and_nets_polarity():
    G = graph(("TUR", "SYR", CONF, 3), ("TUR", "SYR", ("warns", -1)), ("SYR", "TUR", COOP))
    result = stance(G)  # 3 attacks (Goldstein -10) and a warning (-3); one support (+3.4)
    assert result["TUR"]["SYR"] == pytest.approx(-3.3) and result["SYR"]["TUR"] == pytest.approx(0.34)
    assert stance(G, weighting="evidence") == {"SYR": {"TUR": 1.0}, "TUR": {"SYR": -4.0}}
    assert stance(G, nodes=["TUR"]) == {}


def test_contradictions_find_mixed_pairs_only():
    G = graph(("RUS", "TUR", COOP), ("TUR", "RUS", CONF), ("RUS", "SYR", COOP))
    found = contradictions(G)
    assert [c["pair"] for c in found] == [["RUS", "TUR"]]
    assert found[0]["documents"] == ["RUS-TUR.txt", "TUR-RUS.txt"]


def test_contradictions_weigh_like_the_signed_graph():
    G = graph(("RUS", "TUR", ("cooperatesWith", 1), 2), ("TUR", "RUS", ("criticizes", -1)), ("RUS", "SYR", COOP))
    found = contradictions(G)
    S = signed_graph(G)
    assert (found[0]["positive"], found[0]["negative"]) == (1.2, 0.2)  # Goldstein +6 twice, -2 once
    assert (found[0]["positive"], found[0]["negative"]) == (S["RUS"]["TUR"]["positive"], S["RUS"]["TUR"]["negative"])
    unweighted = contradictions(G, weighting="evidence")[0]
    assert (unweighted["positive"], unweighted["negative"]) == (2.0, 1.0)
    with pytest.raises(ValueError, match="weighting"):
        contradictions(G, weighting="loud")


def test_ego_network_is_a_copy():
    G = two_camps()
    ego = ego_network(G, "Y")
    assert set(ego) == {"X", "Y", "Z", "B"}
    ego.remove_node("X")
    assert "X" in G
    with pytest.raises(KeyError, match="not in the graph"):
        ego_network(G, "NOBODY")


# ---------------------------------------------------------------------------------------------- change
def test_change_reports_new_vanished_flips_and_movers():
    before = graph(("TUR", "SYR", CONF), ("RUS", "TUR", CONF), ("IRN", "SYR", COOP))
    after = graph(("TUR", "SYR", CONF), ("RUS", "TUR", COOP), ("USA", "SYR", CONF), ("USA", "TUR", CONF))
    result = change(before, after)
    assert result["new"] == [["RUS", "supports", "TUR"], ["USA", "attacks", "SYR"], ["USA", "attacks", "TUR"]]
    assert result["vanished"] == [["IRN", "supports", "SYR"], ["RUS", "attacks", "TUR"]]
    assert result["sign_flips"] == [{"pair": ["RUS", "TUR"], "before": -1.0, "after": 0.34}]
    assert "IRN" in [m["actor"] for m in result["falling"]]
    assert "USA" in [m["actor"] for m in result["rising"]]


def test_no_change_between_identical_graphs():
    G = two_camps()
    result = change(G, copy.deepcopy(G))
    assert result == {"new": [], "vanished": [], "sign_flips": [], "rising": [], "falling": []}


# ---------------------------------------------------------------------------------------------- hygiene
def test_metrics_do_not_mutate_input_and_are_deterministic():
    G = two_camps()
    snapshot = copy.deepcopy(G)
    first = [pagerank(G), betweenness(G, k=3, seed=1), communities(G, seed=4), signed_blocs(G, seed=5),
             triad_balance(G), stance(G), contradictions(G)]
    second = [pagerank(G), betweenness(G, k=3, seed=1), communities(G, seed=4), signed_blocs(G, seed=5),
              triad_balance(G), stance(G), contradictions(G)]
    assert first == second
    assert nx.utils.graphs_equal(G, snapshot)
    assert list(G.edges(keys=True, data=True)) == list(snapshot.edges(keys=True, data=True))


def test_signed_graph_accepted_directly():
    S = signed_graph(two_camps())
    assert signed_blocs(S)["blocs"] == signed_blocs(two_camps())["blocs"]


def test_empty_graph():
    G = nx.MultiDiGraph()
    assert pagerank(G) == betweenness(G) == degrees(G) == stance(G) == {}
    assert signed_blocs(G)["blocs"] == [] and triad_balance(G)["ratio"] is None


# ---------------------------------------------------------------------------------------------- blocs at scale
def _random_signed(n: int, m: int, camps: int, noise: float, seed: int) -> tuple[nx.Graph, dict]:
    import random

    rnd = random.Random(seed)
    camp = {f"N{i}": i % camps for i in range(n)}
    S = nx.Graph()
    while S.number_of_edges() < m:
        u, v = rnd.sample(sorted(camp), 2)
        friendly = (camp[u] == camp[v]) != (rnd.random() < noise)
        w = rnd.choice([0.3, 0.6, 1.0]) * (1 if friendly else -1)
        S.add_edge(u, v, weight=w, sign=1 if w > 0 else -1)
    return S, camp


def _frustration_of(S: nx.Graph, bloc: dict) -> float:
    return sum(max(-w, 0) if bloc[u] == bloc[v] else max(w, 0) for u, v, w in S.edges(data="weight"))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_blocs_are_a_local_optimum(seed):
    # no single actor move (to another bloc or alone) and no merge of two blocs lowers the frustration
    S, _ = _random_signed(60, 240, camps=3, noise=0.25, seed=seed)
    result = signed_blocs(S, seed=seed)
    bloc = result["bloc"]
    base = _frustration_of(S, bloc)
    assert base == pytest.approx(result["frustration"])
    for node in S:
        for other in set(bloc.values()) | {-1}:
            if other != bloc[node]:
                assert _frustration_of(S, {**bloc, node: other}) >= base - 1e-9, (node, other)
    labels = sorted(set(bloc.values()))
    for i, a in enumerate(labels):
        for b in labels[i + 1:]:
            merged = {k: (a if x == b else x) for k, x in bloc.items()}
            assert _frustration_of(S, merged) >= base - 1e-9, (a, b)


def test_planted_camps_are_recovered():
    S, camp = _random_signed(90, 900, camps=3, noise=0.05, seed=7)
    # an actor whose noisy ties to its own camp are net conflict is better off alone
    loners = {u for u in S if sum(d["weight"] for v, d in S[u].items() if camp[v] == camp[u]) < 0}
    assert loners == {"N65"}
    expected = sorted([sorted(k for k in camp if camp[k] == c and k not in loners) for c in range(3)]
                      + [[k] for k in loners])
    result = signed_blocs(S, seed=0)
    assert sorted(sorted(b) for b in result["blocs"]) == expected
    assert result["frustration"] < _frustration_of(S, camp)


def test_connected_components_match_networkx():
    import numpy as np

    from kg.analyse.metrics import _components

    U = nx.gnm_random_graph(200, 150, seed=3)
    arcs = np.array([(u, v) for u, v in U.edges()] + [(v, u) for u, v in U.edges()], dtype=np.int64)
    parent = _components(200, arcs[:, 0], arcs[:, 1])
    assert sorted(sorted(c) for c in nx.connected_components(U)) == sorted(
        sorted(np.flatnonzero(parent == r).tolist()) for r in np.unique(parent))


def test_blocs_are_held_together_by_cooperation():
    # G fights only B; nothing ties it to A, B or C's enemies: it is not anyone's ally
    G = graph(("A", "B", COOP), ("B", "C", CONF), ("C", "D", COOP), ("G", "B", CONF), ("G", "H", COOP))
    result = signed_blocs(G)
    assert sorted(result["blocs"]) == [["A", "B"], ["C", "D"], ["G", "H"]] and result["frustration"] == 0.0
    G.remove_edge("G", "H", key="supports")
    assert ["G"] in signed_blocs(G)["blocs"]
