"""Where the ingest's sequential part spends its time: de-duplication, entity linking, article inserts, features,
event clustering, storylines and the other store writes, per article (``Ingestor.process_batch`` instrumented by
wrapping its callees with timers; nothing in the ingest changes).

    .venv/bin/python bench/sequential_split.py [--limit 2500] [--window 2020-10-28_29]

Reads one labelled window's stream analysed by ``bench/event_windows.py`` (its cache under /tmp; written there
when missing).
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import event_windows  # noqa: E402

TIMES: dict[str, float] = defaultdict(float)


def timed(owner, name: str, label: str) -> None:
    original = getattr(owner, name)

    def wrapper(*args, **kwargs):
        t0 = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            TIMES[label] += time.perf_counter() - t0

    setattr(owner, name, wrapper)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default=str(event_windows.REPO.parent / "shared"))
    parser.add_argument("--window", default="2020-10-28_29")
    parser.add_argument("--limit", type=int, default=2500)
    args = parser.parse_args()
    from newsloom import pipeline
    from newsloom.pipeline import IngestReport, Ingestor
    from newsloom.store.sqlite import Store

    folder = Path(tempfile.gettempdir()) / "newsloom-event-streams"
    streams = event_windows.write_streams(Path(args.shared), folder)
    pairs = event_windows.analysed(streams[args.window])[: args.limit]
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(os.path.join(tmp, "t.db"))
        ingestor = Ingestor(store)
        # store calls, by stage
        for name, label in (("known_ids", "already-stored check"), ("article_by_hash", "de-dup"),
                            ("near_candidates", "de-dup"), ("insert_article", "article insert"),
                            ("assign_article", "event writes"), ("save_event", "event writes"),
                            ("redirect_event", "event writes"), ("stored_event_of", "de-dup"),
                            ("save_storyline", "storyline writes"), ("save_term_stats", "term stats writes"),
                            ("set_meta", "term stats writes"), ("index_search_text", "search index writes"),
                            ("save_cluster_state", "state snapshot")):
            timed(store, name, label)
        timed(pipeline.dedup, "similarity", "de-dup")
        timed(pipeline.dedup, "buckets", "de-dup")
        timed(ingestor, "link_entities", "entity linking")
        timed(pipeline, "article_counts", "term counts (raw_features, entity ids)")
        for name in ("weigh", "part_vectors"):
            timed(pipeline, name, "article vectors (weigh, part_vectors)")
        timed(ingestor.stats, "add", "term statistics (TermStats.add)")
        timed(ingestor.clusterer, "assign", "event clustering")
        timed(ingestor.linker, "link", "storylines")
        timed(pipeline.snapshot, "dump", "state snapshot")
        report = IngestReport()
        wall0, cpu0 = time.perf_counter(), time.process_time()
        for i in range(0, len(pairs), 500):
            ingestor.process_batch(pairs[i: i + 500], report)
        wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
        store.close()
    n = len(pairs)
    print(f"{n} articles ({args.window} stream), sequential part {wall:.1f} s wall, {cpu:.1f} s CPU: "
          f"{1000 * wall / n:.2f} ms/article wall")
    accounted = sum(TIMES.values())
    rows = sorted(TIMES.items(), key=lambda item: -item[1]) + [("rest (transactions, commits, loop)", wall - accounted)]
    print("| stage | ms/article | share |\n|---|---|---|")
    for label, seconds in rows:
        print(f"| {label} | {1000 * seconds / n:.2f} | {100 * seconds / wall:.0f} % |")


if __name__ == "__main__":
    main()
