"""The ingest job: read -> analyse (in worker processes) -> de-duplicate -> link entities -> cluster -> store.

Articles are processed in publication-date order, one store transaction per batch, so a killed ingest leaves a
consistent store and re-running it completes the work (articles already stored are skipped).

Opt-in, ``time_blocks=DAYS`` (``BlockIngest``): the event clustering runs in blocks of whole days on the
executor's processes, stitched here in order (``newsloom.cluster.blocks``); one transaction per block.

``ingest`` is one job; ``IngestSession`` keeps the clusterer's state in memory between jobs, for a process that
ingests small inputs as they arrive (``newsloom watch``).
"""
from __future__ import annotations

import datetime as dt
import math
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from newsloom import engine, snapshot
from newsloom.cluster import events as cluster_events
from newsloom.cluster import features as cluster_features
from newsloom.cluster import storylines as cluster_storylines
from newsloom.cluster.corrections import kept_apart
from newsloom.cluster.events import EventClusterer, EventState
from newsloom.engine.work import warm_up  # noqa: F401 -- public: load the models before forking (newsloom.watch)
from newsloom.cluster.features import TermStats, lead_counts, part_vectors, raw_features, weigh
from newsloom.cluster.storylines import StorylineLinker, StorylineState
from newsloom.errors import InputProblem
from newsloom.ingest import dedup
from newsloom.ingest.readers import day_key
from newsloom.nlp.entities import inflection_key
from newsloom.records import Analysis, Article, EntityType
from newsloom.settings import CLUSTER, INGEST
from newsloom.store.base import Store
from newsloom.store.queue import ArrivalQueue
from newsloom.views import parse_moment

RECENT_DAYS = int(CLUSTER.storyline_max_gap_days) + 5
# what a clusterer snapshot is valid for: the clustering code and its settings
STATE_CODE = snapshot.fingerprint([cluster_events, cluster_storylines, cluster_features], CLUSTER, RECENT_DAYS)
ALIAS_CACHE_MAX = 50_000  # entity aliases an open ingest session keeps between inputs (cleared beyond that)


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
        self.entities = store  # where entity lookups and writes go (the time-block ingest defers the writes)
        # the store's clustering token when this state was loaded, then as this ingestor's last batch renewed it
        self.token = store.clustering_token()
        self._load_state()
        self.clusterer.kept_apart = kept_apart(store)  # a user's splits (newsloom split): never merged again

    # -- state --------------------------------------------------------------------------------------------
    def current(self) -> bool:
        """Whether the store's clustering is still what this ingestor's state reflects: nothing else (another
        ingest, a user's split or merge) has written to it since this state was loaded or last saved."""
        return self.store.clustering_token() == self.token

    def trim_caches(self) -> None:
        """Keep the entity alias cache (a mirror of the store's aliases) bounded between inputs."""
        if len(self.alias_cache) > ALIAS_CACHE_MAX:
            self.alias_cache = {}

    def _snapshot_parts(self) -> dict[str, object]:
        return {"stats": self.stats, "clusterer": self.clusterer, "linker": self.linker}

    def _load_state(self) -> None:
        """The clusterer's state as the last committed batch left it: its snapshot when the store has one made by
        this code, else rebuilt from the stored events and storylines."""
        store = self.store
        self.stats.df.update(store.term_stats())
        self.stats.n_docs = int(store.get_meta("n_docs") or 0)
        fresh = (TermStats(), EventClusterer(), StorylineLinker())
        parts = {"stats": fresh[0], "clusterer": fresh[1], "linker": fresh[2]}
        if snapshot.load(store.load_cluster_state(), parts, STATE_CODE, {"df": self.stats.df}) \
                and fresh[0].n_docs == self.stats.n_docs:
            self.stats, self.clusterer, self.linker = fresh
            return
        self._rebuild_state()

    def _rebuild_state(self) -> None:
        store = self.store
        latest = store.latest_event_end()
        if not latest:
            return
        cutoff = (parse_moment(latest) - dt.timedelta(days=RECENT_DAYS)).isoformat(timespec="minutes")
        for r in store.live_events_since(cutoff):
            event = EventState(
                id=r.id, title=r.title, centroid=r.state["centroid"], start=parse_moment(r.start),
                end=parse_moment(r.end), precision=r.precision, n_articles=r.n_articles, storyline_id=r.storyline_id,
                article_ids=r.state.get("article_ids", []), title_score=r.state.get("title_score", 0.0),
            )
            event.restore(r.state)
            self.clusterer.load(event)
            self.linker.remember_event(event, self.stats)
        for r in store.storylines_since(cutoff):
            self.linker.load(StorylineState(r.id, r.title, r.state["centroid"], r.state["event_ids"],
                                            parse_moment(r.start), parse_moment(r.end)))
        self.clusterer.redirects.update(store.event_redirects())

    # -- entities -----------------------------------------------------------------------------------------
    def _alias(self, alias: str) -> str | None:
        if alias not in self.alias_cache:
            found = self.entities.entity_for_alias(alias)
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
            folded = inflection_key(key) if entity_id is None else None
            if folded is not None:
                # an inflected form of a multi-word name seen before ("Olympischen Winterspielen")
                entity_id = self._alias(folded)
                if entity_id is not None:
                    self.entities.add_alias(key, entity_id)
                    self.alias_cache[key] = entity_id
            if entity_id is None:
                entity_id = key
                self.entities.upsert_entity(key, mention.name, mention.type.value)
                self.entities.add_alias(key, key)
                self.alias_cache[key] = key
                if folded is not None:
                    self.entities.add_alias(folded, key)
                    self.alias_cache[folded] = key
            if mention.type is EntityType.PER and " " in mention.name:
                parts = mention.name.split()
                for part in {parts[-1]}:
                    short = f"PER:{part.casefold()}"
                    existing = self._alias(short)
                    if existing is None:
                        self.entities.add_alias(short, entity_id)
                        self.alias_cache[short] = entity_id
                    elif existing == short:
                        # a surname-only entity seen before the full name: fold it in
                        self.entities.merge_entity(short, entity_id)
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
                counts = article_counts(article, analysis, entity_ids)
                terms = set(counts)
                day = article.published.start.date() if article.published else None
                self.stats.add(terms, day)
                self.changed_terms.update(terms)
                vector = weigh(counts, self.stats, use_burst=self.use_burst)
                forced = None
                if duplicate_of is not None:
                    forced = store.stored_event_of(duplicate_of)
                assignment = self.clusterer.assign(article.id, article.title, vector, article.published, forced_event=forced,
                                                   parts=part_vectors(analysis, counts, self.stats))
                store.assign_article(article.id, assignment.event_id, assignment.score)
                if assignment.created:
                    report.events_created += 1
                    new_events.append(assignment.event_id)
                report.stored += 1
            self._finish_batch(pairs, new_events)

    def _finish_batch(self, pairs: list[tuple[Article, Analysis]], new_events: list[str]) -> None:
        """The end of a batch, in its transaction: merges and redirects, storylines of the new events, the
        changed events and storylines, term statistics, search text, eviction and the state snapshot."""
        store = self.store
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
        store.index_search_text({article.id: analysis.search_text for article, analysis in pairs
                                 if analysis.search_text})
        self.clusterer.dirty.clear()
        self.linker.dirty.clear()
        self.changed_terms.clear()
        if self.clusterer.newest is not None:
            newest = self.clusterer.newest
            self.clusterer.evict_before(newest - dt.timedelta(days=CLUSTER.event_memory_days))
            self.linker.evict_before(newest - dt.timedelta(days=RECENT_DAYS))
        # the state the next batch starts from, committed with this batch (exact resume)
        blob = snapshot.dump(self._snapshot_parts(), STATE_CODE, {"df": self.stats.df})
        if blob is not None:
            store.save_cluster_state(blob)
        # whoever holds this state next (an open ingest session) knows that nobody else wrote since
        self.token = store.renew_clustering_token()


def article_counts(article: Article, analysis: Analysis, entity_ids: list[str]):
    """The article's term counts for clustering; entity features use store-wide ids so that variants meet."""
    counts = raw_features(article, analysis)
    for mention, entity_id in zip(analysis.mentions, entity_ids):
        if mention.key != entity_id:
            old, new = "@" + mention.key, "@" + entity_id
            if old in counts:
                counts[new] = counts.get(new, 0) + counts.pop(old)
    return counts


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
    time_blocks: int | None = None,
) -> IngestReport:
    """Ingest files/folders/stdin (or analyses written by ``newsloom analyze``) into ``store``; returns counts
    and every input problem. The per-article analysis runs on ``workers`` local processes (default: the
    machine's cores), or on a local Dask cluster of ``dask_workers`` processes, or on the workers of the Dask
    ``scheduler`` (``newsloom.engine``); everything else runs here, in publication order. With ``time_blocks``
    (days, opt-in) the event clustering runs in blocks of that many days on the same processes and is stitched
    here (``newsloom.cluster.blocks``)."""
    if time_blocks is not None and (int(time_blocks) != time_blocks or time_blocks < 1):
        raise ValueError(f"time_blocks: a whole number of days, at least 1 (not {time_blocks})")
    report = IngestReport()
    with store.ingest_lock():
        _ingest_locked(paths, store, report, workers, dask_workers, scheduler, progress, on_problem,
                       lambda: Ingestor(store, use_burst=use_burst), on_batch, time_blocks)
    return report


class IngestSession:
    """An ingest kept open between inputs, for a long-running process that ingests small inputs as they arrive
    (``newsloom watch``: a chunk of feed items at a time). ``ingest`` takes the same inputs and options as the
    ``ingest`` function and gives exactly what it gives (the same events, the same ids), but keeps one
    ``Ingestor`` -- the clusterer's state: every event and storyline of the recent window, the term statistics --
    in memory from one call to the next instead of loading it from the store each time. (``time_blocks`` is not
    offered: a session ingests small inputs, one after the other.)

    The store's ingest lock is taken for each call only (between calls, a user's split or merge, or another ingest,
    may run). Each call first checks the store's clustering token (``Store.clustering_token``): when anything but
    this session wrote to the clustering since its last batch, the state is loaded again from the store, as a new
    ingest would. A call that fails (or is interrupted) drops the state, which may be ahead of the store; the next
    call loads it again. Each batch is committed with its snapshot as in one ingest, so a killed process loses
    nothing and a later ingest resumes exactly.

    >>> with IngestSession(store) as session:
    ...     for path in arriving_files():
    ...         report = session.ingest([path], workers=1)
    """

    def __init__(self, store: Store, *, use_burst: bool = True):
        self.store = store
        self.use_burst = use_burst
        self.loads = 0  # how often the clustering state was loaded from the store (1 when nothing else wrote)
        self._ingestor: Ingestor | None = None

    def ingest(
        self,
        paths: Iterable[str],
        *,
        workers: int | None = None,
        dask_workers: int | None = None,
        scheduler: str | None = None,
        progress: bool = False,
        on_problem: Callable[[InputProblem], None] | None = None,
        on_batch: Callable[[int], None] | None = None,
    ) -> IngestReport:
        """Ingest ``paths`` as ``pipeline.ingest`` does, continuing from this session's clustering state."""
        report = IngestReport()
        with self.store.ingest_lock():
            try:
                _ingest_locked(paths, self.store, report, workers, dask_workers, scheduler, progress, on_problem,
                               self._ingestor_now, on_batch)
            except BaseException:
                self._ingestor = None  # a batch may have been rolled back: the state may be ahead of the store
                raise
        return report

    def _ingestor_now(self) -> Ingestor:
        """The session's ingestor, loaded again when the store's clustering changed (called under the lock)."""
        if self._ingestor is None or not self._ingestor.current():
            self._ingestor = None
            self._ingestor = Ingestor(self.store, use_burst=self.use_burst)
            self.loads += 1
        else:
            self._ingestor.trim_caches()
        return self._ingestor

    def close(self) -> None:
        """Drop the in-memory state (the store keeps everything; the store itself stays open)."""
        self._ingestor = None

    def __enter__(self) -> "IngestSession":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _ingest_locked(paths, store, report, workers, dask_workers, scheduler, progress, on_problem, make_ingestor,
                   on_batch, time_blocks=None) -> None:
    queue = ArrivalQueue(day_key)

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
            _analyse_and_store(queue, report, executor, problem, progress, make_ingestor, on_batch, time_blocks)
    finally:
        queue.close()


def _analyse_and_store(queue, report, executor, problem, progress, make_ingestor, on_batch,
                       time_blocks=None) -> None:
    total = queue.size
    if not total:
        return  # nothing new: the clustering state is not even loaded
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=total, unit="art", file=sys.stderr, dynamic_ncols=True)

    def written(n: int) -> None:
        if bar:
            bar.update(n)
        if on_batch:
            on_batch(n)

    ingestor = make_ingestor()
    sink = (BlockIngest(ingestor, executor, time_blocks, report, on_written=written) if time_blocks
            else _Batches(ingestor, report, on_written=written))
    for article, result in engine.analysed_in_order(queue.in_order(), executor, parallel=total > 50):
        if isinstance(result, InputProblem):
            problem(result)
            if bar:
                bar.update(1)
            continue
        sink.add(article, result)
    sink.close()
    if bar:
        bar.close()


class _Batches:
    """The sequential ingest: analysed articles gathered into batches of ``INGEST.batch_size``, each processed
    (and committed) by the ingestor in turn; the same ``add`` / ``close`` as the time-block ingest."""

    def __init__(self, ingestor: Ingestor, report: IngestReport, on_written: Callable[[int], None]):
        self.ingestor = ingestor
        self.report = report
        self.on_written = on_written
        self.batch: list[tuple[Article, Analysis]] = []

    def add(self, article: Article, analysis: Analysis) -> None:
        self.batch.append((article, analysis))
        if len(self.batch) >= INGEST.batch_size:
            self.close()

    def close(self) -> None:
        if self.batch:
            self.ingestor.process_batch(self.batch, self.report)
            self.on_written(len(self.batch))
            self.batch = []


@dataclass
class _Prepared:
    """An article de-duplicated and entity-linked, waiting for its block's clustering to be stored."""

    article: Article
    analysis: Analysis
    digest: str
    signature: object
    bucket_keys: list[int]
    duplicate_of: str | None
    duplicate_kind: str | None
    entity_ids: list[str]
    entity_writes: list[tuple[str, tuple]]  # entities and aliases its linking made (``DeferredEntities``)
    terms: set[str]


class BlockIngest:
    """The ingest with event clustering in time blocks (opt-in: ``ingest(..., time_blocks=DAYS)``; the design is
    in ``newsloom.cluster.blocks``).

    Here, in publication order: de-duplication (against the store and against this run's articles not stored
    yet) and entity linking (both need everything before the article), the term statistics kept ahead of the
    clustering (each block's warm-up). A block of whole days goes to the executor as one task once the input has
    passed its last day; its result comes back in block order, is stitched to the earlier blocks' events
    (``Ingestor.clusterer`` holds them) and stored in one transaction with the same writes as ``process_batch``
    (articles, assignments, merges and redirects, storylines of the new events, term statistics, state snapshot),
    so a killed ingest resumes as the sequential one does."""

    def __init__(self, ingestor: Ingestor, executor, days: float, report: IngestReport, *,
                 on_written: Callable[[int], None] | None = None):
        import copy
        from collections import deque

        self.ingestor = ingestor
        self.store = ingestor.store
        self.executor = executor
        self.days = dt.timedelta(days=days)
        self.report = report
        self.on_written = on_written
        self.entities = ingestor.entities = DeferredEntities(self.store)
        self.ahead = copy.deepcopy(ingestor.stats)  # term statistics up to the last article prepared
        self.n_prepared = ingestor.clusterer.n_assigned
        self.hashes: dict[str, str] = {}  # this run's articles not stored yet: text hash -> first article
        self.buckets: dict[int, list[str]] = {}
        self.signatures: dict[str, object] = {}
        self.seen: set[str] = set()
        self.waiting: list[tuple[Article, Analysis]] = []  # read, not yet de-duplicated and linked
        self.items: list = []
        self.recent: list = []  # the items of the last blocks (the next block's warm-up days)
        self.prepared: list[_Prepared] = []
        self.start: dt.date | None = None
        # the next block's warm-up: the term statistics before it (pickled) and the articles before it
        self.warm: tuple[bytes, int] = (self._pickled_stats(), self.n_prepared)
        self.index = 0
        self.pending: deque = deque()
        self.in_flight = max(1, executor.workers) + 1

    # -- preparing, in order -------------------------------------------------------------------------------
    def add(self, article: Article, analysis: Analysis) -> None:
        if article.id in self.seen or self.store.known_ids([article.id]):
            self.report.already_stored += 1
            return
        self.seen.add(article.id)
        day = article.published.start.date() if article.published else None
        if day is not None and (self.start is None or day >= self.start + self.days):
            self._prepare()
            self._submit()
            self.start = day
        self.waiting.append((article, analysis))
        if len(self.waiting) >= INGEST.batch_size:
            self._prepare()

    def _prepare(self) -> None:
        """De-duplicate the articles waiting and link their entities (the store's writes wait for the block)."""
        if not self.waiting:
            return
        for article, analysis in self.waiting:
            self._prepare_one(article, analysis)
        self.waiting.clear()

    def _prepare_one(self, article: Article, analysis: Analysis) -> None:
        from newsloom.cluster.blocks import BlockItem, slim_analysis

        store, report = self.store, self.report
        day = article.published.start.date() if article.published else None
        digest = dedup.text_hash(article.text)
        duplicate_of = store.article_by_hash(digest) or self.hashes.get(digest)
        duplicate_kind = "exact" if duplicate_of is not None else None
        signature = (dedup.np.frombuffer(analysis.fingerprint, dtype=dedup.np.uint64)
                     if analysis.fingerprint else dedup.signature(article.text))
        bucket_keys = dedup.buckets(signature)
        if duplicate_of is None:
            # the store's candidates (the first 50 by id) and this run's, in the store's order
            found = dict(store.near_candidates(bucket_keys))
            for key in bucket_keys:
                for other_id in self.buckets.get(int(key), ()):
                    found[other_id] = self.signatures[other_id]
            best = 0.0
            for other_id in sorted(found)[:50]:
                value = dedup.similarity(signature, found[other_id])
                if value >= INGEST.near_duplicate_jaccard and value > best:
                    duplicate_of, duplicate_kind, best = other_id, "near", value
        if duplicate_of is not None:
            report.duplicates += 1
        self.hashes.setdefault(digest, article.id)
        self.signatures[article.id] = signature
        for key in bucket_keys:
            self.buckets.setdefault(int(key), []).append(article.id)
        entity_ids = self.ingestor.link_entities(analysis)
        counts = article_counts(article, analysis, entity_ids)
        terms = set(counts)
        self.ahead.add(terms, day)
        self.n_prepared += 1
        self.items.append(BlockItem(article.id, article.title, article.published, counts, slim_analysis(analysis),
                                    duplicate_of))
        self.prepared.append(_Prepared(article, analysis, digest, signature, bucket_keys, duplicate_of,
                                       duplicate_kind, entity_ids, self.entities.take(), terms))

    def _pickled_stats(self) -> bytes:
        import pickle

        return pickle.dumps(self.ahead, protocol=pickle.HIGHEST_PROTOCOL)

    def _submit(self) -> None:
        from newsloom.cluster.blocks import BlockTask, cluster_block

        if not self.items:
            return
        clusterer = self.ingestor.clusterer
        stats_before, n_before = self.warm
        # the statistics after the block: the next block's warm-up, and what the store gets with this block
        self.warm = (self._pickled_stats(), self.n_prepared)
        # the warm-up: this run's articles of the days before the block in which its open events began
        first = self.start - dt.timedelta(days=math.ceil(clusterer.settings.max_event_days)) if self.start else None
        warm = [item for item in self.recent if first is not None and item.published is not None
                and item.published.start.date() >= first]
        self.recent = warm + self.items
        task = BlockTask(self.index, self.start, stats_before, n_before, self.items, clusterer.settings,
                         clusterer.model, self.ingestor.use_burst, set(clusterer.kept_apart),
                         join_days=clusterer.settings.max_event_days + 1.0, warm=warm)
        self.pending.append((self.prepared, self.warm[0], self.executor.submit(cluster_block, task)))
        self.index += 1
        self.items, self.prepared = [], []
        while len(self.pending) > self.in_flight:
            self._store_oldest()

    def close(self) -> None:
        self._prepare()
        self._submit()
        while self.pending:
            self._store_oldest()

    # -- stitching and storing, block after block ---------------------------------------------------------
    def _store_oldest(self) -> None:
        import pickle

        from newsloom.cluster.blocks import stitch_block

        prepared, stats_after, handle = self.pending.popleft()
        result = handle.result()
        ingestor, store, report = self.ingestor, self.store, self.report
        new_events: list[str] = []
        with store.transaction():
            ingestor.stats = pickle.loads(stats_after)
            ingestor.clusterer.merged.extend(result.merged)
            stitched = stitch_block(ingestor.clusterer, result, store.stored_event_of)
            for item, (article_id, event_id, score, created) in zip(prepared, result.assignments):
                article, analysis, entity_ids = item.article, item.analysis, item.entity_ids
                for name, args in item.entity_writes:  # in the order the sequential ingest makes them
                    getattr(store, name)(*args)
                store.insert_article(
                    article, analysis, text_hash=item.digest, signature=item.signature,
                    bucket_keys=item.bucket_keys, duplicate_of=item.duplicate_of,
                    duplicate_kind=item.duplicate_kind, entity_ids=entity_ids,
                )
                ingestor.changed_terms.update(item.terms)
                store.assign_article(article_id, event_id, score)
                if created:
                    new_events.append(event_id)
                report.stored += 1
            report.events_created += len(new_events) - len(stitched)
            ingestor._finish_batch([(p.article, p.analysis) for p in prepared], new_events)
        for item in prepared:
            self.entities.stored(item.entity_writes)
            self.signatures.pop(item.article.id, None)
            if self.hashes.get(item.digest) == item.article.id:
                del self.hashes[item.digest]
            for key in item.bucket_keys:
                bucket = self.buckets.get(int(key))
                if bucket is not None:
                    bucket.remove(item.article.id)
                    if not bucket:
                        del self.buckets[int(key)]
        if self.on_written:
            self.on_written(len(prepared))


class DeferredEntities:
    """Entity lookups through the store and this run's entity writes not stored yet; the writes are kept per
    article (``take``) and made in the store with the article (the time-block ingest prepares ahead of storing)."""

    def __init__(self, store: Store):
        self.store = store
        self.aliases: dict[str, str] = {}  # written here, not yet in the store (entity as first written)
        self.merged: dict[str, str] = {}  # entity -> the entity it was folded into (this run)
        self.writes: list[tuple[str, tuple]] = []

    def _current(self, entity_id: str) -> str:
        while entity_id in self.merged:
            entity_id = self.merged[entity_id]
        return entity_id

    def entity_for_alias(self, alias: str) -> str | None:
        found = self.aliases.get(alias)
        if found is None:
            found = self.store.entity_for_alias(alias)
        return None if found is None else self._current(found)

    def upsert_entity(self, entity_id: str, name: str, etype: str) -> None:
        self.writes.append(("upsert_entity", (entity_id, name, etype)))

    def add_alias(self, alias: str, entity_id: str) -> None:
        if self.entity_for_alias(alias) is None:  # the store keeps the first
            self.aliases[alias] = entity_id
        self.writes.append(("add_alias", (alias, entity_id)))

    def merge_entity(self, old_id: str, new_id: str) -> None:
        if old_id != new_id:
            self.merged[old_id] = new_id  # aliases of ``old_id`` are read as ``new_id`` from now on
        self.writes.append(("merge_entity", (old_id, new_id)))

    def take(self) -> list[tuple[str, tuple]]:
        writes, self.writes = self.writes, []
        return writes

    def stored(self, writes: list[tuple[str, tuple]]) -> None:
        """``writes`` are in the store now: their aliases are read from there."""
        for name, args in writes:
            if name == "add_alias" and self.aliases.get(args[0]) is not None:
                del self.aliases[args[0]]


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
    queue = ArrivalQueue(day_key)

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
