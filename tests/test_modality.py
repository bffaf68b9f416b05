"""Modality rules on hand-built parses (no model): the tree is given, so only kg's rule is tested."""
from __future__ import annotations

import pytest
from spacy.tokens import Doc
import spacy

from kg.nlp.lexicon import load_lexicon
from kg.nlp.modality import modality_of


_VOCAB = spacy.blank("en").vocab  # with English lexical attributes (lower case), no model


def _doc(words, heads, deps, lemmas=None, pos=None):
    lemmas = lemmas or [w.lower() for w in words]
    return Doc(_VOCAB, words=words, heads=heads, deps=deps, lemmas=lemmas,
               pos=pos or ["NOUN" if d in ("nsubj", "dobj", "pobj") else "VERB" if d == "ROOT" else "X" for d in deps])


@pytest.fixture(scope="module")
def lex():
    return load_lexicon()


def test_not_negates_the_verb(lex):
    # Russia did not attack Idlib
    doc = _doc(["Russia", "did", "not", "attack", "Idlib"], [3, 3, 3, 3, 3], ["nsubj", "aux", "neg", "ROOT", "dobj"])
    assert modality_of(doc[3], lex) == "negated"


def test_no_before_the_noun_negates_it(lex):
    # There will be no assault on Idlib
    doc = _doc(["There", "will", "be", "no", "assault", "on", "Idlib"], [2, 2, 2, 4, 2, 4, 5],
               ["expl", "aux", "ROOT", "det", "attr", "prep", "pobj"])
    assert modality_of(doc[4], lex) == "negated"


def test_averting_an_offensive_negates_it(lex):
    # The deal helped avert an offensive
    doc = _doc(["The", "deal", "helped", "avert", "an", "offensive"], [1, 2, 2, 2, 5, 3],
               ["det", "nsubj", "ROOT", "xcomp", "det", "dobj"], lemmas=["the", "deal", "help", "avert", "an", "offensive"])
    assert modality_of(doc[5], lex) == "negated"


def test_may_hedges_and_will_plans(lex):
    doc = _doc(["Syria", "may", "attack", "Idlib"], [2, 2, 2, 2], ["nsubj", "aux", "ROOT", "dobj"])
    assert modality_of(doc[2], lex) == "hedged"
    doc = _doc(["Syria", "will", "attack", "Idlib"], [2, 2, 2, 2], ["nsubj", "aux", "ROOT", "dobj"])
    assert modality_of(doc[2], lex) == "planned"


def test_reportedly_is_reported_not_doubt(lex):
    doc = _doc(["Turkey", "reportedly", "sent", "troops"], [2, 2, 2, 2], ["nsubj", "advmod", "ROOT", "dobj"],
               lemmas=["turkey", "reportedly", "send", "troop"])
    assert modality_of(doc[2], lex) == "reported"


def test_negation_does_not_cross_into_a_reported_clause_from_its_subject(lex):
    # Moscow, Assad's backer, denied the accusations: "backer" is not negated by "denied"
    doc = _doc(["Moscow", ",", "Assad", "'s", "backer", ",", "denied", "accusations"], [6, 0, 4, 2, 0, 0, 6, 6],
               ["nsubj", "punct", "poss", "case", "appos", "punct", "ROOT", "dobj"],
               lemmas=["moscow", ",", "assad", "'s", "backer", ",", "deny", "accusation"])
    assert modality_of(doc[4], lex) == "asserted"
