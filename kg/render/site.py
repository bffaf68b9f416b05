"""Plain data (:class:`~kg.render.data.SiteData`) in, a static offline site out. Never touches the store.

Layout of ``site/``: ``index.html``, ``actor/<slug>.html``, ``doc/<slug>.html``, ``relation/<rel>.html``,
``contradictions.html`` and ``assets/`` (vis-network 9.1.2 copied once from pyvis's package, ``kg.js``,
``kg.css``, ``search-index.js``). Pages are Jinja2 templates with autoescaping on; graph data travels as JSON in
``<script type="application/json">`` with ``<``, ``>`` and ``&`` escaped, and ``kg.js`` builds every piece of
article text with ``textContent``. Every file is written atomically (temp file + ``os.replace``) and the same
input gives byte-identical output.
"""
from __future__ import annotations

import logging
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from kg.fileio import atomic_write
from kg.render.data import SiteData
from kg.render.network import (
    actor_ranks,
    ego_layout,
    layout,
    network_payload,
    style_payload,
)
from kg.render.style import (
    ACTOR_STYLE,
    MODALITY_NOTE,
    POLARITY_STYLE,
    UNKNOWN_STYLE,
    actor_style,
    polarity_name,
)
from kg.render.text import (
    actor_slug,
    clip,
    doc_slug,
    relation_slug,
    script_json,
    segments,
    segments_html,
)

__all__ = ["SiteReport", "write_site", "vis_asset_dir", "environment", "PHYSICS_ITERATIONS"]

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
#: Stabilisation iterations the browser runs before physics is switched off.
PHYSICS_ITERATIONS = 150
#: Actors drawn on one actor's ego graph / one document's graph.
EGO_CAP = 60
DOC_GRAPH_CAP = 50
#: Evidence shown per (relation, other actor) on an actor page, and per page in total.
EVIDENCE_PER_PAIR = 8
EVIDENCE_PER_PAGE = 400
#: Edges listed on a relation type's page.
RELATION_PAGE_EDGES = 500


@dataclass
class SiteReport:
    """What :func:`write_site` wrote."""

    path: Path
    pages: int = 0
    bytes: int = 0
    largest_page: int = 0
    index_bytes: int = 0
    actors: int = 0
    index_actors: int = 0
    seconds: float = 0.0
    removed: int = 0
    timings: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"path": str(self.path), "pages": self.pages, "bytes": self.bytes, "largest_page": self.largest_page,
                "index_bytes": self.index_bytes, "actors": self.actors, "index_actors": self.index_actors,
                "seconds": round(self.seconds, 3), "removed": self.removed, "timings": self.timings}


def vis_asset_dir() -> Path:
    """pyvis's copy of vis-network 9.1.2 (``vis-network.min.js`` and ``.css``)."""
    import pyvis

    return Path(pyvis.__file__).resolve().parent / "templates" / "lib" / "vis-9.1.2"


def environment() -> Environment:
    """The Jinja2 environment of the pages: autoescape on for every template, undefined names fail."""
    env = Environment(loader=FileSystemLoader(str(HERE / "templates")), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.globals.update(actor_style=actor_style, segments_html=segments_html, polarity_name=polarity_name, MODALITY_NOTE=MODALITY_NOTE,
                       POLARITY_STYLE=POLARITY_STYLE)
    return env


# ------------------------------------------------------------------------------------------------ writing
class _Writer:
    def __init__(self, site: Path, report: SiteReport) -> None:
        self.site = site
        self.report = report
        self.written: set[Path] = set()

    def write(self, relative: str, content: str | bytes) -> None:
        path = self.site / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        data = content.encode("utf-8") if isinstance(content, str) else content
        atomic_write(path, data, fsync=False)  # thousands of pages: the rename keeps readers safe
        self.written.add(path)
        if relative.endswith(".html"):
            self.report.pages += 1
            self.report.largest_page = max(self.report.largest_page, len(data))
        self.report.bytes += len(data)

    def copy(self, source: Path, relative: str) -> None:
        target = self.site / relative
        if target.is_file() and target.stat().st_size == source.stat().st_size and target.read_bytes() == source.read_bytes():
            self.written.add(target)
            return
        self.write(relative, source.read_bytes())

    def remove_stale(self) -> int:
        """Delete pages of actors/documents/relations that are no longer in the graph (and stray temp files)."""
        removed = 0
        for folder in ("actor", "doc", "relation"):
            for path in sorted((self.site / folder).glob("*.html")) if (self.site / folder).is_dir() else ():
                if path not in self.written:
                    path.unlink()
                    removed += 1
        for path in self.site.rglob(".tmp-*"):
            path.unlink(missing_ok=True)
        return removed


# ------------------------------------------------------------------------------------------------ helpers
class _Context:
    """Lookups shared by every page, computed once."""

    def __init__(self, data: SiteData, node_cap: int, seed: int, env: Environment) -> None:
        G = data.G
        self.macros = env.get_template("macros.html").module
        self._evidence_html: dict[tuple, Any] = {}
        self.data = data
        self.G = G
        self.node_cap = max(int(node_cap), 1)
        self.seed = seed
        self.ranks = actor_ranks(G, data.metrics)
        self.order = sorted(G.nodes, key=lambda k: (-self.ranks.get(k, 0.0), str(k)))
        self.position = {k: i for i, k in enumerate(self.order)}
        self.documents: dict[str, dict] = dict(G.graph.get("documents") or {})
        self.negated: list[dict] = list(G.graph.get("negated") or [])
        self.by_doc: dict[str, list[tuple[str, str, str, dict]]] = defaultdict(list)
        for u, v, rel, records in G.edges(keys=True, data="evidence"):
            for ev in records or ():
                self.by_doc[ev.get("doc_id")].append((u, v, rel, ev))
        self.negated_by_doc: dict[str, list[dict]] = defaultdict(list)
        self.negated_by_actor: dict[str, list[dict]] = defaultdict(list)
        for ev in self.negated:
            self.negated_by_doc[ev.get("doc_id")].append(ev)
            self.negated_by_actor[ev.get("s")].append(ev)
            if ev.get("o") != ev.get("s"):
                self.negated_by_actor[ev.get("o")].append(ev)

    def label(self, key: str) -> str:
        if key in self.G:
            return str(self.G.nodes[key].get("label") or key)
        return str(key)

    def actor_href(self, key: str, root: str) -> str | None:
        return f"{root}actor/{actor_slug(str(key))}.html" if key in self.G else None

    def actor_link(self, key: str, root: str) -> dict[str, Any]:
        data = self.G.nodes[key] if key in self.G else {}
        return {"label": self.label(key), "href": self.actor_href(key, root), "type": data.get("type") or "",
                "style": actor_style(data.get("type"))}

    def doc_href(self, doc_id: str, root: str) -> str:
        return f"{root}doc/{doc_slug(doc_id)}.html"

    def evidence_view(self, ev: dict, root: str) -> Any:
        """An evidence record as escaped markup (``<li>``), rendered once per record and root."""
        key = (ev.get("evidence_iri") or id(ev), ev.get("modality"), root)
        cached = self._evidence_html.get(key)
        if cached is None:
            cached = self._evidence_html[key] = self.macros.evidence(self._evidence_fields(ev, root))
        return cached

    def _evidence_fields(self, ev: dict, root: str) -> dict[str, Any]:
        """An evidence record ready for the macro: highlighted segments and its article."""
        sentence = ev.get("sentence") or ""
        base = ev.get("sentence_start") or 0
        doc_id = ev.get("doc_id")
        start, end = ev.get("start"), ev.get("end")
        marks = [(start, end)] if start is not None and end is not None else []
        mentions = [(s, e, self.actor_href(k, root), self.label(k))
                    for s, e, k in self._mentions_in(doc_id, base, base + len(sentence))]
        doc = self.documents.get(doc_id, {})
        return {
            "segments": segments(sentence, base=base, marks=marks, mentions=mentions),
            "title": ev.get("title") or doc.get("title") or doc_id, "date": ev.get("date") or doc.get("date"),
            "source": ev.get("source") or doc.get("source"), "modality": ev.get("modality") or "asserted",
            "confidence": ev.get("confidence"), "doc_href": self.doc_href(doc_id, root) if doc_id in self.documents else None,
            "speakers": [self.actor_link(k, root) for k in ev.get("speakers") or ()],
        }

    def _mentions_in(self, doc_id: str | None, start: int, end: int) -> list[tuple[int, int, str]]:
        spans = self.data.mentions.get(doc_id) or []
        import bisect

        i = bisect.bisect_left(spans, (start, -1, ""))
        out = []
        while i < len(spans) and spans[i][0] < end:
            if spans[i][1] <= end:
                out.append(spans[i])
            i += 1
        return out

    def edge_summary(self, u: str, v: str, rel: str, data: dict, root: str) -> dict[str, Any]:
        return {"subject": self.actor_link(u, root), "object": self.actor_link(v, root), "relation": rel,
                "relation_href": f"{root}relation/{relation_slug(rel)}.html", "core": data.get("core") or rel,
                "polarity": polarity_name(data.get("polarity")), "count": int(data.get("count") or 1),
                "first": data.get("first_date"), "last": data.get("last_date"),
                "documents": len(data.get("documents") or ())}

    def graph_json(self, payload: dict, kind: str, **extra) -> Any:
        payload = {**payload, "kind": kind, "style": style_payload(), "iterations": PHYSICS_ITERATIONS,
                   "seed": self.seed, **extra}
        return script_json(payload)


def _stats(ctx: _Context) -> dict[str, Any]:
    G = ctx.G
    types: dict[str, int] = defaultdict(int)
    for _, t in G.nodes(data="type"):
        types[t or "Other"] += 1
    relations: dict[str, int] = defaultdict(int)
    polarity: dict[str, int] = defaultdict(int)
    evidence = 0
    dates = []
    for _, _, rel, data in G.edges(keys=True, data=True):
        relations[rel] += 1
        polarity[polarity_name(data.get("polarity"))] += 1
        evidence += len(data.get("evidence") or ()) or int(data.get("count") or 0)
        if data.get("first_date"):
            dates.append(data["first_date"])
        if data.get("last_date"):
            dates.append(data["last_date"])
    doc_dates = sorted(d["date"] for d in ctx.documents.values() if d.get("date"))
    return {
        "documents": len(ctx.documents), "actors": G.number_of_nodes(), "relations": G.number_of_edges(),
        "evidence": evidence, "negated": len(ctx.negated),
        "first_date": min(dates + doc_dates[:1]) if dates or doc_dates else None,
        "last_date": max(dates + doc_dates[-1:]) if dates or doc_dates else None,
        "types": sorted(types.items(), key=lambda kv: (-kv[1], kv[0])),
        "relation_counts": sorted(relations.items(), key=lambda kv: (-kv[1], kv[0])),
        "polarity": dict(polarity),
    }


# ------------------------------------------------------------------------------------------------ pages
def _index(ctx: _Context, env: Environment, w: _Writer, stats: dict) -> int:
    G = ctx.G
    pool_size = max(ctx.node_cap, min(3 * ctx.node_cap, 450))
    # actors with relations first: an isolated actor says nothing on a network drawing (it stays searchable)
    pool = sorted(ctx.order, key=lambda k: (G.degree(k) == 0 or (G.degree(k) == G.number_of_edges(k, k) * 2),
                                            ctx.position[k]))[:pool_size]
    positions = layout(G.subgraph(pool), seed=ctx.seed)
    payload = network_payload(G, pool, positions=positions, ranks=ctx.ranks, root="", evidence_per_edge=1,
                              sentence_limit=240, max_edges=6 * len(pool))
    shown = min(ctx.node_cap, len(pool))
    html = env.get_template("index.html").render(
        root="", kind="index", title="Actor network", stats=stats, graph=True,
        graph_json=ctx.graph_json(payload, "index", cap=ctx.node_cap, total=G.number_of_nodes()),
        shown=shown, hidden=G.number_of_nodes() - shown, cap=ctx.node_cap,
        types=[(t, s) for t, s in ACTOR_STYLE.items()] + [("", UNKNOWN_STYLE)],
        relations=[r for r, _ in sorted(stats["relation_counts"])],
        polarities=[(p, POLARITY_STYLE[p]) for p in (1, -1, 0)],
        max_count=max((int(c or 1) for _, _, c in G.edges(data="count")), default=1),
        top=[ctx.actor_link(k, "") | {"rank": ctx.ranks.get(k, 0.0)} for k in ctx.order[:15]],
        dropped_edges=payload["dropped_edges"],
    )
    w.write("index.html", html)
    w.report.index_bytes = len(html.encode("utf-8"))
    return shown


def _actor_page(ctx: _Context, env: Environment, w: _Writer, key: str) -> None:
    G, root = ctx.G, "../"
    data = G.nodes[key]
    weight: dict[str, int] = defaultdict(int)
    for _, v, c in G.out_edges(key, data="count"):
        weight[v] += int(c or 1)
    for u, _, c in G.in_edges(key, data="count"):
        weight[u] += int(c or 1)
    weight.pop(key, None)
    neighbours = sorted(weight, key=lambda k: (-weight[k], ctx.position[k]))
    shown = neighbours[:EGO_CAP - 1]
    payload = network_payload(G, [key, *shown], positions=ego_layout(key, shown), ranks=ctx.ranks, root=root,
                              evidence_per_edge=3, edge_filter=lambda u, v, r, d: key in (u, v), highlight=key)
    groups = []
    budget = EVIDENCE_PER_PAGE
    hidden_evidence = 0
    for direction, edges in (("out", G.out_edges(key, keys=True, data=True)),
                             ("in", G.in_edges(key, keys=True, data=True))):
        by_rel: dict[str, list] = defaultdict(list)
        for u, v, rel, d in edges:
            if direction == "in" and u == key:
                continue  # self-loops are listed once, as outgoing
            by_rel[rel].append((u, v, d))
        for rel in sorted(by_rel):
            items = []
            for u, v, d in sorted(by_rel[rel], key=lambda e: (-(e[2].get("count") or 0), ctx.position[e[0] if direction == "in" else e[1]])):
                records = d.get("evidence") or []
                take = records[:min(EVIDENCE_PER_PAIR, budget)]
                budget -= len(take)
                hidden_evidence += len(records) - len(take)
                items.append({**ctx.edge_summary(u, v, rel, d, root), "other": ctx.actor_link(v if direction == "out" else u, root),
                              "evidence": [ctx.evidence_view(e, root) for e in take], "more": len(records) - len(take)})
            polarity = polarity_name(by_rel[rel][0][2].get("polarity"))
            groups.append({"direction": direction, "relation": rel, "rows": items, "polarity": polarity,
                           "anchor": f"{direction}-{relation_slug(rel)}",
                           "relation_href": f"{root}relation/{relation_slug(rel)}.html"})
    negated = [{"subject": ctx.actor_link(e["s"], root), "relation": e["relation"], "object": ctx.actor_link(e["o"], root),
                "evidence": ctx.evidence_view(e, root)} for e in ctx.negated_by_actor.get(key, [])[:50]]
    metrics = dict(ctx.data.metrics.get(key, {}))
    metrics.setdefault("pageRank", ctx.ranks.get(key))
    metrics.setdefault("degree", G.degree(key))
    ids = ctx.data.identifiers.get(key, {})
    wikidata = ids.get("wikidata")
    html = env.get_template("actor.html").render(
        root=root, kind="actor", title=str(data.get("label") or key), key=key, actor=data, style=actor_style(data.get("type")),
        aliases=list(data.get("aliases") or []), identifiers=sorted(ids.items()), iri=data.get("iri"),
        wikidata_href=f"https://www.wikidata.org/wiki/{wikidata}" if wikidata and wikidata[1:].isdigit() and wikidata[0] == "Q" else None,
        metrics=metrics, rank_position=ctx.position[key] + 1, total=G.number_of_nodes(), groups=groups, negated=negated,
        graph=True, graph_json=ctx.graph_json(payload, "actor", focus=0),
        hidden_neighbours=len(neighbours) - len(shown), hidden_evidence=hidden_evidence,
    )
    w.write(f"actor/{actor_slug(str(key))}.html", html)


def _doc_page(ctx: _Context, env: Environment, w: _Writer, doc_id: str) -> None:
    G, root = ctx.G, "../"
    info = ctx.documents.get(doc_id, {})
    text = ctx.data.texts.get(doc_id, "")
    spans = ctx.data.mentions.get(doc_id, [])
    mentions = [(s, e, ctx.actor_href(k, root), ctx.label(k)) for s, e, k in spans]
    marks = []
    rel_rows = []
    seen_edges = set()
    for u, v, rel, ev in sorted(ctx.by_doc.get(doc_id, []), key=lambda t: (t[3].get("start") or 0, t[0], t[2], t[1])):
        seen_edges.add((u, v, rel))
        rel_rows.append({**ctx.edge_summary(u, v, rel, G.edges[u, v, rel], root), "evidence": ctx.evidence_view(ev, root)})
    negated = [{"subject": ctx.actor_link(e["s"], root), "relation": e["relation"], "object": ctx.actor_link(e["o"], root),
                "evidence": ctx.evidence_view(e, root)} for e in ctx.negated_by_doc.get(doc_id, [])]
    keys = {k for u, v, _ in seen_edges for k in (u, v)} | {k for _, _, k in spans if k in G}
    keys = sorted(keys, key=lambda k: ctx.position.get(k, 0))[:DOC_GRAPH_CAP]
    sub = nx.MultiDiGraph()
    sub.add_nodes_from(keys)
    sub.add_edges_from((u, v) for u, v, _ in seen_edges if u in sub and v in sub)
    payload = network_payload(G, keys, positions=layout(sub, seed=ctx.seed, iterations=30), ranks=ctx.ranks, root=root,
                              evidence_per_edge=3, edge_filter=lambda u, v, r, d: (u, v, r) in seen_edges,
                              evidence_filter=lambda e: e.get("doc_id") == doc_id)
    counts: dict[str, int] = defaultdict(int)
    for _, _, k in spans:
        counts[k] += 1
    actors = [ctx.actor_link(k, root) | {"mentions": counts[k]}
              for k in sorted(counts, key=lambda k: (ctx.position.get(k, 1 << 30), k))]
    html = env.get_template("doc.html").render(
        root=root, kind="doc", title=info.get("title") or doc_id, doc_id=doc_id, info=info, url=ctx.data.urls.get(doc_id),
        segments=segments(text, marks=marks, mentions=mentions), has_text=bool(text), relations=rel_rows,
        negated=negated, actors=actors, graph=bool(keys), graph_json=ctx.graph_json(payload, "doc"),
    )
    w.write(f"doc/{doc_slug(doc_id)}.html", html)


def _relation_pages(ctx: _Context, env: Environment, w: _Writer) -> list[dict]:
    G, root = ctx.G, "../"
    by_rel: dict[str, list] = defaultdict(list)
    for u, v, rel, d in G.edges(keys=True, data=True):
        by_rel[rel].append((u, v, d))
    listing = []
    for rel in sorted(by_rel):
        edges = sorted(by_rel[rel], key=lambda e: (-(e[2].get("count") or 0), ctx.position[e[0]], ctx.position[e[1]]))
        first = edges[0][2]
        rows = [{**ctx.edge_summary(u, v, rel, d, root),
                 "evidence": [ctx.evidence_view(e, root) for e in (d.get("evidence") or [])[:3]],
                 "more": max(len(d.get("evidence") or []) - 3, 0)} for u, v, d in edges[:RELATION_PAGE_EDGES]]
        html = env.get_template("relation.html").render(
            root=root, kind="relation", title=rel, relation=rel, core=first.get("core") or rel,
            polarity=polarity_name(first.get("polarity")),
            core_href=f"{relation_slug(first.get('core'))}.html" if first.get("core") in by_rel else None, symmetric=bool(first.get("symmetric")), rows=rows,
            hidden=max(len(edges) - RELATION_PAGE_EDGES, 0), total=len(edges),
            evidence=sum(int(d.get("count") or 0) for _, _, d in edges), graph=False, graph_json="",
        )
        w.write(f"relation/{relation_slug(rel)}.html", html)
        listing.append({"relation": rel, "href": f"relation/{relation_slug(rel)}.html", "edges": len(edges),
                        "polarity": polarity_name(first.get("polarity"))})
    return listing


def contradictions(G: nx.MultiDiGraph) -> list[tuple[str, str, list[tuple], list[tuple]]]:
    """Pairs of actors joined by both a cooperation and a conflict relation (either direction).

    Returns:
        ``[(a, b, cooperation_edges, conflict_edges)]`` with ``a < b``; edges are ``(u, v, rel, data)``.

    Examples:
        >>> G = nx.MultiDiGraph()
        >>> _ = G.add_edge("B", "A", key="supports", polarity=1)
        >>> _ = G.add_edge("A", "B", key="attacks", polarity=-1)
        >>> [(a, b, len(p), len(n)) for a, b, p, n in contradictions(G)]
        [('A', 'B', 1, 1)]
    """
    pairs: dict[tuple[str, str], dict[int, list]] = defaultdict(lambda: {1: [], -1: []})
    for u, v, rel, d in G.edges(keys=True, data=True):
        polarity = int(d.get("polarity") or 0)
        if u == v or polarity == 0:
            continue
        pair = (u, v) if str(u) <= str(v) else (v, u)
        pairs[pair][1 if polarity > 0 else -1].append((u, v, rel, d))
    return [(a, b, sorted(p[1], key=lambda e: e[:3]), sorted(p[-1], key=lambda e: e[:3]))
            for (a, b), p in sorted(pairs.items()) if p[1] and p[-1]]


def _contradictions_page(ctx: _Context, env: Environment, w: _Writer) -> int:
    root = ""
    found = contradictions(ctx.G)

    def strength(item):
        return -sum(int(e[3].get("count") or 1) for e in item[2] + item[3])

    rows = []
    for a, b, positive, negative in sorted(found, key=lambda t: (strength(t), str(t[0]), str(t[1])))[:500]:
        rows.append({"a": ctx.actor_link(a, root), "b": ctx.actor_link(b, root),
                     "sides": [(name, [{**ctx.edge_summary(u, v, rel, d, root),
                                        "evidence": [ctx.evidence_view(e, root) for e in (d.get("evidence") or [])[:2]]}
                                       for u, v, rel, d in edges])
                               for name, edges in (("cooperation", positive), ("conflict", negative))]})
    asserted = {(u, r, v) for u, v, r in ctx.G.edges(keys=True)}
    denied = [{"subject": ctx.actor_link(e["s"], root), "relation": e["relation"], "object": ctx.actor_link(e["o"], root),
               "evidence": ctx.evidence_view(e, root)}
              for e in ctx.negated if (e["s"], e["relation"], e["o"]) in asserted][:300]
    html = env.get_template("contradictions.html").render(
        root=root, kind="contradictions", title="Contradictions", rows=rows, total=len(found), denied=denied,
        graph=False, graph_json="")
    w.write("contradictions.html", html)
    return len(found)


def _assets(ctx: _Context, w: _Writer) -> None:
    vis = vis_asset_dir()
    w.copy(vis / "vis-network.min.js", "assets/vis-network.min.js")
    w.copy(vis / "vis-network.css", "assets/vis-network.min.css")
    for name in ("kg.js", "kg.css"):
        w.copy(HERE / "assets" / name, f"assets/{name}")
    G = ctx.G
    actors = [[clip(str(G.nodes[k].get("label") or k), 80), actor_slug(str(k)), G.nodes[k].get("type") or "",
               clip(" | ".join(str(a) for a in (G.nodes[k].get("aliases") or [])[:8]), 200), str(k)]
              for k in ctx.order]
    w.write("assets/search-index.js", "window.kgActors = " + str(script_json(actors)) + ";\n")


def write_site(data: SiteData, site: str | Path, *, node_cap: int = 150, seed: int = 42) -> SiteReport:
    """Write the whole site for ``data`` into ``site``.

    Args:
        data: the graph and its side data.
        site: the folder (``OUT/site``); created when missing. Pages of actors or documents that are no longer
            in ``data`` are deleted.
        node_cap: actors drawn on the index (top by PageRank; filters pick among up to 3x as many).
        seed: seed of the index layout.

    Returns:
        A :class:`SiteReport` (pages, bytes, largest page, timings).
    """
    started = time.perf_counter()
    site = Path(site)
    site.mkdir(parents=True, exist_ok=True)
    report = SiteReport(path=site)
    w = _Writer(site, report)
    env = environment()
    ctx = _Context(data, node_cap, seed, env)
    report.actors = ctx.G.number_of_nodes()
    t0 = time.perf_counter()
    _assets(ctx, w)
    stats = _stats(ctx)
    stats["contradictions"] = len(contradictions(ctx.G))
    stats["relation_pages"] = _relation_pages(ctx, env, w)
    report.timings["relations"] = round(time.perf_counter() - t0, 3)
    t0 = time.perf_counter()
    report.index_actors = _index(ctx, env, w, stats)
    report.timings["index"] = round(time.perf_counter() - t0, 3)
    t0 = time.perf_counter()
    for key in ctx.order:
        _actor_page(ctx, env, w, key)
    report.timings["actors"] = round(time.perf_counter() - t0, 3)
    t0 = time.perf_counter()
    for doc_id in sorted(ctx.documents):
        _doc_page(ctx, env, w, doc_id)
    report.timings["documents"] = round(time.perf_counter() - t0, 3)
    _contradictions_page(ctx, env, w)
    report.removed = w.remove_stale()
    report.seconds = time.perf_counter() - started
    log.info("site: %d pages (%.1f MB, largest %.0f kB) in %.1f s -> %s", report.pages, report.bytes / 1e6,
             report.largest_page / 1e3, report.seconds, site)
    return report
