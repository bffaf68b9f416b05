"""kg.render: the browsable offline site (``OUT/site/``) and the notebook view of a graph.

``render_site(settings)`` reads the build in ``settings.out`` (:mod:`kg.render.data`) and writes the pages
(:mod:`kg.render.site`); ``show(G)`` returns a self-contained HTML view for Jupyter (:mod:`kg.render.notebook`).
Names are imported on first use, so ``import kg.render`` loads neither Jinja2 nor the store.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kg.config import Settings
    from kg.render.site import SiteReport

__all__ = ["render_site", "show"]


def render_site(settings: "Settings", *, out: str | Path | None = None) -> "SiteReport":
    """Write ``<out>/site/`` (index, actor, document and relation pages, contradictions) from the build in ``out``.

    Args:
        settings: ``settings.out`` is the build folder, ``settings.index_node_cap`` the actors drawn on the index,
            ``settings.seed`` the layout seed.
        out: overrides ``settings.out``.

    Returns:
        What was written (pages, bytes, seconds).

    Raises:
        StoreError: there is no build in the folder, or its store is in use or damaged.
    """
    from kg.render.data import load_site_data
    from kg.render.site import write_site

    folder = Path(out if out is not None else settings.out)
    data = load_site_data(folder)
    return write_site(data, folder / "site", node_cap=settings.index_node_cap, seed=settings.seed)


def show(graph: Any, **options: Any):
    """A notebook view of a graph (see :func:`kg.render.notebook.show`)."""
    from kg.render.notebook import show as _show

    return _show(graph, **options)
