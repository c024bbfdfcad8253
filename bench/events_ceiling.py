"""How far can event clustering get on the labelled sample, and what would a learnt pair model add?

Three measurements on the same analysed articles (printed as JSON lines):

1. ``ceiling``: the gold clustering damaged in two ways that show what the figures reward. (a) The events
   that grew out of the largest one (its parliament debate, state implementations, aid package, ...) merged
   into it; (b) only a share of the largest event's articles recovered (the rest left as singletons).
   (c) the largest event's gold centroid known, its members = every labelled article whose vector reaches a
   cosine threshold with it (the best any centroid-cosine rule can do), all other events perfect.
2. ``pair_model``: the article vectors exactly as ``newsloom ingest`` computes them; every labelled article,
   in arrival order, against every labelled event already open within three days (teacher forcing: the gold
   events are the state). Average precision of "this is the article's event" for the centroid cosine alone
   and for logistic regressions over more signals (entity overlap, best/mean member cosine, time gap, event
   size, shared top terms), each scored by average precision on the 5 folds of a cross-validation grouped by
   event (no event in both the training and the test part), the folds' figures averaged.
3. ``thresholds``: the online clusterer over the same vectors at several join thresholds.

    .venv/bin/python bench/events_ceiling.py --articles /tmp/dev_window.jsonl \\
        --gold ../shared/data/fang-covid/events_dev_2020-10-28_29.tsv
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import math
import os
import random
import sys
from collections import Counter, defaultdict

sys.path.insert(0, os.path.dirname(__file__))

from tune_events import analysed, cluster  # noqa: E402

from newsloom import settings  # noqa: E402
from newsloom.cluster import events as events_module  # noqa: E402
from newsloom.cluster.features import ENTITY_PREFIX, cosine, norm  # noqa: E402
from newsloom.eval.clustering import clustering_scores, read_gold  # noqa: E402

SIGNALS = ("cosine", "entity_overlap", "entity_jaccard", "best_member", "mean_member", "gap_days",
           "log_size", "shared_top_terms")


@dataclasses.dataclass
class Arrival:
    article_id: str
    title: str
    vector: dict
    span: object
    forced_event: str | None


def arrivals(pairs) -> list[Arrival]:
    """The (article, vector) sequence the clusterer sees during an ingest of ``pairs``."""
    seen: list[Arrival] = []
    original = events_module.EventClusterer.assign

    def recording(self, article_id, title, vector, span, *, forced_event=None):
        seen.append(Arrival(article_id, title, dict(vector), span, forced_event))
        return original(self, article_id, title, vector, span, forced_event=forced_event)

    events_module.EventClusterer.assign = recording
    try:
        cluster(pairs, settings.CLUSTER)
    finally:
        events_module.EventClusterer.assign = original
    return seen


def ceiling(seen: list[Arrival], gold: dict[str, str]) -> list[dict]:
    sizes = Counter(gold.values())
    sizes.pop("NONE", None)
    largest = sizes.most_common(1)[0][0]
    centroids: dict[str, Counter] = defaultdict(Counter)
    vector_of = {arrival.article_id: arrival.vector for arrival in seen}
    for arrival in seen:
        if gold.get(arrival.article_id, "NONE") != "NONE":
            centroids[gold[arrival.article_id]].update(arrival.vector)
    big = centroids[largest]
    satellites = sorted((k for k in centroids if k != largest and sizes[k] > 1),
                        key=lambda k: -cosine(centroids[k], big, norm(centroids[k]) * norm(big)))[:4]
    pred = {i: (largest if g in satellites else g) for i, g in gold.items()}
    out = [{"case": "the 4 multi-article events closest to the largest merged into it, rest perfect",
            "merged": len(satellites), **clustering_scores(pred, gold)}]
    length = norm(big)
    for threshold in (0.12, 0.16, 0.2, 0.24):
        pred = {i: (largest if g != "NONE" and cosine(vector_of[i], big, length) >= threshold
                    else (g if g != largest else "alone:" + i)) for i, g in gold.items() if i in vector_of}
        out.append({"case": f"largest event = every labelled article with cosine >= {threshold} to its gold centroid, "
                            "rest perfect", **clustering_scores(pred, gold)})
    for share in (0.5, 0.7, 0.85, 1.0):
        rng = random.Random(0)
        pred = {i: (g if g != largest or rng.random() < share else "alone:" + i) for i, g in gold.items()}
        out.append({"case": f"largest event {share:.0%} recovered, rest perfect", **clustering_scores(pred, gold)})
    return out


def _signals(vector, span, event) -> list[float]:
    centroid = event["centroid"]
    length = norm(centroid) or 1.0
    entity_overlap = sum(min(w, centroid.get(t, 0.0) / length) for t, w in vector.items() if t.startswith(ENTITY_PREFIX))
    mine = {t for t in vector if t.startswith(ENTITY_PREFIX)}
    theirs = {t for t in centroid if t.startswith(ENTITY_PREFIX)}
    members = [cosine(vector, m) for m in event["members"]]
    gap = min(abs((span.start - s).total_seconds()) / 86400 for s in event["starts"])
    top = [t for t, _ in sorted(vector.items(), key=lambda kv: -kv[1])[:5]]
    event_top = {t for t, _ in sorted(centroid.items(), key=lambda kv: -kv[1])[:20]}
    return [
        cosine(vector, centroid, length), entity_overlap, len(mine & theirs) / (len(mine | theirs) or 1),
        max(members), sum(members) / len(members), gap, math.log(len(members)),
        sum(t in event_top for t in top) / 5,
    ]


def pair_model(seen: list[Arrival], gold: dict[str, str]) -> list[dict]:
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import average_precision_score
    from sklearn.model_selection import GroupKFold

    open_events: dict[str, dict] = {}
    rows, labels, groups = [], [], []
    for arrival in seen:
        key = gold.get(arrival.article_id)
        if key in (None, "NONE") or arrival.span is None:
            continue
        for other_key, event in open_events.items():
            if min(abs((arrival.span.start - s).total_seconds()) for s in event["starts"]) > 3 * 86400:
                continue
            rows.append(_signals(arrival.vector, arrival.span, event))
            labels.append(other_key == key)
            groups.append(key)
        event = open_events.setdefault(key, {"centroid": Counter(), "members": [], "starts": []})
        event["centroid"].update(arrival.vector)
        event["members"].append(arrival.vector)
        event["starts"].append(arrival.span.start)
    x, y, g = np.array(rows), np.array(labels), np.array(groups)
    out = [{"candidates": len(y), "positives": int(y.sum())}]
    folds = list(GroupKFold(5).split(x, y, g))
    for signal_set in (("cosine",), ("cosine", "entity_overlap"), ("cosine", "best_member", "mean_member"), SIGNALS):
        columns = [SIGNALS.index(s) for s in signal_set]
        per_fold = []
        for train, test in folds:
            if len(columns) == 1:
                scores = x[test][:, columns[0]]
            else:
                model = LogisticRegression(max_iter=1000, class_weight="balanced").fit(x[train][:, columns], y[train])
                scores = model.decision_function(x[test][:, columns])
            per_fold.append(average_precision_score(y[test], scores))
        out.append({"signals": list(signal_set),
                    "how": "raw signal" if len(columns) == 1 else "logistic regression trained on the other folds",
                    "average_precision_per_fold": [round(float(v), 3) for v in per_fold],
                    "mean_average_precision": round(float(np.mean(per_fold)), 3)})
    return out


def thresholds(seen: list[Arrival], gold: dict[str, str]) -> list[dict]:
    out = []
    for value in (0.14, 0.16, 0.18, 0.2, 0.22):
        clusterer = events_module.EventClusterer(dataclasses.replace(settings.CLUSTER, join_threshold=value))
        assigned = {}
        for arrival in seen:
            assigned[arrival.article_id] = clusterer.assign(
                arrival.article_id, arrival.title, arrival.vector, arrival.span, forced_event=arrival.forced_event,
            ).event_id
        pred = {a: clusterer.resolve(e) for a, e in assigned.items()}
        out.append({"join_threshold": value, **clustering_scores(pred, gold)})
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", required=True)
    parser.add_argument("--gold", required=True)
    args = parser.parse_args()
    gold = read_gold(args.gold)
    seen = arrivals(analysed(args.articles))
    for section, rows in (("ceiling", ceiling(seen, gold)), ("pair_model", pair_model(seen, gold)),
                          ("thresholds", thresholds(seen, gold))):
        for row in rows:
            print(json.dumps({"section": section, **row}))


if __name__ == "__main__":
    main()
