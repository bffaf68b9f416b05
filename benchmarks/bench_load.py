"""Endpoint under load: N concurrent clients x M queries against ``kg serve`` while ``kg build`` ingests into the
same OUT folder.

    .venv/bin/python benchmarks/bench_load.py [--clients 8] [--queries 200] [--docs 300]

How the two share OUT: ``kg serve`` answers from a private hard-link snapshot of ``OUT/store`` taken at start
(``kg.graph.serve.make_snapshot``), so the build holds the store's write lock and writes freely while the server
keeps answering from the state it started with. "No wrong answers" therefore means: every answer during the build
equals the answer computed from the store before the server started (snapshot isolation), and after the build
the store holds every new document. Loopback only; every loop is bounded (queries, build timeout).

Writes ``benchmarks/results/load.json`` and ``load.md`` (latency percentiles, throughput, errors, wrong answers).
"""
from __future__ import annotations

import argparse
import json
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RESULTS = ROOT / "benchmarks" / "results"
KG = "https://w3id.org/kg-news/ontology#"
QUERIES = {
    "count_documents": f"SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE {{ ?d a <{KG}Document> }}",
    "ask_document": f"ASK {{ ?d a <{KG}Document> }}",
    "actor_labels": ("SELECT DISTINCT ?a ?l WHERE { GRAPH <https://w3id.org/kg-news/id/graph/actors> "
                     "{ ?a <http://www.w3.org/2000/01/rdf-schema#label> ?l } } ORDER BY ?a LIMIT 50"),
    "relations": (f"SELECT ?s ?p ?o WHERE {{ GRAPH ?g {{ ?g a <{KG}Document> . ?s ?p ?o . "
                  "FILTER(STRSTARTS(STR(?s), 'https://w3id.org/kg-news/id/actor/') && "
                  "STRSTARTS(STR(?o), 'https://w3id.org/kg-news/id/actor/') && STRSTARTS(STR(?p), STR(<" + KG + ">))) "
                  "} } ORDER BY ?s ?p ?o"),
    "evidence_count": f"SELECT ?rel (COUNT(?e) AS ?n) WHERE {{ ?e a <{KG}Evidence> ; <{KG}relation> ?rel }} "
                      "GROUP BY ?rel ORDER BY ?rel",
    "doc_texts": f"SELECT ?id (STRLEN(?t) AS ?n) WHERE {{ ?d <http://purl.org/dc/terms/identifier> ?id ; <{KG}text> ?t }} "
                 "ORDER BY ?id",
}
TEMPLATES = [
    "Russia backs Syria against the rebels, officials said on day {i}.",
    "Turkey condemned Israel in Ankara on Monday, report {i} said.",
    "Iran supports Hezbollah in Lebanon, according to statement {i}.",
    "President Vladimir Putin met Recep Tayyip Erdogan in Sochi for talks number {i}.",
    "The United States imposed sanctions on Iran after meeting {i}.",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_corpus(folder: Path, n: int) -> None:
    """``n`` small synthetic articles (distinct texts) for the concurrent build."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        lines = [TEMPLATES[(i + k) % len(TEMPLATES)].format(i=i) for k in range(3)]
        (folder / f"load-{i:05d}.txt").write_text(f"Load article {i}\n\n" + "\n\n".join(lines), encoding="utf-8")


def canonical(payload: dict) -> object:
    """A SPARQL JSON result as a comparable value (ASK boolean, or the sorted list of rows)."""
    if "boolean" in payload:
        return payload["boolean"]
    rows = [tuple(sorted((k, v["type"], v["value"]) for k, v in b.items())) for b in payload["results"]["bindings"]]
    return sorted(rows)


def expected_answers(out: Path) -> dict[str, object]:
    """Answers computed from the store itself (no server), serialised as SPARQL JSON like the endpoint does."""
    from kg.graph.results import serialize_result
    from kg.graph.store import Store

    with Store.open(out / "store") as store:
        return {name: canonical(json.loads(serialize_result(store.query(q), "json"))) for name, q in QUERIES.items()}


def start_server(out: Path, port: int, workers: int) -> subprocess.Popen:
    import httpx

    proc = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--out", str(out), "--host", "127.0.0.1",
                             "--port", str(port), "--workers", str(workers), "--timeout", "30"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    url = f"http://127.0.0.1:{port}/sparql"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"kg serve exited: {proc.stderr.read()[-2000:]}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                for _ in range(workers):
                    httpx.get(url, params={"query": "ASK {}"}, timeout=60)
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    proc.kill()
    raise RuntimeError("kg serve did not answer within 90 s")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(15)


def run_load(*, clients: int = 8, queries: int = 200, docs: int = 300, workers: int = 2, seeds: Path | None = None,
             work: Path | None = None, build_timeout: float = 1800) -> dict:
    """Build seeds, serve them, then hammer the endpoint while a second build ingests ``docs`` new articles.

    Returns a dict of figures; ``errors`` and ``wrong`` list what went wrong (empty when the load held).
    """
    import httpx

    own = work is None
    work = Path(work or tempfile.mkdtemp(prefix="kg-load-"))
    out = work / "out"
    seeds = seeds or ROOT / "seeds"
    try:
        t0 = time.perf_counter()
        first = subprocess.run([sys.executable, "-m", "kg", "build", str(seeds), "--out", str(out), "--no-site",
                                "--no-analysis", "--no-progress"], capture_output=True, text=True, cwd=ROOT,
                               timeout=build_timeout)
        if first.returncode != 0:
            raise RuntimeError(f"first build failed ({first.returncode}): {first.stderr[-2000:]}")
        first_seconds = time.perf_counter() - t0
        expected = expected_answers(out)
        write_corpus(work / "more", docs)
        port = free_port()
        server = start_server(out, port, workers)
        url = f"http://127.0.0.1:{port}/sparql"
        latencies: list[float] = []
        errors: list[str] = []
        wrong: list[str] = []
        lock = threading.Lock()
        names = sorted(QUERIES)

        def client(k: int) -> None:
            with httpx.Client(timeout=60, headers={"Accept": "application/sparql-results+json"}) as http:
                for i in range(queries):
                    name = names[(k + i) % len(names)]
                    started = time.perf_counter()
                    try:
                        r = http.post(url, data={"query": QUERIES[name]})
                        elapsed = time.perf_counter() - started
                        if r.status_code != 200:
                            with lock:
                                errors.append(f"client {k} query {i} {name}: HTTP {r.status_code} {r.text[:200]}")
                            continue
                        got = canonical(r.json())
                    except (httpx.HTTPError, ValueError, KeyError) as exc:
                        with lock:
                            errors.append(f"client {k} query {i} {name}: {type(exc).__name__}: {exc}")
                        continue
                    with lock:
                        latencies.append(elapsed)
                        if got != expected[name]:
                            wrong.append(f"client {k} query {i} {name}")

        try:
            build_started = time.perf_counter()
            build = subprocess.Popen([sys.executable, "-m", "kg", "build", str(seeds), str(work / "more"), "--out",
                                      str(out), "--no-site", "--no-analysis", "--no-progress"],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
            load_started = time.perf_counter()
            threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            load_seconds = time.perf_counter() - load_started
            build_running_at_end = build.poll() is None
            try:
                build_out, build_err = build.communicate(timeout=build_timeout)
            except subprocess.TimeoutExpired:
                build.kill()
                build_out, build_err = build.communicate()
                errors.append("the concurrent build did not finish within the timeout")
            build_seconds = time.perf_counter() - build_started
            if build.returncode != 0:
                errors.append(f"concurrent build exited {build.returncode}: {build_err[-1000:]}")
            # the server still answers, from its snapshot
            r = httpx.post(url, data={"query": QUERIES["count_documents"]},
                           headers={"Accept": "application/sparql-results+json"}, timeout=60)
            if r.status_code != 200 or canonical(r.json()) != expected["count_documents"]:
                wrong.append("after the build: snapshot answer changed")
        finally:
            stop(server)
        report = json.loads((out / "build.json").read_text(encoding="utf-8"))
        seed_docs = len(list(Path(seeds).glob("*.txt")))
        if report.get("documents") != seed_docs + docs:
            wrong.append(f"after the build the store holds {report.get('documents')} documents, "
                         f"expected {seed_docs + docs}")
        lat = sorted(latencies)

        def pct(p: float) -> float:
            return round(1000 * lat[min(len(lat) - 1, int(p / 100 * len(lat)))], 1) if lat else float("nan")

        return {
            "clients": clients, "queries_per_client": queries, "requests": clients * queries,
            "answered": len(lat), "errors": errors, "wrong": wrong,
            "latency_ms": {"p50": pct(50), "p90": pct(90), "p95": pct(95), "p99": pct(99),
                           "max": round(1000 * lat[-1], 1) if lat else None,
                           "mean": round(1000 * statistics.fmean(lat), 1) if lat else None},
            "throughput_qps": round(len(lat) / load_seconds, 1) if load_seconds else None,
            "load_seconds": round(load_seconds, 2),
            "concurrent_build": {"documents_added": report.get("added"), "seconds": round(build_seconds, 2),
                                 "still_running_when_load_ended": build_running_at_end,
                                 "exit_code": build.returncode},
            "first_build_seconds": round(first_seconds, 2),
            "server_workers": workers,
            "machine": {"python": platform.python_version(), "platform": platform.platform(),
                        "cpus": __import__("os").cpu_count()},
        }
    finally:
        if own:
            shutil.rmtree(work, ignore_errors=True)


def to_markdown(r: dict) -> str:
    lat = r["latency_ms"]
    b = r["concurrent_build"]
    return "\n".join([
        "## Endpoint under load (bench_load)",
        "",
        f"{r['clients']} concurrent clients x {r['queries_per_client']} SPARQL queries (6 kinds, JSON results) against "
        f"`kg serve` ({r['server_workers']} query workers) on 127.0.0.1, while `kg build` ingested "
        f"{b['documents_added']} new documents into the same OUT folder ({b['seconds']} s; still running when the "
        f"load ended: {b['still_running_when_load_ended']}).",
        "",
        "| requests | answered | errors | wrong answers | p50 ms | p90 ms | p95 ms | p99 ms | max ms | queries/s |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        f"| {r['requests']} | {r['answered']} | {len(r['errors'])} | {len(r['wrong'])} | {lat['p50']} | {lat['p90']} | "
        f"{lat['p95']} | {lat['p99']} | {lat['max']} | {r['throughput_qps']} |",
        "",
        "Answers are compared with the ones computed from the store before the server started: the server answers "
        "from its start-time snapshot, so a concurrent build changes nothing it returns (snapshot isolation); the "
        "new documents are visible to a server started after the build.",
        "",
    ])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--docs", type=int, default=300, help="new articles ingested by the concurrent build")
    ap.add_argument("--workers", type=int, default=2, help="kg serve query worker processes")
    args = ap.parse_args(argv)
    result = run_load(clients=args.clients, queries=args.queries, docs=args.docs, workers=args.workers)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "load.json").write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    (RESULTS / "load.md").write_text(to_markdown(result), encoding="utf-8")
    print(to_markdown(result))
    for line in result["errors"][:10] + result["wrong"][:10]:
        print("  ", line)
    return 1 if result["errors"] or result["wrong"] else 0


if __name__ == "__main__":
    sys.exit(main())
