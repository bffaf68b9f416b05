"""PNG charts of the report (matplotlib, Agg backend, no timestamps: same numbers, same bytes).

Each function takes the dict of :func:`kg.analyse.report.analyse_graph` and a path, and returns the path
written, or None when there is nothing to draw.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

__all__ = ["centrality_chart", "relations_chart", "stance_chart"]

log = logging.getLogger(__name__)

_COOPERATION, _CONFLICT, _NEUTRAL = "#2a9d8f", "#e76f51", "#9e9e9e"
_PALETTE = ("#264653", "#e9c46a", "#8ab17d", "#9d4edd", "#f4a261", "#457b9d", "#b5838d", "#6d6875")


class _Figures:
    """``subplots`` without pyplot: figures on their own Agg canvas, so building a report never switches the
    calling process's matplotlib backend (plots in a notebook keep working after ``kg.build``)."""

    @staticmethod
    def subplots(figsize):
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        fig = Figure(figsize=figsize)
        FigureCanvasAgg(fig)
        return fig, fig.add_subplot()


def _pyplot() -> _Figures:
    return _Figures()


def _save(fig, path: Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110, bbox_inches="tight", metadata={"Software": None})
    return path


def centrality_chart(result: dict[str, Any], path: Path) -> Path | None:
    """Horizontal bars of the top actors by PageRank, coloured by bloc."""
    top = result.get("top") or []
    if not top:
        return None
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(7, 0.35 * len(top) + 1.2))
    names = [a["label"] for a in reversed(top)]
    values = [a["pagerank"] for a in reversed(top)]
    colours = [_PALETTE[a["bloc"] % len(_PALETTE)] if a["bloc"] is not None else _NEUTRAL for a in reversed(top)]
    ax.barh(range(len(top)), values, color=colours)
    ax.set_yticks(range(len(top)), names)
    ax.set_xlabel("PageRank")
    ax.set_title("Central actors (colour: signed bloc)")
    ax.grid(axis="x", alpha=0.3)
    return _save(fig, path)


def relations_chart(result: dict[str, Any], path: Path) -> Path | None:
    """Stacked bars of cooperation, conflict and neutral evidence per period."""
    periods = result.get("periods") or []
    if not periods:
        return None
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(max(5, 0.6 * len(periods) + 2), 3.5))
    xs = range(len(periods))
    coop = [p["cooperation"] for p in periods]
    conf = [p["conflict"] for p in periods]
    neut = [p["neutral"] for p in periods]
    ax.bar(xs, coop, color=_COOPERATION, label="cooperation")
    ax.bar(xs, conf, bottom=coop, color=_CONFLICT, label="conflict")
    ax.bar(xs, neut, bottom=[a + b for a, b in zip(coop, conf)], color=_NEUTRAL, label="neutral")
    ax.set_xticks(list(xs), [p["period"] for p in periods], rotation=45, ha="right")
    ax.set_ylabel("evidence")
    ax.set_title("Relations over time")
    ax.legend(frameon=False)
    return _save(fig, path)


def stance_chart(result: dict[str, Any], path: Path, *, pairs: int = 6) -> Path | None:
    """Net stance over time of the most active pairs among the top actors (one line per pair)."""
    periods = result.get("periods") or []
    totals: dict[str, float] = {}
    for p in periods:
        for pair, value in p.get("stance", {}).items():
            totals[pair] = totals.get(pair, 0.0) + abs(value)
    if len(periods) < 1 or not totals:
        return None
    chosen = sorted(totals, key=lambda k: (-totals[k], k))[:pairs]
    labels = {a["key"]: a["label"] for a in result.get("actors", [])}
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(max(5, 0.6 * len(periods) + 2), 3.5))
    xs = list(range(len(periods)))
    for i, pair in enumerate(chosen):
        a, b = pair.split("|", 1)
        ys = [p.get("stance", {}).get(pair, 0.0) for p in periods]
        ax.plot(xs, ys, marker="o", color=_PALETTE[i % len(_PALETTE)],
                label=f"{labels.get(a, a)} – {labels.get(b, b)}")
    ax.axhline(0, color="black", linewidth=0.6)
    ax.set_xticks(xs, [p["period"] for p in periods], rotation=45, ha="right")
    ax.set_ylabel("net stance (cooperation − conflict)")
    ax.set_title("Stance over time")
    ax.legend(frameon=False, fontsize=7, loc="best")
    return _save(fig, path)
