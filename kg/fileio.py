"""Atomic file writes, used by every stage that writes a file (exports, manifest, pages, reports).

A write goes to a temporary file in the same folder, is flushed (and fsynced, unless asked not to), then
``os.replace``d onto the target: readers see the old file or the new one, never a half-written one, and a
failing writer leaves the old file byte-identical.
"""
from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

__all__ = ["atomic_write", "write_text_atomic", "write_json_atomic"]


def atomic_write(path: str | Path, write: Callable[[IO[bytes]], None] | bytes, *, fsync: bool = True) -> Path:
    """Write ``write`` (bytes, or a function given the open binary file) to ``path`` atomically.

    Args:
        path: the target file; its folder is created if needed.
        write: the content, or a callable that writes it to the file object it is given.
        fsync: flush the file and its folder to disk before and after the rename (off for thousands of pages,
            where the rename alone keeps readers safe).

    Returns:
        ``path`` as a Path.

    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> atomic_write(target, b"one").read_bytes()
    b'one'
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            if callable(write):
                write(fh)
            else:
                fh.write(write)
            if fsync:
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    if fsync:
        try:
            dir_fd = os.open(path.parent, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
        except OSError:  # some file systems cannot fsync a folder; the rename is done anyway
            pass
    return path


def write_text_atomic(path: str | Path, text: str, *, fsync: bool = True) -> Path:
    """Write ``text`` as UTF-8 to ``path`` atomically."""
    return atomic_write(path, text.encode("utf-8"), fsync=fsync)


def write_json_atomic(path: str | Path, data: Any) -> Path:
    """Write ``data`` as indented, key-sorted JSON to ``path`` atomically."""
    return write_text_atomic(path, json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False))
