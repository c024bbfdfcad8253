"""Quotes and claim comparison against the demo gold: ingest the demo corpus into a temporary store, then
score quote detection, speakers, channels, claim grouping and "only this outlet" items. Prints one JSON line.

    .venv/bin/python bench/quotes_claims.py [--threshold 0.3] [--errors]
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from importlib import resources


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threshold", type=float, default=None, help="claim grouping threshold")
    parser.add_argument("--sweep", action="store_true", help="score a range of thresholds")
    parser.add_argument("--errors", action="store_true", help="print speaker errors to stderr")
    args = parser.parse_args(argv)

    from newsloom.api import Newsloom
    from newsloom.compare.api import load_items
    from newsloom.compare.core import compare_articles
    from newsloom.compare.group import THRESHOLD
    from newsloom.eval.quotes_claims import claim_scores, quote_scores, read_gold_claims, read_gold_quotes

    demo = resources.files("newsloom").joinpath("demo")
    gold_quotes = read_gold_quotes(str(demo.joinpath("gold_quotes.jsonl")))
    gold_claims = read_gold_claims(str(demo.joinpath("gold_claims.json")))
    with tempfile.TemporaryDirectory(prefix="newsloom-bench-") as folder:
        loom = Newsloom(os.path.join(folder, "demo.db"))
        loom.ingest([str(demo.joinpath("articles.jsonl"))], workers=1)
        pred = {}
        for r in loom.db.execute("SELECT article_id, start, end, text, kind, speaker, channel FROM quotes"):
            pred.setdefault(r[0], []).append(dict(r))
        for r in loom.db.execute("SELECT id FROM articles"):
            pred.setdefault(r[0], [])
        scores = quote_scores(pred, gold_quotes)
        errors = scores.pop("_speaker_errors")
        items_by_event = {}
        for key, data in gold_claims.items():
            ids = sorted({m["article_id"] for g in data["groups"] for m in g["members"]})
            items_by_event[key] = load_items(loom, ids)
        thresholds = [args.threshold or THRESHOLD]
        if args.sweep:
            thresholds = [round(0.15 + 0.025 * i, 3) for i in range(15)]
        for threshold in thresholds:
            started = time.perf_counter()
            comparisons = {k: compare_articles(v, event_id=k, threshold=threshold) for k, v in items_by_event.items()}
            seconds = time.perf_counter() - started
            result = dict(scores)
            result.update(claim_scores(comparisons, gold_claims))
            result["threshold"] = threshold
            result["compare_seconds"] = round(seconds, 3)
            if args.sweep:
                print(json.dumps({k: result[k] for k in ("threshold", "claim_bcubed_f1", "claim_bcubed_precision",
                                                         "claim_bcubed_recall", "only_precision", "only_recall")}))
        loom.close()
    if args.errors:
        for e in errors:
            print(json.dumps(e, ensure_ascii=False), file=sys.stderr)
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
