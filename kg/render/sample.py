"""Synthetic site data of any size (seeded), following the networkx schema: for benchmarks, tests and demos."""
from __future__ import annotations

import random

import networkx as nx

from kg.render.data import SiteData

__all__ = ["synthetic_data"]

_TYPES = ("State", "State", "Person", "Person", "Organization", "ArmedGroup", "Place", "Event")
_RELATIONS = (("supports", "supports", 1), ("attacks", "attacks", -1), ("meetsWith", "meetsWith", 1),
              ("criticizes", "criticizes", -1), ("airStrikeOn", "attacks", -1), ("hosts", "hosts", 1),
              ("locatedIn", "locatedIn", 0), ("deploysTo", "deploysTo", 0), ("accuses", "accuses", -1),
              ("cooperatesWith", "cooperatesWith", 1))
_MODALITIES = ("asserted", "asserted", "asserted", "reported", "hedged", "planned")


def synthetic_data(actors: int = 200, relations: int = 400, documents: int = 100, *, seed: int = 7,
                   evidence_per_edge: int = 2) -> SiteData:
    """A random but realistic-looking :class:`SiteData`: preferential attachment, dated evidence, mentions.

    Examples:
        >>> data = synthetic_data(30, 50, 10)
        >>> data.G.number_of_nodes(), len(data.texts)
        (30, 10)
    """
    rng = random.Random(seed)
    G = nx.MultiDiGraph()
    keys = [f"A{i:05d}" for i in range(actors)]
    for i, key in enumerate(keys):
        G.add_node(key, label=f"Actor {i}", type=_TYPES[rng.randrange(len(_TYPES))], subtype=None,
                   iri=f"https://w3id.org/kg-news/id/actor/{key}", provisional=rng.random() < 0.1,
                   aliases=[f"A-{i}"], documents=0)
    docs = {}
    texts, mentions = {}, {}
    for d in range(documents):
        doc_id = f"doc-{d:05d}.txt"
        date = f"2016-{1 + d % 12:02d}-{1 + d % 28:02d}"
        docs[doc_id] = {"title": f"Article {d}", "date": date, "source": "Synthetic Wire",
                        "iri": f"https://w3id.org/kg-news/id/doc/{d:016x}"}
        texts[doc_id] = ""
        mentions[doc_id] = []
    doc_ids = sorted(docs)
    weights = [1.0 / (1 + i) ** 0.8 for i in range(actors)]  # a few central actors, a long tail
    made = 0
    attempts = 0
    while made < relations and attempts < relations * 20 and actors > 1:
        attempts += 1
        u, v = rng.choices(keys, weights=weights, k=2)
        rel, core, polarity = _RELATIONS[rng.randrange(len(_RELATIONS))]
        if u == v or G.has_edge(u, v, key=rel):
            continue
        records = []
        for _ in range(1 + rng.randrange(evidence_per_edge * 2)):
            doc_id = doc_ids[rng.randrange(len(doc_ids))] if doc_ids else "none"
            text = texts.get(doc_id, "")
            lu, lv = G.nodes[u]["label"], G.nodes[v]["label"]
            sentence = f"{lu} {rel} {lv} near the border, officials said on {docs.get(doc_id, {}).get('date')}."
            start = len(text)
            if doc_id in texts:
                texts[doc_id] = text + sentence + " "
                mentions[doc_id] += [(start, start + len(lu), u), (start + len(lu) + len(rel) + 2,
                                                                    start + len(lu) + len(rel) + 2 + len(lv), v)]
            records.append({"doc_id": doc_id, "title": docs.get(doc_id, {}).get("title"),
                            "date": docs.get(doc_id, {}).get("date"), "source": "Synthetic Wire",
                            "sentence": sentence, "sentence_start": start, "start": start,
                            "end": start + len(lu) + len(rel) + len(lv) + 2, "confidence": 0.7,
                            "modality": _MODALITIES[rng.randrange(len(_MODALITIES))], "speakers": [],
                            "evidence_iri": f"https://w3id.org/kg-news/id/ev/{made:08x}{len(records)}"})
        records.sort(key=lambda e: (e["date"] or "", e["doc_id"], e["start"]))
        dates = sorted({e["date"] for e in records if e["date"]})
        G.add_edge(u, v, key=rel, relation=rel, core=core, polarity=polarity, symmetric=False, count=len(records),
                   confidence=0.7, dates=dates, first_date=dates[0] if dates else None,
                   last_date=dates[-1] if dates else None, documents=sorted({e["doc_id"] for e in records}),
                   evidence=records)
        made += 1
    for doc_id, spans in mentions.items():
        for key in {k for _, _, k in spans}:
            G.nodes[key]["documents"] += 1
    G.graph["documents"] = docs
    G.graph["negated"] = []
    return SiteData(G=G, texts=texts, mentions={d: sorted(s) for d, s in mentions.items()})
