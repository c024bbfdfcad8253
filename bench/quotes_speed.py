"""Cost of the quote step alone: ms per article of ``find_quotes`` on the first N FANG-COVID articles (sentences
and entity mentions are computed first and not timed). Prints one JSON line.

    .venv/bin/python bench/quotes_speed.py [--shared ../shared] [--n 500] [--repeat 3] [--baseline OLD.py]

``--baseline``: a previous version of ``nlp/quotes.py`` (``git show REV:src/newsloom/nlp/quotes.py > OLD.py``),
timed interleaved with the current one on the same prepared articles (fair on a busy machine).
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
    parser.add_argument("--baseline", default=None, help="an older quotes.py to time against")
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
    engines = {"current": find_quotes}
    if args.baseline:
        import importlib.util

        spec = importlib.util.spec_from_file_location("quotes_baseline", args.baseline)
        module = importlib.util.module_from_spec(spec)
        sys.modules["quotes_baseline"] = module
        spec.loader.exec_module(module)
        engines["baseline"] = module.find_quotes
    best = {name: float("inf") for name in engines}
    n_quotes = {}
    for _ in range(args.repeat):
        for name, engine in engines.items():
            started = time.perf_counter()
            n_quotes[name] = sum(len(engine(t, s, m)) for t, s, m in prepared)
            best[name] = min(best[name], time.perf_counter() - started)
    chars = sum(len(t) for t, _, _ in prepared)
    result = {"articles": len(prepared), "chars": chars, "quotes": n_quotes["current"],
              "ms_per_article": round(1000 * best["current"] / len(prepared), 2)}
    if "baseline" in engines:
        result["baseline_quotes"] = n_quotes["baseline"]
        result["baseline_ms_per_article"] = round(1000 * best["baseline"] / len(prepared), 2)
        result["slowdown"] = round(best["current"] / best["baseline"], 2)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
