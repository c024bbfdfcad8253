"""How long the event page's "why" explanations take: ``explain_event`` on the largest events of a store, first
in a fresh process (nothing cached but the lemmatiser's dictionary) and then again (features cached).

    .venv/bin/python bench/explain_latency.py STORE [--events 10]

The store is opened read-only in spirit (a copy is safest: opening migrates an older schema).
"""
from __future__ import annotations

import argparse
import statistics
import time

from newsloom.api import Newsloom
from newsloom.nlp.text import lemma


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store")
    parser.add_argument("--events", type=int, default=10, help="the largest events to explain")
    args = parser.parse_args()
    started = time.perf_counter()
    lemma("Häuser")  # the lemmatiser's dictionary, loaded once per process (the web server has it loaded)
    print(f"lemmatiser loaded in {time.perf_counter() - started:.2f} s")
    with Newsloom(args.store, create=False) as loom:
        events = sorted(loom.events(min_articles=2, limit=None), key=lambda e: -len(e.articles))[: args.events]
        for label in ("first", "again"):
            times = []
            for event in events:
                started = time.perf_counter()
                loom.explain_event(event.id)
                times.append((time.perf_counter() - started) * 1000)
            print(f"{label}: {len(events)} events of {len(events[-1].articles)}-{len(events[0].articles)} articles, "
                  f"median {statistics.median(times):.0f} ms, max {max(times):.0f} ms")


if __name__ == "__main__":
    main()
