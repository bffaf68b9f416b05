"""`kg serve` as a real subprocess: SPARQL 1.1 Protocol cases (reliability.md E), hostile queries, limits."""
from __future__ import annotations

import json
import sys
import threading
import time

import httpx
import pyoxigraph as ox
import pytest

from kg.graph.store import Store
from tests.servers import free_port, listening, serving, smuggled_service_queries
from tests.test_graph_fixtures import EXTRACTOR, doc, gazetteer

pytestmark = pytest.mark.server

TIMEOUT = 2.0
ROW_CAP = 50


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    out = tmp_path_factory.mktemp("serve") / "out"
    with Store.open(out / "store", create=True) as store:
        store.write_background(gazetteer(), None)
        store.replace_document(doc("a.txt"), extractor_version=EXTRACTOR)
        # filler so that a 3-way cross product cannot finish within the deadline
        store.raw.extend(ox.Quad(ox.NamedNode(f"http://x/{i}"), ox.NamedNode("http://x/p"), ox.Literal(str(i)),
                                 ox.NamedNode("http://x/filler")) for i in range(3000))
    (out / "site").mkdir()
    (out / "site" / "index.html").write_text("<!doctype html><title>kg pages</title>")
    # a folder of the site whose index.html is a symlink to a file outside the site (reliability probe 6)
    secret = out.parent / "secret.txt"
    secret.write_text("not for the web")
    (out / "site" / "d").mkdir()
    (out / "site" / "d" / "index.html").symlink_to(secret)
    port = free_port()
    url = f"http://127.0.0.1:{port}/sparql"
    with serving([sys.executable, "-m", "kg", "serve", "--out", str(out), "--port", str(port), "--timeout",
                  str(TIMEOUT), "--row-cap", str(ROW_CAP)], url, what="kg serve"):
        httpx.get(url, params={"query": "ASK {}"}, timeout=30)  # warm both workers up
        httpx.get(url, params={"query": "ASK {}"}, timeout=30)
        yield url


SELECT = "SELECT ?id WHERE { ?d <http://purl.org/dc/terms/identifier> ?id }"


def _clean(resp: httpx.Response) -> None:
    assert "Traceback" not in resp.text and "/tmp" not in resp.text and "/work" not in resp.text


# ---------------------------------------------------------------------------------------- positive cases
def test_sparqlwrapper_get_post_form_post_direct(endpoint):
    from SPARQLWrapper import GET, JSON, POST, POSTDIRECTLY, URLENCODED, SPARQLWrapper

    for method, request in ((GET, None), (POST, URLENCODED), (POST, POSTDIRECTLY)):
        client = SPARQLWrapper(endpoint)
        client.setQuery(SELECT)
        client.setReturnFormat(JSON)
        client.setMethod(method)
        if request:
            client.setRequestMethod(request)
        data = client.query().convert()
        assert [b["id"]["value"] for b in data["results"]["bindings"]] == ["a.txt"]


@pytest.mark.parametrize("query,accept,ctype", [
    (SELECT, "application/sparql-results+json", "application/sparql-results+json"),
    (SELECT, "application/sparql-results+xml", "application/sparql-results+xml"),
    (SELECT, "text/csv", "text/csv"),
    (SELECT, "text/tab-separated-values", "text/tab-separated-values"),
    ("ASK { ?s ?p ?o }", "application/sparql-results+json", "application/sparql-results+json"),
    ("ASK { ?s ?p ?o }", "application/sparql-results+xml", "application/sparql-results+xml"),
    ("CONSTRUCT WHERE { ?s a ?t }", "text/turtle", "text/turtle"),
    ("CONSTRUCT WHERE { ?s a ?t }", "application/n-triples", "application/n-triples"),
    ("DESCRIBE <https://w3id.org/kg-news/id/actor/RUS>", "text/turtle", "text/turtle"),
    ("DESCRIBE <https://w3id.org/kg-news/id/actor/RUS>", None, "text/turtle"),
    (SELECT, None, "application/sparql-results+json"),
    (SELECT, "text/html;q=0.9, */*;q=0.1", "application/sparql-results+json"),
])
def test_content_types(endpoint, query, accept, ctype):
    headers = {"Accept": accept} if accept else {}
    r = httpx.get(endpoint, params={"query": query}, headers=headers, timeout=30)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].split(";")[0] == ctype
    if ctype.endswith("json"):
        json.loads(r.text)


def test_service_description_without_query(endpoint):
    r = httpx.get(endpoint, timeout=10)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    assert "sd:Service" in r.text and "sd:UnionDefaultGraph" in r.text


def test_site_pages_and_no_escape(endpoint):
    base = endpoint.rsplit("/", 1)[0]
    assert "kg pages" in httpx.get(base + "/", timeout=10).text
    r = httpx.get(base + "/..%2f..%2f..%2fetc/passwd", timeout=10)
    assert r.status_code == 404 and "root:" not in r.text


def test_symlinked_index_of_a_folder_is_not_served(endpoint):
    base = endpoint.rsplit("/", 1)[0]
    for path in ("/d/", "/d", "/d/index.html"):
        r = httpx.get(base + path, timeout=10)
        assert r.status_code == 404 and "not for the web" not in r.text, path


def _raw(endpoint: str, request: bytes) -> bytes:
    """Send ``request`` as it is on a fresh connection; the response bytes (b"" when the server sent none)."""
    import socket
    from urllib.parse import urlsplit

    url = urlsplit(endpoint)
    with socket.create_connection((url.hostname, url.port), timeout=10) as sock:
        sock.sendall(request)
        chunks = []
        try:
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        except (TimeoutError, ConnectionResetError):
            pass
    return b"".join(chunks)


def test_nul_in_path_gets_a_404(endpoint):
    port = endpoint.split(":")[2].split("/")[0]
    answer = _raw(endpoint, f"GET /%00 HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode())
    assert answer.startswith(b"HTTP/1.") and b" 404 " in answer.split(b"\r\n", 1)[0]


def test_negative_content_length_is_refused_without_reading_the_body(endpoint):
    port = endpoint.split(":")[2].split("/")[0]
    head = (f"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/sparql-query\r\n"
            f"Content-Length: -1\r\n\r\n").encode()
    answer = _raw(endpoint, head + b"ASK {}" + b" " * (1 << 20))
    assert b" 400 " in answer.split(b"\r\n", 1)[0] and b"negative" in answer


def test_service_description_takes_nothing_but_the_name_from_the_host_header(endpoint):
    port = endpoint.split(":")[2].split("/")[0]
    r = httpx.get(endpoint, headers={"Host": f"localhost:{port}> a <evil.example"}, timeout=10)
    assert r.status_code == 200 and "evil.example" not in r.text
    assert f"<http://localhost:{port}/sparql>" in r.text
    import rdflib

    rdflib.Graph().parse(data=r.text, format="turtle")  # still valid Turtle


# ---------------------------------------------------------------------------------------- W3C negative cases
def _post(endpoint, body, ctype=None, **kw):
    headers = {"Content-Type": ctype} if ctype else {}
    return httpx.post(endpoint, content=body, headers=headers, timeout=30, **kw)


@pytest.mark.parametrize("case,call,expected", [
    ("bad_query_method", lambda e: httpx.put(e, params={"query": SELECT}, timeout=10), {405}),
    ("bad_multiple_queries", lambda e: httpx.get(e + "?query=ASK%7B%7D&query=ASK%7B%7D", timeout=10), {400}),
    ("bad_query_wrong_media_type", lambda e: _post(e, SELECT.encode(), "text/plain"), {415}),
    ("bad_query_missing_form_type", lambda e: _post(e, b"query=ASK%20%7B%7D"), {400}),
    ("bad_query_missing_direct_type", lambda e: _post(e, b"ASK {}"), {400}),
    ("bad_query_non_utf8", lambda e: _post(e, SELECT.encode("utf-16"), "application/sparql-query; charset=UTF-16"),
     {400}),
    ("bad_query_syntax", lambda e: httpx.get(e, params={"query": "SELECT * WHERE {"}, timeout=10), {400}),
    ("bad_update_get", lambda e: httpx.get(e, params={"update": "CLEAR ALL"}, timeout=10), {403}),
    ("bad_multiple_updates", lambda e: _post(e, b"update=CLEAR%20ALL&update=CLEAR%20ALL",
                                             "application/x-www-form-urlencoded"), {403}),
    ("bad_update_wrong_media_type", lambda e: _post(e, b"CLEAR ALL", "text/plain"), {415}),
    ("bad_update_missing_form_type", lambda e: _post(e, b"update=CLEAR%20ALL"), {400}),
    ("bad_update_non_utf8", lambda e: _post(e, "CLEAR ALL".encode("utf-16"), "application/sparql-update; charset=UTF-16"),
     {403}),
    ("bad_update_syntax", lambda e: _post(e, b"CLEAR XYZ", "application/sparql-update"), {403}),
    ("bad_update_dataset_conflict", lambda e: _post(
        e, b"update=CLEAR%20ALL&using-graph-uri=http%3A%2F%2Fx", "application/x-www-form-urlencoded"), {403}),
    ("update_post_form", lambda e: _post(e, b"update=CLEAR%20ALL", "application/x-www-form-urlencoded"), {403}),
    ("update_post_direct", lambda e: _post(e, b"DROP ALL", "application/sparql-update"), {403}),
    ("update_as_query", lambda e: httpx.get(e, params={"query": "DROP ALL"}, timeout=10), {403}),
    ("dataset_params", lambda e: httpx.get(e, params={"query": SELECT, "default-graph-uri": "file:///etc/passwd"},
                                           timeout=10), {400}),
])
def test_protocol_negative_cases(endpoint, case, call, expected):
    r = call(endpoint)
    assert r.status_code in expected, (case, r.status_code, r.text)
    _clean(r)
    # the data is still all there
    ok = httpx.get(endpoint, params={"query": SELECT}, timeout=30)
    assert ok.status_code == 200 and "a.txt" in ok.text


def test_body_over_one_megabyte_is_413(endpoint):
    r = _post(endpoint, b"query=" + b"a" * (1 << 20 + 1), "application/x-www-form-urlencoded")
    assert r.status_code == 413


def test_host_and_origin_checks(endpoint):
    r = httpx.get(endpoint, params={"query": SELECT}, headers={"Host": "evil.example:80"}, timeout=10)
    assert r.status_code == 403
    r = _post(endpoint, b"query=ASK%7B%7D", "application/x-www-form-urlencoded", )
    assert r.status_code == 200
    r = httpx.post(endpoint, content=b"query=ASK%7B%7D", timeout=10,
                   headers={"Content-Type": "application/x-www-form-urlencoded", "Origin": "http://evil.example"})
    assert r.status_code == 403
    r = httpx.post(endpoint, content=b"query=ASK%7B%7D", timeout=10,
                   headers={"Content-Type": "application/x-www-form-urlencoded", "Origin": "http://localhost:3000"})
    assert r.status_code == 200
    assert "access-control-allow-origin" not in r.headers


# ---------------------------------------------------------------------------------------- hostile queries
def test_service_to_local_listener_makes_zero_connections(endpoint):
    with listening() as (port, hits):
        for q in (f"SELECT * {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
                  f"SELECT * FROM <http://127.0.0.1:{port}/x.ttl> {{ ?s ?p ?o }}",
                  f"LOAD <http://127.0.0.1:{port}/x.ttl>"):
            r = httpx.get(endpoint, params={"query": q}, timeout=10)
            assert r.status_code in (400, 403), r.text
            _clean(r)
    assert hits == []


def test_service_hidden_behind_a_carriage_return_comment_is_refused(endpoint):
    """A comment ended by a bare CR (Oxigraph ends comments there, rdflib does not) once hid SERVICE from the
    screen: GET (what a plain <img> on any web page sends), POST form and POST direct all get 400, no connection."""
    with listening() as (port, hits):
        for q in smuggled_service_queries(port):
            for send in (lambda: httpx.get(endpoint, params={"query": q}, timeout=10),
                         lambda: httpx.post(endpoint, data={"query": q}, timeout=10),
                         lambda: httpx.post(endpoint, content=q.encode(), timeout=10,
                                            headers={"Content-Type": "application/sparql-query"})):
                r = send()
                assert r.status_code == 400 and "SERVICE" in r.text, (repr(q), r.status_code, r.text)
                _clean(r)
    assert hits == []


def test_from_file_is_refused(endpoint):
    r = httpx.get(endpoint, params={"query": "SELECT * FROM <file:///etc/passwd> { ?s ?p ?o }"}, timeout=10)
    assert r.status_code == 400 and "root:" not in r.text


def test_cross_product_times_out_while_other_requests_succeed(endpoint):
    slow: dict = {}

    def run_slow():
        started = time.monotonic()
        slow["resp"] = httpx.get(endpoint, params={
            "query": "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"}, timeout=60)
        slow["seconds"] = time.monotonic() - started

    t = threading.Thread(target=run_slow)
    t.start()
    time.sleep(0.3)
    fast = httpx.get(endpoint, params={"query": SELECT}, timeout=30)
    assert fast.status_code == 200 and "a.txt" in fast.text
    t.join()
    assert slow["resp"].status_code == 503, slow["resp"].text
    assert "longer than" in slow["resp"].text
    assert slow["seconds"] < TIMEOUT + 1.5
    after = httpx.get(endpoint, params={"query": SELECT}, timeout=30)  # the killed worker is replaced
    assert after.status_code == 200 and "a.txt" in after.text


def test_row_cap_is_signalled(endpoint):
    r = httpx.get(endpoint, params={"query": "SELECT * { ?s ?p ?o }"}, timeout=30)
    assert r.status_code == 200
    assert r.headers.get("x-kg-truncated") == "true"
    data = r.json()
    assert data["truncated"] is True and len(data["results"]["bindings"]) == ROW_CAP
    r = httpx.get(endpoint, params={"query": "SELECT * { ?s ?p ?o } LIMIT 3"}, timeout=30)
    assert "x-kg-truncated" not in r.headers and "truncated" not in r.json()


def test_results_escape_hostile_literals(endpoint):
    q = 'SELECT ?x { BIND("<script>alert(1)</script>" AS ?x) }'
    r = httpx.get(endpoint, params={"query": q}, headers={"Accept": "application/sparql-results+xml"}, timeout=30)
    assert r.status_code == 200 and "<script>" not in r.text and "&lt;script&gt;" in r.text


def test_sigterm_removes_the_snapshot(tmp_path):
    import os
    import subprocess

    out = tmp_path / "out"
    with Store.open(out / "store", create=True) as store:
        store.replace_document(doc("a.txt"), extractor_version=EXTRACTOR)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    port = free_port()
    url = f"http://127.0.0.1:{port}/sparql"
    env = {**os.environ, "TMPDIR": str(scratch)}
    proc = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--out", str(out), "--port", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(url, params={"query": "ASK {}"}, timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert proc.poll() is None and time.monotonic() < deadline, proc.stderr.read()[-2000:]
            time.sleep(0.2)
        assert [p.name for p in scratch.iterdir() if p.name.startswith("kg-serve-")]  # the snapshot is there
        proc.terminate()
        assert proc.wait(20) is not None
    finally:
        if proc.poll() is None:
            proc.kill()
    assert not [p.name for p in scratch.iterdir() if p.name.startswith("kg-serve-")]
