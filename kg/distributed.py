"""Extraction on a Dask distributed cluster: the parse runs on the workers, resolution and the store stay here.

:func:`parse_on_dask` is what ``kg build --dask ADDRESS`` (or ``--dask local``) calls through
:func:`kg.pipeline.parse_all`. Each Dask worker loads the spaCy pipeline and the gazetteer once (the first task it
runs), then parses chunks of articles with the very functions the multiprocessing path uses
(:func:`kg.pipeline._worker_init`, :func:`kg.pipeline._worker_parse`), so the RawDocs, and therefore the graph,
are the same as a single-process build. Results come back in input order; the articles are submitted lazily with
a bounded number of chunks in flight, so a corpus of any size streams through.

Every worker needs kg, the spaCy model named in the settings, and the ontology/gazetteer paths of
``init_args`` (the same install on every node, or a shared file system); see ``benchmarks/README.md``.
"""
from __future__ import annotations

import logging
import os
import uuid
from collections import deque
from collections.abc import Iterable, Iterator
from itertools import islice

from kg.errors import KgError
from kg.model import Article, RawDoc, Skipped

__all__ = ["parse_on_dask", "DaskError", "CHUNK"]

log = logging.getLogger(__name__)

#: articles per Dask task: big enough that scheduling costs little beside the parse, small enough to balance
CHUNK = 32


class DaskError(KgError):
    """The Dask cluster cannot be reached or a task failed on it."""


def _parse_chunk(articles: list[Article], init_args: tuple) -> list[RawDoc | Skipped]:
    """Run on a Dask worker: set the pipeline up once per worker process (keyed by ``init_args``), then parse."""
    from kg import pipeline

    if pipeline._WORKER.get("init_args") != init_args:
        pipeline._worker_init(*init_args)
        pipeline._WORKER["init_args"] = init_args
    return pipeline._worker_parse(articles)


def _client(address: str):
    """A ``(client, cluster)`` pair; ``cluster`` is a LocalCluster this call started (None for an address)."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError as exc:  # pragma: no cover - dask[distributed] is a dependency
        raise DaskError("--dask needs dask[distributed]: pip install 'dask[distributed]'") from exc
    if address == "local":
        workers = max(1, os.cpu_count() or 1)
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
        log.info("started a local Dask cluster with %d worker process(es)", workers)
        return Client(cluster), cluster
    try:
        return Client(address, timeout="20s"), None
    except (OSError, TimeoutError, ValueError) as exc:
        raise DaskError(
            f"cannot reach the Dask scheduler at {address!r} ({exc}); expected 'local' or a scheduler address such "
            f"as tcp://host:8786 started with `dask scheduler`; check the address and that the scheduler runs"
        ) from exc


def parse_on_dask(articles: Iterable[Article], address, init_args: tuple, *,
                  chunk: int = CHUNK) -> Iterator[RawDoc | Skipped]:
    """RawDocs (or Skipped) for ``articles``, parsed on a Dask cluster, in input order.

    Args:
        articles: any iterable of articles; consumed lazily.
        address: ``"local"`` (start a LocalCluster of worker processes on this machine, closed at the end), a
            scheduler address (``tcp://host:8786``), or a ``dask.distributed.Client`` to reuse.
        init_args: what :func:`kg.pipeline._worker_init` takes (see :func:`kg.pipeline.init_args_of`).
        chunk: articles per task.

    Raises:
        DaskError: the scheduler cannot be reached, or a task failed on the cluster.
    """
    own_client = not hasattr(address, "submit")
    client, cluster = _client(address) if own_client else (address, None)
    try:
        workers = max(1, len(client.scheduler_info().get("workers", {})) or 1)
        in_flight = 2 * workers + 1
        pending: deque = deque()
        it = iter(articles)
        run, n = uuid.uuid4().hex[:12], 0
        while batch := list(islice(it, chunk)):
            pending.append(client.submit(_parse_chunk, batch, init_args, pure=False, key=f"kg-parse-{run}-{n}"))
            n += 1
            if len(pending) >= in_flight:
                yield from _result(pending.popleft())
        while pending:
            yield from _result(pending.popleft())
    finally:
        if own_client:
            client.close()
            if cluster is not None:
                cluster.close()


def _result(future) -> list[RawDoc | Skipped]:
    try:
        return future.result()
    except KgError:
        raise
    except Exception as exc:  # noqa: BLE001 - whatever the cluster raised, say where it came from
        raise DaskError(f"a parse task failed on the Dask cluster ({type(exc).__name__}: {exc}); see the worker "
                        f"logs; the store holds the documents written before it") from exc
