"""Storylines: events about one developing story over weeks.

An event joins a storyline when it shares the story's *specific* actors and vocabulary: terms that are common
across the whole store (a topic word like "Corona" in a COVID corpus) are down-weighted by document frequency,
and the comparison is against the storyline's centroid, not against any one member, so that a topic cannot
chain itself into one line.
"""
from __future__ import annotations

import datetime as dt
from collections import deque
from dataclasses import dataclass, field

from newsloom.cluster.events import POSTINGS_SWEEP_MIN, EventState, drop_dead_postings, looks_like_headline, stable_id
from newsloom.cluster.features import ENTITY_PREFIX, TermStats, cosine, norm
from newsloom.settings import CLUSTER

TOPIC_DF_SHARE = 0.04  # a term in more than this share of all articles describes a topic, not a story
# a place names where a story happens, not which story it is: regular coverage of one county or city is a beat
PLACE_WEIGHT = 0.35
PLACE_PREFIX = ENTITY_PREFIX + "LOC:"
# the storyline's profile follows its latest developments: older events' weight decays with each new event,
# so a line does not accumulate a whole beat's vocabulary and then match everything in it
STORY_DECAY = 0.8


@dataclass
class StorylineState:
    id: str
    title: str
    centroid: dict[str, float]
    event_ids: list[str] = field(default_factory=list)
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    _norm: float = 0.0

    def to_json(self) -> dict:
        return {"centroid": self.centroid, "event_ids": self.event_ids}


def specific_profile(event: EventState, stats: TermStats, size: int) -> dict[str, float]:
    limit = max(5, TOPIC_DF_SHARE * stats.n_docs)
    profile = {
        term: weight for term, weight in event.centroid.items()
        if stats.n_docs < 50 or stats.df.get(term, 0) <= limit or term.startswith(ENTITY_PREFIX)
    }
    for term in profile:
        if term.startswith(PLACE_PREFIX):
            profile[term] *= PLACE_WEIGHT
    top = dict(sorted(profile.items(), key=lambda item: -item[1])[:size])
    total = norm(top) or 1.0
    return {term: weight / total for term, weight in top.items()}


class StorylineLinker:
    def __init__(self, settings=CLUSTER):
        self.settings = settings
        self.storylines: dict[str, StorylineState] = {}
        self.event_profiles: dict[str, tuple[dict[str, float], EventState]] = {}
        self.postings: dict[str, deque] = {}  # plain dict (no default factory): the state pickles
        self.dirty: set[str] = set()
        self.postings_swept = 0  # terms in the index after its last sweep (evict_before)

    def _index(self, key: str, profile: dict[str, float]) -> None:
        for term, _ in sorted(profile.items(), key=lambda item: -item[1])[:20]:
            posting = self.postings.get(term)
            if posting is None:
                posting = self.postings[term] = deque(maxlen=self.settings.postings_per_term)
            if key not in posting:
                posting.append(key)

    def load(self, storyline: StorylineState) -> None:
        storyline._norm = norm(storyline.centroid)
        self.storylines[storyline.id] = storyline
        self._index(storyline.id, storyline.centroid)

    def remember_event(self, event: EventState, stats: TermStats) -> None:
        profile = specific_profile(event, stats, self.settings.profile_size)
        self.event_profiles[event.id] = (profile, event)
        self._index(event.id, profile)

    def link(self, event: EventState, stats: TermStats) -> str | None:
        """Give ``event`` a storyline if one fits (or found one with a fitting earlier event)."""
        if event.storyline_id is not None:
            return event.storyline_id
        profile = specific_profile(event, stats, self.settings.profile_size)
        best_key, best_score = None, 0.0
        seen: set[str] = set()
        for term, _ in sorted(profile.items(), key=lambda item: -item[1])[:20]:
            for key in self.postings.get(term, ()):
                if key in seen or key == event.id:
                    continue
                seen.add(key)
                value = self._similarity(profile, event, key)
                if value > best_score:
                    best_key, best_score = key, value
        self.event_profiles[event.id] = (profile, event)
        self._index(event.id, profile)
        if best_key is None or best_score < self.settings.storyline_threshold:
            return None
        if best_key in self.storylines:
            storyline = self.storylines[best_key]
        else:
            other = self.event_profiles[best_key][1]
            if other.storyline_id is not None and other.storyline_id in self.storylines:
                storyline = self.storylines[other.storyline_id]
            else:
                storyline = StorylineState(stable_id("st-", other.id), other.title, {})
                self.storylines[storyline.id] = storyline
                self._join(storyline, other, self.event_profiles[best_key][0])
        self._join(storyline, event, profile)
        return storyline.id

    def _similarity(self, profile: dict[str, float], event: EventState, key: str) -> float:
        if key in self.storylines:
            other = self.storylines[key]
            centroid, other_norm, start, end = other.centroid, other._norm, other.start, other.end
        elif key in self.event_profiles:
            centroid, other_event = self.event_profiles[key]
            if other_event.storyline_id is not None:
                return 0.0  # compared through its storyline instead
            other_norm, start, end = 1.0, other_event.start, other_event.end
        else:
            return 0.0
        if event.start is not None and start is not None and end is not None:
            gap = max((event.start - end).days, (start - event.end).days if event.end else 0, 0)
            if gap > self.settings.storyline_max_gap_days:
                return 0.0
        return cosine(profile, centroid, other_norm)

    def _join(self, storyline: StorylineState, event: EventState, profile: dict[str, float]) -> None:
        event.storyline_id = storyline.id
        if not looks_like_headline(storyline.title) and looks_like_headline(event.title):
            storyline.title = event.title  # a real headline names the storyline better than a lead sentence
        if event.id not in storyline.event_ids:
            storyline.event_ids.append(event.id)
        if storyline.event_ids[:-1]:
            storyline.centroid = {term: weight * STORY_DECAY for term, weight in storyline.centroid.items()}
        for term, weight in profile.items():
            storyline.centroid[term] = storyline.centroid.get(term, 0.0) + weight
        if len(storyline.centroid) > 2 * self.settings.profile_size:
            storyline.centroid = dict(
                sorted(storyline.centroid.items(), key=lambda item: -item[1])[: self.settings.profile_size]
            )
        storyline._norm = norm(storyline.centroid)
        if event.start is not None:
            storyline.start = event.start if storyline.start is None else min(storyline.start, event.start)
            storyline.end = event.end if storyline.end is None else max(storyline.end, event.end)
        self._index(storyline.id, storyline.centroid)
        self.dirty.add(storyline.id)

    def evict_before(self, cutoff: dt.datetime) -> None:
        """Forget events and storylines that ended before ``cutoff`` (they stay in the store)."""
        for key in [k for k, (_, ev) in self.event_profiles.items() if ev.end is not None and ev.end < cutoff]:
            del self.event_profiles[key]
        for key in [k for k, line in self.storylines.items()
                    if line.end is not None and line.end < cutoff and k not in self.dirty]:
            del self.storylines[key]
        if len(self.postings) > max(POSTINGS_SWEEP_MIN, 2 * self.postings_swept):
            # keys gone for good: events no longer remembered (new events have new ids), and storylines that no
            # remembered event could found again (a storyline's id derives from its first event's)
            founders = {stable_id("st-", event_id) for event_id in self.event_profiles}
            drop_dead_postings(self.postings, lambda key: key in self.storylines or key in self.event_profiles
                               or key in founders)
            self.postings_swept = len(self.postings)
