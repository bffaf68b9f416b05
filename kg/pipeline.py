"""Extraction glue: articles -> (nlp) RawDoc -> (resolve) DocResult, in one process, several, or on Dask.

Parsing is the expensive part and runs where the workers are; resolution runs in the calling process, in input
order, so cross-document merging of names sees every document in the same order whatever the parallelism.
"""
from __future__ import annotations

import logging
import os
from collections import deque
from collections.abc import Iterable, Iterator
from itertools import chain, islice

from kg.config import Settings
from kg.model import Article, DocResult, RawDoc, Skipped

__all__ = ["extract_documents", "parse_all", "extract_text", "init_args_of"]

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


def _ordered(submit, chunks: Iterator[list], in_flight: int) -> Iterator:
    """Results of ``submit(chunk).get()`` in input order, with at most ``in_flight`` chunks outstanding.

    ``Pool.imap`` would read the whole input ahead (its feeder thread has no back-pressure); this keeps the
    number of articles held in memory bounded whatever the corpus size.
    """
    pending: deque = deque()
    for chunk in chunks:
        pending.append(submit(chunk))
        if len(pending) >= in_flight:
            yield from pending.popleft().get()
    while pending:
        yield from pending.popleft().get()


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
    it = iter(articles)
    head = list(islice(it, 2 * settings.batch_size)) if settings.workers > 1 else []
    if settings.workers <= 1 or len(head) < 2 * settings.batch_size:
        # a handful of documents: starting processes (each loading the model) costs more than it saves
        from kg.nlp.extract import parse_documents
        from kg.nlp.pipeline import load_pipeline

        nlp = load_pipeline(settings.model, gazetteer)
        yield from parse_documents(chain(head, it), nlp, gazetteer, max_chars=settings.max_doc_chars,
                                   batch_size=settings.batch_size)
        return
    import multiprocessing as mp

    ctx = mp.get_context("forkserver" if os.name == "posix" else "spawn")
    chunk = max(2, settings.batch_size // 2)  # small enough to balance the workers, big enough to batch
    with ctx.Pool(settings.workers, initializer=_worker_init, initargs=init_args) as pool:
        yield from _ordered(lambda c: pool.apply_async(_worker_parse, (c,)), _chunks(chain(head, it), chunk),
                            in_flight=2 * settings.workers + 1)


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
