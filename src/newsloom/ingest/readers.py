"""Readers: files, folders and stdin in several formats -> ``Article`` records or ``InputProblem``s.

Formats (each also gzip-compressed): the seed text format (first line `` date YYYY-MM``), plain text,
JSON Lines, JSON arrays, CSV with a header, saved HTML pages. A broken file or record becomes an
``InputProblem`` naming the file, line and reason; reading goes on with the rest.
"""
from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import os
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from newsloom import errors
from newsloom.errors import InputProblem
from newsloom.ingest.outlets import normalise_outlet, recognise_outlet
from newsloom.nlp.dates import find_published_in_text, parse_published
from newsloom.records import Article, Precision
from newsloom.settings import INGEST

# Field names accepted for each Article field, first match wins (ours first, then news-please's and others).
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "article_id", "guid", "uuid"),
    "title": ("title", "headline", "title_page", "title_rss"),
    "text": ("text", "maintext", "body", "content", "article", "fulltext"),
    "date": ("date", "date_publish", "published", "pubdate", "publish_date", "datetime", "date_modify"),
    "outlet": ("outlet", "source_domain", "source", "publisher", "site", "sitename"),
    "url": ("url", "link", "source_url"),
    "lang": ("lang", "language"),
    "description": ("description", "lead", "teaser"),
}

TEXT_SUFFIXES = {".txt", ".text", ""}
JSONL_SUFFIXES = {".jsonl", ".ndjson", ".jl"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
KNOWN_SUFFIXES = TEXT_SUFFIXES | JSONL_SUFFIXES | HTML_SUFFIXES | {".json", ".csv", ".tsv"}

_SEED_HEADER = re.compile(r"^\s?date\s+(\S+)\s*")


Item = Article | InputProblem


def content_id(text: str) -> str:
    """A stable id from the text itself (for records without an id)."""
    return "h" + hashlib.sha1(" ".join(text.split()).encode("utf-8")).hexdigest()[:16]


# "Stand: 04.02.2022 11:39 Uhr" (a time stamp printed with the headline) and "Moskau/Peking (Reuters) - " (a
# dateline opening the lead) are no part of a title
_TITLE_STAMP = re.compile(r"\s*[|·–—-]?\s*\bStand:\s*\d{1,2}\.\d{1,2}\.\d{2,4}(?:,?\s+\d{1,2}:\d{2}(?:\s*Uhr)?)?\s*")
_TITLE_DATELINE = re.compile(r"^\s*[A-ZÄÖÜ][\w./ \-]{1,40}?\s*\(\s*[A-Za-zÄÖÜäöü][\w.\-/, ]{1,40}\)\s*[-–—:]\s+")


def clean_title(title: str) -> str:
    """A title without time stamps or a leading dateline, whitespace collapsed (the title itself if nothing
    would be left)."""
    cleaned = _TITLE_DATELINE.sub("", _TITLE_STAMP.sub(" ", title))
    cleaned = " ".join(cleaned.split()).strip(" |·–—-")
    return cleaned or " ".join(title.split())


def derive_title(text: str) -> str:
    """The first line, or the first sentence of it, shortened to a headline."""
    first = clean_title(text.strip().split("\n", 1)[0].strip())
    if len(first) > 120:
        cut = re.search(r"[.!?](\s|$)", first[:160])
        if cut and cut.end() <= 120:
            return first[: cut.end()].strip()
        words = first[:118].rsplit(" ", 1)[0]
        return words.rstrip(",;:") + " …"
    return first


def iter_paths(paths: Iterable[str]) -> Iterator[str]:
    """Expand folders recursively (sorted, hidden files skipped); ``-`` stays ``-``."""
    for raw in paths:
        if raw == "-":
            yield raw
            continue
        path = Path(raw)
        if path.is_dir():
            for sub in sorted(path.rglob("*")):
                if sub.is_file() and not any(part.startswith(".") for part in sub.relative_to(path).parts):
                    if sub.name.lower() in {"readme.md", "readme", "readme.txt"}:
                        continue
                    yield str(sub)
        else:
            yield raw


def read_paths(paths: Iterable[str]) -> Iterator[Item]:
    for path in iter_paths(paths):
        yield from read_file(path)


def _format_of(name: str) -> tuple[str, bool]:
    lower = name.lower()
    gz = lower.endswith(".gz")
    if gz:
        lower = lower[:-3]
    return os.path.splitext(lower)[1], gz


def read_file(path: str) -> Iterator[Item]:
    """Articles from one file (or ``-`` for stdin, format sniffed from the content)."""
    try:
        if path == "-":
            raw = sys.stdin.buffer.read()
            suffix, gz = "", raw[:2] == b"\x1f\x8b"
        else:
            suffix, gz = _format_of(path)
            if suffix in JSONL_SUFFIXES:
                yield from _stream_jsonl(path, gz)
                return
            size = os.path.getsize(path)
            limit = INGEST.max_file_bytes * (20 if suffix in JSONL_SUFFIXES | {".json", ".csv", ".tsv"} else 1)
            if size > limit:
                yield InputProblem(errors.E_TOO_LARGE, path, None, f"file is {size:,} bytes, above the limit of {limit:,}")
                return
            with open(path, "rb") as handle:
                raw = handle.read()
    except OSError as exc:
        yield InputProblem(errors.E_IO, path, None, f"cannot read: {exc.strerror or exc}")
        return
    if gz:
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as exc:
            yield InputProblem(errors.E_FORMAT, path, None, f"broken gzip data: {exc}")
            return
    if not raw.strip():
        yield InputProblem(errors.E_EMPTY, path, None, "file is empty")
        return
    if b"\x00" in raw[:8192]:
        yield InputProblem(errors.E_BINARY, path, None, "binary content (NUL bytes), not text")
        return
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        yield InputProblem(
            errors.E_ENCODING, path, line,
            f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start}); re-encode the file as UTF-8",
        )
        return
    if suffix not in KNOWN_SUFFIXES:
        suffix = _sniff(text)
    if suffix in JSONL_SUFFIXES:
        yield from _read_jsonl(path, text)
    elif suffix == ".json":
        yield from _read_json(path, text)
    elif suffix in {".csv", ".tsv"}:
        yield from _read_csv(path, text, "\t" if suffix == ".tsv" else None)
    elif suffix in HTML_SUFFIXES:
        yield from _read_html(path, text)
    else:
        yield from _read_text(path, text)


def _sniff(text: str) -> str:
    head = text.lstrip()[:1]
    if head == "[":
        return ".json"
    if head == "{":
        first = text.lstrip().split("\n", 1)[0].strip()
        return ".jsonl" if first.endswith("}") else ".json"
    if head == "<":
        return ".html"
    return ".txt"


def _stem(path: str) -> str:
    name = os.path.basename(path)
    if name.lower().endswith(".gz"):
        name = name[:-3]
    return os.path.splitext(name)[0] if path != "-" else ""


def _read_text(path: str, text: str) -> Iterator[Item]:
    date_value = None
    match = _SEED_HEADER.match(text)
    if match and match.group(0).lstrip().startswith("date"):
        date_value = match.group(1)
        text = text[match.end():]
    body = text.strip()
    item = build_article(
        {"text": body, "date": date_value}, path=path, line=None, default_id=_stem(path) or None
    )
    yield item


def _stream_jsonl(path: str, gz: bool) -> Iterator[Item]:
    """JSON Lines read line by line (memory stays flat for files of any size)."""
    opener = gzip.open if gz else open
    empty = [True]
    try:
        with opener(path, "rb") as handle:
            yield from jsonl_lines(path, handle, 1, empty)
    except (OSError, EOFError) as exc:
        yield InputProblem(errors.E_FORMAT if gz else errors.E_IO, path, None, f"cannot read: {exc}")
        return
    if empty[0]:
        yield InputProblem(errors.E_EMPTY, path, None, "file is empty")


def jsonl_lines(path: str, lines: Iterable[bytes], first_number: int = 1, empty: list[bool] | None = None) -> Iterator[Item]:
    """Articles or problems of raw JSON Lines ``lines`` numbered from ``first_number`` (a whole file, or a byte
    range of one read by an analysis worker); ``empty[0]`` is set to False when a non-blank line is seen."""
    for number, raw in enumerate(lines, start=first_number):
        if not raw.strip():
            continue
        if empty is not None:
            empty[0] = False
        if b"\x00" in raw:
            yield InputProblem(errors.E_BINARY, path, number, "binary content (NUL bytes), not text")
            continue
        try:
            line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            yield InputProblem(errors.E_ENCODING, path, number,
                               f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}); re-encode the file as UTF-8")
            continue
        yield from _jsonl_record(path, number, line)


def _jsonl_record(path: str, number: int, line: str) -> Iterator[Item]:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        yield InputProblem(errors.E_JSON, path, number, f"malformed JSON: {exc.msg} (column {exc.colno})")
        return
    if not isinstance(record, dict):
        yield InputProblem(errors.E_JSON, path, number, "a JSON Lines record must be an object")
        return
    yield build_article(record, path=path, line=number)


def _read_jsonl(path: str, text: str) -> Iterator[Item]:
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            yield from _jsonl_record(path, number, line)


def _read_json(path: str, text: str) -> Iterator[Item]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        # A file named .json that is really JSON Lines
        if exc.msg == "Extra data":
            yield from _read_jsonl(path, text)
            return
        yield InputProblem(errors.E_JSON, path, exc.lineno, f"malformed JSON: {exc.msg} (column {exc.colno})")
        return
    if isinstance(data, dict):
        data = data.get("articles", [data]) if isinstance(data.get("articles"), list) else [data]
    if not isinstance(data, list):
        yield InputProblem(errors.E_JSON, path, None, "expected a JSON object or an array of objects")
        return
    for number, record in enumerate(data, start=1):
        if not isinstance(record, dict):
            yield InputProblem(errors.E_JSON, path, None, f"array element {number} is not an object")
            continue
        yield build_article(record, path=path, line=None, record_number=number)


def _read_csv(path: str, text: str, delimiter: str | None) -> Iterator[Item]:
    csv.field_size_limit(INGEST.max_article_chars * 4)
    if delimiter is None:
        try:
            delimiter = csv.Sniffer().sniff(text[:4096], delimiters=",;\t").delimiter
        except csv.Error:
            delimiter = ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    if not reader.fieldnames or not any(
        name and name.strip().lower() in FIELD_ALIASES["text"] for name in reader.fieldnames
    ):
        yield InputProblem(errors.E_FORMAT, path, 1, "CSV header has no text column (text, maintext, body, content)")
        return
    try:
        for record in reader:
            yield build_article(
                {(k or "").strip().lower(): v for k, v in record.items()}, path=path, line=reader.line_num
            )
    except csv.Error as exc:
        yield InputProblem(errors.E_FORMAT, path, reader.line_num, f"malformed CSV: {exc}")


def _read_html(path: str, text: str) -> Iterator[Item]:
    import trafilatura

    document = trafilatura.bare_extraction(text, with_metadata=True, include_comments=False)
    if document is None:
        yield InputProblem(errors.E_EMPTY, path, None, "no article text found in the HTML page")
        return
    meta = document.as_dict() if hasattr(document, "as_dict") else dict(document)
    record = {
        "title": meta.get("title"),
        "text": meta.get("text"),
        "date": meta.get("date"),
        "outlet": meta.get("sitename") or meta.get("hostname"),
        "url": meta.get("url"),
        "lang": meta.get("language"),
    }
    yield build_article(record, path=path, line=None, default_id=_stem(path) or None)


def _field(record: dict, name: str) -> str | None:
    for key in FIELD_ALIASES[name]:
        value = record.get(key)
        if value is None:
            continue
        if isinstance(value, (int, float)) and name != "text":
            value = str(value)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def build_article(
    record: dict,
    *,
    path: str,
    line: int | None,
    default_id: str | None = None,
    record_number: int | None = None,
) -> Item:
    """Normalise one raw record into an ``Article``, or say why it cannot be one."""
    where = line if line is not None else record_number
    text = _field(record, "text")
    if text is None:
        description = _field(record, "description")
        if description is None:
            return InputProblem(errors.E_EMPTY, path, line, "record has no text (fields text/maintext/body/content)")
        text = description
    if not isinstance(text, str):
        return InputProblem(errors.E_FIELD, path, line, "text is not a string")
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if len(text) < INGEST.min_article_chars:
        return InputProblem(errors.E_EMPTY, path, line, f"text too short ({len(text)} characters)")
    if len(text) > INGEST.max_article_chars:
        return InputProblem(
            errors.E_TOO_LARGE, path, line, f"text has {len(text):,} characters, above the limit of {INGEST.max_article_chars:,}"
        )
    title = _field(record, "title")
    title = derive_title(text) if title is None else clean_title(title)
    raw_date = _field(record, "date")
    published = parse_published(raw_date) if raw_date else None
    if raw_date and published is None:
        return InputProblem(errors.E_FIELD, path, line, f"unreadable date {raw_date!r}")
    stamped = find_published_in_text(text)
    if stamped is not None and (published is None or (
        stamped.precision.rank > published.precision.rank and published.overlaps(stamped)
    )):
        published = stamped
    outlet = _field(record, "outlet")
    evidence = "given"
    if outlet is not None:
        outlet = normalise_outlet(outlet)
    else:
        outlet, evidence = recognise_outlet(text)
    article_id = _field(record, "id") or default_id or content_id(text)
    source = path if where is None else f"{path}:{where}"
    return Article(
        id=article_id,
        title=" ".join(title.split()),
        text=text,
        published=published,
        outlet=outlet,
        url=_field(record, "url"),
        lang=(_field(record, "lang") or "de")[:8],
        source=source,
        outlet_evidence=evidence,
    )


def day_key(article: Article) -> str:
    """Sort key for arrival order: publication start, then id (undated last)."""
    if article.published is None:
        return "9999"
    precision_order = {Precision.YEAR: "0", Precision.MONTH: "1", Precision.DAY: "2", Precision.MINUTE: "3"}
    return article.published.start.isoformat() + precision_order[article.published.precision]
