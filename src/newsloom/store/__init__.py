"""newsloom's store: the only place that speaks SQL. ``open_store`` picks the backend from the target."""
from __future__ import annotations

from newsloom.store.base import Filters, Store

POSTGRES_PREFIXES = ("postgresql://", "postgres://")


def is_postgres(target: str) -> bool:
    return target.startswith(POSTGRES_PREFIXES)


def open_store(target: str, create: bool = True) -> Store:
    """The store at ``target``: a SQLite file path, or a ``postgresql://user:password@host:port/dbname`` URL.
    ``create``: make a new, empty store when there is none (else StoreError)."""
    if is_postgres(target):
        from newsloom.store.postgres import PostgresStore

        return PostgresStore(target, create=create)
    from newsloom.store.sqlite import SqliteStore

    return SqliteStore(target, create=create)


__all__ = ["Filters", "Store", "is_postgres", "open_store"]
