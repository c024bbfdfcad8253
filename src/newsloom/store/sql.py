"""The SQL both backends share: every query newsloom runs, written once in the dialect SQLite and PostgreSQL both
speak (``?`` placeholders, quoted ``"end"``, ``ON CONFLICT`` upserts, explicit ``NULLS FIRST/LAST``).

A backend supplies the connection, transactions, the ingest lock, full-text search and ``_prepare`` (placeholders
and ``{hint:INDEX}`` planner hints, which only SQLite takes, as ``INDEXED BY``).
"""
from __future__ import annotations

import json
from collections.abc import Iterable

import numpy as np

from newsloom.errors import NotFound
from newsloom.records import Article, DateMention, EntityType, Mention, MentionKind, Quote
from newsloom.store.base import (
    ENTITY_TYPES, REDIRECT_HOPS, Filters, Store, StoredCorrection, StoredEvent, StoredStoryline, iter_chunks,
)
from newsloom.views import (
    ArticleRef, ArticleView, DateCount, DateMentionView, EntityRef, EntityView, EventArticle, EventSummary,
    EventView, ExportRow, MentionView, MonthCount, OutletCount, QuoteView, StoreCounts, StorylineSummary,
    StorylineView, iso_moment, published_iso, span_from_row, span_iso,
)

COMMON_MENTIONS = 3000  # an entity mentioned this often is probed article by article instead of listed
_QUOTE_SELECT = (
    'SELECT q.article_id, a.outlet, a.published_start, a.published_end, a.precision, ea.event_id, q.start, q."end", '
    "q.text, q.kind, q.speaker, q.speaker_key, q.channel, q.verb FROM quotes q JOIN articles a ON a.id=q.article_id "
    "LEFT JOIN event_articles ea ON ea.article_id=q.article_id"
)


def placeholders(values) -> str:
    return ",".join("?" * len(values))


def _quote_view(r) -> QuoteView:
    return QuoteView(r[0], r[1], published_iso(r[2], r[3], r[4]), r[5], r[6], r[7], r[8], r[9], r[10], r[11],
                     r[12], r[13])


class SqlStore(Store):
    """The shared implementation; ``self.db`` is the backend's connection."""

    db = None

    # -- backend hooks -----------------------------------------------------------------------------------
    def _prepare(self, sql: str) -> str:  # pragma: no cover - each backend overrides it
        raise NotImplementedError

    def _execute(self, sql: str, params=()):
        return self.db.execute(self._prepare(sql), tuple(params))

    def _executemany(self, sql: str, rows: list) -> None:
        if rows:
            self.db.executemany(self._prepare(sql), rows)

    def _all(self, sql: str, params=()) -> list:
        return self._execute(sql, params).fetchall()

    def _one(self, sql: str, params=()):
        return self._execute(sql, params).fetchone()

    def _value(self, sql: str, params=()):
        row = self._one(sql, params)
        return row[0] if row is not None else None

    # -- ingest: articles ----------------------------------------------------------------------------------
    def known_ids(self, ids: Iterable[str]) -> set[str]:
        found: set[str] = set()
        for chunk in iter_chunks(list(ids)):
            found.update(r[0] for r in self._all(f"SELECT id FROM articles WHERE id IN ({placeholders(chunk)})", chunk))
        return found

    def article_by_hash(self, text_hash: str) -> str | None:
        return self._value("SELECT id FROM articles WHERE text_hash=? ORDER BY seq LIMIT 1", (text_hash,))

    def near_candidates(self, bucket_keys: list[int]) -> list[tuple[str, np.ndarray]]:
        if not bucket_keys:
            return []
        rows = self._all(
            f"SELECT s.article_id, s.sig FROM signatures s WHERE s.article_id IN (SELECT b.article_id FROM "
            f"lsh_buckets b WHERE b.bucket IN ({placeholders(bucket_keys)})) ORDER BY s.article_id LIMIT 50",
            [int(b) for b in bucket_keys])
        return [(r[0], np.frombuffer(bytes(r[1]), dtype=np.uint64)) for r in rows]

    def insert_article(
        self, article: Article, analysis, *, text_hash: str, signature: np.ndarray, bucket_keys: list[int],
        duplicate_of: str | None, duplicate_kind: str | None, entity_ids: list[str],
    ) -> None:
        span = article.published
        self._execute(
            "INSERT INTO articles(id, title, text, published_start, published_end, precision, outlet, outlet_evidence,"
            " url, lang, source, text_hash, duplicate_of, duplicate_kind) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                article.id, article.title, article.text, iso_moment(span.start) if span else None,
                iso_moment(span.end) if span else None, span.precision.value if span else None, article.outlet,
                article.outlet_evidence, article.url, article.lang, article.source, text_hash, duplicate_of,
                duplicate_kind,
            ),
        )
        self._execute("INSERT INTO signatures(article_id, sig) VALUES (?,?) ON CONFLICT(article_id) "
                      "DO UPDATE SET sig=excluded.sig", (article.id, signature.tobytes()))
        self._executemany("INSERT INTO lsh_buckets(bucket, article_id) VALUES (?,?)",
                          [(int(b), article.id) for b in bucket_keys])
        self._executemany(
            'INSERT INTO mentions(article_id, entity_id, start, "end", text, kind, role) VALUES (?,?,?,?,?,?,?)',
            [(article.id, entity_id, m.start, m.end, m.text, m.kind.value, m.role)
             for m, entity_id in zip(analysis.mentions, entity_ids)],
        )
        self._executemany(
            'INSERT INTO date_mentions(article_id, start, "end", text, span_start, span_end, precision) '
            "VALUES (?,?,?,?,?,?,?)",
            [(article.id, d.start, d.end, d.text, iso_moment(d.span.start), iso_moment(d.span.end),
              d.span.precision.value) for d in analysis.dates],
        )
        self._executemany(
            'INSERT INTO quotes(article_id, start, "end", text, kind, speaker, speaker_key, channel, channel_key, verb)'
            " VALUES (?,?,?,?,?,?,?,?,?,?)",
            [(article.id, q.start, q.end, q.text, q.kind, q.speaker, q.speaker_key, q.channel, q.channel_key, q.verb)
             for q in analysis.quotes],
        )
        self._count_entities(entity_ids, article.outlet)

    def _count_entities(self, entity_ids: list[str], outlet: str) -> None:
        """Keep the per-entity summaries in step with one newly inserted article's mentions."""
        per_entity: dict[str, int] = {}
        for entity_id in entity_ids:
            per_entity[entity_id] = per_entity.get(entity_id, 0) + 1
        if not per_entity:
            return
        self._executemany(
            "INSERT INTO entity_stats(entity_id, mentions, articles) VALUES (?,?,1) ON CONFLICT(entity_id) "
            "DO UPDATE SET mentions=entity_stats.mentions+excluded.mentions, articles=entity_stats.articles+1",
            list(per_entity.items()))
        self._executemany(
            "INSERT INTO entity_outlets(entity_id, outlet, articles) VALUES (?,?,1) ON CONFLICT(entity_id, outlet) "
            "DO UPDATE SET articles=entity_outlets.articles+1", [(e, outlet) for e in per_entity])

    def recount_entity(self, entity_id: str) -> None:
        """Recompute the per-entity summaries of one entity from its mentions (after a merge)."""
        for table in ("entity_stats", "entity_outlets"):
            self._execute(f"DELETE FROM {table} WHERE entity_id=?", (entity_id,))
        self._execute("INSERT INTO entity_stats(entity_id, mentions, articles) SELECT entity_id, count(*), "
                      "count(DISTINCT article_id) FROM mentions WHERE entity_id=? GROUP BY entity_id", (entity_id,))
        self._execute("INSERT INTO entity_outlets(entity_id, outlet, articles) SELECT ?, a.outlet, count(*) "
                      "FROM (SELECT DISTINCT article_id FROM mentions WHERE entity_id=?) m "
                      "JOIN articles a ON a.id=m.article_id GROUP BY a.outlet", (entity_id, entity_id))

    # -- ingest: entities ----------------------------------------------------------------------------------
    def entity_for_alias(self, alias: str) -> str | None:
        return self._value("SELECT entity_id FROM entity_aliases WHERE alias=?", (alias,))

    def upsert_entity(self, entity_id: str, name: str, etype: str) -> None:
        self._execute("INSERT INTO entities(id, name, type) VALUES (?,?,?) ON CONFLICT(id) DO NOTHING",
                      (entity_id, name, etype))

    def add_alias(self, alias: str, entity_id: str) -> None:
        self._execute("INSERT INTO entity_aliases(alias, entity_id) VALUES (?,?) ON CONFLICT(alias) DO NOTHING",
                      (alias, entity_id))

    def merge_entity(self, old_id: str, new_id: str) -> None:
        """Fold entity ``old_id`` into ``new_id`` (e.g. a surname-only entity into the full name)."""
        if old_id == new_id:
            return
        self._execute("UPDATE entities SET redirect_to=? WHERE id=?", (new_id, old_id))
        self._execute("UPDATE entities SET redirect_to=? WHERE redirect_to=?", (new_id, old_id))
        self._execute("UPDATE mentions SET entity_id=? WHERE entity_id=?", (new_id, old_id))
        self._execute("UPDATE entity_aliases SET entity_id=? WHERE entity_id=?", (new_id, old_id))
        self._execute("UPDATE quotes SET speaker_key=? WHERE speaker_key=?", (new_id, old_id))
        self._execute("UPDATE quotes SET channel_key=? WHERE channel_key=?", (new_id, old_id))
        self.recount_entity(old_id)
        self.recount_entity(new_id)

    # -- ingest: clustering --------------------------------------------------------------------------------
    def save_event(self, event) -> None:
        self._execute(
            'INSERT INTO events(id, title, start, "end", precision, storyline_id, n_articles, state)'
            ' VALUES (?,?,?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET title=excluded.title, start=excluded.start,'
            ' "end"=excluded."end", precision=excluded.precision, storyline_id=excluded.storyline_id,'
            " n_articles=excluded.n_articles, state=excluded.state",
            (event.id, event.title, iso_moment(event.start), iso_moment(event.end), event.precision,
             event.storyline_id, event.n_articles, json.dumps(event.to_json(), ensure_ascii=False)),
        )

    def redirect_event(self, old_id: str, new_id: str) -> None:
        self._execute("UPDATE events SET redirect_to=?, n_articles=0 WHERE id=?", (new_id, old_id))
        self._execute("UPDATE event_articles SET event_id=? WHERE event_id=?", (new_id, old_id))

    def assign_article(self, article_id: str, event_id: str, score: float) -> None:
        self._execute("INSERT INTO event_articles(article_id, event_id, score) VALUES (?,?,?) ON CONFLICT(article_id)"
                      " DO UPDATE SET event_id=excluded.event_id, score=excluded.score",
                      (article_id, event_id, float(score)))

    def stored_event_of(self, article_id: str) -> str | None:
        return self._value("SELECT event_id FROM event_articles WHERE article_id=?", (article_id,))

    def save_storyline(self, storyline) -> None:
        self._execute(
            'INSERT INTO storylines(id, title, start, "end", state) VALUES (?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET'
            ' title=excluded.title, start=excluded.start, "end"=excluded."end", state=excluded.state',
            (storyline.id, storyline.title, iso_moment(storyline.start), iso_moment(storyline.end),
             json.dumps(storyline.to_json(), ensure_ascii=False)),
        )
        for chunk in iter_chunks(list(storyline.event_ids)):
            self._execute(f"UPDATE events SET storyline_id=? WHERE id IN ({placeholders(chunk)})", [storyline.id, *chunk])

    def save_term_stats(self, changes: dict[str, int]) -> None:
        self._executemany("INSERT INTO term_stats(term, df) VALUES (?,?) ON CONFLICT(term) DO UPDATE SET df=excluded.df",
                          sorted(changes.items()))

    def term_stats(self) -> dict[str, int]:
        return {r[0]: r[1] for r in self._all("SELECT term, df FROM term_stats")}

    def set_meta(self, key: str, value: str) -> None:
        self._execute("INSERT INTO meta(key, value) VALUES (?,?) ON CONFLICT(key) DO UPDATE SET value=excluded.value",
                      (key, value))

    def get_meta(self, key: str) -> str | None:
        return self._value("SELECT value FROM meta WHERE key=?", (key,))

    def latest_event_end(self) -> str | None:
        return self._value('SELECT max("end") FROM events WHERE redirect_to IS NULL')

    def live_events_since(self, cutoff: str) -> list[StoredEvent]:
        rows = self._all(
            'SELECT id, title, start, "end", precision, storyline_id, n_articles, state FROM events '
            'WHERE redirect_to IS NULL AND ("end" IS NULL OR "end" >= ?) ORDER BY start NULLS FIRST, id', (cutoff,))
        return [StoredEvent(r[0], r[1], r[2], r[3], r[4], r[5], r[6], json.loads(r[7])) for r in rows]

    def storylines_since(self, cutoff: str) -> list[StoredStoryline]:
        rows = self._all('SELECT id, title, start, "end", state FROM storylines WHERE "end" IS NULL OR "end" >= ? '
                         "ORDER BY start NULLS FIRST, id", (cutoff,))
        return [StoredStoryline(r[0], r[1], r[2], r[3], json.loads(r[4])) for r in rows]

    def event_redirects(self) -> dict[str, str]:
        return {r[0]: r[1] for r in self._all("SELECT id, redirect_to FROM events WHERE redirect_to IS NOT NULL "
                                              "ORDER BY id")}

    def save_cluster_state(self, blob: bytes) -> None:
        self._execute("INSERT INTO cluster_state(id, state) VALUES (1, ?) ON CONFLICT(id) DO UPDATE SET "
                      "state=excluded.state", (blob,))

    def load_cluster_state(self) -> bytes | None:
        value = self._value("SELECT state FROM cluster_state WHERE id=1")
        return bytes(value) if value is not None else None

    # -- corrections -----------------------------------------------------------------------------------------
    def record_correction(self, kind: str, article_id: str | None, event_id: str, target_event_id: str,
                          created: str) -> None:
        self._execute("INSERT INTO corrections(kind, article_id, event_id, target_event_id, created) "
                      "VALUES (?,?,?,?,?)", (kind, article_id, event_id, target_event_id, created))

    def corrections(self, kind: str | None = None) -> list[StoredCorrection]:
        where, params = ("WHERE kind=? ", (kind,)) if kind else ("", ())
        return [StoredCorrection(int(r[0]), r[1], r[2], r[3], r[4], r[5]) for r in self._all(
            f"SELECT id, kind, article_id, event_id, target_event_id, created FROM corrections {where}ORDER BY id",
            params)]

    def stored_event(self, event_id: str) -> StoredEvent | None:
        r = self._one('SELECT id, title, start, "end", precision, storyline_id, n_articles, state FROM events '
                      "WHERE id=?", (event_id,))
        return StoredEvent(r[0], r[1], r[2], r[3], r[4], r[5], r[6], json.loads(r[7])) if r is not None else None

    def forget_cluster_state(self) -> None:
        self._execute("DELETE FROM cluster_state")
        self.renew_clustering_token()

    def term_frequencies(self, terms: Iterable[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        for chunk in iter_chunks(sorted(set(terms))):
            found.update((r[0], int(r[1])) for r in self._all(
                f"SELECT term, df FROM term_stats WHERE term IN ({placeholders(chunk)})", chunk))
        return found

    def join_scores(self, article_ids: list[str]) -> dict[str, float]:
        found: dict[str, float] = {}
        for chunk in iter_chunks(list(article_ids)):
            found.update((r[0], float(r[1])) for r in self._all(
                f"SELECT article_id, score FROM event_articles WHERE article_id IN ({placeholders(chunk)}) "
                "AND score IS NOT NULL", chunk))
        return found

    # -- readers: lookups ----------------------------------------------------------------------------------
    def _follow(self, table: str, item_id: str) -> str | None:
        """The id a chain of redirects ends at (at most REDIRECT_HOPS); None when ``item_id`` is unknown."""
        for _ in range(REDIRECT_HOPS):
            row = self._one(f"SELECT redirect_to FROM {table} WHERE id=?", (item_id,))
            if row is None:
                return None
            if row[0] is None:
                return item_id
            item_id = row[0]
        return item_id

    def resolve_event(self, event_id: str) -> str:
        found = self._follow("events", event_id)
        if found is None:
            raise NotFound(f"no event {event_id!r}")
        return found

    def resolve_entities(self, entity: str | None) -> list[str] | None:
        """An id, or a name or variant of any type (alias keys), else an exact name; merged ones followed."""
        if not entity:
            return None
        entity = " ".join(entity.split())
        needle = entity.casefold()
        found = [r[0] for r in self._all("SELECT id FROM entities WHERE id=?", (entity,))]
        found += [r[0] for r in self._all(
            f"SELECT entity_id FROM entity_aliases WHERE alias IN ({placeholders(ENTITY_TYPES)}) ORDER BY entity_id",
            [f"{t}:{needle}" for t in ENTITY_TYPES])]
        if not found:
            found = [r[0] for r in self._all("SELECT id FROM entities WHERE lower(name)=? ORDER BY id LIMIT 20",
                                             (needle,))]
        result: list[str] = []
        for entity_id in found:
            live = self._follow("entities", entity_id) or entity_id
            if live not in result:
                result.append(live)
        return result

    def canonical_outlet(self, outlet: str | None) -> str | None:
        if not outlet:
            return None
        exact = self._value("SELECT outlet FROM articles WHERE outlet=? LIMIT 1", (outlet,))
        if exact is not None:
            return exact
        wanted = outlet.casefold()
        for (name,) in self._all("SELECT DISTINCT outlet FROM articles ORDER BY outlet"):
            if name.casefold() == wanted:
                return name
        return outlet

    def counts(self) -> StoreCounts:
        return StoreCounts(int(self._value("SELECT count(*) FROM articles")),
                           int(self._value("SELECT count(*) FROM events WHERE redirect_to IS NULL")))

    def _mention_count(self, entity_ids: list[str]) -> int:
        """Mentions of these entities, from the entity_stats summary (kept at ingest)."""
        value = self._value(f"SELECT sum(mentions) FROM entity_stats WHERE entity_id IN ({placeholders(entity_ids)})",
                            entity_ids)
        return int(value or 0)

    def _event_filter(self, f: Filters, *, alias: str = "ev", probe: bool = False) -> tuple[list[str], list, bool]:
        """WHERE parts restricting events (``alias``) by the filters; the bool says the entity matched nothing."""
        where, params = [], []
        if f.since_bound:
            where.append(f'{alias}."end" > ?')
            params.append(f.since_bound)
        if f.until_bound:
            where.append(f"{alias}.start < ?")
            params.append(f.until_bound)
        if f.outlet:
            where.append(f"{alias}.id IN (SELECT ea.event_id FROM articles a {{hint:articles_outlet_span}} "
                         "JOIN event_articles ea {hint:event_articles_article_event} ON ea.article_id=a.id "
                         "WHERE a.outlet=?)")
            params.append(self.canonical_outlet(f.outlet))
        ids = self.resolve_entities(f.entity)
        if ids is not None:
            if not ids:
                return where, params, True
            marks = placeholders(ids)
            if probe and self._mention_count(ids) >= COMMON_MENTIONS:
                # newest events first, each event's articles probed through the (entity_id, article_id) index
                where.append(f"EXISTS (SELECT 1 FROM event_articles ea {{hint:event_articles_event_article}} "
                             f"WHERE ea.event_id={alias}.id AND EXISTS (SELECT 1 FROM mentions m "
                             f"WHERE m.entity_id IN ({marks}) AND m.article_id=ea.article_id))")
            else:
                where.append(f"{alias}.id IN (SELECT ea.event_id FROM mentions m JOIN event_articles ea "
                             f"{{hint:event_articles_article_event}} ON ea.article_id=m.article_id "
                             f"WHERE m.entity_id IN ({marks}))")
            params.extend(ids)
        return where, params, False

    def _article_filter(self, f: Filters) -> tuple[list[str], list, bool]:
        """WHERE parts restricting articles (``a``) by the filters; the bool says the entity matched nothing."""
        where, params = [], []
        if f.since_bound:
            where.append("a.published_end > ?")
            params.append(f.since_bound)
        if f.until_bound:
            where.append("a.published_start < ?")
            params.append(f.until_bound)
        if f.outlet:
            where.append("a.outlet = ?")
            params.append(self.canonical_outlet(f.outlet))
        ids = self.resolve_entities(f.entity)
        if ids is not None:
            if not ids:
                return where, params, True
            where.append(f"EXISTS (SELECT 1 FROM mentions m WHERE m.article_id=a.id AND m.entity_id IN ({placeholders(ids)}))")
            params.extend(ids)
        return where, params, False

    # -- readers: events ---------------------------------------------------------------------------------
    _EVENT_COLS = 'ev.id, ev.title, ev.start, ev."end", ev.precision, ev.storyline_id'

    def _event_refs(self, event_ids: list[str]) -> dict[str, list[ArticleRef]]:
        """Each event's articles, oldest first: one query per 500 events, not one per event."""
        refs: dict[str, list[ArticleRef]] = {event_id: [] for event_id in event_ids}
        for chunk in iter_chunks(list(refs)):
            rows = self._all(
                "SELECT ea.event_id, a.id, a.outlet, a.published_start, a.published_end, a.precision, a.title, "
                "a.duplicate_of FROM event_articles ea JOIN articles a ON a.id=ea.article_id "
                f"WHERE ea.event_id IN ({placeholders(chunk)}) "
                "ORDER BY ea.event_id, a.published_start NULLS FIRST, a.seq", chunk)
            for r in rows:
                refs[r[0]].append(ArticleRef(r[1], r[2], published_iso(r[3], r[4], r[5]), r[6], r[7]))
        return refs

    def _event_entities(self, event_ids: list[str], limit: int = 12) -> dict[str, list[EntityRef]]:
        """Each event's most mentioned entities (count, then name, then id), for many events in one query."""
        counted: dict[str, list[EntityRef]] = {event_id: [] for event_id in event_ids}
        for chunk in iter_chunks(list(counted)):
            rows = self._all(
                "SELECT ea.event_id, e.id, e.name, e.type, count(*) AS n FROM event_articles ea "
                "{hint:event_articles_event_article} JOIN mentions m ON m.article_id=ea.article_id "
                f"JOIN entities e ON e.id=m.entity_id WHERE ea.event_id IN ({placeholders(chunk)}) "
                "GROUP BY ea.event_id, e.id, e.name, e.type", chunk)
            for r in rows:
                counted[r[0]].append(EntityRef(r[1], r[2], r[3], int(r[4])))
        # ranked here, not in SQL, so that names order the same way on both backends (code points, not a collation)
        return {event_id: sorted(refs, key=lambda e: (-e.mentions, e.name, e.id))[:limit]
                for event_id, refs in counted.items()}

    def _event_views(self, rows, *, with_entities: bool = True) -> list[EventView]:
        event_ids = [r[0] for r in rows]
        refs = self._event_refs(event_ids)
        entities = self._event_entities(event_ids) if with_entities else {}
        views = []
        for r in rows:
            articles = refs[r[0]]
            start, end = span_iso(r[2], r[3], r[4])
            views.append(EventView(id=r[0], title=r[1], start=start, end=end, storyline_id=r[5], articles=articles,
                                   entities=entities.get(r[0], []), outlets=sorted({a.outlet for a in articles})))
        return views

    def events(self, filters: Filters, *, storyline: str | None = None, min_articles: int = 1,
               limit: int | None = None, offset: int = 0, with_entities: bool = True) -> list[EventView]:
        where, params, empty = self._event_filter(filters, probe=True)
        if empty:
            return []
        where = ["ev.redirect_to IS NULL", "ev.n_articles >= ?", *where]
        params = [min_articles, *params]
        if storyline:
            where.append("ev.storyline_id = ?")
            params.append(storyline)
        sql = f"SELECT {self._EVENT_COLS} FROM events ev WHERE {' AND '.join(where)} ORDER BY ev.start DESC NULLS LAST, ev.id"
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params.extend([limit, offset])
        return self._event_views(self._all(sql, params), with_entities=with_entities)

    def event(self, event_id: str) -> EventView:
        event_id = self.resolve_event(event_id)
        return self._event_views([self._one(f"SELECT {self._EVENT_COLS} FROM events ev WHERE ev.id=?", (event_id,))])[0]

    def event_of_article(self, article_id: str) -> str:
        event_id = self.stored_event_of(article_id)
        if event_id is None:
            raise NotFound(f"no article {article_id!r}")
        return self.resolve_event(event_id)

    def event_article_count(self, event_id: str) -> int:
        return int(self._value("SELECT count(*) FROM event_articles WHERE event_id=?", (event_id,)))

    def event_article_list(self, event_id: str) -> list[EventArticle]:
        rows = self._all(
            "SELECT a.id, a.outlet, a.title, a.published_start, a.published_end, a.precision, a.duplicate_of, "
            "a.duplicate_kind, a.url FROM event_articles ea JOIN articles a ON a.id=ea.article_id WHERE ea.event_id=? "
            "ORDER BY a.outlet, a.published_start NULLS FIRST, a.seq", (event_id,))
        return [EventArticle(r[0], r[1], r[2], published_iso(r[3], r[4], r[5]), r[6], r[7], r[8]) for r in rows]

    def event_dates(self, event_id: str, limit: int = 15) -> list[DateCount]:
        rows = self._all(
            "SELECT dm.span_start, dm.span_end, dm.precision, dm.text FROM event_articles ea "
            "JOIN date_mentions dm ON dm.article_id=ea.article_id WHERE ea.event_id=?", (event_id,))
        groups: dict[tuple, list[str]] = {}
        for r in rows:
            groups.setdefault((r[0], r[1], r[2]), []).append(r[3])
        ranked = sorted(groups.items(), key=lambda item: (-len(item[1]), item[0][0], item[0][1], item[0][2]))[:limit]
        return [DateCount(published_iso(*key), len(texts), sorted(set(texts))[:3]) for key, texts in ranked]

    def event_article_ids(self, event_id: str, *, by_score: bool = False) -> list[tuple[str, str]]:
        order = "ea.score DESC, " if by_score else ""
        rows = self._all("SELECT a.id, a.outlet FROM event_articles ea JOIN articles a ON a.id=ea.article_id "
                         f"WHERE ea.event_id=? ORDER BY {order}a.published_start NULLS FIRST, a.seq", (event_id,))
        return [(r[0], r[1]) for r in rows]

    def all_assignments(self) -> dict[str, str]:
        redirects = self.event_redirects()
        result = {}
        for article_id, event_id in self._all("SELECT article_id, event_id FROM event_articles ORDER BY article_id"):
            for _ in range(REDIRECT_HOPS):
                if event_id not in redirects:
                    break
                event_id = redirects[event_id]
            result[article_id] = event_id
        return result

    def event_storylines(self) -> dict[str, str | None]:
        return {r[0]: r[1] for r in self._all("SELECT id, storyline_id FROM events ORDER BY id")}

    # -- readers: storylines -----------------------------------------------------------------------------
    def _storyline_view(self, r, *, timeline: bool, max_events: int | None = None) -> StorylineView:
        events = self._all(f"SELECT {self._EVENT_COLS} FROM events ev WHERE ev.storyline_id=? AND ev.redirect_to IS NULL"
                           " ORDER BY ev.start NULLS FIRST, ev.id", (r[0],))
        shown = events if max_events is None else events[:max_events]
        views = self._event_views(shown) if timeline else []
        bounds = [span_iso(e[2], e[3], e[4]) for e in events if e[2]]
        s_start = min((b[0] for b in bounds), default=None)
        s_end = max((b[1] for b in bounds), default=None)
        entities = [EntityRef(e[0], e[1], e[2], int(e[3])) for e in self._all(
            "SELECT e.id, e.name, e.type, count(*) AS n FROM events ev JOIN event_articles ea "
            "{hint:event_articles_event_article} ON ea.event_id=ev.id JOIN mentions m ON m.article_id=ea.article_id "
            "JOIN entities e ON e.id=m.entity_id WHERE ev.storyline_id=? GROUP BY e.id, e.name, e.type "
            "ORDER BY n DESC, e.name, e.id LIMIT 8", (r[0],))]
        outlets = sorted({o[0] for o in self._all(
            "SELECT DISTINCT a.outlet FROM events ev JOIN event_articles ea ON ea.event_id=ev.id "
            "JOIN articles a ON a.id=ea.article_id WHERE ev.storyline_id=? AND ev.redirect_to IS NULL", (r[0],))})
        return StorylineView(r[0], r[1], s_start, s_end, [e[0] for e in events], views, entities, outlets)

    def storylines(self, filters: Filters, *, limit: int | None = None, offset: int = 0) -> list[StorylineView]:
        where, params = [], []
        if filters.since_bound:
            where.append('s."end" > ?')
            params.append(filters.since_bound)
        if filters.until_bound:
            where.append("s.start < ?")
            params.append(filters.until_bound)
        where.append("(SELECT count(*) FROM events e WHERE e.storyline_id=s.id AND e.redirect_to IS NULL) >= 2")
        sql = (f'SELECT s.id, s.title FROM storylines s WHERE {" AND ".join(where)} '
               "ORDER BY s.start DESC NULLS LAST, s.id")
        event_filter = Filters(outlet=filters.outlet, entity=filters.entity)
        filtered = not event_filter.empty
        if limit is not None and not filtered:
            sql += " LIMIT ? OFFSET ?"
            params.extend([limit, offset])
        result = []
        for row in self._all(sql, params):
            if filtered and not self._has_events(event_filter, row[0]):
                continue
            result.append(self._storyline_view(row, timeline=False))
        if limit is not None and filtered:
            result = result[offset : offset + limit]
        return result

    def _has_events(self, f: Filters, storyline_id: str) -> bool:
        where, params, empty = self._event_filter(f)
        if empty:
            return False
        where = ["ev.redirect_to IS NULL", "ev.storyline_id = ?", *where]
        return self._one(f"SELECT 1 FROM events ev WHERE {' AND '.join(where)} LIMIT 1",
                         [storyline_id, *params]) is not None

    def storyline(self, storyline_id: str, *, max_events: int | None = None) -> StorylineView:
        row = self._one("SELECT id, title FROM storylines WHERE id=?", (storyline_id,))
        if row is None:
            raise NotFound(f"no storyline {storyline_id!r}")
        return self._storyline_view(row, timeline=True, max_events=max_events)

    def storyline_summaries(self, filters: Filters, *, limit: int, offset: int) -> list[StorylineSummary]:
        where, params, empty = self._event_filter(filters)
        if empty:
            return []
        where = ["ev.redirect_to IS NULL", "ev.storyline_id IS NOT NULL", *where]
        # storylines with at least two live events, from the (storyline_id, redirect_to, start, end) covering index
        lines = ("SELECT storyline_id FROM events {hint:events_storyline_live} WHERE storyline_id IS NOT NULL "
                 "AND redirect_to IS NULL GROUP BY storyline_id HAVING count(*) >= 2")
        rows = self._all(
            'SELECT s.id, s.title, m.n, m.last FROM (SELECT ev.storyline_id AS sid, count(*) AS n, max(ev."end") AS last '
            f"FROM events ev {{hint:events_storyline_live}} WHERE {' AND '.join(where)} AND ev.storyline_id IN ({lines}) "
            "GROUP BY ev.storyline_id) m JOIN storylines s ON s.id=m.sid "
            "ORDER BY m.last DESC NULLS LAST, s.id LIMIT ? OFFSET ?", [*params, limit, offset])
        items = []
        for r in rows:
            total = self._one("SELECT count(*) FROM events WHERE storyline_id=? AND redirect_to IS NULL", (r[0],))
            # start and end at the precision of the first and last events (a month-only event is "2021-12")
            first = self._one('SELECT start, "end", precision FROM events WHERE storyline_id=? AND redirect_to IS NULL '
                              "AND start IS NOT NULL ORDER BY start, id LIMIT 1", (r[0],))
            last = self._one('SELECT start, "end", precision FROM events WHERE storyline_id=? AND redirect_to IS NULL '
                             'AND "end" IS NOT NULL ORDER BY "end" DESC, id LIMIT 1', (r[0],))
            items.append(StorylineSummary(r[0], r[1], int(total[0]), span_iso(*first)[0] if first else None,
                                          span_iso(*last)[1] if last else None, int(r[2])))
        return items

    # -- readers: entities -------------------------------------------------------------------------------
    def entities(self, filters: Filters, *, type: str | None = None, name: str | None = None,
                 limit: int | None = 100, offset: int = 0) -> list[EntityView]:
        where, params = ["e.redirect_to IS NULL"], []
        if type:
            where.append("e.type = ?")
            params.append(type.upper())
        if name:
            needle = f"%{name.lower()}%"
            where.append("(lower(e.name) LIKE ? OR EXISTS (SELECT 1 FROM mentions m2 WHERE m2.entity_id=e.id "
                         "AND lower(m2.text) LIKE ?))")
            params.extend([needle, needle])
        join = ""
        if filters.outlet or filters.since_bound or filters.until_bound:
            join = "JOIN articles a ON a.id=m.article_id"
            period = Filters(since=filters.since, until=filters.until, outlet=filters.outlet)
            article_where, article_params, _ = self._article_filter(period)
            where.extend(article_where)
            params.extend(article_params)
        sql = (f"SELECT e.id, e.name, e.type, count(*) AS n, count(DISTINCT m.article_id) AS na FROM entities e "
               f"JOIN mentions m ON m.entity_id=e.id {join} WHERE {' AND '.join(where)} "
               f"GROUP BY e.id, e.name, e.type ORDER BY n DESC, e.name, e.id")
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params.extend([limit, offset])
        return [EntityView(r[0], r[1], r[2], self._variants(r[0]), int(r[3]), int(r[4]), self._entity_events(r[0]))
                for r in self._all(sql, params)]

    def _entity_events(self, entity_id: str, limit: int = 50) -> list[str]:
        """Ids of the events mentioning the entity, most mentions first (at most ``limit``)."""
        return [r[0] for r in self._all(
            "SELECT ea.event_id, count(*) AS n FROM mentions m JOIN event_articles ea {hint:event_articles_article_event}"
            " ON ea.article_id=m.article_id WHERE m.entity_id=? GROUP BY ea.event_id ORDER BY n DESC, ea.event_id "
            "LIMIT ?", (entity_id, limit))]

    def _variants(self, entity_id: str) -> list[str]:
        return [r[0] for r in self._all(
            "SELECT text FROM mentions WHERE entity_id=? GROUP BY text ORDER BY count(*) DESC, text", (entity_id,))]

    def entity(self, entity_id: str) -> EntityView:
        live = self._follow("entities", entity_id)
        if live is None:
            found = self.resolve_entities(entity_id)
            if not found:
                raise NotFound(f"no entity {entity_id!r}")
            live = found[0]
        row = self._one("SELECT id, name, type FROM entities WHERE id=?", (live,))
        # mentions and articles from the entity_stats summary (kept at ingest); counted when a store lacks it
        counts = self._one("SELECT mentions, articles FROM entity_stats WHERE entity_id=?", (row[0],))
        if counts is None:
            counts = self._one("SELECT count(*), count(DISTINCT article_id) FROM mentions WHERE entity_id=?", (row[0],))
        return EntityView(row[0], row[1], row[2], self._variants(row[0]), int(counts[0]), int(counts[1]),
                          self._entity_events(row[0]))

    def _recent_articles_sql(self, entity_id: str) -> str:
        """SQL (two parameters: entity id, count) for the ids of an entity's most recent articles."""
        if self._mention_count([entity_id]) >= COMMON_MENTIONS:
            # newest articles first (arrival order follows publication order), probed through (entity_id, article_id)
            return ("SELECT a.id FROM articles a WHERE EXISTS (SELECT 1 FROM mentions m WHERE m.entity_id=? "
                    "AND m.article_id=a.id) ORDER BY a.seq DESC LIMIT ?")
        return ("SELECT a.id FROM articles a {hint:articles_id_meta} WHERE a.id IN "
                "(SELECT article_id FROM mentions WHERE entity_id=?) ORDER BY a.seq DESC LIMIT ?")

    def entity_recent_events(self, entity_id: str, *, from_articles: int, limit: int = 30) -> list[EventSummary]:
        recent = self._recent_articles_sql(entity_id)
        rows = self._all(
            f'SELECT ev.id, ev.title, ev.start, ev."end", ev.precision, ev.n_articles FROM events ev '
            f"WHERE ev.redirect_to IS NULL AND ev.id IN (SELECT ea.event_id FROM ({recent}) x JOIN event_articles ea "
            "{hint:event_articles_article_event} ON ea.article_id=x.id) ORDER BY ev.start DESC NULLS LAST, ev.id "
            "LIMIT ?", (entity_id, from_articles, limit))
        return [EventSummary(r[0], r[1], span_iso(r[2], r[3], r[4])[0], int(r[5])) for r in rows]

    def entity_months(self, entity_id: str) -> list[MonthCount]:
        rows = self._all(
            "SELECT substr(a.published_start, 1, 7) AS mo, count(DISTINCT ea.event_id), count(*) FROM "
            "(SELECT DISTINCT article_id FROM mentions WHERE entity_id=?) x "
            "JOIN articles a {hint:articles_id_meta} ON a.id=x.article_id "
            "JOIN event_articles ea {hint:event_articles_article_event} ON ea.article_id=a.id "
            "WHERE a.published_start IS NOT NULL GROUP BY substr(a.published_start, 1, 7) ORDER BY mo", (entity_id,))
        return [MonthCount(r[0], int(r[1]), int(r[2])) for r in rows]

    def entity_cooccurring(self, entity_id: str, *, from_articles: int, limit: int = 15) -> list[EntityRef]:
        recent = self._recent_articles_sql(entity_id)
        rows = self._all(
            f"WITH recent AS ({recent}) "
            "SELECT e.id, e.name, e.type, count(DISTINCT m.article_id) AS n FROM recent JOIN mentions m "
            "{hint:mentions_article} ON m.article_id=recent.id JOIN entities e ON e.id=m.entity_id "
            "WHERE m.entity_id != ? GROUP BY e.id, e.name, e.type ORDER BY n DESC, e.name, e.id LIMIT ?",
            (entity_id, from_articles, entity_id, limit))
        return [EntityRef(r[0], r[1], r[2], int(r[3])) for r in rows]

    def outlet_counts(self, filters: Filters) -> list[OutletCount]:
        where, params = ["1=1"], []
        if filters.since_bound:
            where.append("a.published_end > ?")
            params.append(filters.since_bound)
        if filters.until_bound:
            where.append("a.published_start < ?")
            params.append(filters.until_bound)
        ids = self.resolve_entities(filters.entity)
        if ids is not None:
            if not ids:
                return []
            marks = placeholders(ids)
            if len(where) == 1 and len(ids) == 1:
                # the whole store: the entity_outlets summary (kept at ingest)
                rows = self._all("SELECT outlet, articles FROM entity_outlets WHERE entity_id=? "
                                 "ORDER BY articles DESC, outlet", ids)
                return [OutletCount(r[0], int(r[1])) for r in rows]
            if self._mention_count(ids) >= COMMON_MENTIONS:
                where.append(f"EXISTS (SELECT 1 FROM mentions m WHERE m.entity_id IN ({marks}) AND m.article_id=a.id)")
            else:
                where.append(f"a.id IN (SELECT article_id FROM mentions WHERE entity_id IN ({marks}))")
            params.extend(ids)
        rows = self._all(f"SELECT a.outlet, count(*) AS n FROM articles a {{hint:articles_outlet_span}} "
                         f"WHERE {' AND '.join(where)} GROUP BY a.outlet ORDER BY n DESC, a.outlet", params)
        return [OutletCount(r[0], int(r[1])) for r in rows]

    # -- readers: articles -------------------------------------------------------------------------------
    _ARTICLE_COLS = ("a.id, a.title, a.outlet, a.outlet_evidence, a.published_start, a.published_end, a.precision, "
                     "a.url, a.lang, ea.event_id, a.duplicate_of, a.duplicate_kind")

    @staticmethod
    def _article_view(r, text: str | None) -> ArticleView:
        return ArticleView(r[0], r[1], r[2], r[3], published_iso(r[4], r[5], r[6]), r[6], r[7], r[8], r[9], r[10],
                           r[11], text)

    def articles(self, filters: Filters, *, event: str | None = None, limit: int | None = 100, offset: int = 0,
                 with_text: bool = False) -> list[ArticleView]:
        where, params, empty = self._article_filter(filters)
        if empty:
            return []
        if event:
            where.append("ea.event_id = ?")
            params.append(self.resolve_event(event))
        text = ", a.text" if with_text else ""
        sql = (f"SELECT {self._ARTICLE_COLS}{text} FROM articles a LEFT JOIN event_articles ea ON ea.article_id=a.id "
               f"WHERE {' AND '.join(['1=1', *where])} ORDER BY a.published_start NULLS FIRST, a.seq")
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params.extend([limit, offset])
        return [self._article_view(r, r[12] if with_text else None) for r in self._all(sql, params)]

    def article(self, article_id: str) -> ArticleView:
        row = self._one(f"SELECT {self._ARTICLE_COLS}, a.text FROM articles a LEFT JOIN event_articles ea "
                        "ON ea.article_id=a.id WHERE a.id=?", (article_id,))
        if row is None:
            raise NotFound(f"no article {article_id!r}")
        return self._article_view(row, row[12])

    def article_refs(self, article_ids: list[str]) -> dict[str, ArticleRef]:
        result = {}
        for chunk in iter_chunks(list(article_ids)):
            for r in self._all("SELECT id, outlet, published_start, published_end, precision, title, duplicate_of "
                               f"FROM articles WHERE id IN ({placeholders(chunk)})", chunk):
                result[r[0]] = ArticleRef(r[0], r[1], published_iso(r[2], r[3], r[4]), r[5], r[6])
        return result

    def copies_of(self, article_id: str, limit: int = 50) -> list[ArticleRef]:
        rows = self._all("SELECT id, outlet, published_start, published_end, precision, title, duplicate_of "
                         "FROM articles WHERE duplicate_of=? ORDER BY seq LIMIT ?", (article_id, limit))
        return [ArticleRef(r[0], r[1], published_iso(r[2], r[3], r[4]), r[5], r[6]) for r in rows]

    def article_ids(self) -> list[str]:
        return [r[0] for r in self._all("SELECT id FROM articles ORDER BY seq")]

    def load_items(self, article_ids: list[str]) -> dict[str, tuple[Article, list, list, list]]:
        if not article_ids:
            return {}
        marks = placeholders(article_ids)
        articles = {}
        for r in self._all("SELECT id, title, text, published_start, published_end, precision, outlet, url, lang, "
                           f"source, outlet_evidence FROM articles WHERE id IN ({marks})", article_ids):
            articles[r[0]] = Article(id=r[0], title=r[1], text=r[2], published=span_from_row(r[3], r[4], r[5]),
                                     outlet=r[6], url=r[7], lang=r[8], source=r[9], outlet_evidence=r[10])
        mentions: dict[str, list[Mention]] = {a: [] for a in articles}
        for r in self._all(
            'SELECT m.article_id, m.start, m."end", m.text, m.kind, m.role, e.id, e.name, e.type FROM mentions m '
            f"JOIN entities e ON e.id=m.entity_id WHERE m.article_id IN ({marks}) ORDER BY m.article_id, m.start, "
            'm."end", e.id', article_ids):
            try:
                etype, kind = EntityType(r[8]), MentionKind(r[4])
            except ValueError:
                continue
            mentions[r[0]].append(Mention(r[1], r[2], r[3], etype, r[6], r[7], kind, r[5]))
        dates: dict[str, list[DateMention]] = {a: [] for a in articles}
        for r in self._all(
            'SELECT article_id, start, "end", text, span_start, span_end, precision FROM date_mentions '
            f'WHERE article_id IN ({marks}) ORDER BY article_id, start, "end"', article_ids):
            span = span_from_row(r[4], r[5], r[6])
            if span is not None:
                dates[r[0]].append(DateMention(r[1], r[2], r[3], span))
        quotes: dict[str, list[Quote]] = {a: [] for a in articles}
        for r in self._all(
            'SELECT article_id, start, "end", text, kind, speaker, speaker_key, channel, channel_key, verb FROM quotes '
            f'WHERE article_id IN ({marks}) ORDER BY article_id, start, "end"', article_ids):
            quotes[r[0]].append(Quote(r[1], r[2], r[3], r[4], r[5], r[6], channel=r[7], channel_key=r[8], verb=r[9]))
        return {a: (articles[a], mentions[a], dates[a], quotes[a]) for a in articles}

    def mentions(self, article_id: str) -> list[MentionView]:
        return [MentionView(*r) for r in self._all(
            'SELECT m.start, m."end", m.text, m.kind, m.role, e.id, e.name, e.type FROM mentions m '
            'JOIN entities e ON e.id=m.entity_id WHERE m.article_id=? ORDER BY m.start, m."end", e.id', (article_id,))]

    def dates(self, article_id: str) -> list[DateMentionView]:
        return [DateMentionView(*r) for r in self._all(
            'SELECT start, "end", text, span_start, span_end, precision FROM date_mentions WHERE article_id=? '
            'ORDER BY start, "end"', (article_id,))]

    # -- readers: quotes ---------------------------------------------------------------------------------
    def quotes(self, filters: Filters, *, event: str | None = None, article: str | None = None,
               speaker: str | None = None, limit: int | None = None, offset: int = 0) -> list[QuoteView]:
        """Quotes and reported speech, in publication order; filters combine."""
        where, params, empty = self._article_filter(filters)
        if empty:
            return []
        if event:
            where.append("ea.event_id = ?")
            params.append(self.resolve_event(event))
        if article:
            if self._one("SELECT 1 FROM articles WHERE id=?", (article,)) is None:
                raise NotFound(f"no article {article!r}")
            where.append("q.article_id = ?")
            params.append(article)
        if speaker:
            needle = speaker.casefold()
            where.append("(lower(q.speaker) LIKE ? OR lower(q.speaker_key) = ? OR lower(q.speaker_key) LIKE ?)")
            params.extend([f"%{needle}%", needle, f"%:{needle}%"])
        sql = (f"{_QUOTE_SELECT} WHERE {' AND '.join(['1=1', *where])} "
               "ORDER BY a.published_start NULLS FIRST, a.seq, q.start, q.\"end\"")
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params.extend([limit, offset])
        return [_quote_view(r) for r in self._all(sql, params)]

    def event_quotes(self, event_id: str, limit: int = 60) -> list[QuoteView]:
        """An event's quotes from original articles (not copies), grouped by speaker."""
        return [_quote_view(r) for r in self._all(
            f"{_QUOTE_SELECT} WHERE ea.event_id=? AND a.duplicate_of IS NULL "
            "ORDER BY q.speaker IS NULL, q.speaker, a.outlet, q.start, a.seq LIMIT ?", (event_id, limit))]

    def event_entity_keys(self, event_ids: list[str]) -> dict[str, set[str]]:
        found: dict[str, set[str]] = {}
        for first in range(0, len(event_ids), 200):
            chunk = event_ids[first:first + 200]
            marks = ",".join("?" * len(chunk))
            for event_id, entity_id, name in self._all(
                    f"SELECT DISTINCT ea.event_id, e.id, e.name FROM event_articles ea JOIN mentions m ON "
                    f"m.article_id=ea.article_id JOIN entities e ON e.id=m.entity_id WHERE ea.event_id IN ({marks})",
                    chunk):
                found.setdefault(event_id, set()).update((entity_id, (name or "").casefold()))
        return found

    def article_quotes(self, article_id: str) -> list[QuoteView]:
        return [_quote_view(r) for r in self._all(f'{_QUOTE_SELECT} WHERE q.article_id=? ORDER BY q.start, q."end"',
                                                  (article_id,))]

    def quotes_by(self, entity_id: str, limit: int = 30) -> list[QuoteView]:
        return [_quote_view(r) for r in self._all(
            f"{_QUOTE_SELECT} WHERE q.speaker_key=? ORDER BY a.published_start DESC NULLS LAST, a.seq DESC, q.start "
            "LIMIT ?", (entity_id, limit))]

    def quotes_about(self, entity_id: str, limit: int = 20, from_articles: int = 400) -> list[QuoteView]:
        """Quotes that mention the entity, said by someone else, from its most recent articles, newest first."""
        recent = self._recent_articles_sql(entity_id)
        return [_quote_view(r) for r in self._all(
            f"{_QUOTE_SELECT} WHERE q.article_id IN (SELECT x.id FROM ({recent}) x) "
            "AND EXISTS (SELECT 1 FROM mentions m WHERE m.article_id=q.article_id AND m.entity_id=? "
            'AND m.start >= q.start AND m."end" <= q."end") AND (q.speaker_key IS NULL OR q.speaker_key != ?) '
            "ORDER BY a.seq DESC, q.start LIMIT ?", (entity_id, from_articles, entity_id, entity_id, limit))]

    def quote_spans(self) -> list[tuple[str, int, int, str, str, str | None, str | None]]:
        return [tuple(r) for r in self._all(
            'SELECT article_id, start, "end", text, kind, speaker, channel FROM quotes ORDER BY article_id, start')]

    # -- export --------------------------------------------------------------------------------------------
    def export_rows(self) -> list[ExportRow]:
        names: dict[str, set[str]] = {}
        for article_id, name in self._all("SELECT DISTINCT m.article_id, e.name FROM mentions m "
                                          "JOIN entities e ON e.id=m.entity_id"):
            names.setdefault(article_id, set()).add(name)
        rows = []
        for r in self._all(
            "SELECT a.id, a.title, a.outlet, a.published_start, a.published_end, a.precision, a.url, a.lang, "
            "a.duplicate_of, ea.event_id, ev.title, ev.storyline_id, a.text FROM articles a "
            "LEFT JOIN event_articles ea ON ea.article_id=a.id LEFT JOIN events ev ON ev.id=ea.event_id ORDER BY a.seq"):
            rows.append(ExportRow(r[0], r[1], r[2], published_iso(r[3], r[4], r[5]), r[5], r[6], r[7], r[8], r[9],
                                  r[10], r[11], "; ".join(sorted(names.get(r[0], ()))), r[12]))
        return rows

    # -- the comparison cache ----------------------------------------------------------------------------
    def cached_comparison(self, event_id: str, n_articles: int, version: int) -> str | None:
        row = self._one("SELECT n_articles, version, json FROM comparison_cache WHERE event_id=?", (event_id,))
        if row is not None and row[0] == n_articles and row[1] == version:
            return row[2]
        return None

    def keep_comparison(self, event_id: str, n_articles: int, version: int, data: str) -> None:
        self._execute("INSERT INTO comparison_cache(event_id, n_articles, version, json) VALUES (?,?,?,?) "
                      "ON CONFLICT(event_id) DO UPDATE SET n_articles=excluded.n_articles, version=excluded.version, "
                      "json=excluded.json", (event_id, n_articles, version, data))

    def events_needing_comparison(self, min_articles: int, version: int) -> list[str]:
        return [r[0] for r in self._all(
            "SELECT e.id FROM events e LEFT JOIN comparison_cache c ON c.event_id=e.id "
            "WHERE e.redirect_to IS NULL AND e.n_articles >= ? AND (c.event_id IS NULL OR c.n_articles != e.n_articles "
            "OR c.version != ?) ORDER BY e.n_articles DESC, e.id", (min_articles, version))]
