"""The Python API: everything the CLI (and later the web layer) does, over one store.

>>> from newsloom.api import Newsloom
>>> loom = Newsloom("news.db")
>>> report = loom.ingest(["articles/"])
>>> [e.title for e in loom.events(outlet="Reuters")]

Every view is a dataclass with ``to_json()`` giving the stable shapes documented in the README.
"""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable

from newsloom.errors import UsageError
from newsloom.pipeline import IngestReport, IngestSession, ingest
from newsloom.store import open_store
from newsloom.store.base import Filters, date_bound
from newsloom.views import (
    ArticleRef, ArticleView, EntityRef, EntityView, EventView, QuoteView, SearchHit, SearchResult, StorylineView,
    published_iso, span_iso,
)

__all__ = [
    "ArticleRef", "ArticleView", "EntityRef", "EntityView", "EventView", "Filters", "IngestSession", "Newsloom",
    "QuoteView",
    "SearchHit", "SearchResult", "StorylineView", "date_bound", "published_iso", "span_iso",
]


class Newsloom:
    """One store, all operations. ``target``: a SQLite file path or a ``postgresql://`` URL; ``create``: make an
    empty store when there is none."""

    def __init__(self, db_path: str, *, create: bool = True):
        self.store = open_store(db_path, create=create)
        self.db = self.store.db  # the raw connection, for tests and one-off inspection only

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> "Newsloom":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- ingest --------------------------------------------------------------------------------------------
    def ingest(self, paths: Iterable[str], **options) -> IngestReport:
        return ingest(paths, self.store, **options)

    def ingest_session(self, *, use_burst: bool = True) -> IngestSession:
        """An ingest kept open between calls, for a process that ingests small inputs as they arrive
        (``newsloom watch``): ``session.ingest(paths, **options)`` gives exactly what ``ingest`` gives, but keeps
        the clustering state in memory from one call to the next (loaded again only when a correction or another
        ingest changed the store meanwhile; ``pipeline.IngestSession``)."""
        return IngestSession(self.store, use_burst=use_burst)

    # -- events --------------------------------------------------------------------------------------------
    def resolve_event(self, event_id: str) -> str:
        """The live event an id names, following merges (NotFound when there is none)."""
        return self.store.resolve_event(event_id)

    def events(
        self, *, since: str | None = None, until: str | None = None, outlet: str | None = None,
        entity: str | None = None, storyline: str | None = None, min_articles: int = 1, limit: int | None = None,
        offset: int = 0,
    ) -> list[EventView]:
        return self.store.events(Filters(since, until, outlet, entity), storyline=storyline,
                                 min_articles=min_articles, limit=limit, offset=offset)

    def event(self, event_id: str) -> EventView:
        return self.store.event(event_id)

    def event_of_article(self, article_id: str) -> str:
        return self.store.event_of_article(article_id)

    # -- why an article is in its event, and a user's corrections (newsloom.cluster.corrections) ----------------
    def explain_event(self, event_id: str, *, limit: int | None = None) -> dict:
        """Why each article is in the event: article id -> ``Why`` (shared terms, entities, dates; score), for the
        event's most central articles (at most ``limit``, default ``corrections.MAX_EXPLAINED``)."""
        from newsloom.cluster import corrections

        return corrections.explain_event(self.store, event_id, limit=limit or corrections.MAX_EXPLAINED)

    def split_article(self, article_id: str):
        """Move an article out of its event into a new event of its own; recorded, and respected by later ingests
        (``CorrectionResult``: the record, then the new event and the one it left)."""
        from newsloom.cluster.corrections import split_article

        return split_article(self.store, article_id)

    def merge_events(self, event_a: str, event_b: str):
        """Fold event B into event A (B redirects to A); recorded (``CorrectionResult``)."""
        from newsloom.cluster.corrections import merge_events

        return merge_events(self.store, event_a, event_b)

    def corrections(self) -> list:
        """Every correction made with ``split_article`` and ``merge_events``, oldest first (``StoredCorrection``)."""
        return self.store.corrections()

    # -- storylines ----------------------------------------------------------------------------------------
    def storylines(
        self, *, since: str | None = None, until: str | None = None, entity: str | None = None,
        outlet: str | None = None, limit: int | None = None, offset: int = 0,
    ) -> list[StorylineView]:
        return self.store.storylines(Filters(since, until, outlet, entity), limit=limit, offset=offset)

    def storyline(self, storyline_id: str) -> StorylineView:
        return self.store.storyline(storyline_id)

    # -- entities ------------------------------------------------------------------------------------------
    def entities(
        self, *, type: str | None = None, name: str | None = None, outlet: str | None = None,
        since: str | None = None, until: str | None = None, limit: int | None = 100, offset: int = 0,
    ) -> list[EntityView]:
        return self.store.entities(Filters(since, until, outlet), type=type, name=name, limit=limit, offset=offset)

    def entity(self, entity_id: str) -> EntityView:
        return self.store.entity(entity_id)

    # -- articles ------------------------------------------------------------------------------------------
    def articles(
        self, *, since: str | None = None, until: str | None = None, outlet: str | None = None,
        entity: str | None = None, event: str | None = None, limit: int | None = 100, offset: int = 0,
        with_text: bool = False,
    ) -> list[ArticleView]:
        return self.store.articles(Filters(since, until, outlet, entity), event=event, limit=limit, offset=offset,
                                   with_text=with_text)

    def article(self, article_id: str) -> ArticleView:
        return self.store.article(article_id)

    def mentions(self, article_id: str) -> list[dict]:
        return [m.to_json() for m in self.store.mentions(article_id)]

    def dates(self, article_id: str) -> list[dict]:
        return [d.to_json() for d in self.store.dates(article_id)]

    # -- search --------------------------------------------------------------------------------------------
    def search(self, query: str, *, since: str | None = None, until: str | None = None, outlet: str | None = None,
               entity: str | None = None, limit: int = 20, offset: int = 0) -> SearchResult:
        """Ranked full-text search over titles and texts (German lemmas); hits without highlighting."""
        from newsloom.search import search

        return search(self.store, query, Filters(since, until, outlet, entity), limit=limit, offset=offset)

    # -- export --------------------------------------------------------------------------------------------
    def export_rows(self) -> list[dict]:
        """One row per article with its event, storyline and entities (the flat export table)."""
        return [row.to_json() for row in self.store.export_rows()]

    def export(self, fmt: str, path: str | None = None) -> bytes:
        rows = self.export_rows()
        if fmt == "json":
            data = json.dumps({
                "articles": rows,
                "events": [e.to_json() for e in self.events()],
                "storylines": [s.to_json() for s in self.storylines()],
                "entities": [e.to_json() for e in self.entities(limit=None)],
            }, ensure_ascii=False, indent=1).encode("utf-8")
        elif fmt == "csv":
            buffer = io.StringIO()
            fields = list(rows[0]) if rows else ["id"]
            writer = csv.DictWriter(buffer, fieldnames=fields)
            writer.writeheader()
            writer.writerows(rows)
            data = buffer.getvalue().encode("utf-8")
        elif fmt == "parquet":
            import pyarrow as pa
            import pyarrow.parquet as pq

            table = pa.Table.from_pylist(rows) if rows else pa.table({"id": pa.array([], pa.string())})
            sink = io.BytesIO()
            pq.write_table(table, sink)
            data = sink.getvalue()
        else:
            raise UsageError(f"unknown export format {fmt!r} (json, csv, parquet)")
        if path:
            with open(path, "wb") as handle:
                handle.write(data)
        return data

    # -- comparison and quotes (newsloom.compare) ----------------------------------------------------------
    def compare_event(self, event_id: str):
        """How each outlet covered the event, claim by claim (``newsloom.compare.Comparison``)."""
        from newsloom.compare.api import compare_event

        return compare_event(self.store, event_id)

    def compare_storyline(self, storyline_id: str):
        """Each event of the storyline compared, and the new and dropped claims from one event to the next."""
        from newsloom.compare.api import compare_storyline

        return compare_storyline(self.store, storyline_id)

    def quotes(self, *, event: str | None = None, article: str | None = None, speaker: str | None = None,
               outlet: str | None = None, limit: int | None = None, offset: int = 0) -> list[QuoteView]:
        """Quotes and reported speech (``QuoteView``: span, speaker, channel, verb), publication order."""
        return self.store.quotes(Filters(outlet=outlet), event=event, article=article, speaker=speaker, limit=limit,
                                 offset=offset)
