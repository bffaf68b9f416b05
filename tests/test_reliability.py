"""Bad input end to end (reliability.md A): one ``kg build`` over a folder of every kind of bad input.

Each bad input is normalised, split or quarantined with a reason in ``OUT/build.json``; the rest of the build
(store, export, analysis, pages) completes; the exit code says whether anything was skipped (0 all good,
3 some skipped, 2 nothing built). Also: the historic tokenizer hangs stay within a per-document budget, a
document over spaCy's ``max_length`` is split with offsets into the original text, and memory zones bring the
StringStore back to its baseline.
"""
from __future__ import annotations

import json
import random
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli import app

pytestmark = pytest.mark.model

STORY = ("Russia and Turkey signed a ceasefire agreement in Moscow on Thursday.\n\n"
         "President Vladimir Putin met Recep Tayyip Erdogan for six hours.")
OBAMA = "Barack Obama\x00 met\x0b Angela\x0c Merkel in Berlin on Monday.\u200b\n\nThe two leaders discussed Ukraine."
HTML = """<!doctype html><html><head><title>Iran backs Hezbollah</title>
<script>var Obama = 1; document.write("Kim Jong Un met Donald Trump");</script></head><body>
<nav><a href="/">Home</a> | <a href="/world">World</a> | <a href="/putin">Vladimir Putin</a></nav>
<div id="cookie-banner">We use cookies. By continuing to browse you accept cookies. <button>Accept</button></div>
<article><h1>Iran backs Hezbollah</h1>
<p>Iran supports Hezbollah in Lebanon with money &amp; weapons, according to a report published on Tuesday by
analysts who studied the group for several years.</p>
<p>Israel condemned Iran &#x202E;after the report was released, officials in Jerusalem said on Wednesday.</p>
</article><footer>Copyright 2020 Example News. All rights reserved.</footer></body></html>"""

#: spaCy tokenizer regressions (issues #957, #3002, #5440, #4362, #1768): budget per document, in seconds
HANGS = {
    "dots49": ".".join(map(str, range(49))),
    "digit_dots": "1.2.3." * 3000 + " Russia backs Syria.",
    "a300k": "a" * 300_000,
    "url_snowmen": "http://example.com/" + "\u2603" * 13_200,
    "bangs": "Putin said " + "!" * 100_000,
}
BUDGET = 5.0


def _invoke(*args: str):
    return CliRunner().invoke(app, ["build", *args, "--no-progress"], catch_exceptions=False)


def _write_corpus(folder: Path) -> dict[str, str]:
    """Every bad input beside good ones; returns {name: expected fate} (``doc`` or a reason prefix)."""
    folder.mkdir()
    fate = {}

    def put(name: str, data: bytes | str, expect: str) -> None:
        (folder / name).write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
        fate[name] = expect

    put("good.txt", STORY, "doc")
    put("obama.txt", OBAMA.encode("utf-8"), "doc")
    put("cp1252.txt", "Syria’s government – backed by Iran – attacked Idlib.".encode("cp1252"), "doc")
    put("utf16.txt", "Erdoğan criticised Israel in Ankara on Friday.".encode("utf-16"), "doc")
    put("page.html", HTML, "doc")
    put("empty.txt", b"", "empty")
    put("blank.txt", b" \r\n\t \xc2\xa0\n", "empty")
    put("binary.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "looks binary")
    put("variant-crlf.txt", b"\xef\xbb\xbf" + STORY.replace("\n", "\r\n").encode() + b"\r\n", "duplicate of good.txt")
    put("bangs.txt", "!" * 100_000, "empty: no words")
    for name, text in HANGS.items():
        if name != "bangs":
            put(f"hang-{name}.txt", text, "doc")
    lines = [json.dumps({"id": "j-ok", "text": "Russia supports Syria against the rebels.", "date": "2019-05-02"}),
             '{"id": "j-broken", "text": "Turkey opp',
             json.dumps({"id": "j-surrogate", "text": "Hezbollah\ud800 fought in Syria alongside Iran."})]
    put("feed.jsonl", "\n".join(lines).encode("utf-8", "surrogatepass"), "doc")
    fate["feed.jsonl:2"] = "broken JSON on line 2"
    with (folder / "huge.txt").open("wb") as fh:  # 50 MB
        block = b"Russia backs Syria. Turkey opposes Assad.\n" * 25_000
        while fh.tell() < 50 << 20:
            fh.write(block)
    fate["huge.txt"] = "too large"
    return fate


@pytest.fixture(scope="module")
def bad_build(tmp_path_factory):
    root = tmp_path_factory.mktemp("bad-inputs")
    fate = _write_corpus(root / "in")
    out = root / "out"
    started = time.perf_counter()
    result = _invoke(str(root / "in"), "--out", str(out))
    seconds = time.perf_counter() - started
    return out, fate, result, seconds


def test_bad_inputs_are_quarantined_and_the_build_completes(bad_build):
    out, fate, result, seconds = bad_build
    assert result.exit_code == 3, result.output
    report = json.loads((out / "build.json").read_text(encoding="utf-8"))
    skipped = {Path(s["input"]).name: s["reason"] for s in report["skipped"]}
    expected_skips = {name: why for name, why in fate.items() if why != "doc"}
    assert set(skipped) == set(expected_skips), skipped
    for name, why in expected_skips.items():
        assert skipped[name].startswith(why), (name, skipped[name])
    docs = [n for n, why in fate.items() if why == "doc" and n != "feed.jsonl"] + ["j-ok", "j-surrogate"]
    assert report["documents"] == len(docs)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(manifest["documents"]) == sorted(docs)
    for output in ("graph.trig", "report.md", "site/index.html"):
        assert (out / output).is_file(), output
    assert seconds < 300


def test_export_parses_back_and_has_no_surrogates_or_controls(bad_build):
    from rdflib import Dataset

    out = bad_build[0]
    data = (out / "graph.trig").read_bytes()
    text = data.decode("utf-8")  # strict: a lone surrogate or a bad byte would raise
    assert not any(c in text for c in "\x00\x0b\x0c\u200b\u202e\ufffd")
    ds = Dataset()
    ds.parse(data=text, format="trig")
    assert len(ds) > 100 or sum(1 for _ in ds.quads()) > 100


def _doc_actors(out: Path, doc_id: str) -> set[str]:
    from kg.graph import iri
    from kg.graph.store import Store

    q = ("PREFIX kg: <https://w3id.org/kg-news/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
         f"SELECT DISTINCT ?label WHERE {{ GRAPH <{iri.doc_iri(doc_id)}> {{ ?d kg:mentions ?a }} "
         f"GRAPH <{iri.ACTORS_GRAPH}> {{ ?a rdfs:label ?label }} }}")
    with Store.open(out / "store") as store:
        return {row["label"].value for row in store.raw.query(q)}


def test_controls_and_zero_width_do_not_hide_barack_obama(bad_build):
    actors = _doc_actors(bad_build[0], "obama.txt")
    assert "Barack Obama" in actors, actors
    assert "Angela Merkel" in actors, actors


def test_nothing_from_scripts_nav_or_cookie_banners_becomes_an_actor(bad_build):
    actors = _doc_actors(bad_build[0], "page.html")
    assert {"Iran", "Hezbollah"} <= actors, actors
    for name in ("Barack Obama", "Vladimir Putin", "Kim Jong Un", "Donald Trump"):
        assert name not in actors
    assert not any("Obama" in a or "cookie" in a.lower() for a in actors)


def test_surrogate_and_cp1252_documents_keep_their_text(bad_build):
    from kg.graph import iri
    from kg.graph.store import Store

    with Store.open(bad_build[0] / "store") as store:
        texts = {}
        for doc_id in ("j-surrogate", "cp1252.txt"):
            q = (f"SELECT ?t WHERE {{ GRAPH <{iri.doc_iri(doc_id)}> "
                 "{ ?d <https://w3id.org/kg-news/ontology#text> ?t } }")
            texts[doc_id] = next(iter(store.raw.query(q)))["t"].value
    assert texts == {"j-surrogate": "Hezbollah fought in Syria alongside Iran.",
                     "cp1252.txt": "Syria’s government – backed by Iran – attacked Idlib."}


def test_nothing_built_exits_2_and_missing_input_names_the_path(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    (tmp_path / "in" / "bin.txt").write_bytes(bytes(range(256)) * 4)
    result = _invoke(str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--no-site", "--no-analysis")
    assert result.exit_code == 2, result.output
    report = json.loads((tmp_path / "out" / "build.json").read_text(encoding="utf-8"))
    assert report["documents"] == 0 and len(report["skipped"]) == 2
    missing = tmp_path / "no-such-folder"
    result = _invoke(str(missing), "--out", str(tmp_path / "out2"))
    assert result.exit_code not in (0, 3)
    assert "no-such-folder" in result.output.replace("\n", "")


def test_all_good_exits_0_and_a_crlf_bom_rewrite_is_unchanged(tmp_path):
    from kg.graph.store import Store

    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(STORY, encoding="utf-8")
    (src / "b.txt").write_text(OBAMA.replace("\x00", ""), encoding="utf-8")
    out = tmp_path / "out"
    assert _invoke(str(src), "--out", str(out), "--no-site", "--no-analysis").exit_code == 0
    with Store.open(out / "store") as store:
        before = store.canonical_hash()
    (src / "a.txt").write_bytes(b"\xef\xbb\xbf" + STORY.replace("\n", "\r\n").encode() + b"  \r\n")
    result = _invoke(str(src), "--out", str(out), "--no-site", "--no-analysis")
    assert result.exit_code == 0, result.output
    report = json.loads((out / "build.json").read_text(encoding="utf-8"))
    assert (report["documents"], report["added"], report["unchanged"]) == (2, 0, 2)
    with Store.open(out / "store") as store:
        assert store.canonical_hash() == before


def test_an_output_folder_inside_the_input_folder_is_never_input(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(STORY, encoding="utf-8")
    (src / "b.txt").write_text(OBAMA.replace("\x00", ""), encoding="utf-8")
    out = src / "out"  # pages (.html) and exports land inside the input folder
    for _ in range(2):
        result = _invoke(str(src), "--out", str(out))
        assert result.exit_code == 0, result.output
        report = json.loads((out / "build.json").read_text(encoding="utf-8"))
        assert report["documents"] == 2, report


def test_fifos_devices_and_hidden_files_are_skipped_with_a_reason(tmp_path):
    import os

    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(STORY, encoding="utf-8")
    os.mkfifo(src / "pipe.txt")  # inside a folder
    (src / "..txt").write_text(STORY.replace("Thursday", "Friday"), encoding="utf-8")
    named_fifo = tmp_path / "named.jsonl"
    os.mkfifo(named_fifo)  # named on the command line: reading it would block the build
    zero = tmp_path / "zero.txt"
    zero.symlink_to("/dev/zero")  # reading it never ends
    out = tmp_path / "out"
    result = _invoke(str(src), str(named_fifo), str(zero), "--out", str(out), "--no-site", "--no-analysis")
    assert result.exit_code == 3, result.output
    report = json.loads((out / "build.json").read_text(encoding="utf-8"))
    assert report["documents"] == 1
    reasons = {Path(s["input"]).name: s["reason"] for s in report["skipped"]}
    assert set(reasons) == {"pipe.txt", "named.jsonl", "zero.txt", "..txt"}, reasons
    assert all("regular file" in reasons[n] for n in ("pipe.txt", "named.jsonl", "zero.txt"))
    assert "hidden" in reasons["..txt"]


# ------------------------------------------------------------------------------------------ the parser itself
@pytest.fixture(scope="module")
def nlp_and_gazetteer():
    from kg.config import load_settings
    from kg.gazetteer import load_gazetteer
    from kg.nlp.pipeline import load_pipeline

    settings = load_settings()
    gazetteer = load_gazetteer(settings.ontology, settings.gazetteer)
    return load_pipeline(settings.model, gazetteer), gazetteer


def _article(text: str, doc_id: str = "t"):
    from kg.ingest import content_hash
    from kg.model import Article

    return Article(doc_id=doc_id, text=text, content_hash=content_hash(text))


@pytest.mark.parametrize("name", sorted(HANGS))
def test_historic_tokenizer_hangs_stay_within_the_budget(nlp_and_gazetteer, name):
    from kg.nlp.extract import parse_documents
    from kg.model import RawDoc

    nlp, gaz = nlp_and_gazetteer
    started = time.perf_counter()
    [doc] = list(parse_documents([_article(HANGS[name])], nlp, gaz))
    elapsed = time.perf_counter() - started
    assert isinstance(doc, RawDoc)
    assert elapsed < BUDGET, f"{name}: {elapsed:.1f} s"


#: Verbless lines of the kind headlines and captions are: every construction must end on them (one looped forever,
#: climbing from "at odds" towards a verb the line does not have).
VERBLESS = ["Russia and Turkey at odds over Syria", "Washington and Moscow on opposite sides",
            "Syria's allies Russia and Iran", "Assad regime at loggerheads with Ankara",
            "Kurdish-led forces in Manbij", "Hezbollah Syrian Army Kill 2 Al-Nusra Front Commanders"]


@pytest.mark.timeout(120)
def test_verbless_headlines_finish(nlp_and_gazetteer):
    from kg.nlp.extract import parse_documents
    from kg.model import RawDoc

    nlp, gaz = nlp_and_gazetteer
    docs = list(parse_documents([_article(text, f"h{n}") for n, text in enumerate(VERBLESS)], nlp, gaz))
    assert len(docs) == len(VERBLESS) and all(isinstance(d, RawDoc) for d in docs)


def test_document_over_max_length_is_split_with_offsets_into_the_original(nlp_and_gazetteer):
    from kg.nlp.extract import parse_documents
    from kg.model import RawDoc

    nlp, gaz = nlp_and_gazetteer
    filler = ("=" * 400 + " ") * 24  # long runs: cheap for the parser, but count towards max_length
    paragraphs = []
    for i in range(110):
        paragraphs.append(f"Russia backs Syria in report {i}. Turkey condemned Israel on day {i}.")
        paragraphs.append(filler)
    text = "\n\n".join(paragraphs)
    assert len(text) > nlp.max_length >= 1_000_000
    [doc] = list(parse_documents([_article(text, "long")], nlp, gaz))
    assert isinstance(doc, RawDoc)
    for m in doc.mentions:
        assert text[m.start:m.end] == m.text
    assert max(m.start for m in doc.mentions) > 1_000_000
    assert len(doc.relations) >= 100
    last = max(doc.relations, key=lambda r: r.evidence.start)
    assert last.evidence.start > 1_000_000
    for r in doc.relations:
        ev = r.evidence
        assert text[ev.sentence_start:ev.sentence_start + len(ev.sentence)] == ev.sentence
        assert ev.sentence_start <= ev.start < ev.end <= ev.sentence_start + len(ev.sentence)


def test_a_parser_failure_skips_one_document_not_the_batch(nlp_and_gazetteer):
    from kg.model import RawDoc, Skipped
    from kg.nlp.extract import parse_documents

    nlp, gaz = nlp_and_gazetteer
    from kg.model import Article

    bad = Article(doc_id="surrogate", text="Russia backs Syria.\ud800 Turkey opposes Assad.", content_hash="0")  # no ingest
    docs = list(parse_documents([_article("Russia backs Syria.", "a"), bad, _article("Iran backs Hezbollah.", "c")],
                                nlp, gaz))
    assert [type(d).__name__ for d in docs] == ["RawDoc", "Skipped", "RawDoc"]
    assert isinstance(docs[1], Skipped) and "UnicodeEncodeError" in docs[1].reason
    assert isinstance(docs[2], RawDoc) and docs[2].relations


def test_memory_zones_return_the_string_store_to_its_baseline(nlp_and_gazetteer):
    from kg.nlp.extract import parse_documents

    nlp, gaz = nlp_and_gazetteer
    rng = random.Random(7)
    letters = "bcdfghjklmnpqrstvwxz"

    def word() -> str:
        return "".join(rng.choice(letters) for _ in range(rng.randint(5, 11)))

    def docs(n: int):
        return [_article(" ".join(f"{word().title()} {word()} {word()}." for _ in range(30)), f"r{i}")
                for i in range(n)]

    list(parse_documents(docs(5), nlp, gaz))  # warm up lazily added strings
    baseline = len(nlp.vocab.strings)
    results = list(parse_documents(docs(300), nlp, gaz, zone_size=100))
    assert len(results) == 300
    grown = len(nlp.vocab.strings) - baseline
    assert grown < 100, f"StringStore grew by {grown} entries over 300 documents of random words"
    assert all(isinstance(m.text, str) for r in results for m in r.mentions)
