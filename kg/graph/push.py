"""``kg push``: upload every named graph of the store to a SPARQL 1.1 server (Oxigraph, Fuseki, GraphDB, Virtuoso).

With a Graph Store Protocol URL each graph is sent with ``PUT <graph-store>?graph=<name>`` (N-Triples), which
replaces it; otherwise each graph goes as one SPARQL Update ``DROP SILENT GRAPH <g> ; INSERT DATA { GRAPH <g> {...} }``
to the update endpoint. Either way re-pushing is idempotent, and a failed graph is reported by name.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

import pyoxigraph as ox

from kg.errors import KgError

__all__ = ["push", "PushReport"]

log = logging.getLogger(__name__)


@dataclass
class PushReport:
    """What a push did."""

    graphs: int = 0
    quads: int = 0
    failed: list[str] = field(default_factory=list)


def _graphs(raw: ox.Store) -> list[ox.NamedNode]:
    return sorted((g for g in raw.named_graphs() if isinstance(g, ox.NamedNode)), key=lambda g: g.value)


def push(store, endpoint: str | None = None, *, graph_store: str | None = None, timeout: float = 60.0,
         auth: tuple[str, str] | None = None, client=None, progress: Callable[[int, int], None] | None = None
         ) -> PushReport:
    """Upload each named graph of ``store``.

    Args:
        store: a :class:`kg.graph.store.Store` or a raw pyoxigraph Store.
        endpoint: SPARQL 1.1 Update endpoint (e.g. ``http://localhost:7878/update``).
        graph_store: Graph Store Protocol endpoint (e.g. ``http://localhost:7878/store``); preferred when given.
        timeout: seconds per HTTP request.
        auth: optional (user, password) for basic auth.
        client: an ``httpx.Client`` to use (tests); one is made otherwise.
        progress: called with (done, total) after each graph.

    Raises:
        KgError: neither URL given, or the server cannot be reached.
    """
    import httpx

    if not endpoint and not graph_store:
        raise KgError("kg push needs --endpoint URL (SPARQL Update) or --graph-store URL (Graph Store Protocol)")
    raw = getattr(store, "raw", store)
    graphs = _graphs(raw)
    report = PushReport()
    own = client is None
    client = client or httpx.Client(timeout=timeout, auth=auth)
    try:
        for i, graph in enumerate(graphs, 1):
            quads = list(raw.quads_for_pattern(None, None, None, graph))
            triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
            try:
                if graph_store:
                    body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
                    resp = client.put(graph_store, params={"graph": graph.value}, content=body,
                                      headers={"Content-Type": "application/n-triples"})
                else:
                    lines = "\n".join(f"{t.subject} {t.predicate} {t.object} ." for t in triples)
                    update = f"DROP SILENT GRAPH {graph} ;\nINSERT DATA {{ GRAPH {graph} {{\n{lines}\n}} }}"
                    resp = client.post(endpoint, content=update.encode("utf-8"),
                                       headers={"Content-Type": "application/sparql-update; charset=utf-8"})
            except httpx.HTTPError as exc:
                raise KgError(f"cannot reach {graph_store or endpoint} ({exc}); is the server running?") from exc
            if resp.status_code >= 300:
                log.error("push of %s failed: HTTP %s %s", graph.value, resp.status_code, resp.text[:200])
                report.failed.append(graph.value)
            else:
                report.graphs += 1
                report.quads += len(quads)
            if progress:
                progress(i, len(graphs))
    finally:
        if own:
            client.close()
    return report
