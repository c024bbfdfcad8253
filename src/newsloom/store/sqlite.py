"""The default store: one SQLite file (WAL mode), a schema version with migrations, one transaction per batch."""
from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from importlib import resources

import numpy as np

from newsloom.errors import StoreError
from newsloom.records import Analysis, Article, Precision, TimeSpan

SCHEMA_VERSION = 4
# version -> SQL that upgrades from version-1; version 1 is the schema file itself.
MIGRATIONS: dict[int, str] = {
    # 2: full-text search over lemmatised titles and texts (rowid = articles.seq; filled by newsloom.search at
    # ingest and lazily for articles missing from it), and covering indexes for the web pages.
    2: """
        CREATE VIRTUAL TABLE IF NOT EXISTS article_fts USING fts5(title, body, content='', tokenize='unicode61');
        CREATE INDEX IF NOT EXISTS mentions_entity_article ON mentions(entity_id, article_id, text);
        CREATE INDEX IF NOT EXISTS articles_duplicate_of ON articles(duplicate_of);
        CREATE INDEX IF NOT EXISTS date_mentions_span ON date_mentions(article_id, span_start);
        CREATE INDEX IF NOT EXISTS articles_outlet_published ON articles(outlet, published_start);
        CREATE INDEX IF NOT EXISTS events_live_start ON events(redirect_to, start)
    """,
    # 3: computed coverage comparisons, kept until the event changes (its article count) or the code does
    3: """
        CREATE TABLE IF NOT EXISTS comparison_cache (
            event_id TEXT PRIMARY KEY, n_articles INTEGER NOT NULL, version INTEGER NOT NULL, json TEXT NOT NULL)
    """,
    # 4: web page latency on large stores: covering indexes (articles' metadata without reading their text,
    # article <-> event both ways, live events per storyline) and per-entity summaries kept at ingest in the batch
    # transaction (Store.insert_article, Store.merge_entity): mentions and articles per entity, articles per
    # entity and outlet.
    4: """
        CREATE INDEX IF NOT EXISTS articles_id_meta ON articles(id, seq, outlet, published_start, published_end);
        CREATE INDEX IF NOT EXISTS articles_outlet_span ON articles(outlet, published_start, published_end, id);
        CREATE INDEX IF NOT EXISTS event_articles_article_event ON event_articles(article_id, event_id);
        CREATE INDEX IF NOT EXISTS event_articles_event_article ON event_articles(event_id, article_id);
        CREATE INDEX IF NOT EXISTS events_storyline_live ON events(storyline_id, redirect_to, start, end);
        CREATE TABLE IF NOT EXISTS entity_stats (
            entity_id TEXT PRIMARY KEY, mentions INTEGER NOT NULL, articles INTEGER NOT NULL);
        CREATE INDEX IF NOT EXISTS entity_stats_mentions ON entity_stats(mentions);
        CREATE TABLE IF NOT EXISTS entity_outlets (
            entity_id TEXT NOT NULL, outlet TEXT NOT NULL, articles INTEGER NOT NULL,
            PRIMARY KEY (entity_id, outlet)) WITHOUT ROWID;
        DELETE FROM entity_stats;
        DELETE FROM entity_outlets;
        INSERT INTO entity_stats(entity_id, mentions, articles)
            SELECT entity_id, count(*), count(DISTINCT article_id) FROM mentions GROUP BY entity_id;
        INSERT INTO entity_outlets(entity_id, outlet, articles)
            SELECT m.entity_id, a.outlet, count(*)
            FROM (SELECT DISTINCT entity_id, article_id FROM mentions) m JOIN articles a ON a.id=m.article_id
            GROUP BY m.entity_id, a.outlet
    """,
}


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat(timespec="minutes") if value is not None else None


def _dt(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def span_from_row(start: str | None, end: str | None, precision: str | None) -> TimeSpan | None:
    if not start or not end or not precision:
        return None
    return TimeSpan(_dt(start), _dt(end), Precision(precision))


class Store:
    def __init__(self, path: str):
        self.path = path
        try:
            self.db = sqlite3.connect(path, timeout=30, isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open store {path}: {exc}") from exc
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("PRAGMA foreign_keys=ON")
        self._migrate()

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- schema ------------------------------------------------------------------------------------------
    def _migrate(self) -> None:
        has_meta = self.db.execute("SELECT name FROM sqlite_master WHERE name='meta'").fetchone()
        version = 0
        if has_meta:
            row = self.db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
            version = int(row[0]) if row else 0
        if version > SCHEMA_VERSION:
            raise StoreError(f"{self.path} has schema version {version}; this newsloom knows up to {SCHEMA_VERSION}")
        if version == SCHEMA_VERSION:
            return
        with self.transaction():
            if version == 0:
                schema = resources.files("newsloom.store").joinpath("schema.sql").read_text("utf-8")
                for statement in schema.split(";"):
                    if statement.strip():
                        self.db.execute(statement)
                version = 1
            while version < SCHEMA_VERSION:
                version += 1
                for statement in MIGRATIONS[version].split(";"):
                    if statement.strip():
                        self.db.execute(statement)
            self.db.execute(
                "INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),)
            )

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        else:
            self.db.execute("COMMIT")

    # -- articles ----------------------------------------------------------------------------------------
    def known_ids(self, ids: Iterable[str]) -> set[str]:
        ids = list(ids)
        found: set[str] = set()
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            marks = ",".join("?" * len(chunk))
            found.update(r[0] for r in self.db.execute(f"SELECT id FROM articles WHERE id IN ({marks})", chunk))
        return found

    def article_by_hash(self, text_hash: str) -> str | None:
        row = self.db.execute("SELECT id FROM articles WHERE text_hash=? ORDER BY seq LIMIT 1", (text_hash,)).fetchone()
        return row[0] if row else None

    def near_candidates(self, bucket_keys: list[int]) -> list[tuple[str, np.ndarray]]:
        marks = ",".join("?" * len(bucket_keys))
        rows = self.db.execute(
            f"SELECT DISTINCT s.article_id, s.sig FROM lsh_buckets b JOIN signatures s ON s.article_id=b.article_id "
            f"WHERE b.bucket IN ({marks}) LIMIT 50",
            bucket_keys,
        ).fetchall()
        return [(r[0], np.frombuffer(r[1], dtype=np.uint64)) for r in rows]

    def insert_article(
        self, article: Article, analysis: Analysis, *, text_hash: str, signature: np.ndarray, bucket_keys: list[int],
        duplicate_of: str | None, duplicate_kind: str | None, entity_ids: list[str],
    ) -> None:
        span = article.published
        db = self.db
        db.execute(
            "INSERT INTO articles(id, title, text, published_start, published_end, precision, outlet, outlet_evidence,"
            " url, lang, source, text_hash, duplicate_of, duplicate_kind) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                article.id, article.title, article.text, _iso(span.start) if span else None,
                _iso(span.end) if span else None, span.precision.value if span else None, article.outlet,
                article.outlet_evidence, article.url, article.lang, article.source, text_hash, duplicate_of,
                duplicate_kind,
            ),
        )
        db.execute("INSERT OR REPLACE INTO signatures(article_id, sig) VALUES (?,?)", (article.id, signature.tobytes()))
        db.executemany("INSERT INTO lsh_buckets(bucket, article_id) VALUES (?,?)", [(b, article.id) for b in bucket_keys])
        db.executemany(
            "INSERT INTO mentions(article_id, entity_id, start, end, text, kind, role) VALUES (?,?,?,?,?,?,?)",
            [
                (article.id, entity_id, m.start, m.end, m.text, m.kind.value, m.role)
                for m, entity_id in zip(analysis.mentions, entity_ids)
            ],
        )
        db.executemany(
            "INSERT INTO date_mentions(article_id, start, end, text, span_start, span_end, precision) VALUES (?,?,?,?,?,?,?)",
            [
                (article.id, d.start, d.end, d.text, _iso(d.span.start), _iso(d.span.end), d.span.precision.value)
                for d in analysis.dates
            ],
        )
        db.executemany(
            "INSERT INTO quotes(article_id, start, end, text, kind, speaker, speaker_key, channel, channel_key, verb)"
            " VALUES (?,?,?,?,?,?,?,?,?,?)",
            [
                (article.id, q.start, q.end, q.text, q.kind, q.speaker, q.speaker_key, q.channel, q.channel_key, q.verb)
                for q in analysis.quotes
            ],
        )
        self._count_entities(entity_ids, article.outlet)

    def _count_entities(self, entity_ids: list[str], outlet: str) -> None:
        """Keep the per-entity summaries (schema 4) in step with one newly inserted article's mentions."""
        per_entity: dict[str, int] = {}
        for entity_id in entity_ids:
            per_entity[entity_id] = per_entity.get(entity_id, 0) + 1
        if not per_entity:
            return
        db = self.db
        db.executemany(
            "INSERT INTO entity_stats(entity_id, mentions, articles) VALUES (?,?,1) ON CONFLICT(entity_id) "
            "DO UPDATE SET mentions=mentions+excluded.mentions, articles=articles+1", list(per_entity.items()))
        db.executemany(
            "INSERT INTO entity_outlets(entity_id, outlet, articles) VALUES (?,?,1) ON CONFLICT(entity_id, outlet) "
            "DO UPDATE SET articles=articles+1", [(e, outlet) for e in per_entity])

    def recount_entity(self, entity_id: str) -> None:
        """Recompute the per-entity summaries of one entity from its mentions (after a merge)."""
        db = self.db
        for table in ("entity_stats", "entity_outlets"):
            db.execute(f"DELETE FROM {table} WHERE entity_id=?", (entity_id,))
        db.execute("INSERT INTO entity_stats(entity_id, mentions, articles) SELECT entity_id, count(*), "
                   "count(DISTINCT article_id) FROM mentions WHERE entity_id=? GROUP BY entity_id", (entity_id,))
        db.execute("INSERT INTO entity_outlets(entity_id, outlet, articles) SELECT ?, a.outlet, count(*) "
                   "FROM (SELECT DISTINCT article_id FROM mentions WHERE entity_id=?) m "
                   "JOIN articles a ON a.id=m.article_id GROUP BY a.outlet", (entity_id, entity_id))

    # -- entities ----------------------------------------------------------------------------------------
    def entity_for_alias(self, alias: str) -> str | None:
        row = self.db.execute("SELECT entity_id FROM entity_aliases WHERE alias=?", (alias,)).fetchone()
        return row[0] if row else None

    def upsert_entity(self, entity_id: str, name: str, etype: str) -> None:
        self.db.execute("INSERT OR IGNORE INTO entities(id, name, type) VALUES (?,?,?)", (entity_id, name, etype))

    def add_alias(self, alias: str, entity_id: str) -> None:
        self.db.execute("INSERT OR IGNORE INTO entity_aliases(alias, entity_id) VALUES (?,?)", (alias, entity_id))

    def merge_entity(self, old_id: str, new_id: str) -> None:
        """Fold entity ``old_id`` into ``new_id`` (e.g. a surname-only entity into the full name)."""
        if old_id == new_id:
            return
        self.db.execute("UPDATE entities SET redirect_to=? WHERE id=?", (new_id, old_id))
        self.db.execute("UPDATE entities SET redirect_to=? WHERE redirect_to=?", (new_id, old_id))
        self.db.execute("UPDATE mentions SET entity_id=? WHERE entity_id=?", (new_id, old_id))
        self.db.execute("UPDATE entity_aliases SET entity_id=? WHERE entity_id=?", (new_id, old_id))
        self.db.execute("UPDATE quotes SET speaker_key=? WHERE speaker_key=?", (new_id, old_id))
        self.db.execute("UPDATE quotes SET channel_key=? WHERE channel_key=?", (new_id, old_id))
        self.recount_entity(old_id)
        self.recount_entity(new_id)

    # -- events and storylines ---------------------------------------------------------------------------
    def save_event(self, event) -> None:
        self.db.execute(
            "INSERT INTO events(id, title, start, end, precision, storyline_id, n_articles, state)"
            " VALUES (?,?,?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET title=excluded.title, start=excluded.start,"
            " end=excluded.end, precision=excluded.precision, storyline_id=excluded.storyline_id,"
            " n_articles=excluded.n_articles, state=excluded.state",
            (
                event.id, event.title, _iso(event.start), _iso(event.end), event.precision, event.storyline_id,
                event.n_articles, json.dumps(event.to_json(), ensure_ascii=False),
            ),
        )

    def redirect_event(self, old_id: str, new_id: str) -> None:
        self.db.execute("UPDATE events SET redirect_to=?, n_articles=0 WHERE id=?", (new_id, old_id))
        self.db.execute("UPDATE event_articles SET event_id=? WHERE event_id=?", (new_id, old_id))

    def assign_article(self, article_id: str, event_id: str, score: float) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO event_articles(article_id, event_id, score) VALUES (?,?,?)",
            (article_id, event_id, score),
        )

    def save_storyline(self, storyline) -> None:
        self.db.execute(
            "INSERT INTO storylines(id, title, start, end, state) VALUES (?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET"
            " title=excluded.title, start=excluded.start, end=excluded.end, state=excluded.state",
            (storyline.id, storyline.title, _iso(storyline.start), _iso(storyline.end),
             json.dumps(storyline.to_json(), ensure_ascii=False)),
        )
        marks = ",".join("?" * len(storyline.event_ids))
        self.db.execute(f"UPDATE events SET storyline_id=? WHERE id IN ({marks})", [storyline.id, *storyline.event_ids])

    def save_term_stats(self, changes: dict[str, int]) -> None:
        self.db.executemany(
            "INSERT INTO term_stats(term, df) VALUES (?,?) ON CONFLICT(term) DO UPDATE SET df=excluded.df",
            list(changes.items()),
        )

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?,?)", (key, value))

    def get_meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else None
