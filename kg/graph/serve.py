"""``kg serve``: a read-only SPARQL 1.1 Protocol endpoint over a snapshot of the store, plus the site pages.

* ``GET /sparql?query=...``, ``POST /sparql`` with ``application/x-www-form-urlencoded`` (``query=``) or
  ``application/sparql-query`` (UTF-8); content negotiation for SPARQL JSON/XML/CSV/TSV results and Turtle/N-Triples
  graphs; ``GET /sparql`` without a query returns a service description (Turtle).
* Read-only: updates (``update=``, ``application/sparql-update``, Update syntax) get 403; PUT/DELETE/PATCH get 405.
* Loopback by default; the ``Host`` header must name the bound address or a loopback name (DNS rebinding), a
  non-loopback ``Origin`` is refused unless ``--cors`` (which sends ``Access-Control-Allow-Origin: *``).
* Limits: request bodies over 1 MB get 413; each query runs in a worker process that is killed at the deadline
  (503, the server keeps answering); results over the row cap are cut and flagged (``X-KG-Truncated: true`` and
  ``"truncated": true`` in JSON); bad queries get 400 with a message (no traceback, no paths).
* Snapshot: the server never reads the live store while a build may write it: it serves a hard-link backup taken
  at start (``Store.backup``), or ``OUT/store.bak`` when the store is busy.
* Everything else under ``/`` is served from ``OUT/site/`` (no directory listings, no path escapes).
"""
from __future__ import annotations

import html
import logging
import mimetypes
import shutil
import signal
import tempfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, quote, unquote, urlsplit

from kg.errors import (
    KgError,
    QueryError,
    QueryTimeoutError,
    StoreError,
    StoreInUseError,
)
from kg.graph.query import WorkerPool, screen
from kg.graph.results import FORMAT_OF_MEDIA_TYPE, serialize_result

__all__ = ["make_snapshot", "make_server", "serve", "MAX_BODY", "LOOPBACK_NAMES"]

log = logging.getLogger(__name__)

MAX_BODY = 1 << 20
LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1", "[::1]"}
ENDPOINT_PATHS = ("/sparql", "/query")
_SELECT_TYPES = ("application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                 "text/tab-separated-values", "application/json", "application/xml", "text/xml", "text/plain")
_GRAPH_TYPES = ("text/turtle", "application/n-triples", "application/x-turtle", "text/plain")


def make_snapshot(out: str | Path) -> tuple[Path, bool]:
    """A private hard-link copy of ``OUT/store`` to serve; returns ``(path, from_backup)``.

    When a build holds the store, the last backup (``OUT/store.bak``) is snapshotted instead.

    Raises:
        StoreError: no store (and no backup), or the store is damaged.
    """
    from kg.graph.store import Store

    out = Path(out)
    tmp = Path(tempfile.mkdtemp(prefix="kg-serve-"))
    try:
        try:
            with Store.open(out / "store") as store:
                store.raw.flush()
                store.raw.backup(str(tmp / "store"))
            return tmp / "store", False
        except StoreInUseError:
            bak = out / "store.bak"
            if not (bak / "CURRENT").is_file():
                raise
            import pyoxigraph as ox

            log.warning("the store is in use (a build?); serving the previous build's backup %s", bak)
            ox.Store.read_only(str(bak)).backup(str(tmp / "store"))
            return tmp / "store", True
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _accept(header: str | None, offered: tuple[str, ...]) -> str | None:
    """The best of ``offered`` for an Accept header (q-values honoured); None when nothing fits."""
    if not header:
        return offered[0]
    best, best_q = None, 0.0
    for i, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        mtype = fields[0].lower()
        q = 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        if q <= 0:
            continue
        if mtype in ("*/*", "application/*", "text/*"):
            cand = next((o for o in offered if mtype == "*/*" or o.startswith(mtype[:-1])), None)
            q -= 0.001  # an explicit type wins over a wildcard of the same q
        else:
            cand = mtype if mtype in offered else None
        if cand and q > best_q:
            best, best_q = cand, q
    return best


class _Handler(BaseHTTPRequestHandler):
    server_version = "kg-sparql"
    sys_version = ""
    protocol_version = "HTTP/1.1"

    # ------------------------------------------------------------------------------------------- plumbing
    def log_message(self, fmt: str, *args) -> None:
        log.info("%s %s", self.address_string(), fmt % args)

    def _send(self, status: int, body: bytes | str, ctype: str = "text/plain; charset=utf-8",
              headers: dict[str, str] | None = None) -> None:
        if isinstance(body, str):
            body = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        if self.server.cors:
            self.send_header("Access-Control-Allow-Origin", "*")
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _error(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        self._send(status, message.rstrip() + "\n", headers=headers)

    def _host(self) -> tuple[str, str]:
        """The ``Host`` header (lower case) and its name without the port."""
        host = (self.headers.get("Host") or "").strip().lower()
        return host, host.rsplit(":", 1)[0] if not host.endswith("]") else host

    def _content_length(self) -> int | None:
        """The declared body length: None when absent, -1 when it is no non-negative number."""
        text = self.headers.get("Content-Length")
        if text is None:
            return None
        text = text.strip()
        return int(text) if text.isdigit() else -1

    def _guard(self) -> bool:
        """Host and Origin checks; False when the request was refused."""
        host, name = self._host()
        if name not in self.server.allowed_hosts:
            self._error(403, f"Host {host!r} is not allowed: this endpoint answers only to "
                             f"{', '.join(sorted(self.server.allowed_hosts))}")
            return False
        origin = self.headers.get("Origin")
        if origin and not self.server.cors:
            oname = (urlsplit(origin).hostname or "").lower()
            if oname not in self.server.allowed_hosts and f"[{oname}]" not in self.server.allowed_hosts:
                self._error(403, f"Origin {origin!r} is not allowed (start kg serve --cors to allow other sites)")
                return False
        return True

    # ------------------------------------------------------------------------------------------- methods
    def do_OPTIONS(self) -> None:  # noqa: N802
        if not self._guard():
            return
        self._send(204, b"", headers={"Allow": "GET, HEAD, POST, OPTIONS",
                                      "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
                                      "Access-Control-Allow-Headers": "Content-Type, Accept"})

    def _not_allowed(self) -> None:
        length = self._content_length() or 0
        if 0 < length <= MAX_BODY:
            self.rfile.read(length)
        else:
            self.close_connection = True
        self._error(405, f"method {self.command} is not allowed: this endpoint is read-only (GET or POST queries)",
                    headers={"Allow": "GET, HEAD, POST, OPTIONS"})

    do_PUT = do_DELETE = do_PATCH = _not_allowed  # noqa: N815

    def do_HEAD(self) -> None:  # noqa: N802
        self.do_GET()

    def do_GET(self) -> None:  # noqa: N802
        if not self._guard():
            return
        url = urlsplit(self.path)
        if url.path in ENDPOINT_PATHS:
            params = parse_qs(url.query, keep_blank_values=True)
            if "update" in params:
                self._error(403, "updates are not accepted: the endpoint is read-only")
                return
            queries = params.get("query", [])
            if not queries:
                self._service_description()
                return
            self._query(queries, params)
            return
        self._static(url.path)

    def do_POST(self) -> None:  # noqa: N802
        if not self._guard():
            return
        url = urlsplit(self.path)
        if url.path not in ENDPOINT_PATHS:
            self._not_allowed()
            return
        length = self._content_length()
        if length is None:
            self.close_connection = True
            self._error(411, "a Content-Length header is required")
            return
        if length < 0:
            self.close_connection = True  # a negative length would read the body to the end of the stream
            self._error(400, "Content-Length is not a non-negative number")
            return
        if length > MAX_BODY:
            self.close_connection = True
            self._error(413, f"request body of {length} bytes is over the {MAX_BODY} byte limit")
            return
        body = self.rfile.read(length)
        ctype_header = self.headers.get("Content-Type") or ""
        fields = [f.strip() for f in ctype_header.split(";")]
        ctype = fields[0].lower()
        charset = next((f.split("=", 1)[1].strip().strip('"').lower() for f in fields[1:]
                        if f.lower().startswith("charset=")), "utf-8")
        url_params = parse_qs(url.query, keep_blank_values=True)
        if ctype == "application/sparql-update" or "update" in url_params:
            self._error(403, "updates are not accepted: the endpoint is read-only")
            return
        if charset not in ("utf-8", "utf8"):
            self._error(400, f"charset {charset!r} is not supported; send the query as UTF-8")
            return
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            self._error(400, "the request body is not valid UTF-8")
            return
        if ctype == "application/x-www-form-urlencoded":
            params = parse_qs(text, keep_blank_values=True)
            if "update" in params:
                self._error(403, "updates are not accepted: the endpoint is read-only")
                return
            for k, v in url_params.items():
                params.setdefault(k, []).extend(v)
            self._query(params.get("query", []), params)
        elif ctype == "application/sparql-query":
            if "query" in url_params:
                self._error(400, "a query in both the URL and the body; send exactly one")
                return
            self._query([text], url_params)
        elif not ctype:
            self._error(400, "missing Content-Type; use application/x-www-form-urlencoded (query=...) or "
                             "application/sparql-query")
        else:
            self._error(415, f"Content-Type {ctype!r} is not accepted; use application/x-www-form-urlencoded or "
                             f"application/sparql-query")

    # ------------------------------------------------------------------------------------------- queries
    def _query(self, queries: list[str], params: dict[str, list[str]]) -> None:
        if len(queries) != 1:
            self._error(400, f"expected exactly one query parameter, got {len(queries)}")
            return
        if params.get("default-graph-uri") or params.get("named-graph-uri"):
            self._error(400, "default-graph-uri / named-graph-uri are not supported: the default graph is the union "
                             "of all graphs; use GRAPH <name> { ... } in the query")
            return
        sparql = queries[0]
        try:
            form = screen(sparql)
        except QueryError as exc:
            status = 403 if str(exc).startswith(("updates are not accepted", "LOAD is not allowed")) else 400
            self._error(status, str(exc))
            return
        graph = form in ("CONSTRUCT", "DESCRIBE")
        offered = _GRAPH_TYPES if graph else _SELECT_TYPES
        mtype = _accept(self.headers.get("Accept"), offered)
        if mtype is None:
            self._error(406, f"cannot answer in {self.headers.get('Accept')!r}; available: {', '.join(offered)}")
            return
        fmt = FORMAT_OF_MEDIA_TYPE.get(mtype, "json")
        if graph and fmt == "table":
            fmt, mtype = "ntriples", "text/plain"
        elif fmt == "table":
            fmt, mtype = "tsv", "text/plain"
        try:
            result = self.server.pool.run(sparql, timeout=self.server.timeout, row_cap=self.server.row_cap)
            body = serialize_result(result, fmt)
        except QueryTimeoutError as exc:
            self._error(503, str(exc), headers={"Retry-After": "1"})
            return
        except QueryError as exc:
            self._error(400, str(exc))
            return
        except KgError:
            log.exception("query failed")
            self._error(500, "the store could not answer this query; see the server log")
            return
        headers = {"X-KG-Truncated": "true"} if result.truncated else {}
        if result.truncated:
            headers["X-KG-Row-Cap"] = str(self.server.row_cap)
        ctype = mtype if mtype.startswith("application/sparql-results") else f"{mtype}; charset=utf-8"
        self._send(200, body, ctype, headers)

    def _service_description(self) -> None:
        # the name the Host header gave (checked by _guard) and the port kg listens on: nothing else of the header
        # reaches the Turtle ("localhost:1> . <evil" would)
        _, name = self._host()
        name = name if name in self.server.allowed_hosts else self.server.server_address[0]
        endpoint = f"http://{name}:{self.server.server_address[1]}{quote(urlsplit(self.path).path)}"
        formats = ["SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                   "Turtle", "N-Triples"]
        ttl = (
            "@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .\n"
            "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
            f"<{endpoint}> a sd:Service ;\n  sd:endpoint <{endpoint}> ;\n"
            "  sd:supportedLanguage sd:SPARQL11Query ;\n  sd:feature sd:UnionDefaultGraph ;\n"
            + "".join(f"  sd:resultFormat <http://www.w3.org/ns/formats/{f}> ;\n" for f in formats)
            + '  rdfs:comment "kg read-only SPARQL endpoint: the default graph is the union of every graph; '
              f'queries stop after {self.server.timeout:g} s and at {self.server.row_cap} rows." .\n'
        )
        self._send(200, ttl, "text/turtle; charset=utf-8")

    # ------------------------------------------------------------------------------------------- pages
    def _static(self, path: str) -> None:
        site: Path | None = self.server.site
        rel = unquote(path).lstrip("/")
        if site is None or not site.is_dir():
            if rel in ("", "index.html"):
                self._send(200, "<!doctype html><title>kg</title><p>kg SPARQL endpoint: <a href=\"/sparql\">"
                                "/sparql</a> (no pages were built)</p>", "text/html; charset=utf-8")
            else:
                self._error(404, "not found")
            return
        if "\x00" in rel:  # before any file system call: a NUL makes them raise
            self._error(404, "not found")
            return
        target = (site / rel).resolve()
        if target.is_dir():
            target = (target / "index.html").resolve()  # a symlink named index.html must not lead out either
        if not target.is_relative_to(site):
            self._error(404, "not found")
            return
        if not target.is_file():
            self._error(404, f"not found: /{html.escape(rel)}")
            return
        ctype = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if ctype.startswith("text/") or ctype in ("application/javascript", "application/json"):
            ctype += "; charset=utf-8"
        self._send(200, target.read_bytes(), ctype)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def make_server(snapshot: str | Path, *, host: str = "127.0.0.1", port: int = 7878, cors: bool = False,
                timeout: float = 10.0, row_cap: int = 10_000, site: str | Path | None = None,
                workers: int = 2) -> ThreadingHTTPServer:
    """A ready (not yet serving) HTTP server over the store snapshot at ``snapshot``.

    Raises:
        StoreError: the port cannot be bound.
    """
    try:
        server = _Server((host, port), _Handler)
    except OSError as exc:
        raise StoreError(f"cannot listen on {host}:{port} ({exc.strerror}); pick another --port") from exc
    server.pool = WorkerPool(snapshot, size=workers)
    server.cors, server.timeout, server.row_cap = cors, timeout, row_cap
    server.site = Path(site).resolve() if site else None
    allowed = set(LOOPBACK_NAMES)
    if host not in ("0.0.0.0", "::", ""):
        allowed.add(host.lower())
        allowed.add(f"[{host.lower()}]")
    server.allowed_hosts = allowed
    return server


def serve(out: str | Path, *, host: str = "127.0.0.1", port: int = 7878, cors: bool = False, timeout: float = 10.0,
          row_cap: int = 10_000, workers: int = 2, ready=None) -> None:
    """Serve ``OUT`` until interrupted (Ctrl-C); ``ready(url, from_backup)`` is called once listening."""
    snapshot, from_backup = make_snapshot(out)
    previous = _stop_on_sigterm()
    try:
        server = make_server(snapshot, host=host, port=port, cors=cors, timeout=timeout, row_cap=row_cap,
                             site=Path(out) / "site", workers=workers)
        try:
            if ready:
                shown = f"[{host}]" if ":" in host else host
                ready(f"http://{shown}:{server.server_address[1]}/sparql", from_backup)
            server.serve_forever(poll_interval=0.2)
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
            server.pool.close()
    finally:
        shutil.rmtree(snapshot.parent, ignore_errors=True)
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def _stop_on_sigterm():
    """Make SIGTERM stop the server like Ctrl-C, so its snapshot is removed (the previous handler, or None when not
    in the main thread, where Python allows no handler)."""
    try:
        return signal.signal(signal.SIGTERM, _interrupt)
    except ValueError:
        return None
