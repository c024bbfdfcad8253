"""What readers get back from the store and the facade: plain dataclasses with ``to_json()`` giving the stable
shapes documented in the README (never database rows), and the helpers that turn stored time spans into text."""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field

from newsloom.records import Precision, TimeSpan


# -- stored time spans ---------------------------------------------------------------------------------------
def parse_moment(value: str | None) -> dt.datetime | None:
    """A stored ISO moment (``YYYY-MM-DDTHH:MM``) as a datetime; None for none."""
    return dt.datetime.fromisoformat(value) if value else None


def iso_moment(value: dt.datetime | None) -> str | None:
    """A datetime as stored (ISO, to the minute)."""
    return value.isoformat(timespec="minutes") if value is not None else None


def span_from_row(start: str | None, end: str | None, precision: str | None) -> TimeSpan | None:
    """The TimeSpan of stored (start, end, precision) columns; None when any is missing."""
    if not start or not end or not precision:
        return None
    return TimeSpan(parse_moment(start), parse_moment(end), Precision(precision))


def published_iso(start: str | None, end: str | None, precision: str | None) -> str | None:
    """A stored span as the text users see ("2024-03-05", "2024-03", "2024-03-05/2024-03-07")."""
    span = span_from_row(start, end, precision)
    return span.iso() if span else None


def span_iso(start: str | None, end: str | None, precision: str | None) -> tuple[str | None, str | None]:
    """The first and last moment of a stored span, each at the span's precision."""
    span = span_from_row(start, end, precision)
    if span is None:
        return None, None
    first = TimeSpan(span.start, span.start, span.precision).iso().split("/")[0]
    step = dt.timedelta(minutes=1) if span.precision.value == "minute" else dt.timedelta(days=1)
    last_moment = span.end - step
    last = TimeSpan(last_moment, last_moment, span.precision).iso().split("/")[0]
    return first, last


# -- views -----------------------------------------------------------------------------------------------------
@dataclass
class ArticleRef:
    id: str
    outlet: str
    published: str | None
    title: str
    duplicate_of: str | None = None

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class EntityRef:
    id: str
    name: str
    type: str
    mentions: int

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class EventView:
    id: str
    title: str
    start: str | None
    end: str | None
    storyline_id: str | None
    articles: list[ArticleRef]
    entities: list[EntityRef]
    outlets: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "id": self.id, "title": self.title, "start": self.start, "end": self.end,
            "storyline_id": self.storyline_id, "outlets": self.outlets,
            "articles": [a.to_json() for a in self.articles], "entities": [e.to_json() for e in self.entities],
        }


@dataclass
class StorylineView:
    id: str
    title: str
    start: str | None
    end: str | None
    events: list[str]
    timeline: list[EventView] = field(default_factory=list)
    entities: list[EntityRef] = field(default_factory=list)
    outlets: list[str] = field(default_factory=list)

    def to_json(self, *, full: bool = False) -> dict:
        data = {"id": self.id, "title": self.title, "start": self.start, "end": self.end, "events": self.events,
                "outlets": self.outlets, "entities": [e.to_json() for e in self.entities]}
        if full:
            data["timeline"] = [e.to_json() for e in self.timeline]
        return data


@dataclass
class StorylineSummary:
    """One storyline in a list: how many live events it has, its days, and how many match the filters."""
    id: str
    title: str
    events: int
    start: str | None
    end: str | None
    matching_events: int

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class EntityView:
    id: str
    name: str
    type: str
    variants: list[str]
    mentions: int
    articles: int = 0
    events: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class ArticleView:
    id: str
    title: str
    outlet: str
    outlet_evidence: str
    published: str | None
    precision: str | None
    url: str | None
    lang: str
    event_id: str | None
    duplicate_of: str | None
    duplicate_kind: str | None
    text: str | None = None

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class EventArticle:
    """An article of an event as the event page lists it (grouped by outlet)."""
    id: str
    outlet: str
    title: str
    published: str | None
    duplicate_of: str | None
    duplicate_kind: str | None
    url: str | None


@dataclass
class DateCount:
    """A date that an event's articles mention: its span, how often, some of the texts that said it."""
    span: str | None
    mentions: int
    examples: list[str]

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class MentionView:
    start: int
    end: int
    text: str
    kind: str
    role: str | None
    entity_id: str
    name: str
    type: str

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class DateMentionView:
    start: int
    end: int
    text: str
    span_start: str
    span_end: str
    precision: str

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class QuoteView:
    article_id: str
    outlet: str
    published: str | None
    event_id: str | None
    start: int
    end: int
    text: str
    kind: str
    speaker: str | None
    speaker_key: str | None
    channel: str | None
    verb: str | None

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class EventSummary:
    """An event as an entity page lists it."""
    id: str
    title: str
    start: str | None
    articles: int

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class MonthCount:
    month: str
    events: int
    articles: int

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class OutletCount:
    outlet: str
    articles: int

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class StoreCounts:
    articles: int
    events: int

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class ExportRow:
    """One article with its event, storyline and entities (the flat export table)."""
    id: str
    title: str
    outlet: str
    published: str | None
    precision: str | None
    url: str | None
    lang: str
    duplicate_of: str | None
    event_id: str | None
    event_title: str | None
    storyline_id: str | None
    entities: str
    text: str

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class SearchHit:
    id: str
    title: str
    outlet: str
    published: str | None
    event_id: str | None
    duplicate_of: str | None
    score: float
    title_html: str = ""
    snippet_html: str = ""
    text: str = field(default="", repr=False, compare=False)  # for the snippet; left out of to_json

    def to_json(self) -> dict:
        data = asdict(self)
        data.pop("text", None)
        return data


@dataclass
class SearchPage:
    """One page of ranked search matches from the store, before highlighting."""
    total: int
    hits: list[SearchHit]


@dataclass
class SearchResult:
    query: str
    fts: str | None
    hits: list[SearchHit] = field(default_factory=list)
    total: int = 0
    message: str | None = None

    def to_json(self) -> dict:
        return {"query": self.query, "total": self.total, "message": self.message,
                "hits": [h.to_json() for h in self.hits]}
