"""The Python API over a built graph: ``kg.open(out)`` -> :class:`KnowledgeGraph`.

Examples:
    >>> import kg                                   # doctest: +SKIP
    >>> g = kg.open("out")                          # doctest: +SKIP
    >>> g.query("SELECT ?label WHERE { ?a rdfs:label ?label } LIMIT 3")   # a pandas DataFrame  # doctest: +SKIP
    >>> g.actor("Moscow")["key"]                    # doctest: +SKIP
    'RUS'
    >>> g.evidence("Russia", "supports", "Syria")   # doctest: +SKIP
    >>> G = g.to_networkx()                         # networkx MultiDiGraph (kg.analyse.convert)  # doctest: +SKIP

The store stays open (and locked against other writers) until :meth:`KnowledgeGraph.close`, or use it as a
context manager. Queries see the union of all graphs as their default graph; common prefixes (``kg:``, ``id:``,
``rdfs:``, ``skos:``, ``dcterms:``, ``prov:``, ``xsd:``, ``owl:``, ``rdf:``) are predeclared.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from kg.errors import KgError, QueryError

__all__ = ["KnowledgeGraph", "open_graph"]

log = logging.getLogger(__name__)

_XSD = "http://www.w3.org/2001/XMLSchema#"


def _prologue(sparql: str) -> str:
    from kg.graph.export import PREFIXES

    declared = {line.split()[1].rstrip(":").lower() for line in sparql.splitlines()
                if line.strip().upper().startswith("PREFIX") and len(line.split()) > 1}
    head = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items() if p not in declared)
    return head + sparql


def _py(term) -> Any:
    """A pyoxigraph term as a plain Python value (IRIs as str, typed literals as int/float/bool, dates as str)."""
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, ox.Literal):
        dt = term.datatype.value
        try:
            if dt in (_XSD + "integer", _XSD + "int", _XSD + "long"):
                return int(term.value)
            if dt in (_XSD + "decimal", _XSD + "double", _XSD + "float"):
                return float(term.value)
        except ValueError:
            return term.value
        if dt == _XSD + "boolean":
            return term.value == "true"
        return term.value
    return term.value if hasattr(term, "value") else str(term)


class KnowledgeGraph:
    """A built kg output folder, open for reading.

    Attributes:
        out: the output folder.
        store: the :class:`kg.graph.store.Store`.
    """

    def __init__(self, out: str | Path, store) -> None:
        self.out = Path(out)
        self.store = store

    def __enter__(self) -> "KnowledgeGraph":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        s = self.store.stats()
        return f"<KnowledgeGraph {self.out}: {s['documents']} documents, {s['relations']} relations, {s['actors']} actors>"

    def close(self) -> None:
        """Release the store."""
        self.store.close()

    @property
    def graph(self):
        """An rdflib ``Dataset`` over the same store (via oxrdflib): rdflib's whole reading API."""
        return self.store.dataset

    def query(self, sparql: str, *, timeout: float | None = None, row_cap: int | None = None):
        """Run a read-only SPARQL query and return a pandas DataFrame.

        SELECT gives one column per variable (IRIs as strings, numbers as int/float); ASK a one-cell frame with
        column ``ask``; CONSTRUCT/DESCRIBE columns ``subject, predicate, object``. ``df.attrs["truncated"]`` says
        whether ``row_cap`` cut the result.

        Args:
            sparql: the query; kg's common prefixes are predeclared.
            timeout: seconds; runs in a worker process that is stopped at the deadline (None: no deadline).
            row_cap: at most this many rows.

        Raises:
            QueryError: not allowed (updates, SERVICE, LOAD, FROM) or malformed.
            QueryTimeoutError: ran past ``timeout``.

        Examples:
            >>> g.query("SELECT ?doc WHERE { ?d dcterms:identifier ?doc }")   # doctest: +SKIP
        """
        import pandas as pd

        result = self.store.query(_prologue(sparql), timeout=timeout, row_cap=row_cap)
        if result.kind == "ask":
            df = pd.DataFrame({"ask": [bool(result.boolean)]})
        elif result.kind == "graph":
            df = pd.DataFrame([(t.subject.value, t.predicate.value, _py(t.object)) for t in result.triples],
                              columns=["subject", "predicate", "object"])
        else:
            df = pd.DataFrame([[_py(t) for t in row] for row in result.rows], columns=result.variables)
        df.attrs["truncated"] = result.truncated
        return df

    def named(self, name: str, **params: str):
        """Run a named query from ``kg/queries`` (``kg query --list``) with its parameters, as a DataFrame.

        Examples:
            >>> g.named("actor_relations", actor="Putin")   # doctest: +SKIP
        """
        from kg.graph.named import bind, get_named_query

        text = bind(get_named_query(name), {k: str(v) for k, v in params.items()},
                    resolve_actor=self.store.resolve_actor)
        return self.query(text)

    def actor(self, name: str) -> dict[str, Any] | None:
        """Look an actor up by key, canonical name or any alias (``rdfs:label`` / ``skos:altLabel``).

        Returns:
            ``{"key", "iri", "label", "types", "aliases", "provisional"}`` or None when nothing matches.

        Examples:
            >>> g.actor("the Kremlin")["key"]   # doctest: +SKIP
            'RUS'
        """
        from kg.graph.iri import actor_key_of

        found = self.store.resolve_actor(name)
        if found is None:
            return None
        df = self.query(f"""SELECT ?label ?type ?alias ?prov WHERE {{
            {{ <{found}> rdfs:label ?label }} UNION {{ <{found}> a ?type }} UNION {{ <{found}> skos:altLabel ?alias }}
            UNION {{ <{found}> kg:provisional ?prov }} }}""")
        labels = sorted(set(df["label"].dropna())) if "label" in df else []
        return {
            "key": actor_key_of(found),
            "iri": found,
            "label": labels[0] if labels else actor_key_of(found),
            "types": sorted(t.rsplit("#", 1)[-1] for t in set(df["type"].dropna())),
            "aliases": sorted(set(df["alias"].dropna()) - set(labels)),
            "provisional": bool(df["prov"].dropna().any()) if "prov" in df else False,
        }

    def evidence(self, subject: str, relation: str, object: str):
        """Every evidence for ``subject relation object`` (names, aliases or keys), negated ones included.

        Examples:
            >>> g.evidence("Russia", "supports", "Syria")[["doc", "modality", "sentence"]]   # doctest: +SKIP
        """
        return self.named("edge_evidence", subject=subject, relation=relation, object=object)

    def to_networkx(self, **kwargs):
        """The actor network as a networkx MultiDiGraph (see :func:`kg.analyse.convert.to_networkx`)."""
        from kg.analyse.convert import to_networkx

        return to_networkx(self.store, **kwargs)

    def analyse(self, **kwargs) -> dict[str, Any]:
        """Centrality, blocs, contradictions... (see :func:`kg.analyse.report.analyse_graph`)."""
        from kg.analyse import analyse_graph

        since, until = kwargs.pop("since", None), kwargs.pop("until", None)
        return analyse_graph(self.to_networkx(since=since, until=until), **kwargs)

    def show(self, *args, **kwargs):
        """Draw the network in a notebook (delegates to ``kg.render.show``)."""
        import kg.render as render

        fn = getattr(render, "show", None)
        if fn is None:
            raise KgError("kg.render has no show() in this version; open OUT/site/index.html instead")
        return fn(self.to_networkx(), *args, **kwargs)


def open_graph(out: str | Path = "out") -> KnowledgeGraph:
    """Open the graph built in ``out`` (``kg.open``).

    Raises:
        StoreError: no store, damaged (refused, never served empty), or in use by a build.
    """
    from kg.graph.store import Store

    out = Path(out)
    return KnowledgeGraph(out, Store.open(out / "store"))
