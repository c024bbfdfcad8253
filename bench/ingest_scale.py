"""Scale: ingest FANG-COVID (41,075 real articles) with full analysis and clustering into a fresh store.

Prints articles per second, peak memory (this process and its analysis workers), store size, and the cost per
article over the first and the last 4,000 articles. Usage:

    .venv/bin/python bench/ingest_scale.py [--limit N] [--workers 2] [--db /tmp/fang.db]
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

from newsloom.api import Newsloom

DEFAULT = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "fang-covid" / "articles.jsonl.gz"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", default=str(DEFAULT))
    parser.add_argument("--limit", type=int, default=None, help="only the first N lines (written to a temp file)")
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--db", default="/tmp/newsloom-bench.db")
    parser.add_argument("--window", type=int, default=4000)
    args = parser.parse_args()
    source = args.articles
    if args.limit:
        import gzip

        source = "/tmp/newsloom-bench-sample.jsonl"
        with gzip.open(args.articles, "rt", encoding="utf-8") as src, open(source, "w", encoding="utf-8") as dst:
            for n, line in enumerate(src):
                if n >= args.limit:
                    break
                dst.write(line)
    for suffix in ("", "-wal", "-shm"):
        if not args.db.startswith("postgres") and os.path.exists(args.db + suffix):
            os.remove(args.db + suffix)
    loom = Newsloom(args.db)
    marks: list[tuple[int, float]] = []
    done = [0]
    started = time.perf_counter()

    def on_batch(n: int) -> None:
        done[0] += n
        marks.append((done[0], time.perf_counter()))
        print(f"{done[0]:>6} articles  {time.perf_counter() - started:7.1f} s", file=sys.stderr, flush=True)

    report = loom.ingest([source], workers=args.workers, on_batch=on_batch)
    total = time.perf_counter() - started
    size = loom.store.size_bytes()
    loom.close()

    read_seconds = marks[0][1] - started if marks else 0.0
    # the first window starts after reading+sorting (reported separately)
    start_cost = (marks[min(len(marks) - 1, args.window // 500)][1] - marks[0][1]) / max(1, marks[min(len(marks) - 1, args.window // 500)][0] - marks[0][0]) if len(marks) > 1 else 0.0
    last_index = max(0, len(marks) - 1 - args.window // 500)
    end_cost = (marks[-1][1] - marks[last_index][1]) / max(1, marks[-1][0] - marks[last_index][0]) if len(marks) > 1 else 0.0
    self_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    result = {
        "articles": report.stored,
        "failed": report.failed,
        "duplicates": report.duplicates,
        "events": report.events_created,
        "seconds_total": round(total, 1),
        "seconds_reading_and_sorting": round(read_seconds, 1),
        "articles_per_second": round(report.stored / total, 1),
        "ms_per_article_first_window": round(start_cost * 1000, 2),
        "ms_per_article_last_window": round(end_cost * 1000, 2),
        "end_to_start_cost_ratio": round(end_cost / start_cost, 3) if start_cost else None,
        "peak_rss_mb_main": round(self_rss, 1),
        "peak_rss_mb_worker": round(child_rss, 1),
        "store_mb": round(size / 1e6, 1),
        "cpu_count": os.cpu_count(),
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
