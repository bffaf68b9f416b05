"""Check a build output against ``ontology/shapes.ttl`` (SHACL, with pySHACL).

The data graph is the union of every graph of the build (``OUT/graph.trig``, or the store when there is no
export), with ``ontology/kg.ttl`` mixed in so that ``sh:class kg:Actor`` follows ``rdfs:subClassOf``.
Besides the shapes, :data:`GRAPH_CHECKS` run once over the whole graph (relation objects are typed actors;
evidence that states a fact has its relation triple), and blank nodes are reported (the RDF layout has none).

Examples:
    >>> from rdflib import Dataset
    >>> validate(Dataset()).conforms
    True
"""
from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import rdflib
from rdflib import RDF, BNode, Graph, URIRef
from rdflib.namespace import SH

from kg.config import ontology_dir as default_ontology_dir
from kg.errors import InputError, ValidationError

__all__ = ["Violation", "Report", "validate", "load_output", "SHAPES_FILE", "GRAPH_CHECKS"]

log = logging.getLogger(__name__)

#: File name of the shapes inside the ontology folder.
SHAPES_FILE = "shapes.ttl"

_PREFIXES = {
    "https://w3id.org/kg-news/ontology#": "kg:",
    "https://w3id.org/kg-news/id/": "id:",
    "http://www.w3.org/2000/01/rdf-schema#": "rdfs:",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#": "rdf:",
    "http://www.w3.org/2004/02/skos/core#": "skos:",
    "http://purl.org/dc/terms/": "dcterms:",
    "http://www.w3.org/ns/prov#": "prov:",
    "http://www.w3.org/2001/XMLSchema#": "xsd:",
}


def _short(term: Any) -> str | None:
    if term is None:
        return None
    text = str(term)
    for ns, prefix in _PREFIXES.items():
        if text.startswith(ns):
            return prefix + text[len(ns):]
    return text


@dataclass(frozen=True)
class Violation:
    """One SHACL result: the node that fails, the property path, what is wrong, and how bad it is."""

    focus: str
    path: str | None
    message: str
    severity: str = "Violation"  # Violation | Warning | Info
    value: str | None = None
    shape: str | None = None

    def __str__(self) -> str:
        where = _short(self.focus)
        if self.path:
            where += f" {_short(self.path)}"
        value = f" (value: {_short(self.value)})" if self.value is not None else ""
        return f"[{self.severity}] {where}: {self.message}{value}"


@dataclass(frozen=True)
class Report:
    """The outcome of :func:`validate`.

    ``conforms`` is False when there is at least one result of severity Violation (warnings do not count).
    """

    conforms: bool
    violations: list[Violation] = field(default_factory=list)
    triples: int = 0
    source: str = ""
    seconds: float = 0.0

    @property
    def errors(self) -> list[Violation]:
        """Results of severity Violation only."""
        return [v for v in self.violations if v.severity == "Violation"]

    def text(self, limit: int | None = 50) -> str:
        """A readable summary: the verdict, then one line per result (at most ``limit``)."""
        verdict = "conforms" if self.conforms else f"does NOT conform ({len(self.errors)} violation(s))"
        warnings = len(self.violations) - len(self.errors)
        lines = [f"{self.source or 'graph'}: {verdict}; {self.triples} triples checked in {self.seconds:.1f} s"
                 + (f", {warnings} warning(s)" if warnings else "")]
        shown = self.violations if limit is None else self.violations[:limit]
        lines += [f"  {v}" for v in shown]
        if len(shown) < len(self.violations):
            lines.append(f"  ... and {len(self.violations) - len(shown)} more")
        return "\n".join(lines)


def load_output(target: str | Path) -> tuple[Graph, str]:
    """The union of all graphs of a build output, and a description of where it came from.

    Args:
        target: an output folder (uses ``graph.trig``, else the ``store/``), or an RDF file (.trig, .nq,
            .ttl, .nt).

    Raises:
        InputError: nothing to validate at ``target`` or the file cannot be parsed.
    """
    target = Path(target)
    if target.is_dir():
        export = target / "graph.trig"
        if export.is_file():
            return _parse_file(export), str(export)
        if (target / "store").is_dir():
            return _from_store(target / "store"), str(target / "store")
        raise InputError(f"{target}: no graph.trig and no store/ here; run `kg build INPUTS --out {target}` first")
    if target.is_file():
        return _parse_file(target), str(target)
    raise InputError(f"{target} does not exist; expected a build output folder or an RDF file")


_FORMATS = {".trig": "trig", ".nq": "nquads", ".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld"}


def _parse_file(path: Path) -> Graph:
    fmt = _FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(f"{path}: unknown RDF format; expected one of {', '.join(_FORMATS)}")
    dataset = rdflib.Dataset()
    try:
        dataset.parse(path, format=fmt)
    except Exception as exc:  # rdflib's parsers raise many exception types
        raise InputError(f"{path}: cannot parse as {fmt} ({exc}); rebuild it with `kg build`") from exc
    return _union(dataset)


def _from_store(path: Path) -> Graph:
    import pyoxigraph as ox

    from kg.graph.store import Store

    with Store.open(path, read_only=True) as store:
        raw = store.raw() if callable(store.raw) else store.raw
        data = raw.dump(format=ox.RdfFormat.N_QUADS)
    dataset = rdflib.Dataset()
    dataset.parse(data=data.decode("utf-8"), format="nquads")
    return _union(dataset)


def _union(data: Any) -> Graph:
    union = Graph()
    if hasattr(data, "quads"):
        for s, p, o, _ in data.quads((None, None, None, None)):
            union.add((s, p, o))
    else:
        for triple in data:
            union.add(triple)
    return union


#: Evidence whose relation triple is missing; kg.model.states_fact decides which evidence states a fact.
_EVIDENCE_WITHOUT_TRIPLE = """
    SELECT DISTINCT ?focus ?s ?path ?value ?m WHERE {
      ?focus a kg:Evidence ; kg:subjectActor ?s ; kg:relation ?path ; kg:objectActor ?value ; kg:modality ?m .
      FILTER (?m != kg:negated)
      FILTER NOT EXISTS { ?s ?path ?value }
    }"""

#: Whole-graph checks run once each (SHACL-SPARQL constraints would be re-parsed per focus node in pySHACL):
#: (message, query selecting ?focus ?path ?value).
GRAPH_CHECKS: tuple[tuple[str, str], ...] = (
    ("relation object is not a typed actor (no rdf:type under kg:Actor)", """
        SELECT DISTINCT ?focus ?path ?value WHERE {
          ?path kg:polarity ?polarity . ?focus ?path ?value .
          FILTER NOT EXISTS { ?value rdf:type/rdfs:subClassOf* kg:Actor }
        }"""),
)
_QUERY_PREFIXES = """
PREFIX kg: <https://w3id.org/kg-news/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""


def _facts_without_triple(merged: Graph, ontology_dir: Path, cap: int) -> list[Violation]:
    """Evidence that states a fact (``kg.model.states_fact``) must have its plain relation triple."""
    from kg.model import states_fact
    from kg.ontology import relation_table

    table = relation_table(ontology_dir)
    found: list[Violation] = []
    for row in merged.query(_QUERY_PREFIXES + _EVIDENCE_WITHOUT_TRIPLE):
        relation = str(row.path).rsplit("#", 1)[-1]
        modality = str(row.m).rsplit("#", 1)[-1]
        entry = table.get(relation, {})
        if not states_fact(modality, event=entry.get("event_class") == "event", polarity=entry.get("polarity", 0)):
            continue
        found.append(Violation(
            focus=str(row.focus), path=str(row.path), value=str(row.value),
            message=f"{modality} evidence states a fact but the graph has no relation triple "
                    f"(subject {relation} object)",
        ))
        if len(found) >= cap:
            break
    return found


def _graph_checks(data: Graph, ontology: Graph, ontology_dir: Path, cap: int = 200) -> list[Violation]:
    merged = Graph()
    for triple in data:
        merged.add(triple)
    for triple in ontology:
        merged.add(triple)
    found = _facts_without_triple(merged, ontology_dir, cap)
    for message, query in GRAPH_CHECKS:
        for row in merged.query(_QUERY_PREFIXES + query):
            found.append(Violation(focus=str(row.focus), path=str(row.path), message=message, value=str(row.value)))
            if len(found) >= cap:
                return found
    return found


def _blank_nodes(graph: Graph, cap: int = 20) -> list[Violation]:
    found: list[Violation] = []
    for s, p, o in graph:
        if isinstance(s, BNode) or isinstance(o, BNode):
            found.append(Violation(
                focus=str(s) if isinstance(s, BNode) else str(o), path=str(p),
                message="blank node in the build output; every node must be an IRI minted by kg.graph.iri",
            ))
            if len(found) >= cap:
                break
    return found


def validate(target: Any, *, ontology_dir: Path | None = None, shapes: Path | None = None) -> Report:
    """Validate a build output (folder, RDF file, rdflib Graph/Dataset) against the SHACL shapes.

    Args:
        target: ``OUT`` folder, an RDF file, or an rdflib ``Graph``/``Dataset`` (all graphs are merged).
        ontology_dir: where ``kg.ttl`` and ``shapes.ttl`` are (default: the package's ontology folder).
        shapes: a shapes file to use instead of ``ontology_dir/shapes.ttl``.

    Returns:
        A :class:`Report`; ``conforms`` is False when any result has severity Violation.

    Raises:
        InputError: nothing to validate at ``target``.
        ValidationError: the shapes or the ontology cannot be loaded (a broken installation).
    """
    from pyshacl import validate as shacl_validate

    started = time.perf_counter()
    onto_dir = Path(ontology_dir) if ontology_dir is not None else default_ontology_dir()
    if isinstance(target, (str, Path)):
        data, source = load_output(target)
    else:
        data, source = _union(target), type(target).__name__
    shapes_path = Path(shapes) if shapes is not None else onto_dir / SHAPES_FILE
    shapes_graph, ont_graph = Graph(), Graph()
    try:
        shapes_graph.parse(shapes_path, format="turtle")
        ont_graph.parse(onto_dir / "kg.ttl", format="turtle")
    except (OSError, Exception) as exc:  # FileNotFoundError or a parser error
        raise ValidationError(f"cannot load the shapes ({shapes_path}) or the ontology ({onto_dir / 'kg.ttl'}): "
                              f"{exc}; reinstall kg or point KG_ONTOLOGY at its ontology folder") from exc
    triples = len(data)
    _, results, _ = shacl_validate(
        data, shacl_graph=shapes_graph, ont_graph=ont_graph, inference="none", advanced=True,
        allow_warnings=True, abort_on_first=False, meta_shacl=False,
    )
    violations = list(_violations(results)) + _graph_checks(data, ont_graph, onto_dir) + _blank_nodes(data)
    violations.sort(key=lambda v: (v.severity != "Violation", v.message, v.focus, v.path or ""))
    conforms = not any(v.severity == "Violation" for v in violations)
    report = Report(conforms=conforms, violations=violations, triples=triples, source=source,
                    seconds=time.perf_counter() - started)
    log.info("validate %s: conforms=%s, %d result(s)", source, conforms, len(violations))
    return report


def _violations(results: Graph) -> Iterable[Violation]:
    for result in results.subjects(RDF.type, SH.ValidationResult):
        severity = results.value(result, SH.resultSeverity)
        severity_name = str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation"
        messages = sorted(str(m) for m in results.objects(result, SH.resultMessage))
        path = results.value(result, SH.resultPath)
        value = results.value(result, SH.value)
        shape = results.value(result, SH.sourceShape)
        yield Violation(
            focus=str(results.value(result, SH.focusNode)),
            path=str(path) if isinstance(path, URIRef) else None,
            message=messages[0] if messages else "does not conform",
            severity=severity_name,
            value=str(value) if value is not None else None,
            shape=str(shape) if isinstance(shape, URIRef) else None,
        )
