"""Screened, bounded SPARQL: only query forms, no SERVICE/LOAD/FROM, a deadline and a row cap.

Screening happens before anything reaches pyoxigraph or rdflib's evaluator: the text is parsed with rdflib's
SPARQL parser (``parseQuery``; an update is recognised with ``parseUpdate`` and refused), the parse tree and
the algebra (``translateQuery``) are walked for ``SERVICE`` and dataset clauses, and a lexical check (on the text
with strings, IRIs and comments removed, and with ``\\u`` escapes decoded) catches the same keywords whatever
the parser made of them.

Line ends are normalised (CR LF and a bare CR become LF) before screening *and* before running, so the screen and
the engine agree on where a ``#`` comment ends: Oxigraph ends a comment at CR as well as LF, rdflib only at LF, and a
comment ended by a bare CR once hid a ``SERVICE`` clause from the screen. pyoxigraph 0.5 offers no switch to turn
SERVICE off at the engine (``Store.query`` has no service-handler option), so the screen is the only gate.

Queries run with ``use_default_graph_as_union=True``: the default graph is the union of all named graphs.

Deadlines: pyoxigraph has no query timeout, so :func:`run_with_deadline` and :class:`QueryWorker` run the query
in a separate process over a read-only store snapshot and kill it at the deadline (the caller keeps working).
"""
from __future__ import annotations

import functools
import logging
import multiprocessing as mp
import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.errors import QueryError, QueryTimeoutError, StoreError

__all__ = [
    "QueryResult",
    "screen",
    "execute",
    "run_with_deadline",
    "QueryWorker",
    "WorkerPool",
    "QUERY_FORMS",
]

log = logging.getLogger(__name__)

QUERY_FORMS = {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT", "DescribeQuery": "DESCRIBE"}
_UPDATE_HINT = ("updates are not accepted here: kg's query path is read-only (SELECT, ASK, CONSTRUCT, DESCRIBE); "
                "the store changes only through `kg build`")
_PARSE_LOCK = threading.Lock()  # pyparsing is not thread-safe (rdflib#1282)

_LEX_STRIP = re.compile(
    r"'''.*?'''|\"\"\".*?\"\"\"|'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\"|<[^<>\"{}|^`\\\x00-\x20]*>|#[^\r\n]*",
    re.S,
)
_FORBIDDEN = re.compile(r"(?<![\w?$:])(SERVICE|LOAD|FROM)(?![\w:-])", re.I)
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


@dataclass
class QueryResult:
    """What a query gave: ``kind`` is ``select``, ``ask`` or ``graph`` (CONSTRUCT/DESCRIBE).

    ``rows`` are tuples of pyoxigraph terms (None when unbound) in ``variables`` order; ``triples`` are
    :class:`pyoxigraph.Triple`; ``truncated`` is True when the row cap cut the result.
    """

    kind: str
    variables: list[str] = field(default_factory=list)
    rows: list[tuple] = field(default_factory=list)
    boolean: bool | None = None
    triples: list = field(default_factory=list)
    truncated: bool = False
    seconds: float = 0.0

    def __len__(self) -> int:
        return len(self.rows) if self.kind == "select" else len(self.triples) if self.kind == "graph" else 1


def normalise_line_ends(sparql: str) -> str:
    r"""``sparql`` with CR LF and bare CR turned into LF: what the screen reads and the engine runs.

    >>> normalise_line_ends("SELECT * WHERE { #\rSERVICE <http://x/> { ?s ?p ?o } }")
    'SELECT * WHERE { #\nSERVICE <http://x/> { ?s ?p ?o } }'
    """
    return sparql.replace("\r\n", "\n").replace("\r", "\n") if "\r" in sparql else sparql


def _decode_escapes(text: str) -> str:
    def sub(m: re.Match) -> str:
        try:
            return chr(int(m.group(1) or m.group(2), 16))
        except (ValueError, OverflowError):
            return m.group(0)

    return _ESCAPE.sub(sub, text)


def _lexical_check(sparql: str) -> None:
    for text in {sparql, _decode_escapes(sparql)}:
        bare = _LEX_STRIP.sub(" ", text)
        m = _FORBIDDEN.search(bare)
        if m:
            word = m.group(1).upper()
            raise QueryError(_refusal(word))


def _refusal(word: str) -> str:
    if word == "SERVICE":
        return ("SERVICE (federated query) is not allowed: kg never sends requests to other endpoints; "
                "query the local graph only")
    if word == "LOAD":
        return "LOAD is not allowed: " + _UPDATE_HINT
    return ("FROM / FROM NAMED dataset clauses are not allowed (they could read files or URLs); the default graph is "
            "already the union of every graph, use GRAPH <name> { ... } to pick one")


def _walk(node: Any, seen: set[int] | None = None):
    """Yield every CompValue name (and dataset clause marker) in a parse tree or algebra."""
    from rdflib.plugins.sparql.parserutils import CompValue

    seen = seen if seen is not None else set()
    if id(node) in seen:
        return
    seen.add(id(node))
    if isinstance(node, CompValue):
        yield node.name
        if "datasetClause" in node and node["datasetClause"]:
            yield "datasetClause"
        for value in node.values():
            yield from _walk(value, seen)
    elif isinstance(node, dict):
        for value in node.values():
            yield from _walk(value, seen)
    elif isinstance(node, (list, tuple)) or type(node).__name__ == "ParseResults":
        for value in node:
            yield from _walk(value, seen)


def with_prefixes(sparql: str) -> str:
    """``sparql`` with kg's common prefixes (``kg:``, ``id:``, ``rdfs:``, ``skos:``, ``dcterms:``, ``prov:``,
    ``xsd:`` ...) declared in front, except those the query declares itself.

    >>> with_prefixes("SELECT * { ?a kg:key 'RUS' }").startswith("PREFIX")
    True
    """
    from kg.graph.export import PREFIXES

    declared = {line.split()[1].rstrip(":").lower() for line in sparql.splitlines()
                if line.strip().upper().startswith("PREFIX") and len(line.split()) > 1}
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items() if p not in declared) + sparql


def screen(sparql: str) -> str:
    """Check that ``sparql`` is an allowed query; see :func:`_screen` (results are cached per query text)."""
    if not isinstance(sparql, str):
        raise QueryError("the query must be text; expected a SPARQL SELECT, ASK, CONSTRUCT or DESCRIBE query")
    return _screen(normalise_line_ends(sparql))


@functools.lru_cache(maxsize=512)
def _screen(sparql: str) -> str:
    """Check that ``sparql`` is an allowed query; return its form (``SELECT``, ``ASK``, ``CONSTRUCT``, ``DESCRIBE``).

    Raises:
        QueryError: not a string, not valid SPARQL, an update, or uses SERVICE / LOAD / FROM / FROM NAMED.

    Examples:
        >>> screen("SELECT * WHERE { ?s ?p ?o } LIMIT 1")
        'SELECT'
        >>> screen("DROP ALL")
        Traceback (most recent call last):
        kg.errors.QueryError: updates are not accepted here: ...
    """
    if not isinstance(sparql, str) or not sparql.strip():
        raise QueryError("empty query; expected a SPARQL SELECT, ASK, CONSTRUCT or DESCRIBE query")
    if "\x00" in sparql:
        raise QueryError("the query contains a NUL character; send plain UTF-8 SPARQL text")
    from pyparsing import ParseException
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    with _PARSE_LOCK:
        try:
            parsed = parseQuery(sparql)
        except ParseException as exc:
            is_update = False
            try:
                parseUpdate(sparql)
                is_update = True
            except Exception:  # noqa: BLE001 - any failure here only means "not an update either"
                pass
            if is_update:
                raise QueryError(_UPDATE_HINT) from None
            _lexical_check(sparql)
            raise QueryError(f"SPARQL syntax error at line {exc.lineno}, column {exc.col}: {exc.msg}; "
                             f"expected a SELECT, ASK, CONSTRUCT or DESCRIBE query") from None
        except Exception as exc:  # noqa: BLE001 - rdflib raises assorted errors on odd input
            raise QueryError(f"cannot parse the query ({type(exc).__name__}: {exc}); expected a SPARQL query") from None
        names = set(_walk(parsed))
        try:
            names |= set(_walk(translateQuery(parsed).algebra))
        except Exception as exc:  # noqa: BLE001 - rdflib's algebra rejects some valid queries; the tree is enough
            log.debug("rdflib could not translate the query (%s); screened on the parse tree", exc)
    if "ServiceGraphPattern" in names:
        raise QueryError(_refusal("SERVICE"))
    if "datasetClause" in names:
        raise QueryError(_refusal("FROM"))
    form = next((QUERY_FORMS[n] for n in (parsed[1].name,) if n in QUERY_FORMS), None)
    if form is None:
        raise QueryError(_UPDATE_HINT)
    _lexical_check(sparql)
    return form


def execute(raw: ox.Store, sparql: str, *, row_cap: int | None = None) -> QueryResult:
    """Run an (already screened) query in this process, union default graph, at most ``row_cap`` rows.

    Raises:
        QueryError: pyoxigraph rejects the query.
        StoreError: the store cannot be read.
    """
    started = time.perf_counter()
    try:
        res = raw.query(normalise_line_ends(sparql), use_default_graph_as_union=True)
        if isinstance(res, ox.QueryBoolean):
            out = QueryResult("ask", boolean=bool(res))
        elif isinstance(res, ox.QuerySolutions):
            out = QueryResult("select", variables=[v.value for v in res.variables])
            for solution in res:
                if row_cap is not None and len(out.rows) >= row_cap:
                    out.truncated = True
                    break
                out.rows.append(tuple(solution))
        else:
            out = QueryResult("graph")
            for triple in res:
                if row_cap is not None and len(out.triples) >= row_cap:
                    out.truncated = True
                    break
                out.triples.append(triple)
    except SyntaxError as exc:
        raise QueryError(f"SPARQL syntax error: {exc}") from None
    except OSError as exc:
        raise StoreError(f"cannot read the store while querying ({exc})") from exc
    except RuntimeError as exc:
        raise QueryError(f"the query failed: {exc}") from None
    out.seconds = time.perf_counter() - started
    return out


# ------------------------------------------------------------------------------------------ worker processes
def _worker_main(store_path: str, conn) -> None:
    try:
        raw = ox.Store.read_only(store_path)
    except (OSError, RuntimeError) as exc:
        conn.send(("error", StoreError(f"the query worker cannot open the store snapshot ({exc})")))
        return
    conn.send(("ready", None))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        sparql, row_cap = message
        try:
            conn.send(("ok", execute(raw, sparql, row_cap=row_cap)))
        except Exception as exc:  # noqa: BLE001 - every failure goes back to the caller, the worker lives on
            if not isinstance(exc, (QueryError, StoreError)):
                exc = QueryError(f"the query failed: {type(exc).__name__}: {exc}")
            conn.send(("error", exc))


class QueryWorker:
    """One worker process over a read-only store (a snapshot nobody writes); killed and restarted on timeout."""

    def __init__(self, store_path: str | Path, *, start_timeout: float = 60.0) -> None:
        self.store_path = str(store_path)
        self.start_timeout = start_timeout
        self._proc = None
        self._conn = None

    def _start(self) -> None:
        ctx = mp.get_context("spawn")  # never fork a process holding RocksDB threads
        parent, child = ctx.Pipe()
        proc = ctx.Process(target=_worker_main, args=(self.store_path, child), daemon=True, name="kg-query-worker")
        proc.start()
        child.close()
        if not parent.poll(self.start_timeout):
            proc.kill()
            raise StoreError(f"the query worker did not start within {self.start_timeout:.0f} s")
        try:
            status, payload = parent.recv()
        except (EOFError, OSError) as exc:
            proc.join(1)
            raise StoreError(f"the query worker exited while starting (exit code {proc.exitcode})") from exc
        if status != "ready":
            proc.join(1)
            raise payload
        self._proc, self._conn = proc, parent

    def run(self, sparql: str, *, timeout: float, row_cap: int | None = None) -> QueryResult:
        """Run ``sparql`` (screen it first) with a deadline of ``timeout`` seconds.

        Raises:
            QueryTimeoutError: the deadline passed; the worker was killed (a new one starts on the next call).
        """
        if self._proc is None or not self._proc.is_alive():
            self._start()
        self._conn.send((sparql, row_cap))
        if not self._conn.poll(timeout):
            self.kill()
            raise QueryTimeoutError(
                f"the query ran longer than {timeout:g} s and was stopped; add LIMIT, narrow the patterns or "
                f"raise query_timeout in kg.toml"
            )
        try:
            status, payload = self._conn.recv()
        except (EOFError, OSError) as exc:
            self.kill()
            raise QueryError("the query worker died while running the query (out of memory?)") from exc
        if status == "error":
            raise payload
        return payload

    def kill(self) -> None:
        """Stop the worker now."""
        if self._proc is not None:
            self._proc.kill()
            self._proc.join(5)
        if self._conn is not None:
            self._conn.close()
        self._proc = self._conn = None

    def close(self) -> None:
        """Ask the worker to exit, kill it if it does not."""
        if self._proc is not None and self._proc.is_alive():
            try:
                self._conn.send(None)
            except (OSError, ValueError):
                pass
            self._proc.join(2)
        self.kill()


class WorkerPool:
    """A fixed set of :class:`QueryWorker` over one snapshot, shared by threads (one query per worker)."""

    def __init__(self, store_path: str | Path, size: int = 2) -> None:
        import queue

        self._idle: "queue.Queue[QueryWorker]" = queue.Queue()
        self._workers = [QueryWorker(store_path) for _ in range(max(1, size))]
        for worker in self._workers:
            self._idle.put(worker)

    def run(self, sparql: str, *, timeout: float, row_cap: int | None = None, wait: float = 30.0) -> QueryResult:
        """Run on the next free worker (waiting at most ``wait`` seconds for one)."""
        import queue

        try:
            worker = self._idle.get(timeout=wait)
        except queue.Empty:
            raise QueryTimeoutError(f"every query worker stayed busy for {wait:g} s; try again later") from None
        try:
            return worker.run(sparql, timeout=timeout, row_cap=row_cap)
        finally:
            self._idle.put(worker)

    def close(self) -> None:
        """Stop every worker."""
        for worker in self._workers:
            worker.close()


def run_with_deadline(store_path: str | Path, sparql: str, *, timeout: float,
                      row_cap: int | None = None) -> QueryResult:
    """Screen and run one query in a fresh worker process over the (read-only) store at ``store_path``."""
    screen(sparql)
    worker = QueryWorker(store_path)
    try:
        return worker.run(sparql, timeout=timeout, row_cap=row_cap)
    finally:
        worker.close()
