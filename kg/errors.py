"""One exception tree for kg.

    KgError
     ├── InputError          an input path or document cannot be used (missing, unreadable, empty)
     ├── GazetteerError      the actor gazetteer is malformed (duplicate id, clashing alias, unknown type)
     ├── ModelError          the spaCy pipeline cannot be loaded
     ├── StoreError          the RDF store cannot be opened or written
     │    ├── StoreInUseError       another process holds the store's lock
     │    └── StoreMismatchError    the store disagrees with its manifest (damaged, or changed behind kg's back)
     ├── QueryError          a SPARQL query is malformed or not allowed (update, SERVICE, LOAD, FROM ...)
     │    └── QueryTimeoutError     a query ran past its deadline and was stopped
     └── ValidationError     the build output does not conform to the SHACL shapes

Messages say what arrived, what was expected and how to fix it.
"""
from __future__ import annotations

__all__ = [
    "KgError",
    "InputError",
    "GazetteerError",
    "ModelError",
    "StoreError",
    "StoreInUseError",
    "StoreMismatchError",
    "QueryError",
    "QueryTimeoutError",
    "ValidationError",
]


class KgError(Exception):
    """Base class of every error kg raises on purpose."""


class InputError(KgError):
    """An input path or document cannot be used."""


class GazetteerError(KgError):
    """The actor gazetteer is malformed."""


class ModelError(KgError):
    """The spaCy pipeline cannot be loaded."""


class StoreError(KgError):
    """The RDF store cannot be opened or written."""


class StoreInUseError(StoreError):
    """Another process holds the store's write lock."""


class StoreMismatchError(StoreError):
    """The store disagrees with its manifest."""


class QueryError(KgError):
    """A SPARQL query is malformed or not allowed."""


class QueryTimeoutError(QueryError):
    """A SPARQL query ran past its deadline."""


class ValidationError(KgError):
    """The build output does not conform to the SHACL shapes."""
