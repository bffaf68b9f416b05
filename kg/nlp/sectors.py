"""Sectors and agent nouns: "Iraqi police", "Syrian civilians", "Kurdish fighters".

The sector table and hand agent nouns are ``patterns/sectors.yaml``; under them, the agent nouns derived from the
Phoenix agents dictionary (``kg/data/agents.yaml``, :func:`kg.gazetteer.load_agents`), whose CAMEO sector codes map to
kg's sectors (``derived_sectors`` in the YAML); the hand table wins per noun.

An agent noun heads a phrase that denotes an actor by its sector (CAMEO-style codes: COP, CVL, REB ...). Organs of a
state (government, military, police, courts, parliament) act as the state; other sectors are actors of their own,
keyed by the state or group they belong to and the sector (``SYR_CVL``, "Syrian people"), or by the sector alone
when no state or group is named (``CVL``, "Civilians").

>>> table = load_sectors()
>>> table.sector_of("police"), table.sector_of("riot police"), table.is_organ("COP"), table.is_organ("CVL")
('COP', 'COP', True, False)
>>> table.actor_key("SYR", "CVL"), table.actor_key(None, "REB")
('SYR_CVL', 'REB')
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from kg.errors import KgError

__all__ = ["Sectors", "load_sectors"]


@dataclass(frozen=True)
class Sectors:
    """The sector table: sector code -> spec, and agent noun (lemma, or two-word compound) -> sector code."""

    sectors: dict
    agents: dict
    generic: frozenset = frozenset()

    def sector_of(self, words: str) -> str | None:
        """The sector of an agent noun (lemma, lower case) or two-word compound."""
        return self.agents.get(words.lower())

    def is_organ(self, sector: str) -> bool:
        """True when actors of this sector are organs of their state (they act as the state)."""
        return bool(self.sectors.get(sector, {}).get("organ"))

    def uses_scene(self, sector: str) -> bool:
        """True when an actor of this sector with no nationality named belongs to the country of the story."""
        return bool(self.sectors.get(sector, {}).get("scene"))

    def needs_owner(self, sector: str) -> bool:
        """True when an agent noun of this sector makes an actor only with its state or group named."""
        return bool(self.sectors.get(sector, {}).get("needs_owner"))

    def actor_type(self, sector: str) -> str:
        return self.sectors.get(sector, {}).get("type", "Group")

    def actor_key(self, owner: str | None, sector: str) -> str:
        """Key of the sector actor of ``owner`` (a state or group key) or of nobody in particular."""
        return f"{owner}_{sector}" if owner else sector

    def actor_name(self, owner_adjective: str | None, sector: str) -> str:
        """Canonical name: "Syrian people", or "People" when no state or group is named."""
        noun = self.sectors.get(sector, {}).get("name", sector.lower())
        return f"{owner_adjective} {noun}" if owner_adjective else noun[:1].upper() + noun[1:]


@lru_cache(maxsize=2)
def load_sectors(path: str | None = None) -> Sectors:
    """Load the sector table (the package's unless ``path`` names another file).

    Raises:
        KgError: the file is not valid YAML, or an agent noun names an unknown sector.
    """
    where = path or str(Path(__file__).parent / "patterns" / "sectors.yaml")
    try:
        data = yaml.safe_load(Path(where).read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise KgError(f"{where}: cannot read the sector table: {exc}") from exc
    sectors = data.get("sectors", {})
    agents = {}
    if path is None:
        from kg.gazetteer import load_agents

        mapping = data.get("derived_sectors", {})
        agents = {noun: mapping[code] for noun, code in load_agents().items() if mapping.get(code)}
    derived = frozenset(agents)
    hand = {str(k).lower(): v for k, v in data.get("agents", {}).items()}
    agents.update(hand)
    derived = derived - set(hand)
    unknown = sorted({v for v in agents.values() if v not in sectors})
    if unknown:
        raise KgError(f"{where}: agent nouns name unknown sectors {unknown}; declare them under 'sectors'")
    # a derived noun, like the generic ones, names an actor only when counted or owned ("a columnist" is nobody)
    generic = frozenset(str(x).lower() for x in data.get("generic", [])) | (derived if path is None else frozenset())
    return Sectors(sectors=sectors, agents=agents, generic=generic)
