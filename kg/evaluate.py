"""Score a build against a gold file of actor relations (``kg eval GOLD``).

Gold format (one record a line; ``#`` comments)::

    @ KEY  Type  Canonical name ; alias ; alias ...    an entity and the surface forms that name it
    = FILE                                            the document the lines below belong to
    + S rel O [| S rel O ...]                         required: one of these should be extracted
    ? S rel O                                         acceptable: not required, not an error
    ! S rel O                                         forbidden: the text says it did NOT happen

A predicted triple (from the export's document graphs, relation mapped to its core relation through
``rdfs:subPropertyOf``) is a true positive when it matches a required line, neutral when acceptable, and a
false positive otherwise; symmetric relations match in either direction. Actors are matched to gold entities
by their label first, then their alternative labels, compared after :func:`norm`.
"""
from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDFS, Dataset, Graph, URIRef
from rdflib.namespace import DCTERMS, SKOS

from kg.errors import InputError
from kg.vocab import CORE_RELATIONS, SYMMETRIC_RELATIONS

__all__ = ["Gold", "read_gold", "score_export", "norm"]


def norm(name: str) -> str:
    """Normalise a name for matching: no accents, lower case, no possessive, no leading "the".

    >>> norm("The Syrian regime's"), norm("Erdoğan")
    ('syrian regime', 'erdogan')
    """
    s = unicodedata.normalize("NFKD", str(name))
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    s = s.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    s = re.sub(r"'s\b", "", s)
    s = re.sub(r"^the\s+", "", s.strip())
    return re.sub(r"[\s\-_'.]+", " ", s).strip()


def _key(s: str, r: str, o: str) -> tuple[str, str, str]:
    return (o, r, s) if r in SYMMETRIC_RELATIONS and o < s else (s, r, o)


@dataclass
class Gold:
    aliases: dict[str, str] = field(default_factory=dict)
    docs: dict[str, dict] = field(default_factory=dict)


def read_gold(path: Path) -> Gold:
    """Parse a gold file.

    Raises:
        InputError: a line cannot be read or names an unknown relation (file and line named).
    """
    gold = Gold()
    ambiguous: set[str] = set()
    cur = None
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(f"cannot read gold file {path}: {exc.strerror or exc}") from exc
    for n, line in enumerate(lines, 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        tag, rest = line[0], line[1:].strip()
        if tag == "@":
            parts = rest.split(None, 2)
            if len(parts) < 3:
                raise InputError(f"{path}:{n}: expected '@ KEY Type name ; alias ...'")
            ent, names = parts[0], parts[2]
            for alias in names.split(";"):
                a = norm(alias)
                if a in gold.aliases and gold.aliases[a] != ent:
                    ambiguous.add(a)
                gold.aliases[a] = ent
        elif tag == "=":
            cur = gold.docs.setdefault(rest, {"required": [], "acceptable": set(), "forbidden": set()})
        elif tag in "+?!":
            if cur is None:
                raise InputError(f"{path}:{n}: relation before any '= FILE' line")
            alts = []
            for alt in rest.split("|"):
                words = alt.split()
                if len(words) != 3 or words[1] not in CORE_RELATIONS:
                    raise InputError(f"{path}:{n}: expected 'S relation O' with a core relation, got {alt.strip()!r}")
                alts.append(_key(*words))
            if tag == "+":
                cur["required"].append(alts)
            elif tag == "?":
                cur["acceptable"].update(alts)
            else:
                cur["forbidden"].update(alts)
        else:
            raise InputError(f"{path}:{n}: cannot read line (starts with {tag!r}; expected @ = + ? ! or #)")
    for a in ambiguous:
        gold.aliases.pop(a, None)
    return gold


def _local(term) -> str:
    return re.split(r"[#/]", str(term))[-1]


def _core(pred, union: Graph, cache: dict):
    if pred not in cache:
        found, seen, todo = None, set(), [pred]
        while todo:
            p = todo.pop(0)
            if p in seen:
                continue
            seen.add(p)
            if _local(p) in CORE_RELATIONS:
                found = _local(p)
                break
            todo.extend(union.objects(p, RDFS.subPropertyOf))
        cache[pred] = found
    return cache[pred]


def _load(export: Path, ontology: Path | None) -> Dataset:
    ds = Dataset()
    fmt = {".trig": "trig", ".nq": "nquads", ".nquads": "nquads"}.get(Path(export).suffix.lower())
    if fmt is None:
        raise InputError(f"{export}: expected a TriG (.trig) or N-Quads (.nq) export")
    ds.parse(Path(export), format=fmt)
    if ontology is not None and Path(ontology).exists():
        files = sorted(Path(ontology).glob("*.ttl")) if Path(ontology).is_dir() else [Path(ontology)]
        for f in files:
            ds.default_context.parse(f, format="turtle")
    return ds


def score_export(gold_path: Path, export: Path, ontology: Path | None = None) -> dict:
    """Precision, recall, F1 and forbidden hits, in total and per document, with misses and false positives."""
    gold = read_gold(gold_path)
    ds = _load(export, ontology)
    union = Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        union.add((s, p, o))
    doc_of = {d: str(i) for d, i in union.subject_objects(DCTERMS.identifier)}
    cache: dict = {}
    predicted = defaultdict(set)
    for ctx in ds.graphs():
        if ctx.identifier in doc_of:
            for s, p, o in ctx:
                rel = _core(p, union, cache)
                if rel and isinstance(o, URIRef):
                    predicted[doc_of[ctx.identifier]].add((s, rel, o))
    by_name: dict[str, set] = {}
    for ident, triples in predicted.items():
        by_name.setdefault(Path(ident).name, set()).update(triples)
        by_name.setdefault(Path(ident).stem, set()).update(triples)
    ent_cache: dict = {}

    def entity(node):
        if node not in ent_cache:
            prefs = [union.value(node, RDFS.label), union.value(node, SKOS.prefLabel)]
            hits = {gold.aliases.get(norm(x)) for x in prefs if x is not None} - {None}
            if not hits:
                hits = {gold.aliases.get(norm(x)) for x in union.objects(node, SKOS.altLabel)} - {None}
            ent_cache[node] = hits.pop() if len(hits) == 1 else None
        return ent_cache[node]

    report = {"docs": {}, "tp": 0, "fp": 0, "fn": 0, "neutral": 0, "forbidden": 0}
    for name, g in gold.docs.items():
        got = set()
        for s, r, o in by_name.get(name, set()):
            es, eo = entity(s), entity(o)
            if es is None or eo is None:
                got.add((f"?{s}", r, f"?{o}"))
            elif es != eo:
                got.add(_key(es, r, eo))
        matched = [alts for alts in g["required"] if any(a in got for a in alts)]
        req = {a for alts in g["required"] for a in alts}
        fps = sorted(t for t in got if t not in req and t not in g["acceptable"])
        forbidden = sorted(t for t in got if t in g["forbidden"])
        d = {"tp": len(matched), "fn": len(g["required"]) - len(matched), "fp": len(fps),
             "neutral": sum(1 for t in got if t not in req and t in g["acceptable"]),
             "forbidden": [" ".join(t) for t in forbidden],
             "missed": [" | ".join(" ".join(a) for a in alts) for alts in g["required"] if alts not in matched],
             "false_positives": [" ".join(t) for t in fps]}
        tp, fp = d["tp"], d["fp"]
        d["precision"] = tp / (tp + fp) if tp + fp else 0.0
        d["recall"] = tp / (tp + d["fn"]) if tp + d["fn"] else 0.0
        report["docs"][name] = d
        for k in ("tp", "fp", "fn", "neutral"):
            report[k] += d[k]
        report["forbidden"] += len(forbidden)
    tp, fp, fn = report["tp"], report["fp"], report["fn"]
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    report.update(precision=p, recall=r, f1=2 * p * r / (p + r) if p + r else 0.0,
                  docs_found=sorted(set(by_name) & set(gold.docs)))
    return report
