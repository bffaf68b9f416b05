"""Serialise a :class:`~kg.graph.query.QueryResult` in the W3C SPARQL results formats (JSON, XML, CSV, TSV), as
RDF (Turtle, N-Triples) for CONSTRUCT/DESCRIBE, or as a plain text table.

A truncated result says so: JSON gets ``"truncated": true`` beside ``head``/``results`` (and in ``head.link``
as a note), XML a ``<link href="urn:kg:truncated"/>``; the HTTP endpoint also sends ``X-KG-Truncated: true``.
"""
from __future__ import annotations

import csv
import io
import json
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from kg.errors import QueryError
from kg.graph.query import QueryResult

__all__ = ["serialize_result", "MEDIA_TYPES", "FORMAT_OF_MEDIA_TYPE", "term_json", "term_text"]

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

MEDIA_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "table": "text/plain",
}
FORMAT_OF_MEDIA_TYPE = {v: k for k, v in MEDIA_TYPES.items() if k != "table"}
FORMAT_OF_MEDIA_TYPE.update({"application/json": "json", "application/xml": "xml", "text/xml": "xml",
                             "text/plain": "table", "application/x-turtle": "turtle", "text/n3": "turtle"})


def term_json(term) -> dict:
    """A term in SPARQL 1.1 JSON results form."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    return {"type": "triple", "value": str(term)}


def term_text(term) -> str:
    """A term for CSV and tables: IRIs and literals by value, blank nodes as ``_:id``."""
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return getattr(term, "value", str(term))


def _json(r: QueryResult) -> bytes:
    if r.kind == "ask":
        doc = {"head": {}, "boolean": bool(r.boolean)}
    else:
        rows = [{v: term_json(t) for v, t in zip(r.variables, row) if t is not None} for row in r.rows]
        doc = {"head": {"vars": r.variables}, "results": {"bindings": rows}}
    if r.truncated:
        doc["truncated"] = True
        doc["head"]["link"] = ["urn:kg:truncated"]
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")


def _xml(r: QueryResult) -> bytes:
    out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">', "<head>"]
    for v in r.variables:
        out.append(f"<variable name={quoteattr(v)}/>")
    if r.truncated:
        out.append('<link href="urn:kg:truncated"/>')
    out.append("</head>")
    if r.kind == "ask":
        out.append(f"<boolean>{'true' if r.boolean else 'false'}</boolean>")
    else:
        out.append("<results>")
        for row in r.rows:
            out.append("<result>")
            for v, t in zip(r.variables, row):
                if t is None:
                    continue
                if isinstance(t, ox.NamedNode):
                    body = f"<uri>{escape(t.value)}</uri>"
                elif isinstance(t, ox.BlankNode):
                    body = f"<bnode>{escape(t.value)}</bnode>"
                elif t.language:
                    body = f"<literal xml:lang={quoteattr(t.language)}>{escape(t.value)}</literal>"
                elif t.datatype.value != XSD_STRING:
                    body = f"<literal datatype={quoteattr(t.datatype.value)}>{escape(t.value)}</literal>"
                else:
                    body = f"<literal>{escape(t.value)}</literal>"
                out.append(f"<binding name={quoteattr(v)}>{body}</binding>")
            out.append("</result>")
        out.append("</results>")
    out.append("</sparql>\n")
    return "\n".join(out).encode("utf-8")


def _tsv_term(t) -> str:
    if t is None:
        return ""
    if isinstance(t, ox.Literal) and t.datatype.value == XSD_STRING and not t.language:
        return '"' + t.value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t") \
            .replace("\r", "\\r") + '"'
    return str(t).replace("\t", "\\t")


def _delimited(r: QueryResult, tsv: bool) -> bytes:
    if r.kind == "ask":
        return (("?_askResult\n" if tsv else "_askResult\r\n") + ("true" if r.boolean else "false") +
                ("\n" if tsv else "\r\n")).encode()
    if tsv:
        lines = ["\t".join("?" + v for v in r.variables)]
        lines += ["\t".join(_tsv_term(t) for t in row) for row in r.rows]
        return ("\n".join(lines) + "\n").encode("utf-8")
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(r.variables)
    for row in r.rows:
        writer.writerow([term_text(t) for t in row])
    return buf.getvalue().encode("utf-8")


def _short(term) -> str:
    from kg.graph.export import PREFIXES

    text = term_text(term)
    if isinstance(term, ox.NamedNode):
        for prefix, ns in PREFIXES.items():
            if text.startswith(ns) and len(text) > len(ns):
                return f"{prefix}:{text[len(ns):]}"
    return text


def _table(r: QueryResult, width: int = 60) -> bytes:
    if r.kind == "ask":
        return (("yes" if r.boolean else "no") + "\n").encode()
    if r.kind == "graph":
        return _rdf(r, ox.RdfFormat.TURTLE)
    cells = [[_short(t).replace("\n", " ") for t in row] for row in r.rows]
    cells = [[c if len(c) <= width else c[: width - 1] + "…" for c in row] for row in cells]
    widths = [max([len(v)] + [len(row[i]) for row in cells]) for i, v in enumerate(r.variables)]
    lines = ["  ".join(v.ljust(w) for v, w in zip(r.variables, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in cells]
    lines.append(f"({len(r.rows)} row{'s' if len(r.rows) != 1 else ''}"
                 f"{', TRUNCATED: more rows exist, raise the row cap or add LIMIT' if r.truncated else ''})")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _rdf(r: QueryResult, fmt: ox.RdfFormat) -> bytes:
    from kg.graph.export import PREFIXES

    if fmt == ox.RdfFormat.TURTLE:
        return ox.serialize(r.triples, format=fmt, prefixes=PREFIXES) or b""
    return ox.serialize(r.triples, format=fmt) or b""


def serialize_result(result: QueryResult, fmt: str) -> bytes:
    """``result`` as bytes in ``fmt`` (``json xml csv tsv table`` for SELECT/ASK, ``turtle ntriples table`` for
    CONSTRUCT/DESCRIBE).

    Raises:
        QueryError: the format does not fit the query form.
    """
    if result.kind == "graph":
        if fmt in ("turtle", "table"):
            return _rdf(result, ox.RdfFormat.TURTLE)
        if fmt == "ntriples":
            return _rdf(result, ox.RdfFormat.N_TRIPLES)
        raise QueryError(f"format {fmt!r} does not fit a CONSTRUCT/DESCRIBE result; use turtle or ntriples")
    writers = {"json": _json, "xml": _xml, "csv": lambda r: _delimited(r, False), "tsv": lambda r: _delimited(r, True),
               "table": _table}
    if fmt not in writers:
        raise QueryError(f"format {fmt!r} does not fit a SELECT/ASK result; use one of {', '.join(writers)}")
    return writers[fmt](result)
