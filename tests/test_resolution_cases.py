"""Actor resolution on real news (tests/data/resolution_cases.yaml): FA-KES Syrian-war articles and BBC politics.

Each case names an article (by id, read from ../shared/corpus/), a name as the article writes it, and the actor
that name must resolve to (a key; several when more than one answer is right; null: no actor at all) with its type.

The articles of each corpus run through ``kg.pipeline.extract_documents`` once per module, in corpus file order and
with one :class:`kg.resolve.Registry` per corpus, exactly as ``kg build FILE.jsonl`` runs them: so a spelling seen
in an earlier article ("Kefraya") and a variant in a later one ("Kafraya") must end as one actor. Within one
article this is what ``kg.pipeline.extract_text`` does.

How a case is checked, on the normalised article text:
- the occurrences of ``name`` (whole words); there must be at least one, or the case is a typo;
- the mentions inside an occurrence; of these, the ones ending where the occurrence ends (its head: "Blair" in
  "Mr Blair", "fighters" in "Kurdish fighters", "Qaedas" in "al-Qaedas"), else all of them;
- expected actor(s): at least one such mention, every one resolving to an expected key, of the expected type;
- expected no actor: no mention inside any occurrence, and no actor labelled ``name``;
- ``forbid``: relations ("SUBJECT predicate OBJECT") the article must not produce (a title read wrong).

Cases kg gets wrong today carry ``xfail: true`` and a note: they are reported as expected failures with what kg
gives instead, and fail loudly once they pass, so the mark is removed with the fix.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from tests.conftest import shared_path

pytestmark = [pytest.mark.model, pytest.mark.shared]

TABLE = yaml.safe_load((Path(__file__).parent / "data" / "resolution_cases.yaml").read_text(encoding="utf-8"))
CORPORA = {
    "fakes": ("corpus", "fakes", "fakes_articles.jsonl"),
    "bbc": ("corpus", "bbc", "bbc_news.jsonl"),
}


def _as_list(value) -> list:
    return list(value) if isinstance(value, list) else [value]


def _case_id(case: dict) -> str:
    return f"{case['id']}:{case['name']}"


@pytest.fixture(scope="module")
def documents():
    """(corpus, id) -> (normalised text, DocResult), each needed article extracted once, corpus by corpus."""
    from kg.config import load_settings
    from kg.gazetteer import load_gazetteer
    from kg.ingest import content_hash, normalise_text
    from kg.model import Article, Skipped
    from kg.pipeline import extract_documents
    from kg.resolve import Registry

    settings = load_settings()
    gazetteer = load_gazetteer(settings.ontology, settings.gazetteer)
    out = {}
    for corpus, parts in CORPORA.items():
        wanted = {case["id"] for case in TABLE if case["corpus"] == corpus}
        if not wanted:
            continue
        articles = []
        with shared_path(*parts).open(encoding="utf-8") as fh:  # file order, as a build of the file reads them
            for index, line in enumerate(fh):
                row = json.loads(line)
                if row["id"] in wanted:
                    assert corpus != "fakes" or index < 200, f"{row['id']}: only the first 200 FA-KES articles"
                    assert corpus != "bbc" or row["category"] == "politics", f"{row['id']}: BBC politics only"
                    clean = normalise_text(row["text"])
                    articles.append(Article(doc_id=row["id"], text=clean, content_hash=content_hash(clean),
                                            date=row.get("date")))
        missing = wanted - {a.doc_id for a in articles}
        assert not missing, f"articles not in the {corpus} corpus: {sorted(missing)}"
        texts = {a.doc_id: a.text for a in articles}
        for result in extract_documents(articles, settings=settings, gazetteer=gazetteer, registry=Registry()):
            assert not isinstance(result, Skipped), f"extraction failed: {result}"
            doc_id = result.article.doc_id
            out[(corpus, doc_id)] = (texts[doc_id], result)
    return out


def _occurrences(text: str, name: str) -> list[tuple[int, int]]:
    """Where ``name`` occurs as whole words: "Bashar al-" in "Bashar al-Assads", but not "Aleppo" in "Aleppos"."""
    before = r"(?<!\w)" if re.match(r"\w", name) else ""
    after = r"(?!\w)" if re.search(r"\w$", name) else ""
    return [m.span() for m in re.finditer(before + re.escape(name) + after, text)]


def check(case: dict, text: str, result) -> tuple[bool, str]:
    """Whether kg resolves the case as expected, and what it gave (for the report)."""
    name = case["name"]
    accept = _as_list(case.get("expect"))
    types = [t for t in _as_list(case.get("type")) if t]
    spans = _occurrences(text, name)
    if not spans:
        return False, f"{name!r} does not occur in the article text (a typo in the table?)"
    inside = [[m for m in result.mentions if s <= m.start and m.end <= e] for s, e in spans]
    heads = [[m for m in ms if m.end == e] or ms for ms, (_, e) in zip(inside, spans)]
    found = [m for ms in heads for m in ms]

    def show(ms) -> str:
        seen = []
        for m in ms:
            actor = result.actors.get(m.key)
            item = f"{m.text!r}->{m.key} ({actor.type if actor else '?'})"
            if item not in seen:
                seen.append(item)
        return ", ".join(seen)

    problems = []
    if accept == [None]:
        if any(inside):
            problems.append(f"mentions {show(m for ms in inside for m in ms)}")
    elif not found and None not in accept:
        problems.append(f"no mention in {len(spans)} occurrence(s)")
    else:
        wrong = [m for m in found if m.key not in accept
                 or types and (m.key not in result.actors or result.actors[m.key].type not in types)]
        if wrong:
            problems.append(f"mentions {show(m for ms in inside for m in ms)}")
    labelled = [k for k, a in result.actors.items() if a.name == name and k not in accept]
    if labelled:
        problems.append(f"actor(s) labelled {name!r}: {', '.join(labelled)}")
    got_rel = {(r.subject, r.predicate, r.object) for r in result.relations}
    for row in case.get("forbid") or ():
        triple = tuple(row.split())
        if triple in got_rel:
            problems.append(f"relation {row}")
    if problems:
        return False, "; ".join(problems)
    return True, show(found) or "no actor"


@pytest.mark.parametrize("case", TABLE, ids=_case_id)
def test_resolution_case(documents, case):
    text, result = documents[(case["corpus"], case["id"])]
    ok, got = check(case, text, result)
    expected = " or ".join("no actor" if k is None else k for k in _as_list(case.get("expect")))
    typed = f" ({' or '.join(_as_list(case['type']))})" if case.get("type") else ""
    forbid = f", and never {'; '.join(case['forbid'])}" if case.get("forbid") else ""
    where = f"{case['id']} {case['name']!r}: expected {expected}{typed}{forbid}"
    if case.get("xfail"):
        if ok:
            pytest.fail(f"XPASS {where}: now resolves right ({got}); remove `xfail: true` from the table")
        pytest.xfail(f"{where}; got {got} -- {case.get('note', '')}")
    assert ok, f"{where}; got {got}" + (f" -- {case['note']}" if case.get("note") else "")


def test_table_is_large_and_well_formed():
    from kg.config import load_settings
    from kg.ontology import relation_table

    predicates = relation_table(load_settings().ontology)
    assert len(TABLE) >= 60
    seen = set()
    for case in TABLE:
        assert case["corpus"] in CORPORA, case
        assert set(case) <= {"corpus", "id", "name", "expect", "type", "note", "xfail", "forbid"}, case
        assert case.get("type") or None in _as_list(case.get("expect")), f"a type for an actor: {case}"
        assert not case.get("xfail") or case.get("note"), f"an xfail case says what is wrong: {case}"
        for row in case.get("forbid") or ():
            assert len(row.split()) == 3 and row.split()[1] in predicates, f"not 'SUBJECT predicate OBJECT': {row}"
        assert (case["id"], case["name"]) not in seen, f"duplicate case: {case}"
        seen.add((case["id"], case["name"]))
