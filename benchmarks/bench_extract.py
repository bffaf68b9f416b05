"""Extraction benchmarks: throughput against bare spaCy, workers, memory, incremental builds, Dask.

    .venv/bin/python -m benchmarks.bench_extract [--sample 150 | --full] [--only throughput,parallel,...]

Every comparison runs side by side in one run, each measurement in a fresh subprocess, in ABBA order (A, B, B,
A, ...) so that drift in the load of this shared machine hits both sides alike; results are ratios.

* ``throughput``: ``kg.build.build`` end to end (ingest -> RDF in the store, no site, no analysis; model load
  included) against bare ``nlp.pipe`` over the very texts kg parses, with the pinned model as it comes (kg's
  gazetteer rulers and paragraph component count on kg's side; load not timed), same batch size. Ratio = bare seconds / kg seconds (kg's throughput as a fraction of spaCy's).
* ``parallel``: ``build(workers=1)`` against ``build(workers=2)``; speed-up and canonical hashes.
* ``memory``: peak RSS of ``build`` (1 worker) over the sample and over 4x the sample (the sample, then 3 more
  passes of renamed copies, each with a one-line note appended so that no copy is a duplicate); for context also
  over a distinct sample 4 times as large (whose longest articles are longer: the peak follows the biggest parser
  batch, which is set by ``batch_size`` and the longest documents).
* ``incremental``: a store of ``--base`` documents (real articles, synthetic extraction results written with
  ``Store.replace_document``, so that building it does not take an hour), then ``build(base + 10 new)`` into a copy
  of it against ``build(10 new)`` into an empty folder.
* ``dask``: ``build(dask="local")`` against ``build(workers=1)``: graph identity and time.

Writes ``benchmarks/results/extract.json`` and ``extract.md``.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
SHARED = Path(os.environ.get("KG_SHARED", ROOT.parent / "shared"))
CORPORA = (SHARED / "corpus" / "fakes" / "fakes_articles.jsonl", SHARED / "corpus" / "bbc" / "bbc_news.jsonl")
ALL = ("throughput", "parallel", "memory", "incremental", "dask")


# ------------------------------------------------------------------------------------------------ children
def _maxrss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def child_bare(path: str) -> dict:
    """Bare spaCy: the pinned model as it comes (none of kg's components), ``nlp.pipe`` over the texts, nothing else.

    kg's own components (the gazetteer rulers, paragraph breaks) count as kg's cost, on the kg side.
    """
    import spacy

    from kg.config import load_settings
    from kg.ingest import iter_articles
    from kg.model import Article

    settings = load_settings()
    t0 = time.perf_counter()
    nlp = spacy.load(settings.model)
    load_s = time.perf_counter() - t0
    texts = [a.text for a in iter_articles([path]) if isinstance(a, Article)]
    nlp.max_length = max(nlp.max_length, settings.max_doc_chars + 1)
    t0 = time.perf_counter()
    tokens = 0
    with nlp.memory_zone():
        for doc in nlp.pipe(texts, batch_size=settings.batch_size):
            tokens += len(doc)
    seconds = time.perf_counter() - t0
    return {"seconds": seconds, "load_seconds": load_s, "docs": len(texts), "tokens": tokens,
            "pipe_names": nlp.pipe_names, "batch_size": settings.batch_size, "maxrss_mb": _maxrss_mb()}


def child_kg(paths: str, out: str, workers: str = "1", dask: str = "") -> dict:
    """``kg.build.build`` end to end (model load included), then the store's canonical hash (not timed)."""
    from kg.build import build
    from kg.config import load_settings
    from kg.graph.store import Store

    import kg.nlp.extract  # noqa: F401 - imports (spaCy's ~2 s) are not a per-run cost of kg; the model load is
    import kg.resolve  # noqa: F401

    settings = load_settings(out=out, workers=int(workers))
    t0 = time.perf_counter()
    summary = build(paths.split(","), settings=settings, site=False, analysis=False, dask=dask or None)
    seconds = time.perf_counter() - t0
    rss = _maxrss_mb()
    with Store.open(Path(out) / "store", read_only=True) as store:
        digest = store.canonical_hash()
        quads = len(store.raw)
    return {"seconds": seconds, "maxrss_mb": rss, "hash": digest, "quads": quads, "added": summary.added,
            "unchanged": summary.unchanged, "documents": summary.documents, "relations": summary.relations,
            "timings": summary.timings}


def child_seed_store(path: str, out: str) -> dict:
    """A store of the articles in ``path`` with synthetic extraction results, as a previous build left it."""
    from dataclasses import replace

    from benchmarks.bench_store import make_docs
    from kg.build import EXTRACTOR_VERSION, extractor_fingerprint
    from kg.fileio import write_text_atomic
    from kg.config import load_settings
    from kg.gazetteer import load_gazetteer
    from kg.graph.store import Store
    from kg.ingest import iter_articles
    from kg.model import Article

    settings = load_settings(out=out)
    arts = [a for a in iter_articles([path]) if isinstance(a, Article)]
    t0 = time.perf_counter()
    with Store.open(Path(out) / "store", create=True) as store:
        store.write_background(load_gazetteer(settings.ontology, settings.gazetteer), settings.ontology)
        for art, doc in zip(arts, make_docs(len(arts), pool=5_000)):
            store.replace_document(replace(doc, article=art), extractor_version=EXTRACTOR_VERSION)
        quads = len(store.raw)
    write_text_atomic(Path(out) / "extractor.json",
                  json.dumps({"fingerprint": extractor_fingerprint(settings), "extractor": EXTRACTOR_VERSION}))
    return {"documents": len(arts), "quads": quads, "seconds": time.perf_counter() - t0}


CHILDREN = {"bare": child_bare, "kg": child_kg, "seed_store": child_seed_store}


#: where the children import kg from: a snapshot of the checkout taken at the start (see :func:`snapshot_code`)
CODE = {"root": ROOT}


def snapshot_code(work: Path) -> Path:
    """Copy ``kg/``, ``ontology/`` and ``benchmarks/`` into ``work``: every run of one benchmark session uses the same
    code, even while the checkout is being edited (a comparison of graph hashes needs that)."""
    snap = work / "code"
    for name in ("kg", "ontology", "benchmarks"):
        shutil.copytree(ROOT / name, snap / name, ignore=shutil.ignore_patterns("__pycache__", "results", "site"))
    CODE["root"] = snap
    return snap


def run_child(kind: str, *args: str) -> dict:
    """Run one measurement in a fresh interpreter; its last stdout line is the JSON result."""
    root = CODE["root"]
    # one hash seed for the build and its worker processes: the EntityRuler's pattern order follows set order
    # (kg/nlp/pipeline.py), so processes with different seeds can tag a few tied spans differently
    env = dict(os.environ, PYTHONPATH=str(root), CI="1", KG_ONTOLOGY=str(root / "ontology"), PYTHONHASHSEED="0")
    proc = subprocess.run([sys.executable, "-m", "benchmarks.bench_extract", "_child", kind, *args], cwd=root,
                          env=env, capture_output=True, text=True)
    if proc.returncode:
        raise RuntimeError(f"{kind} {args} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# ------------------------------------------------------------------------------------------------ corpora
def _lines(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def write_sample(target: Path, n: int | None) -> dict:
    """``n`` articles spread evenly over both corpora (all of them when ``n`` is None) as one JSONL file."""
    fakes, bbc = (_lines(p) for p in CORPORA)
    if n is not None:
        nf = round(n * len(fakes) / (len(fakes) + len(bbc)))
        fakes = fakes[:: max(1, len(fakes) // max(1, nf))][:nf]
        bbc = bbc[:: max(1, len(bbc) // max(1, n - nf))][: n - nf]
    lines = fakes + bbc
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    words = sum(len(json.loads(line).get("text", "").split()) for line in lines)
    return {"articles": len(lines), "words": words, "fakes": len(fakes), "bbc": len(bbc)}


def write_copies(source: Path, target: Path, copies: int) -> None:
    """``source`` read ``copies`` times in a row: the articles, then renamed copies whose text differs by one
    appended line (not duplicates), pass after pass.

    Each pass looks like the sample (the same mix of lengths in every parser batch), so what the 4x build holds
    beyond the 1x build is what accumulates with the corpus. Copies next to each other would put four copies of
    the longest article in one batch: a bigger transient peak, but not growth.
    """
    records = [json.loads(line) for line in _lines(source)]
    out = [json.dumps(rec) for rec in records]
    for k in range(1, copies):
        out += [json.dumps(dict(rec, id=f"{rec['id']}-copy{k}", text=f"{rec['text']}\n\nCopy {k}.")) for rec in records]
    target.write_text("\n".join(out) + "\n", encoding="utf-8")


# ------------------------------------------------------------------------------------------------ benches
def _abba(rounds: int, a, b) -> tuple[list[dict], list[dict]]:
    ra, rb = [], []
    for i in range(rounds):
        first, second = (a, b) if i % 2 == 0 else (b, a)
        r1 = first()
        r2 = second()
        (ra, rb)[first is b].append(r1)
        (ra, rb)[second is b].append(r2)
    return ra, rb


def bench_throughput(work: Path, sample: Path, rounds: int) -> dict:
    n = iter(range(1000))
    bare, kg = _abba(rounds, lambda: run_child("bare", str(sample)),
                     lambda: run_child("kg", str(sample), str(work / f"tp{next(n)}"), "1"))
    b, k = sum(r["seconds"] for r in bare), sum(r["seconds"] for r in kg)
    stages = {key: round(sum(r["timings"].get(key, 0) for r in kg) / len(kg), 2) for key in kg[0]["timings"]}
    return {"bare_seconds": [round(r["seconds"], 2) for r in bare], "kg_seconds": [round(r["seconds"], 2) for r in kg],
            "bare_load_seconds": round(bare[0]["load_seconds"], 2), "kg_stage_seconds_mean": stages,
            "tokens": bare[0]["tokens"], "pipe_names": bare[0]["pipe_names"], "batch_size": bare[0]["batch_size"],
            "bare_tokens_per_s": round(bare[0]["tokens"] * len(bare) / b),
            "kg_tokens_per_s": round(bare[0]["tokens"] * len(kg) / k),
            "ratio_kg_vs_bare": round(b / k, 3),
            "ratio_kg_vs_bare_load_excluded": round(b / (k - len(kg) * bare[0]["load_seconds"]), 3),
            "target": ">= 0.75"}


def bench_parallel(work: Path, sample: Path, rounds: int) -> dict:
    n = iter(range(1000))
    one, two = _abba(rounds, lambda: run_child("kg", str(sample), str(work / f"w1-{next(n)}"), "1"),
                     lambda: run_child("kg", str(sample), str(work / f"w2-{next(n)}"), "2"))
    s1, s2 = sum(r["seconds"] for r in one), sum(r["seconds"] for r in two)
    hashes = {r["hash"] for r in one + two}
    return {"workers1_seconds": [round(r["seconds"], 2) for r in one],
            "workers2_seconds": [round(r["seconds"], 2) for r in two],
            "speedup_2_over_1": round(s1 / s2, 3), "identical_graph": len(hashes) == 1, "hash": sorted(hashes)[0],
            "target": ">= 1.7"}


def bench_memory(work: Path, sample: Path, n: int) -> dict:
    four = work / "x4.jsonl"
    write_copies(sample, four, 4)
    distinct = work / "distinct4.jsonl"
    info = write_sample(distinct, 4 * n)
    x1, x4 = _abba(1, lambda: run_child("kg", str(sample), str(work / f"m1-{time.time_ns()}"), "1"),
                   lambda: run_child("kg", str(four), str(work / f"m4-{time.time_ns()}"), "1"))
    d4 = run_child("kg", str(distinct), str(work / f"md-{time.time_ns()}"), "1")
    p1, p4 = max(r["maxrss_mb"] for r in x1), max(r["maxrss_mb"] for r in x4)
    return {"x1_peak_rss_mb": [r["maxrss_mb"] for r in x1], "x4_peak_rss_mb": [r["maxrss_mb"] for r in x4],
            "x1_documents": x1[0]["documents"], "x4_documents": x4[0]["documents"],
            "x1_quads": x1[0]["quads"], "x4_quads": x4[0]["quads"],
            "ratio_4x_over_1x": round(p4 / p1, 3), "target": "<= 1.15",
            "distinct4_articles": info["articles"], "distinct4_documents": d4["documents"],
            "distinct4_peak_rss_mb": d4["maxrss_mb"], "ratio_distinct4_over_1x": round(d4["maxrss_mb"] / p1, 3),
            "distinct4_longest_chars": max(len(json.loads(line)["text"]) for line in _lines(distinct)),
            "x1_longest_chars": max(len(json.loads(line)["text"]) for line in _lines(sample))}


def bench_incremental(work: Path, base_n: int, rounds: int) -> dict:
    everything = work / "all.jsonl"
    write_sample(everything, None)
    lines = _lines(everything)
    base_n = min(base_n, len(lines) - 10)
    base, new = work / "base.jsonl", work / "new10.jsonl"
    base.write_text("\n".join(lines[:base_n]) + "\n", encoding="utf-8")
    texts = {json.loads(line)["text"].strip() for line in lines[:base_n]}
    fresh = [line for line in lines[base_n:] if json.loads(line)["text"].strip() not in texts]
    new.write_text("\n".join(fresh[:10]) + "\n", encoding="utf-8")  # 10 articles that are not duplicates
    seed = run_child("seed_store", str(base), str(work / "base"))
    n = iter(range(1000))

    def incremental():
        out = work / f"inc{next(n)}"
        shutil.copytree(work / "base", out)
        return run_child("kg", f"{base},{new}", str(out), "1")

    alone, added = _abba(rounds, lambda: run_child("kg", str(new), str(work / f"alone{next(n)}"), "1"), incremental)
    a, b = sum(r["seconds"] for r in alone), sum(r["seconds"] for r in added)
    # the corpora hold a few duplicate texts: they are skipped, on both sides alike
    assert all(r["added"] == alone[0]["added"] == 10 and r["unchanged"] == seed["documents"] for r in added), added
    return {"base_documents": seed["documents"], "base_quads": seed["quads"], "added": alone[0]["added"],
            "alone_seconds": [round(r["seconds"], 2) for r in alone],
            "into_base_seconds": [round(r["seconds"], 2) for r in added],
            "into_base_stage_seconds": added[-1]["timings"], "alone_stage_seconds": alone[-1]["timings"],
            "ratio_into_base_over_alone": round(b / a, 3), "target": "<= 2"}


def bench_dask(work: Path, sample: Path) -> dict:
    single = run_child("kg", str(sample), str(work / "d1"), "1")
    dask = run_child("kg", str(sample), str(work / "dl"), "1", "local")
    return {"single_seconds": round(single["seconds"], 2), "dask_local_seconds": round(dask["seconds"], 2),
            "speedup": round(single["seconds"] / dask["seconds"], 3), "identical_graph": single["hash"] == dask["hash"]}


# ------------------------------------------------------------------------------------------------ report
def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        mem = f"{int(Path('/proc/meminfo').read_text().split()[1]) / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return {"cpus": os.cpu_count(), "cpu": cpu, "memory": mem, "python": platform.python_version(),
            "platform": platform.platform(), "load_average_at_start": os.getloadavg()}


def summary_md(res: dict) -> str:
    m = res["machine"]
    lines = ["# Extraction benchmarks (`benchmarks/bench_extract.py`)", "",
             f"Machine: {m['cpus']} CPUs ({m['cpu']}), {m['memory']} RAM, Python {m['python']}; load average at start "
             f"{', '.join(f'{x:.1f}' for x in m['load_average_at_start'])} (shared: compare the ratios, each measured "
             f"side by side in ABBA order, not the absolute times).", "",
             f"Sample: {res['sample']['articles']} articles ({res['sample']['fakes']} fakes + {res['sample']['bbc']} "
             f"BBC), {res['sample']['words']:,} words.", "", "| benchmark | measured | target | met |", "|---|---|---|---|"]

    def row(name, value, target, ok):
        lines.append(f"| {name} | {value} | {target} | {'yes' if ok else '**no**'} |")

    def best(a: list, b: list) -> float:
        return round(min(a) / min(b), 3)

    if "throughput" in res:
        t = res["throughput"]
        tb = best(t["bare_seconds"], t["kg_seconds"])
        row("throughput: kg build / bare nlp.pipe", f"{t['ratio_kg_vs_bare']} (best run each: {tb}; model load "
            f"excluded: {t['ratio_kg_vs_bare_load_excluded']})", t["target"], min(t["ratio_kg_vs_bare"], tb) >= 0.75)
    if "parallel" in res:
        p = res["parallel"]
        pb = best(p["workers1_seconds"], p["workers2_seconds"])
        row("parallel: speed-up 2 workers / 1", f"{p['speedup_2_over_1']} (best run each: {pb}; identical graph: "
            f"{p['identical_graph']})", p["target"], min(p["speedup_2_over_1"], pb) >= 1.7 and p["identical_graph"])
    if "memory" in res:
        mm = res["memory"]
        row("memory: peak RSS 4x / 1x (the sample 4 times)", f"{mm['ratio_4x_over_1x']} ({max(mm['x4_peak_rss_mb'])} / "
            f"{max(mm['x1_peak_rss_mb'])} MB)", mm["target"], mm["ratio_4x_over_1x"] <= 1.15)
        if "ratio_distinct4_over_1x" in mm:
            row(f"memory: peak RSS of {mm['distinct4_articles']} other articles / 1x (longest article "
                f"{mm['distinct4_longest_chars']:,} vs {mm['x1_longest_chars']:,} characters)",
                f"{mm['ratio_distinct4_over_1x']} ({mm['distinct4_peak_rss_mb']} / {max(mm['x1_peak_rss_mb'])} MB)",
                "(context)", True)
    if "incremental" in res:
        i = res["incremental"]
        ib = best(i["into_base_seconds"], i["alone_seconds"])
        row(f"incremental: 10 into {i['base_documents']} / 10 alone", f"{i['ratio_into_base_over_alone']} (best run "
            f"each: {ib})", i["target"], max(i["ratio_into_base_over_alone"], ib) <= 2)
    if "dask" in res:
        d = res["dask"]
        row("dask local: identical graph", f"{d['identical_graph']} (speed-up over 1 process {d['speedup']})",
            "identical", d["identical_graph"])
    lines += ["", "Ratios are of summed seconds over the ABBA runs; 'best run each' compares the fastest run of each side "
              "(the least disturbed by other jobs). A target counts as met when both agree. Details (seconds per run, "
              "stages, RSS) in `extract.json`.", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sample", type=int, default=150, help="articles in the sample (spread over both corpora)")
    ap.add_argument("--full", action="store_true", help="use every article of both corpora (hours on 2 cores)")
    ap.add_argument("--rounds", type=int, default=2, help="ABBA rounds per comparison")
    ap.add_argument("--base", type=int, default=2000, help="documents in the store for the incremental benchmark")
    ap.add_argument("--only", default=",".join(ALL), help=f"comma-separated subset of {','.join(ALL)}")
    ap.add_argument("--results", type=Path, default=RESULTS)
    a = ap.parse_args(argv)
    missing = [str(p) for p in CORPORA if not p.is_file()]
    if missing:
        print(f"skipped: the corpora are absent ({', '.join(missing)}); set KG_SHARED", file=sys.stderr)
        return {}
    only = [x.strip() for x in a.only.split(",") if x.strip()]
    work = Path(tempfile.mkdtemp(prefix="kg-bench-extract-"))
    res: dict = {"machine": machine(), "started": time.strftime("%Y-%m-%d %H:%M:%S")}
    try:
        snapshot_code(work)
        sample = work / "sample.jsonl"
        res["sample"] = write_sample(sample, None if a.full else a.sample)
        for name in only:
            t0 = time.perf_counter()
            if name == "throughput":
                res[name] = bench_throughput(work, sample, a.rounds)
            elif name == "parallel":
                res[name] = bench_parallel(work, sample, a.rounds)
            elif name == "memory":
                res[name] = bench_memory(work, sample, res['sample']['articles'])
            elif name == "incremental":
                res[name] = bench_incremental(work, a.base, a.rounds + 1)
            elif name == "dask":
                res[name] = bench_dask(work, sample)
            else:
                raise SystemExit(f"unknown benchmark {name!r}; expected one of {', '.join(ALL)}")
            res[name]["bench_seconds"] = round(time.perf_counter() - t0, 1)
            print(f"{name}: {json.dumps(res[name])}", file=sys.stderr, flush=True)
            _write(a.results, res)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    _write(a.results, res)
    return res


def _write(results: Path, res: dict) -> None:
    """Write the results; benchmarks of an earlier run that this run did not repeat are kept (``--only``)."""
    results.mkdir(parents=True, exist_ok=True)
    old = results / "extract.json"
    if old.is_file():
        try:
            kept = {k: v for k, v in json.loads(old.read_text()).items() if k in ALL and k not in res}
        except ValueError:
            kept = {}
        for k, v in kept.items():
            v.setdefault("from_run", "earlier run")
        res = {**res, **kept}
    (results / "extract.json").write_text(json.dumps(res, indent=1))
    (results / "extract.md").write_text(summary_md(res))


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "_child":
        print(json.dumps(CHILDREN[sys.argv[2]](*sys.argv[3:])))
    else:
        main()
