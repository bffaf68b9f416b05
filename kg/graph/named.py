"""Named queries: the ``kg/queries/*.rq`` files, their header comments and safe parameter binding.

Each file starts with comment lines::

    # title: Relations of an actor, with evidence
    # description: ...
    # param: actor (actor, required): the actor: key (RUS), name or alias (Putin), or IRI

and uses ``{{name}}`` placeholders in the body (inside ``VALUES`` or ``LIMIT``). Values are never pasted as
text: each becomes an RDF term built and checked by pyoxigraph (an IRI, an escaped literal, an integer) or
``UNDEF`` when an optional parameter is left out, so a value cannot change the query's structure.

Parameter kinds: ``actor`` (key, label, alias or IRI -> actor IRI), ``relation`` (kg local name), ``class`` (kg
class local name), ``string``, ``int``.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import pyoxigraph as ox

from kg.errors import QueryError
from kg.graph import iri
from kg.graph.rdf import kg_term

__all__ = ["NamedQuery", "Param", "named_queries", "get_named_query", "bind"]

_HEADER = re.compile(r"^#\s*(title|description|param)\s*:\s*(.*)$")
_PARAM = re.compile(r"^(\w+)\s*\((\w+)\s*,\s*(required|optional)(?:\s*,\s*default\s+([^)]*))?\)\s*:?\s*(.*)$")
_PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")


@dataclass(frozen=True)
class Param:
    """One parameter of a named query."""

    name: str
    kind: str
    required: bool
    description: str = ""
    default: str | None = None


@dataclass(frozen=True)
class NamedQuery:
    """A query from ``kg/queries/NAME.rq``."""

    name: str
    title: str
    description: str
    text: str
    params: tuple[Param, ...] = field(default_factory=tuple)


def _parse(name: str, text: str) -> NamedQuery:
    title, description, params = name, "", []
    for line in text.splitlines():
        m = _HEADER.match(line.strip())
        if not m:
            if line.strip() and not line.lstrip().startswith("#"):
                break
            continue
        key, value = m.groups()
        if key == "title":
            title = value.strip()
        elif key == "description":
            description = value.strip()
        else:
            pm = _PARAM.match(value.strip())
            if not pm:
                raise QueryError(f"kg/queries/{name}.rq: cannot read the param line {value!r}; expected "
                                 f"'# param: NAME (KIND, required|optional[, default VALUE]): description'")
            pname, kind, req, default, desc = pm.groups()
            params.append(Param(pname, kind, req == "required", desc.strip(), default.strip() if default else None))
    return NamedQuery(name, title, description, text, tuple(params))


def named_queries(folder: str | Path | None = None) -> dict[str, NamedQuery]:
    """``{name: NamedQuery}`` for every ``.rq`` file in the package's ``kg/queries`` (or ``folder``)."""
    if folder is None:
        files = [f for f in resources.files("kg.queries").iterdir() if f.name.endswith(".rq")] \
            if _has_package() else list((Path(__file__).resolve().parent.parent / "queries").glob("*.rq"))
    else:
        files = list(Path(folder).glob("*.rq"))
    out = {}
    for f in sorted(files, key=lambda f: f.name):
        name = f.name[:-3]
        out[name] = _parse(name, f.read_text(encoding="utf-8"))
    return out


def _has_package() -> bool:
    try:
        resources.files("kg.queries")
        return True
    except (ModuleNotFoundError, TypeError):
        return False


def get_named_query(name: str) -> NamedQuery:
    """The named query ``name``.

    Raises:
        QueryError: no such query (the message lists the known ones).
    """
    queries = named_queries()
    if name not in queries:
        raise QueryError(f"no named query {name!r}; known: {', '.join(queries)} (see `kg query --list`)")
    return queries[name]


def _term(param: Param, value: str, resolve_actor: Callable[[str], str | None] | None) -> str:
    value = str(value).strip()
    try:
        if param.kind == "actor":
            if re.match(r"^https?://", value):
                return str(ox.NamedNode(value))
            found = resolve_actor(value) if resolve_actor else None
            return str(ox.NamedNode(found or iri.actor_iri(value)))
        if param.kind in ("relation", "class"):
            if value.startswith("kg:"):
                value = value[3:]
            term = kg_term(value) if re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", value) else None
            if term is None:
                raise QueryError(f"parameter {param.name}={value!r}: not a term of the kg ontology; expected a local "
                                 f"name such as {'supports' if param.kind == 'relation' else 'State'}")
            return str(term)
        if param.kind == "int":
            return str(int(value))
        if param.kind == "string":
            return str(ox.Literal(value))
    except ValueError as exc:
        raise QueryError(f"parameter {param.name}={value!r} is not a valid {param.kind} ({exc})") from None
    raise QueryError(f"parameter {param.name}: unknown kind {param.kind!r} in the query file")


def bind(query: NamedQuery, params: Mapping[str, str] | None = None, *,
         resolve_actor: Callable[[str], str | None] | None = None) -> str:
    """The query text with every ``{{name}}`` replaced by a checked RDF term (or ``UNDEF``).

    Args:
        query: the named query.
        params: ``{name: value}`` as strings (from ``--param k=v``).
        resolve_actor: maps a name or alias to an actor IRI (e.g. :meth:`kg.api.KnowledgeGraph.actor`); without
            it, actor values are taken as keys.

    Raises:
        QueryError: a required parameter is missing, an unknown one is given, or a value is invalid.

    Examples:
        >>> q = get_named_query("edge_evidence")
        >>> "<https://w3id.org/kg-news/id/actor/RUS>" in bind(q, {"subject": "RUS", "relation": "supports", "object": "TUR"})
        True
    """
    params = dict(params or {})
    known = {p.name: p for p in query.params}
    unknown = sorted(set(params) - set(known))
    if unknown:
        raise QueryError(f"named query {query.name!r} has no parameter {', '.join(unknown)}; it takes: "
                         f"{', '.join(known) or 'none'}")
    values: dict[str, str] = {}
    for p in query.params:
        if p.name in params and str(params[p.name]).strip() != "":
            values[p.name] = _term(p, params[p.name], resolve_actor)
        elif p.required:
            raise QueryError(f"named query {query.name!r} needs --param {p.name}=... ({p.kind}: {p.description})")
        elif p.default is not None:
            values[p.name] = _term(p, p.default, resolve_actor)
        else:
            values[p.name] = "UNDEF"
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), query.text)
