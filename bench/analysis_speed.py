"""CPU cost of the per-article analysis, stage by stage, on the first N FANG-COVID articles, in one process each;
and a check that a code change leaves every analysis exactly as it was.

    .venv/bin/python bench/analysis_speed.py [--shared ../shared] [--n 600] [--dump OUT.pkl]
    .venv/bin/python bench/analysis_speed.py --compare BEFORE.pkl AFTER.pkl

Reading is the ingest's (``ingest.readers``), analysis runs over chunks of 32 articles like the ingest workers.
Two passes, each in a fresh child process (so neither profits from the other's warm word caches):

* ``stages``: each stage function timed on its own (``time.process_time``): sentences/tokens/lemmas
  (``nlp.text``), the tagger over the leads of a chunk (``tag_leads``), rule/gazetteer mentions
  (``find_mentions``), dates, quotes, and what ``engine.work.finish`` adds (lead counts, search text, MinHash);
* ``total``: ``engine.work.analyse_chunk`` as the workers call it, timed as a whole.

``--dump`` pickles, per article, the ``analyse_chunk`` result and the stage outputs (sentences with their tokens,
tags, mentions, dates, quotes, MinHash signature). Run it with ``PYTHONPATH=/tmp/before/src`` on the code before a
change (``git archive REV src | tar -x -C /tmp/before``) and again on the change, then ``--compare`` the two:
every article's values must be equal (``==`` on the records and the same ``repr``, so dicts in the same order;
not pickle bytes, which depend on how strings are shared). Prints one JSON line per pass.
"""
from __future__ import annotations

import argparse
import itertools
import json
import os
import pickle
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CHUNK = 32


def read_articles(shared: Path, n: int) -> list:
    from newsloom.ingest.readers import read_paths
    from newsloom.records import Article

    path = Path(shared) / "data" / "fang-covid" / "articles.jsonl.gz"
    items = (a for a in read_paths([str(path)]) if isinstance(a, Article))
    return list(itertools.islice(items, n))


def run_stages(articles: list, keep) -> dict:
    from newsloom import searchtext
    from newsloom.cluster.features import lead_counts
    from newsloom.engine.work import one_thread_per_process, warm_up
    from newsloom.ingest import dedup
    from newsloom.nlp.dates import find_dates
    from newsloom.nlp.entities import find_mentions, lead_token_lists, tag_leads
    from newsloom.nlp.quotes import find_quotes
    from newsloom.nlp.text import sentences as split_into_sentences
    from newsloom.records import Analysis

    one_thread_per_process()
    warm_up()
    clock = time.process_time
    spent = dict.fromkeys(("text", "ner_tagger", "mentions", "dates", "quotes", "lead_counts", "search_text",
                           "minhash"), 0.0)
    for k in range(0, len(articles), CHUNK):
        chunk = articles[k:k + CHUNK]
        outputs = []
        t = clock()
        sents = [split_into_sentences(a.text) for a in chunk]
        spent["text"] += clock() - t
        t = clock()
        tags = tag_leads([lead_token_lists(s) for s in sents])
        spent["ner_tagger"] += clock() - t
        for article, sentences, lead_tags in zip(chunk, sents, tags):
            t0 = clock()
            mentions = find_mentions(article.text, sentences, lead_tags)
            t1 = clock()
            dates = find_dates(article.text, article.published)
            t2 = clock()
            quotes = find_quotes(article.text, sentences, mentions)
            t3 = clock()
            counts = lead_counts(Analysis(article.id, sentences=sentences))
            t4 = clock()
            search = (searchtext.lemma_text(article.title),
                      " ".join(tok.lemma.casefold() for s in sentences for tok in s.tokens if tok.text[:1].isalnum()))
            t5 = clock()
            signature = dedup.signature(article.text).tobytes()
            t6 = clock()
            for name, a, b in (("mentions", t0, t1), ("dates", t1, t2), ("quotes", t2, t3),
                               ("lead_counts", t3, t4), ("search_text", t4, t5), ("minhash", t5, t6)):
                spent[name] += b - a
            outputs.append({"sentences": sentences, "tags": lead_tags, "mentions": mentions, "dates": dates,
                            "quotes": quotes, "lead_counts": counts, "search_text": search, "minhash": signature})
        keep(outputs)
    return spent


def run_total(articles: list, keep) -> dict:
    from newsloom.engine.work import analyse_chunk, warm_up

    warm_up()
    spent = 0.0
    for k in range(0, len(articles), CHUNK):
        t = time.process_time()
        results = analyse_chunk(articles[k:k + CHUNK])
        spent += time.process_time() - t
        keep(results)
    return {"analyse_chunk": spent}


def child(args) -> int:
    articles = read_articles(Path(args.shared), args.n)
    chars = sum(len(a.text) for a in articles)
    # results go to the dump chunk by chunk (untimed) and are not kept: a worker does not hold a million tokens
    # alive, and holding them would make the garbage collector's passes (timed) longer than in the ingest
    handle = open(args.dump, "wb") if args.dump else None
    if handle:
        pickle.dump([a.id for a in articles], handle, protocol=pickle.HIGHEST_PROTOCOL)

    def keep(chunk_results: list) -> None:
        if handle:
            pickle.dump(chunk_results, handle, protocol=pickle.HIGHEST_PROTOCOL)

    try:
        spent = (run_stages if args.pass_ == "stages" else run_total)(articles, keep)
    finally:
        if handle:
            handle.close()
    n = len(articles)
    row = {"pass": args.pass_, "articles": n, "mean_chars": round(chars / max(n, 1)),
           "ms_per_article": {name: round(1000 * s / n, 2) for name, s in spent.items()}}
    if args.pass_ == "stages":
        row["ms_per_article"]["sum"] = round(1000 * sum(spent.values()) / n, 2)
    print(json.dumps(row), flush=True)
    return 0


def compare(before: str, after: str) -> int:
    def load(path: str) -> dict:
        out = {}
        for suffix in (".stages", ".total"):
            with open(path + suffix, "rb") as handle:
                ids = pickle.load(handle)
                results: list = []
                while True:
                    try:
                        results.extend(pickle.load(handle))
                    except EOFError:
                        break
                out[suffix] = (ids, results)
        return out

    a, b = load(before), load(after)
    differing: dict[str, list] = {}
    count = 0
    for suffix in (".stages", ".total"):
        ids_a, out_a = a[suffix]
        ids_b, out_b = b[suffix]
        if ids_a != ids_b or len(out_a) != len(ids_a) or len(out_b) != len(ids_b):
            print(json.dumps({"identical": False, "why": f"different articles in {suffix}"}))
            return 1
        count = len(ids_a)
        for article_id, x, y in zip(ids_a, out_a, out_b):
            # equal values, and equal repr: dicts in the same order (lemma counts), same types throughout
            if isinstance(x, dict):
                for key in x:
                    if x[key] != y.get(key) or repr(x[key]) != repr(y.get(key)):
                        differing.setdefault(key, []).append(article_id)
            elif x != y or repr(x) != repr(y):
                differing.setdefault("analysis", []).append(article_id)
    print(json.dumps({"articles": count, "identical": not differing,
                      "differing": {k: (len(v), v[:5]) for k, v in differing.items()}}))
    return 0 if not differing else 1


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--shared", default=str(REPO.parent / "shared"))
    parser.add_argument("--n", type=int, default=600)
    parser.add_argument("--dump", default=None, help="write OUT.stages and OUT.total (pickles) for --compare")
    parser.add_argument("--compare", nargs=2, metavar=("BEFORE", "AFTER"))
    parser.add_argument("--pass", dest="pass_", choices=("stages", "total"), help=argparse.SUPPRESS)
    parser.add_argument("--only", choices=("stages", "total"), help="run one pass only")
    args = parser.parse_args(argv)
    if args.compare:
        return compare(*args.compare)
    corpus = Path(args.shared) / "data" / "fang-covid" / "articles.jsonl.gz"
    if not corpus.exists():
        print(f"FANG-COVID not found at {corpus} (pass --shared)", file=sys.stderr)
        return 2
    if args.pass_:
        if args.dump:
            args.dump = f"{args.dump}.{args.pass_}"
        return child(args)
    for name in (args.only,) if args.only else ("stages", "total"):
        command = [sys.executable, __file__, "--shared", args.shared, "--n", str(args.n), "--pass", name]
        if args.dump:
            command += ["--dump", args.dump]
        subprocess.run(command, check=True, env=os.environ)
    return 0


if __name__ == "__main__":
    sys.exit(main())
