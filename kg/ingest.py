"""Files, folders, JSONL and HTML in; :class:`~kg.model.Article` records with clean text out.

Text is decoded (BOM, then UTF-8, then cp1252), normalised (NFC, LF line ends, no C0 controls but
``\\n``/``\\t``, no zero-width or bidi characters, no lone surrogates), stripped of page furniture
(``kg/data/boilerplate.txt``) and Markdown markup. Inputs that cannot be used become
:class:`~kg.model.Skipped` records with a reason; one bad input never stops the rest.

Limits: a .txt/.md/.html file over :data:`MAX_ARTICLE_BYTES` is skipped unread (a news article is never that
big; split it into several files); a JSONL file is read one line at a time (up to :data:`MAX_FILE_BYTES`), and
an article whose text is over :data:`MAX_ARTICLE_CHARS` characters is skipped with a reason. Articles under
that limit but over the parser's ``max_length`` are split by :func:`kg.nlp.extract.split_text`.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import stat
import unicodedata
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

from kg.errors import InputError
from kg.model import Article, Skipped

__all__ = [
    "SUFFIXES",
    "MAX_FILE_BYTES",
    "MAX_ARTICLE_BYTES",
    "MAX_ARTICLE_CHARS",
    "iter_articles",
    "expand_inputs",
    "is_output_folder",
    "is_regular_file",
    "normalise_text",
    "clean_text",
    "decode_bytes",
    "read_file",
    "article_from_record",
]

log = logging.getLogger(__name__)

SUFFIXES = (".txt", ".md", ".html", ".htm", ".jsonl")
#: Largest input file read at all (a JSONL file of many articles).
MAX_FILE_BYTES = 200_000_000
#: Largest .txt/.md/.html file read as one article.
MAX_ARTICLE_BYTES = 8_000_000
#: Longest article text (after normalisation) handed to the NLP stage.
MAX_ARTICLE_CHARS = 2_000_000

_DROP_CHARS = dict.fromkeys(
    [c for c in range(0x20) if c not in (0x09, 0x0A)]
    + [0x7F]
    + list(range(0x200B, 0x2010))  # zero-width space/joiners, LRM, RLM
    + list(range(0x202A, 0x202F))  # bidi embeddings and overrides
    + list(range(0x2066, 0x206A))  # bidi isolates
    + [0xFEFF, 0x00AD]  # BOM / zero-width no-break space, soft hyphen
)
_SURROGATES = re.compile("[\ud800-\udfff]")
_SPACES = re.compile(" {2,}")
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_DATELINE = re.compile(rf"^\W*(?:\w+,\s+)?({_MONTHS})\.?\s+(\d{{1,2}}),?\s+(\d{{4}})\b", re.I)
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def normalise_text(text: str) -> str:
    """Unicode-normalise ``text`` so that the same article always gives the same string.

    Idempotent and total: it never raises on any ``str``.

    >>> normalise_text("Vladi\\u200bmir\\r\\nPutin\\x00 \\ufeff")
    'Vladimir\\nPutin'
    """
    text = _SURROGATES.sub("", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = text.replace("\u00a0", " ").replace("\x0b", " ").replace("\x0c", " ")
    text = text.translate(_DROP_CHARS)
    text = unicodedata.normalize("NFC", text)
    # a control character or NBSP beside a space must not leave a space *token* inside a name ("Angela  Merkel")
    text = _SPACES.sub(" ", text)
    lines = [line.rstrip() for line in text.split("\n")]
    return "\n".join(lines).strip()


@lru_cache(maxsize=1)
def _boilerplate() -> re.Pattern:
    raw = (Path(__file__).parent / "data" / "boilerplate.txt").read_text(encoding="utf-8")
    rules = [line.strip() for line in raw.splitlines() if line.strip() and not line.startswith("#")]
    return re.compile("|".join(f"(?:{r})" for r in rules), re.I)


_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_AUTOLINK = re.compile(r"<https?://[^>\s]*>")
_MD_EMPH = re.compile(r"(\*\*|__)(.+?)\1")
_MD_HEADING = re.compile(r"^#{1,6}\s+", re.M)
_BRACKET_TAG = re.compile(r"\[/?[a-z_]+\]")
#: A scraped page's tag list run into the text: "... a monitoring group said Tags Nusra Front Aleppo Syria war.", up
#: to a full stop within twelve words or, with no full stop after it, to the end; a longer list running into the next
#: sentence stays (where it ends is not known, and a sentence must not be lost).
_RUN_IN_TAGS = re.compile(r"(?<=[a-z0-9,;])\s+Tags:?\s+(?:(?:[^\s.!?]+\s+){0,11}?[^\s.!?]+(?=[.!?](?:\s|$))|[^.!?]*$)")
_CAPTION_CREDIT = re.compile(r"\s*\((?:image|photo|picture|credit|pictured|source)s?: [^)]{1,80}\)", re.I)


def clean_text(text: str, *, markdown: bool = False) -> str:
    """Normalise ``text`` and drop page furniture lines (and Markdown markup when ``markdown``).

    >>> clean_text("Putin met Erdogan.\\nYou might also like\\nShare Tweet Email")
    'Putin met Erdogan.'
    >>> clean_text("Jets struck Idlib, a monitor said Tags Syria warplane Idlib war. Rebels fled.")
    'Jets struck Idlib, a monitor said. Rebels fled.'
    """
    text = normalise_text(text)
    if markdown or _MD_LINK.search(text) or _MD_HEADING.search(text):
        text = _MD_LINK.sub(r"\1", text)
        text = _MD_AUTOLINK.sub("", text)
        text = _MD_EMPH.sub(r"\2", text)
        text = _MD_HEADING.sub("", text)
    pattern = _boilerplate()
    kept = []
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped and pattern.fullmatch(stripped):
            continue
        if "[" in line:
            line = _BRACKET_TAG.sub("", line)
        if "(" in line:
            line = _CAPTION_CREDIT.sub("", line)
        if "Tags" in line:
            line = _RUN_IN_TAGS.sub("", line)
        kept.append(line)
    text = "\n".join(kept)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def decode_bytes(data: bytes) -> str:
    """Decode from the BOM, else UTF-8, else cp1252 (which reads nearly any byte), else Latin-1.

    Raises:
        InputError: the bytes look binary (NUL bytes outside a UTF-16/32 text).

    >>> decode_bytes(b"Caf\\xe9")
    'Café'
    >>> decode_bytes("Idlib".encode("utf-16"))
    'Idlib'
    """
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
                       (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as exc:
                raise InputError(f"declares {codec} with a byte-order mark but does not decode as it ({exc})") from exc
    head = data[:8192]
    codec = _utf16_without_bom(head) if b"\x00" in head else None
    if codec is not None:
        text = data.decode(codec, errors="replace")
    elif head.count(b"\x00") > max(2, len(head) // 100):  # a stray NUL in a text is dropped by normalise_text
        raise InputError("looks binary (NUL bytes), not text; expected UTF-8, cp1252 or UTF-16 text")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = _mostly_utf8(data)
            if text is None:
                try:
                    text = data.decode("cp1252")
                except UnicodeDecodeError:
                    text = data.decode("latin-1")
    if _looks_binary(text):
        raise InputError("looks binary (many control characters), not text; expected UTF-8, cp1252 or UTF-16 text")
    return text


def _utf16_without_bom(head: bytes) -> str | None:
    """``utf-16-le``/``utf-16-be`` when the NUL bytes sit where UTF-16 puts them in mostly-Latin text."""
    pairs = len(head) // 2
    if pairs < 2:
        return None
    odd = sum(1 for i in range(1, 2 * pairs, 2) if head[i] == 0)
    even = sum(1 for i in range(0, 2 * pairs, 2) if head[i] == 0)
    if odd >= 0.9 * pairs and even == 0:
        return "utf-16-le"
    if even >= 0.9 * pairs and odd == 0:
        return "utf-16-be"
    return None


def _mostly_utf8(data: bytes) -> str | None:
    """UTF-8 with the few undecodable bytes replaced (U+FFFD), when valid UTF-8 sequences outnumber them;
    None when the bytes look like a single-byte encoding instead."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for c in text if c > "\x7f" and c != "\ufffd")
    return text if good > bad else None


_BINARY_CONTROLS = frozenset(chr(c) for c in [*range(0x00, 0x09), 0x0E, 0x0F, *range(0x10, 0x20), *range(0x80, 0xA0)]
                             if chr(c) not in "\x1c\x1d\x1e\x1f\x85")


def _looks_binary(text: str) -> bool:
    sample = text[:8192]
    if not sample:
        return False
    return sum(1 for c in sample if c in _BINARY_CONTROLS) > 0.05 * len(sample)


def _find_date(text: str) -> str | None:
    """An ISO date from a dateline in the first lines of ``text``, if there is one."""
    for line in text.split("\n")[:12]:
        line = line.strip()
        if not line or len(line) > 60:
            continue
        m = _DATELINE.match(line)
        if m:
            try:
                return datetime.strptime(f"{m[1]} {m[2]} {m[3]}", "%B %d %Y").date().isoformat()
            except ValueError:
                continue
        m = _ISO_DATE.search(line)
        if m:
            return _iso_date(m[0])
    return None


def _iso_date(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, (date, datetime)):
        return value.isoformat()[:10]
    value = str(value).strip()
    m = _ISO_DATE.search(value)
    if m:
        try:
            return date(int(m[1]), int(m[2]), int(m[3])).isoformat()
        except ValueError:
            return None
    for fmt in ("%B %d, %Y", "%B %d %Y", "%d %B %Y", "%b %d, %Y", "%d %b %Y"):
        try:
            return datetime.strptime(value, fmt).date().isoformat()
        except ValueError:
            continue
    return None


def _title_of(text: str) -> str | None:
    for line in text.split("\n"):
        line = line.strip()
        if line:
            return line if len(line) <= 200 else None
    return None


def _article(doc_id: str, raw_text: str, *, markdown: bool = False, title=None, date_=None, source=None,
             url=None, path=None) -> Article | Skipped:
    if len(raw_text) > 4 * MAX_ARTICLE_CHARS:
        return Skipped(path or doc_id, f"too long: {len(raw_text)} characters, over the limit of {MAX_ARTICLE_CHARS} "
                                       f"for one article; split it into several documents")
    text = clean_text(raw_text, markdown=markdown)
    if len(text) > MAX_ARTICLE_CHARS:
        return Skipped(path or doc_id, f"too long: {len(text)} characters after normalisation, over the limit of "
                                       f"{MAX_ARTICLE_CHARS} for one article; split it into several documents")
    if not text:
        return Skipped(path or doc_id, "empty: no text after normalisation")
    if not re.search(r"\w", text):
        return Skipped(path or doc_id, "empty: no words")
    return Article(
        doc_id=doc_id,
        text=text,
        content_hash=content_hash(text),
        title=(normalise_text(title) or None) if title else _title_of(text),
        date=_iso_date(date_) or _find_date(text),
        source=normalise_text(source) if source else None,
        url=_clean_url(url),
        path=path,
    )


def _clean_url(url) -> str | None:
    """``url`` when it is one line of printable text (no surrogates, spaces or controls), else None."""
    if not isinstance(url, str):
        return None
    url = normalise_text(url)
    if not url or any(c.isspace() for c in url) or len(url) > 2000:
        return None
    return url


def article_from_record(record: dict, *, where: str = "") -> Article | Skipped:
    """One JSONL record (``id``, ``text``, optional ``title``, ``date``, ``url``, ``source``) as an Article."""
    if not isinstance(record, dict):
        return Skipped(where, "not a JSON object")
    text = record.get("text")
    if not isinstance(text, str):
        return Skipped(where, "no 'text' string")
    doc_id = record.get("id")
    if doc_id is None or isinstance(doc_id, (dict, list)) or normalise_text(str(doc_id)) == "":
        return Skipped(where, "no 'id' (expected a non-empty string or number)")
    title = record.get("title")
    if isinstance(title, str) and title.strip() and not text.lstrip().startswith(title.strip()[:40]):
        text = f"{title.strip()}\n\n{text}"
    return _article(normalise_text(str(doc_id)), text, title=title if isinstance(title, str) else None,
                    date_=record.get("date"), source=record.get("source") if isinstance(record.get("source"), str) else None,
                    url=record.get("url") if isinstance(record.get("url"), str) else None, path=where)


def _html_article(doc_id: str, html: str, path: str) -> Article | Skipped:
    import trafilatura

    extracted = trafilatura.bare_extraction(html, include_comments=False, include_tables=False, with_metadata=True)
    if extracted is None:
        return Skipped(path, "html: no main text found")
    data = extracted.as_dict() if hasattr(extracted, "as_dict") else dict(extracted)
    text = data.get("text") or ""
    title = data.get("title")
    if title and not text.startswith(title):
        text = f"{title}\n\n{text}"
    return _article(doc_id, text, title=title, date_=data.get("date"), source=data.get("sitename"),
                    url=data.get("url"), path=path)


def read_file(path: Path) -> Iterator[Article | Skipped]:
    """The articles in one file (one, or one per JSONL line); never raises for a bad file."""
    where = str(path)
    suffix = path.suffix.lower()
    limit = MAX_FILE_BYTES if suffix == ".jsonl" else MAX_ARTICLE_BYTES
    try:
        size = path.stat().st_size
        if size > limit:
            kind = "a JSONL file" if suffix == ".jsonl" else "one article"
            yield Skipped(where, f"too large: {size} bytes, over the limit of {limit} bytes for {kind}; "
                                 f"split it into several files (or JSONL lines)")
            return
        if suffix == ".jsonl":
            with path.open("rb") as fh:
                if fh.read(2) not in (b"\xff\xfe", b"\xfe\xff"):  # UTF-16/32 JSONL is decoded whole below
                    fh.seek(0)
                    yield from _read_jsonl_lines(fh, where)
                    return
        data = path.read_bytes()
    except OSError as exc:
        yield Skipped(where, f"unreadable: {exc.strerror or exc}")
        return
    try:
        text = decode_bytes(data)
    except InputError as exc:
        yield Skipped(where, str(exc))
        return
    del data
    if suffix == ".jsonl":
        yield from _read_jsonl(text.split("\n"), where)
    elif suffix in (".html", ".htm"):
        yield _html_article(path.name, text, where)
    else:
        yield _article(path.name, text, markdown=suffix == ".md", path=where)


def _read_jsonl_lines(fh, where: str) -> Iterator[Article | Skipped]:
    """JSONL one line at a time (memory stays that of the longest line); each line decoded on its own."""
    def lines():
        for n, raw in enumerate(fh, 1):
            if n == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            try:
                yield raw.decode("utf-8")
            except UnicodeDecodeError:
                try:
                    yield decode_bytes(raw)
                except InputError as exc:
                    yield InputError(str(exc))

    yield from _read_jsonl(lines(), where)


def _read_jsonl(lines: Iterable, where: str) -> Iterator[Article | Skipped]:
    for n, line in enumerate(lines, 1):
        if isinstance(line, InputError):
            yield Skipped(f"{where}:{n}", f"line {n}: {line}")
            continue
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Skipped(f"{where}:{n}", f"broken JSON on line {n} ({exc.msg} at column {exc.colno}); line skipped")
            continue
        except RecursionError:
            yield Skipped(f"{where}:{n}", f"JSON on line {n} is nested too deeply; line skipped")
            continue
        yield article_from_record(record, where=f"{where}:{n}")


def expand_inputs(inputs: Iterable[str | Path]) -> list[Path]:
    """Files named, and the supported files under folders named, in a stable order.

    Raises:
        InputError: a path does not exist (names the path).
    """
    files: list[Path] = []
    for item in inputs:
        path = Path(item)
        if not path.exists():
            raise InputError(f"input not found: {path}")
        if path.is_dir():
            found = []
            for folder, dirs, names in os.walk(path):
                here = Path(folder)
                # hidden folders, and a kg output folder (its pages and export are not articles): never inputs
                dirs[:] = [d for d in dirs if not d.startswith(".") and not is_output_folder(here / d)]
                found += [here / n for n in names if Path(n).suffix.lower() in SUFFIXES]
            files.extend(sorted(found))
        else:
            files.append(path)
    return files


def is_output_folder(path: Path) -> bool:
    """Whether ``path`` is a folder ``kg build`` wrote (its store and its manifest)."""
    return (path / "store").is_dir() and ((path / "manifest.json").is_file() or (path / "extractor.json").is_file())


def is_regular_file(path: Path) -> bool:
    """Whether ``path`` (through symlinks) is a regular file: not a FIFO, device or socket, which reading would
    block on or never finish (``/dev/zero``)."""
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return False


def iter_articles(inputs: Iterable[str | Path]) -> Iterator[Article | Skipped]:
    """Every article under ``inputs``, once: duplicates (same normalised text) come back as Skipped.

    A document id seen twice for different texts keeps the first; the later one is skipped with a reason.
    """
    seen_hash: dict[str, str] = {}
    seen_id: set[str] = set()
    for path in expand_inputs(inputs):
        if not is_regular_file(path):
            yield Skipped(str(path), "not a regular file (a FIFO, a device or a socket); skipped")
            continue
        if path.name.startswith("."):
            yield Skipped(str(path), "a hidden file (its name starts with '.'); rename it to build it")
            continue
        if path.suffix.lower() not in SUFFIXES:
            yield Skipped(str(path), f"unsupported file type {path.suffix or '(none)'}; expected one of {', '.join(SUFFIXES)}")
            continue
        for item in read_file(path):
            if isinstance(item, Article):
                if item.content_hash in seen_hash:
                    item = Skipped(item.path or item.doc_id, f"duplicate of {seen_hash[item.content_hash]}")
                elif item.doc_id in seen_id:
                    item = Skipped(item.path or item.doc_id, f"document id {item.doc_id!r} already used by another input")
                else:
                    seen_hash[item.content_hash] = item.doc_id
                    seen_id.add(item.doc_id)
            yield item
