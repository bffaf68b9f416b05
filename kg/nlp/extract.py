"""Articles in, :class:`~kg.model.RawDoc` out: parse, find mentions, find relations.

Long documents are cut on paragraph boundaries into pieces the parser can take (offsets kept in the
original text); batches run inside ``nlp.memory_zone()`` so memory stays flat over a large corpus.

spaCy's tokenizer is quadratic in the length of a run without whitespace that it keeps splitting (a run of
"!", a URL followed by thousands of symbols: 37 s for 13,200 characters on spaCy 3.8). No word an actor is
named by is that long, so runs over :data:`MAX_RUN` characters are blanked (same length, so every offset still
points into the article's text) before the parser sees them, and evidence sentences are read back from the
article's own text.
"""
from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import replace

from kg.model import Article, RawDoc, RawMention, RawRelation, Skipped
from kg.nlp.lexicon import Lexicon, load_lexicon
from kg.nlp.mentions import find_mentions
from kg.nlp.relations import find_relations

__all__ = ["parse_documents", "split_text", "mention_type", "defuse", "MAX_RUN", "CHAR_BUDGET"]

log = logging.getLogger(__name__)

_LABEL_TYPES = {"PERSON": "Person", "GPE": "Place", "LOC": "Place", "FAC": "Place", "ORG": "Organization",
                "EVENT": "Event"}
#: Longest run of non-whitespace characters the parser is given; longer runs are blanked (see :func:`defuse`).
MAX_RUN = 100
_LONG_RUN = re.compile(r"\S{%d,}" % (MAX_RUN + 1))

_KIND_TYPES = {"role": "Person", "pronoun": "Person", "institution": "State", "place_anaphor": "Place"}


def split_text(text: str, limit: int) -> list[tuple[int, str]]:
    """``text`` cut into ``(offset, piece)`` of at most ``limit`` characters, on paragraph, line or space breaks.

    >>> split_text("aaa\\n\\nbbb\\n\\nccc", 8)
    [(0, 'aaa\\n\\nbbb'), (10, 'ccc')]
    """
    if len(text) <= limit:
        return [(0, text)]
    pieces, start = [], 0
    while start < len(text):
        end = min(start + limit, len(text))
        if end < len(text):
            for sep in ("\n\n", "\n", ". ", " "):
                # a separator may begin at ``end`` itself; a sentence keeps its full stop
                cut = text.rfind(sep, start + limit // 4, end + len(sep))
                if cut > start:
                    end = min(cut + 1, end) if sep == ". " else cut
                    break
        pieces.append((start, text[start:end]))
        start = end
        while start < len(text) and text[start] in "\n ":
            start += 1
    return pieces


def defuse(text: str) -> str:
    """``text`` with every run of more than :data:`MAX_RUN` non-whitespace characters replaced by as many spaces.

    The length (and so every offset) is unchanged; the parser's time becomes linear in the text's length.

    >>> defuse("Putin said " + "!" * 200 + " again.") == "Putin said " + " " * 200 + " again."
    True
    """
    if len(text) <= MAX_RUN:
        return text
    return _LONG_RUN.sub(lambda m: " " * len(m.group()), text)


def _restore_sentences(relations: list[RawRelation], piece: str) -> list[RawRelation]:
    """Evidence sentences read from the piece's own text (the parser saw a defused copy)."""
    out = []
    for r in relations:
        ev = r.evidence
        original = piece[ev.sentence_start:ev.sentence_start + len(ev.sentence)]
        out.append(r if original == ev.sentence else replace(r, evidence=replace(ev, sentence=original)))
    return out


def mention_type(mention: RawMention, gazetteer) -> tuple[str | None, str | None]:
    """(actor type, subtype) of a mention, from the gazetteer when it knows the name."""
    if mention.ref:
        entry = gazetteer.get(mention.ref)
        if entry is not None:
            if mention.place_use and entry.type == "State" and mention.kind == "metonym":
                return "Place", "City"
            if entry.subtype is None and entry.sector == "PTY":
                return entry.type, "Party"  # "Lib Dem Norman Baker": a party before a name is the person's
            return entry.type, entry.subtype
    if mention.kind == "agent":
        from kg.nlp.sectors import load_sectors

        sectors = load_sectors()
        return ("State" if sectors.is_organ(mention.role) else sectors.actor_type(mention.role)), None
    if mention.kind in _KIND_TYPES:
        return _KIND_TYPES[mention.kind], None
    return _LABEL_TYPES.get(mention.label), None


def _shift(items, offset: int, sent_offset: int):
    mentions, relations = items
    if not offset and not sent_offset:
        return mentions, relations
    mentions = [replace(m, start=m.start + offset, end=m.end + offset, sentence=m.sentence + sent_offset) for m in mentions]
    relations = [replace(r, evidence=replace(r.evidence, sentence_start=r.evidence.sentence_start + offset,
                                             start=r.evidence.start + offset, end=r.evidence.end + offset))
                 for r in relations]
    return mentions, relations


def _read(doc, gazetteer, lex: Lexicon) -> tuple[list[RawMention], list[RawRelation]]:
    mentions, by_token = find_mentions(doc, gazetteer, lex)
    types = [mention_type(m, gazetteer) for m in mentions]
    for i, m in enumerate(mentions):
        if m.kind == "pronoun_it" and m.of is not None and 0 <= m.of < len(types):
            types[i] = types[m.of]  # "its" is what it stands for: Washington's type, not its NER label's (GPE)
    relations = find_relations(doc, mentions, by_token, lex, lambda i: types[i])
    return mentions, relations


def parse_documents(articles: Iterable[Article], nlp, gazetteer, *, max_chars: int = 100_000,
                    batch_size: int = 8, zone_size: int = 50) -> Iterator[RawDoc | Skipped]:
    """Parse ``articles`` with ``nlp`` (from :func:`kg.nlp.pipeline.load_pipeline`) into RawDocs, in order.

    A document on which a rule fails comes back as :class:`~kg.model.Skipped` with the reason (and the
    traceback in the log); the others are unaffected.
    """
    lex = load_lexicon()
    nlp.max_length = max(nlp.max_length, max_chars + 1)
    batch: list[Article] = []
    for article in articles:
        batch.append(article)
        if len(batch) >= zone_size:
            yield from _zone(batch, nlp, gazetteer, lex, max_chars, batch_size)
            batch = []
    if batch:
        yield from _zone(batch, nlp, gazetteer, lex, max_chars, batch_size)


#: Most characters handed to the parser in one call (a longer piece goes alone): the parser's transient memory
#: follows the batch's text (about 1 GB per 100,000 characters at worst, E088), so the peak RSS follows this and
#: ``batch_size``, not the corpus.
CHAR_BUDGET = 20_000


def _groups(pieces: list, batch_size: int, char_budget: int) -> Iterator[list]:
    group, size = [], 0
    for item in pieces:
        if group and (len(group) >= batch_size or size + len(item[0]) > char_budget):
            yield group
            group, size = [], 0
        group.append(item)
        size += len(item[0])
    if group:
        yield group


def _parse_group(nlp, group: list, batch_size: int) -> Iterator[tuple]:
    """``(doc or None, context, error or None)`` per piece; a piece the parser fails on does not take the others down."""
    try:
        parsed = list(nlp.pipe(group, as_tuples=True, batch_size=batch_size))
    except Exception as exc:  # noqa: BLE001 - spaCy raises many types (ValueError E088, UnicodeEncodeError...)
        if len(group) == 1:
            yield None, group[0][1], exc
            return
        for item in group:
            yield from _parse_group(nlp, [item], 1)
        return
    for doc, ctx in parsed:
        yield doc, ctx, None


@functools.cache
def _malloc_trim():
    """glibc's ``malloc_trim``, or None where there is no glibc."""
    import ctypes

    try:
        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


def _trim() -> None:
    """Give the memory freed by a zone back to the system (glibc keeps freed heap pages otherwise)."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


def _zone(batch: list[Article], nlp, gazetteer, lex, max_chars: int, batch_size: int) -> Iterator[RawDoc]:
    pieces = []
    for n, a in enumerate(batch):
        for offset, piece in split_text(a.text, max_chars):
            safe = defuse(piece)
            pieces.append((safe, (n, offset, piece if safe is not piece else None)))
    per_doc: dict[int, tuple[list, list, int]] = {}
    failed: dict[int, str] = {}
    zone = nlp.memory_zone() if hasattr(nlp, "memory_zone") else None
    if zone is not None:
        zone.__enter__()
    try:
        for group in _groups(pieces, batch_size, CHAR_BUDGET):
            for doc, (n, offset, original), error in _parse_group(nlp, group, batch_size):
                mentions, relations, sents = per_doc.setdefault(n, ([], [], 0))
                if n in failed:
                    continue
                if error is not None:
                    log.error("the parser failed on %s at character %d: %s", batch[n].doc_id, offset, error)
                    failed[n] = f"parser failed at character {offset}: {type(error).__name__}: {error}"
                    continue
                try:
                    m, r = _read(doc, gazetteer, lex)
                    if original is not None:
                        r = _restore_sentences(r, original)
                except Exception as exc:  # noqa: BLE001 - a rule's bug on one document must not stop the corpus
                    log.exception("extraction failed on %s", batch[n].doc_id)
                    failed[n] = f"extraction failed: {type(exc).__name__}: {exc}"
                    continue
                base = len(mentions)
                m, r = _shift((m, r), offset, sents)
                if base:
                    r = [replace(x, subject=x.subject + base, object=x.object + base,
                                 speakers=tuple(s + base for s in x.speakers)) for x in r]
                    m = [replace(x, of=x.of + base) if x.of is not None else x for x in m]
                mentions.extend(m)
                relations.extend(r)
                per_doc[n] = (mentions, relations, sents + len(list(doc.sents)))
    finally:
        if zone is not None:
            zone.__exit__(None, None, None)
        _trim()
    for n, article in enumerate(batch):
        if n in failed:
            yield Skipped(article.path or article.doc_id, failed[n])
            continue
        mentions, relations, _ = per_doc.get(n, ([], [], 0))
        yield RawDoc(article=article, mentions=tuple(mentions), relations=tuple(relations))
