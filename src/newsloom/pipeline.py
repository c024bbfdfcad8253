"""The ingest job: read -> analyse (in worker processes) -> de-duplicate -> link entities -> cluster -> store.

Articles are processed in publication-date order, one store transaction per batch, so a killed ingest leaves a
consistent store and re-running it completes the work (articles already stored are skipped).
"""
from __future__ import annotations

import datetime as dt
import json
import os
import pickle
import sqlite3
import sys
import tempfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from newsloom import engine, search
from newsloom.cluster.events import EventClusterer, EventState
from newsloom.cluster.features import TermStats, raw_features, weigh
from newsloom.cluster.storylines import StorylineLinker, StorylineState
from newsloom.errors import InputProblem
from newsloom.ingest import dedup
from newsloom.ingest.readers import day_key
from newsloom.records import Analysis, Article, EntityType
from newsloom.settings import CLUSTER, INGEST
from newsloom.store.sqlite import Store, _dt

RECENT_DAYS = int(CLUSTER.storyline_max_gap_days) + 5


@dataclass
class IngestReport:
    read: int = 0
    stored: int = 0
    already_stored: int = 0
    duplicates: int = 0
    events_created: int = 0
    problems: list[InputProblem] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return len(self.problems)

    def summary(self) -> str:
        return (
            f"stored {self.stored}, already stored {self.already_stored}, duplicates {self.duplicates}, "
            f"new events {self.events_created}, failed {self.failed}"
        )

    def to_json(self) -> dict:
        return {
            "read": self.read, "stored": self.stored, "already_stored": self.already_stored,
            "duplicates": self.duplicates, "events_created": self.events_created, "failed": self.failed,
            "problems": [str(p) for p in self.problems],
        }


class Ingestor:
    """Holds the clustering state between batches; use ``run`` for a whole job."""

    def __init__(self, store: Store, *, use_burst: bool = True):
        self.store = store
        self.use_burst = use_burst
        self.stats = TermStats()
        self.clusterer = EventClusterer()
        self.linker = StorylineLinker()
        self.alias_cache: dict[str, str] = {}
        self.changed_terms: set[str] = set()
        self._load_state()

    # -- state --------------------------------------------------------------------------------------------
    def _load_state(self) -> None:
        db = self.store.db
        self.stats.n_docs = int(self.store.get_meta("n_docs") or 0)
        for term, df in db.execute("SELECT term, df FROM term_stats"):
            self.stats.df[term] = df
        row = db.execute("SELECT max(end) FROM events WHERE redirect_to IS NULL").fetchone()
        if not row or not row[0]:
            return
        cutoff = (_dt(row[0]) - dt.timedelta(days=RECENT_DAYS)).isoformat(timespec="minutes")
        for r in db.execute(
            "SELECT * FROM events WHERE redirect_to IS NULL AND (end IS NULL OR end >= ?) ORDER BY start", (cutoff,)
        ):
            state = json.loads(r["state"])
            event = EventState(
                id=r["id"], title=r["title"], centroid=state["centroid"], start=_dt(r["start"]), end=_dt(r["end"]),
                precision=r["precision"], n_articles=r["n_articles"], storyline_id=r["storyline_id"],
                article_ids=state.get("article_ids", []), title_score=state.get("title_score", 0.0),
            )
            self.clusterer.load(event)
            self.linker.remember_event(event, self.stats)
        for r in db.execute("SELECT * FROM storylines WHERE end IS NULL OR end >= ?", (cutoff,)):
            state = json.loads(r["state"])
            self.linker.load(StorylineState(r["id"], r["title"], state["centroid"], state["event_ids"],
                                            _dt(r["start"]), _dt(r["end"])))
        for r in db.execute("SELECT id, redirect_to FROM events WHERE redirect_to IS NOT NULL"):
            self.clusterer.redirects[r[0]] = r[1]

    # -- entities -----------------------------------------------------------------------------------------
    def _alias(self, alias: str) -> str | None:
        if alias not in self.alias_cache:
            found = self.store.entity_for_alias(alias)
            if found is None:
                return None
            self.alias_cache[alias] = found
        return self.alias_cache[alias]

    def link_entities(self, analysis: Analysis) -> list[str]:
        """Store-wide entity ids for the article's mentions (surname-only persons join their full name)."""
        ids = []
        for mention in analysis.mentions:
            key = mention.key
            entity_id = self._alias(key)
            if entity_id is None:
                entity_id = key
                self.store.upsert_entity(key, mention.name, mention.type.value)
                self.store.add_alias(key, key)
                self.alias_cache[key] = key
            if mention.type is EntityType.PER and " " in mention.name:
                parts = mention.name.split()
                for part in {parts[-1]}:
                    short = f"PER:{part.casefold()}"
                    existing = self._alias(short)
                    if existing is None:
                        self.store.add_alias(short, entity_id)
                        self.alias_cache[short] = entity_id
                    elif existing == short:
                        # a surname-only entity seen before the full name: fold it in
                        self.store.merge_entity(short, entity_id)
                        self.alias_cache = {a: (entity_id if e == short else e) for a, e in self.alias_cache.items()}
            ids.append(entity_id)
        return ids

    # -- one batch ----------------------------------------------------------------------------------------
    def process_batch(self, pairs: list[tuple[Article, Analysis]], report: IngestReport) -> None:
        store = self.store
        with store.transaction():
            new_events: list[str] = []
            for article, analysis in pairs:
                if store.known_ids([article.id]):
                    report.already_stored += 1
                    continue
                digest = dedup.text_hash(article.text)
                duplicate_of, duplicate_kind = store.article_by_hash(digest), None
                signature = (dedup.np.frombuffer(analysis.fingerprint, dtype=dedup.np.uint64)
                             if analysis.fingerprint else dedup.signature(article.text))
                bucket_keys = dedup.buckets(signature)
                if duplicate_of is not None:
                    duplicate_kind = "exact"
                else:
                    best = 0.0
                    for other_id, other_sig in store.near_candidates(bucket_keys):
                        value = dedup.similarity(signature, other_sig)
                        if value >= INGEST.near_duplicate_jaccard and value > best:
                            duplicate_of, duplicate_kind, best = other_id, "near", value
                if duplicate_of is not None:
                    report.duplicates += 1
                entity_ids = self.link_entities(analysis)
                store.insert_article(
                    article, analysis, text_hash=digest, signature=signature, bucket_keys=bucket_keys,
                    duplicate_of=duplicate_of, duplicate_kind=duplicate_kind, entity_ids=entity_ids,
                )
                counts = raw_features(article, analysis)
                # entity features use store-wide ids so that variants meet
                for mention, entity_id in zip(analysis.mentions, entity_ids):
                    if mention.key != entity_id:
                        old, new = "@" + mention.key, "@" + entity_id
                        if old in counts:
                            counts[new] = counts.get(new, 0) + counts.pop(old)
                terms = set(counts)
                day = article.published.start.date() if article.published else None
                self.stats.add(terms, day)
                self.changed_terms.update(terms)
                vector = weigh(counts, self.stats, use_burst=self.use_burst)
                forced = None
                if duplicate_of is not None:
                    row = store.db.execute("SELECT event_id FROM event_articles WHERE article_id=?", (duplicate_of,)).fetchone()
                    forced = row[0] if row else None
                assignment = self.clusterer.assign(article.id, article.title, vector, article.published, forced_event=forced)
                store.assign_article(article.id, assignment.event_id, assignment.score)
                if assignment.created:
                    report.events_created += 1
                    new_events.append(assignment.event_id)
                report.stored += 1
            for dropped, kept in self.clusterer.merged:
                store.save_event(dropped)  # it may not be stored yet
                store.redirect_event(dropped.id, kept)
            self.clusterer.merged.clear()
            for event_id in new_events:
                event = self.clusterer.events.get(event_id)
                if event is not None:
                    self.linker.link(event, self.stats)
            for event_id in self.clusterer.dirty:
                event = self.clusterer.events.get(event_id)
                if event is not None:
                    store.save_event(event)
            for storyline_id in self.linker.dirty:
                store.save_storyline(self.linker.storylines[storyline_id])
            store.save_term_stats({t: self.stats.df[t] for t in self.changed_terms})
            store.set_meta("n_docs", str(self.stats.n_docs))
            search.index_new_articles(store.db, [article.id for article, _ in pairs],
                                      {article.id: analysis.search_text for article, analysis in pairs})
        self.clusterer.dirty.clear()
        self.linker.dirty.clear()
        self.changed_terms.clear()
        if self.clusterer.newest is not None:
            newest = self.clusterer.newest
            self.clusterer.evict_before(newest - dt.timedelta(days=CLUSTER.event_memory_days))
            self.linker.evict_before(newest - dt.timedelta(days=RECENT_DAYS))


class _ArrivalQueue:
    """Articles of one run, spilled to a temporary SQLite file and read back in publication order,
    so that memory stays flat however large the input is."""

    def __init__(self) -> None:
        self.folder = tempfile.TemporaryDirectory(prefix="newsloom-ingest-")
        # read back by the worker pool's feeder thread, never concurrently with the main thread
        self.db = sqlite3.connect(os.path.join(self.folder.name, "queue.db"), isolation_level=None,
                                  check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=OFF")
        self.db.execute("PRAGMA synchronous=OFF")
        self.db.execute("CREATE TABLE queue (id TEXT PRIMARY KEY, key TEXT NOT NULL, article BLOB NOT NULL, "
                        "analysis BLOB)")
        self.db.execute("BEGIN")
        self.size = 0

    def add(self, article: Article, analysis: Analysis | None = None) -> bool:
        """False when an article with this id is already queued in this run (``analysis``: done already)."""
        blob = zlib.compress(pickle.dumps(article, protocol=pickle.HIGHEST_PROTOCOL), 1)
        done = None if analysis is None else zlib.compress(pickle.dumps(analysis, protocol=pickle.HIGHEST_PROTOCOL), 1)
        cursor = self.db.execute("INSERT OR IGNORE INTO queue(id, key, article, analysis) VALUES (?,?,?,?)",
                                 (article.id, day_key(article), blob, done))
        self.size += cursor.rowcount
        return cursor.rowcount == 1

    def drop(self, ids: Iterable[str]) -> None:
        self.db.executemany("DELETE FROM queue WHERE id=?", [(i,) for i in ids])
        self.size = self.db.execute("SELECT count(*) FROM queue").fetchone()[0]

    def ids(self) -> Iterator[list[str]]:
        cursor = self.db.execute("SELECT id FROM queue")
        while rows := cursor.fetchmany(2000):
            yield [r[0] for r in rows]

    def in_order(self) -> Iterator[tuple[Article, Analysis | None]]:
        self.db.execute("COMMIT")
        self.db.execute("CREATE INDEX queue_order ON queue(key, id)")
        for blob, done in self.db.execute("SELECT article, analysis FROM queue ORDER BY key, id"):
            yield pickle.loads(zlib.decompress(blob)), (pickle.loads(zlib.decompress(done)) if done else None)

    def close(self) -> None:
        self.db.close()
        self.folder.cleanup()


def ingest(
    paths: Iterable[str],
    store: Store,
    *,
    workers: int | None = None,
    dask_workers: int | None = None,
    scheduler: str | None = None,
    progress: bool = False,
    on_problem: Callable[[InputProblem], None] | None = None,
    use_burst: bool = True,
    on_batch: Callable[[int], None] | None = None,
) -> IngestReport:
    """Ingest files/folders/stdin (or analyses written by ``newsloom analyze``) into ``store``; returns counts
    and every input problem. The per-article analysis runs on ``workers`` local processes (default: the
    machine's cores), or on a local Dask cluster of ``dask_workers`` processes, or on the workers of the Dask
    ``scheduler`` (``newsloom.engine``); everything else runs here, in publication order."""
    report = IngestReport()
    queue = _ArrivalQueue()

    def problem(item: InputProblem) -> None:
        report.problems.append(item)
        if on_problem:
            on_problem(item)

    try:
        with engine.open_executor(processes=workers, workers=dask_workers, scheduler=scheduler) as executor:
            for article, analysis in engine.read_inputs(paths, executor, problem):
                report.read += 1
                if not queue.add(article, analysis):
                    report.already_stored += 1
            known: set[str] = set()
            for chunk in queue.ids():
                known |= store.known_ids(chunk)
            report.already_stored += len(known)
            queue.drop(known)
            _analyse_and_store(queue, store, report, executor, problem, progress, use_burst, on_batch)
    finally:
        queue.close()
    return report


def _analyse_and_store(queue, store, report, executor, problem, progress, use_burst, on_batch) -> None:
    total = queue.size
    ingestor = Ingestor(store, use_burst=use_burst)
    bar = None
    if progress and total:
        from tqdm import tqdm

        bar = tqdm(total=total, unit="art", file=sys.stderr, dynamic_ncols=True)
    batch: list[tuple[Article, Analysis]] = []

    def flush() -> None:
        if batch:
            ingestor.process_batch(batch, report)
            if bar:
                bar.update(len(batch))
            if on_batch:
                on_batch(len(batch))
            batch.clear()

    for article, result in engine.analysed_in_order(queue.in_order(), executor, parallel=total > 50):
        if isinstance(result, InputProblem):
            problem(result)
            if bar:
                bar.update(1)
            continue
        batch.append((article, result))
        if len(batch) >= INGEST.batch_size:
            flush()
    flush()
    if bar:
        bar.close()


def analyse_to_dataset(
    paths: Iterable[str],
    folder: str,
    *,
    workers: int | None = None,
    dask_workers: int | None = None,
    scheduler: str | None = None,
    on_problem: Callable[[InputProblem], None] | None = None,
) -> IngestReport:
    """Analyse articles without clustering them: a Parquet dataset partitioned by day (``engine.analyses``)
    that ``ingest`` reads later without analysing again. ``report.stored`` counts the analyses written."""
    from newsloom.engine.analyses import DatasetWriter

    report = IngestReport()
    queue = _ArrivalQueue()

    def problem(item: InputProblem) -> None:
        report.problems.append(item)
        if on_problem:
            on_problem(item)

    try:
        with engine.open_executor(processes=workers, workers=dask_workers, scheduler=scheduler) as executor:
            for article, analysis in engine.read_inputs(paths, executor, problem):
                report.read += 1
                if not queue.add(article, analysis):
                    report.already_stored += 1
            writer = DatasetWriter(folder, {"ner_engine": INGEST.ner_engine})
            for article, result in engine.analysed_in_order(queue.in_order(), executor, parallel=queue.size > 50):
                if isinstance(result, InputProblem):
                    problem(result)
                else:
                    writer.add(article, result)
                    report.stored += 1
            writer.close()
    finally:
        queue.close()
    return report
