"""Argument types, the ``--db`` option and the store check shared by ``cli.py`` and the command modules
(``newsloom.plugins``), so that every subcommand reads its numbers and its store the same way."""
from __future__ import annotations

import argparse
import os

from newsloom.errors import StoreError

DB_ENV = "NEWSLOOM_DB"
DB_FALLBACK = "newsloom.db"
DB_HELP = f"store: a file path (default {DB_FALLBACK}, or ${DB_ENV}); also accepted after the subcommand"


def default_db() -> str:
    return os.environ.get(DB_ENV) or DB_FALLBACK


def _whole_number(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None


def limit_count(value: str) -> int:
    """``--limit``: 0 means all; a negative number is refused."""
    number = _whole_number(value)
    if number < 0:
        raise argparse.ArgumentTypeError(f"must be 0 (all) or more, not {number}")
    return number


def non_negative(value: str) -> int:
    """``--offset``, ``--min-articles``: 0 or more."""
    number = _whole_number(value)
    if number < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, not {number}")
    return number


def positive(value: str) -> int:
    """``--workers``: 1 or more."""
    number = _whole_number(value)
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {number}")
    return number


def port_number(value: str) -> int:
    number = _whole_number(value)
    if not 0 < number < 65536:
        raise argparse.ArgumentTypeError(f"must be a port number from 1 to 65535, not {number}")
    return number


def add_db_option(parser: argparse.ArgumentParser, *, top_level: bool = False) -> None:
    """``--db`` before the subcommand (``top_level``: default None, resolved by ``cli.run``) or after it
    (default left unset, so that it overrides the top-level value only when given)."""
    if top_level:
        parser.add_argument("--db", default=None, help=DB_HELP)
    else:
        parser.add_argument("--db", default=argparse.SUPPRESS, help=DB_HELP)


def is_url(target: str) -> bool:
    return "://" in target


def require_store(target: str) -> None:
    """Refuse a store file that does not exist (only ``ingest`` creates one); a URL (``postgresql://...``) is
    passed through to the backend, which says itself when it cannot be reached."""
    if is_url(target):
        return
    if os.path.isdir(target):
        raise StoreError(f"{target} is a folder, not a store file")
    if not os.path.exists(target):
        raise StoreError(f"no store at {target} (read commands never create one; "
                         f"`newsloom --db {target} ingest FILES` does)")


__all__ = ["DB_ENV", "DB_HELP", "add_db_option", "default_db", "is_url", "limit_count", "non_negative",
           "port_number", "positive", "require_store"]
