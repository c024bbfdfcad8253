"""Errors with codes, so that users and tools can tell failures apart."""
from __future__ import annotations

from dataclasses import dataclass


class NewsloomError(Exception):
    """Base class; ``code`` is stable (E1xx ingest, E2xx store, E3xx lookup, E4xx usage)."""

    code = "E000"

    def __init__(self, message: str):
        super().__init__(f"[{self.code}] {message}")
        self.message = message


class NotFound(NewsloomError):
    code = "E301"


class StoreError(NewsloomError):
    code = "E201"


class StoreUnavailable(StoreError):
    """The database server cannot be reached, refuses the login, or the connection was lost."""

    code = "E202"


class StoreTooNew(StoreError):
    """The store was written by a newer newsloom (a schema version this one does not know)."""

    code = "E203"


class StoreBusy(StoreError):
    """Another ingest owns the store (one clusterer at a time)."""

    code = "E204"


class UsageError(NewsloomError):
    code = "E401"


class EngineError(NewsloomError):
    """The analysis engine cannot run: a Dask scheduler that cannot be reached or has no workers."""

    code = "E501"


@dataclass(frozen=True)
class InputProblem:
    """One piece of input that could not be read: reported, skipped, never fatal for the batch."""

    code: str
    path: str
    line: int | None
    reason: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: [{self.code}] {self.reason}"


# Ingest problem codes
E_ENCODING = "E101"  # not valid UTF-8
E_BINARY = "E102"  # binary content
E_EMPTY = "E103"  # empty file or record without text
E_JSON = "E104"  # malformed JSON
E_TOO_LARGE = "E105"  # file or article above the size limit
E_FORMAT = "E106"  # unknown or unreadable format
E_FIELD = "E107"  # a field has an unusable value
E_IO = "E108"  # the file cannot be opened
E_ANALYSIS = "E109"  # the article was read but its analysis failed (on a worker or locally)

# Feed watching problem codes (newsloom.watch)
E_FEED_LIST = "E151"  # a line of the feeds file / OPML outline cannot be used
E_NETWORK = "E152"  # connection failed or timed out
E_HTTP = "E153"  # the server answered with an error status
E_FEED_PARSE = "E154"  # the document is not a readable RSS/Atom/RDF feed
E_ROBOTS = "E155"  # robots.txt disallows the address (or cannot be read)
E_PAGE = "E156"  # an item's page gave no article text (the feed summary is used)
E_TOO_BIG = "E157"  # a response larger than the limit
