"""What ``ontology/kg.ttl`` says about each relation, as plain Python data (for extraction and analysis).

Examples:
    >>> from kg.config import ontology_dir
    >>> table = relation_table(ontology_dir())
    >>> table["airStrikeOn"]["core"], table["airStrikeOn"]["polarity"], table["borders"]["symmetric"]
    ('attacks', -1, True)
    >>> core_relation("condemns", ontology_dir())
    'criticizes'
"""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from kg.errors import KgError
from kg.vocab import CORE_RELATIONS, KG_NS

__all__ = ["relation_table", "core_relation", "ONTOLOGY_FILE"]

#: File name of the ontology inside the ontology folder.
ONTOLOGY_FILE = "kg.ttl"

_POLARITY = {"cooperation": 1, "conflict": -1, "neutral": 0}
_CACHE: dict[tuple, dict[str, dict[str, Any]]] = {}
_LOCK = threading.Lock()

_QUERY = """
PREFIX kg: <https://w3id.org/kg-news/ontology#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?p ?parent ?label ?comment ?polarity ?kind ?eclass ?goldstein ?cameo ?plover ?sym WHERE {
  ?p a owl:ObjectProperty ; kg:polarity ?polarity .
  OPTIONAL { ?p rdfs:subPropertyOf ?parent . FILTER(STRSTARTS(STR(?parent), STR(kg:))) }
  OPTIONAL { ?p rdfs:label ?label }
  OPTIONAL { ?p rdfs:comment ?comment }
  OPTIONAL { ?p kg:relationKind ?kind }
  OPTIONAL { ?p kg:eventClass ?eclass }
  OPTIONAL { ?p kg:goldstein ?goldstein }
  OPTIONAL { ?p kg:cameoCode ?cameo }
  OPTIONAL { ?p kg:ploverType ?plover }
  BIND(EXISTS { ?p a owl:SymmetricProperty } AS ?sym)
}
"""


def _local(term: Any) -> str | None:
    if term is None:
        return None
    text = str(term)
    return text[len(KG_NS):] if text.startswith(KG_NS) else text


def relation_table(ontology_dir: Path) -> dict[str, dict[str, Any]]:
    """Every relation of the ontology (core relations and their sub-properties), cached by file mtime.

    Args:
        ontology_dir: the folder holding ``kg.ttl`` (``Settings.ontology``).

    Returns:
        ``{local name: {core, parent, polarity, symmetric, label, comment, kind, event_class, goldstein,
        cameo, plover}}``: ``core`` is the core relation it is or falls under, ``parent`` its direct
        super-property (None for a core relation), ``polarity`` +1 cooperation / -1 conflict / 0 neutral,
        ``kind`` "verbal" or "material", ``event_class`` "standing" or "event", ``goldstein`` a float,
        ``cameo`` a tuple of CAMEO codes, ``plover`` a PLOVER type or None. Treat it as read-only (shared).

    Raises:
        KgError: the file is missing or not valid Turtle, or a relation does not reach a core relation.
    """
    path = Path(ontology_dir) / ONTOLOGY_FILE
    try:
        stat = path.stat()
    except OSError as exc:
        raise KgError(f"ontology file {path} not found ({exc}); point KG_ONTOLOGY at kg's ontology folder") from exc
    key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    with _LOCK:
        if key not in _CACHE:
            _CACHE.clear()
            _CACHE[key] = _build(path)
        return _CACHE[key]


def _build(path: Path) -> dict[str, dict[str, Any]]:
    import rdflib

    graph = rdflib.Graph()
    try:
        graph.parse(path, format="turtle")
    except Exception as exc:  # rdflib raises several parser exception types
        raise KgError(f"{path}: not valid Turtle ({exc}); fix the syntax") from exc
    table: dict[str, dict[str, Any]] = {}
    for row in graph.query(_QUERY):
        name = _local(row.p)
        entry = table.setdefault(name, {"parent": None})
        if row.parent is not None and _local(row.parent) != name:
            entry["parent"] = _local(row.parent)
        entry.update(
            label=str(row.label) if row.label is not None else name,
            comment=str(row.comment) if row.comment is not None else "",
            polarity=_POLARITY.get(_local(row.polarity), 0),
            kind=_local(row.kind), event_class=_local(row.eclass),
            goldstein=float(row.goldstein) if row.goldstein is not None else 0.0,
            cameo=tuple(str(row.cameo).split()) if row.cameo is not None else (),
            plover=str(row.plover) if row.plover is not None else None,
            symmetric=bool(row.sym.toPython()) if row.sym is not None else False,
        )
    for name, entry in table.items():
        entry["core"] = _core(name, table, path)
    return table


def _core(name: str, table: dict[str, dict[str, Any]], path: Path) -> str:
    seen: list[str] = []
    current: str | None = name
    while current is not None and current not in seen:
        if current in CORE_RELATIONS:
            return current
        seen.append(current)
        current = table.get(current, {}).get("parent")
    raise KgError(
        f"{path}: relation {name} does not reach a core relation via rdfs:subPropertyOf (chain: {' -> '.join(seen)}); "
        f"expected one of {', '.join(CORE_RELATIONS)}"
    )


def core_relation(name: str, ontology_dir: Path) -> str | None:
    """The core relation ``name`` is or falls under, or None when the ontology does not declare it."""
    entry = relation_table(ontology_dir).get(name)
    return entry["core"] if entry else None
