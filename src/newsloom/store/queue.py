"""The ingest's arrival queue: the articles of one run, spilled to a temporary SQLite file and read back in
publication order, so that memory stays flat however large the input is."""
from __future__ import annotations

import os
import pickle
import sqlite3
import tempfile
import zlib
from collections.abc import Callable, Iterable, Iterator


class ArrivalQueue:
    def __init__(self, order_key: Callable[[object], str]) -> None:
        self.order_key = order_key
        self.folder = tempfile.TemporaryDirectory(prefix="newsloom-ingest-")
        # read back by the worker pool's feeder thread, never concurrently with the main thread
        self.db = sqlite3.connect(os.path.join(self.folder.name, "queue.db"), isolation_level=None,
                                  check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=OFF")
        self.db.execute("PRAGMA synchronous=OFF")
        self.db.execute("CREATE TABLE queue (id TEXT PRIMARY KEY, key TEXT NOT NULL, article BLOB NOT NULL, "
                        "analysis BLOB)")
        self.db.execute("BEGIN")
        self.size = 0

    def add(self, article, analysis=None) -> bool:
        """False when an article with this id is already queued in this run (``analysis``: done already, e.g. by
        a worker that read the input itself, or read from a dataset of ``newsloom analyze``)."""
        blob = zlib.compress(pickle.dumps(article, protocol=pickle.HIGHEST_PROTOCOL), 1)
        done = None if analysis is None else zlib.compress(pickle.dumps(analysis, protocol=pickle.HIGHEST_PROTOCOL), 1)
        cursor = self.db.execute("INSERT OR IGNORE INTO queue(id, key, article, analysis) VALUES (?,?,?,?)",
                                 (article.id, self.order_key(article), blob, done))
        self.size += cursor.rowcount
        return cursor.rowcount == 1

    def drop(self, ids: Iterable[str]) -> None:
        self.db.executemany("DELETE FROM queue WHERE id=?", [(i,) for i in ids])
        self.size = self.db.execute("SELECT count(*) FROM queue").fetchone()[0]

    def ids(self) -> Iterator[list[str]]:
        cursor = self.db.execute("SELECT id FROM queue")
        while rows := cursor.fetchmany(2000):
            yield [r[0] for r in rows]

    def in_order(self) -> Iterator[tuple]:
        """``(article, analysis or None)`` in publication order."""
        self.db.execute("COMMIT")
        self.db.execute("CREATE INDEX queue_order ON queue(key, id)")
        for blob, done in self.db.execute("SELECT article, analysis FROM queue ORDER BY key, id"):
            yield pickle.loads(zlib.decompress(blob)), (pickle.loads(zlib.decompress(done)) if done else None)

    def close(self) -> None:
        self.db.close()
        self.folder.cleanup()
