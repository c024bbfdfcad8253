"""Analyses as a Parquet dataset: written by ``newsloom analyze INPUTS -o DIR``, read back by ``newsloom ingest DIR``.

Layout: ``DIR/_newsloom.json`` (what wrote it) and ``DIR/day=YYYY-MM-DD/part-N.parquet`` (hive
partitioning by publication day; ``day=undated`` for articles without a date). One row per article: the
article's fields, then its analysis. Plain columns where the value is plain (``title_lemmas``, ``numbers``:
lists of strings; ``fingerprint``: the MinHash signature as bytes); nested records as JSON text (``mentions``,
``dates``, ``quotes``, ``lemma_counts``, ``lead_counts``), so that DuckDB, pandas or Spark read every column:

    duckdb -c "SELECT day, count(*) FROM read_parquet('DIR/*/*.parquet', hive_partitioning=true) GROUP BY 1"
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from newsloom import errors
from newsloom.errors import InputProblem
from newsloom.records import (Analysis, Article, DateMention, EntityType, Mention, MentionKind, Precision, Quote,
                              TimeSpan)

MARKER = "_newsloom.json"  # "_": skipped by Parquet dataset readers
FORMAT = 1  # version of the column layout below
ROWS_PER_FILE = 5000


def is_dataset(path: str) -> bool:
    return os.path.isfile(os.path.join(path, MARKER))


def _span(span: TimeSpan | None) -> tuple[str | None, str | None, str | None]:
    if span is None:
        return None, None, None
    return span.start.isoformat(), span.end.isoformat(), span.precision.value


def _unspan(start: str | None, end: str | None, precision: str | None) -> TimeSpan | None:
    if start is None:
        return None
    return TimeSpan(dt.datetime.fromisoformat(start), dt.datetime.fromisoformat(end), Precision(precision))


def day_of(article: Article) -> str:
    return article.published.start.date().isoformat() if article.published else "undated"


def to_row(article: Article, analysis: Analysis) -> dict:
    start, end, precision = _span(article.published)
    title, text = analysis.search_text or (None, None)
    return {
        "id": article.id, "title": article.title, "text": article.text,
        "published_start": start, "published_end": end, "published_precision": precision,
        "outlet": article.outlet, "url": article.url, "lang": article.lang, "source": article.source,
        "outlet_evidence": article.outlet_evidence,
        "mentions": json.dumps([[m.start, m.end, m.text, m.type.value, m.key, m.name, m.kind.value, m.role]
                                for m in analysis.mentions], ensure_ascii=False),
        "dates": json.dumps([[d.start, d.end, d.text, *_span(d.span)] for d in analysis.dates], ensure_ascii=False),
        "quotes": json.dumps([dataclasses.asdict(q) for q in analysis.quotes], ensure_ascii=False),
        "lemma_counts": json.dumps(analysis.lemma_counts, ensure_ascii=False),
        "lead_counts": None if analysis.lead_counts is None else json.dumps(analysis.lead_counts, ensure_ascii=False),
        "title_lemmas": list(analysis.title_lemmas), "numbers": list(analysis.numbers),
        "fingerprint": analysis.fingerprint, "search_title": title, "search_text": text,
    }


def from_row(row: dict) -> tuple[Article, Analysis]:
    article = Article(
        id=row["id"], title=row["title"], text=row["text"],
        published=_unspan(row["published_start"], row["published_end"], row["published_precision"]),
        outlet=row["outlet"], url=row["url"], lang=row["lang"], source=row["source"],
        outlet_evidence=row["outlet_evidence"],
    )
    lead = row["lead_counts"]
    analysis = Analysis(
        article_id=row["id"],
        mentions=[Mention(s, e, t, EntityType(ty), k, n, MentionKind(kind), role)
                  for s, e, t, ty, k, n, kind, role in json.loads(row["mentions"])],
        dates=[DateMention(s, e, t, _unspan(a, b, p)) for s, e, t, a, b, p in json.loads(row["dates"])],
        quotes=[Quote(**q) for q in json.loads(row["quotes"])],
        lemma_counts=json.loads(row["lemma_counts"]),
        title_lemmas=tuple(row["title_lemmas"] or ()), numbers=tuple(row["numbers"] or ()),
        fingerprint=row["fingerprint"],
        search_text=None if row["search_title"] is None else (row["search_title"], row["search_text"]),
        lead_counts=None if lead is None else json.loads(lead),
    )
    return article, analysis


class DatasetWriter:
    """Rows arrive in publication order; each day's rows go to ``day=.../part-N.parquet`` files."""

    def __init__(self, folder: str, meta: dict):
        self.folder = Path(folder)
        if self.folder.exists() and any(self.folder.iterdir()) and not is_dataset(str(self.folder)):
            raise errors.UsageError(f"{folder} exists and is not an analyses dataset; choose a new folder")
        self.folder.mkdir(parents=True, exist_ok=True)
        self.meta = {"format": FORMAT, **meta}
        self.rows: list[dict] = []
        self.day: str | None = None
        self.parts: dict[str, int] = {}
        self.count = 0

    def add(self, article: Article, analysis: Analysis) -> None:
        day = day_of(article)
        if day != self.day or len(self.rows) >= ROWS_PER_FILE:
            self._write()
            self.day = day
        self.rows.append(to_row(article, analysis))

    def _write(self) -> None:
        if not self.rows:
            return
        import pyarrow as pa
        import pyarrow.parquet as pq

        folder = self.folder / f"day={self.day}"
        folder.mkdir(exist_ok=True)
        n = self.parts.get(self.day, len(list(folder.glob("part-*.parquet"))))
        pq.write_table(pa.Table.from_pylist(self.rows), folder / f"part-{n}.parquet")
        self.parts[self.day] = n + 1
        self.count += len(self.rows)
        self.rows = []

    def close(self) -> None:
        self._write()
        (self.folder / MARKER).write_text(json.dumps({**self.meta, "articles": self.count}, indent=2) + "\n",
                                          encoding="utf-8")


def read_dataset(folder: str, on_problem: Callable[[InputProblem], None]) -> Iterator[tuple[Article, Analysis]]:
    """Every (article, analysis) of a dataset written by ``DatasetWriter`` (day by day)."""
    import pyarrow.parquet as pq

    meta = json.loads(Path(folder, MARKER).read_text(encoding="utf-8"))
    if meta.get("format") != FORMAT:
        on_problem(InputProblem(errors.E_FORMAT, folder, None,
                                f"analyses format {meta.get('format')} (this newsloom reads {FORMAT}); analyse again"))
        return
    for path in sorted(Path(folder).glob("day=*/part-*.parquet"), key=lambda p: (p.parent.name, len(p.name), p.name)):
        try:
            rows = pq.read_table(path).to_pylist()
        except Exception as exc:  # noqa: BLE001 -- a damaged file: say which, go on with the rest
            on_problem(InputProblem(errors.E_FORMAT, str(path), None, f"unreadable Parquet file: {exc}"))
            continue
        for number, row in enumerate(rows, start=1):
            try:
                yield from_row(row)
            except (KeyError, TypeError, ValueError) as exc:
                on_problem(InputProblem(errors.E_FIELD, str(path), number, f"bad analysis row: {exc}"))


def write_dataset(pairs: Iterable[tuple[Article, Analysis]], folder: str, meta: dict) -> int:
    writer = DatasetWriter(folder, meta)
    for article, analysis in pairs:
        writer.add(article, analysis)
    writer.close()
    return writer.count
