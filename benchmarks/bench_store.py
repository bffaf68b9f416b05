"""Store benchmark: load rate and named-query latency through kg vs raw pyoxigraph, same data, same run.

    .venv/bin/python benchmarks/bench_store.py [--quads 1000000]

Synthetic corpus: documents with 8 actors from a pool of 50k (Zipf-like, so a few hubs), 4 relations each with
evidence, built as kg DocResults. "kg" loads them with ``Store.replace_document`` (one atomic update per document,
manifest kept); "raw" loads the very same quads with ``pyoxigraph.Store.extend`` per document (also one
transaction per document), then with ``bulk_extend`` (no atomicity). Queries: named queries run through
``Store.query`` (screening + in-process) and through the worker with a deadline, against ``raw.query`` with the same
text. Writes ``benchmarks/results/store.json`` and ``store.md``.
"""
from __future__ import annotations

import argparse
import json
import platform
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.graph.named import bind, get_named_query  # noqa: E402
from kg.graph.rdf import actor_quads, document_quads  # noqa: E402
from kg.graph.store import Store  # noqa: E402
from kg.model import Actor, Article, DocResult, Evidence, Mention, Relation  # noqa: E402
from kg.vocab import CORE_RELATIONS  # noqa: E402

EXTRACTOR = "kg bench"


def make_docs(n_docs: int, seed: int = 42, pool: int = 50_000) -> list[DocResult]:
    rng = random.Random(seed)
    keys = [f"A{i}" for i in range(pool)]
    weights = [1 / (i + 1) ** 0.8 for i in range(pool)]
    docs = []
    for d in range(n_docs):
        chosen = sorted(set(rng.choices(keys, weights, k=8)))
        actors = {k: Actor(k, f"Actor {k}", rng.choice(["State", "Person", "Organization"]),
                           names=frozenset({f"Actor {k}", k.lower()})) for k in chosen}
        text = " ".join(f"Actor {k} met." for k in chosen) * 3
        mentions = tuple(Mention(k, f"Actor {k}", i * 12, i * 12 + 6 + len(k), i) for i, k in enumerate(chosen))
        rels = []
        for j in range(4):
            s, o = rng.sample(chosen, 2)
            rels.append(Relation(s, rng.choice(CORE_RELATIONS), o, Evidence(
                f"Actor {s} and Actor {o} sentence {j}.", j * 40, j * 40, j * 40 + 30, confidence=rng.random(),
                modality=rng.choice(["asserted", "asserted", "reported", "negated"]))))
        date = f"20{10 + d % 10}-{1 + d % 12:02d}-{1 + d % 28:02d}"
        docs.append(DocResult(Article(f"doc{d}.txt", text, f"h{d}", title=f"Doc {d}", date=date, source="bench"),
                              actors=actors, mentions=mentions, relations=tuple(rels)))
    return docs


def timed(fn, repeat: int) -> float:
    """Median seconds of ``repeat`` calls (after one warm-up)."""
    fn()
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t0)
    return statistics.median(runs)


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quads", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--results", type=Path, default=ROOT / "benchmarks" / "results")
    a = ap.parse_args(argv)

    probe = make_docs(50)
    # document graphs alone reach the target; actor quads (merged across documents) come on top
    per_doc = statistics.mean(len(document_quads(d, extractor_version=EXTRACTOR)) for d in probe)
    n_docs = int(a.quads / per_doc) + 1
    t0 = time.perf_counter()
    docs = make_docs(n_docs)
    gen_s = time.perf_counter() - t0
    work = Path(tempfile.mkdtemp(prefix="kg-bench-"))
    res: dict = {"documents": n_docs, "machine": f"{platform.machine()}, {platform.python_version()}",
                 "generate_seconds": round(gen_s, 2)}
    try:
        # ---- kg load
        t0 = time.perf_counter()
        with Store.open(work / "kg" / "store", create=True) as store:
            for d in docs:
                store.replace_document(d, extractor_version=EXTRACTOR)
        kg_s = time.perf_counter() - t0
        # ---- raw loads of the same quads (quad building timed separately, it is kg's work too)
        t0 = time.perf_counter()
        per_doc_quads = [document_quads(d, extractor_version=EXTRACTOR) +
                         [q for q in actor_quads(d.actors)] for d in docs]
        build_s = time.perf_counter() - t0
        raw = ox.Store(str(work / "raw"))
        t0 = time.perf_counter()
        for quads in per_doc_quads:
            raw.extend(quads)
        raw.flush()
        raw_s = time.perf_counter() - t0
        bulk = ox.Store(str(work / "bulk"))
        t0 = time.perf_counter()
        bulk.bulk_extend(q for quads in per_doc_quads for q in quads)
        bulk.flush()
        bulk_s = time.perf_counter() - t0
        del bulk
        quads_total = len(raw)
        res["quads"] = quads_total
        res["load"] = {
            "kg_replace_document_quads_per_s": round(quads_total / kg_s),
            "raw_extend_per_doc_quads_per_s": round(quads_total / raw_s),
            "raw_extend_plus_quad_building_quads_per_s": round(quads_total / (raw_s + build_s)),
            "raw_bulk_extend_quads_per_s": round(quads_total / bulk_s),
            "kg_seconds": round(kg_s, 2), "raw_seconds": round(raw_s, 2), "quad_building_seconds": round(build_s, 2),
            "bulk_seconds": round(bulk_s, 2),
            "ratio_kg_vs_raw_extend_plus_building": round(kg_s / (raw_s + build_s), 2),
            "ratio_kg_vs_raw_extend": round(kg_s / raw_s, 2),
        }
        # ---- queries
        with Store.open(work / "kg" / "store") as store:
            assert len(store.raw) == quads_total, (len(store.raw), quads_total)
            queries = {
                "actor_relations (hub A0)": bind(get_named_query("actor_relations"), {"actor": "A0"}),
                "actor_relations (typical A2000)": bind(get_named_query("actor_relations"), {"actor": "A2000"}),
                "edge_evidence": bind(get_named_query("edge_evidence"),
                                      {"subject": docs[0].relations[0].subject,
                                       "relation": docs[0].relations[0].predicate,
                                       "object": docs[0].relations[0].object}),
                "documents_two_actors (A0, A1)": bind(get_named_query("documents_two_actors"), {"a": "A0", "b": "A1"}),
                "top_actors": bind(get_named_query("top_actors"), {}),
                "count by relation": "PREFIX kg: <https://w3id.org/kg-news/ontology#> SELECT ?r (COUNT(*) AS ?n) "
                                     "{ ?e kg:relation ?r } GROUP BY ?r",
            }
            rows = {}
            from kg.graph.query import _screen

            for name, text in queries.items():
                _screen.cache_clear()
                t0 = time.perf_counter()
                store.query(text, row_cap=10_000)
                cold = time.perf_counter() - t0
                kg_q = timed(lambda: store.query(text, row_cap=10_000), a.repeat)
                raw_q = timed(lambda: list(raw.query(text, use_default_graph_as_union=True)), a.repeat)
                worker = timed(lambda: store.query(text, timeout=60, row_cap=10_000), max(2, a.repeat // 2))
                rows[name] = {"kg_first_call_ms": round(cold * 1000, 2), "kg_ms": round(kg_q * 1000, 2), "raw_ms": round(raw_q * 1000, 2),
                              "ratio": round(kg_q / raw_q, 2) if raw_q else None,
                              "kg_worker_ms": round(worker * 1000, 1),
                              "rows": len(store.query(text, row_cap=10_000))}
            res["queries"] = rows
            t0 = time.perf_counter()
            store.canonical_hash()
            res["canonical_hash_seconds"] = round(time.perf_counter() - t0, 2)
            t0 = time.perf_counter()
            Store.open  # noqa: B018 - reopen cost measured below
        t0 = time.perf_counter()
        with Store.open(work / "kg" / "store"):
            pass
        res["open_with_manifest_check_seconds"] = round(time.perf_counter() - t0, 2)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    a.results.mkdir(parents=True, exist_ok=True)
    (a.results / "store.json").write_text(json.dumps(res, indent=1))
    lines = [
        "# Store benchmark (`benchmarks/bench_store.py`)", "",
        f"{res['quads']:,} quads in {res['documents']:,} synthetic documents; {res['machine']}; "
        "2 shared cores, compare ratios not absolute times.", "",
        "## Load", "", "| | quads/s | seconds |", "|---|---|---|",
        f"| kg `Store.replace_document` (one atomic update per doc, manifest) | "
        f"{res['load']['kg_replace_document_quads_per_s']:,} | {res['load']['kg_seconds']} |",
        f"| raw `Store.extend` per doc (same quads, prebuilt) | {res['load']['raw_extend_per_doc_quads_per_s']:,} | "
        f"{res['load']['raw_seconds']} |",
        f"| raw per doc + building the quads | {res['load']['raw_extend_plus_quad_building_quads_per_s']:,} | "
        f"{round(res['load']['raw_seconds'] + res['load']['quad_building_seconds'], 2)} |",
        f"| raw `bulk_extend` (no atomicity) | {res['load']['raw_bulk_extend_quads_per_s']:,} | "
        f"{res['load']['bulk_seconds']} |", "",
        f"kg / (raw + quad building) = **{res['load']['ratio_kg_vs_raw_extend_plus_building']}x**; "
        f"kg / raw extend alone = {res['load']['ratio_kg_vs_raw_extend']}x.", "",
        "## Named-query latency (median)", "",
        "| query | rows | kg first call ms (screening parse) | kg in-process ms | raw pyoxigraph ms | ratio | "
        "kg one-shot worker with deadline ms |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, r in res["queries"].items():
        lines.append(f"| {name} | {r['rows']} | {r['kg_first_call_ms']} | {r['kg_ms']} | {r['raw_ms']} | {r['ratio']} | {r['kg_worker_ms']} |")
    lines += ["", "Screening parses each distinct query once with rdflib (cached per text); the one-shot worker "
                  "column is `kg query` (a fresh process per query; `kg serve` keeps a warm pool).", "",
              f"Canonical hash of the whole store: {res['canonical_hash_seconds']} s; "
                  f"open with manifest check: {res['open_with_manifest_check_seconds']} s.", ""]
    (a.results / "store.md").write_text("\n".join(lines))
    print("\n".join(lines))
    return res


if __name__ == "__main__":
    main()
