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
