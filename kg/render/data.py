"""Gather the plain data the pages need from a kg store: the only module of ``kg.render`` that reads RDF.

:class:`SiteData` is what :mod:`kg.render.site` draws: the ``MultiDiGraph`` of ``kg.analyse.convert.to_networkx``
plus plain dicts (metrics, identifiers, document texts, mentions). Tests build a ``SiteData`` by hand.
"""
from __future__ import annotations

import logging
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx

__all__ = ["SiteData", "gather", "load_site_data"]

log = logging.getLogger(__name__)

_KG = "https://w3id.org/kg-news/ontology#"
_ID = "https://w3id.org/kg-news/id/"
_PREFIXES = f"""
PREFIX kg: <{_KG}>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""
_METRICS = ("pageRank", "betweenness", "degree", "bloc", "community")
_IDENTIFIERS = {"wikidata": "wikidata", "iso2": "iso2", "iso3": "iso3", "cameoActorCode": "cameo", "sector": "sector"}
_HTTP_URL = re.compile(r"^https?://[^\s<>\"']+$")


@dataclass
class SiteData:
    """Everything the pages show, as plain Python data.

    Attributes:
        G: the actor graph (schema: ``docs/design.md``, "networkx schema").
        metrics: ``{actor_key: {"pageRank": float, "betweenness": float, "degree": int, "bloc": int,
            "community": int}}`` (any subset; missing metrics are computed or left blank by the pages).
        identifiers: ``{actor_key: {"wikidata": "Q159", "iso2": ..., "iso3": ..., "cameo": ..., "sector": ...}}``.
        texts: ``{doc_id: full normalised text}``.
        mentions: ``{doc_id: [(start, end, actor_key), ...]}`` sorted by offsets into the text.
        urls: ``{doc_id: absolute http(s) url}`` of the original article, when known.
    """

    G: nx.MultiDiGraph
    metrics: dict[str, dict[str, Any]] = field(default_factory=dict)
    identifiers: dict[str, dict[str, str]] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    mentions: dict[str, list[tuple[int, int, str]]] = field(default_factory=dict)
    urls: dict[str, str] = field(default_factory=dict)


def _raw(source: Any):
    """The ``pyoxigraph.Store`` behind a kg Store (``.raw``) or the store itself."""
    raw = getattr(source, "raw", None)
    return raw if raw is not None else source


def _key(iri: str) -> str | None:
    from kg.graph.iri import actor_key_of

    return actor_key_of(iri)


def _number(value: str) -> Any:
    try:
        number = float(value)
    except ValueError:
        return value
    return int(number) if number.is_integer() and "." not in value and "e" not in value.lower() else number


def gather(source: Any, *, since: str | None = None, until: str | None = None) -> SiteData:
    """Read a store into a :class:`SiteData`.

    Args:
        source: a kg ``Store`` or a ``pyoxigraph.Store`` holding a build.
        since: keep only documents dated on or after this ISO date.
        until: keep only documents dated on or before this ISO date.

    Returns:
        The graph (``to_networkx``), metrics from ``id:graph/metrics``, identifiers from ``id:graph/gazetteer``,
        and the text, url and mentions of every document in the graph.
    """
    from kg.analyse.convert import to_networkx
    from kg.graph.iri import GAZETTEER_GRAPH, METRICS_GRAPH

    G = to_networkx(source, since=since, until=until)
    store = _raw(source)

    metrics: dict[str, dict[str, Any]] = defaultdict(dict)
    values = " ".join(f"kg:{m}" for m in _METRICS)
    for row in store.query(_PREFIXES + f"""
        SELECT ?a ?p ?v WHERE {{ GRAPH <{METRICS_GRAPH}> {{ ?a ?p ?v . VALUES ?p {{ {values} }} }} }}"""):
        key = _key(row["a"].value)
        if key:
            metrics[key][row["p"].value[len(_KG):]] = _number(row["v"].value)

    identifiers: dict[str, dict[str, str]] = defaultdict(dict)
    values = " ".join(f"kg:{m}" for m in _IDENTIFIERS)
    for row in store.query(_PREFIXES + f"""
        SELECT ?a ?p ?v WHERE {{ GRAPH <{GAZETTEER_GRAPH}> {{ ?a ?p ?v . VALUES ?p {{ {values} }} }} }}"""):
        key = _key(row["a"].value)
        if key:
            identifiers[key][_IDENTIFIERS[row["p"].value[len(_KG):]]] = row["v"].value

    wanted = {info.get("iri"): doc_id for doc_id, info in G.graph.get("documents", {}).items()}
    texts: dict[str, str] = {}
    urls: dict[str, str] = {}
    for row in store.query(_PREFIXES + """
        SELECT ?d ?text ?url WHERE { GRAPH ?d { ?d a kg:Document ; kg:text ?text .
          OPTIONAL { ?d rdfs:seeAlso ?url } } }"""):
        doc_id = wanted.get(row["d"].value)
        if doc_id is None:
            continue
        texts[doc_id] = row["text"].value
        if row["url"] is not None and _HTTP_URL.match(row["url"].value):
            urls[doc_id] = row["url"].value

    mentions: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for row in store.query(_PREFIXES + """
        SELECT ?d ?a ?s ?e WHERE { GRAPH ?d { ?m a kg:Mention ; kg:actor ?a ; kg:charStart ?s ; kg:charEnd ?e } }"""):
        doc_id = wanted.get(row["d"].value)
        key = _key(row["a"].value)
        if doc_id is None or not key:
            continue
        mentions[doc_id].append((int(row["s"].value), int(row["e"].value), key))
    for spans in mentions.values():
        spans.sort()
    log.info("site data: %d actors, %d documents with text, metrics for %d actors",
             G.number_of_nodes(), len(texts), len(metrics))
    return SiteData(G=G, metrics=dict(metrics), identifiers=dict(identifiers), texts=texts,
                    mentions=dict(mentions), urls=urls)


def load_site_data(out: str | Path) -> SiteData:
    """Open the store of the build in ``out`` (``out/store``) and :func:`gather` it.

    Raises:
        StoreError: there is no store in ``out`` (run ``kg build`` first), or it is in use or damaged.
    """
    from kg.graph.store import Store

    with Store.open(Path(out) / "store") as store:
        return gather(store)
