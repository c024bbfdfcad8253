"""Quotes and claim comparison against the demo gold: ingest the demo corpus into a temporary store, then
score quote detection, speakers, channels, claim grouping and "only this outlet" items. Prints one JSON line.

    .venv/bin/python bench/quotes_claims.py [--threshold 0.3] [--errors]
"""
from __future__ import annotations

import argparse
import json
import sys


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threshold", type=float, default=None, help="claim grouping threshold")
    parser.add_argument("--sweep", action="store_true", help="score a range of thresholds")
    parser.add_argument("--errors", action="store_true", help="print speaker errors to stderr")
    args = parser.parse_args(argv)

    from newsloom.eval.quotes_claims import measure_demo

    thresholds = [args.threshold] if args.threshold else None
    if args.sweep:
        thresholds = [round(0.15 + 0.025 * i, 3) for i in range(15)]
    results = measure_demo(thresholds=thresholds, keep_errors=args.errors)
    for result in results:
        for error in result.pop("speaker_errors", []):
            print(json.dumps(error, ensure_ascii=False), file=sys.stderr)
        if args.sweep:
            print(json.dumps({k: result[k] for k in ("threshold", "claim_bcubed_f1", "claim_bcubed_precision",
                                                     "claim_bcubed_recall", "only_precision", "only_recall")}))
    print(json.dumps(results[-1], ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
