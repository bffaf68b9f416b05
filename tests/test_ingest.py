"""Ingest on bad input (reliability.md A.2-A.6, C.17): decoding, normalisation, quarantine with reasons, limits.

No spaCy model needed: these tests stop at :class:`~kg.model.Article` / :class:`~kg.model.Skipped` records.
"""
from __future__ import annotations

import json
import os
import tracemalloc
from pathlib import Path

import pytest

from kg import ingest
from kg.errors import InputError
from kg.ingest import (clean_text, decode_bytes, expand_inputs, iter_articles, normalise_text, read_file)
from kg.model import Article, Skipped
from kg.nlp.extract import MAX_RUN, defuse, split_text

STORY = ("Russia and Turkey signed a ceasefire agreement in Moscow on Thursday.\n\n"
         "President Vladimir Putin met Recep Tayyip Erdogan for six hours.")


def _items(*paths) -> tuple[list[Article], list[Skipped]]:
    items = list(iter_articles(paths))
    return [i for i in items if isinstance(i, Article)], [i for i in items if isinstance(i, Skipped)]


# ------------------------------------------------------------------------------------------------ decoding
def test_cp1252_and_utf16_with_bom_decode():
    assert decode_bytes(b"Caf\xe9 in Ankara") == "Café in Ankara"
    assert decode_bytes("Erdoğan met Putin".encode("utf-16")) == "Erdoğan met Putin"
    assert decode_bytes("Erdoğan met Putin".encode("utf-8-sig")) == "Erdoğan met Putin"
    assert decode_bytes("Erdoğan".encode("utf-32")) == "Erdoğan"


def test_utf16_without_bom_is_recognised_not_called_binary():
    assert decode_bytes("Putin met Erdogan in Sochi.".encode("utf-16-le")) == "Putin met Erdogan in Sochi."
    assert decode_bytes("Putin met Erdogan in Sochi.".encode("utf-16-be")) == "Putin met Erdogan in Sochi."


def test_one_bad_byte_does_not_turn_utf8_into_mojibake():
    # an encoded lone surrogate (CESU-8) inside otherwise valid UTF-8
    text = decode_bytes("Erdoğan met Çavuşoğlu ".encode() + b"\xed\xa0\x80" + " in Ankara.".encode())
    assert "Erdoğan" in text and "Çavuşoğlu" in text and "Ã" not in text


@pytest.mark.parametrize("data", [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4,
                                  bytes((i * 37 + 11) % 256 for i in range(4096)).replace(b"\x00", b"\x01")],
                         ids=["png-with-nul", "binary-without-nul"])
def test_binary_is_refused_with_a_reason(data):
    with pytest.raises(InputError, match="looks binary"):
        decode_bytes(data)


# -------------------------------------------------------------------------------------------- normalisation
def test_lone_surrogates_from_json_are_removed():
    record = json.loads('{"id": "s1", "text": "Putin\\ud800 met Erdogan \\udfff in Sochi.", "url": "http://x/\\ud800"}')
    art = ingest.article_from_record(record)
    assert isinstance(art, Article)
    assert art.text == "Putin met Erdogan in Sochi."
    art.text.encode("utf-8")  # would raise on a surrogate
    assert art.url == "http://x/"


def test_controls_zero_width_and_bidi_are_dropped():
    raw = "Barack Obama\x00 met\x0b Angela\x0c Merkel \u202eevil\u202c and Vladi\u200bmir Putin\u2066.\u2069"
    assert normalise_text(raw) == "Barack Obama met Angela Merkel evil and Vladimir Putin."


def test_crlf_bom_and_trailing_blanks_give_the_same_text():
    base = normalise_text("Title\n\nPutin met Erdogan.\n")
    for variant in ("\ufeffTitle\r\n\r\nPutin met Erdogan.\r\n", "Title   \n\nPutin met Erdogan.  \n\n",
                    "Title\r\rPutin met Erdogan."):
        assert normalise_text(variant) == base


def test_clean_text_drops_furniture_but_keeps_the_story():
    raw = (STORY + "\nRead more\nShare Tweet Email\nWe use cookies to improve your experience. Accept\n"
           "Home | World | Middle East\nAdvertisement\nCopyright 2019 Example News. All rights reserved.")
    assert clean_text(raw) == STORY


# -------------------------------------------------------------------------------------------- files in a folder
def test_empty_whitespace_and_binary_files_are_skipped_with_reasons(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_bytes(b"  \n\t \r\n \xc2\xa0 ")
    (tmp_path / "zw.txt").write_text("\u200b\u200d\ufeff\u202e", encoding="utf-8")
    (tmp_path / "punct.txt").write_text("... --- !!!", encoding="utf-8")
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02\xffBINARY" * 100)
    (tmp_path / "ok.txt").write_text(STORY, encoding="utf-8")
    arts, skipped = _items(tmp_path)
    assert [a.doc_id for a in arts] == ["ok.txt"]
    reasons = {Path(s.where).name: s.reason for s in skipped}
    assert set(reasons) == {"empty.txt", "blank.txt", "zw.txt", "punct.txt", "bin.txt"}
    assert reasons["empty.txt"].startswith("empty") and reasons["blank.txt"].startswith("empty")
    assert reasons["punct.txt"] == "empty: no words"
    assert "binary" in reasons["bin.txt"]


def test_non_utf8_files_are_read(tmp_path):
    (tmp_path / "win.txt").write_bytes("The café in Paris – “quoted”.".encode("cp1252"))
    (tmp_path / "u16.txt").write_bytes("Putin met Erdoğan in Sochi.".encode("utf-16"))
    arts, skipped = _items(tmp_path / "win.txt", tmp_path / "u16.txt")
    assert not skipped
    assert {a.doc_id: a.text for a in arts} == {"win.txt": "The café in Paris – “quoted”.",
                                                "u16.txt": "Putin met Erdoğan in Sochi."}


def test_duplicates_with_crlf_and_bom_are_one_document(tmp_path):
    (tmp_path / "a.txt").write_bytes(STORY.encode())
    (tmp_path / "b.txt").write_bytes(b"\xef\xbb\xbf" + STORY.replace("\n", "\r\n").encode() + b"\r\n")
    (tmp_path / "c.txt").write_bytes(STORY.encode("utf-16"))
    arts, skipped = _items(tmp_path)
    assert [a.doc_id for a in arts] == ["a.txt"]
    assert sorted(Path(s.where).name for s in skipped) == ["b.txt", "c.txt"]
    assert all(s.reason == "duplicate of a.txt" for s in skipped)


def test_same_id_with_a_crlf_variant_keeps_its_content_hash(tmp_path):
    (tmp_path / "a.txt").write_bytes(STORY.encode())
    first = next(read_file(tmp_path / "a.txt"))
    (tmp_path / "a.txt").write_bytes(b"\xef\xbb\xbf" + STORY.replace("\n", "\r\n").encode())
    second = next(read_file(tmp_path / "a.txt"))
    assert (first.doc_id, first.content_hash) == (second.doc_id, second.content_hash)


def test_jsonl_broken_line_is_skipped_with_its_number(tmp_path):
    lines = [json.dumps({"id": "j1", "text": "Russia backs Syria."}),
             '{"id": "j2", "text": "Turkey opposes',  # broken
             "",
             json.dumps({"id": "j3", "text": "Iran supports Hezbollah.", "date": "2019-05-02"}),
             json.dumps(["not", "an", "object"]),
             json.dumps({"text": "no id"}),
             json.dumps({"id": "j6", "text": 5}),
             "[" * 100_000,  # nested too deeply for the JSON parser
             json.dumps({"id": "j9", "text": "Putin\ud800 met Erdogan."})]
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8", errors="surrogatepass")
    arts, skipped = _items(path)
    assert [(a.doc_id, a.date) for a in arts] == [("j1", None), ("j3", "2019-05-02"), ("j9", None)]
    assert arts[2].text == "Putin met Erdogan."
    where = {s.where.rsplit(":", 1)[1]: s.reason for s in skipped}
    assert set(where) == {"2", "5", "6", "7", "8"}
    assert where["2"].startswith("broken JSON on line 2")
    assert "not a JSON object" in where["5"] and "'id'" in where["6"] and "'text'" in where["7"]
    assert "line 8" in where["8"]


def test_jsonl_with_bom_and_crlf(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + b"\r\n".join(json.dumps({"id": f"j{i}", "text": f"Russia backs Syria {i}."}).encode()
                                                     for i in range(3)) + b"\r\n")
    arts, skipped = _items(path)
    assert [a.doc_id for a in arts] == ["j0", "j1", "j2"] and not skipped


def test_html_boilerplate_scripts_and_entities(tmp_path):
    page = """<!doctype html><html><head><title>Ceasefire in Idlib</title>
<script>var Obama = 1; document.write("Kim Jong Un");</script><style>.Merkel{}</style></head><body>
<nav><a href="/">Home</a> | <a href="/world">World</a> | <a href="/putin">Putin</a></nav>
<div class="cookie-banner">We use cookies. By continuing to browse you accept cookies. <button>Accept</button></div>
<article><h1>Ceasefire in Idlib</h1>
<p>Russia and Turkey agreed a ceasefire in Idlib on Thursday after talks between the two defence ministers that
lasted most of the day &amp; much of the night, officials said.</p>
<p>The agreement &#x202E;creates a security corridor along the M4 highway, with joint patrols starting next
week, according to a statement read out in Moscow.</p>
<p>Syrian rebels said they doubted the truce would hold for long after previous deals collapsed.</p></article>
<footer>Copyright 2020 Example News</footer></body></html>"""
    (tmp_path / "page.html").write_text(page, encoding="utf-8")
    arts, skipped = _items(tmp_path / "page.html")
    assert not skipped, skipped
    text = arts[0].text
    assert "Russia and Turkey agreed a ceasefire" in text and "day & much of the night" in text
    for junk in ("var Obama", "Kim Jong Un", "Merkel", "Home", "Putin", "cookies", "Copyright", "&amp;", "&#x",
                 "\u202e"):
        assert junk not in text, junk


# ---------------------------------------------------------------------------------------------------- limits
def test_missing_input_names_the_path(tmp_path):
    with pytest.raises(InputError, match="nowhere.txt"):
        expand_inputs([tmp_path / "nowhere.txt"])


def test_unsupported_file_named_directly_is_skipped(tmp_path):
    (tmp_path / "x.pdf").write_bytes(b"%PDF-1.4")
    arts, skipped = _items(tmp_path / "x.pdf")
    assert not arts and "unsupported file type .pdf" in skipped[0].reason


def _big_file(path: Path, size: int, line: bytes) -> None:
    with path.open("wb") as fh:
        block = line * (1 << 20 // len(line) + 1)
        while fh.tell() < size:
            fh.write(block)


def test_50_megabyte_article_is_skipped_unread(tmp_path):
    big = tmp_path / "huge.txt"
    _big_file(big, 50 << 20, b"Russia backs Syria. " * 4 + b"\n")
    (tmp_path / "ok.txt").write_text(STORY, encoding="utf-8")
    tracemalloc.start()
    try:
        arts, skipped = _items(tmp_path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [a.doc_id for a in arts] == ["ok.txt"]
    assert len(skipped) == 1 and skipped[0].reason.startswith("too large: ") and "split it" in skipped[0].reason
    assert peak < 5 << 20, f"peak {peak / 1e6:.1f} MB while skipping a 50 MB file"


def test_50_megabyte_jsonl_is_streamed(tmp_path):
    path = tmp_path / "feed.jsonl"
    n = 0
    with path.open("w", encoding="utf-8") as fh:
        while fh.tell() < 50 << 20:
            fh.write(json.dumps({"id": f"d{n}", "text": f"Russia backs Syria in report {n}. " + "Filler words. " * 60})
                     + "\n")
            n += 1
    tracemalloc.start()
    try:
        count = sum(1 for item in iter_articles([path]) if isinstance(item, Article))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert count == n
    assert peak < 40 << 20, f"peak {peak / 1e6:.1f} MB while streaming a 50 MB JSONL file"


def test_article_over_the_character_limit_is_skipped(monkeypatch):
    monkeypatch.setattr(ingest, "MAX_ARTICLE_CHARS", 1000)
    item = ingest.article_from_record({"id": "long", "text": "Russia backs Syria. " * 100})
    assert isinstance(item, Skipped) and item.reason.startswith("too long: 1999 characters")


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() == 0, reason="root can read a chmod 000 file")
def test_unreadable_file_is_skipped(tmp_path):
    path = tmp_path / "locked.txt"
    path.write_text(STORY)
    path.chmod(0)
    try:
        arts, skipped = _items(path)
    finally:
        path.chmod(0o644)
    assert not arts and skipped[0].reason.startswith("unreadable")


# ------------------------------------------------------------------------------- splitting for the parser
def test_split_text_keeps_offsets_into_the_original():
    text = ("Putin met Erdogan. " * 300 + "\n\n") * 40 + "x" * 5000 + " end"
    pieces = split_text(text, 10_000)
    assert len(pieces) > 20
    pos = 0
    for offset, piece in pieces:
        assert len(piece) <= 10_000
        assert text[offset:offset + len(piece)] == piece
        assert offset >= pos and not text[pos:offset].strip()  # only blanks between pieces
        pos = offset + len(piece)
    assert pos == len(text)


def test_defuse_keeps_length_and_breaks_long_runs():
    text = "Putin said " + "!" * 5000 + " and http://example.com/" + "\u2603" * 13200 + " again."
    safe = defuse(text)
    assert len(safe) == len(text)
    assert safe.startswith("Putin said ") and safe.endswith(" again.")
    assert max(len(run) for run in safe.split()) <= MAX_RUN
    assert defuse(STORY) is STORY


def test_a_tag_list_run_into_the_text_is_page_furniture_but_no_sentence_is_lost():
    from kg.ingest import clean_text

    text = ("A suicide bomber killed 25 soldiers in Aleppo on Monday a monitoring group said Tags Nusra Front "
            "al-Qaeda Aleppo Syria Assad extremism war. A second attack followed.")
    assert clean_text(text) == ("A suicide bomber killed 25 soldiers in Aleppo on Monday a monitoring group said. "
                                "A second attack followed.")
    assert clean_text("Jets struck Raqqa, residents said Tags Daesh Syria Raqqa Community standards") == \
        "Jets struck Raqqa, residents said"
    # a long list runs into the next sentence with no full stop: where it ends is unknown, the sentence stays
    long = ("Shelling hit the city Tags Syria Aleppo UN De Mistura Fatah al-Sham Eleven people including a woman "
            "and child were killed in rebel shelling on Friday. More were hurt.")
    assert "Eleven people including a woman and child were killed" in clean_text(long)
