"""Online event clustering: each article, in arrival order, joins an existing event or opens a new one.

Candidates come from an inverted index over the strongest terms of *recent* events (bounded postings per
term), so the cost per article does not grow with the store. A first, cheap score (the cosine of the whole
lemma/entity vector with the event centroid, plus shared entities, damped by the time gap) keeps the best
``rank_candidates`` of them. When a learned event model is loaded (``newsloom.cluster.model``, Miranda et al.
2018), each kept candidate is described by one similarity per sub-vector (title, lead, entities, dates and
numbers) and per time feature (gap to the event's newest, oldest and mean article), a ranking model puts the
likeliest event first, and a second model decides whether the article joins it or opens a new event. Events
never grow beyond ``max_event_days`` from their first article: a happening lasts a day or a few days, a
long-running subject is a storyline.
Event ids are stable: an event keeps the id derived from its first article; a merged event redirects.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections import deque
from dataclasses import dataclass, field

from newsloom.cluster.features import ENTITY_PREFIX, cosine, norm
from newsloom.cluster.model import EventModel, default_model
from newsloom.records import Precision, TimeSpan
from newsloom.settings import CLUSTER


POSTINGS_SWEEP_MIN = 2_000  # terms in a candidate index before its first sweep (drop_dead_postings)


def stable_id(prefix: str, seed: str) -> str:
    return prefix + hashlib.sha1(seed.encode("utf-8")).hexdigest()[:10]


def drop_dead_postings(postings: dict[str, deque], alive) -> int:
    """Remove the terms of a candidate index whose entries are all for keys that ``alive`` says are gone for good
    (evicted, never to return); returns how many. Lookups skip such keys anyway, and a term indexed again starts
    a fresh posting holding exactly the live entries the old one would hold (the gone keys, oldest, would be
    pushed out first), so results are unchanged; the index stays as large as the recent terms, not as every term
    ever seen (a process that clusters for months: ``newsloom watch``)."""
    dead = [term for term, posting in postings.items() if not any(alive(key) for key in posting)]
    for term in dead:
        del postings[term]
    return len(dead)


def moment(span: TimeSpan | None) -> float | None:
    """A point in time (days since 1970) for an article of day precision or finer; None when coarser."""
    if span is None or span.precision.rank < Precision.DAY.rank:
        return None
    return (span.midpoint - _EPOCH).total_seconds() / 86400.0


_EPOCH = dt.datetime(1970, 1, 1)


def looks_like_headline(title: str | None) -> bool:
    """Whether a title reads as a headline, not a lead sentence taken from the text (which ends in a full stop
    or was cut with "…")."""
    title = (title or "").strip()
    return bool(title) and len(title) <= 110 and not title.endswith((".", "…", "...", ",", ";"))


@dataclass
class EventState:
    id: str
    title: str
    centroid: dict[str, float]
    start: dt.datetime | None
    end: dt.datetime | None
    precision: str | None
    n_articles: int = 0
    storyline_id: str | None = None
    article_ids: list[str] = field(default_factory=list)
    title_score: float = -1.0
    # sums of the articles' sub-vectors (``features.PARTS``): title, lead, entities, dates and numbers
    parts: dict[str, dict[str, float]] = field(default_factory=dict)
    # the articles' moments (days since 1970): oldest, newest, sum and count (for the mean)
    first_moment: float | None = None
    last_moment: float | None = None
    moment_sum: float = 0.0
    moment_count: int = 0
    _norm: float = 0.0
    _part_norms: dict[str, float] = field(default_factory=dict)

    def span(self) -> TimeSpan | None:
        if self.start is None or self.end is None:
            return None
        return TimeSpan(self.start, self.end, Precision(self.precision or "day"))

    def to_json(self) -> dict:
        return {
            "centroid": self.centroid,
            "title_score": self.title_score,
            "article_ids": self.article_ids[-50:],
            "parts": self.parts,
            "moments": [self.first_moment, self.last_moment, self.moment_sum, self.moment_count],
        }

    def restore(self, state: dict) -> None:
        """Take the sub-vectors and moments back from ``to_json``'s output (absent in older stores)."""
        self.parts = {name: dict(vector) for name, vector in (state.get("parts") or {}).items()}
        moments = state.get("moments")
        if moments:
            self.first_moment, self.last_moment, self.moment_sum, self.moment_count = moments
        self._part_norms = {name: norm(vector) for name, vector in self.parts.items()}

    def add_moment(self, value: float | None) -> None:
        if value is None:
            return
        self.first_moment = value if self.first_moment is None else min(self.first_moment, value)
        self.last_moment = value if self.last_moment is None else max(self.last_moment, value)
        self.moment_sum += value
        self.moment_count += 1


@dataclass
class Assignment:
    article_id: str
    event_id: str
    score: float
    created: bool


@dataclass
class Candidate:
    """One candidate event for an article: the first-stage score and, with a model, its features and rank."""

    event: EventState
    score: float
    features: list[float] | None = None
    rank_score: float = 0.0


class EventClusterer:
    """In-memory state of recent events and the candidate index; the store persists what changed.

    Plain attributes only (dicts, deques, dataclasses, the model's numbers), so the state pickles.
    """

    def __init__(self, settings=CLUSTER, model: EventModel | None | str = "default"):
        self.settings = settings
        self.model: EventModel | None = default_model() if model == "default" else model
        self.events: dict[str, EventState] = {}
        self.redirects: dict[str, str] = {}
        self.postings: dict[str, deque] = {}
        self.dirty: set[str] = set()
        self.newest: dt.datetime | None = None
        self.merged: list[tuple[EventState, str]] = []  # (absorbed event, surviving id) since the store last saw them
        self.n_assigned = 0  # articles assigned so far (restored stores count from their events' sizes)
        self.kept_apart: set[tuple[str, str]] = set()  # event pairs a user split apart (cluster.corrections)
        self.postings_swept = 0  # terms in the index after its last sweep (evict_before)

    # -- index -------------------------------------------------------------------------------------------
    def _index(self, event: EventState) -> None:
        strongest = sorted(event.centroid.items(), key=lambda item: -item[1])[: self.settings.query_terms]
        for term, _ in strongest:
            posting = self.postings.get(term)
            if posting is None:
                posting = self.postings[term] = deque(maxlen=self.settings.postings_per_term)
            if event.id in posting:
                continue
            posting.append(event.id)

    def load(self, event: EventState) -> None:
        event._norm = norm(event.centroid)
        event._part_norms = {name: norm(vector) for name, vector in event.parts.items()}
        self.events[event.id] = event
        self.n_assigned += event.n_articles
        self._index(event)

    def resolve(self, event_id: str) -> str:
        while event_id in self.redirects:
            event_id = self.redirects[event_id]
        return event_id

    # -- decisions ---------------------------------------------------------------------------------------
    def candidates(self, vector: dict[str, float], span: TimeSpan | None) -> list[EventState]:
        strongest = sorted(vector.items(), key=lambda item: -item[1])[: self.settings.query_terms]
        seen: set[str] = set()
        result = []
        now = moment(span)
        for term, _ in strongest:
            for event_id in self.postings.get(term, ()):
                event_id = self.resolve(event_id)
                if event_id in seen:
                    continue
                seen.add(event_id)
                event = self.events.get(event_id)
                if event is None:
                    continue
                if span is not None and event.span() is not None:
                    if span.gap_days(event.span()) > self.settings.max_gap_days:
                        continue
                if now is not None and event.first_moment is not None \
                        and now - event.first_moment > self.settings.max_event_days:
                    continue  # a happening of a few days, not a subject that grows for weeks
                result.append(event)
        return result

    def score(self, vector: dict[str, float], span: TimeSpan | None, event: EventState) -> float:
        similarity = cosine(vector, event.centroid, event._norm)
        shared_entities = sum(
            min(w, event.centroid.get(t, 0.0) / (event._norm or 1.0))
            for t, w in vector.items() if t.startswith(ENTITY_PREFIX)
        )
        value = similarity + 0.25 * min(shared_entities, 0.4)
        event_span = event.span()
        if span is not None and event_span is not None:
            gap = span.gap_days(event_span)
            value *= math.exp(-gap / 2.0)
        return value

    def ranked(
        self, vector: dict[str, float], span: TimeSpan | None, parts: dict[str, dict[str, float]] | None,
    ) -> list[Candidate]:
        """Candidate events, best first: by the first-stage score, then (with a model) by the ranking model."""
        found = [Candidate(event, self.score(vector, span, event)) for event in self.candidates(vector, span)]
        found.sort(key=lambda c: -c.score)
        if self.model is None:
            return found
        found = found[: self.settings.rank_candidates]
        for candidate in found:
            candidate.features = pair_features(vector, parts or {}, span, candidate.event, candidate.score)
            candidate.rank_score = self.model.rank_score(candidate.features)
        found.sort(key=lambda c: -c.rank_score)
        return found

    def decide(self, ranked: list[Candidate]) -> tuple[Candidate | None, float]:
        """The candidate to join (None: open a new event) and the decision's score."""
        if not ranked:
            return None, 0.0
        best = ranked[0]
        if self.model is None:
            return (best, best.score) if best.score >= self.settings.join_threshold else (None, best.score)
        probability = self.model.join_probability(ranked)
        if probability >= self.model.join_threshold:
            return best, probability
        # in a small store (few documents to weigh terms by; the model learnt on streams of thousands) a close
        # lexical match that the model doubts still joins
        confident = max(ranked, key=lambda c: c.score)
        if self.n_assigned < self.settings.small_store_articles and confident.score >= self.settings.confident_join:
            return confident, confident.score
        return None, probability

    def assign(
        self, article_id: str, title: str, vector: dict[str, float], span: TimeSpan | None,
        *, forced_event: str | None = None, parts: dict[str, dict[str, float]] | None = None,
    ) -> Assignment:
        self.n_assigned += 1
        ranked: list[Candidate] = []
        if forced_event is not None and self.resolve(forced_event) in self.events and self._within_days(
                self.events[self.resolve(forced_event)], span):
            best, best_score = Candidate(self.events[self.resolve(forced_event)], 1.0), 1.0
        else:
            ranked = self.ranked(vector, span, parts)
            best, best_score = self.decide(ranked)
        if best is None:
            return self.open_event(article_id, title, vector, span, parts)
        return self.join(best.event, article_id, title, vector, span, parts, best_score, ranked)

    def _within_days(self, event: EventState, span: TimeSpan | None) -> bool:
        """Whether an article at ``span`` is within ``max_event_days`` of the event's first article (a copy of
        a template republished for weeks, such as a daily figures report, is a new event each time)."""
        now = moment(span)
        return now is None or event.first_moment is None or now - event.first_moment <= self.settings.max_event_days

    def open_event(self, article_id, title, vector, span, parts) -> Assignment:
        event = EventState(
            id=stable_id("ev-", article_id), title=title, centroid={}, start=None, end=None, precision=None,
        )
        self.events[event.id] = event
        self._add(event, article_id, title, vector, span, parts, similarity=1.0)
        return Assignment(article_id, event.id, 1.0, True)

    def join(self, event, article_id, title, vector, span, parts, score, ranked) -> Assignment:
        similarity = cosine(vector, event.centroid, event._norm)
        self._add(event, article_id, title, vector, span, parts, similarity=similarity)
        survivor = self._merge_bridged(event, ranked)
        return Assignment(article_id, survivor.id, score, False)

    # -- merges --------------------------------------------------------------------------------------------
    def _merge_bridged(self, joined: EventState, ranked: list[Candidate]) -> EventState:
        """The article that joined ``joined`` also fits other events: merge those whose profiles agree."""
        threshold = self.settings.join_threshold
        for candidate in sorted(ranked, key=lambda c: -c.score)[: self.settings.merge_candidates]:
            if candidate.score < threshold:
                break
            other = candidate.event
            if other is joined or other.id not in self.events or joined.id not in self.events:
                continue
            if cosine(joined.centroid, other.centroid, joined._norm * other._norm) < self.settings.merge_threshold:
                continue
            if joined.first_moment is not None and other.first_moment is not None and max(
                    joined.last_moment, other.last_moment) - min(joined.first_moment, other.first_moment) \
                    > self.settings.max_event_days:
                continue
            joined = self.merge(joined, other)
        return joined

    def apart(self, a_id: str, b_id: str) -> bool:
        """Whether a user split these events apart (``kept_apart``, following merges): they are never merged."""
        pair = {a_id, b_id}
        return any({self.resolve(x), self.resolve(y)} == pair for x, y in self.kept_apart)

    def merge(self, a: EventState, b: EventState, *, keep_first: bool = False) -> EventState:
        """Fold the younger event into the older one (it keeps its id; the other redirects to it), or ``b`` into
        ``a`` with ``keep_first``; events kept apart are not merged (``a`` is returned)."""
        if self.kept_apart and self.apart(a.id, b.id):
            return a
        order = {event_id: i for i, event_id in enumerate(self.events)}  # creation order (merges are rare)

        def age(event: EventState):
            return (event.start or dt.datetime.max, order.get(event.id, 0))

        keep, drop = (a, b) if keep_first or age(a) <= age(b) else (b, a)
        for term, weight in drop.centroid.items():
            keep.centroid[term] = keep.centroid.get(term, 0.0) + weight
        for name, vector in drop.parts.items():
            _add_into(keep.parts.setdefault(name, {}), vector)
        if drop.first_moment is not None:
            keep.add_moment(drop.first_moment)
            keep.add_moment(drop.last_moment)
            keep.moment_sum += drop.moment_sum - drop.first_moment - drop.last_moment
            keep.moment_count += drop.moment_count - 2
        self._trim(keep)
        keep.n_articles += drop.n_articles
        keep.article_ids.extend(drop.article_ids)
        for start, end, precision in ((drop.start, drop.end, drop.precision),):
            if start is None:
                continue
            if keep.start is None:
                keep.start, keep.end, keep.precision = start, end, precision
            else:
                rank, other_rank = Precision(keep.precision).rank, Precision(precision).rank
                if other_rank > rank:
                    keep.start, keep.end, keep.precision = start, end, precision
                elif other_rank == rank:
                    keep.start, keep.end = min(keep.start, start), max(keep.end, end)
        if keep.storyline_id is None:
            keep.storyline_id = drop.storyline_id
        self.redirects[drop.id] = keep.id
        del self.events[drop.id]
        self.dirty.discard(drop.id)
        self.dirty.add(keep.id)
        self.merged.append((drop, keep.id))
        self._index(keep)
        return keep

    def _trim(self, event: EventState) -> None:
        size = self.settings.profile_size
        if len(event.centroid) > size * 2:
            event.centroid = dict(sorted(event.centroid.items(), key=lambda item: -item[1])[:size])
        event._norm = norm(event.centroid)
        for name, vector in event.parts.items():
            if len(vector) > size:
                event.parts[name] = vector = dict(sorted(vector.items(), key=lambda item: -item[1])[: size // 2])
            event._part_norms[name] = norm(vector)

    def _add(self, event, article_id, title, vector, span, parts, similarity) -> None:
        _add_into(event.centroid, vector)
        for name, part in (parts or {}).items():
            _add_into(event.parts.setdefault(name, {}), part)
        self._trim(event)
        event.n_articles += 1
        event.article_ids.append(article_id)
        event.add_moment(moment(span))
        if span is not None:
            if event.start is None:
                event.start, event.end, event.precision = span.start, span.end, span.precision.value
            else:
                # the event's time is what its most precise articles say
                rank = Precision(event.precision).rank
                if span.precision.rank > rank:
                    event.start, event.end, event.precision = span.start, span.end, span.precision.value
                elif span.precision.rank == rank:
                    event.start, event.end = min(event.start, span.start), max(event.end, span.end)
            if self.newest is None or span.start > self.newest:
                self.newest = span.start
        # the title: an article's real headline before a lead sentence, then the article most like the event
        score = similarity + (1.0 if looks_like_headline(title) else 0.0)
        if score > event.title_score and event.n_articles <= 5:
            event.title, event.title_score = title, score
        self._index(event)
        self.dirty.add(event.id)

    def evict_before(self, cutoff: dt.datetime) -> list[str]:
        """Forget events that ended before ``cutoff`` (they stay in the store); returns their ids."""
        gone = [eid for eid, ev in self.events.items() if ev.end is not None and ev.end < cutoff and eid not in self.dirty]
        for eid in gone:
            event = self.events.pop(eid)
            event.centroid, event._norm = {}, 0.0  # the storyline linker keeps its own, smaller profile
            event.parts, event._part_norms = {}, {}
        # an evicted event never returns (new events have new ids; merges and forced joins need a live event), so
        # the index's terms whose events are all evicted go, swept when the index has doubled since the last time
        if len(self.postings) > max(POSTINGS_SWEEP_MIN, 2 * self.postings_swept):
            drop_dead_postings(self.postings, lambda event_id: self.resolve(event_id) in self.events)
            self.postings_swept = len(self.postings)
        return gone


def _add_into(total: dict[str, float], vector: dict[str, float]) -> None:
    for term, weight in vector.items():
        total[term] = total.get(term, 0.0) + weight


# (article part, event part); "all" is the whole vector / the event centroid
PAIR_PARTS = (("title", "title"), ("lead", "lead"), ("ent", "ent"), ("anchor", "anchor"), ("title", "all"),
              ("lead", "title"))
FEATURES = (
    "first_stage", "cos_all",
    *(f"cos_{a}_{b}" for a, b in PAIR_PARTS),
    "log_gap_newest", "log_gap_oldest", "log_gap_mean", "log_size",
)


def pair_features(
    vector: dict[str, float], parts: dict[str, dict[str, float]], span: TimeSpan | None, event: EventState,
    first_stage: float,
) -> list[float]:
    """The article against one event, in ``FEATURES`` order."""
    values = [first_stage, cosine(vector, event.centroid, event._norm)]
    for article_part, event_part in PAIR_PARTS:
        a = vector if article_part == "all" else parts.get(article_part)
        if event_part == "all":
            b, b_norm = event.centroid, event._norm
        else:
            b, b_norm = event.parts.get(event_part), event._part_norms.get(event_part, 0.0)
        values.append(cosine(a, b, b_norm) if a and b else 0.0)
    now = moment(span)
    if now is None or event.first_moment is None:
        values.extend((0.0, 0.0, 0.0))
    else:
        mean = event.moment_sum / max(event.moment_count, 1)
        for other in (event.last_moment, event.first_moment, mean):
            values.append(math.log1p(abs(now - other)))
    values.append(math.log1p(event.n_articles))
    return values
