"""Shared fixtures: the project root, the shared material beside it, a seeds build made once per session."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("KG_SHARED", ROOT.parent / "shared"))


def shared_path(*parts: str) -> Path:
    """A path under ../shared/, skipping the calling test with a clear reason when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent: tests that read the shared material (gold, corpus, scorer) need ../shared/")
    return path


@pytest.fixture(scope="session")
def seeds_build(tmp_path_factory):
    """``kg build seeds/`` into a temporary folder, once per test session (graph, report and pages)."""
    from kg.build import build

    out = tmp_path_factory.mktemp("seeds-build")
    summary = build([ROOT / "seeds"], out=out)
    return out, summary
