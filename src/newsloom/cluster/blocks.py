"""Event clustering in time blocks: blocks of whole days clustered in parallel, then stitched in one process.

The sequential ingest clusters every article in publication order in one process. With ``time_blocks`` (``newsloom
ingest --time-blocks DAYS``) the ingest (``newsloom.pipeline``) cuts the publication-ordered input into blocks of
``DAYS`` whole days and runs each block's event clustering as one task (``cluster_block``, a pure function of its
``BlockTask``) on the engine's processes: the local pool, or Dask workers with ``--workers``/``--scheduler``.

What a block knows of the time before it (its warm-up): the term statistics exactly as the sequential run has them
at the block's first article (document frequencies, document count and the burst window of the last days; the
ingest keeps them up to date ahead of the clustering, it is cheap), so every article vector is the sequential
run's; how many articles came before (the clusterer's small-store rule); and this run's articles of the
``ceil(max_event_days)`` days before the block (the warm-up days, an earlier block's articles). The block clusters
the warm-up days first (weighed by the statistics at its start, not stored from there), so that it starts with the
events open at its start, as the sequential run does (a block that started empty would gather the first articles
of a busy subject into one event: with one candidate the join model is too sure; measured in docs/benchmarks.md).

Stitching (``stitch_block``, in the ingest process, block after block in order, the earlier blocks' events held
by the ingest's clusterer):

- an event of the block that holds warm-up articles continues an earlier block's event: the one holding most of
  those articles. The block's articles in it join that event, one by one and in order (``EventClusterer.join``,
  while within ``max_event_days`` of its first article; past that the clusterer decides, as it would have);
- a block without warm-up days (the first of a run, whose earlier days are in the store) offers each event that
  begins within ``max_event_days`` of its start (only those can belong to an earlier event: an event never takes
  an article more than ``max_event_days`` after its first; a day's slack for the articles' time midpoints) to the
  earlier events, with the same decision the clusterer takes for an article: the event's first article (its
  vectors as the block weighed them) against the candidates the sequential run would have had (the earlier
  events, and the block's own events begun before it), by the first-stage score and the learned ranking and join
  models (``EventClusterer.ranked`` and ``decide``); a near-duplicate of an earlier article follows its
  original's event. The event is merged into the earlier one when an earlier event wins and the merged event
  still spans at most ``max_event_days`` (the clusterer's rule for merges): the earlier event keeps its id, the
  block's event id redirects to it (the store's redirects, as for the clusterer's own merges).

Event ids are the clusterer's (derived from an event's first article), so they do not depend on the engine, on the
number of processes or on the order in which blocks finish: results come back in block order.

Not the sequential run's result in general: the warm-up days' events are rebuilt from this run's articles alone
(and weighed by later statistics), a stitched event is merged whole, a near-duplicate of an article outside its
block (and its warm-up days) is forced into its original's event only when it begins its event, and storylines
link a block's new events once the block is stitched (the sequential run links them at the end of each
500-article batch). With one block longer than the input the result is the sequential run's.
"""
from __future__ import annotations

import datetime as dt
import pickle
import time
from collections import Counter
from dataclasses import dataclass, field

from newsloom.cluster.events import EventClusterer, EventState, moment
from newsloom.cluster.features import TermStats, lead_counts, part_vectors, weigh
from newsloom.cluster.model import EventModel
from newsloom.records import Analysis, TimeSpan
from newsloom.settings import ClusterSettings


@dataclass
class BlockItem:
    """What the clustering needs of one article (the ingest has de-duplicated it and linked its entities)."""

    article_id: str
    title: str
    published: TimeSpan | None
    counts: Counter  # term counts, entity features under store-wide entity ids (``pipeline``)
    analysis: Analysis  # slim: what ``part_vectors`` reads (title lemmas, lead counts, dates, numbers)
    duplicate_of: str | None = None


@dataclass
class BlockTask:
    index: int
    start: dt.date | None  # the block's first day (None: only undated articles)
    stats: TermStats | bytes  # term statistics before the block's first article (or pickled)
    n_before: int  # articles the clusterer had assigned before the block
    items: list[BlockItem]
    settings: ClusterSettings
    model: EventModel | None = None  # the clusterer's (``EventClusterer.model``)
    use_burst: bool = True
    kept_apart: set[tuple[str, str]] = field(default_factory=set)
    join_days: float = 0.0  # events begun this long after ``start`` are offered to earlier blocks' events
    # the articles of the days before the block (an earlier block's): clustered first, so that the block starts
    # with the events open at its start, as the sequential run does; their assignments are not the block's
    warm: list[BlockItem] = field(default_factory=list)


@dataclass
class Seed:
    """An event's first article as the block weighed it, for the stitching decision."""

    vector: dict[str, float]
    parts: dict[str, dict[str, float]]
    span: TimeSpan | None
    n_before: int
    duplicate_of: str | None  # a near-duplicate of an article before the block


@dataclass
class Joined:
    """A block article that joined an event begun in the warm-up days: it joins that event's earlier-block
    original when stitched (the event that holds most of the warm-up articles the block's event holds)."""

    article_id: str
    title: str
    vector: dict[str, float]
    parts: dict[str, dict[str, float]]
    span: TimeSpan | None
    score: float
    group: int  # index into ``BlockResult.groups``


@dataclass
class BlockResult:
    index: int
    start: dt.date | None
    assignments: list[tuple[str, str | None, float, bool]]  # (article, event or None: see ``joined``, score, created)
    events: dict[str, EventState]  # the block's own events, in creation order
    merged: list[tuple[EventState, str]]  # the block's events merged inside the block: (absorbed, surviving id)
    redirects: dict[str, str]
    seeds: dict[str, Seed]  # of the events begun within ``join_days`` of the start (blocks without warm-up)
    newest: dt.datetime | None  # the latest publication start in the block
    cpu_s: float = 0.0  # CPU seconds the block's clustering took where it ran
    groups: list[list[str]] = field(default_factory=list)  # warm-up articles of each event they began
    joined: list[Joined] = field(default_factory=list)  # in input order


def slim_analysis(analysis: Analysis) -> Analysis:
    """The parts of an analysis that the clustering reads (a block task ships no text, mentions or quotes)."""
    return Analysis(article_id=analysis.article_id, dates=list(analysis.dates),
                    title_lemmas=tuple(analysis.title_lemmas), numbers=tuple(analysis.numbers),
                    lead_counts=lead_counts(analysis))


def cluster_block(task: BlockTask) -> BlockResult:
    """Cluster one block's articles in order, from the warm-up the task carries (runs on any worker)."""
    cpu = time.process_time()
    stats = pickle.loads(task.stats) if isinstance(task.stats, bytes) else task.stats
    clusterer = EventClusterer(task.settings, task.model)
    clusterer.kept_apart = set(task.kept_apart)
    clusterer.n_assigned = task.n_before - len(task.warm)
    assigned: dict[str, str] = {}  # article -> the event it was assigned to (as the store records it)
    # the warm-up: the days before the block, weighed by the statistics at the block's start (which count them)
    for item in task.warm:
        vector = weigh(item.counts, stats, use_burst=task.use_burst)
        parts = part_vectors(item.analysis, item.counts, stats)
        forced = assigned.get(item.duplicate_of) if item.duplicate_of else None
        result = clusterer.assign(item.article_id, item.title, vector, item.published, forced_event=forced,
                                  parts=parts)
        assigned[item.article_id] = result.event_id
    warm_articles = set(assigned)
    warm_ids = set(clusterer.events) | set(clusterer.redirects)
    clusterer.merged.clear()
    clusterer.dirty.clear()
    start_moment = _day_moment(task.start)
    assignments: list[tuple[str, str | None, float, bool]] = []
    seeds: dict[str, Seed] = {}
    details: dict[str, tuple] = {}
    for item in task.items:
        counts = item.counts
        day = item.published.start.date() if item.published else None
        stats.add(set(counts), day)
        vector = weigh(counts, stats, use_burst=task.use_burst)
        parts = part_vectors(item.analysis, counts, stats)
        forced = assigned.get(item.duplicate_of) if item.duplicate_of else None
        n_before = clusterer.n_assigned
        result = clusterer.assign(item.article_id, item.title, vector, item.published, forced_event=forced,
                                  parts=parts)
        assigned[item.article_id] = result.event_id
        assignments.append((item.article_id, result.event_id, result.score, result.created))
        if task.warm:
            details[item.article_id] = (item.title, vector, parts, item.published, result.score)
        elif result.created:
            now = moment(item.published)
            if now is None or start_moment is None or now - start_moment <= task.join_days:
                outside = item.duplicate_of if item.duplicate_of and item.duplicate_of not in assigned else None
                seeds[result.event_id] = Seed(vector, parts, item.published, n_before, outside)
    # events holding warm-up articles continue earlier blocks' events: their block articles join those
    groups: list[list[str]] = []
    group_of: dict[str, int] = {}
    for event_id, event in clusterer.events.items():
        held = [a for a in event.article_ids if a in warm_articles]
        if held:
            group_of[event_id] = len(groups)
            groups.append(held)
    joined: list[Joined] = []
    for k, (article_id, event_id, score, created) in enumerate(assignments):
        group = group_of.get(clusterer.resolve(event_id))
        if group is not None:
            title, vector, parts, span, score = details[article_id]
            joined.append(Joined(article_id, title, vector, parts, span, score, group))
            assignments[k] = (article_id, None, score, False)
    events = {e: ev for e, ev in clusterer.events.items() if e not in group_of}
    merged = [(drop, keep) for drop, keep in clusterer.merged
              if drop.id not in warm_ids and clusterer.resolve(keep) not in group_of]
    redirects = {old: new for old, new in clusterer.redirects.items()
                 if old not in warm_ids and clusterer.resolve(new) not in group_of}
    return BlockResult(task.index, task.start, assignments, events, merged, redirects, seeds, clusterer.newest,
                       time.process_time() - cpu, groups, joined)


def _day_moment(day: dt.date | None) -> float | None:
    if day is None:
        return None
    return (dt.datetime.combine(day, dt.time()) - dt.datetime(1970, 1, 1)).total_seconds() / 86400.0


def stitch_block(clusterer: EventClusterer, result: BlockResult, event_of=None) -> list[str]:
    """Add a block's events to ``clusterer`` (which holds the earlier blocks' events): the block's articles that
    joined events begun in its warm-up days join those events' originals (``result.joined``; their event ids land
    in ``result.assignments``), and each offered event is merged into the earlier event the clusterer's decision
    picks; returns the ids of the block's events so merged.

    ``event_of(article_id)``: the event an earlier article was assigned to (warm-up articles, near-duplicates).
    Merges land in ``clusterer.merged`` and ``clusterer.redirects`` like the clusterer's own."""
    mine = set(result.events) | set(result.redirects)
    stitched: list[str] = []
    clusterer.redirects.update(result.redirects)
    if result.newest is not None and (clusterer.newest is None or result.newest > clusterer.newest):
        clusterer.newest = result.newest
    for event_id, event in result.events.items():
        seed = result.seeds.get(event_id)
        target = _earlier_event(clusterer, seed, mine, event_of) if seed is not None else None
        clusterer.load(event)
        clusterer.dirty.add(event_id)
        if target is None or not _fits(target, event, clusterer.settings.max_event_days):
            continue
        kept = clusterer.merge(target, event, keep_first=True)
        if kept is target:
            if event_id in clusterer.events:  # kept apart by a user
                continue
            stitched.append(event_id)
    if result.joined:
        _join_originals(clusterer, result, event_of)
    return stitched


def _join_originals(clusterer: EventClusterer, result: BlockResult, event_of) -> None:
    """Each article in ``result.joined`` joins the earlier event that holds most of its group's warm-up articles
    (while within ``max_event_days`` of its first article; else, or without one, the clusterer decides)."""
    targets: list[str | None] = []
    for held in result.groups:
        votes: dict[str, int] = {}
        for article_id in held:
            found = event_of(article_id) if event_of is not None else None
            if found is not None:
                found = clusterer.resolve(found)
                if found in clusterer.events:
                    votes[found] = votes.get(found, 0) + 1
        targets.append(max(votes, key=lambda e: (votes[e], -list(votes).index(e))) if votes else None)
    where = {a: k for k, (a, *_rest) in enumerate(result.assignments)}
    limit = clusterer.settings.max_event_days
    for item in result.joined:
        target = targets[item.group]
        event = clusterer.events.get(clusterer.resolve(target)) if target is not None else None
        now = moment(item.span)
        if event is not None and (now is None or event.first_moment is None or now - event.first_moment <= limit):
            clusterer.n_assigned += 1
            done = clusterer.join(event, item.article_id, item.title, item.vector, item.span, item.parts,
                                  item.score, [])
        else:
            done = clusterer.assign(item.article_id, item.title, item.vector, item.span, parts=item.parts)
        result.assignments[where[item.article_id]] = (item.article_id, done.event_id, done.score, done.created)


def _earlier_event(clusterer: EventClusterer, seed: Seed, mine: set[str], event_of) -> EventState | None:
    if seed.duplicate_of and event_of is not None:
        found = event_of(seed.duplicate_of)
        if found is not None:
            event = clusterer.events.get(clusterer.resolve(found))
            now = moment(seed.span)
            if event is not None and (now is None or event.first_moment is None
                                      or now - event.first_moment <= clusterer.settings.max_event_days):
                return event
    # the candidates the sequential run would have seen: the earlier blocks' events and the block's own events
    # begun before this one (loaded already); the event is stitched only when an earlier block's event wins
    ranked = clusterer.ranked(seed.vector, seed.span, seed.parts)
    saved, clusterer.n_assigned = clusterer.n_assigned, seed.n_before
    try:
        best, _ = clusterer.decide(ranked)
    finally:
        clusterer.n_assigned = saved
    return best.event if best is not None and best.event.id not in mine else None


def _fits(a: EventState, b: EventState, max_days: float) -> bool:
    """Whether the merged event still spans at most ``max_days`` (as the clusterer requires of its merges)."""
    if a.first_moment is None or b.first_moment is None:
        return True
    return max(a.last_moment, b.last_moment) - min(a.first_moment, b.first_moment) <= max_days
