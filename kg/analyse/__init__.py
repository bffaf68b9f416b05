"""kg.analyse: the actor network in networkx, its metrics, and the analysis report.

``to_networkx`` is the one bridge from the RDF store; metrics are plain functions of the graph;
``run_analysis`` writes ``OUT/report.md``, ``OUT/report.json``, ``OUT/charts/`` and the metrics graph.
Importing this package does no work; the submodules load on first use.
"""
from __future__ import annotations

from typing import Any

__all__ = [
    "run_analysis",
    "analyse_graph",
    "to_networkx",
    "signed_graph",
    "alignment_graph",
    "cooperation_graph",
    "time_slices",
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

_WHERE = {
    "run_analysis": "report", "analyse_graph": "report",
    "to_networkx": "convert", "signed_graph": "convert", "alignment_graph": "convert", "cooperation_graph": "convert", "time_slices": "convert",
}


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module 'kg.analyse' has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(f"kg.analyse.{_WHERE.get(name, 'metrics')}"), name)
