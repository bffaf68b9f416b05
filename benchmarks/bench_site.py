"""Site benchmark: build time of ``OUT/site/`` and time-to-stable of its index in headless Chromium.

Usage::

    .venv/bin/python benchmarks/bench_site.py                      # synthetic graphs (1k, 5k, 20k actors)
    .venv/bin/python benchmarks/bench_site.py --sizes 1000 --build OUT   # plus a real build (e.g. FA-KES)

Writes ``benchmarks/results/site.json`` and ``site.md``. Chromium: Debian's ``/usr/bin/chromium`` through
Playwright, network blocked (every non-file:// request is aborted and counted).
"""
from __future__ import annotations

import argparse
import json
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.render.data import load_site_data  # noqa: E402
from kg.render.sample import synthetic_data  # noqa: E402
from kg.render.site import write_site  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


def time_to_stable(pages: list[Path], screenshot: Path | None = None) -> list[dict]:
    """Load each page with the network blocked; seconds until kg.js reports the layout stable."""
    from playwright.sync_api import sync_playwright

    out = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for i, page_path in enumerate(pages):
            context = browser.new_context(viewport={"width": 1600, "height": 1000})
            page = context.new_page()
            blocked, errors = [], []
            context.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file://")
                          else (blocked.append(r.request.url), r.abort()))
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            started = time.perf_counter()
            page.goto(page_path.as_uri())
            loaded = time.perf_counter() - started
            page.wait_for_function("() => window.kgStable === true", timeout=300_000)
            stable = time.perf_counter() - started
            times = page.evaluate("() => window.kgTimes")
            counts = page.evaluate("() => [window.kgNetwork.body.data.nodes.length, window.kgNetwork.body.data.edges.length]")
            if screenshot is not None and i == 0:
                page.wait_for_timeout(300)
                screenshot.parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(screenshot))
            out.append({"page": page_path.name, "load_s": round(loaded, 3), "stable_s": round(stable, 3),
                        "script_to_stable_s": round((times["stable"] - times["start"]) / 1000, 3),
                        "nodes_drawn": counts[0], "edges_drawn": counts[1], "blocked_requests": len(blocked),
                        "errors": errors})
            context.close()
        browser.close()
    return out


def bench(name: str, data, folder: Path, node_cap: int, screenshot: Path | None) -> dict:
    site = folder / "site"
    shutil.rmtree(site, ignore_errors=True)
    started = time.perf_counter()
    report = write_site(data, site, node_cap=node_cap)
    build = time.perf_counter() - started
    G = data.G
    hub = max(G.nodes, key=lambda k: G.degree(k)) if G.number_of_nodes() else None
    pages = [site / "index.html"]
    if hub is not None:
        from kg.render.text import actor_slug

        pages.append(site / "actor" / f"{actor_slug(str(hub))}.html")
    browser = time_to_stable(pages, screenshot)
    row = {"name": name, "actors": G.number_of_nodes(), "relations": G.number_of_edges(),
           "documents": len(G.graph.get("documents") or {}),
           "evidence": sum(len(ev or ()) for _, _, ev in G.edges(data="evidence")),
           "build_s": round(build, 2), "pages": report.pages, "site_mb": round(report.bytes / 1e6, 1),
           "index_kb": round(report.index_bytes / 1e3), "largest_page_kb": round(report.largest_page / 1e3),
           "timings": report.timings, "index": browser[0], "hub_actor_page": browser[1] if len(browser) > 1 else None}
    print(json.dumps(row), flush=True)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 5000, 20000], help="synthetic actor counts")
    parser.add_argument("--build", type=Path, action="append", default=[], help="a kg output folder to render")
    parser.add_argument("--node-cap", type=int, default=150)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="kg-bench-site-") as tmp:
        for build in args.build:
            data = load_site_data(build)
            rows.append(bench(f"build:{build.name}", data, Path(tmp) / build.name, args.node_cap,
                              ROOT / "tests" / "artifacts" / f"bench-{build.name}-index.png"))
        for size in args.sizes:
            data = synthetic_data(size, 2 * size, max(size // 10, 10), evidence_per_edge=2)
            rows.append(bench(f"synthetic-{size}", data, Path(tmp) / f"syn{size}", args.node_cap,
                              ROOT / "tests" / "artifacts" / f"bench-synthetic-{size}-index.png"))
    RESULTS.mkdir(parents=True, exist_ok=True)
    meta = {"machine": platform.platform(), "python": platform.python_version(), "node_cap": args.node_cap,
            "chromium": CHROMIUM, "date": time.strftime("%Y-%m-%d")}
    (RESULTS / "site.json").write_text(json.dumps({"meta": meta, "runs": rows}, indent=1) + "\n", encoding="utf-8")
    lines = [
        "# Site benchmark (`benchmarks/bench_site.py`)", "",
        f"{meta['date']}, {meta['machine']}, Python {meta['python']}, index cap {args.node_cap} actors, "
        "headless Debian Chromium with the network blocked.", "",
        "| corpus | actors | relations | evidence | docs | build (s) | pages | site (MB) | index (kB) | largest page (kB) "
        "| index stable (s) | drawn nodes/edges | hub actor page stable (s) | blocked requests |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        hub = r["hub_actor_page"] or {}
        lines.append(f"| {r['name']} | {r['actors']:,} | {r['relations']:,} | {r['evidence']:,} | {r['documents']:,} | "
                     f"{r['build_s']} | {r['pages']:,} | {r['site_mb']} | {r['index_kb']} | {r['largest_page_kb']} | "
                     f"{r['index']['stable_s']} | {r['index']['nodes_drawn']}/{r['index']['edges_drawn']} | "
                     f"{hub.get('stable_s', '-')} | {r['index']['blocked_requests'] + hub.get('blocked_requests', 0)} |")
    lines += ["", "Index stable: from navigation start until physics has stopped (positions precomputed with a seeded "
              "spring layout, at most 150 stabilisation iterations, then physics off)."]
    (RESULTS / "site.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
