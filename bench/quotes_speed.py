"""Cost of the quote step alone: ms per article of ``find_quotes`` on the first N FANG-COVID articles (sentences
and entity mentions are computed first and not timed). Prints one JSON line.

    .venv/bin/python bench/quotes_speed.py [--shared ../shared] [--n 500] [--repeat 3]
"""
from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--shared", default=str(REPO.parent / "shared"))
    parser.add_argument("--n", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    from newsloom.nlp.entities import find_mentions
    from newsloom.nlp.quotes import find_quotes
    from newsloom.nlp.text import sentences

    path = Path(args.shared) / "data" / "fang-covid" / "articles.jsonl.gz"
    prepared = []
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            text = json.loads(line).get("text") or ""
            if len(text) < 200:
                continue
            sents = sentences(text)
            prepared.append((text, sents, find_mentions(text, sents)))
            if len(prepared) >= args.n:
                break
    best = float("inf")
    n_quotes = 0
    for _ in range(args.repeat):
        started = time.perf_counter()
        n_quotes = sum(len(find_quotes(t, s, m)) for t, s, m in prepared)
        best = min(best, time.perf_counter() - started)
    chars = sum(len(t) for t, _, _ in prepared)
    print(json.dumps({"articles": len(prepared), "chars": chars, "quotes": n_quotes,
                      "ms_per_article": round(1000 * best / len(prepared), 2)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
