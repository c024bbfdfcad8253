"""Time-block event clustering (``ingest --time-blocks DAYS``) against the sequential clusterer on the three
labelled FANG-COVID windows' streams: BCubed and pairwise F1 of the window's articles inside the stream, and the
time of everything after the analysis (de-duplication, entity linking, clustering, storylines, store writes) with
1 and 2 processes.

    .venv/bin/python bench/time_blocks.py [--days 7] [--processes 1 2] [--windows NAME ...]

The analyses come from ``bench/event_windows.py``'s cache under /tmp (computed there when missing; a cache
written by another version of the ingest code is used when the stream is the same, since only the analysis
code matters here). Each run: a fresh SQLite store in /tmp, the articles given in publication order as the
ingest gives them; the local pool is started (and its models loaded) before the clock starts, as in an ingest
where it has analysed the articles already. CPU: this process, plus the pool's processes (``cpu_s`` that each
block reports).
"""
from __future__ import annotations

import argparse
import json
import os
import pickle
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import event_windows  # noqa: E402
from newsloom.eval.clustering import clustering_scores  # noqa: E402


def cached_pairs(stream: Path):
    folder = Path(tempfile.gettempdir())
    prefix = f"newsloom-analysed-{stream.name}-{stream.stat().st_size}-"
    found = sorted(folder.glob(prefix + "*.pkl"), key=lambda p: p.stat().st_mtime)
    if found:
        with open(found[-1], "rb") as handle:
            return pickle.load(handle), found[-1].name
    return event_windows.analysed(stream), "fresh"


def predictions(store, clusterer) -> dict[str, str]:
    return {a: clusterer.resolve(e) for a, e in store.all_assignments().items()}


def run_sequential(pairs):
    from newsloom.pipeline import IngestReport, Ingestor
    from newsloom.store.sqlite import Store

    with tempfile.TemporaryDirectory() as folder:
        store = Store(os.path.join(folder, "t.db"))
        ingestor = Ingestor(store)
        report = IngestReport()
        wall, cpu = time.perf_counter(), time.process_time()
        for i in range(0, len(pairs), 500):
            ingestor.process_batch(pairs[i: i + 500], report)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        pred = predictions(store, ingestor.clusterer)
        store.close()
    return pred, {"wall_s": round(wall, 1), "cpu_s": round(cpu, 1), "events": len(set(pred.values()))}


def run_blocks(pairs, days: int, processes: int):
    from newsloom.cluster import blocks
    from newsloom.engine.local import LocalExecutor
    from newsloom.pipeline import BlockIngest, IngestReport, Ingestor
    from newsloom.store.sqlite import Store

    block_cpu: list[float] = []
    stitched: list[str] = []
    joined: list[int] = []
    original = blocks.stitch_block

    def counted(clusterer, result, event_of=None):
        block_cpu.append(result.cpu_s)
        joined.append(len(result.joined))
        merged = original(clusterer, result, event_of)
        stitched.extend(merged)
        return merged

    blocks.stitch_block = counted
    executor = LocalExecutor(processes)
    try:
        executor.submit(int).result()  # the pool up and its models loaded before the clock starts
        with tempfile.TemporaryDirectory() as folder:
            store = Store(os.path.join(folder, "t.db"))
            ingestor = Ingestor(store)
            report = IngestReport()
            wall, cpu = time.perf_counter(), time.process_time()
            driver = BlockIngest(ingestor, executor, days, report)
            for article, analysis in pairs:
                driver.add(article, analysis)
            driver.close()
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            pred = predictions(store, ingestor.clusterer)
            store.close()
    finally:
        executor.close()
        blocks.stitch_block = original
    clustering = sum(block_cpu)
    if processes > 1:
        cpu += clustering  # the blocks ran in the pool's processes
    return pred, {"wall_s": round(wall, 1), "cpu_s": round(cpu, 1), "block_clustering_cpu_s": round(clustering, 1),
                  "blocks": len(block_cpu), "events": len(set(pred.values())), "stitched": len(stitched),
                  "joined_from_warm_up": sum(joined)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default=str(event_windows.REPO.parent / "shared"))
    parser.add_argument("--days", type=int, default=7)
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--windows", nargs="*", default=None)
    args = parser.parse_args()
    shared = Path(args.shared)
    streams = event_windows.write_streams(shared, Path(tempfile.gettempdir()) / "newsloom-event-streams")
    result = {}
    for window in event_windows.WINDOWS:
        if args.windows and window.name not in args.windows:
            continue
        pairs, source = cached_pairs(streams[window.name])
        gold = event_windows.gold_of(shared, window)
        row = {"articles": len(pairs), "analyses": source}
        pred, row["sequential"] = run_sequential(pairs)
        sequential = pred
        row["sequential"]["scores"] = clustering_scores(pred, gold)
        print(window.name, "sequential", json.dumps(row["sequential"]), flush=True)
        for processes in args.processes:
            pred, timing = run_blocks(pairs, args.days, processes)
            timing["scores"] = clustering_scores(pred, gold)
            # the whole stream's events against the sequential run's, as if those were the gold
            agreement = clustering_scores(pred, sequential)
            timing["agreement_with_sequential"] = {k: agreement[k] for k in ("bcubed_f1", "pairwise_f1")}
            row[f"blocks_{args.days}d_{processes}p"] = timing
            print(window.name, f"blocks {args.days} d, {processes} process(es)", json.dumps(timing), flush=True)
        result[window.name] = row
    print(json.dumps(result))


if __name__ == "__main__":
    main()
