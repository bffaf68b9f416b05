"""Safe text helpers for the pages: file names, JSON for ``<script>`` blocks, highlighted segments.

Nothing here emits HTML: segments are plain records that the (autoescaping) templates turn into markup, so
article text can never become markup.
"""
from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

__all__ = ["actor_slug", "doc_slug", "relation_slug", "script_json", "Segment", "segments", "segments_html", "excerpt",
           "clip"]

_GAZETTEER_KEY = re.compile(r"^[A-Z][A-Z0-9_]{0,63}$")
_UNSAFE = re.compile(r"[^a-z0-9]+")


def _hash(value: str, n: int = 8) -> str:
    return hashlib.sha1(value.encode("utf-8")).hexdigest()[:n]


def _readable(value: str, limit: int = 48) -> str:
    return _UNSAFE.sub("-", value.lower()).strip("-")[:limit].strip("-")


def actor_slug(key: str) -> str:
    """File name stem of an actor's page: the key itself for gazetteer keys, else a readable stem plus a hash.

    Examples:
        >>> actor_slug("RUS"), actor_slug("~person/ivan-smith")
        ('RUS', 'person-ivan-smith-bc7b5ab5')
        >>> actor_slug("<img src=x>")[:11]
        'img-src-x-f'
    """
    if _GAZETTEER_KEY.match(key):
        return key
    return f"{_readable(key) or 'actor'}-{_hash(key)}"


def doc_slug(doc_id: str) -> str:
    """File name stem of a document's page: a readable stem plus a hash of the id (ids may differ only in case).

    Examples:
        >>> doc_slug("a.txt")
        'a-txt-cfc7b488'
    """
    return f"{_readable(doc_id) or 'doc'}-{_hash(doc_id)}"


def relation_slug(relation: str) -> str:
    """File name stem of a relation type's page (ontology local names are already safe).

    Examples:
        >>> relation_slug("fightsAgainst"), relation_slug("../x")[:2]
        ('fightsAgainst', 'x-')
    """
    if re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{0,63}", relation):
        return relation
    return f"{_readable(relation) or 'relation'}-{_hash(relation)}"


_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_JSON_UNSAFE = re.compile("[<>&\u2028\u2029]")


def script_json(value: Any) -> Markup:
    """JSON that is safe inside ``<script type="application/json">``: ``<``, ``>``, ``&`` are escaped.

    Keys are sorted so the same data gives the same bytes.

    Examples:
        >>> str(script_json({"b": "</script>", "a": 1}))
        '{"a":1,"b":"\\\\u003c/script\\\\u003e"}'
    """
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return Markup(_JSON_UNSAFE.sub(lambda m: _JSON_ESCAPES[m.group()], text))


@dataclass(frozen=True)
class Segment:
    """A run of text and how to show it: inside the relation's span (``mark``), inside a mention (``href``)."""

    text: str
    mark: bool = False
    mention: bool = False
    href: str | None = None
    title: str | None = None


def segments(text: str, *, base: int = 0, marks: Iterable[tuple[int, int]] = (),
             mentions: Iterable[tuple[int, int, str | None, str | None]] = ()) -> list[Segment]:
    """Cut ``text`` into runs at the boundaries of marked spans and mentions.

    Offsets are absolute (into the document); ``base`` is the offset of ``text[0]``. Spans outside the text are
    clipped; overlapping mentions keep the first (earliest, then longest).

    Args:
        text: the text shown (a sentence, or a whole document with ``base=0``).
        base: document offset of ``text[0]``.
        marks: ``(start, end)`` spans to highlight with ``<mark>``.
        mentions: ``(start, end, href, title)`` actor mentions; ``href`` may be None (no page).

    Examples:
        >>> [(s.text, s.mark, s.href) for s in segments("Putin met Erdogan.", base=10,
        ...     marks=[(16, 19)], mentions=[(10, 15, "actor/PUTIN.html", "Vladimir Putin")])]
        [('Putin', False, 'actor/PUTIN.html'), (' ', False, None), ('met', True, None), (' Erdogan.', False, None)]
    """
    size = len(text)

    def clipped(start: int, end: int) -> tuple[int, int] | None:
        start, end = max(start - base, 0), min(end - base, size)
        return (start, end) if start < end else None

    mark_spans = sorted(filter(None, (clipped(int(s), int(e)) for s, e in marks)))
    mention_spans: list[tuple[int, int, str | None, str | None]] = []
    last_end = -1
    for start, end, href, title in sorted(mentions, key=lambda m: (m[0], -m[1], m[2] or "", m[3] or "")):
        span = clipped(int(start), int(end))
        if span is None or span[0] < last_end:
            continue
        mention_spans.append((span[0], span[1], href, title))
        last_end = span[1]
    cuts = {0, size}
    for start, end in mark_spans:
        cuts.update((start, end))
    for start, end, _, _ in mention_spans:
        cuts.update((start, end))
    points = sorted(cuts)
    out: list[Segment] = []
    m = 0
    for a, b in zip(points, points[1:]):
        marked = any(s <= a and b <= e for s, e in mark_spans)
        while m < len(mention_spans) and mention_spans[m][1] <= a:
            m += 1
        mention = mention_spans[m] if m < len(mention_spans) and mention_spans[m][0] <= a < mention_spans[m][1] else None
        out.append(Segment(text[a:b], mark=marked, mention=mention is not None,
                           href=mention[2] if mention else None, title=mention[3] if mention else None))
    return out


def segments_html(segs: Iterable[Segment]) -> Markup:
    """Escaped markup for segments: ``<mark>`` for marked runs, ``<a class="mention">`` for linked mentions.

    Every piece of text and every attribute goes through ``markupsafe.escape``.

    Examples:
        >>> str(segments_html([Segment("<b>", mark=True), Segment("Putin", mention=True, href="a.html", title='"P"')]))
        '<mark>&lt;b&gt;</mark><a class="mention" href="a.html" title="&#34;P&#34;">Putin</a>'
    """
    parts: list[str] = []
    for seg in segs:
        text = escape(seg.text)
        if seg.href:
            text = Markup('<a class="mention" href="{}" title="{}">{}</a>').format(seg.href, seg.title or "", seg.text)
        elif seg.mention:
            text = Markup('<span class="mention" title="{}">{}</span>').format(seg.title or "", seg.text)
        parts.append(f"<mark>{text}</mark>" if seg.mark else str(text))
    return Markup("".join(parts))


def excerpt(sentence: str, start: int, end: int, limit: int = 400) -> tuple[str, int, int]:
    """At most ``limit`` characters of ``sentence`` around ``[start, end)`` (offsets into the sentence).

    Returns the shortened text and the span's offsets in it (clipped to it).

    Examples:
        >>> excerpt("a" * 10 + "XY" + "b" * 10, 10, 12, limit=6)
        ('…aXYb…', 2, 4)
    """
    start, end = max(0, min(start, len(sentence))), max(0, min(end, len(sentence)))
    if len(sentence) <= limit:
        return sentence, start, end
    width = max(limit - 2, 1)
    if end - start >= width:
        lo = start
    else:
        lo = max(0, start - (width - (end - start)) // 2)
    lo = min(lo, max(len(sentence) - width, 0))
    hi = min(len(sentence), lo + width)
    head, tail = ("…" if lo > 0 else ""), ("…" if hi < len(sentence) else "")
    shift = len(head) - lo
    return head + sentence[lo:hi] + tail, max(start + shift, len(head)), min(end + shift, len(head) + hi - lo)


def clip(text: str | None, limit: int = 120) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis (None -> "").

    Examples:
        >>> clip("abcdef", 4)
        'abc…'
    """
    text = text or ""
    return text if len(text) <= limit else text[: limit - 1] + "…"
