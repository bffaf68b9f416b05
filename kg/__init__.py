"""kg: news articles in, an actor-relationship knowledge graph out.

The public API (the CLI calls the same functions)::

    import kg
    kg.build("seeds", out="out")           # ingest -> nlp -> resolve -> RDF store -> analysis -> pages
    g = kg.open("out")                     # the built graph (kg.api.KnowledgeGraph)
    g.query("SELECT ...")                  # a pandas DataFrame
    g.actor("the Kremlin")                 # canonical actor by any alias
    g.evidence("Russia", "supports", "Syria")
    g.to_networkx(); g.analyse(); g.show() # networkx graph, analysis, interactive drawing in a notebook
    kg.extract_text("Russia backs Syrian President Bashar al-Assad.")   # one text, no store

Importing kg has no side effects beyond this module and loads neither spaCy, rdflib nor pandas: the names
below are imported on first use.
"""
from __future__ import annotations

import sys
import types

__version__ = "0.1.0"
__all__ = ["__version__", "build", "open", "extract_text", "KgError"]

_LAZY = {
    "open": ("kg.api", "open_graph"),
    "extract_text": ("kg.pipeline", "extract_text"),
    "KgError": ("kg.errors", "KgError"),
}


def __getattr__(name: str):
    if name in _LAZY:
        from importlib import import_module

        module, attr = _LAZY[name]
        return getattr(import_module(module), attr)
    raise AttributeError(f"module 'kg' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


class _Package(types.ModuleType):
    """The ``kg`` package, whose ``build`` attribute is always the build function.

    Importing the submodule ``kg.build`` makes the import system bind it as the package attribute ``build``,
    which would turn ``kg.build(...)`` into "'module' object is not callable" after the first build. The
    submodule stays reachable as ``sys.modules["kg.build"]`` and through ``from kg.build import ...``.
    """

    @property
    def build(self):
        from kg.api import build

        return build

    @build.setter
    def build(self, value) -> None:
        pass  # the kg.build submodule being bound on the package: keep the function


sys.modules[__name__].__class__ = _Package
