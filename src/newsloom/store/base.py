"""The store interface: everything newsloom keeps, behind one class, whatever the database.

``open_store(target)`` opens a SQLite file (the default) or a PostgreSQL database (a ``postgresql://`` URL); both
implement ``Store`` (the SQL they share lives in ``store.sql``). Readers pass ``Filters`` parsed once and get
views (``newsloom.views``), never rows; the ingest writes articles, events, storylines and redirects and keeps
the clusterer's state in the same transaction as each batch.
"""
from __future__ import annotations

import abc
import uuid
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field

import numpy as np

from newsloom.errors import UsageError
from newsloom.records import Analysis, Article
from newsloom.views import (
    ArticleRef, ArticleView, DateCount, DateMentionView, EntityRef, EntityView, EventArticle, EventSummary,
    EventView, ExportRow, MentionView, MonthCount, OutletCount, QuoteView, SearchPage, StoreCounts, StorylineSummary,
    StorylineView,
)

CLUSTERING_TOKEN = "clustering_token"  # meta key, renewed by every write to the clustering
REDIRECT_HOPS = 20  # the longest chain of merged events (or entities) followed to the one that survived
ENTITY_TYPES = ("PER", "ORG", "LOC", "MISC")


def date_bound(value: str | None, *, upper: bool) -> str | None:
    """The first moment of a ``YYYY[-MM[-DD]]`` date (or the moment after it, ``upper``), as stored."""
    if not value:
        return None
    from newsloom.nlp.dates import parse_published

    span = parse_published(value)
    if span is None:
        raise UsageError(f"cannot read date {value!r} (use YYYY, YYYY-MM or YYYY-MM-DD)")
    return (span.end if upper else span.start).isoformat(timespec="minutes")


@dataclass
class Filters:
    """The reader filters, parsed once: a period (``since``/``until`` inclusive, ``YYYY[-MM[-DD]]``), an outlet
    (matched case-insensitively, by the store) and an entity (a name, variant or id, resolved by the store with
    one rule). Blank values mean no filter; a date that cannot be read raises ``UsageError`` here."""

    since: str | None = None
    until: str | None = None
    outlet: str | None = None
    entity: str | None = None
    since_bound: str | None = field(default=None, init=False, repr=False, compare=False)
    until_bound: str | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for name in ("since", "until", "outlet", "entity"):
            value = getattr(self, name)
            value = " ".join(value.split()) if isinstance(value, str) else None
            setattr(self, name, value or None)
        self.since_bound = date_bound(self.since, upper=False)
        self.until_bound = date_bound(self.until, upper=True)

    def clean(self) -> "Filters":
        """Kept for callers of the earlier web filters: already parsed."""
        return self

    def as_params(self) -> dict:
        return {k: getattr(self, k) for k in ("since", "until", "outlet", "entity") if getattr(self, k)}

    @property
    def empty(self) -> bool:
        return not self.as_params()


@dataclass
class StoredEvent:
    """An event as the clusterer left it in the store (``state``: its profile, as the clusterer wrote it)."""
    id: str
    title: str
    start: str | None
    end: str | None
    precision: str | None
    storyline_id: str | None
    n_articles: int
    state: dict


@dataclass
class StoredStoryline:
    id: str
    title: str
    start: str | None
    end: str | None
    state: dict


@dataclass
class StoredCorrection:
    """A user's correction of the events: ``split`` (``article_id`` moved out of ``event_id`` into the new event
    ``target_event_id``) or ``merge`` (``event_id`` redirected into ``target_event_id``); ``created``: UTC, ISO."""
    id: int
    kind: str
    article_id: str | None
    event_id: str
    target_event_id: str
    created: str

    def to_json(self) -> dict:
        return {"id": self.id, "kind": self.kind, "article_id": self.article_id, "event_id": self.event_id,
                "target_event_id": self.target_event_id, "created": self.created}


class Store(abc.ABC):
    """One newsloom store. ``target`` names it (a file path or a URL without its password)."""

    target: str
    backend: str  # "sqlite" or "postgresql"

    # -- life ------------------------------------------------------------------------------------------------
    @abc.abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @abc.abstractmethod
    def transaction(self, *, wait_s: float | None = None) -> AbstractContextManager:
        """One write transaction: all or nothing. ``wait_s``: how long to wait for another writer (a reader's
        optional write, such as a cache entry, waits briefly and gives up with StoreError)."""

    @abc.abstractmethod
    def ingest_lock(self) -> AbstractContextManager:
        """Held by the one ingest (clusterer) that owns the store; a second one stops with StoreBusy."""

    # -- ingest: articles and entities ------------------------------------------------------------------
    @abc.abstractmethod
    def known_ids(self, ids: Iterable[str]) -> set[str]: ...

    @abc.abstractmethod
    def article_by_hash(self, text_hash: str) -> str | None: ...

    @abc.abstractmethod
    def near_candidates(self, bucket_keys: list[int]) -> list[tuple[str, np.ndarray]]: ...

    @abc.abstractmethod
    def insert_article(self, article: Article, analysis: Analysis, *, text_hash: str, signature: np.ndarray,
                       bucket_keys: list[int], duplicate_of: str | None, duplicate_kind: str | None,
                       entity_ids: list[str]) -> None: ...

    @abc.abstractmethod
    def index_search_text(self, lemmatised: dict[str, tuple[str, str]]) -> int:
        """Add articles (id -> lemma title, lemma text) to the full-text index; inside the batch transaction."""

    @abc.abstractmethod
    def search_missing(self) -> int:
        """How many stored articles the full-text index lacks (stores from before it existed)."""

    @abc.abstractmethod
    def articles_missing_from_search(self, limit: int) -> list[tuple[str, str, str]]:
        """(id, title, text) of up to ``limit`` articles the full-text index lacks."""

    @abc.abstractmethod
    def entity_for_alias(self, alias: str) -> str | None: ...

    @abc.abstractmethod
    def upsert_entity(self, entity_id: str, name: str, etype: str) -> None: ...

    @abc.abstractmethod
    def add_alias(self, alias: str, entity_id: str) -> None: ...

    @abc.abstractmethod
    def merge_entity(self, old_id: str, new_id: str) -> None: ...

    # -- ingest: clustering --------------------------------------------------------------------------------
    @abc.abstractmethod
    def save_event(self, event) -> None: ...

    @abc.abstractmethod
    def redirect_event(self, old_id: str, new_id: str) -> None: ...

    @abc.abstractmethod
    def assign_article(self, article_id: str, event_id: str, score: float) -> None: ...

    @abc.abstractmethod
    def stored_event_of(self, article_id: str) -> str | None:
        """The event an article was assigned to (not following redirects)."""

    @abc.abstractmethod
    def save_storyline(self, storyline) -> None: ...

    @abc.abstractmethod
    def save_term_stats(self, changes: dict[str, int]) -> None: ...

    @abc.abstractmethod
    def term_stats(self) -> dict[str, int]: ...

    @abc.abstractmethod
    def set_meta(self, key: str, value: str) -> None: ...

    @abc.abstractmethod
    def get_meta(self, key: str) -> str | None: ...

    @abc.abstractmethod
    def latest_event_end(self) -> str | None: ...

    @abc.abstractmethod
    def live_events_since(self, cutoff: str) -> list[StoredEvent]: ...

    @abc.abstractmethod
    def storylines_since(self, cutoff: str) -> list[StoredStoryline]: ...

    @abc.abstractmethod
    def event_redirects(self) -> dict[str, str]: ...

    @abc.abstractmethod
    def save_cluster_state(self, blob: bytes) -> None:
        """The clusterer's whole in-memory state, kept in the batch's transaction (one row)."""

    @abc.abstractmethod
    def load_cluster_state(self) -> bytes | None: ...

    def clustering_token(self) -> str | None:
        """A token that changes with every write to the clustering (each ingest batch, each correction, each
        ``forget_cluster_state``): an ingest kept open between inputs (``pipeline.IngestSession``) compares it with
        the one its own last batch wrote to know whether its in-memory state is still the store's."""
        return self.get_meta(CLUSTERING_TOKEN)

    def renew_clustering_token(self) -> str:
        """A new clustering token (inside the caller's write transaction); returns it."""
        token = uuid.uuid4().hex
        self.set_meta(CLUSTERING_TOKEN, token)
        return token

    # -- corrections (newsloom split / merge) and what explanations read ------------------------------------
    @abc.abstractmethod
    def record_correction(self, kind: str, article_id: str | None, event_id: str, target_event_id: str,
                          created: str) -> None:
        """Keep one correction (inside the caller's transaction)."""

    @abc.abstractmethod
    def corrections(self, kind: str | None = None) -> list[StoredCorrection]:
        """Every correction (or every one of ``kind``), oldest first."""

    @abc.abstractmethod
    def stored_event(self, event_id: str) -> StoredEvent | None:
        """One event row as the clusterer left it (merged ones too); None when there is none."""

    @abc.abstractmethod
    def forget_cluster_state(self) -> None:
        """Drop the clusterer's snapshot: the next ingest rebuilds its state from the stored events (and an open
        ingest session reloads it: the clustering token is renewed)."""

    @abc.abstractmethod
    def term_frequencies(self, terms: Iterable[str]) -> dict[str, int]:
        """Document frequencies of the given clustering terms (those the store has)."""

    @abc.abstractmethod
    def join_scores(self, article_ids: list[str]) -> dict[str, float]:
        """The clusterer's score when each article joined (or opened) its event."""

    # -- readers: lookups ----------------------------------------------------------------------------------
    @abc.abstractmethod
    def resolve_event(self, event_id: str) -> str:
        """The live event an id names (following merges); NotFound when there is none."""

    @abc.abstractmethod
    def resolve_entities(self, entity: str | None) -> list[str] | None:
        """Live entity ids a filter value means (an id, a name or a variant); None for no filter."""

    @abc.abstractmethod
    def canonical_outlet(self, outlet: str | None) -> str | None:
        """The stored spelling of an outlet name, matched case-insensitively."""

    @abc.abstractmethod
    def counts(self) -> StoreCounts: ...

    @abc.abstractmethod
    def size_bytes(self) -> int:
        """What the store takes on disk (the file and its WAL; the database on a server)."""

    # -- readers: events and storylines -------------------------------------------------------------------
    @abc.abstractmethod
    def events(self, filters: Filters, *, storyline: str | None = None, min_articles: int = 1,
               limit: int | None = None, offset: int = 0, with_entities: bool = True) -> list[EventView]: ...

    @abc.abstractmethod
    def event(self, event_id: str) -> EventView: ...

    @abc.abstractmethod
    def event_of_article(self, article_id: str) -> str: ...

    @abc.abstractmethod
    def event_article_count(self, event_id: str) -> int: ...

    @abc.abstractmethod
    def event_article_list(self, event_id: str) -> list[EventArticle]: ...

    @abc.abstractmethod
    def event_dates(self, event_id: str, limit: int = 15) -> list[DateCount]: ...

    @abc.abstractmethod
    def event_article_ids(self, event_id: str, *, by_score: bool = False) -> list[tuple[str, str]]:
        """(article id, outlet) of an event's articles: publication order, or most central first."""

    @abc.abstractmethod
    def all_assignments(self) -> dict[str, str]:
        """article id -> live event id, for every stored article."""

    @abc.abstractmethod
    def event_storylines(self) -> dict[str, str | None]:
        """event id -> storyline id, every event (merged ones too)."""

    @abc.abstractmethod
    def storylines(self, filters: Filters, *, limit: int | None = None, offset: int = 0) -> list[StorylineView]: ...

    @abc.abstractmethod
    def storyline(self, storyline_id: str, *, max_events: int | None = None) -> StorylineView: ...

    @abc.abstractmethod
    def storyline_summaries(self, filters: Filters, *, limit: int, offset: int) -> list[StorylineSummary]: ...

    # -- readers: entities, articles, quotes ----------------------------------------------------------------
    @abc.abstractmethod
    def entities(self, filters: Filters, *, type: str | None = None, name: str | None = None,
                 limit: int | None = 100, offset: int = 0) -> list[EntityView]: ...

    @abc.abstractmethod
    def entity(self, entity_id: str) -> EntityView: ...

    @abc.abstractmethod
    def entity_recent_events(self, entity_id: str, *, from_articles: int, limit: int = 30) -> list[EventSummary]: ...

    @abc.abstractmethod
    def entity_months(self, entity_id: str) -> list[MonthCount]: ...

    @abc.abstractmethod
    def entity_cooccurring(self, entity_id: str, *, from_articles: int, limit: int = 15) -> list[EntityRef]: ...

    @abc.abstractmethod
    def outlet_counts(self, filters: Filters) -> list[OutletCount]: ...

    @abc.abstractmethod
    def articles(self, filters: Filters, *, event: str | None = None, limit: int | None = 100, offset: int = 0,
                 with_text: bool = False) -> list[ArticleView]: ...

    @abc.abstractmethod
    def article(self, article_id: str) -> ArticleView: ...

    @abc.abstractmethod
    def article_refs(self, article_ids: list[str]) -> dict[str, ArticleRef]: ...

    @abc.abstractmethod
    def copies_of(self, article_id: str, limit: int = 50) -> list[ArticleRef]: ...

    @abc.abstractmethod
    def load_items(self, article_ids: list[str]) -> dict[str, tuple[Article, list, list, list]]:
        """id -> (Article, mentions, dates, quotes) rebuilt from the store (records.Mention etc.)."""

    @abc.abstractmethod
    def mentions(self, article_id: str) -> list[MentionView]: ...

    @abc.abstractmethod
    def dates(self, article_id: str) -> list[DateMentionView]: ...

    @abc.abstractmethod
    def quotes(self, filters: Filters, *, event: str | None = None, article: str | None = None,
               speaker: str | None = None, limit: int | None = None, offset: int = 0) -> list[QuoteView]: ...

    @abc.abstractmethod
    def event_quotes(self, event_id: str, limit: int = 60) -> list[QuoteView]: ...

    @abc.abstractmethod
    def event_entity_keys(self, event_ids: list[str]) -> dict[str, set[str]]:
        """Per event: the ids and casefolded names of every entity its articles mention."""

    @abc.abstractmethod
    def article_quotes(self, article_id: str) -> list[QuoteView]: ...

    @abc.abstractmethod
    def quotes_by(self, entity_id: str, limit: int = 30) -> list[QuoteView]: ...

    @abc.abstractmethod
    def quotes_about(self, entity_id: str, limit: int = 20, from_articles: int = 400) -> list[QuoteView]: ...

    @abc.abstractmethod
    def quote_spans(self) -> list[tuple[str, int, int, str, str, str | None, str | None]]:
        """(article id, start, end, text, kind, speaker, channel) of every quote (for the evaluation)."""

    @abc.abstractmethod
    def article_ids(self) -> list[str]: ...

    @abc.abstractmethod
    def export_rows(self) -> list[ExportRow]: ...

    # -- search and the comparison cache ------------------------------------------------------------------
    @abc.abstractmethod
    def search(self, forms: list[list[str]], filters: Filters, *, limit: int, offset: int,
               count_cap: int) -> SearchPage:
        """Articles whose lemma text holds, for every query word, one of its lemma forms; ranked (title first)."""

    @abc.abstractmethod
    def cached_comparison(self, event_id: str, n_articles: int, version: int) -> str | None: ...

    @abc.abstractmethod
    def keep_comparison(self, event_id: str, n_articles: int, version: int, data: str) -> None: ...

    @abc.abstractmethod
    def events_needing_comparison(self, min_articles: int, version: int) -> list[str]: ...


def iter_chunks(items: list, size: int = 500) -> Iterator[list]:
    for i in range(0, len(items), size):
        yield items[i : i + size]
