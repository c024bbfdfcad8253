"""``newsloom eval pairs``: newsloom's "same story" score against human ratings (SemEval-2022 task 8 format).

The score is built from the same article vectors the event clusterer uses (``cluster.features``): lemmas and
entities weighted by sublinear tf x damped IDF (x burst, when dates are known), the title counted extra, plus the
specific signals below. Background statistics (document frequencies) come from the pair file's own articles, so
nothing is trained on the ratings.
"""
from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import dataclass

from newsloom.cluster.features import ENTITY_PREFIX, TermStats, cosine, raw_features, weigh
from newsloom.records import Analysis, Article

# weights of the signals on top of the lemma/entity cosine (chosen by the ablation in docs/benchmarks.md)
SIGNALS = {"cosine": 1.0}


@dataclass
class PairSide:
    article: Article
    analysis: Analysis
    counts: Counter


def side(article: Article, analysis: Analysis) -> PairSide:
    return PairSide(article, analysis, raw_features(article, analysis))


def _entity_overlap(a: dict[str, float], b: dict[str, float]) -> float:
    """Weighted Jaccard of the entity parts of two vectors (0..1)."""
    ea = {t: w for t, w in a.items() if t.startswith(ENTITY_PREFIX)}
    eb = {t: w for t, w in b.items() if t.startswith(ENTITY_PREFIX)}
    if not ea or not eb:
        return 0.0
    keys = ea.keys() | eb.keys()
    top = sum(min(ea.get(k, 0.0), eb.get(k, 0.0)) for k in keys)
    bottom = sum(max(ea.get(k, 0.0), eb.get(k, 0.0)) for k in keys)
    return top / bottom if bottom else 0.0


def _numbers(analysis: Analysis) -> set[str]:
    """Specific numbers (two digits or more; years and small counts say little alone)."""
    return {n.strip(".,").replace(".", "") for n in analysis.numbers if len(n.strip(".,")) >= 2}


def _jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def signals(a: PairSide, b: PairSide, stats: TermStats, *, use_burst: bool = False) -> dict[str, float]:
    """Each signal of the pair, 0..1."""
    va = weigh(a.counts, stats, use_burst=use_burst)
    vb = weigh(b.counts, stats, use_burst=use_burst)
    ta = weigh(Counter(a.analysis.title_lemmas), stats, use_burst=use_burst, min_df=1)
    tb = weigh(Counter(b.analysis.title_lemmas), stats, use_burst=use_burst, min_df=1)
    return {
        "cosine": math.sqrt(max(cosine(va, vb), 0.0)),
        "entities": _entity_overlap(va, vb),
        "title": cosine(ta, tb),
        "numbers": _jaccard(_numbers(a.analysis), _numbers(b.analysis)),
    }


def combine(values: dict[str, float], weights: dict[str, float] = SIGNALS) -> float:
    return sum(weights.get(name, 0.0) * value for name, value in values.items())


def same_story_score(
    article_a: Article, analysis_a: Analysis, article_b: Article, analysis_b: Analysis, stats: TermStats,
    *, weights: dict[str, float] = SIGNALS,
) -> float:
    """How strongly two articles report the same story (higher = more similar; roughly 0..1.5)."""
    return combine(signals(side(article_a, analysis_a), side(article_b, analysis_b), stats), weights)


def _pearson(x: list[float], y: list[float]) -> float:
    n = len(x)
    mx, my = sum(x) / n, sum(y) / n
    sxy = sum((a - mx) * (b - my) for a, b in zip(x, y))
    sxx = math.sqrt(sum((a - mx) ** 2 for a in x))
    syy = math.sqrt(sum((b - my) ** 2 for b in y))
    return sxy / (sxx * syy) if sxx and syy else 0.0


def _ranks(values: list[float]) -> list[float]:
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


def _spearman(x: list[float], y: list[float]) -> float:
    return _pearson(_ranks(x), _ranks(y))


def load_pairs(path: str) -> list[tuple[PairSide, PairSide, float]]:
    from newsloom.nlp.analyze import analyze

    rows = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                rows.append(json.loads(line))
    result = []
    for number, row in enumerate(rows):
        sides = []
        for k in ("1", "2"):
            article = Article(id=f"{row.get('pair_id', number)}-{k}", title=row.get(f"title{k}") or "",
                              text=row.get(f"text{k}") or "", published=None)
            sides.append(side(article, analyze(article)))
        result.append((sides[0], sides[1], float(row["overall"])))
    return result


def background(pairs) -> TermStats:
    """Document frequencies over the file's own articles (each distinct text counted once)."""
    stats = TermStats()
    seen = set()
    for a, b, _ in pairs:
        for s in (a, b):
            key = (s.article.title, s.article.text)
            if key in seen:
                continue
            seen.add(key)
            stats.add(set(s.counts), None)
    return stats


def score_pairs(pairs, stats: TermStats, weights: dict[str, float] = SIGNALS) -> dict:
    scores = [combine(signals(a, b, stats), weights) for a, b, _ in pairs]
    target = [-overall for _, _, overall in pairs]
    return {"pearson": round(_pearson(scores, target), 4), "spearman": round(_spearman(scores, target), 4),
            "n": len(pairs)}


def ablation(pairs, stats: TermStats) -> dict[str, dict]:
    """Each signal alone, and the full score without each one."""
    table = {"full": score_pairs(pairs, stats)}
    for name in SIGNALS:
        table[f"only {name}"] = score_pairs(pairs, stats, {name: 1.0})
        table[f"without {name}"] = score_pairs(pairs, stats, {k: v for k, v in SIGNALS.items() if k != name})
    return table


def evaluate_pairs(path: str, *, with_ablation: bool = False) -> dict:
    pairs = load_pairs(path)
    stats = background(pairs)
    result = score_pairs(pairs, stats)
    result["signals"] = dict(SIGNALS)
    if with_ablation:
        result["ablation"] = ablation(pairs, stats)
    return result
