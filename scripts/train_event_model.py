"""Train the event model (``newsloom/models/event_model.json``) from the three labelled FANG-COVID windows.

Each window is clustered inside its stream (the window with the 21 days before it) exactly as ``newsloom
ingest`` does, with one change: every labelled article of the window is *teacher-forced* into its gold event
(or opens it), after its candidates and their features have been recorded. Unlabelled articles (the context
days, NONE rows) are clustered by the first-stage score, as without a model.

Two logistic regressions (Miranda et al., EMNLP 2018):
- ranking: pairs (right event, wrong event) of one article; the weight vector orders candidates;
- join: the best-ranked candidate's features, its rank score and lead over the second; label = the best
  candidate is the article's event (else the article should open a new one).

Leave-one-window-out: for each window, fit on the other two and cluster the held-out stream with that model
(reported per window); the shipped model is fitted on all three.

    .venv/bin/python scripts/train_event_model.py [--shared ../shared] [--write] [--thresholds 0.4,0.5,0.6]
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))

from event_windows import WINDOWS, analysed, cluster_stream, gold_of, write_streams  # noqa: E402

from newsloom.cluster.events import FEATURES, Candidate, EventClusterer, pair_features  # noqa: E402
from newsloom.cluster.model import JOIN_EXTRA, EventModel, join_features  # noqa: E402
from newsloom.eval.clustering import clustering_scores  # noqa: E402
from newsloom.settings import CLUSTER  # noqa: E402


@dataclass
class Decision:
    """One labelled article's candidates as the teacher-forced stream saw them."""

    window: str
    article_id: str
    label: str
    features: np.ndarray  # (candidates, features)
    is_target: np.ndarray  # (candidates,) bool


class TeacherClusterer(EventClusterer):
    def __init__(self, gold: dict[str, str], window: str):
        super().__init__(CLUSTER, model=None)
        self.gold = gold
        self.window = window
        self.event_of_label: dict[str, str] = {}
        self.decisions: list[Decision] = []

    def assign(self, article_id, title, vector, span, *, forced_event=None, parts=None):
        label = self.gold.get(article_id)
        if label is None:
            return super().assign(article_id, title, vector, span, forced_event=forced_event, parts=parts)
        found = [Candidate(e, self.score(vector, span, e)) for e in self.candidates(vector, span)]
        found.sort(key=lambda c: -c.score)
        found = found[: self.settings.rank_candidates]
        target = self.event_of_label.get(label)
        target = self.resolve(target) if target is not None else None
        if found:
            self.decisions.append(Decision(
                self.window, article_id, label,
                np.array([pair_features(vector, parts or {}, span, c.event, c.score) for c in found]),
                np.array([c.event.id == target for c in found]),
            ))
        if target is not None and target in self.events:
            return self.join(self.events[target], article_id, title, vector, span, parts, 1.0, [])
        assignment = self.open_event(article_id, title, vector, span, parts)
        self.event_of_label[label] = assignment.event_id
        return assignment


def collect(pairs, gold: dict[str, str], window: str) -> list[Decision]:
    from newsloom.pipeline import IngestReport, Ingestor
    from newsloom.store.sqlite import Store

    with tempfile.TemporaryDirectory() as folder:
        store = Store(os.path.join(folder, "t.db"))
        ingestor = Ingestor(store)
        ingestor.clusterer = TeacherClusterer(gold, window)
        report = IngestReport()
        for i in range(0, len(pairs), 500):
            ingestor.process_batch(pairs[i: i + 500], report)
        store.close()
    return ingestor.clusterer.decisions


def _logistic(x: np.ndarray, y: np.ndarray, c: float, fit_intercept: bool = True):
    from sklearn.linear_model import LogisticRegression

    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    if not fit_intercept:
        mean = np.zeros_like(mean)
    regression = LogisticRegression(C=c, max_iter=2000, fit_intercept=fit_intercept)
    regression.fit((x - mean) / scale, y)
    weights = regression.coef_[0] / scale
    bias = float(regression.intercept_[0] - (weights * mean).sum()) if fit_intercept else 0.0
    return weights, bias


def fit(decisions: list[Decision], c: float = 1.0, threshold: float = 0.5) -> EventModel:
    differences, signs = [], []
    for d in decisions:
        if not d.is_target.any() or d.is_target.all():
            continue
        positive = d.features[d.is_target][0]
        for negative in d.features[~d.is_target]:
            differences.append(positive - negative)
            signs.append(1)
            differences.append(negative - positive)
            signs.append(0)
    rank_weights, _ = _logistic(np.array(differences), np.array(signs), c, fit_intercept=False)
    model = EventModel(list(FEATURES), [float(w) for w in rank_weights], 0.0, [], 0.0, threshold)
    rows, labels = [], []
    for d in decisions:
        scores = d.features @ rank_weights
        order = np.argsort(-scores, kind="stable")
        ranked = [Candidate(None, 0.0, list(d.features[i]), float(scores[i])) for i in order]
        rows.append(join_features(ranked))
        labels.append(bool(d.is_target[order[0]]))
    join_weights, join_bias = _logistic(np.array(rows), np.array(labels), c)
    model.join_weights, model.join_bias = [float(w) for w in join_weights], join_bias
    return model


def ranking_accuracy(model: EventModel, decisions: list[Decision]) -> float:
    """Share of articles whose event is among the candidates that the model ranks first."""
    hits = total = 0
    for d in decisions:
        if d.is_target.any():
            total += 1
            hits += bool(d.is_target[int(np.argmax(d.features @ np.array(model.rank_weights)))])
    return round(hits / total, 4) if total else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default=str(REPO.parent / "shared"))
    parser.add_argument("--folder", default=os.path.join(tempfile.gettempdir(), "newsloom-event-streams"))
    parser.add_argument("--c", type=float, default=1.0, help="inverse regularisation strength")
    parser.add_argument("--thresholds", default="0.5", help="join probability thresholds (chosen on the training windows)")
    parser.add_argument("--write", action="store_true", help="write newsloom/models/event_model.json")
    args = parser.parse_args()
    shared = Path(args.shared)
    streams = write_streams(shared, Path(args.folder))
    thresholds = [float(t) for t in args.thresholds.split(",")]
    pairs_of = {w.name: analysed(streams[w.name]) for w in WINDOWS}
    gold_of_window = {w.name: gold_of(shared, w) for w in WINDOWS}
    decisions = {w.name: collect(pairs_of[w.name], gold_of_window[w.name], w.name) for w in WINDOWS}
    for name, found in decisions.items():
        print(f"{name}: {len(found)} labelled articles with candidates, "
              f"{sum(bool(d.is_target.any()) for d in found)} with their event among them", file=sys.stderr)

    def score(model: EventModel, window) -> dict:
        return clustering_scores(cluster_stream(pairs_of[window.name], model=model), gold_of_window[window.name])

    def choose_threshold(model: EventModel, train_windows) -> float:
        if len(thresholds) == 1:
            return thresholds[0]
        best = None
        for t in thresholds:
            model.join_threshold = t
            rows = [score(model, w) for w in train_windows]
            value = sum(r["bcubed_f1"] + r["pairwise_f1"] for r in rows) / len(rows)
            if best is None or value > best[0]:
                best = (value, t)
        return best[1]

    lowo = {}
    for held_out in WINDOWS:
        train = [w for w in WINDOWS if w is not held_out]
        model = fit([d for w in train for d in decisions[w.name]], args.c)
        model.join_threshold = choose_threshold(model, train)
        scores = score(model, held_out)
        lowo[held_out.name] = {
            "threshold": model.join_threshold,
            "ranking_accuracy": ranking_accuracy(model, decisions[held_out.name]),
            "stream": {k: scores[k] for k in ("bcubed_f1", "pairwise_f1", "bcubed_p", "bcubed_r", "pairwise_p", "pairwise_r")},
        }
        print(held_out.name, json.dumps(lowo[held_out.name]), file=sys.stderr)
    mean = {k: round(sum(r["stream"][k] for r in lowo.values()) / len(lowo), 4) for k in ("bcubed_f1", "pairwise_f1")}
    model = fit([d for found in decisions.values() for d in found], args.c)
    model.join_threshold = choose_threshold(model, WINDOWS)
    model.info = {
        "trained_on": [w.gold_file for w in WINDOWS], "stream_context_days": 21, "c": args.c,
        "leave_one_window_out": lowo, "leave_one_window_out_mean": mean,
        "join_features": [*JOIN_EXTRA, *FEATURES],
        "command": "scripts/train_event_model.py " + " ".join(sys.argv[1:]),
    }
    print(json.dumps({"lowo": lowo, "lowo_mean": mean, "rank_weights": dict(zip(FEATURES, model.rank_weights)),
                      "threshold": model.join_threshold}))
    if args.write:
        target = REPO / "src" / "newsloom" / "models" / "event_model.json"
        target.write_text(json.dumps(model.to_json(), indent=1) + "\n", encoding="utf-8")
        print(f"wrote {target}", file=sys.stderr)


if __name__ == "__main__":
    main()
