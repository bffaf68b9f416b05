"""Hand-made site data for the render tests (no store, no spaCy): hostile names and sentences included."""
from __future__ import annotations

import hashlib

import networkx as nx

from kg.render.data import SiteData

XSS_NAME = "<img src=x onerror=alert(1)>"
XSS_SENTENCE_TAIL = "</script><script>alert(1)</script>"
XSS_KEY = "~person/img-src-x-onerror-alert-1"


def _ev(doc_id: str, docs: dict, texts: dict, sentence: str, mark: str, modality: str = "asserted",
        speakers=()) -> dict:
    base = texts[doc_id].find(sentence)
    assert base >= 0, sentence
    start = base + sentence.find(mark)
    return {"doc_id": doc_id, "title": docs[doc_id]["title"], "date": docs[doc_id]["date"],
            "source": docs[doc_id]["source"], "sentence": sentence, "sentence_start": base, "start": start,
            "end": start + len(mark), "confidence": 0.8, "modality": modality, "speakers": list(speakers),
            "evidence_iri": "https://w3id.org/kg-news/id/ev/" + hashlib.sha1(f"{doc_id}|{sentence}|{mark}".encode()).hexdigest()[:20]}


def hostile_data() -> SiteData:
    """Russia, Turkey, Putin and an actor whose name is an XSS payload.

    * RUS -> TUR: ``meetsWith`` and ``criticizes``; TUR -> RUS: ``accuses`` (three relations on one pair,
      a contradiction: cooperation and conflict);
    * XSS actor -> TUR: ``attacks``, with a sentence containing ``</script><script>alert(1)</script>``;
    * a negated TUR ``attacks`` RUS.
    """
    docs = {
        "a.txt": {"title": "Moscow and Ankara meet", "date": "2016-12-20", "source": "Test Wire",
                  "iri": "https://w3id.org/kg-news/id/doc/aaaa"},
        "b <script>.txt": {"title": "Hostile " + XSS_NAME + " href title", "date": "2017-01-05",
                           "source": "<b>Evil</b> Wire", "iri": "https://w3id.org/kg-news/id/doc/bbbb"},
    }
    texts = {
        "a.txt": ("Russia met Turkey in Moscow. Putin criticised Turkey, officials said. "
                  "Turkey accused Russia of lying. Turkey did not attack Russia."),
        "b <script>.txt": (f"{XSS_NAME} attacked Turkey {XSS_SENTENCE_TAIL} yesterday. "
                           "Russia met Turkey again."),
    }
    G = nx.MultiDiGraph()
    for key, label, type_, prov in (("RUS", "Russia", "State", False), ("TUR", "Turkey", "State", False),
                                    ("PUTIN", "Vladimir Putin", "Person", False), (XSS_KEY, XSS_NAME, "Person", True)):
        G.add_node(key, label=label, type=type_, subtype=None, iri=f"https://w3id.org/kg-news/id/actor/{key}",
                   provisional=prov, aliases=[XSS_NAME + " alias"] if prov else [label.upper()], documents=1)
    G.nodes["TUR"]["documents"] = 2
    G.nodes["RUS"]["documents"] = 2

    def edge(u, v, rel, core, polarity, records):
        dates = sorted({e["date"] for e in records})
        G.add_edge(u, v, key=rel, relation=rel, core=core, polarity=polarity, symmetric=rel == "meetsWith",
                   count=len(records), confidence=0.8, dates=dates, first_date=dates[0], last_date=dates[-1],
                   documents=sorted({e["doc_id"] for e in records}), evidence=records)

    a, b = "a.txt", "b <script>.txt"
    edge("RUS", "TUR", "meetsWith", "meetsWith", 1,
         [_ev(a, docs, texts, "Russia met Turkey in Moscow.", "met"),
          _ev(b, docs, texts, "Russia met Turkey again.", "met")])
    edge("RUS", "TUR", "criticizes", "criticizes", -1,
         [_ev(a, docs, texts, "Putin criticised Turkey, officials said.", "criticised", "reported")])
    edge("TUR", "RUS", "accuses", "accuses", -1,
         [_ev(a, docs, texts, "Turkey accused Russia of lying.", "accused", "hedged")])
    edge("PUTIN", "TUR", "criticizes", "criticizes", -1,
         [_ev(a, docs, texts, "Putin criticised Turkey, officials said.", "criticised", "reported")])
    edge(XSS_KEY, "TUR", "attacks", "attacks", -1,
         [_ev(b, docs, texts, f"{XSS_NAME} attacked Turkey {XSS_SENTENCE_TAIL} yesterday.", "attacked",
              speakers=[XSS_KEY])])
    negated = _ev(a, docs, texts, "Turkey did not attack Russia.", "did not attack", "negated")
    G.graph["documents"] = docs
    G.graph["negated"] = [{"s": "TUR", "relation": "attacks", "o": "RUS", **negated}]

    def spans(doc_id, *pairs):
        out = []
        for word, key in pairs:
            start = -1
            while (start := texts[doc_id].find(word, start + 1)) >= 0:
                out.append((start, start + len(word), key))
        return sorted(out)

    mentions = {a: spans(a, ("Russia", "RUS"), ("Turkey", "TUR"), ("Putin", "PUTIN"), ("Moscow", "RUS")),
                b: spans(b, (XSS_NAME, XSS_KEY), ("Turkey", "TUR"), ("Russia", "RUS"))}
    metrics = {"RUS": {"pageRank": 0.4, "betweenness": 0.1, "degree": 3, "bloc": 1, "community": 0},
               "TUR": {"pageRank": 0.3, "bloc": 2}}
    identifiers = {"RUS": {"wikidata": "Q159", "iso3": "RUS"}, "TUR": {"wikidata": "javascript:alert(1)"}}
    return SiteData(G=G, metrics=metrics, identifiers=identifiers, texts=texts, mentions=mentions,
                    urls={a: "https://example.org/a"})
