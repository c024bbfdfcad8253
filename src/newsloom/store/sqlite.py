"""The default store: one SQLite file (WAL mode, so readers never wait for the ingest), a schema version with
migrations, one transaction per batch, FTS5 over lemmas for search."""
from __future__ import annotations

import fcntl
import os
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources

from newsloom.errors import StoreBusy, StoreError, StoreTooNew
from newsloom.store.base import Filters, iter_chunks
from newsloom.store.sql import SqlStore, placeholders
from newsloom.views import SearchHit, SearchPage, published_iso, span_from_row  # noqa: F401 - span_from_row kept public here

SCHEMA_VERSION = 5
# version -> SQL that upgrades from version-1; version 1 is the schema file itself.
MIGRATIONS: dict[int, str] = {
    # 2: full-text search over lemmatised titles and texts (rowid = articles.seq; filled at ingest and lazily for
    # articles missing from it), and covering indexes for the web pages.
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
    # transaction (insert_article, merge_entity): mentions and articles per entity, articles per entity and outlet.
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
    # 5: the clusterer's in-memory state, written in each batch's transaction, so that a resumed or split ingest
    # continues exactly where the last batch left off (newsloom.cluster.snapshot)
    5: """
        CREATE TABLE IF NOT EXISTS cluster_state (id INTEGER PRIMARY KEY CHECK (id = 1), state BLOB NOT NULL)
    """,
}
BUSY_TIMEOUT_S = 30  # how long a writer waits for another (the ingest commits a batch at a time)
_HINT = re.compile(r"\{hint:(\w+)\}")


def fts_expression(forms: list[list[str]]) -> str | None:
    """An FTS5 MATCH expression: every query word as one of its lemma forms, each quoted (queries are data)."""
    parts = []
    for alternatives in forms:
        quoted = ['"' + form.replace('"', '""') + '"' for form in alternatives]
        parts.append("(" + " OR ".join(quoted) + ")" if len(quoted) > 1 else quoted[0])
    return " AND ".join(parts) if parts else None


class SqliteStore(SqlStore):
    backend = "sqlite"

    def __init__(self, path: str, *, create: bool = True):
        self.path = self.target = path
        if not create and path != ":memory:" and not os.path.exists(path):
            raise StoreError(f"no store at {path} (ingest creates one)")
        try:
            self.db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
            self.db.row_factory = sqlite3.Row
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open store {path}: {exc}") from exc
        self._lock_handle = None

    def close(self) -> None:
        self.db.close()

    def size_bytes(self) -> int:
        return sum(os.path.getsize(self.path + s) for s in ("", "-wal") if os.path.exists(self.path + s))

    def _prepare(self, sql: str) -> str:
        return _HINT.sub(r"INDEXED BY \1", sql)

    def _execute(self, sql: str, params=()):
        return self.db.execute(self._prepare(sql), tuple(params))

    # -- schema ------------------------------------------------------------------------------------------
    def _migrate(self) -> None:
        has_meta = self.db.execute("SELECT name FROM sqlite_master WHERE name='meta'").fetchone()
        version = 0
        if has_meta:
            row = self.db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
            version = int(row[0]) if row else 0
        if version > SCHEMA_VERSION:
            raise StoreTooNew(f"{self.path} has schema version {version}; this newsloom knows up to {SCHEMA_VERSION} "
                              "(upgrade newsloom)")
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
            self.db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', ?)",
                            (str(SCHEMA_VERSION),))

    @contextmanager
    def transaction(self, *, wait_s: float | None = None) -> Iterator[sqlite3.Connection]:
        if wait_s is not None:
            self.db.execute(f"PRAGMA busy_timeout={int(wait_s * 1000)}")
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:  # busy past the timeout, or a read-only file
            raise StoreError(f"cannot write to {self.path}: {exc}") from None
        finally:
            if wait_s is not None:
                self.db.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_S * 1000}")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        else:
            try:
                self.db.execute("COMMIT")
            except sqlite3.OperationalError as exc:
                self.db.execute("ROLLBACK")
                raise StoreError(f"cannot write to {self.path}: {exc}") from None

    @contextmanager
    def ingest_lock(self):
        """An exclusive lock on the store file (flock, apart from SQLite's own locks) for the one ingest."""
        if self.path in (":memory:", ""):
            yield
            return
        handle = open(self.path, "rb")  # noqa: SIM115 - held for the whole ingest
        try:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise StoreBusy(f"another ingest is writing to {self.path}; wait for it to finish") from None
            yield
        finally:
            handle.close()

    # -- full-text search (FTS5, rowid = articles.seq) ---------------------------------------------------------
    def index_search_text(self, lemmatised: dict[str, tuple[str, str]]) -> int:
        added = 0
        for chunk in iter_chunks(list(lemmatised)):
            rows = self._all(f"SELECT seq, id FROM articles WHERE id IN ({placeholders(chunk)}) ORDER BY seq", chunk)
            for seq, article_id in rows:
                if self.db.execute("SELECT 1 FROM article_fts_docsize WHERE id=?", (seq,)).fetchone():
                    continue
                title, body = lemmatised[article_id]
                self.db.execute("INSERT INTO article_fts(rowid, title, body) VALUES (?,?,?)", (seq, title, body))
                added += 1
        return added

    def search_missing(self) -> int:
        total = self.db.execute("SELECT count(*) FROM articles").fetchone()[0]
        indexed = self.db.execute("SELECT count(*) FROM article_fts_docsize").fetchone()[0]
        return max(0, total - indexed)

    def articles_missing_from_search(self, limit: int) -> list[tuple[str, str, str]]:
        return [tuple(r) for r in self.db.execute(
            "SELECT a.id, a.title, a.text FROM articles a WHERE NOT EXISTS (SELECT 1 FROM article_fts_docsize d "
            "WHERE d.id=a.seq) ORDER BY a.seq LIMIT ?", (limit,))]

    def search(self, forms: list[list[str]], filters: Filters, *, limit: int, offset: int,
               count_cap: int) -> SearchPage:
        """bm25 over the FTS5 index (title weighted 4:1), the filters as a set of rowids or an entity probe."""
        expression = fts_expression(forms)
        if expression is None:
            return SearchPage(0, [])
        where, params = ["article_fts MATCH ?"], [expression]
        # outlet and date filters as a set of rowids (articles.seq) from the covering (outlet, published_start,
        # published_end, id) index: the FTS match drives the plan, bm25 ranks over the whole index as before
        meta, meta_params = [], []
        if filters.since_bound:
            meta.append("published_end > ?")
            meta_params.append(filters.since_bound)
        if filters.until_bound:
            meta.append("published_start < ?")
            meta_params.append(filters.until_bound)
        if filters.outlet:
            meta.append("outlet = ?")
            meta_params.append(self.canonical_outlet(filters.outlet))
        if meta:
            where.append(f"+article_fts.rowid IN (SELECT seq FROM articles INDEXED BY articles_outlet_span "
                         f"WHERE {' AND '.join(meta)})")
            params.extend(meta_params)
        entity_ids = self.resolve_entities(filters.entity)
        if entity_ids is not None:
            if not entity_ids:
                return SearchPage(0, [])
            where.append(f"EXISTS (SELECT 1 FROM mentions m WHERE m.article_id=a.id AND m.entity_id IN "
                         f"({placeholders(entity_ids)}))")
            params.extend(entity_ids)
            base = (f"FROM article_fts JOIN articles a INDEXED BY articles_id_meta ON a.seq=+article_fts.rowid "
                    f"WHERE {' AND '.join(where)}")
        else:
            base = f"FROM article_fts WHERE {' AND '.join(where)}"
        try:
            total = self.db.execute(f"SELECT count(*) FROM (SELECT 1 {base} LIMIT {int(count_cap)})", params).fetchone()[0]
            # rank inside the FTS index (bm25 over all matches), then read only the page's articles
            rows = self.db.execute(
                "SELECT a.id, a.title, a.outlet, a.published_start, a.published_end, a.precision, a.duplicate_of, "
                "a.text, ea.event_id, r.score FROM (SELECT article_fts.rowid AS seq, bm25(article_fts, 4.0, 1.0) AS "
                f"score {base} ORDER BY score, article_fts.rowid LIMIT ? OFFSET ?) r JOIN articles a ON a.seq=r.seq "
                "LEFT JOIN event_articles ea ON ea.article_id=a.id ORDER BY r.score, r.seq",
                [*params, limit, offset]).fetchall()
        except sqlite3.OperationalError as exc:  # should not happen with quoted terms
            raise StoreError(f"the search could not be run ({exc})") from exc
        hits = [SearchHit(id=r[0], title=r[1], outlet=r[2], published=published_iso(r[3], r[4], r[5]), event_id=r[8],
                          duplicate_of=r[6], score=round(-r[9], 4), text=r[7]) for r in rows]
        return SearchPage(total, hits)


# the name earlier code imported
Store = SqliteStore
