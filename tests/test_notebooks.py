"""The notebooks are committed clean (no outputs, no execution counts) and can run from any working directory.

Executing them is `make test`'s job (``pytest --nbmake --nbmake-timeout=300 notebooks/``); these checks are fast.
"""
from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
EXPECTED = ["01-quickstart.ipynb", "02-actor-network.ipynb", "03-sparql-cookbook.ipynb"]


def notebook_problems(nb) -> list[str]:
    """What would make a committed notebook's diff noisy or tie it to one machine."""
    problems = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            if cell.get("outputs"):
                problems.append(f"cell {i} has stored outputs")
            if cell.get("execution_count") is not None:
                problems.append(f"cell {i} has an execution count")
        if re.search(r"(?<![\w.])/(work|home|Users|tmp)/", cell.source):
            problems.append(f"cell {i} names an absolute path")
    if "widgets" in nb.metadata:
        problems.append("widget state in the metadata")
    if nb.metadata.get("kernelspec", {}).get("name") != "python3":
        problems.append("kernelspec is not python3")
    return problems


def _load(name: str):
    path = NOTEBOOKS / name
    assert path.is_file(), f"{path} is missing"
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    return nb


@pytest.mark.parametrize("name", EXPECTED)
def test_notebook_is_committed_clean(name):
    assert notebook_problems(_load(name)) == []


def test_every_notebook_is_checked():
    assert sorted(p.name for p in NOTEBOOKS.glob("*.ipynb")) == EXPECTED


@pytest.mark.parametrize("name", EXPECTED)
def test_notebook_finds_seeds_and_builds_into_a_temporary_folder(name):
    source = "\n".join(c.source for c in _load(name).cells if c.cell_type == "code")
    assert "KG_SEEDS" in source and "kg.__file__" in source  # env var, then beside the checkout
    assert "tempfile.mkdtemp" in source
    assert "os.chdir" not in source
    assert re.search(r"kg\.build\(", source) and re.search(r"kg\.open\(", source)


def test_quickstart_starts_in_two_lines_and_checks_the_drawing_is_offline():
    source = [c.source for c in _load("01-quickstart.ipynb").cells if c.cell_type == "code"]
    assert "summary = kg.build(SEEDS, out=OUT)\ng = kg.open(OUT)" in source
    assert any("g.show()" in s for s in source)
    assert any("assert not re.search" in s and "https?:" in s for s in source)


def test_the_check_catches_outputs_counts_and_paths():
    nb = new_notebook(cells=[new_markdown_cell("# t"), new_code_cell("x = open('/work/main/seeds/a.txt')")],
                      metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"}})
    nb.cells[1].outputs = [new_output("stream", name="stdout", text="hi")]
    nb.cells[1].execution_count = 3
    nb.metadata["widgets"] = {}
    assert notebook_problems(nb) == ["cell 1 has stored outputs", "cell 1 has an execution count",
                                     "cell 1 names an absolute path", "widget state in the metadata"]
