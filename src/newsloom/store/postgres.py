"""The PostgreSQL store (psycopg 3): the same schema and queries as the SQLite store, for a team that shares one
database between a web server, readers and ingest workers.

- Readers run in autocommit mode and see each committed batch; they never wait for an ingest.
- One ingest (clusterer) owns the store at a time: a session advisory lock; a second one stops with StoreBusy.
- Full-text search: a ``tsvector`` over newsloom's own lemma text (the same text the SQLite FTS5 index holds; the
  ``simple`` configuration, since the German lemmatising is done already), title weighted over body, ranked by
  ``ts_rank``; every query word is a parameter (``phraseto_tsquery``), never query syntax.
- A server that is down, a refused login or a store from a newer newsloom give one line naming the server.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources

from newsloom.errors import StoreBusy, StoreError, StoreTooNew, StoreUnavailable
from newsloom.store.base import Filters, iter_chunks
from newsloom.store.sql import SqlStore, placeholders
from newsloom.views import SearchHit, SearchPage, published_iso

SCHEMA_VERSION = 6  # the same numbering as the SQLite store; a new PostgreSQL store starts at BASE_VERSION
BASE_VERSION = 5
# version -> SQL that upgrades from version-1 (for versions after BASE_VERSION)
MIGRATIONS: dict[int, str] = {
    # 6: a user's corrections of the events (newsloom split / merge), which later ingests respect
    6: """
        CREATE TABLE IF NOT EXISTS corrections (
            id BIGSERIAL PRIMARY KEY, kind TEXT NOT NULL, article_id TEXT COLLATE "C",
            event_id TEXT COLLATE "C" NOT NULL, target_event_id TEXT COLLATE "C" NOT NULL, created TEXT NOT NULL)
    """,
}
INGEST_LOCK_KEY = 0x6E65_7773_6C6F_6F6D & 0x7FFF_FFFF_FFFF_FFFF  # "newsloom"
MIGRATE_LOCK_KEY = INGEST_LOCK_KEY - 1
MAX_TSVECTOR_CHARS = 400_000  # a tsvector holds at most 1 MB; longer lemma texts are indexed up to here
_HINT = re.compile(r"\s*\{hint:\w+\}")
RANK_WEIGHTS = "{0.25, 0.4, 0.6, 1.0}"  # D (text), C, B, A (title): the title counts four times, as in bm25 on SQLite


@functools.lru_cache(maxsize=1024)
def _to_psycopg(sql: str) -> str:
    return _HINT.sub("", sql).replace("%", "%%").replace("?", "%s")


class _Row(tuple):
    """A result row readable by position and by column name, as sqlite3.Row is."""

    def __new__(cls, values, index: dict[str, int]):
        row = super().__new__(cls, values)
        row._index = index
        return row

    def __getitem__(self, key):
        if isinstance(key, str):
            return tuple.__getitem__(self, self._index[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._index)


def _row_factory(cursor):
    description = cursor.description
    index = {column.name: i for i, column in enumerate(description or ())}
    return lambda values: _Row(values, index)


def describe(url: str) -> str:
    """The URL without its password: ``postgresql://user@host:port/dbname``."""
    try:
        from psycopg.conninfo import conninfo_to_dict

        info = conninfo_to_dict(url)
    except Exception:  # noqa: BLE001 - a malformed URL is described as given, less anything after '@'
        return re.sub(r"//[^@/]*@", "//", url)
    user = f"{info['user']}@" if info.get("user") else ""
    host = info.get("host") or "localhost"
    port = f":{info['port']}" if info.get("port") else ""
    return f"postgresql://{user}{host}{port}/{info.get('dbname') or ''}"


def _reason(exc: Exception) -> str:
    text = " ".join(str(exc).split())
    text = re.sub(r"^connection failed: ", "", text)
    return text[:300] or type(exc).__name__


class PostgresStore(SqlStore):
    backend = "postgresql"

    def __init__(self, url: str, *, create: bool = True):
        try:
            import psycopg
        except ImportError as exc:  # pragma: no cover - psycopg is a dependency
            raise StoreError("PostgreSQL stores need psycopg (pip install 'psycopg[binary]')") from exc
        self._psycopg = psycopg
        self.url = url
        self.target = self.path = describe(url)
        try:
            self.db = psycopg.connect(url, autocommit=True, row_factory=_row_factory, connect_timeout=10)
        except psycopg.Error as exc:
            raise StoreUnavailable(f"cannot open store {self.target}: {_reason(exc)}") from None
        except Exception as exc:  # noqa: BLE001 - e.g. an unreadable URL
            raise StoreUnavailable(f"cannot open store {self.target}: {_reason(exc)}") from None
        try:
            self._migrate(create)
        except psycopg.OperationalError as exc:
            self.db.close()
            raise StoreUnavailable(f"store {self.target}: {_reason(exc)}") from None
        except BaseException:
            self.db.close()
            raise

    def close(self) -> None:
        self.db.close()

    def size_bytes(self) -> int:
        return int(self._value("SELECT pg_database_size(current_database())"))

    def _prepare(self, sql: str) -> str:
        return _to_psycopg(sql)

    def _execute(self, sql: str, params=()):
        try:
            return self.db.execute(_to_psycopg(sql), tuple(params))
        except self._psycopg.OperationalError as exc:
            raise StoreUnavailable(f"store {self.target}: {_reason(exc)}") from None

    def _executemany(self, sql: str, rows: list) -> None:
        if not rows:
            return
        try:
            with self.db.cursor() as cursor:
                cursor.executemany(_to_psycopg(sql), rows)
        except self._psycopg.OperationalError as exc:
            raise StoreUnavailable(f"store {self.target}: {_reason(exc)}") from None

    # -- schema ------------------------------------------------------------------------------------------
    def _migrate(self, create: bool) -> None:
        with self.db.transaction():
            self.db.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATE_LOCK_KEY,))
            has_meta = self.db.execute("SELECT to_regclass('meta')").fetchone()[0] is not None
            version = 0
            if has_meta:
                row = self.db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
                version = int(row[0]) if row else 0
            if version > SCHEMA_VERSION:
                raise StoreTooNew(f"{self.target} has schema version {version}; this newsloom knows up to "
                                  f"{SCHEMA_VERSION} (upgrade newsloom)")
            if version == SCHEMA_VERSION:
                return
            if version == 0:
                if not create:
                    raise StoreError(f"{self.target} holds no newsloom store (ingest creates one)")
                schema = resources.files("newsloom.store").joinpath("schema_pg.sql").read_text("utf-8")
                for statement in schema.split(";"):
                    if statement.strip():
                        self.db.execute(statement)
                version = BASE_VERSION
            while version < SCHEMA_VERSION:
                version += 1
                for statement in MIGRATIONS[version].split(";"):
                    if statement.strip():
                        self.db.execute(statement)
            self.db.execute("INSERT INTO meta(key, value) VALUES ('schema_version', %s) ON CONFLICT(key) "
                            "DO UPDATE SET value=excluded.value", (str(SCHEMA_VERSION),))

    @contextmanager
    def transaction(self, *, wait_s: float | None = None) -> Iterator:
        # writers of different rows never wait for each other here; ``wait_s`` bounds a wait for a row lock
        try:
            with self.db.transaction():
                if wait_s is not None:
                    self.db.execute(f"SET LOCAL lock_timeout = {max(1, int(wait_s * 1000))}")
                yield self.db
        except self._psycopg.OperationalError as exc:
            raise StoreUnavailable(f"store {self.target}: {_reason(exc)}") from None

    @contextmanager
    def ingest_lock(self):
        """A session advisory lock: released when the ingest ends or its connection drops."""
        if not self._value("SELECT pg_try_advisory_lock(?)", (INGEST_LOCK_KEY,)):
            raise StoreBusy(f"another ingest is writing to {self.target}; wait for it to finish")
        try:
            yield
        finally:
            try:
                self._execute("SELECT pg_advisory_unlock(?)", (INGEST_LOCK_KEY,))
            except StoreError:
                pass  # the connection is gone, and the lock with it

    # -- full-text search ----------------------------------------------------------------------------------
    def index_search_text(self, lemmatised: dict[str, tuple[str, str]]) -> int:
        added = 0
        for chunk in iter_chunks(list(lemmatised)):
            rows = self._all(f"SELECT a.seq, a.id FROM articles a WHERE a.id IN ({placeholders(chunk)}) AND NOT EXISTS "
                             f"(SELECT 1 FROM article_search s WHERE s.seq=a.seq) ORDER BY a.seq", chunk)
            values = [(seq, lemmatised[article_id][0][:MAX_TSVECTOR_CHARS],
                       lemmatised[article_id][1][:MAX_TSVECTOR_CHARS]) for seq, article_id in rows]
            self._executemany(
                "INSERT INTO article_search(seq, doc) VALUES (?, setweight(to_tsvector('simple', ?), 'A') || "
                "setweight(to_tsvector('simple', ?), 'D')) ON CONFLICT(seq) DO NOTHING", values)
            added += len(values)
        return added

    def search_missing(self) -> int:
        return int(self._value("SELECT (SELECT count(*) FROM articles) - (SELECT count(*) FROM article_search)"))

    def articles_missing_from_search(self, limit: int) -> list[tuple[str, str, str]]:
        return [tuple(r) for r in self._all(
            "SELECT a.id, a.title, a.text FROM articles a WHERE NOT EXISTS (SELECT 1 FROM article_search s "
            "WHERE s.seq=a.seq) ORDER BY a.seq LIMIT ?", (limit,))]

    def search(self, forms: list[list[str]], filters: Filters, *, limit: int, offset: int,
               count_cap: int) -> SearchPage:
        if not forms:
            return SearchPage(0, [])
        query = " && ".join(
            "(" + " || ".join("phraseto_tsquery('simple', ?)" for _ in alternatives) + ")" for alternatives in forms)
        query_params = [form for alternatives in forms for form in alternatives]
        where, params, empty = self._article_filter(filters)
        if empty:
            return SearchPage(0, [])
        base = (f"FROM (SELECT {query} AS query) q CROSS JOIN article_search s JOIN articles a ON a.seq=s.seq "
                f"WHERE {' AND '.join(['s.doc @@ q.query', *where])}")
        all_params = [*query_params, *params]
        total = int(self._value(f"SELECT count(*) FROM (SELECT 1 {base} LIMIT {int(count_cap)}) x", all_params))
        # rank narrow rows (sequence number and score) and read the articles of the page only
        rows = self._all(
            "SELECT a.id, a.title, a.outlet, a.published_start, a.published_end, a.precision, a.duplicate_of, a.text, "
            f"ea.event_id, r.score FROM (SELECT s.seq, ts_rank('{RANK_WEIGHTS}', s.doc, q.query) AS score {base} "
            "ORDER BY score DESC, s.seq LIMIT ? OFFSET ?) r JOIN articles a ON a.seq=r.seq "
            "LEFT JOIN event_articles ea ON ea.article_id=a.id ORDER BY r.score DESC, r.seq", [*all_params, limit, offset])
        hits = [SearchHit(id=r[0], title=r[1], outlet=r[2], published=published_iso(r[3], r[4], r[5]), event_id=r[8],
                          duplicate_of=r[6], score=round(float(r[9]), 4), text=r[7]) for r in rows]
        return SearchPage(total, hits)
