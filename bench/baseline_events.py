"""newsloom's events against the obvious baseline, on the same articles, in one run; prints JSON.

Baseline: TF-IDF over lemmas (scikit-learn, the same lemmas newsloom reads) + average-linkage agglomerative
clustering on cosine distance, with the distance threshold tuned on the gold sample itself (its best case).
newsloom: the online clusterer exactly as ``newsloom ingest`` runs it (analysis excluded from both times:
both get the same analysed articles; analysis is timed separately).

    .venv/bin/python bench/baseline_events.py --articles /tmp/dev_window.jsonl \\
        --gold ../shared/data/fang-covid/events_dev_2020-10-28_29.tsv
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))

from tune_events import analysed, cluster  # noqa: E402

from newsloom import settings  # noqa: E402
from newsloom.eval.clustering import clustering_scores, read_gold  # noqa: E402


def baseline(pairs, threshold: float) -> dict[str, str]:
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    docs = [" ".join(" ".join([term] * count) for term, count in analysis.lemma_counts.items()) + " "
            + " ".join(analysis.title_lemmas) for _, analysis in pairs]
    matrix = TfidfVectorizer(token_pattern=r"\S+", sublinear_tf=True).fit_transform(docs).toarray()
    labels = AgglomerativeClustering(
        n_clusters=None, distance_threshold=threshold, metric="cosine", linkage="average",
    ).fit_predict(matrix)
    return {article.id: f"c{label}" for (article, _), label in zip(pairs, labels)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", required=True)
    parser.add_argument("--gold", required=True)
    parser.add_argument("--thresholds", default="0.6,0.7,0.75,0.8,0.85,0.9,0.95")
    args = parser.parse_args()
    started = time.perf_counter()
    pairs = analysed(args.articles)
    analysis_seconds = time.perf_counter() - started
    gold = read_gold(args.gold)

    tuned = []
    for threshold in (float(t) for t in args.thresholds.split(",")):
        started = time.perf_counter()
        pred = baseline(pairs, threshold)
        seconds = time.perf_counter() - started
        tuned.append((clustering_scores(pred, gold)["bcubed_f1"], threshold, pred, seconds))
    _, threshold, pred, seconds = max(tuned, key=lambda item: item[0])
    base_scores = clustering_scores(pred, gold)

    started = time.perf_counter()
    ours = cluster(pairs, settings.CLUSTER)
    our_seconds = time.perf_counter() - started
    our_scores = clustering_scores(ours, gold)

    def row(scores, seconds, **extra):
        return {"bcubed_f1": scores["bcubed_f1"], "pairwise_f1": scores["pairwise_f1"],
                "bcubed_p": scores["bcubed_p"], "bcubed_r": scores["bcubed_r"],
                "pairwise_p": scores["pairwise_p"], "pairwise_r": scores["pairwise_r"],
                "n_events_pred": scores["n_events_pred"], "seconds": round(seconds, 2), **extra}

    print(json.dumps({
        "articles": len(pairs), "n_scored": our_scores["n_scored"], "analysis_seconds": round(analysis_seconds, 2),
        "newsloom": row(our_scores, our_seconds, note="online clustering incl. SQLite store writes"),
        "baseline": row(base_scores, seconds, threshold=threshold,
                        note="tfidf lemmas + average-linkage agglomerative (cosine), threshold tuned on gold"),
    }))


if __name__ == "__main__":
    main()
