"""What each NER engine costs: tagging speed on a GermEval file and full analysis time per news article.

For every engine of ``newsloom.nlp.ner_model.ENGINES`` (each in a fresh process, so caches start empty):
dev F1, tokens per second on the first (cold) and a second (warm) pass, and milliseconds of the whole
per-article analysis (``newsloom.engine.work.analyse_chunk``, the ingest's worker function, in chunks of 32) over the first
``--articles-n`` articles of a JSON Lines file. Prints one JSON object per engine.

    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 taskset -c 0 .venv/bin/python bench/ner_engines.py \\
        --ner ../shared/data/germeval2014/NER-de-dev.tsv --articles /tmp/dev_window.jsonl
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import subprocess
import sys
import time


def measure(engine: str, ner_path: str, articles_path: str, n_articles: int) -> dict:
    from newsloom import settings
    from newsloom.eval.ner import read_germeval, span_prf
    from newsloom.ingest.readers import read_paths
    from newsloom.nlp import ner_model
    from newsloom.engine.work import analyse_chunk
    from newsloom.records import Article

    settings.INGEST = dataclasses.replace(settings.INGEST, ner_engine=engine)
    data = read_germeval(ner_path)
    sentences = [tokens for tokens, _ in data]
    n_tokens = sum(map(len, sentences))
    ner_model.load_tagger(engine)
    result: dict = {"engine": engine}
    for run in ("cold", "warm"):
        started = time.perf_counter()
        predicted = ner_model.tag_sentences(sentences, engine)
        result[f"tokens_per_second_{run}"] = round(n_tokens / (time.perf_counter() - started))
    result["f1"] = round(span_prf([tags for _, tags in data], predicted)["f1"], 4)
    articles = []
    for item in read_paths([articles_path]):
        if isinstance(item, Article):
            articles.append(item)
        if len(articles) > n_articles:
            break
    analyse_chunk(articles[:1], engine)  # the first article pays for loading the models
    started = time.perf_counter()
    for k in range(1, len(articles), 32):
        analyse_chunk(articles[k:k + 32], engine)
    result["analysis_ms_per_article"] = round((time.perf_counter() - started) / (len(articles) - 1) * 1000, 1)
    result["articles"] = len(articles) - 1
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ner", required=True, help="GermEval 2014 TSV file")
    parser.add_argument("--articles", required=True, help="JSON Lines news articles")
    parser.add_argument("--articles-n", type=int, default=150)
    parser.add_argument("--engine", help="measure only this engine, in this process")
    args = parser.parse_args()
    if args.engine:
        print(json.dumps(measure(args.engine, args.ner, args.articles, args.articles_n)))
        return
    from newsloom.nlp.ner_model import ENGINES

    for engine in ENGINES:
        done = subprocess.run([sys.executable, __file__, "--ner", args.ner, "--articles", args.articles,
                               "--articles-n", str(args.articles_n), "--engine", engine],
                              capture_output=True, text=True, check=True)
        print(done.stdout.strip().splitlines()[-1], flush=True)


if __name__ == "__main__":
    main()
