"""Online event clustering: each article, in arrival order, joins an existing event or opens a new one.

Candidates come from an inverted index over the strongest terms of *recent* events (bounded postings per
term), so the cost per article does not grow with the store. The decision weighs the lemma/entity vector,
the time between the article and the event (respecting date precision), and shared specific entities.
Event ids are stable: an event keeps the id derived from its first article; a merged event redirects.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections import defaultdict, deque
from dataclasses import dataclass, field

from newsloom.cluster.features import ENTITY_PREFIX, cosine, norm
from newsloom.records import Precision, TimeSpan
from newsloom.settings import CLUSTER


def stable_id(prefix: str, seed: str) -> str:
    return prefix + hashlib.sha1(seed.encode("utf-8")).hexdigest()[:10]


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
    _norm: float = 0.0

    def span(self) -> TimeSpan | None:
        if self.start is None or self.end is None:
            return None
        return TimeSpan(self.start, self.end, Precision(self.precision or "day"))

    def to_json(self) -> dict:
        return {
            "centroid": self.centroid,
            "title_score": self.title_score,
            "article_ids": self.article_ids[-50:],
        }


@dataclass
class Assignment:
    article_id: str
    event_id: str
    score: float
    created: bool


class EventClusterer:
    """In-memory state of recent events and the candidate index; the store persists what changed."""

    def __init__(self, settings=CLUSTER):
        self.settings = settings
        self.events: dict[str, EventState] = {}
        self.redirects: dict[str, str] = {}
        self.postings: dict[str, deque] = defaultdict(lambda: deque(maxlen=self.settings.postings_per_term))
        self.dirty: set[str] = set()
        self.newest: dt.datetime | None = None
        self.merged: list[tuple[EventState, str]] = []  # (absorbed event, surviving id) since the store last saw them
        self.kept_apart: set[tuple[str, str]] = set()  # event pairs a user split apart (cluster.corrections)

    # -- index -------------------------------------------------------------------------------------------
    def _index(self, event: EventState) -> None:
        strongest = sorted(event.centroid.items(), key=lambda item: -item[1])[: self.settings.query_terms]
        for term, _ in strongest:
            posting = self.postings[term]
            if event.id in posting:
                continue
            posting.append(event.id)

    def load(self, event: EventState) -> None:
        event._norm = norm(event.centroid)
        self.events[event.id] = event
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

    def assign(
        self, article_id: str, title: str, vector: dict[str, float], span: TimeSpan | None,
        *, forced_event: str | None = None,
    ) -> Assignment:
        best, best_score = None, 0.0
        scored: list[tuple[float, EventState]] = []
        if forced_event is not None and self.resolve(forced_event) in self.events:
            best, best_score = self.events[self.resolve(forced_event)], 1.0
        else:
            for event in self.candidates(vector, span):
                value = self.score(vector, span, event)
                scored.append((value, event))
                if value > best_score:
                    best, best_score = event, value
        if best is None or best_score < self.settings.join_threshold:
            event = EventState(
                id=stable_id("ev-", article_id), title=title, centroid={}, start=None, end=None, precision=None,
            )
            self.events[event.id] = event
            self._add(event, article_id, title, vector, span, similarity=1.0)
            return Assignment(article_id, event.id, 1.0, True)
        self._add(best, article_id, title, vector, span, similarity=cosine(vector, best.centroid, best._norm))
        survivor = self._merge_bridged(best, scored)
        return Assignment(article_id, survivor.id, best_score, False)

    # -- merges --------------------------------------------------------------------------------------------
    def _merge_bridged(self, joined: EventState, scored: list[tuple[float, EventState]]) -> EventState:
        """The article that joined ``joined`` also fits other events: merge those whose profiles agree."""
        threshold = self.settings.join_threshold
        for value, other in sorted(scored, key=lambda item: -item[0])[: self.settings.merge_candidates]:
            if value < threshold:
                break
            if other is joined or other.id not in self.events or joined.id not in self.events:
                continue
            if cosine(joined.centroid, other.centroid, joined._norm * other._norm) < self.settings.merge_threshold:
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
        if len(event.centroid) > self.settings.profile_size * 2:
            kept = sorted(event.centroid.items(), key=lambda item: -item[1])[: self.settings.profile_size]
            event.centroid = dict(kept)
        event._norm = norm(event.centroid)

    def _add(self, event, article_id, title, vector, span, similarity) -> None:
        centroid = event.centroid
        for term, weight in vector.items():
            centroid[term] = centroid.get(term, 0.0) + weight
        self._trim(event)
        event.n_articles += 1
        event.article_ids.append(article_id)
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
        return gone
