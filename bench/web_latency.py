"""Web latency: render time of every page type (overview, event, storyline, entity, article, search) over a store.

Picks sample ids from the store (recent and large events, storylines, most mentioned entities, articles of those
events, common search words), renders each page via Starlette's TestClient (full app: routing, queries,
templates) and prints JSON with median and p95 milliseconds per page type. Usage:

    .venv/bin/python bench/web_latency.py /tmp/newsloom-bench.db [--repeat 3] [--warm]

With --warm, every event's comparison and the sampled storylines' claim changes are computed first, so the
event and storyline pages are timed with cached comparisons (as a server that has warmed up serves them).

The first start indexes articles missing from the search index (reported as index_seconds).
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from urllib.parse import quote, urlencode

from fastapi.testclient import TestClient

from newsloom.api import Newsloom
from newsloom.web.app import create_app

BUDGET_MS = 200


def _samples(db_path: str) -> dict[str, list[str]]:
    """Sample ids through the store interface (works on SQLite and PostgreSQL stores alike)."""
    from newsloom.store.base import Filters

    loom = Newsloom(db_path, create=False)
    store = loom.store
    events = store.events_needing_comparison(1, -1)[:5]  # live events, most articles first
    events += [e.id for e in store.events(Filters(), limit=5, with_entities=False)]  # newest
    lines = [s.id for s in store.storyline_summaries(Filters(), limit=5, offset=0)]
    top = loom.entities(limit=5)
    entities = [e.id for e in top]
    total = store.counts().articles
    articles = [a.id for a in loom.articles(limit=3)]
    articles += [a.id for a in loom.articles(limit=3, offset=max(0, total - 3))]
    outlets = store.outlet_counts(Filters())
    outlet = (outlets[0].outlet,) if outlets else None
    top_entity = (top[0].name,) if top else None
    loom.close()
    overview = ["/", "/?offset=100"]
    if outlet:
        overview.append("/?" + urlencode({"outlet": outlet[0]}))
    if top_entity:
        overview.append("/?" + urlencode({"entity": top_entity[0]}))
    overview.append("/?" + urlencode({"since": "2020-04", "until": "2020-06"}))
    searches = ["Impfpflicht", "Corona", "Masken", "Sicherheitsgarantien", "Bundesregierung Lockdown",
                "Schulen geschlossen", '"NATO OR (']
    search = ["/search?" + urlencode({"q": s}) for s in searches]
    if outlet:
        search.append("/search?" + urlencode({"q": "Impfung", "outlet": outlet[0]}))
    return {
        "overview": overview,
        "event": ["/events/" + quote(e, safe="") for e in events],
        "storyline": ["/storylines/" + quote(s, safe="") for s in lines],
        "entity": ["/entities/" + quote(e, safe="") for e in entities],
        "article": ["/articles/" + quote(a, safe="") for a in articles],
        "search": search,
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("db")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--warm", action="store_true",
                        help="compute every event's comparison and the sampled storylines' claim changes before "
                             "timing (what a running server has done in the background): times cached comparisons")
    args = parser.parse_args()
    started = time.perf_counter()
    if args.warm:
        from newsloom.compare.api import warm_comparison_cache

        t = time.perf_counter()
        added = warm_comparison_cache(args.db)
        print(f"warmed {added} comparisons in {time.perf_counter() - t:.0f} s", file=sys.stderr)
    app = create_app(args.db, warm_comparisons=not args.warm)
    samples = _samples(args.db)
    result: dict = {"store": args.db, "repeat": args.repeat, "budget_ms": BUDGET_MS, "pages": {}}
    with TestClient(app) as client:
        result["index_seconds"] = round(time.perf_counter() - started, 1)
        result["articles"] = client.get("/api/v1/outlets").json() and sum(
            o["articles"] for o in client.get("/api/v1/outlets").json())
        if args.warm and getattr(app.state, "steps", None) is not None:
            t = time.perf_counter()
            for url in samples["storyline"]:
                client.get(url)  # queues the claim changes of large steps for the background worker
            while app.state.steps.pending:
                time.sleep(0.2)
            print(f"warmed storyline steps in {time.perf_counter() - t:.0f} s", file=sys.stderr)
        slowest = []
        for kind, urls in samples.items():
            times = []
            for url in urls:
                client.get(url)  # warm (first render of a template, page cache)
                for _ in range(args.repeat):
                    t = time.perf_counter()
                    r = client.get(url)
                    ms = (time.perf_counter() - t) * 1000
                    if r.status_code != 200:
                        print(f"{url}: HTTP {r.status_code}", file=sys.stderr)
                    times.append(ms)
                    slowest.append((ms, url))
            times.sort()
            result["pages"][kind] = {
                "n": len(times), "median_ms": round(statistics.median(times), 1) if times else None,
                "p95_ms": round(times[min(len(times) - 1, int(0.95 * len(times)))], 1) if times else None,
                "max_ms": round(times[-1], 1) if times else None,
            }
        result["slowest"] = [{"url": u, "ms": round(m, 1)} for m, u in sorted(slowest, reverse=True)[:5]]
    result["all_under_budget"] = all(p["p95_ms"] is not None and p["p95_ms"] < BUDGET_MS for p in result["pages"].values())
    print(json.dumps(result, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
