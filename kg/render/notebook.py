"""``show(G)``: the actor network in a Jupyter output, self-contained (no CDN, no IFrame to a file).

The returned object's ``_repr_html_`` is one HTML snippet with vis-network inlined from pyvis's package, so it
renders offline in JupyterLab, classic Notebook and VS Code. The vis-network bundle is evaluated with
``define``/``module``/``exports`` hidden, so RequireJS (classic Notebook) does not swallow it.
"""
from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import networkx as nx
from markupsafe import Markup, escape

from kg.render.data import SiteData
from kg.render.network import actor_ranks, layout, network_payload, style_payload
from kg.render.text import script_json

__all__ = ["NetworkView", "show"]

_ASSETS = Path(__file__).resolve().parent / "assets"


@lru_cache(maxsize=1)
def _vis_js() -> str:
    from kg.render.site import vis_asset_dir

    code = (vis_asset_dir() / "vis-network.min.js").read_text(encoding="utf-8")
    code = re.sub(r"//# sourceMappingURL=\S+\s*$", "", code)
    return _script_safe(code)


@lru_cache(maxsize=1)
def _notebook_js() -> str:
    return _script_safe((_ASSETS / "notebook.js").read_text(encoding="utf-8"))


def _script_safe(code: str) -> str:
    """JS that cannot close or confuse its ``<script>`` element: no ``</script`` and no ``<!--`` left in it.

    ``<\\/script`` means the same inside a string or a regular expression; other ``</`` are harmless (and may
    be a regex such as ``/</``, which must not be touched).
    """
    code = re.sub(r"</(script)", r"<\\/\1", code, flags=re.IGNORECASE)
    return code.replace("<!--", "<\\!--")


class NetworkView:
    """A graph drawn in a notebook output; ``_repr_html_`` gives the snippet, ``html`` the same as a string."""

    def __init__(self, html: str, nodes: int, edges: int, hidden: int) -> None:
        self.html = html
        self.nodes = nodes
        self.edges = edges
        self.hidden = hidden

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        more = f", {self.hidden} more not drawn" if self.hidden else ""
        return f"<kg NetworkView: {self.nodes} actors, {self.edges} relations{more}>"


def _graph_of(graph: Any) -> tuple[nx.MultiDiGraph, dict]:
    if isinstance(graph, SiteData):
        return graph.G, graph.metrics
    if isinstance(graph, nx.Graph):
        G = graph if isinstance(graph, nx.MultiDiGraph) else nx.MultiDiGraph(graph)
        return G, {}
    for name in ("to_networkx", "networkx"):
        fn = getattr(graph, name, None)
        if callable(fn):
            return fn(), {}
    from kg.analyse.convert import to_networkx

    return to_networkx(graph), {}


def show(graph: Any, *, node_cap: int = 150, height: str = "620px", seed: int = 42,
         evidence_per_edge: int = 3) -> NetworkView:
    """Draw the actor network in a notebook.

    Args:
        graph: a ``MultiDiGraph`` from ``kg.analyse.convert.to_networkx`` (or ``kg.open(...).to_networkx()``), a
            :class:`~kg.render.data.SiteData`, or anything with ``to_networkx()`` (``kg.open("out")``).
        node_cap: the most central actors drawn (by PageRank).
        height: CSS height of the drawing.
        seed: layout seed.
        evidence_per_edge: evidence sentences shown when a relation is clicked.

    Returns:
        A :class:`NetworkView`; Jupyter displays it through ``_repr_html_``.

    Examples:
        >>> G = nx.MultiDiGraph()
        >>> G.add_edge("RUS", "TUR", key="meetsWith", polarity=1, count=2)
        'meetsWith'
        >>> view = show(G)
        >>> view, "cdn" in view._repr_html_().lower()
        (<kg NetworkView: 2 actors, 1 relations>, False)
    """
    G, metrics = _graph_of(graph)
    ranks = actor_ranks(G, metrics)
    order = sorted(G.nodes, key=lambda k: (-ranks.get(k, 0.0), str(k)))[:max(int(node_cap), 1)]
    positions = layout(G.subgraph(order), seed=seed)
    payload = network_payload(G, order, positions=positions, ranks=ranks, evidence_per_edge=evidence_per_edge,
                              max_edges=8 * len(order))
    for node in payload["nodes"]:
        node["url"] = None
    payload.update(style=style_payload(), iterations=150)
    data = script_json(payload)
    uid = "kg-nb-" + hashlib.sha1(str(data).encode("utf-8")).hexdigest()[:12]
    hidden = G.number_of_nodes() - len(order)
    note = f"{len(order)} of {G.number_of_nodes()} actors (top by PageRank)" if hidden else f"{len(order)} actors"
    css = (f"#{uid}{{font-family:system-ui,sans-serif;font-size:13px;color:#1d2430}}"
           f"#{uid} .kg-nb-net{{height:{escape(height)};border:1px solid #e1e5ea;border-radius:8px;background:#fff}}"
           f"#{uid} .kg-nb-panel{{margin-top:6px;max-height:220px;overflow:auto}}"
           f"#{uid} blockquote{{margin:4px 0;padding:4px 8px;border-left:3px solid #e1e5ea;background:#fafbfc}}"
           f"#{uid} mark{{background:#fff1a8}} #{uid} .kg-nb-meta{{color:#5d6776;font-size:12px}}"
           f"#{uid} div.vis-tooltip{{position:absolute;white-space:pre-line;background:#fff;border:1px solid #ccc;"
           f"padding:4px 6px;border-radius:4px;pointer-events:none}}")
    html = (
        f'<div class="kg-nb" id="{uid}"><style>{css}</style>'
        f'<div class="kg-nb-net"></div><div class="kg-nb-meta">{escape(note)}; {len(payload["edges"])} relations. '
        f'Click a line for its evidence.</div><div class="kg-nb-panel"></div>'
        f'<script type="application/json" class="kg-nb-data">{data}</script>'
        "<script>(function(){if(window.vis&&window.vis.Network){return;}"
        "var define=undefined,exports=undefined,module=undefined;\n"
        f"{_vis_js()}\n}}).call(window);</script>"
        f"<script>{_notebook_js()}</script>"
        "<script>(function(){var s=document.currentScript;"
        f"var box=(s&&s.parentNode&&s.parentNode.id==={str(script_json(uid))})?s.parentNode:"
        f"document.getElementById({str(script_json(uid))});"
        "window.kgNotebookRender(box);})();</script></div>"
    )
    return NetworkView(str(Markup(html)), len(order), len(payload["edges"]), hidden)
