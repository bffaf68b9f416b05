"""How actors and relations look: one table shared by the graphs, the legends and the notebook view."""
from __future__ import annotations

__all__ = ["ACTOR_STYLE", "UNKNOWN_STYLE", "POLARITY_STYLE", "MODALITY_NOTE", "actor_style", "polarity_name"]

#: vis-network shape and colour per actor type (colour-blind-safe palette, Okabe-Ito).
ACTOR_STYLE: dict[str, dict[str, str]] = {
    "State": {"shape": "dot", "color": "#0072B2", "label": "State"},
    "Person": {"shape": "diamond", "color": "#E69F00", "label": "Person"},
    "Organization": {"shape": "square", "color": "#009E73", "label": "Organization"},
    "ArmedGroup": {"shape": "triangle", "color": "#D55E00", "label": "Armed group"},
    "Group": {"shape": "hexagon", "color": "#F0E442", "label": "Group"},
    "Place": {"shape": "triangleDown", "color": "#56B4E9", "label": "Place"},
    "Event": {"shape": "star", "color": "#CC79A7", "label": "Event"},
}
UNKNOWN_STYLE = {"shape": "dot", "color": "#8c8c8c", "label": "Other"}

#: Edge colour per polarity (+1 cooperation, -1 conflict, 0 neutral).
POLARITY_STYLE: dict[int, dict[str, str]] = {
    1: {"name": "cooperation", "color": "#1b9e4b", "label": "Cooperation"},
    -1: {"name": "conflict", "color": "#d62728", "label": "Conflict"},
    0: {"name": "neutral", "color": "#7f7f7f", "label": "Neutral"},
}

#: What each modality means for a reader (shown beside evidence).
MODALITY_NOTE = {
    "asserted": "stated as fact",
    "reported": "reported by someone",
    "hedged": "hedged (may, reportedly...)",
    "planned": "planned or announced",
    "negated": "NEGATED: the text says this did not happen",
}


def actor_style(type_: str | None) -> dict[str, str]:
    """Shape, colour and legend label of an actor type (grey dot for an unknown type).

    Examples:
        >>> actor_style("State")["shape"], actor_style(None)["label"]
        ('dot', 'Other')
    """
    return ACTOR_STYLE.get(type_ or "", UNKNOWN_STYLE)


def polarity_name(polarity: int | None) -> str:
    """``cooperation``, ``conflict`` or ``neutral``.

    Examples:
        >>> polarity_name(-1), polarity_name(None)
        ('conflict', 'neutral')
    """
    return POLARITY_STYLE.get(polarity or 0, POLARITY_STYLE[0])["name"]
