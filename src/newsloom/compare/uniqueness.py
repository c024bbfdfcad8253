"""Is a claim that one outlet carries really reported by that outlet alone? A calibrated decision.

Grouping (``group``) leaves a claim alone when no claim of another outlet shares enough of its lemmas,
entities and figures. That is not evidence that no other outlet reports it: outlets paraphrase. Telling a
reader that only one outlet reports what several do is the worst error of the comparison, so a claim is
said to be *only here* when a small logistic model, over evidence that it is new, gives it a probability
of at least ``ONLY_MODEL.threshold``:

* ``closest_lexical``: the highest similarity (``group.similarity_matrix``) to a claim of another outlet;
* ``closest_vectors``: the highest cosine between sentence vectors (IDF-weighted sums of newsloom's corpus
  word vectors, ``nlp.wordvectors``, with the event's mean claim vector removed, so paraphrases with other
  words meet);
* ``novel_words``: the IDF-weighted share of its content lemmas that no other outlet's article uses;
* ``novel_anchors``: its entities and figures that no other outlet names (a new person, place or number);
* ``position``: where it stands in its article (0 first .. 1 last).

The weights were fitted on the claim gold of three real events with leave-one-event-out checks
(``bench/claims_tune.py``, figures in docs/benchmarks.md); every feature is general (no word lists).
Each one-outlet group also keeps the closest claim of another outlet (article, span, score) as evidence.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from newsloom.compare.claims import Claim
from newsloom.records import Analysis, Article

FEATURES = ("closest_lexical", "closest_vectors", "novel_words", "novel_anchors", "position")


@dataclass(frozen=True)
class OnlyModel:
    """Logistic model over ``FEATURES``: ``p = 1 / (1 + exp(-(bias + weights . x)))``; "only here" when
    ``p >= threshold``."""

    weights: tuple[float, ...]
    bias: float
    threshold: float

    def probability(self, x: np.ndarray) -> np.ndarray:
        z = self.bias + x @ np.asarray(self.weights)
        return 1.0 / (1.0 + np.exp(-z))


#: fitted by ``bench/claims_tune.py --fit`` on the three claim-gold events (see docs/benchmarks.md)
ONLY_MODEL = OnlyModel(weights=(-0.507, -1.185, 1.165, 0.59, 1.067), bias=-1.136, threshold=0.5)


@dataclass
class Closest:
    """The claim of another outlet closest to a claim: evidence for (or against) "only here"."""

    claim: Claim
    score: float  # mean of the lexical and the word-vector similarity

    def to_json(self) -> dict:
        return {**self.claim.ref(), "score": round(self.score, 3)}


def sentence_vectors(claims: list[Claim]) -> np.ndarray:
    """Unit sentence vectors: IDF-weighted sums of the claims' content word vectors, the mean removed."""
    from newsloom.nlp.wordvectors import word_vectors

    wv = word_vectors()
    n = len(claims)
    df: dict[str, int] = {}
    for c in claims:
        for w in {w.lower() for w in c.words}:
            df[w] = df.get(w, 0) + 1
    vecs = np.zeros((n, wv.dim), dtype=np.float32)
    for i, c in enumerate(claims):
        for w in c.words:
            v = wv.vector(w)
            if v is not None:
                vecs[i] += math.log(1 + n / df[w.lower()]) * v
    has = np.abs(vecs).sum(axis=1) > 0
    if has.any():
        vecs[has] -= vecs[has].mean(axis=0)
    norms = np.linalg.norm(vecs, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return vecs / norms


def only_features(claims: list[Claim], items: list[tuple[Article, Analysis]], lexical: np.ndarray,
                  candidates: list[int]) -> tuple[np.ndarray, list[Closest | None]]:
    """Feature rows (``FEATURES``) and the closest other-outlet claim of each candidate claim index."""
    from newsloom.compare.claims import anchor_key, outlet_label

    outlet_of = {a.id: outlet_label(a) for a, _ in items}
    lemmas: dict[str, set[str]] = {}
    entities: dict[str, set[str]] = {}
    for article, analysis in items:
        outlet = outlet_of[article.id]
        bag = lemmas.setdefault(outlet, set())
        for s in analysis.sentences:
            bag.update((t.lemma or t.text).lower() for t in s.tokens)
        entities.setdefault(outlet, set()).update(anchor_key(m.key) for m in analysis.mentions)
    figures: dict[str, set[float]] = {}
    for c in claims:
        figures.setdefault(c.outlet, set()).update(q.value for q in c.quantities)
        bag = lemmas.setdefault(c.outlet, set())
        bag.update(t for t in c.terms if t[:1].isalpha())
    outlets = sorted(lemmas)
    df: dict[str, int] = {}
    for o in outlets:
        for lemma in lemmas[o]:
            df[lemma] = df.get(lemma, 0) + 1
    position: dict[int, float] = {}
    per_article: dict[str, list[int]] = {}
    for i, c in enumerate(claims):
        per_article.setdefault(c.article_id, []).append(i)
    for members in per_article.values():
        for k, i in enumerate(sorted(members, key=lambda i: claims[i].start)):
            position[i] = k / len(members)
    vectors = sentence_vectors(claims)
    outlet_arr = np.array([c.outlet for c in claims], dtype=object)
    rows, closest = [], []
    seen_by_outlet: dict[str, tuple[set[str], set[str], set[float]]] = {}
    for i in candidates:
        c = claims[i]
        others = np.flatnonzero(outlet_arr != c.outlet)
        if len(others) == 0:
            rows.append([0.0, 0.0, 1.0, 0.0, position[i]])
            closest.append(None)
            continue
        lex = lexical[i, others]
        vec = vectors[others] @ vectors[i]
        best = int(np.argmax(lex + vec))
        closest.append(Closest(claims[int(others[best])], float((lex[best] + vec[best]) / 2)))
        if c.outlet not in seen_by_outlet:
            other_outlets = [o for o in outlets if o != c.outlet]
            seen_by_outlet[c.outlet] = (set().union(*(lemmas[o] for o in other_outlets)),
                                        set().union(*(entities.get(o, set()) for o in other_outlets)),
                                        set().union(*(figures.get(o, set()) for o in other_outlets)))
        seen_lemmas, seen_entities, seen_figures = seen_by_outlet[c.outlet]
        words = [t for t in c.terms if t[:1].isalpha()]
        weights = [math.log(1 + len(outlets) / df.get(t, 1)) for t in words]
        novel = sum(w for t, w in zip(words, weights) if t not in seen_lemmas) / (sum(weights) or 1.0)
        anchors = sum(1 for t in c.terms if t.startswith("@") and not t.startswith("@spk:")
                      and t[1:] not in seen_entities)
        anchors += sum(1 for q in c.quantities if q.value not in seen_figures)
        rows.append([float(lex.max()), float(vec.max()), novel, float(anchors), position[i]])
    return np.asarray(rows, dtype=np.float64).reshape(len(candidates), len(FEATURES)), closest


__all__ = ["FEATURES", "ONLY_MODEL", "Closest", "OnlyModel", "only_features", "sentence_vectors"]
