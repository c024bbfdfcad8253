"""Claim matching on the real claim gold: cache the analysed articles of each gold event, then score
"only this article" for the shipped settings, per event, pooled, and leave-one-event-out.

    .venv/bin/python bench/claims_tune.py [--shared ../shared] [--cache /tmp/claims_items.pkl] [--loeo]
"""
from __future__ import annotations

import argparse
import json
import os
import pickle
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def load_events(shared: Path, cache: str | None):
    from newsloom.api import Newsloom
    from newsloom.compare.api import load_items
    from newsloom.eval.claims import read_articles, read_gold

    if cache and os.path.exists(cache):
        with open(cache, "rb") as fh:
            return pickle.load(fh)
    paths = sorted((shared / "data" / "claims-dev").glob("*.claims.json"))
    raw = [(p, json.loads(p.read_text(encoding="utf-8"))) for p in paths]
    records = read_articles(shared / "data" / "fang-covid" / "articles.jsonl.gz",
                            {a for _, d in raw for a in d["articles"]})
    events = []
    for path, data in raw:
        ids = list(data["articles"])
        gold = read_gold(path, {i: records[i]["text"] for i in ids})
        with tempfile.TemporaryDirectory() as folder:
            src = os.path.join(folder, "a.jsonl")
            with open(src, "w", encoding="utf-8") as fh:
                for i in ids:
                    fh.write(json.dumps(records[i], ensure_ascii=False) + "\n")
            loom = Newsloom(os.path.join(folder, "e.db"))
            loom.ingest([src], workers=1)
            items = load_items(loom, ids)
            loom.close()
        events.append((gold, items))
    if cache:
        with open(cache, "wb") as fh:
            pickle.dump(events, fh)
    return events


def score(events, **options):
    from newsloom.compare.core import compare_articles
    from newsloom.eval.claims import comparison_items, pooled, score_event

    scores = []
    for gold, items in events:
        comparison = compare_articles(items, **options)
        its, dis = comparison_items(comparison)
        scores.append(score_event(gold, its, dis))
    return scores, pooled(scores)


def training_rows(events):
    """Per event: feature rows of the claims the pipeline leaves in one-outlet groups, labelled 1 when the claim
    overlaps a gold claim found in its article only."""
    import numpy as np

    from newsloom.compare.core import THRESHOLD, once_per_outlet, build_groups, claims_of
    from newsloom.compare.group import similarity_matrix
    from newsloom.compare.uniqueness import only_features
    from newsloom.eval.claims import Item

    out = []
    for gold, items in events:
        items = sorted(items, key=lambda p: (p[0].published.start.isoformat() if p[0].published else "", p[0].id))
        claims = once_per_outlet(claims_of(items))
        sim = similarity_matrix(claims)
        groups = build_groups(claims, THRESHOLD, sim=sim)
        index = {id(c): i for i, c in enumerate(claims)}
        cand = [index[id(c)] for g in groups if len(g.outlets) == 1 for c in g.claims]
        x, _ = only_features(claims, items, sim, cand)
        unique_ev = [ev for g in gold.claims if g.one_article for ev in g.evidence if ev.start >= 0]
        y = np.array([any(ev.article_id == claims[i].article_id and claims[i].start < ev.end and ev.start < claims[i].end
                          for ev in unique_ev) for i in cand])
        out.append((gold.key, x, y))
    return out


def fit(rows, beta: float = 0.5, threshold: float | None = None):
    """Logistic weights on ``rows`` and the threshold with the best F-beta (precision weighted) on them."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    from newsloom.compare.uniqueness import OnlyModel

    x = np.vstack([r[1] for r in rows])
    y = np.concatenate([r[2] for r in rows])
    m = LogisticRegression(C=1.0, max_iter=2000).fit(x, y)
    model = OnlyModel(tuple(round(float(w), 3) for w in m.coef_[0]), round(float(m.intercept_[0]), 3), 0.5)
    if threshold is not None:
        return OnlyModel(model.weights, model.bias, threshold)
    p = model.probability(x)
    best = (0.0, 0.5)
    for t in np.arange(0.30, 0.80, 0.02):
        pred = p >= t
        if not pred.any():
            continue
        prec, rec = y[pred].mean(), (y & pred).sum() / max(1, y.sum())
        f = (1 + beta ** 2) * prec * rec / (beta ** 2 * prec + rec) if prec + rec else 0.0
        if f > best[0]:
            best = (f, round(float(t), 2))
    return OnlyModel(model.weights, model.bias, best[1])


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=str(REPO.parent / "shared"))
    ap.add_argument("--cache", default=None)
    ap.add_argument("--threshold", type=float, default=None, help="fixed probability threshold (default: best F0.5)")
    ap.add_argument("--fit", action="store_true", help="fit the 'only here' model on all events, and leave-one-event-out")
    args = ap.parse_args()
    events = load_events(Path(args.shared), args.cache)
    if args.fit:
        rows = training_rows(events)
        for k, (key, _, _) in enumerate(rows):
            model = fit([r for j, r in enumerate(rows) if j != k], threshold=args.threshold)
            held = [e for e in events if e[0].key == key]
            _, total = score(held, only_model=model)
            print("LOEO", key[:40], model, json.dumps(total.figures()))
        print("ALL", fit(rows, threshold=args.threshold))
    scores, total = score(events)
    for s in [*scores, total]:
        print(s.key[:40], json.dumps({k: v for k, v in s.figures().items()}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
