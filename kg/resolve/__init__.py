"""kg.resolve: mentions -> canonical actors (gazetteer keys, metonymy, coreference, cross-document merging)."""
from kg.resolve.actors import Registry, resolve_document

__all__ = ["Registry", "resolve_document"]
