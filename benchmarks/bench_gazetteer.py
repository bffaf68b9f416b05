"""The large gazetteer's cost: gazetteer load, model + rulers load, and a 200-article FA-KES build, before and after.

    .venv/bin/python -m benchmarks.bench_gazetteer [--before main] [--docs 200] [--rounds 1]

"Before" is the tree of git revision ``--before`` (default ``main``: the ~700-entry hand gazetteer and spaCy
EntityRulers), exported with ``git archive`` to a temporary folder; "after" is this checkout (the generated Phoenix
gazetteer, ~21,000 entries, the phrase-table matcher and the on-disk caches). Each measurement runs in a fresh
interpreter with that tree first on ``sys.path``, in ABBA order per round (before, after cold, after warm, before), so
that drift in the load of this shared machine hits both sides alike; results are ratios of medians.

* ``gazetteer``: ``load_gazetteer(ontology)`` seconds;
* ``pipeline``: ``load_pipeline(model, gazetteer)`` seconds (spaCy model + kg's components) and peak RSS after it;
* ``build``: ``kg.build.build(first N FA-KES articles, workers=1, no site, no analysis)`` wall seconds (model load
  included) and peak RSS, into an empty folder.

"After cold" runs with an empty cache folder (``KG_CACHE_DIR``: the first run on a machine, or after the gazetteer
changed), "after warm" with the folder the cold run filled (every later run). The target: model load plus the
200-article build within 15% of before (warm).

Writes ``benchmarks/results/gazetteer.json`` and ``gazetteer.md``.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
SHARED = Path(os.environ.get("KG_SHARED", ROOT.parent / "shared"))
FAKES = SHARED / "corpus" / "fakes" / "fakes_articles.jsonl"

_CHILD = r"""
import json, resource, sys, time
t0 = time.perf_counter()
from pathlib import Path
from kg.config import load_settings
from kg.gazetteer import load_gazetteer
from kg.nlp.pipeline import load_pipeline
import kg
what, arg, out = sys.argv[1], sys.argv[2], sys.argv[3]
settings = load_settings()
res = {"kg": kg.__file__}
if what == "load":
    t = time.perf_counter(); gaz = load_gazetteer(settings.ontology); res["gazetteer_s"] = time.perf_counter() - t
    res["entries"] = len(gaz)
    t = time.perf_counter(); load_pipeline(settings.model, gaz); res["pipeline_s"] = time.perf_counter() - t
else:
    from kg.build import build
    t = time.perf_counter()
    build([Path(arg)], out=Path(out), site=False, analysis=False, settings=settings.replace(workers=1))
    res["build_s"] = time.perf_counter() - t
res["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(res))
"""


def _run(tree: Path, what: str, arg: str, cache: str, tmp: Path) -> dict:
    out = tempfile.mkdtemp(dir=tmp)
    env = dict(os.environ, PYTHONPATH=str(tree), KG_CACHE_DIR=cache, KG_ONTOLOGY=str(tree / "ontology"))
    proc = subprocess.run([sys.executable, "-c", _CHILD, what, arg, out], cwd=tree, env=env, capture_output=True,
                          text=True, timeout=3600)
    if proc.returncode != 0:
        raise SystemExit(f"{tree} {what} failed:\n{proc.stderr[-3000:]}")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    if not result["kg"].startswith(str(tree)):
        raise SystemExit(f"expected kg from {tree}, got {result['kg']}")
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--before", default="main", help="git revision measured as 'before' (default: main)")
    ap.add_argument("--docs", type=int, default=200)
    ap.add_argument("--rounds", type=int, default=1)
    a = ap.parse_args(argv)
    if not FAKES.is_file():
        print(f"{FAKES} is absent: this benchmark needs ../shared/corpus/", file=sys.stderr)
        return 0
    RESULTS.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="kg-bench-gaz-") as tmpname:
        tmp = Path(tmpname)
        before = tmp / "before"
        before.mkdir()
        archive = subprocess.run(["git", "archive", a.before], cwd=ROOT, capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(before)], input=archive, check=True)
        corpus = tmp / "fakes.jsonl"
        with FAKES.open(encoding="utf-8") as src, corpus.open("w", encoding="utf-8") as dst:
            for _, line in zip(range(a.docs), src):
                dst.write(line)
        runs: dict[str, list[dict]] = {"before": [], "after_cold": [], "after_warm": []}
        load_avg = os.getloadavg()
        for n in range(a.rounds):
            cold_load, cold_build = str(tmp / f"cache-load-{n}"), str(tmp / f"cache-build-{n}")
            # after cold: empty cache folders (first run, or the gazetteer changed); after warm: the folder the cold
            # build filled (every later run)
            for side, tree, load_cache, build_cache in (("before", before, "off", "off"),
                                                        ("after_cold", ROOT, cold_load, cold_build),
                                                        ("after_warm", ROOT, cold_build, cold_build),
                                                        ("before", before, "off", "off")):
                load = _run(tree, "load", "", load_cache, tmp)
                built = _run(tree, "build", str(corpus), build_cache, tmp)
                runs[side].append({**load, **{k: v for k, v in built.items() if k != "kg"},
                                   "load_rss_mb": load["rss_mb"], "build_rss_mb": built["rss_mb"]})
                print(side, json.dumps(runs[side][-1]), file=sys.stderr)

    def med(side: str, key: str) -> float:
        return round(statistics.median(r[key] for r in runs[side]), 3)

    table = {side: {k: med(side, k) for k in ("entries", "gazetteer_s", "pipeline_s", "load_rss_mb", "build_s",
                                               "build_rss_mb")} for side in runs}
    for side in ("after_cold", "after_warm"):
        table[side]["ratio_pipeline_plus_build"] = round(
            (table[side]["pipeline_s"] + table[side]["build_s"]) / (table["before"]["pipeline_s"] + table["before"]["build_s"]), 3)
        table[side]["ratio_build"] = round(table[side]["build_s"] / table["before"]["build_s"], 3)
        table[side]["ratio_build_rss"] = round(table[side]["build_rss_mb"] / table["before"]["build_rss_mb"], 3)
    result = {"before": a.before, "docs": a.docs, "rounds": a.rounds, "load_average_at_start": load_avg,
              "medians": table, "runs": runs}
    (RESULTS / "gazetteer.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
    lines = ["## Large gazetteer (bench_gazetteer)", "",
             f"Before: git `{a.before}` ({table['before']['entries']:.0f} gazetteer entries); after: this checkout "
             f"({table['after_warm']['entries']:.0f} entries). {a.docs} FA-KES articles, 1 worker, no site, no analysis; "
             f"{a.rounds} round(s) of before / after cold / after warm / before, each run a fresh interpreter; medians. "
             f"Load average at start: {', '.join(f'{x:.1f}' for x in load_avg)}.", "",
             "| side | gazetteer load s | model + rulers s | RSS after load MB | build s | build peak RSS MB | "
             "(load + build) / before | build / before |", "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for side in runs:
        t = table[side]
        lines.append(f"| {side.replace('_', ' ')} | {t['gazetteer_s']:.2f} | {t['pipeline_s']:.2f} | {t['load_rss_mb']:.0f} "
                     f"| {t['build_s']:.1f} | {t['build_rss_mb']:.0f} | {t.get('ratio_pipeline_plus_build', 1.0):.3f} "
                     f"| {t.get('ratio_build', 1.0):.3f} |")
    lines += ["", "Target: (model load + build) after warm / before <= 1.15. \"After cold\" empties the cache folder "
              "before the load and again before the build (both parse the YAML and build the phrase tables).", ""]
    (RESULTS / "gazetteer.md").write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
