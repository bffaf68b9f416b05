"""Property-based tests (hypothesis): ingest normalisation, name keys and IRI minting never raise on any string,
are idempotent / symmetric / stable, and always give IRIs that RDF parsers accept."""
from __future__ import annotations

import pyoxigraph as ox
import rdflib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.graph import iri
from kg.ingest import clean_text, decode_bytes, normalise_text
from kg.errors import InputError
from kg.nlp.extract import MAX_RUN, defuse, split_text
from kg.resolve.names import provisional_key, same_name, slug, translit_key

# any str, including lone surrogates, controls, bidi and combining marks
ANY = st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x10FFFF, exclude_categories=()), max_size=300)
TRICKY = st.text(alphabet=st.sampled_from(list("aZ \n\r\t\x00\x0b\x0c\x85\u00a0\u200b\u202e\u2028\u2029\ufeff\ud800"
                                               "\udfff\u0301e\u3000#*[]()<>\"'\\{}.!?|")), max_size=200)
TEXTS = st.one_of(ANY, TRICKY)
PROPS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPS
@given(TEXTS)
def test_normalise_text_is_total_idempotent_and_clean(text):
    once = normalise_text(text)
    assert normalise_text(once) == once
    once.encode("utf-8")  # no lone surrogates
    assert not any(c in once for c in "\x00\r\u200b\u202e\ufeff\u2028")
    assert once == once.strip()


@PROPS
@given(TEXTS, st.booleans())
def test_clean_text_is_total_and_idempotent(text, markdown):
    once = clean_text(text, markdown=markdown)
    assert clean_text(once, markdown=markdown) == once
    once.encode("utf-8")


@PROPS
@given(st.binary(max_size=400))
def test_decode_bytes_returns_text_or_refuses_with_input_error(data):
    try:
        text = decode_bytes(data)
    except InputError:
        return
    assert isinstance(text, str)
    normalise_text(text).encode("utf-8")


@PROPS
@given(TEXTS, st.integers(min_value=8, max_value=120))
def test_split_text_covers_the_text_with_true_offsets(text, limit):
    pos = 0
    for offset, piece in split_text(text, limit):
        assert 0 < len(piece) <= limit or len(text) <= limit
        assert text[offset:offset + len(piece)] == piece
        assert offset >= pos
        pos = offset + len(piece)
    assert not text[pos:].strip(" \n")


@PROPS
@given(TEXTS)
def test_defuse_keeps_offsets(text):
    safe = defuse(text)
    assert len(safe) == len(text)
    assert all(a == b or b == " " for a, b in zip(text, safe))
    assert all(len(run) <= MAX_RUN for run in safe.split())


@PROPS
@given(TEXTS)
def test_slug_and_translit_key_never_raise_and_are_ascii(name):
    s = slug(name)
    assert s and s.isascii() and s == slug(s)
    translit_key(name).encode("ascii")


@PROPS
@given(TEXTS, TEXTS)
def test_same_name_is_total_and_symmetric(a, b):
    assert same_name(a, b) == same_name(b, a)


@PROPS
@given(TEXTS)
def test_same_name_is_reflexive_for_names_with_letters(a):
    if translit_key(a).split():
        assert same_name(a, a)


def _valid_iri(value: str) -> None:
    ox.NamedNode(value)  # raises ValueError on an invalid IRI
    assert not any(c in value for c in ' <>"{}|\\^`\n') and value.isascii()
    g = rdflib.Graph()
    g.parse(data=f"<{value}> <http://x/p> <{value}> .", format="nt")
    assert {str(s) for s in g.subjects()} == {value}


@PROPS
@given(st.one_of(TEXTS, st.builds(provisional_key, TEXTS, st.sampled_from(["Person", "Organization", "Place"]))))
def test_actor_iri_is_valid_stable_and_reversible(key):
    if not key:
        return
    value = iri.actor_iri(key)
    assert value == iri.actor_iri(key)
    _valid_iri(value)
    if not any("\ud800" <= c <= "\udfff" for c in key):  # ingest removes lone surrogates before keys exist
        assert iri.actor_key_of(value) == key


@PROPS
@given(TEXTS, st.integers(0, 10**7), st.integers(0, 10**7), TEXTS, TEXTS)
def test_document_mention_and_evidence_iris_are_valid_and_stable(doc_id, start, end, s, o):
    for make in (lambda: iri.doc_iri(doc_id), lambda: iri.mention_iri(doc_id, start, end),
                 lambda: iri.evidence_iri(doc_id, s, "supports", o, start, end),
                 lambda: iri.role_iri(s, "headOfStateOf", o, start, end)):
        value = make()
        assert value == make()
        _valid_iri(value)


@PROPS
@given(TEXTS, TEXTS)
def test_distinct_document_ids_get_distinct_iris(a, b):
    if a != b:
        assert iri.doc_iri(a) != iri.doc_iri(b)
