"""One whole build: ingest -> nlp -> resolve -> graph (store, export) -> analyse -> render.

The CLI's ``kg build`` and the API's ``kg.build`` both call :func:`build`.
"""
from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kg import __version__
from kg.config import Settings, load_settings
from kg.fileio import write_text_atomic
from kg.model import Article, Skipped

__all__ = ["BuildSummary", "build", "count_inputs", "extractor_fingerprint", "extractor_files", "EXTRACTOR_VERSION"]

log = logging.getLogger(__name__)

EXTRACTOR_VERSION = f"kg {__version__}"


@dataclass
class BuildSummary:
    """What a build did; also written to ``OUT/build.json``."""

    documents: int = 0  # documents in the store after the build
    added: int = 0  # documents (re)extracted in this build
    unchanged: int = 0
    relations: int = 0
    actors: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    outputs: dict[str, str] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    seconds: float = 0.0

    def as_dict(self) -> dict:
        return {
            "documents": self.documents, "added": self.added, "unchanged": self.unchanged,
            "relations": self.relations, "actors": self.actors,
            "skipped": [{"input": s.where, "reason": s.reason} for s in self.skipped],
            "outputs": self.outputs, "timings": self.timings, "seconds": round(self.seconds, 3),
            "extractor": EXTRACTOR_VERSION,
        }


def extractor_fingerprint(settings: Settings) -> str:
    """A hash of everything extraction depends on: kg's version, the model, the rules, their code, the gazetteer."""
    import hashlib

    h = hashlib.sha256(f"{EXTRACTOR_VERSION}|{settings.model}".encode())
    here = Path(__file__).parent
    for path in extractor_files(settings):
        if path.is_file():
            h.update(str(path.relative_to(here.parent) if path.is_relative_to(here.parent) else path.name).encode())
            h.update(path.read_bytes())
    return h.hexdigest()


def extractor_files(settings: Settings) -> list[Path]:
    """The files extraction reads or runs: rules and their code (every module under ``kg/nlp`` and
    ``kg/resolve``, subpackages included), the gazetteer's loader and data files (``kg/data``), the ontology's relation
    table, the gazetteer and the user's files."""
    here = Path(__file__).parent
    files = sorted(p for p in here.joinpath("nlp").rglob("*") if p.is_file() and p.suffix in (".py", ".yaml", ".txt"))
    files += sorted(here.joinpath("resolve").rglob("*.py")) + [here / "ingest.py", here / "pipeline.py",
                                                               here / "gazetteer.py"]
    files += sorted(p for p in here.joinpath("data").rglob("*") if p.is_file())  # agents, town names, boilerplate
    files += [Path(settings.ontology) / "kg.ttl"]
    files += sorted(Path(settings.ontology).joinpath("gazetteer").glob("*.yaml")) + [Path(p) for p in settings.gazetteer]
    return files


def count_inputs(inputs: Iterable[str | Path]) -> int:
    """How many articles ``inputs`` hold at most (one per file, one per non-blank JSONL line), read cheaply."""
    from kg.ingest import expand_inputs, is_regular_file

    total = 0
    for path in expand_inputs(inputs):
        if not is_regular_file(path):
            continue  # skipped with a reason when read; reading a FIFO here would block
        if path.suffix.lower() == ".jsonl":
            try:
                with path.open("rb") as fh:
                    total += sum(1 for line in fh if line.strip())
            except OSError:
                total += 1
        else:
            total += 1
    return total


def build(inputs: Iterable[str | Path], out: str | Path | None = None, *, settings: Settings | None = None,
          site: bool = True, analysis: bool = True, dask: str | None = None,
          progress: Callable[[int, int | None], None] | None = None) -> BuildSummary:
    """Build (or update) the graph in ``out`` from ``inputs``.

    Unchanged documents (same id, same normalised text) are not extracted again; a changed document's graph
    is replaced; new documents add their graphs.

    Args:
        inputs: files or folders of .txt, .md, .html and .jsonl articles.
        out: output folder (overrides ``settings.out``).
        settings: defaults <- kg.toml when omitted.
        site: write the pages.
        analysis: write the analysis report and metrics.
        dask: a Dask scheduler address, or "local", to run extraction on a cluster.
        progress: called with ``(inputs done, total)`` as each input is extracted, found unchanged or skipped
            (``total`` counts the records of the inputs: files, JSONL lines; None when unknown).

    Raises:
        InputError: an input path does not exist.
        StoreError: the store cannot be opened (in use, damaged).
    """
    from kg.gazetteer import load_gazetteer
    from kg.graph.export import export_dataset
    from kg.graph.store import Store
    from kg.ingest import expand_inputs, iter_articles
    from kg.pipeline import extract_documents
    from kg.resolve import Registry

    settings = settings or load_settings()
    if out is not None:
        settings = settings.replace(out=out)
    inputs = list(inputs)
    expand_inputs(inputs)  # fail early, naming a missing path
    started = time.perf_counter()
    summary = BuildSummary()
    out_dir = Path(settings.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    gazetteer = load_gazetteer(settings.ontology, settings.gazetteer)

    fingerprint = extractor_fingerprint(settings)
    fp_path = out_dir / "extractor.json"
    previous = json.loads(fp_path.read_text(encoding="utf-8")).get("fingerprint") if fp_path.exists() else None
    with Store.open(out_dir / "store", create=True) as store:
        # documents extracted by other rules, gazetteer or model than these are extracted again
        known = store.document_hashes() if previous == fingerprint else {}
        done = 0

        def tick() -> None:
            nonlocal done
            done += 1
            if progress is not None:
                progress(done, total)

        def todo() -> Iterator[Article]:
            # a generator, not a list: articles are read as the parser asks for them, so memory stays flat
            for item in iter_articles(inputs):
                if isinstance(item, Skipped):
                    summary.skipped.append(item)
                    tick()
                elif known.get(item.doc_id) == item.content_hash:
                    summary.unchanged += 1
                    tick()
                else:
                    yield item

        total = count_inputs(inputs) if progress is not None else None
        if progress is not None:
            progress(0, total)
        t0 = time.perf_counter()
        registry = Registry()
        for key, name, actor_type in store.provisional_actors():
            registry.seed(key, name, actor_type)  # spelling variants merge with actors of earlier builds
        for result in extract_documents(todo(), settings=settings, gazetteer=gazetteer, dask=dask, registry=registry):
            if isinstance(result, Skipped):
                summary.skipped.append(result)
            else:
                store.replace_document(result, extractor_version=EXTRACTOR_VERSION)
                summary.added += 1
            tick()
        # the gazetteer entries of the actors the documents mention (and the ones they refer to), not all of them
        store.write_background(gazetteer, settings.ontology, keys=store.actor_keys())
        summary.timings["extract_and_store"] = round(time.perf_counter() - t0, 3)
        write_text_atomic(fp_path, json.dumps({"fingerprint": fingerprint, "extractor": EXTRACTOR_VERSION}))
        stats = store.stats()
        summary.documents, summary.relations, summary.actors = stats["documents"], stats["relations"], stats["actors"]
        if not analysis:
            store.write_metrics([])  # an earlier build's metrics describe another graph: the export carries none
        summary.outputs["store"] = str(out_dir / "store")

    if analysis:
        from kg.analyse import run_analysis

        t0 = time.perf_counter()
        run_analysis(settings)  # writes this build's metrics into the store
        summary.outputs["report"] = str(out_dir / "report.md")
        summary.timings["analysis"] = round(time.perf_counter() - t0, 3)
    # the export after the analysis: it holds exactly this build's graph and metrics (or none with --no-analysis)
    t0 = time.perf_counter()
    with Store.open(out_dir / "store") as store:
        export_dataset(store, out_dir / "graph.trig", fmt="trig")
    summary.outputs["export"] = str(out_dir / "graph.trig")
    summary.timings["export"] = round(time.perf_counter() - t0, 3)
    if site:
        from kg.render import render_site

        t0 = time.perf_counter()
        render_site(settings)
        summary.outputs["site"] = str(out_dir / "site" / "index.html")
        summary.timings["render"] = round(time.perf_counter() - t0, 3)
    summary.seconds = time.perf_counter() - started
    write_text_atomic(out_dir / "build.json", json.dumps(summary.as_dict(), indent=1))
    return summary
