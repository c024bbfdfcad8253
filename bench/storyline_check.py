"""Storylines and events on a large part of FANG-COVID: sizes, durations and a labelled sample of storylines.

1. Clusters the articles published between ``--first`` and ``--last`` (analysed once, cached under /tmp) with
   the ingest's own ``Ingestor`` into a store at ``--db`` (kept, so the sample can be read afterwards).
2. Prints the size distribution of storylines (events each) and their duration, the largest events and their
   duration, and the share of articles alone in an event.
3. ``--sample N`` prints a stratified sample (by size: 5-9, 10-19, 20+ events; fixed seed) of storylines with
   5+ events: for each, the titles of its events, to be judged by reading them (coherent = one developing
   story: the same dispute, case, decision process or affair; mixed; incoherent = a beat, a hub or surface
   matches). ``--labels FILE`` (JSON ``{storyline id: {"label": ..., "why": ...}}``) reports the share coherent.

    .venv/bin/python bench/storyline_check.py --first 2020-10-01 --last 2020-12-31 --db /tmp/part.db --sample 35
"""
from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import random
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, os.path.dirname(__file__))

from event_windows import REPO, analysed, corpus_path  # noqa: E402


def write_part(shared: Path, first: str, last: str, folder: Path) -> Path:
    target = folder / f"part_{first}_{last}.jsonl"
    if target.exists():
        return target
    folder.mkdir(parents=True, exist_ok=True)
    with gzip.open(corpus_path(shared), "rt", encoding="utf-8") as source, \
            open(str(target) + ".part", "w", encoding="utf-8") as sink:
        for line in source:
            if first <= json.loads(line).get("date", "")[:10] <= last:
                sink.write(line)
    os.replace(str(target) + ".part", target)
    return target


def build_store(pairs, db: Path) -> None:
    from newsloom.pipeline import IngestReport, Ingestor
    from newsloom.store.sqlite import Store

    if db.exists():
        db.unlink()
    store = Store(str(db))
    ingestor = Ingestor(store)
    report = IngestReport()
    for i in range(0, len(pairs), 500):
        ingestor.process_batch(pairs[i: i + 500], report)
    store.close()


def days_between(start: str | None, end: str | None) -> float:
    if not start or not end:
        return 0.0
    a = dt.datetime.fromisoformat(start[:10])
    b = dt.datetime.fromisoformat(end[:10])
    return (b - a).days + 1


def distribution(values: list[float]) -> dict:
    values = sorted(values)
    if not values:
        return {}

    def q(p):
        return values[min(len(values) - 1, int(p * len(values)))]

    return {"n": len(values), "median": q(0.5), "p90": q(0.9), "p99": q(0.99), "max": values[-1]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default=str(REPO.parent / "shared"))
    parser.add_argument("--first", default="2020-10-01")
    parser.add_argument("--last", default="2020-12-31")
    parser.add_argument("--db", default="/tmp/newsloom-storyline-check.db")
    parser.add_argument("--reuse", action="store_true", help="read --db as it is (no clustering)")
    parser.add_argument("--sample", type=int, default=0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--labels", help="JSON: storyline id -> {label: coherent|mixed|incoherent, why}")
    args = parser.parse_args()
    db = Path(args.db)
    if not args.reuse:
        part = write_part(Path(args.shared), args.first, args.last, Path("/tmp/newsloom-event-streams"))
        build_store(analysed(part), db)

    from newsloom.api import Newsloom

    loom = Newsloom(str(db))
    events = loom.events(limit=None)
    lines = loom.storylines(limit=None)
    title_of = {e.id: e.title for e in events}
    size_of = {e.id: len(e.articles) for e in events}
    n_articles = sum(size_of.values())
    line_sizes = [len(line.events) for line in lines]
    report = {
        "articles": n_articles, "events": len(events),
        "articles_alone_share": round(sum(1 for s in size_of.values() if s == 1) / max(n_articles, 1), 3),
        "event_articles": distribution(list(size_of.values())),
        "event_days": distribution([days_between(e.start, e.end) for e in events if len(e.articles) > 1]),
        "events_over_7_days": sum(1 for e in events if days_between(e.start, e.end) > 7),
        "largest_events": sorted(([len(e.articles), days_between(e.start, e.end)] for e in events), reverse=True)[:8],
        "storylines": len(lines), "storyline_events": distribution(line_sizes),
        "storylines_5plus": sum(1 for s in line_sizes if s >= 5),
        "storylines_20plus": sum(1 for s in line_sizes if s >= 20),
        "storyline_days": distribution([days_between(line.start, line.end) for line in lines]),
        "events_in_storylines_share": round(sum(line_sizes) / max(len(events), 1), 3),
        "largest_storylines": sorted(([len(line.events), days_between(line.start, line.end)] for line in lines),
                                     reverse=True)[:8],
    }
    if args.labels:
        labels = json.loads(Path(args.labels).read_text(encoding="utf-8"))
        present = {line.id for line in lines}
        judged = Counter(v["label"] for k, v in labels.items() if k in present)
        total = sum(judged.values())
        report["labelled"] = dict(judged)
        report["coherent_share"] = round(judged.get("coherent", 0) / total, 3) if total else None
    if args.sample:
        rng = random.Random(args.seed)
        strata = [[line for line in lines if lo <= len(line.events) <= hi] for lo, hi in ((5, 9), (10, 19), (20, 10**9))]
        chosen = []
        share = args.sample / max(sum(len(s) for s in strata), 1)
        for stratum in strata:
            k = min(len(stratum), max(1, round(share * len(stratum)))) if stratum else 0
            chosen.extend(rng.sample(stratum, k))
        for line in chosen[: args.sample]:
            print(f"## {line.id}  {len(line.events)} events  {line.start} .. {line.end}")
            for event_id in line.events[:15]:
                print(f"   [{size_of.get(event_id, '?')}] {title_of.get(event_id, event_id)[:110]}")
    print(json.dumps(report))


if __name__ == "__main__":
    main()
