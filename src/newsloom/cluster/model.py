"""The learned event model: a ranking model that puts the right event first among an article's candidates, and
a second model that decides whether the article joins that event or opens a new one (after Miranda et al.,
"Multilingual Clustering of Streaming News", EMNLP 2018).

Both are logistic regressions over the features of ``newsloom.cluster.events.FEATURES``; their coefficients
(standardisation folded in) ship as JSON in ``newsloom/models/event_model.json``, written by
``scripts/train_event_model.py`` from the labelled FANG-COVID windows. Plain floats only: the model pickles.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

MODEL_FILE = "event_model.json"


@dataclass
class EventModel:
    features: list[str]
    rank_weights: list[float]
    rank_bias: float
    join_weights: list[float]
    join_bias: float
    join_threshold: float = 0.5
    info: dict = field(default_factory=dict)

    def rank_score(self, features: list[float]) -> float:
        return self.rank_bias + sum(w * x for w, x in zip(self.rank_weights, features))

    def join_probability(self, ranked: list) -> float:
        """Probability that the article belongs to ``ranked[0]`` (ranked: ``events.Candidate``, best first)."""
        values = join_features(ranked)
        z = self.join_bias + sum(w * x for w, x in zip(self.join_weights, values))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def to_json(self) -> dict:
        return {
            "features": self.features, "rank": {"weights": self.rank_weights, "bias": self.rank_bias},
            "join": {"weights": self.join_weights, "bias": self.join_bias, "threshold": self.join_threshold},
            "info": self.info,
        }

    @classmethod
    def from_json(cls, data: dict) -> "EventModel":
        return cls(
            features=list(data["features"]), rank_weights=[float(w) for w in data["rank"]["weights"]],
            rank_bias=float(data["rank"]["bias"]), join_weights=[float(w) for w in data["join"]["weights"]],
            join_bias=float(data["join"]["bias"]), join_threshold=float(data["join"].get("threshold", 0.5)),
            info=data.get("info", {}),
        )


JOIN_EXTRA = ("best_rank_score", "margin_to_second", "log_candidates")


def join_features(ranked: list) -> list[float]:
    """What the "join or open a new event" model sees: the best candidate's rank score, its lead over the
    second, how many candidates there were, and the best candidate's own features."""
    best = ranked[0]
    second = ranked[1].rank_score if len(ranked) > 1 else best.rank_score - 5.0
    return [best.rank_score, best.rank_score - second, math.log1p(len(ranked)), *best.features]


@lru_cache(maxsize=1)
def default_model() -> EventModel | None:
    """The shipped model, or None when the package has none (then the first-stage score and threshold decide)."""
    path = resources.files("newsloom") / "models" / MODEL_FILE
    if not path.is_file():
        return None
    text = path.read_text(encoding="utf-8")
    return EventModel.from_json(json.loads(text))
