"""Extraction glue: articles -> (nlp) RawDoc -> (resolve) DocResult, in one process, several, or on Dask.

Parsing is the expensive part and runs where the workers are; resolution runs in the calling process, in input
order, so cross-document merging of names sees every document in the same order whatever the parallelism.
"""
from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator
from itertools import chain, islice

from kg.config import Settings
from kg.errors import KgError
from kg.model import Article, DocResult, RawDoc, Skipped

__all__ = ["extract_documents", "parse_all", "extract_text", "init_args_of", "ExtractionError"]

log = logging.getLogger(__name__)

_WORKER: dict = {}


def _worker_init(model: str, ontology: str, extra: tuple[str, ...], max_chars: int, batch_size: int) -> None:
    from pathlib import Path

    from kg.gazetteer import load_gazetteer
    from kg.nlp.pipeline import load_pipeline

    gaz = load_gazetteer(Path(ontology), tuple(Path(p) for p in extra))
    _WORKER.update(nlp=load_pipeline(model, gaz), gaz=gaz, max_chars=max_chars, batch_size=batch_size)


def _worker_parse(articles: list[Article]) -> list[RawDoc]:
    from kg.nlp.extract import parse_documents

    return list(parse_documents(articles, _WORKER["nlp"], _WORKER["gaz"], max_chars=_WORKER["max_chars"],
                                batch_size=_WORKER["batch_size"]))


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    """``items`` in lists of ``size`` (the last one shorter), pulled lazily from any iterable."""
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def init_args_of(settings: Settings) -> tuple:
    """The picklable arguments of :func:`_worker_init` (what a worker process or a Dask worker needs)."""
    return (settings.model, str(settings.ontology), tuple(str(p) for p in settings.gazetteer),
            settings.max_doc_chars, settings.batch_size)


def _crew_main(init_args: tuple, tasks, results) -> None:
    """A child process of the crew: set the pipeline up, then parse chunks from ``tasks`` until ``None``."""
    try:
        _worker_init(*init_args)
    except BaseException as exc:  # noqa: BLE001 - reported to the main process, which raises it
        results.put((-1, None, f"{type(exc).__name__}: {exc}"))
        return
    while (item := tasks.get()) is not None:
        index, chunk = item
        try:
            results.put((index, _worker_parse(chunk), None))
        except BaseException as exc:  # noqa: BLE001 - reported to the main process, which raises it
            results.put((index, None, f"{type(exc).__name__}: {exc}"))


class ExtractionError(KgError):
    """A worker process failed or died during a parallel build."""


class _Crew:
    """``children`` processes that take chunks from one queue, which this process may take from too.

    Unlike a ``Pool``, a chunk waiting in the queue is not bound to a process: whoever is free takes it, so at the
    end of a corpus no process waits for another's backlog; and a child that fails or dies (killed, out of memory)
    is reported instead of hanging the build.
    """

    def __init__(self, children: int, init_args: tuple) -> None:
        import multiprocessing as mp

        ctx = mp.get_context("forkserver" if os.name == "posix" else "spawn")
        self.tasks, self.results = ctx.Queue(), ctx.Queue()
        self.procs = [ctx.Process(target=_crew_main, args=(init_args, self.tasks, self.results), daemon=True,
                                  name=f"kg-parse-{i + 1}") for i in range(children)]
        for proc in self.procs:
            proc.start()

    def put(self, index: int, chunk: list) -> None:
        self.tasks.put((index, chunk))

    def steal(self) -> tuple[int, list] | None:
        """A queued chunk no child has taken yet, or None."""
        import queue

        try:
            return self.tasks.get_nowait()
        except queue.Empty:
            return None

    def collect(self, timeout: float) -> list[tuple[int, list]]:
        """The chunks the children parsed so far, waiting up to ``timeout`` seconds for the first one.

        Raises:
            ExtractionError: a child failed or died.
        """
        import queue

        got = []
        try:
            got.append(self.results.get(timeout=timeout))
            while True:
                got.append(self.results.get_nowait())
        except queue.Empty:
            pass
        for index, parsed, error in got:
            if error is not None:
                what = "starting" if index < 0 else f"on chunk {index}"
                raise ExtractionError(f"a worker process failed {what}: {error}")
        if not got:
            dead = [p for p in self.procs if p.exitcode is not None]
            if dead:
                raise ExtractionError(f"worker process {dead[0].name} died (exit code {dead[0].exitcode}); "
                                      "if memory is short, try fewer --workers")
        return [(index, parsed) for index, parsed, _ in got]

    def close(self, wait: bool = True) -> None:
        """Stop the children: let them finish (``wait``) or terminate them (after an error or an interrupt)."""
        if wait:
            for _ in self.procs:
                self.tasks.put(None)
            for proc in self.procs:
                proc.join(timeout=30)
        for proc in self.procs:
            if proc.is_alive():
                proc.terminate()
                proc.join(timeout=5)
        for q in (self.tasks, self.results):
            q.cancel_join_thread()  # never block the exit on chunks nobody will read
            q.close()


def _shared(crew, local, chunks: Iterator[list], window: int) -> Iterator:
    """Results of every chunk in input order, parsed by the ``crew``'s children and by this process.

    Chunks go into the crew's queue; whenever the next result in order is not there yet, this process takes a
    queued chunk and parses it itself (``local``) instead of waiting. So ``--workers N`` keeps N processes
    parsing: N - 1 children and this one, which also resolves and stores what comes back in between, and starts
    parsing while the children still load the model. At most ``window`` chunks are out at once (queued, being
    parsed, or parsed and waiting for their turn), whatever the corpus size: the input is read lazily.
    """
    done: dict[int, list] = {}
    fed = emitted = 0
    exhausted = False
    while True:
        while not exhausted and fed - emitted < window:
            chunk = next(chunks, None)
            if chunk is None:
                exhausted = True
            else:
                crew.put(fed, chunk)
                fed += 1
        if emitted == fed:
            return
        if emitted not in done:
            done.update(crew.collect(timeout=0))
        if emitted in done:
            yield from done.pop(emitted)
            emitted += 1
        elif (stolen := crew.steal()) is not None:
            done[stolen[0]] = local(stolen[1])
        else:
            done.update(crew.collect(timeout=0.5))


def parse_all(articles: Iterable[Article], *, settings: Settings, gazetteer,
              dask: str | None = None) -> Iterator[RawDoc | Skipped]:
    """RawDocs for ``articles`` in input order, parsed in this process, in ``settings.workers`` processes, or on Dask.

    ``articles`` may be any iterable (a generator streaming a large corpus): it is consumed lazily, with a
    bounded number of articles in flight.
    """
    init_args = init_args_of(settings)
    if dask:
        from kg.distributed import parse_on_dask

        yield from parse_on_dask(articles, dask, init_args)
        return
    from kg.nlp.extract import parse_documents
    from kg.nlp.pipeline import load_pipeline

    it = iter(articles)
    head = list(islice(it, 2 * settings.batch_size)) if settings.workers > 1 else []
    # a handful of documents: starting processes (each loading the model) costs more than it saves
    crew = _Crew(settings.workers - 1, init_args) if len(head) >= 2 * settings.batch_size else None
    finished = False
    try:
        nlp = load_pipeline(settings.model, gazetteer)  # while the children start and load theirs

        def parse(batch: Iterable[Article]) -> Iterator[RawDoc | Skipped]:
            return parse_documents(batch, nlp, gazetteer, max_chars=settings.max_doc_chars,
                                   batch_size=settings.batch_size)

        if crew is None:
            yield from parse(chain(head, it))
        else:  # this process parses too; chunks small enough to balance the processes, big enough to batch
            chunks = _chunks(chain(head, it), max(4, settings.batch_size))
            yield from _shared(crew, lambda chunk: list(parse(chunk)), chunks, window=4 * settings.workers)
        finished = True
    finally:
        if crew is not None:
            crew.close(wait=finished)


def extract_documents(articles: Iterable[Article], *, settings: Settings, gazetteer, dask: str | None = None,
                      progress=None, registry=None) -> Iterator[DocResult | Skipped]:
    """Parse and resolve ``articles`` (any iterable, consumed lazily); a document that fails comes back as Skipped.

    Args:
        progress: called with each parsed :class:`~kg.model.Article` after it is resolved.
        registry: the provisional actors known so far (:class:`kg.resolve.Registry`, e.g. seeded from the
            store), so name variants merge with actors of earlier builds too.
    """
    from kg.resolve import Registry, resolve_document

    registry = registry if registry is not None else Registry()
    for raw in parse_all(articles, settings=settings, gazetteer=gazetteer, dask=dask):
        if isinstance(raw, Skipped):
            yield raw
            continue
        try:
            yield resolve_document(raw, gazetteer, registry)
        except Exception as exc:  # noqa: BLE001 - a bug on one document must not stop the build; logged in full
            log.exception("resolving %s failed", raw.article.doc_id)
            yield Skipped(raw.article.path or raw.article.doc_id, f"extraction failed: {type(exc).__name__}: {exc}")
        if progress is not None:
            progress(raw.article)


def extract_text(text: str, *, doc_id: str = "text", date: str | None = None, settings: Settings | None = None,
                 gazetteer=None) -> DocResult:
    """Extract actors and relations from one piece of text (handy in notebooks and tests).

    Examples:
        >>> result = extract_text("Russia backs Syrian President Bashar al-Assad.")  # doctest: +SKIP
        >>> sorted((r.subject, r.predicate, r.object) for r in result.relations)  # doctest: +SKIP
        [('ASSAD', 'headOfStateOf', 'SYR'), ('RUS', 'backs', 'ASSAD')]
    """
    from kg.config import load_settings
    from kg.gazetteer import load_gazetteer
    from kg.ingest import content_hash, normalise_text

    settings = settings or load_settings()
    gazetteer = gazetteer or load_gazetteer(settings.ontology, settings.gazetteer)
    clean = normalise_text(text)
    article = Article(doc_id=doc_id, text=clean, content_hash=content_hash(clean), date=date)
    return next(iter(extract_documents([article], settings=settings, gazetteer=gazetteer)))
