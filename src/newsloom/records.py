"""Typed records that flow between newsloom's stages.

Every stage reads and writes these dataclasses; nothing passes loose dicts around.
Character offsets are always into ``Article.text`` (start inclusive, end exclusive).
"""
from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from enum import Enum


class Precision(str, Enum):
    """How precise a point in time is known. Ordered from coarse to fine."""

    YEAR = "year"
    MONTH = "month"
    DAY = "day"
    MINUTE = "minute"

    @property
    def rank(self) -> int:
        return _PRECISION_RANK[self]


_PRECISION_RANK = {Precision.YEAR: 0, Precision.MONTH: 1, Precision.DAY: 2, Precision.MINUTE: 3}


@dataclass(frozen=True)
class TimeSpan:
    """An interval of time known to some precision: ``[start, end)``.

    A month-only date is the whole month, never silently its first day.
    Datetimes are naive and in the article's local time (offsets are dropped after normalising).
    """

    start: dt.datetime
    end: dt.datetime
    precision: Precision

    @classmethod
    def year(cls, year: int) -> "TimeSpan":
        return cls(dt.datetime(year, 1, 1), dt.datetime(year + 1, 1, 1), Precision.YEAR)

    @classmethod
    def month(cls, year: int, month: int) -> "TimeSpan":
        days = calendar.monthrange(year, month)[1]
        start = dt.datetime(year, month, 1)
        return cls(start, start + dt.timedelta(days=days), Precision.MONTH)

    @classmethod
    def day(cls, day: dt.date) -> "TimeSpan":
        start = dt.datetime(day.year, day.month, day.day)
        return cls(start, start + dt.timedelta(days=1), Precision.DAY)

    @classmethod
    def days(cls, first: dt.date, last: dt.date) -> "TimeSpan":
        """Several whole days, ``first`` to ``last`` inclusive, at day precision."""
        start = dt.datetime(first.year, first.month, first.day)
        stop = dt.datetime(last.year, last.month, last.day) + dt.timedelta(days=1)
        return cls(start, stop, Precision.DAY)

    @classmethod
    def minute(cls, moment: dt.datetime) -> "TimeSpan":
        start = moment.replace(second=0, microsecond=0, tzinfo=None)
        return cls(start, start + dt.timedelta(minutes=1), Precision.MINUTE)

    @property
    def midpoint(self) -> dt.datetime:
        return self.start + (self.end - self.start) / 2

    def iso(self) -> str:
        """The shortest ISO form that states exactly this precision (``2021-12``, ``2022-02-04T11:39``); a window over
        several units is an ISO interval at that precision (``2021-11/2021-12``, ``2021-12-01/2021-12-10``)."""
        last_day = self.end - dt.timedelta(days=1)
        if self.precision is Precision.YEAR:
            if last_day.year > self.start.year:  # a window over several years ("im Winter")
                return f"{self.start.year:04d}/{last_day.year:04d}"
            return f"{self.start.year:04d}"
        if self.precision is Precision.MONTH:
            if (last_day.year, last_day.month) > (self.start.year, self.start.month):
                # a window over several months ("am Mittwoch" in a month-only article): both ends, never the first
                return f"{self.start.year:04d}-{self.start.month:02d}/{last_day.year:04d}-{last_day.month:02d}"
            return f"{self.start.year:04d}-{self.start.month:02d}"
        if self.precision is Precision.DAY:
            if self.end - self.start > dt.timedelta(days=1):
                last = (self.end - dt.timedelta(days=1)).date()
                return f"{self.start.date().isoformat()}/{last.isoformat()}"
            return self.start.date().isoformat()
        return self.start.strftime("%Y-%m-%dT%H:%M")

    def overlaps(self, other: "TimeSpan") -> bool:
        return self.start < other.end and other.start < self.end

    def gap_days(self, other: "TimeSpan") -> float:
        """Days between the two intervals; 0 when they overlap."""
        if self.overlaps(other):
            return 0.0
        if self.end <= other.start:
            return (other.start - self.end).total_seconds() / 86400
        return (self.start - other.end).total_seconds() / 86400


@dataclass
class Article:
    """One news article as ingested. ``id`` is stable across re-ingests of the same input."""

    id: str
    title: str
    text: str
    published: TimeSpan | None
    outlet: str = "unknown"
    url: str | None = None
    lang: str = "de"
    source: str = ""  # where it came from: file path and line/record number
    outlet_evidence: str = ""  # how the outlet was known: "given", "credit", "dateline", ...


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int
    lemma: str


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    tokens: tuple[Token, ...]


class EntityType(str, Enum):
    PER = "PER"
    ORG = "ORG"
    LOC = "LOC"
    MISC = "MISC"


class MentionKind(str, Enum):
    NAME = "name"  # the entity named ("Wladimir Putin", "Putins", "Nato")
    DEMONYM = "demonym"  # an adjective or people noun pointing to a place ("russische" -> Russland)


@dataclass(frozen=True)
class Mention:
    """One place in the text where an entity is referred to."""

    start: int
    end: int
    text: str
    type: EntityType
    key: str  # canonical key, the same for every variant of one real thing within and across articles
    name: str  # the canonical display name ("Wladimir Putin", "NATO", "Russland")
    kind: MentionKind = MentionKind.NAME
    role: str | None = None  # a title or function given with it ("Präsident", "Außenministerin")


@dataclass(frozen=True)
class DateMention:
    """A date expression in the text resolved against the publication date."""

    start: int
    end: int
    text: str
    span: TimeSpan


@dataclass(frozen=True)
class Quote:
    """A statement attributed to a speaker: a direct quote or reported speech."""

    start: int
    end: int
    text: str
    kind: str  # "direct" or "reported"
    speaker: str | None  # canonical name of the speaker, when known
    speaker_key: str | None  # Mention.key of the speaker
    speaker_start: int | None = None
    speaker_end: int | None = None
    channel: str | None = None  # who relayed it ("Xinhua", "Uschakow"), separate from the speaker
    channel_key: str | None = None
    verb: str | None = None  # the speech verb or frame ("sagte", "laut", "so")


@dataclass
class Analysis:
    """Everything newsloom reads out of one article; a pure function of the article."""

    article_id: str
    sentences: list[Sentence] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    lemma_counts: dict[str, int] = field(default_factory=dict)  # content lemmas -> count, for similarity
    title_lemmas: tuple[str, ...] = ()
    numbers: tuple[str, ...] = ()
    fingerprint: bytes | None = None  # MinHash signature of the text (newsloom.ingest.dedup), for near-duplicates
    search_text: tuple[str, str] | None = None  # (title, text) as lower-cased lemmas, for the full-text index
    lead_counts: dict[str, int] | None = None  # content lemmas of the lead (first sentences); None = from sentences
