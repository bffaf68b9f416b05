"""Run every benchmark, on demand (never in ``make test``): ``python -m benchmarks`` or ``make bench``.

    .venv/bin/python -m benchmarks [--quick] [--only extract,store,...] [--full]

Each ``benchmarks/bench_*.py`` runs in its own process (one after the other: the machine has 2 cores) and writes
``benchmarks/results/<name>.json`` and ``<name>.md``; this script then writes ``benchmarks/results/SUMMARY.md``,
the machine it ran on followed by every ``<name>.md``. ``--quick`` passes small sizes to each benchmark (a smoke
run in minutes); the defaults are the sizes the README reports.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results"

#: extra arguments per benchmark for --quick (benchmarks not listed run with their defaults)
QUICK = {
    "extract": ["--sample", "24", "--rounds", "1", "--base", "100"],
    "store": ["--quads", "100000", "--repeat", "2"],
    "analyse": ["--actors", "5000", "--relations", "30000"],
    "site": ["--sizes", "1000"],
}
ORDER = ("extract", "store", "load", "analyse", "site")


def benches() -> list[str]:
    """Names of the ``bench_*.py`` files present, in the order they run."""
    found = sorted(p.stem[len("bench_"):] for p in HERE.glob("bench_*.py"))
    return sorted(found, key=lambda n: (ORDER.index(n) if n in ORDER else len(ORDER), n))


def machine_lines() -> list[str]:
    from benchmarks.bench_extract import machine

    m = machine()
    return [f"Machine: {m['cpus']} CPUs ({m['cpu']}), {m['memory']} RAM, Python {m['python']}, {m['platform']}.",
            f"Load average when the run started: {', '.join(f'{x:.1f}' for x in m['load_average_at_start'])} "
            f"(the machine is shared: every comparison is measured side by side in one run and reported as a ratio)."]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small sizes: a smoke run")
    ap.add_argument("--full", action="store_true", help="extraction benchmarks on the whole corpora (hours)")
    ap.add_argument("--only", default="", help=f"comma-separated subset of {','.join(benches())}")
    ap.add_argument("--summary-only", action="store_true", help="only rewrite SUMMARY.md from the results present")
    a = ap.parse_args(argv)
    names = [n.strip() for n in a.only.split(",") if n.strip()] or benches()
    unknown = sorted(set(names) - set(benches()))
    if unknown:
        print(f"unknown benchmark(s) {', '.join(unknown)}; expected some of {', '.join(benches())}", file=sys.stderr)
        return 2
    head = ["# Benchmarks", "", *machine_lines(), "", f"Summary written {time.strftime('%Y-%m-%d %H:%M')}"
            f"{' (--quick: smoke sizes)' if a.quick else ''}.", ""]
    status: dict[str, str] = {}
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    for name in [] if a.summary_only else names:
        args = list(QUICK.get(name, [])) if a.quick else []
        if name == "extract" and a.full:
            args.append("--full")
        print(f"== {name} {' '.join(args)}", file=sys.stderr, flush=True)
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, str(HERE / f"bench_{name}.py"), *args], cwd=ROOT, env=env)
        took = time.perf_counter() - t0
        status[name] = f"{'ok' if proc.returncode == 0 else f'failed (exit {proc.returncode})'}, {took:.0f} s"
    lines = head + (["| benchmark | run |", "|---|---|"] + [f"| {n} | {s} |" for n, s in status.items()] + [""]
                    if status else [])
    for name in benches():
        md = RESULTS / f"{name}.md"
        if md.is_file():
            text = md.read_text(encoding="utf-8").strip()
            lines += [_demote(text), ""]
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "SUMMARY.md").write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {RESULTS / 'SUMMARY.md'}", file=sys.stderr)
    return 0 if all(s.startswith("ok") for s in status.values()) else 1


def _demote(markdown: str) -> str:
    """Headings one level down, so each benchmark's page becomes a section of SUMMARY.md."""
    return "\n".join("#" + line if line.startswith("#") else line for line in markdown.splitlines())


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
