"""The Python API for notebooks and scripts: ``kg.build(inputs, out=...)`` and ``kg.open(out)``.

``kg.open(out)`` returns a :class:`KnowledgeGraph` over a built output folder: SPARQL and the named queries as
pandas DataFrames, actor lookup by any alias, the evidence of an edge, the actor network in networkx, the
analysis, and an interactive drawing for a notebook output (self-contained: no CDN, no IFrame to a file).

Examples:
    A real build needs the spaCy model (``kg.build(["seeds"], out=folder)``); these examples use a tiny graph
    written by hand into a temporary folder instead (two documents about Idlib, no spaCy):

    >>> import tempfile, kg
    >>> folder = _example_graph(tempfile.mkdtemp())
    >>> g = kg.open(folder)
    >>> g
    <KnowledgeGraph ...: 2 documents, 3 relations, 3 actors>
    >>> g.actor("the Kremlin")["key"]
    'RUS'
    >>> g.query("SELECT ?name WHERE { ?a kg:key 'TUR' ; rdfs:label ?name }")
         name
    0  Turkey
    >>> g.evidence("Moscow", "supports", "Damascus")[["doc", "sentence"]]
         doc                            sentence
    0  a.txt  Moscow supports Damascus in Idlib.
    >>> G = g.to_networkx()
    >>> sorted(G.edges(keys=True))
    [('RUS', 'SYR', 'supports'), ('TUR', 'RUS', 'meetsWith'), ('TUR', 'SYR', 'opposes')]
    >>> g.close()

The store stays open (and locked against writers) until :meth:`KnowledgeGraph.close`; use it as a context manager
in scripts. In a notebook, opening the same folder again returns the graph already open, and ``kg.build`` into a
folder this process has open closes it first, so cells can be run again. Queries see the union of all graphs as
their default graph; common prefixes (``kg:``, ``id:``, ``rdfs:``, ``skos:``, ``dcterms:``, ``prov:``, ``xsd:``,
``owl:``, ``rdf:``) are predeclared.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from kg.errors import KgError

__all__ = ["KnowledgeGraph", "open_graph", "build"]

log = logging.getLogger(__name__)

_XSD = "http://www.w3.org/2001/XMLSchema#"
_ARTICLE = re.compile(r"^(the|a|an)\s+", re.IGNORECASE)

#: Graphs this process has open, by resolved output folder (so a notebook cell can be run twice).
_OPEN: dict[Path, "KnowledgeGraph"] = {}


def _prologue(sparql: str) -> str:
    from kg.graph.query import with_prefixes

    return with_prefixes(sparql)


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
        self._closed = False

    def __enter__(self) -> "KnowledgeGraph":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        if self._closed:
            return f"<KnowledgeGraph {self.out} (closed)>"
        s = self.store.stats()
        return f"<KnowledgeGraph {self.out}: {s['documents']} documents, {s['relations']} relations, {s['actors']} actors>"

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` was called."""
        return self._closed

    def close(self) -> None:
        """Release the store (and its lock), so a build can write to the folder again."""
        if not self._closed:
            self.store.close()
            self._closed = True
        if _OPEN.get(self.out.resolve()) is self:
            del _OPEN[self.out.resolve()]

    @property
    def graph(self):
        """An rdflib ``Dataset`` over the same store (via oxrdflib): rdflib's whole reading API.

        Examples:
            >>> import tempfile, kg
            >>> with kg.open(_example_graph(tempfile.mkdtemp())) as g:
            ...     type(g.graph).__name__, len(g.graph.get_context(g.documents()["iri"][0])) > 0
            ('Dataset', True)
        """
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
            >>> import tempfile, kg
            >>> with kg.open(_example_graph(tempfile.mkdtemp())) as g:
            ...     g.query("SELECT ?doc ?date WHERE { ?d dcterms:identifier ?doc ; dcterms:date ?date } ORDER BY ?doc")
                 doc        date
            0  a.txt  2018-09-17
            1  b.txt  2019-02-15
            >>> with kg.open(_example_graph(tempfile.mkdtemp())) as g:
            ...     bool(g.query("ASK { ?s kg:opposes ?o }")["ask"][0])
            True
        """
        import pandas as pd

        self._check_open()
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

    def queries(self):
        """The named queries (``kg query --list``, files ``kg/queries/*.rq``) as a DataFrame.

        Returns:
            Columns ``name, title, description, params`` (parameter names, ``?`` marking optional ones).

        Examples:
            >>> import tempfile, kg
            >>> with kg.open(_example_graph(tempfile.mkdtemp())) as g:
            ...     "edge_evidence" in set(g.queries()["name"])
            True
        """
        import pandas as pd

        from kg.graph.named import named_queries

        rows = [(q.name, q.title, q.description, ", ".join(p.name + ("" if p.required else "?") for p in q.params))
                for q in named_queries().values()]
        return pd.DataFrame(rows, columns=["name", "title", "description", "params"])

    def named(self, name: str, **params: Any):
        """Run a named query from ``kg/queries`` (``kg query --list``) with its parameters, as a DataFrame.

        Actor parameters take a key, a name or any alias (see :meth:`actor`).

        Raises:
            QueryError: unknown query, missing or malformed parameter.

        Examples:
            >>> import tempfile, kg
            >>> with kg.open(_example_graph(tempfile.mkdtemp())) as g:
            ...     g.named("documents_two_actors", a="Damascus", b="Turkey")[["doc", "title"]]
                 doc       title
            0  a.txt  Sochi deal
        """
        from kg.graph.named import bind, get_named_query

        self._check_open()
        text = bind(get_named_query(name), {k: str(v) for k, v in params.items()}, resolve_actor=self._resolve)
        return self.query(text)

    def _resolve(self, name: str) -> str | None:
        self._check_open()
        found = self.store.resolve_actor(name)
        if found is None and _ARTICLE.match(str(name).strip()):
            found = self.store.resolve_actor(_ARTICLE.sub("", str(name).strip()))
        return found

    def actor(self, name: str) -> dict[str, Any] | None:
        """Look an actor up by key, canonical name or any alias seen in the articles (case-insensitive).

        Keys win over names, names over aliases; among actors sharing an alias, the one most documents mention.
        A leading "the" may be left out or added ("the Kremlin" finds the actor aliased "Kremlin").

        Returns:
            ``{"key", "iri", "label", "types", "aliases", "provisional", "documents"}`` or None when nothing matches.

        Examples:
            >>> import tempfile, kg
            >>> with kg.open(_example_graph(tempfile.mkdtemp())) as g:
            ...     a = g.actor("damascus")
            ...     a["key"], a["label"], a["types"], a["aliases"], a["documents"], g.actor("Atlantis")
            ('SYR', 'Syria', ['State'], ['Damascus'], 1, None)
        """
        from kg.graph.iri import actor_key_of

        found = self._resolve(name)
        if found is None:
            return None
        df = self.query(f"""SELECT ?label ?type ?alias ?prov ?doc WHERE {{
            {{ <{found}> rdfs:label ?label }} UNION {{ <{found}> a ?type }} UNION {{ <{found}> skos:altLabel ?alias }}
            UNION {{ <{found}> kg:provisional ?prov }} UNION {{ ?doc kg:mentions <{found}> }} }}""")
        labels = sorted(set(df["label"].dropna()))
        return {
            "key": actor_key_of(found),
            "iri": found,
            "label": labels[0] if labels else actor_key_of(found),
            "types": sorted(t.rsplit("#", 1)[-1] for t in set(df["type"].dropna())),
            "aliases": sorted(set(df["alias"].dropna()) - set(labels)),
            "provisional": bool(df["prov"].dropna().any()),
            "documents": int(df["doc"].dropna().nunique()),
        }

    def documents(self):
        """The documents in the store, oldest first (undated last), as a DataFrame.

        Returns:
            Columns ``doc, title, date, actors`` (how many actors it mentions) and ``iri`` (its named graph).

        Examples:
            >>> import tempfile, kg
            >>> with kg.open(_example_graph(tempfile.mkdtemp())) as g:
            ...     g.documents()[["doc", "date", "actors"]]
                 doc        date  actors
            0  a.txt  2018-09-17       3
            1  b.txt  2019-02-15       2
        """
        return self.query("""SELECT ?doc ?title ?date (COUNT(DISTINCT ?a) AS ?actors) ?iri WHERE {
            ?iri a kg:Document ; dcterms:identifier ?doc .
            OPTIONAL { ?iri dcterms:title ?title } OPTIONAL { ?iri dcterms:date ?date }
            OPTIONAL { ?iri kg:mentions ?a } }
            GROUP BY ?doc ?title ?date ?iri ORDER BY (!BOUND(?date)) ?date ?doc""")

    def evidence(self, subject: str, relation: str, object: str):
        """Every evidence for ``subject relation object`` (keys, names or aliases), negated ones included.

        Returns:
            Columns ``doc, date, modality`` (asserted, reported, hedged, planned or negated), ``confidence,
            speaker`` (actor key of who said it, if reported), ``sentence, start, end, rule, evidence`` (its IRI);
            empty when nothing states the edge.

        Examples:
            >>> import tempfile, kg
            >>> with kg.open(_example_graph(tempfile.mkdtemp())) as g:
            ...     g.evidence("Turkey", "opposes", "Syria")[["doc", "date", "modality", "confidence"]]
                 doc        date  modality  confidence
            0  a.txt  2018-09-17  asserted         0.8
        """
        from kg.graph.iri import actor_key_of

        df = self.named("edge_evidence", subject=subject, relation=relation, object=object)
        if "modality" in df:
            df["modality"] = [m.rsplit("#", 1)[-1] if isinstance(m, str) else m for m in df["modality"]]
        if "speaker" in df:
            df["speaker"] = [actor_key_of(a) if isinstance(a, str) else a for a in df["speaker"]]
        return df

    def to_networkx(self, *, since: str | None = None, until: str | None = None):
        """The actor network as a networkx MultiDiGraph (schema in ``docs/design.md``).

        Args:
            since: keep only documents dated on or after this ISO date (undated ones are then left out).
            until: keep only documents dated on or before this ISO date.

        Examples:
            >>> import tempfile, kg
            >>> with kg.open(_example_graph(tempfile.mkdtemp())) as g:
            ...     G = g.to_networkx(since="2019-01-01")
            >>> sorted(G.edges(keys=True)), G.nodes["TUR"]["label"]
            ([('TUR', 'RUS', 'meetsWith')], 'Turkey')
        """
        from kg.analyse.convert import to_networkx

        self._check_open()
        return to_networkx(self.store, since=since, until=until)

    def analyse(self, *, since: str | None = None, until: str | None = None, period: str = "quarter",
                seed: int = 42, top: int = 15, weighting: str = "goldstein") -> dict[str, Any]:
        """Centrality, brokers, blocs, stance, contradictions and change between periods (``kg analyse``).

        Args:
            since: leave out documents dated before this ISO date.
            until: leave out documents dated after this ISO date.
            period: time slices compared: month, quarter or year.
            seed: seeds the community and bloc searches (same seed, same result).
            top: how many actors the ranking tables list.
            weighting: "goldstein" (an attack outweighs a meeting) or "evidence" (every evidence weighs the
                same), as ``kg analyse --weighting``.

        Returns:
            The report's dict (see :func:`kg.analyse.report.analyse_graph`): ``summary``, ``actors``, ``top``,
            ``brokers``, ``blocs``, ``triads``, ``contradictions``, ``stance``, ``periods``, ``change``...

        Examples:
            >>> import tempfile, kg
            >>> with kg.open(_example_graph(tempfile.mkdtemp())) as g:
            ...     result = g.analyse(period="year")
            >>> [p["period"] for p in result["periods"]], result["change"]["new"]
            (['2018', '2019'], [['TUR', 'meetsWith', 'RUS']])
            >>> result["summary"]["cooperation"], result["summary"]["conflict"], result["top"][0]["key"]
            (2, 1, 'SYR')
        """
        from kg.analyse import analyse_graph

        return analyse_graph(self.to_networkx(since=since, until=until), period=period, seed=seed, top=top,
                             weighting=weighting)

    def show(self, G=None, *, node_cap: int = 150, height: str = "620px", seed: int = 42, **options: Any):
        """Draw the actor network in a notebook output (vis-network inlined: works offline and in VS Code).

        Args:
            G: a networkx graph to draw instead of the whole network (e.g. a subgraph or ego network of
                :meth:`to_networkx`).
            node_cap: the most central actors drawn (by PageRank).
            height: CSS height of the drawing.
            seed: layout seed.
            **options: passed to :func:`kg.render.notebook.show`.

        Returns:
            A view that Jupyter displays through ``_repr_html_`` (its ``html`` attribute is the same snippet).

        Examples:
            >>> import tempfile, kg
            >>> with kg.open(_example_graph(tempfile.mkdtemp())) as g:
            ...     view = g.show()
            >>> view, "Turkey" in view.html, "<script src" in view.html
            (<kg NetworkView: 3 actors, 3 relations>, True, False)
        """
        from kg.render import show

        return show(self.to_networkx() if G is None else G, node_cap=node_cap, height=height, seed=seed, **options)

    def _check_open(self) -> None:
        if self._closed:
            raise KgError(f"the graph in {self.out} was closed; open it again with kg.open({str(self.out)!r})")


def open_graph(out: str | Path = "out") -> KnowledgeGraph:
    """Open the graph built in ``out`` (``kg.open``); the same folder opened twice gives the same object.

    Raises:
        StoreError: no store there, a damaged one (refused, never served empty), or one in use by a build.
    """
    from kg.graph.store import Store

    out = Path(out)
    key = out.resolve()
    current = _OPEN.get(key)
    if current is not None and not current.closed:
        return current
    g = KnowledgeGraph(out, Store.open(out / "store"))
    _OPEN[key] = g
    return g


def build(inputs: str | Path | Iterable[str | Path], out: str | Path = "out", **options: Any):
    """Build (or update) the graph in ``out`` from files or folders of articles (``kg.build``, ``kg build``).

    A graph this process has open on ``out`` (from :func:`open_graph`) is closed first, so a notebook can build
    again; open it again afterwards.

    Args:
        inputs: a file or folder, or a list of them (.txt, .md, .html, .jsonl).
        out: the output folder (store, export, report, pages).
        **options: ``settings``, ``site``, ``analysis``, ``dask``, ``progress`` (see :func:`kg.build.build`).

    Returns:
        The :class:`kg.build.BuildSummary` (documents, relations, actors, skipped inputs, timings).

    Raises:
        InputError: an input path does not exist.
        StoreError: the store is in use by another process, or damaged.
    """
    from kg.build import build as _build

    if isinstance(inputs, (str, Path)):
        inputs = [inputs]
    current = _OPEN.get(Path(out).resolve())
    if current is not None:
        log.info("closing the open graph on %s before building into it", out)
        current.close()
    return _build(list(inputs), out=out, **options)


def _example_graph(folder: str | Path) -> Path:
    """Write a tiny hand-made graph (two documents about Idlib) into ``folder``; for the examples above."""
    from kg.build import EXTRACTOR_VERSION
    from kg.config import ontology_dir
    from kg.graph.store import Store
    from kg.ingest import content_hash
    from kg.model import Actor, Article, DocResult, Evidence, Mention, Relation

    def doc(doc_id: str, title: str, date: str, text: str, actors: list[Actor], triples: list[tuple]) -> DocResult:
        article = Article(doc_id, text, content_hash(text), title=title, date=date)
        mentions, relations = [], []
        for a in actors:
            for name in sorted(a.names | {a.name}):
                at = text.find(name)
                if at >= 0:
                    mentions.append(Mention(a.key, name, at, at + len(name), 0))
        for s, p, o, sentence in triples:
            at = text.find(sentence)
            relations.append(Relation(s, p, o, Evidence(sentence, at, at, at + len(sentence), "asserted", 0.8,
                                                         rule="example")))
        return DocResult(article, {a.key: a for a in actors}, tuple(mentions), tuple(relations))

    rus = Actor("RUS", "Russia", "State", names=frozenset({"Moscow", "Kremlin"}))
    syr = Actor("SYR", "Syria", "State", names=frozenset({"Damascus"}))
    tur = Actor("TUR", "Turkey", "State")
    a_text = "Sochi deal\n\nMoscow supports Damascus in Idlib. Turkey opposes Syria."
    b_text = "Erdogan meets Putin in Sochi\n\nTurkey meets Russia, the Kremlin said."
    folder = Path(folder)
    with Store.open(folder / "store", create=True) as store:
        store.write_background({}, ontology_dir())
        store.replace_document(doc("a.txt", "Sochi deal", "2018-09-17", a_text, [rus, syr, tur], [
            ("RUS", "supports", "SYR", "Moscow supports Damascus in Idlib."),
            ("TUR", "opposes", "SYR", "Turkey opposes Syria.")]), extractor_version=EXTRACTOR_VERSION)
        store.replace_document(doc("b.txt", "Erdogan meets Putin in Sochi", "2019-02-15", b_text, [rus, tur], [
            ("TUR", "meetsWith", "RUS", "Turkey meets Russia, the Kremlin said.")]), extractor_version=EXTRACTOR_VERSION)
    return folder
