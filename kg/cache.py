"""An on-disk cache for what is slow to rebuild and a pure function of its inputs (the parsed gazetteer, the
phrase tables built from it).

Entries are pickles named by a SHA-1 of their key, in ``$KG_CACHE_DIR`` or ``$XDG_CACHE_HOME/kg`` or
``~/.cache/kg``; ``KG_CACHE_DIR=off`` turns the cache off. A key must hold everything the value depends on (file
paths, modification times and sizes, the code's format version), so a stale entry is never found, only missed.
Reads and writes never fail a build: an unreadable, corrupt or unwritable cache is a miss, logged at debug level.
Writes are atomic (:func:`kg.fileio.atomic_write`); each kind keeps its :data:`KEEP` most recently used entries.
The cache holds only what kg wrote itself, in the user's own folder (pickles are code: do not point
``KG_CACHE_DIR`` at a folder others can write to).
"""
from __future__ import annotations

import functools
import hashlib
import logging
import os
import pickle
from pathlib import Path
from typing import Any

from kg.fileio import atomic_write

__all__ = ["cache_dir", "load", "store", "source_digest", "KEEP"]

log = logging.getLogger(__name__)

#: Entries kept per kind (older ones are deleted when a new one is written).
KEEP = 4


def source_digest(*files: str | Path) -> str:
    """SHA-1 of the files' bytes, for a key that must change with the code that builds the value (an edit to how
    the value is made misses the cache instead of reading a stale entry). Computed once per process per file set."""
    return _source_digest(tuple(str(Path(f).resolve()) for f in files))


@functools.cache
def _source_digest(files: tuple[str, ...]) -> str:
    h = hashlib.sha1()
    for f in files:
        h.update(Path(f).read_bytes())
    return h.hexdigest()


def cache_dir() -> Path | None:
    """The cache folder, or None when the cache is off (``KG_CACHE_DIR=off``)."""
    value = os.environ.get("KG_CACHE_DIR")
    if value is not None:
        return None if value.strip().lower() in ("", "off", "0", "none") else Path(value)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "kg"


def _path(kind: str, key: Any) -> Path | None:
    folder = cache_dir()
    if folder is None:
        return None
    digest = hashlib.sha1(repr(key).encode("utf-8", "surrogatepass")).hexdigest()
    return folder / f"{kind}-{digest}.pickle"


def load(kind: str, key: Any) -> Any | None:
    """The value stored under ``(kind, key)``, or None (a miss)."""
    path = _path(kind, key)
    if path is None or not path.is_file():
        return None
    try:
        with path.open("rb") as fh:
            stored_key, value = pickle.load(fh)
    except Exception as exc:  # a corrupt or foreign file is a miss, never a failed build
        log.debug("cache: cannot read %s (%s); rebuilding", path, exc)
        return None
    if stored_key != repr(key):
        return None
    try:
        os.utime(path)  # most recently used
    except OSError:
        pass
    return value


def store(kind: str, key: Any, value: Any) -> None:
    """Store ``value`` under ``(kind, key)``; keep the :data:`KEEP` most recent entries of ``kind``."""
    path = _path(kind, key)
    if path is None:
        return
    try:
        atomic_write(path, pickle.dumps((repr(key), value), protocol=pickle.HIGHEST_PROTOCOL), fsync=False)
        entries = sorted(path.parent.glob(f"{kind}-*.pickle"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for old in entries[KEEP:]:
            old.unlink(missing_ok=True)
    except (OSError, pickle.PicklingError, RecursionError) as exc:
        log.debug("cache: cannot write %s (%s); going on without it", path, exc)
