"""Tune event clustering on a labelled sample: analyse once (cached), then re-cluster with varied settings.

    .venv/bin/python bench/tune_events.py --articles /tmp/dev_window.jsonl \
        --gold ../shared/data/fang-covid/events_dev_2020-10-28_29.tsv [--grid]
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import os
import pickle
import tempfile
import time

from newsloom import settings
from newsloom.eval.clustering import clustering_scores, read_gold
from newsloom.ingest.readers import day_key, read_paths
from newsloom.engine.work import analyse_chunk
from newsloom.pipeline import IngestReport, Ingestor
from newsloom.records import Article
from newsloom.store.sqlite import Store


def analysed(path: str):
    cache = f"/tmp/newsloom-tune-{os.path.basename(path)}-{int(os.path.getmtime(path))}.pkl"
    if os.path.exists(cache):
        with open(cache, "rb") as handle:
            return pickle.load(handle)
    articles = [a for a in read_paths([path]) if isinstance(a, Article)]
    articles.sort(key=lambda a: (day_key(a), a.id))
    from multiprocessing import Pool

    chunks = [articles[k:k + 32] for k in range(0, len(articles), 32)]
    with Pool(2) as pool:
        results = pool.map(analyse_chunk, chunks)
    pairs = [(a, r) for chunk, rs in zip(chunks, results) for a, r in zip(chunk, rs)]
    with open(cache, "wb") as handle:
        pickle.dump(pairs, handle)
    return pairs


def cluster(pairs, cluster_settings, use_burst=True) -> dict[str, str]:
    import newsloom.cluster.events as events_module
    import newsloom.cluster.storylines as storylines_module

    with tempfile.TemporaryDirectory() as folder:
        store = Store(os.path.join(folder, "t.db"))
        ingestor = Ingestor(store, use_burst=use_burst)
        ingestor.clusterer.settings = cluster_settings
        ingestor.linker.settings = cluster_settings
        report = IngestReport()
        for i in range(0, len(pairs), 500):
            ingestor.process_batch(pairs[i : i + 500], report)
        pred = {}
        for article_id, event_id in store.all_assignments().items():
            while event_id in ingestor.clusterer.redirects:
                event_id = ingestor.clusterer.redirects[event_id]
            pred[article_id] = event_id
        store.close()
    del events_module, storylines_module
    return pred


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", required=True)
    parser.add_argument("--gold", required=True)
    parser.add_argument("--grid", action="store_true")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="grid over a ClusterSettings field: --set consolidate_threshold=0.4,0.5,0.6")
    args = parser.parse_args()
    pairs = analysed(args.articles)
    gold = read_gold(args.gold)
    base = settings.CLUSTER
    grid = [{}]
    for assignment in args.set:
        name, _, values = assignment.partition("=")
        grid = [{**g, name: float(v)} for g in grid for v in values.split(",")]
    if args.grid:
        grid = [{"join_threshold": t, "merge_threshold": m} for t in (0.1, 0.13, 0.16) for m in (0.3, 0.4)]
    for change in grid:
        chosen = dataclasses.replace(base, **change)
        started = time.perf_counter()
        pred = cluster(pairs, chosen)
        scores = clustering_scores(pred, gold)
        print(json.dumps({**change, **scores, "seconds": round(time.perf_counter() - started, 2)}))


if __name__ == "__main__":
    main()
