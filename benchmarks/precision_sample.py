"""Draw asserted evidence at random from a build of held-out real news, for a blind hand check of precision.

    python -m benchmarks.precision_sample [--n 100] [--seed 2026] [--out docs/precision-check]

Held-out articles: FA-KES articles 600 onwards (the extraction work used the first articles of the file) and the BBC
politics articles 300 onwards, in file order. The sample is drawn from the evidence that states a fact
(``kg.model.states_fact``: not negated, not a planned or hedged event), structural title relations included, with
``random.Random(seed)``. Writes ``sample.jsonl`` (what the judge sees: sentence, subject, relation, object, with the
relation's meaning) and ``verdicts.md`` (a table for the verdicts, one row a piece of evidence). The judge marks each
row right (the sentence states this relation between these actors, direction included), wrong, or half (right
actors, wrong relation type or direction), without seeing how kg found it.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"

_QUERY = """
SELECT ?ev ?doc ?sentence ?s ?sl ?p ?o ?ol ?mod ?rule WHERE {
  GRAPH ?g { ?ev a kg:Evidence ; kg:subjectActor ?s ; kg:relation ?p ; kg:objectActor ?o ; kg:modality ?mod ;
             kg:sentence ?sentence ; kg:rule ?rule ; prov:wasDerivedFrom ?d . ?d dcterms:identifier ?doc .
             ?s ?p ?o . }
  GRAPH <https://w3id.org/kg-news/id/graph/actors> { ?s rdfs:label ?sl . ?o rdfs:label ?ol . }
}"""


def held_out(fakes: Path, bbc: Path, folder: Path) -> list[Path]:
    """Write the held-out articles to ``folder`` as two JSONL files; return their paths."""
    out = []
    fa = [json.loads(line) for line in fakes.read_text(encoding="utf-8").splitlines() if line.strip()][600:]
    bb = [r for r in (json.loads(line) for line in bbc.read_text(encoding="utf-8").splitlines() if line.strip())
          if r.get("category") == "politics"][300:]
    for name, rows in (("fakes-heldout.jsonl", fa), ("bbc-politics-heldout.jsonl", bb)):
        path = folder / name
        path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        out.append(path)
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--out", default=str(ROOT / "docs" / "precision-check"))
    a = ap.parse_args(argv)
    fakes, bbc = SHARED / "corpus" / "fakes" / "fakes_articles.jsonl", SHARED / "corpus" / "bbc" / "bbc_news.jsonl"
    if not (fakes.exists() and bbc.exists()):
        print(f"skipped: the corpora are absent ({fakes}, {bbc})", file=sys.stderr)
        return 0
    import kg
    from kg.config import ontology_dir
    from kg.ontology import relation_table

    table = relation_table(ontology_dir())
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="kg-precision-") as tmp:
        inputs = held_out(fakes, bbc, Path(tmp))
        from dataclasses import replace

        from kg.config import load_settings

        kg.build(inputs, out=Path(tmp) / "out", settings=replace(load_settings(), workers=2), site=False)
        with kg.open(Path(tmp) / "out") as g:
            rows = g.query(_QUERY)
    rows = rows.drop_duplicates(subset=["ev"]).sort_values("ev").reset_index(drop=True)
    rng = random.Random(a.seed)
    picked = sorted(rng.sample(range(len(rows)), min(a.n, len(rows))))
    sample = []
    for n, i in enumerate(picked, 1):
        r = rows.iloc[i]
        rel = str(r["p"]).rsplit("#", 1)[-1]
        sample.append({"n": n, "document": str(r["doc"]), "sentence": str(r["sentence"]), "subject": str(r["sl"]),
                       "relation": rel, "object": str(r["ol"]), "meaning": table.get(rel, {}).get("comment", ""),
                       "modality": str(r["mod"]).rsplit("#", 1)[-1], "rule": str(r["rule"])})
    with (out / "sample.jsonl").open("w", encoding="utf-8") as fh:
        for row in sample:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    lines = [f"# Hand check: {len(sample)} asserted evidence drawn from {len(rows)} (seed {a.seed})", "",
             "| n | subject | relation | object | verdict | note |", "|---|---|---|---|---|---|"]
    lines += [f"| {r['n']} | {r['subject']} | {r['relation']} | {r['object']} |  |  |" for r in sample]
    (out / "verdicts.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(sample)} of {len(rows)} asserted evidence written to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
