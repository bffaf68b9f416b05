"""kg: news articles in, an actor-relationship knowledge graph out.

The public API (the CLI calls the same functions)::

    import kg
    kg.build(["seeds/"], out="out")        # ingest -> nlp -> resolve -> RDF store -> analysis -> pages
    g = kg.open("out")                     # the built graph
    g.query("SELECT ...")                  # a pandas DataFrame

Importing kg has no side effects and does not load spaCy: the names below are imported on first use.
"""
from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["__version__", "build", "open", "KgError"]


def __getattr__(name: str):
    if name == "build":
        from kg.build import build

        return build
    if name == "open":
        from kg.api import open_graph

        return open_graph
    if name == "KgError":
        from kg.errors import KgError

        return KgError
    raise AttributeError(f"module 'kg' has no attribute {name!r}")
