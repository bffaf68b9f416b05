"""Extraction glue: articles -> (nlp) RawDoc -> (resolve) DocResult, in one process, several, or on Dask.

Parsing is the expensive part and runs where the workers are; resolution runs in the calling process, in input
order, so cross-document merging of names sees every document in the same order whatever the parallelism.
"""
from __future__ import annotations

import logging
import os
from collections.abc import Iterator, Sequence

from kg.config import Settings
from kg.model import Article, DocResult, RawDoc, Skipped

__all__ = ["extract_documents", "parse_all", "extract_text"]

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


def _chunks(items: Sequence, size: int) -> Iterator[list]:
    for i in range(0, len(items), size):
        yield list(items[i:i + size])


def parse_all(articles: Sequence[Article], *, settings: Settings, gazetteer,
              dask: str | None = None) -> Iterator[RawDoc | Skipped]:
    """RawDocs for ``articles`` in input order, parsed in this process, in ``settings.workers`` processes, or on Dask."""
    init_args = (settings.model, str(settings.ontology), tuple(str(p) for p in settings.gazetteer),
                 settings.max_doc_chars, settings.batch_size)
    if dask:
        from kg.distributed import parse_on_dask

        yield from parse_on_dask(articles, dask, init_args)
        return
    if settings.workers <= 1 or len(articles) < 2 * settings.batch_size:
        from kg.nlp.extract import parse_documents
        from kg.nlp.pipeline import load_pipeline

        nlp = load_pipeline(settings.model, gazetteer)
        yield from parse_documents(articles, nlp, gazetteer, max_chars=settings.max_doc_chars,
                                   batch_size=settings.batch_size)
        return
    import multiprocessing as mp

    ctx = mp.get_context("forkserver" if os.name == "posix" else "spawn")
    chunk = max(8, min(64, len(articles) // (settings.workers * 4) or 8))
    with ctx.Pool(settings.workers, initializer=_worker_init, initargs=init_args) as pool:
        for docs in pool.imap(_worker_parse, _chunks(articles, chunk)):
            yield from docs


def extract_documents(articles: Sequence[Article], *, settings: Settings, gazetteer, dask: str | None = None,
                      progress=None) -> Iterator[DocResult | Skipped]:
    """Parse and resolve ``articles``; a document that fails is returned as Skipped with the reason."""
    from kg.resolve import Registry, resolve_document

    registry = Registry()
    for raw in parse_all(articles, settings=settings, gazetteer=gazetteer, dask=dask):
        if isinstance(raw, Skipped):
            yield raw
            continue
        try:
            yield resolve_document(raw, gazetteer, registry)
        except (ValueError, KeyError, IndexError) as exc:  # a bug on one document must not stop the build
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
