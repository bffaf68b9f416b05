"""Export the whole store to one file, atomically (temp file in the same folder, fsync, ``os.replace``).

Formats: ``trig`` and ``nquads`` keep every named graph (written by Oxigraph, fast); ``turtle`` is the union of
all graphs as rdflib's stable ``longturtle`` (graph names are lost; evidence nodes still point to their document
with ``prov:wasDerivedFrom``); ``jsonld`` keeps named graphs (rdflib).
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from kg.errors import KgError, StoreError
from kg.fileio import atomic_write  # noqa: F401  (re-exported: kg.graph.export.atomic_write)
from kg.vocab import KG_NS

__all__ = ["export_dataset", "FORMATS", "PREFIXES", "atomic_write"]

log = logging.getLogger(__name__)

PREFIXES = {
    "kg": KG_NS,
    "id": "https://w3id.org/kg-news/id/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
}


def _oxigraph(fmt: ox.RdfFormat, prefixes: bool) -> Callable:
    def write(raw: ox.Store, fh: IO[bytes]) -> None:
        if prefixes:
            raw.dump(fh, format=fmt, prefixes=PREFIXES)
        else:
            raw.dump(fh, format=fmt)

    return write


def _rdflib_dataset(raw: ox.Store):
    from oxrdflib._converter import from_ox
    from rdflib import Dataset, URIRef

    ds = Dataset()
    for prefix, ns in PREFIXES.items():
        ds.bind(prefix, ns, override=True)
    for quad in raw:
        graph = ds.graph(URIRef(quad.graph_name.value)) if isinstance(quad.graph_name, ox.NamedNode) else ds.default_context
        graph.add((from_ox(quad.subject), from_ox(quad.predicate), from_ox(quad.object)))
    return ds


def _turtle(raw: ox.Store, fh: IO[bytes]) -> None:
    from oxrdflib._converter import from_ox
    from rdflib import Graph

    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True)
    for quad in raw:
        g.add((from_ox(quad.subject), from_ox(quad.predicate), from_ox(quad.object)))
    fh.write(g.serialize(format="longturtle", encoding="utf-8"))


def _jsonld(raw: ox.Store, fh: IO[bytes]) -> None:
    fh.write(_rdflib_dataset(raw).serialize(format="json-ld", encoding="utf-8", indent=1, sort_keys=True))


#: format name -> writer(raw_store, binary file)
FORMATS: dict[str, Callable[[ox.Store, IO[bytes]], None]] = {
    "trig": _oxigraph(ox.RdfFormat.TRIG, True),
    "nquads": _oxigraph(ox.RdfFormat.N_QUADS, False),
    "turtle": _turtle,
    "jsonld": _jsonld,
}
SUFFIXES = {"trig": ".trig", "nquads": ".nq", "turtle": ".ttl", "jsonld": ".jsonld"}


def export_dataset(store, path: str | Path, fmt: str = "trig") -> Path:
    """Write every graph of ``store`` to ``path`` in ``fmt``, atomically.

    Args:
        store: a :class:`kg.graph.store.Store` (or a raw :class:`pyoxigraph.Store`).
        path: the file to write; its previous content stays intact if anything fails.
        fmt: ``trig`` | ``nquads`` | ``turtle`` (longturtle, union of graphs) | ``jsonld``.

    Raises:
        KgError: unknown format.
        StoreError: the serializer failed (the old file is untouched).

    Examples:
        >>> import pyoxigraph, tempfile, pathlib
        >>> p = export_dataset(pyoxigraph.Store(), pathlib.Path(tempfile.mkdtemp()) / "g.nq", fmt="nquads")
        >>> p.read_bytes()
        b''
    """
    if fmt not in FORMATS:
        raise KgError(f"unknown export format {fmt!r}; expected one of {', '.join(FORMATS)}")
    raw = getattr(store, "raw", store)
    writer = FORMATS[fmt]
    try:
        return atomic_write(path, lambda fh: writer(raw, fh))
    except (OSError, ValueError, TypeError, RuntimeError) as exc:
        raise StoreError(f"export to {path} as {fmt} failed ({exc}); the previous file was left unchanged") from exc
