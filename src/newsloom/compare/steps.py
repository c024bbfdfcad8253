"""What changed from event to event of a storyline (new, dropped, kept claims), for the web's storyline page.

The same computation as ``newsloom compare --storyline`` (``diff_comparisons`` of consecutive events), kept in a
process-wide cache keyed by both events' ids and article counts (so a step is recomputed when an event grows).
A page asks for the steps it shows: small steps are computed at once (at most ``SYNC_STEPS`` per request), the
others by one background worker, and the page says which are still being computed.
"""
from __future__ import annotations

import queue
import threading
from collections import OrderedDict
from dataclasses import dataclass

from newsloom.compare.core import COMPARISON_FORMAT_VERSION, Comparison, diff_comparisons

SYNC_ARTICLES = 16  # a step whose two events have at most this many articles together is computed at once
SYNC_STEPS = 6  # at most this many steps computed at once per request
CACHE_STEPS = 2048
CACHE_COMPARISONS = 64


@dataclass(frozen=True)
class StepKey:
    from_event: str
    n_from: int
    to_event: str
    n_to: int
    version: int = COMPARISON_FORMAT_VERSION


class _LRU:
    def __init__(self, size: int):
        self.size = size
        self.items: OrderedDict = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]
        return None

    def put(self, key, value) -> None:
        with self.lock:
            self.items[key] = value
            self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)


class StepCache:
    """Storyline steps (``StorylineStep.to_json()``) computed on demand, small ones at once, large ones in the
    background (one worker thread with its own store connection)."""

    def __init__(self, db_path: str):
        self.db_path = db_path
        self.steps = _LRU(CACHE_STEPS)
        self.comparisons = _LRU(CACHE_COMPARISONS)
        self.pending: set[StepKey] = set()
        self.failed: set[StepKey] = set()
        self.jobs: queue.Queue = queue.Queue()
        self.lock = threading.Lock()
        self.worker: threading.Thread | None = None

    # -- computing ------------------------------------------------------------------------------------------
    def _comparison(self, loom, event_id: str, n_articles: int) -> Comparison:
        key = (event_id, n_articles)
        found = self.comparisons.get(key)
        if found is None:
            from newsloom.compare.api import compare_event

            found = compare_event(loom, event_id)
            self.comparisons.put(key, found)
        return found

    def compute(self, loom, key: StepKey) -> dict:
        before = self._comparison(loom, key.from_event, key.n_from)
        after = self._comparison(loom, key.to_event, key.n_to)
        data = diff_comparisons(before, after).to_json()
        self.steps.put(key, data)
        return data

    def _run(self) -> None:
        from newsloom.api import Newsloom

        loom = Newsloom(self.db_path)
        try:
            while True:
                key = self.jobs.get()
                if key is None:
                    break
                try:
                    if self.steps.get(key) is None:
                        self.compute(loom, key)
                except Exception:  # noqa: BLE001 - an event deleted or merged meanwhile: the page says so
                    with self.lock:
                        self.failed.add(key)
                finally:
                    with self.lock:
                        self.pending.discard(key)
        finally:
            loom.close()

    def _schedule(self, key: StepKey) -> None:
        with self.lock:
            if key in self.pending or key in self.failed:
                return
            self.pending.add(key)
            if self.worker is None or not self.worker.is_alive():
                self.worker = threading.Thread(target=self._run, name="newsloom-storyline-steps", daemon=True)
                self.worker.start()
        self.jobs.put(key)

    def stop(self) -> None:
        if self.worker is not None and self.worker.is_alive():
            self.jobs.put(None)

    # -- asking -----------------------------------------------------------------------------------------------
    def steps_for(self, loom, timeline: list[dict], *, sync_articles: int = SYNC_ARTICLES,
                  sync_steps: int = SYNC_STEPS) -> tuple[dict[str, dict], list[str]]:
        """``({to_event: step JSON}, [to_event ids still being computed])`` for consecutive events of
        ``timeline`` (event dicts with ``id`` and ``articles``)."""
        found: dict[str, dict] = {}
        waiting: list[str] = []
        budget = sync_steps
        for before, after in zip(timeline, timeline[1:]):
            key = StepKey(before["id"], len(before.get("articles") or []), after["id"],
                          len(after.get("articles") or []))
            data = self.steps.get(key)
            if data is None and budget > 0 and key.n_from + key.n_to <= sync_articles:
                budget -= 1
                try:
                    data = self.compute(loom, key)
                except Exception:  # noqa: BLE001 - show the page without this step's claims
                    data = None
            if data is not None:
                found[after["id"]] = data
            elif key not in self.failed:
                self._schedule(key)
                waiting.append(after["id"])
        return found, waiting


__all__ = ["StepCache", "StepKey"]
