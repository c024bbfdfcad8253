"""The state of ``newsloom watch``: feeds, items seen, watches and alerts (SQLite, in the store's file).

The tables live beside the article store's tables in the same SQLite file, with their own schema version
(``watch_meta``), so that the article store's schema and this one evolve apart. Every method takes and returns
typed records; the SQL is plain (``INSERT ... ON CONFLICT``, no SQLite-only upserts) so that a PostgreSQL
version is a matter of placeholders and types.

Items go through two states: ``pending`` (fetched; the article record waits in ``payload``) and then
``stored`` (handed to the ingest; payload dropped) or ``failed`` (the ingest refused it). A watch process that
is killed at any moment finds its pending items on restart and ingests them without fetching them again;
the ingest itself skips articles already stored, so nothing is stored twice.
"""
from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from newsloom.errors import StoreError
from newsloom.store import is_postgres

WATCH_SCHEMA_VERSION = 1

SCHEMA = """
CREATE TABLE IF NOT EXISTS watch_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS watch_feeds (
    url TEXT PRIMARY KEY,
    outlet TEXT,
    title TEXT,
    active INTEGER NOT NULL DEFAULT 1,
    etag TEXT,
    last_modified TEXT,
    last_polled REAL,
    last_success REAL,
    last_error TEXT,
    last_error_at REAL,
    failures INTEGER NOT NULL DEFAULT 0,
    errors INTEGER NOT NULL DEFAULT 0,
    next_poll REAL,
    added REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS watch_items (
    article_id TEXT PRIMARY KEY,
    feed_url TEXT NOT NULL,
    url TEXT,
    outlet TEXT,
    state TEXT NOT NULL,
    payload TEXT,
    content_hash TEXT,
    source TEXT,
    reason TEXT,
    first_seen REAL NOT NULL,
    stored_at REAL
);
CREATE INDEX IF NOT EXISTS watch_items_state ON watch_items(state);
CREATE INDEX IF NOT EXISTS watch_items_feed ON watch_items(feed_url, state);
CREATE INDEX IF NOT EXISTS watch_items_hash ON watch_items(outlet, content_hash);
CREATE INDEX IF NOT EXISTS watch_items_stored ON watch_items(stored_at);
CREATE TABLE IF NOT EXISTS watch_keys (key TEXT PRIMARY KEY, article_id TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS watches (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    value TEXT NOT NULL,
    created REAL NOT NULL,
    UNIQUE (kind, value)
);
CREATE TABLE IF NOT EXISTS watch_events (
    watch_id INTEGER NOT NULL,
    event_id TEXT NOT NULL,
    matched REAL NOT NULL,
    PRIMARY KEY (watch_id, event_id)
);
CREATE TABLE IF NOT EXISTS alerts (
    id INTEGER PRIMARY KEY,
    created REAL NOT NULL,
    watch_id INTEGER NOT NULL,
    watch_kind TEXT NOT NULL,
    watch_value TEXT NOT NULL,
    kind TEXT NOT NULL,
    event_id TEXT NOT NULL,
    event_title TEXT NOT NULL,
    detail TEXT NOT NULL,
    outlet TEXT,
    article_id TEXT,
    webhook_done INTEGER NOT NULL DEFAULT 0,
    file_done INTEGER NOT NULL DEFAULT 0,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    UNIQUE (watch_id, event_id, kind, detail)
);
CREATE INDEX IF NOT EXISTS alerts_created ON alerts(created);
"""

# version -> SQL that upgrades from version-1 (version 1 is SCHEMA itself)
MIGRATIONS: dict[int, str] = {}

ITEM_PENDING, ITEM_STORED, ITEM_FAILED = "pending", "stored", "failed"
WATCH_KINDS = ("entity", "query")
ALERT_KINDS = ("new_event", "matched_event", "new_outlet", "new_claim")


@dataclass
class FeedState:
    url: str
    outlet: str | None = None
    title: str | None = None
    active: bool = True
    etag: str | None = None
    last_modified: str | None = None
    last_polled: float | None = None
    last_success: float | None = None
    last_error: str | None = None
    last_error_at: float | None = None
    failures: int = 0  # failures in a row (the back-off)
    errors: int = 0  # failures ever
    next_poll: float | None = None
    items: int = 0  # items stored from this feed
    pending: int = 0  # items fetched and not yet ingested

    def to_json(self) -> dict:
        return {
            "url": self.url, "outlet": self.outlet, "title": self.title, "active": self.active,
            "last_polled": _iso(self.last_polled), "last_success": _iso(self.last_success),
            "last_error": self.last_error, "last_error_at": _iso(self.last_error_at), "failures": self.failures,
            "errors": self.errors, "next_poll": _iso(self.next_poll), "items": self.items, "pending": self.pending,
        }


@dataclass
class PendingItem:
    """A fetched feed item: the article record (file-format fields) waiting for the ingest."""

    article_id: str
    feed_url: str
    url: str | None
    outlet: str | None
    keys: list[str]
    record: dict
    content_hash: str | None = None
    source: str = "page"  # "page" (text extracted from the article page) or "summary" (the feed's text)


@dataclass
class Watch:
    id: int
    kind: str  # "entity" or "query"
    value: str
    created: float

    def to_json(self) -> dict:
        return {"id": self.id, "kind": self.kind, "value": self.value, "created": _iso(self.created)}


@dataclass
class AlertDraft:
    watch: Watch
    kind: str  # ALERT_KINDS
    event_id: str
    event_title: str
    detail: str
    outlet: str | None = None
    article_id: str | None = None


@dataclass
class Alert:
    id: int
    created: float
    watch_id: int
    watch_kind: str
    watch_value: str
    kind: str
    event_id: str
    event_title: str
    detail: str
    outlet: str | None = None
    article_id: str | None = None
    webhook_done: bool = False
    file_done: bool = False
    attempts: int = 0
    last_error: str | None = None
    extra: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        return {
            "id": self.id, "created": _iso(self.created), "watch": {"id": self.watch_id, "kind": self.watch_kind,
                                                                     "value": self.watch_value},
            "kind": self.kind, "event_id": self.event_id, "event_title": self.event_title, "detail": self.detail,
            "outlet": self.outlet, "article_id": self.article_id,
        }


def _iso(stamp: float | None) -> str | None:
    if stamp is None:
        return None
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(stamp))


class WatchStore:
    """Feeds, seen items, watches and alerts of one store file."""

    def __init__(self, path: str):
        self.path = path
        if is_postgres(path):
            raise StoreError("the watch state (feeds, seen items, watches, alerts) is kept in SQLite stores only "
                             "so far; use a SQLite store file with newsloom watch")
        try:
            self.db = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open store {path}: {exc}") from exc
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self._migrate()

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "WatchStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- schema ------------------------------------------------------------------------------------------
    def _migrate(self) -> None:
        version = 0
        if self.db.execute("SELECT name FROM sqlite_master WHERE name='watch_meta'").fetchone():
            row = self.db.execute("SELECT value FROM watch_meta WHERE key='schema_version'").fetchone()
            version = int(row[0]) if row else 0
        if version > WATCH_SCHEMA_VERSION:
            raise StoreError(f"{self.path} has watch schema version {version}; this newsloom knows up to "
                             f"{WATCH_SCHEMA_VERSION}")
        if version == WATCH_SCHEMA_VERSION:
            return
        with self.transaction():
            if version == 0:
                _run_script(self.db, SCHEMA)
                version = 1
            while version < WATCH_SCHEMA_VERSION:
                version += 1
                _run_script(self.db, MIGRATIONS[version])
            self.db.execute("INSERT INTO watch_meta(key, value) VALUES ('schema_version', ?) "
                            "ON CONFLICT(key) DO UPDATE SET value=excluded.value", (str(WATCH_SCHEMA_VERSION),))

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

    # -- feeds -------------------------------------------------------------------------------------------
    def sync_feeds(self, feeds: Iterable[tuple[str, str | None]], *, now: float | None = None) -> tuple[int, int]:
        """Make these ``(url, outlet)`` feeds the active ones; feeds not listed are deactivated (their state is
        kept). Returns (added, deactivated)."""
        now = time.time() if now is None else now
        feeds = list(feeds)
        with self.transaction():
            before = {r[0] for r in self.db.execute("SELECT url FROM watch_feeds")}
            for url, outlet in feeds:
                self.db.execute(
                    "INSERT INTO watch_feeds(url, outlet, active, added) VALUES (?,?,1,?) "
                    "ON CONFLICT(url) DO UPDATE SET outlet=excluded.outlet, active=1", (url, outlet, now))
            listed = {url for url, _ in feeds}
            gone = [url for url in before - listed]
            for url in gone:
                self.db.execute("UPDATE watch_feeds SET active=0 WHERE url=?", (url,))
        return len(listed - before), len(gone)

    def feeds(self, *, active_only: bool = True) -> list[FeedState]:
        counts: dict[tuple[str, str], int] = {}
        for r in self.db.execute("SELECT feed_url, state, count(*) FROM watch_items GROUP BY feed_url, state"):
            counts[(r[0], r[1])] = r[2]
        sql = "SELECT * FROM watch_feeds" + (" WHERE active=1" if active_only else "") + " ORDER BY url"
        return [self._feed(r, counts) for r in self.db.execute(sql)]

    def feed(self, url: str) -> FeedState | None:
        row = self.db.execute("SELECT * FROM watch_feeds WHERE url=?", (url,)).fetchone()
        if row is None:
            return None
        counts = {(url, r[0]): r[1] for r in self.db.execute(
            "SELECT state, count(*) FROM watch_items WHERE feed_url=? GROUP BY state", (url,))}
        return self._feed(row, counts)

    @staticmethod
    def _feed(r, counts: dict) -> FeedState:
        return FeedState(
            url=r["url"], outlet=r["outlet"], title=r["title"], active=bool(r["active"]), etag=r["etag"],
            last_modified=r["last_modified"], last_polled=r["last_polled"], last_success=r["last_success"],
            last_error=r["last_error"], last_error_at=r["last_error_at"], failures=r["failures"],
            errors=r["errors"], next_poll=r["next_poll"], items=counts.get((r["url"], ITEM_STORED), 0),
            pending=counts.get((r["url"], ITEM_PENDING), 0))

    def due_feeds(self, now: float, *, ignore_interval: bool = False) -> list[FeedState]:
        """Active feeds whose next poll has come (never polled ones first). With ``ignore_interval``, every feed
        that is not backing off after failures."""
        return [f for f in self.feeds() if f.next_poll is None or f.next_poll <= now
                or (ignore_interval and f.failures == 0)]

    def next_due(self) -> float | None:
        row = self.db.execute("SELECT min(coalesce(next_poll, 0)) FROM watch_feeds WHERE active=1").fetchone()
        return row[0] if row else None

    def feed_succeeded(self, url: str, *, polled: float, next_poll: float, etag: str | None,
                       last_modified: str | None, title: str | None) -> None:
        self.db.execute(
            "UPDATE watch_feeds SET last_polled=?, last_success=?, next_poll=?, failures=0, "
            "etag=coalesce(?, etag), last_modified=coalesce(?, last_modified), title=coalesce(?, title) WHERE url=?",
            (polled, polled, next_poll, etag, last_modified, title, url))

    def feed_failed(self, url: str, *, polled: float, error: str, next_poll: float) -> None:
        """Count a failure in a row (the caller's back-off set ``next_poll`` from ``failures + 1``)."""
        self.db.execute(
            "UPDATE watch_feeds SET last_polled=?, last_error=?, last_error_at=?, failures=failures+1, "
            "errors=errors+1, next_poll=? WHERE url=?", (polled, error, polled, next_poll, url))

    # -- items -------------------------------------------------------------------------------------------
    def known_keys(self, keys: Iterable[str]) -> dict[str, str]:
        """Which of these item keys were seen before: key -> article id."""
        keys = list(dict.fromkeys(keys))
        found: dict[str, str] = {}
        for i in range(0, len(keys), 500):
            chunk = keys[i : i + 500]
            marks = ",".join("?" * len(chunk))
            found.update((r[0], r[1]) for r in self.db.execute(
                f"SELECT key, article_id FROM watch_keys WHERE key IN ({marks})", chunk))
        return found

    def add_keys(self, keys: Iterable[str], article_id: str) -> None:
        """Remember further keys of an item already recorded (e.g. a copy under a new address)."""
        self.db.executemany("INSERT INTO watch_keys(key, article_id) VALUES (?,?) ON CONFLICT(key) DO NOTHING",
                            [(k, article_id) for k in keys])

    def content_owner(self, outlet: str | None, content_hash: str) -> str | None:
        """The article id of an item of the same outlet with the same text, if any."""
        row = self.db.execute(
            "SELECT article_id FROM watch_items WHERE outlet IS ? AND content_hash=? LIMIT 1",
            (outlet, content_hash)).fetchone()
        return row[0] if row else None

    def add_pending(self, item: PendingItem, *, now: float | None = None) -> bool:
        """Record a fetched item and its keys (one transaction). False when its article id is already known."""
        now = time.time() if now is None else now
        with self.transaction():
            cursor = self.db.execute(
                "INSERT INTO watch_items(article_id, feed_url, url, outlet, state, payload, content_hash, source, "
                "first_seen) VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT(article_id) DO NOTHING",
                (item.article_id, item.feed_url, item.url, item.outlet, ITEM_PENDING,
                 json.dumps(item.record, ensure_ascii=False), item.content_hash, item.source, now))
            self.add_keys(item.keys, item.article_id)
        return cursor.rowcount == 1

    def pending(self, limit: int | None = None) -> list[PendingItem]:
        sql = "SELECT * FROM watch_items WHERE state=? ORDER BY first_seen, article_id"
        params: list = [ITEM_PENDING]
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return [PendingItem(article_id=r["article_id"], feed_url=r["feed_url"], url=r["url"], outlet=r["outlet"],
                            keys=[], record=json.loads(r["payload"]), content_hash=r["content_hash"],
                            source=r["source"] or "page") for r in self.db.execute(sql, params)]

    def pending_count(self) -> int:
        return self.db.execute("SELECT count(*) FROM watch_items WHERE state=?", (ITEM_PENDING,)).fetchone()[0]

    def mark_stored(self, article_ids: Iterable[str], *, now: float | None = None) -> None:
        now = time.time() if now is None else now
        self.db.executemany(
            "UPDATE watch_items SET state=?, payload=NULL, stored_at=? WHERE article_id=? AND state=?",
            [(ITEM_STORED, now, a, ITEM_PENDING) for a in article_ids])

    def mark_failed(self, article_id: str, reason: str) -> None:
        self.db.execute("UPDATE watch_items SET state=?, payload=NULL, reason=? WHERE article_id=?",
                        (ITEM_FAILED, reason, article_id))

    def item_states(self) -> dict[str, int]:
        return {r[0]: r[1] for r in self.db.execute("SELECT state, count(*) FROM watch_items GROUP BY state")}

    def recent_items(self, since: float, limit: int = 5000) -> list[tuple[str, float]]:
        """(article id, stored at) of items stored since ``since``, newest first."""
        return [(r[0], r[1]) for r in self.db.execute(
            "SELECT article_id, stored_at FROM watch_items WHERE state=? AND stored_at>=? "
            "ORDER BY stored_at DESC LIMIT ?", (ITEM_STORED, since, limit))]

    # -- watches -----------------------------------------------------------------------------------------
    def add_watch(self, kind: str, value: str, *, now: float | None = None) -> Watch:
        now = time.time() if now is None else now
        self.db.execute("INSERT INTO watches(kind, value, created) VALUES (?,?,?) ON CONFLICT(kind, value) "
                        "DO NOTHING", (kind, value, now))
        row = self.db.execute("SELECT * FROM watches WHERE kind=? AND value=?", (kind, value)).fetchone()
        return _watch(row)

    def watches(self) -> list[Watch]:
        return [_watch(r) for r in self.db.execute("SELECT * FROM watches ORDER BY id")]

    def watch(self, watch_id: int) -> Watch | None:
        row = self.db.execute("SELECT * FROM watches WHERE id=?", (watch_id,)).fetchone()
        return _watch(row) if row else None

    def remove_watch(self, watch_id: int) -> bool:
        with self.transaction():
            cursor = self.db.execute("DELETE FROM watches WHERE id=?", (watch_id,))
            self.db.execute("DELETE FROM watch_events WHERE watch_id=?", (watch_id,))
        return cursor.rowcount == 1

    def watched_events(self, watch_id: int) -> set[str]:
        return {r[0] for r in self.db.execute("SELECT event_id FROM watch_events WHERE watch_id=?", (watch_id,))}

    def is_watched(self, watch_id: int, event_id: str) -> bool:
        return self.db.execute("SELECT 1 FROM watch_events WHERE watch_id=? AND event_id=?",
                               (watch_id, event_id)).fetchone() is not None

    # -- alerts ------------------------------------------------------------------------------------------
    def record_alerts(self, drafts: list[AlertDraft], *, now: float | None = None) -> list[int]:
        """Store alerts (one already recorded, same watch, event, kind and detail, is not stored again) and the
        watch -> event links of matches. Returns the ids of the new alerts."""
        now = time.time() if now is None else now
        new_ids = []
        with self.transaction():
            for d in drafts:
                self.db.execute("INSERT INTO watch_events(watch_id, event_id, matched) VALUES (?,?,?) "
                                "ON CONFLICT(watch_id, event_id) DO NOTHING", (d.watch.id, d.event_id, now))
                cursor = self.db.execute(
                    "INSERT INTO alerts(created, watch_id, watch_kind, watch_value, kind, event_id, event_title, "
                    "detail, outlet, article_id) VALUES (?,?,?,?,?,?,?,?,?,?) "
                    "ON CONFLICT(watch_id, event_id, kind, detail) DO NOTHING",
                    (now, d.watch.id, d.watch.kind, d.watch.value, d.kind, d.event_id, d.event_title, d.detail,
                     d.outlet, d.article_id))
                if cursor.rowcount == 1:
                    new_ids.append(cursor.lastrowid)
        return new_ids

    def alerts(self, *, limit: int = 50, offset: int = 0, watch_id: int | None = None) -> list[Alert]:
        sql, params = "SELECT * FROM alerts", []
        if watch_id is not None:
            sql += " WHERE watch_id=?"
            params.append(watch_id)
        sql += " ORDER BY created DESC, id DESC LIMIT ? OFFSET ?"
        params.extend([limit, offset])
        return [_alert(r) for r in self.db.execute(sql, params)]

    def alert_count(self) -> int:
        return self.db.execute("SELECT count(*) FROM alerts").fetchone()[0]

    def undelivered(self, *, webhook: bool, file: bool, max_attempts: int) -> list[Alert]:
        """Alerts still owed to a configured channel (a webhook given up on after ``max_attempts``; with
        ``max_attempts`` 1, only alerts never tried)."""
        clauses = []
        if webhook:
            clauses.append(f"(webhook_done=0 AND attempts<{int(max_attempts)})")
        if file:
            clauses.append("file_done=0")
        if not clauses:
            return []
        return [_alert(r) for r in self.db.execute(
            f"SELECT * FROM alerts WHERE {' OR '.join(clauses)} ORDER BY id LIMIT 1000")]

    def alert_delivered(self, alert_id: int, channel: str) -> None:
        column = {"webhook": "webhook_done", "file": "file_done"}[channel]
        self.db.execute(f"UPDATE alerts SET {column}=1 WHERE id=?", (alert_id,))

    def alert_failed(self, alert_id: int, error: str) -> None:
        self.db.execute("UPDATE alerts SET attempts=attempts+1, last_error=? WHERE id=?", (error, alert_id))


def _watch(row) -> Watch:
    return Watch(id=row["id"], kind=row["kind"], value=row["value"], created=row["created"])


def _alert(r) -> Alert:
    return Alert(id=r["id"], created=r["created"], watch_id=r["watch_id"], watch_kind=r["watch_kind"],
                 watch_value=r["watch_value"], kind=r["kind"], event_id=r["event_id"], event_title=r["event_title"],
                 detail=r["detail"], outlet=r["outlet"], article_id=r["article_id"],
                 webhook_done=bool(r["webhook_done"]), file_done=bool(r["file_done"]), attempts=r["attempts"],
                 last_error=r["last_error"])


def _run_script(db: sqlite3.Connection, script: str) -> None:
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)
