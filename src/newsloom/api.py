"""The Python API: everything the CLI (and later the web layer) does, over one store.

>>> from newsloom.api import Newsloom
>>> loom = Newsloom("news.db")
>>> report = loom.ingest(["articles/"])
>>> [e.title for e in loom.events(outlet="Reuters")]

Every view is a dataclass with ``to_json()`` giving the stable shapes documented in the README.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

from newsloom.errors import NotFound, UsageError
from newsloom.nlp.dates import parse_published
from newsloom.pipeline import IngestReport, ingest
from newsloom.records import TimeSpan
from newsloom.store.sqlite import Store, span_from_row


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


def _span_iso(start, end, precision) -> tuple[str | None, str | None]:
    span = span_from_row(start, end, precision)
    if span is None:
        return None, None
    first = TimeSpan(span.start, span.start, span.precision).iso().split("/")[0]
    last_moment = span.end - dt.timedelta(minutes=1) if span.precision.value == "minute" else span.end - dt.timedelta(days=1)
    last = TimeSpan(last_moment, last_moment, span.precision).iso().split("/")[0]
    return first, last


def _published_iso(start, end, precision) -> str | None:
    span = span_from_row(start, end, precision)
    return span.iso() if span else None


def _date_bound(value: str | None, *, upper: bool) -> str | None:
    if not value:
        return None
    span = parse_published(value)
    if span is None:
        raise UsageError(f"cannot read date {value!r} (use YYYY, YYYY-MM or YYYY-MM-DD)")
    return (span.end if upper else span.start).isoformat(timespec="minutes")


def period_clauses(since: str | None, until: str | None, start: str, end: str) -> tuple[list[str], list[str]]:
    """SQL conditions (and their parameters) for rows whose ``[start, end)`` interval meets ``since..until``."""
    clauses, params = [], []
    if since:
        clauses.append(f"{end} > ?")
        params.append(_date_bound(since, upper=False))
    if until:
        clauses.append(f"{start} < ?")
        params.append(_date_bound(until, upper=True))
    return clauses, params


class Newsloom:
    """One store, all operations."""

    def __init__(self, db_path: str):
        self.store = Store(db_path)
        self.db = self.store.db

    def close(self) -> None:
        self.store.close()

    # -- ingest --------------------------------------------------------------------------------------------
    def ingest(self, paths: Iterable[str], **options) -> IngestReport:
        return ingest(paths, self.store, **options)

    # -- helpers -------------------------------------------------------------------------------------------
    def _resolve_event(self, event_id: str) -> str:
        for _ in range(20):
            row = self.db.execute("SELECT redirect_to FROM events WHERE id=?", (event_id,)).fetchone()
            if row is None:
                raise NotFound(f"no event {event_id!r}")
            if row[0] is None:
                return event_id
            event_id = row[0]
        return event_id

    def _entity_filter_ids(self, entity: str | None) -> list[str] | None:
        """Entity ids meant by a filter value: an id ("PER:wladimir putin") or a name or variant ("Putin")."""
        if not entity:
            return None
        needle = " ".join(entity.split()).casefold()
        keys = [entity] + [f"{kind}:{needle}" for kind in ("PER", "ORG", "LOC", "MISC")]
        marks = ",".join("?" * len(keys))
        found = {r[0] for r in self.db.execute(f"SELECT entity_id FROM entity_aliases WHERE alias IN ({marks})", keys)}
        found |= {r[0] for r in self.db.execute(f"SELECT id FROM entities WHERE id IN ({marks})", keys)}
        resolved = set()
        for entity_id in found:
            for _ in range(10):
                row = self.db.execute("SELECT redirect_to FROM entities WHERE id=?", (entity_id,)).fetchone()
                if row is None or row[0] is None:
                    break
                entity_id = row[0]
            resolved.add(entity_id)
        return sorted(resolved)

    def _event_entities(self, event_id: str, limit: int = 12) -> list[EntityRef]:
        rows = self.db.execute(
            "SELECT e.id, e.name, e.type, count(*) AS n FROM event_articles ea INDEXED BY event_articles_event_article "
            "JOIN mentions m ON m.article_id=ea.article_id "
            "JOIN entities e ON e.id=m.entity_id WHERE ea.event_id=? GROUP BY e.id ORDER BY n DESC, e.name LIMIT ?",
            (event_id, limit),
        )
        return [EntityRef(r[0], r[1], r[2], r[3]) for r in rows]

    def _event_articles(self, event_id: str) -> list[ArticleRef]:
        rows = self.db.execute(
            "SELECT a.id, a.outlet, a.published_start, a.published_end, a.precision, a.title, a.duplicate_of "
            "FROM event_articles ea JOIN articles a ON a.id=ea.article_id WHERE ea.event_id=? ORDER BY a.published_start, a.seq",
            (event_id,),
        )
        return [ArticleRef(r[0], r[1], _published_iso(r[2], r[3], r[4]), r[5], r[6]) for r in rows]

    def _event_view(self, row, *, with_entities: bool = True) -> EventView:
        articles = self._event_articles(row["id"])
        start, end = _span_iso(row["start"], row["end"], row["precision"])
        return EventView(
            id=row["id"], title=row["title"], start=start, end=end, storyline_id=row["storyline_id"],
            articles=articles, entities=self._event_entities(row["id"]) if with_entities else [],
            outlets=sorted({a.outlet for a in articles}),
        )

    # -- events --------------------------------------------------------------------------------------------
    def events(
        self, *, since: str | None = None, until: str | None = None, outlet: str | None = None,
        entity: str | None = None, storyline: str | None = None, min_articles: int = 1, limit: int | None = None,
        offset: int = 0,
    ) -> list[EventView]:
        where, params = ["ev.redirect_to IS NULL", "ev.n_articles >= ?"], [min_articles]
        period, period_params = period_clauses(since, until, "ev.start", "ev.end")
        where.extend(period)
        params.extend(period_params)
        if storyline:
            where.append("ev.storyline_id = ?")
            params.append(storyline)
        if outlet:
            where.append("EXISTS (SELECT 1 FROM event_articles ea JOIN articles a ON a.id=ea.article_id "
                         "WHERE ea.event_id=ev.id AND lower(a.outlet)=lower(?))")
            params.append(outlet)
        entity_ids = self._entity_filter_ids(entity)
        if entity_ids is not None:
            if not entity_ids:
                return []
            marks = ",".join("?" * len(entity_ids))
            where.append(f"EXISTS (SELECT 1 FROM event_articles ea JOIN mentions m ON m.article_id=ea.article_id "
                         f"WHERE ea.event_id=ev.id AND m.entity_id IN ({marks}))")
            params.extend(entity_ids)
        sql = f"SELECT * FROM events ev WHERE {' AND '.join(where)} ORDER BY ev.start DESC, ev.id"
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params.extend([limit, offset])
        return [self._event_view(row) for row in self.db.execute(sql, params).fetchall()]

    def event(self, event_id: str) -> EventView:
        event_id = self._resolve_event(event_id)
        row = self.db.execute("SELECT * FROM events WHERE id=?", (event_id,)).fetchone()
        return self._event_view(row)

    def event_of_article(self, article_id: str) -> str:
        row = self.db.execute("SELECT event_id FROM event_articles WHERE article_id=?", (article_id,)).fetchone()
        if row is None:
            raise NotFound(f"no article {article_id!r}")
        return self._resolve_event(row[0])

    # -- storylines ----------------------------------------------------------------------------------------
    def storylines(
        self, *, since: str | None = None, until: str | None = None, entity: str | None = None,
        outlet: str | None = None, limit: int | None = None, offset: int = 0,
    ) -> list[StorylineView]:
        where, params = period_clauses(since, until, "s.start", "s.end")
        where.append("(SELECT count(*) FROM events e WHERE e.storyline_id=s.id AND e.redirect_to IS NULL) >= 2")
        sql = f"SELECT * FROM storylines s WHERE {' AND '.join(where)} ORDER BY s.start DESC, s.id"
        filtered = bool(entity or outlet)
        if limit is not None and not filtered:
            sql += " LIMIT ? OFFSET ?"
            params.extend([limit, offset])
        result = []
        for row in self.db.execute(sql, params):
            if filtered and not self.events(storyline=row["id"], entity=entity, outlet=outlet, limit=1):
                continue
            result.append(self._storyline_view(row, timeline=False))
        if limit is not None and filtered:
            result = result[offset : offset + limit]
        return result

    def _storyline_view(self, row, *, timeline: bool) -> StorylineView:
        events = self.db.execute(
            "SELECT * FROM events WHERE storyline_id=? AND redirect_to IS NULL ORDER BY start, id", (row["id"],)
        ).fetchall()
        views = [self._event_view(e, with_entities=timeline) for e in events] if timeline else []
        bounds = [_span_iso(e["start"], e["end"], e["precision"]) for e in events if e["start"]]
        s_start = min((b[0] for b in bounds), default=None)
        s_end = max((b[1] for b in bounds), default=None)
        entities = [
            EntityRef(r[0], r[1], r[2], r[3]) for r in self.db.execute(
                "SELECT e.id, e.name, e.type, count(*) n FROM events ev JOIN event_articles ea INDEXED BY "
                "event_articles_event_article ON ea.event_id=ev.id "
                "JOIN mentions m ON m.article_id=ea.article_id JOIN entities e ON e.id=m.entity_id "
                "WHERE ev.storyline_id=? GROUP BY e.id ORDER BY n DESC LIMIT 8", (row["id"],))
        ]
        outlets = sorted({r[0] for r in self.db.execute(
            "SELECT DISTINCT a.outlet FROM events ev JOIN event_articles ea ON ea.event_id=ev.id "
            "JOIN articles a ON a.id=ea.article_id WHERE ev.storyline_id=? AND ev.redirect_to IS NULL", (row["id"],))})
        return StorylineView(row["id"], row["title"], s_start, s_end, [e["id"] for e in events], views, entities,
                             outlets)

    def storyline(self, storyline_id: str) -> StorylineView:
        row = self.db.execute("SELECT * FROM storylines WHERE id=?", (storyline_id,)).fetchone()
        if row is None:
            raise NotFound(f"no storyline {storyline_id!r}")
        return self._storyline_view(row, timeline=True)

    # -- entities ------------------------------------------------------------------------------------------
    def entities(
        self, *, type: str | None = None, name: str | None = None, outlet: str | None = None,
        since: str | None = None, until: str | None = None, limit: int | None = 100, offset: int = 0,
    ) -> list[EntityView]:
        where, params = ["e.redirect_to IS NULL"], []
        if type:
            where.append("e.type = ?")
            params.append(type.upper())
        if name:
            where.append("(lower(e.name) LIKE ? OR EXISTS (SELECT 1 FROM mentions m2 WHERE m2.entity_id=e.id AND lower(m2.text) LIKE ?))")
            params.extend([f"%{name.lower()}%", f"%{name.lower()}%"])
        join_filter = []
        if outlet or since or until:
            join_filter.append("JOIN articles a ON a.id=m.article_id")
            if outlet:
                where.append("lower(a.outlet)=lower(?)")
                params.append(outlet)
            period, period_params = period_clauses(since, until, "a.published_start", "a.published_end")
            where.extend(period)
            params.extend(period_params)
        sql = (
            f"SELECT e.id, e.name, e.type, count(*) n, count(DISTINCT m.article_id) na FROM entities e "
            f"JOIN mentions m ON m.entity_id=e.id {' '.join(join_filter)} WHERE {' AND '.join(where)} "
            f"GROUP BY e.id ORDER BY n DESC, e.name"
        )
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params.extend([limit, offset])
        rows = self.db.execute(sql, params).fetchall()
        return [EntityView(r[0], r[1], r[2], self._variants(r[0]), r[3], r[4]) for r in rows]

    def _variants(self, entity_id: str) -> list[str]:
        return [r[0] for r in self.db.execute(
            "SELECT text FROM mentions WHERE entity_id=? GROUP BY text ORDER BY count(*) DESC", (entity_id,))]

    def entity(self, entity_id: str) -> EntityView:
        row = self.db.execute("SELECT * FROM entities WHERE id=?", (entity_id,)).fetchone()
        if row is None:
            found = self._entity_filter_ids(entity_id)
            if not found:
                raise NotFound(f"no entity {entity_id!r}")
            row = self.db.execute("SELECT * FROM entities WHERE id=?", (found[0],)).fetchone()
        while row["redirect_to"]:
            row = self.db.execute("SELECT * FROM entities WHERE id=?", (row["redirect_to"],)).fetchone()
        # mentions and articles from the entity_stats summary (kept at ingest); counted when a store lacks it
        counts = self.db.execute("SELECT mentions, articles FROM entity_stats WHERE entity_id=?", (row["id"],)).fetchone()
        if counts is None:
            counts = self.db.execute(
                "SELECT count(*), count(DISTINCT article_id) FROM mentions WHERE entity_id=?", (row["id"],)).fetchone()
        events = [r[0] for r in self.db.execute(
            "SELECT ea.event_id, count(*) n FROM mentions m JOIN event_articles ea INDEXED BY "
            "event_articles_article_event ON ea.article_id=m.article_id "
            "WHERE m.entity_id=? GROUP BY ea.event_id ORDER BY n DESC, ea.event_id LIMIT 50", (row["id"],))]
        return EntityView(row["id"], row["name"], row["type"], self._variants(row["id"]), counts[0], counts[1], events)

    # -- articles ------------------------------------------------------------------------------------------
    def articles(
        self, *, since: str | None = None, until: str | None = None, outlet: str | None = None,
        entity: str | None = None, event: str | None = None, limit: int | None = 100, offset: int = 0,
        with_text: bool = False,
    ) -> list[ArticleView]:
        where, params = ["1=1"], []
        period, period_params = period_clauses(since, until, "a.published_start", "a.published_end")
        where.extend(period)
        params.extend(period_params)
        if outlet:
            where.append("lower(a.outlet)=lower(?)")
            params.append(outlet)
        if event:
            where.append("ea.event_id = ?")
            params.append(self._resolve_event(event))
        entity_ids = self._entity_filter_ids(entity)
        if entity_ids is not None:
            if not entity_ids:
                return []
            marks = ",".join("?" * len(entity_ids))
            where.append(f"EXISTS (SELECT 1 FROM mentions m WHERE m.article_id=a.id AND m.entity_id IN ({marks}))")
            params.extend(entity_ids)
        sql = (
            "SELECT a.*, ea.event_id FROM articles a LEFT JOIN event_articles ea ON ea.article_id=a.id "
            f"WHERE {' AND '.join(where)} ORDER BY a.published_start, a.seq"
        )
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params.extend([limit, offset])
        return [self._article_view(r, with_text) for r in self.db.execute(sql, params)]

    def _article_view(self, r, with_text: bool) -> ArticleView:
        return ArticleView(
            r["id"], r["title"], r["outlet"], r["outlet_evidence"],
            _published_iso(r["published_start"], r["published_end"], r["precision"]), r["precision"], r["url"],
            r["lang"], r["event_id"], r["duplicate_of"], r["duplicate_kind"], r["text"] if with_text else None,
        )

    def article(self, article_id: str) -> ArticleView:
        row = self.db.execute(
            "SELECT a.*, ea.event_id FROM articles a LEFT JOIN event_articles ea ON ea.article_id=a.id WHERE a.id=?",
            (article_id,)).fetchone()
        if row is None:
            raise NotFound(f"no article {article_id!r}")
        return self._article_view(row, True)

    def mentions(self, article_id: str) -> list[dict]:
        return [dict(r) for r in self.db.execute(
            "SELECT m.start, m.end, m.text, m.kind, m.role, e.id AS entity_id, e.name, e.type FROM mentions m "
            "JOIN entities e ON e.id=m.entity_id WHERE m.article_id=? ORDER BY m.start", (article_id,))]

    def dates(self, article_id: str) -> list[dict]:
        return [dict(r) for r in self.db.execute(
            "SELECT start, end, text, span_start, span_end, precision FROM date_mentions WHERE article_id=? ORDER BY start",
            (article_id,))]

    # -- export --------------------------------------------------------------------------------------------
    def export_rows(self) -> list[dict]:
        """One row per article with its event, storyline and entities (the flat export table)."""
        rows = []
        entity_names: dict[str, list[str]] = {}
        for r in self.db.execute(
            "SELECT m.article_id, group_concat(DISTINCT e.name) FROM mentions m JOIN entities e ON e.id=m.entity_id "
            "GROUP BY m.article_id"):
            entity_names[r[0]] = sorted((r[1] or "").split(","))
        for r in self.db.execute(
            "SELECT a.id, a.title, a.outlet, a.published_start, a.published_end, a.precision, a.url, a.lang, "
            "a.duplicate_of, ea.event_id, ev.title AS event_title, ev.storyline_id, a.text FROM articles a "
            "LEFT JOIN event_articles ea ON ea.article_id=a.id LEFT JOIN events ev ON ev.id=ea.event_id ORDER BY a.seq"):
            rows.append({
                "id": r["id"], "title": r["title"], "outlet": r["outlet"],
                "published": _published_iso(r["published_start"], r["published_end"], r["precision"]),
                "precision": r["precision"], "url": r["url"], "lang": r["lang"], "duplicate_of": r["duplicate_of"],
                "event_id": r["event_id"], "event_title": r["event_title"], "storyline_id": r["storyline_id"],
                "entities": "; ".join(entity_names.get(r["id"], [])), "text": r["text"],
            })
        return rows

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

    # -- search ------------------------------------------------------------------------------------------
    def search(self, query: str, *, since: str | None = None, until: str | None = None, outlet: str | None = None,
               entity: str | None = None, limit: int | None = 20, offset: int = 0):
        """Full-text search, the same as the web's (``newsloom.search.SearchResult``); ``limit=None``: all
        (up to the count cap)."""
        from newsloom import search

        return search.search(self, query, since=since, until=until, outlet=outlet, entity=entity,
                             limit=search.COUNT_CAP if limit is None else limit, offset=offset)

    # -- comparison and quotes (newsloom.compare) ----------------------------------------------------------
    def compare_event(self, event_id: str):
        """How each outlet covered the event, claim by claim (``newsloom.compare.Comparison``)."""
        from newsloom.compare.api import compare_event

        return compare_event(self, event_id)

    def compare_storyline(self, storyline_id: str):
        """Each event of the storyline compared, and the new and dropped claims from one event to the next."""
        from newsloom.compare.api import compare_storyline

        return compare_storyline(self, storyline_id)

    def quotes(self, *, event: str | None = None, article: str | None = None, speaker: str | None = None,
               outlet: str | None = None, limit: int | None = None, offset: int = 0):
        """Quotes and reported speech (``QuoteView``: span, speaker, channel, verb), publication order."""
        from newsloom.compare.api import quotes

        return quotes(self, event=event, article=article, speaker=speaker, outlet=outlet, limit=limit, offset=offset)
