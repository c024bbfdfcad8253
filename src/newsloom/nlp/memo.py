"""The analysis's memoised per-word functions (lemmas, tagger features, ...): each bounded, and all of them counted
and emptied together, so that a long-running process (``newsloom watch``) can keep them from growing to their
bounds over months of new words. They are pure: emptying them changes no result, only speed until they refill."""
from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

_MEMOISED: list = []


def memoised(maxsize: int) -> Callable:
    """``functools.lru_cache(maxsize)``, counted by ``entries`` and emptied by ``clear``."""

    def wrap(function):
        return register(lru_cache(maxsize=maxsize)(function))

    return wrap


def register(cached):
    """Count and clear an ``lru_cache``-wrapped function made elsewhere (one made per loaded model)."""
    _MEMOISED.append(cached)
    return cached


def entries() -> int:
    """Results held by all memoised analysis functions together."""
    return sum(cached.cache_info().currsize for cached in _MEMOISED)


def clear() -> None:
    for cached in _MEMOISED:
        cached.cache_clear()
