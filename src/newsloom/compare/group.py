"""Group claims that say the same thing across articles.

Each claim becomes a vector of its features (content lemmas mapped to paraphrase classes, entity keys,
figure units and values, speakers), weighted by IDF over the distinct claims of the comparison (a term that
every sentence of the event uses, like the place of the event, says little). Compounds are split against
the event's own vocabulary ("warnstreik" also counts as "streik" when "streik" occurs). Claims are joined by
average-linkage clustering over the cosine similarities: the most similar pair first, a join only when the
average similarity between the two groups reaches the threshold and the groups share no article (one
article states a thing once). Identical sentences (wire copies) always join.
"""
from __future__ import annotations

import math

import numpy as np
from scipy import sparse

from newsloom.compare.claims import Claim
from newsloom.compare.lexicon import LEMMA_CLASS

#: tuned on the demo gold (bench/quotes_claims.py)
THRESHOLD = 0.25
_HEAD_WEIGHT = 0.6


def _decompound(claims: list[Claim]) -> list[dict[str, float]]:
    vocab = {t for c in claims for t in c.terms if t[:1].isalpha()}
    out = []
    for c in claims:
        feats = dict(c.terms)
        for term, weight in c.terms.items():
            if not term[:1].isalpha() or len(term) < 7:
                continue
            for i in range(3, len(term) - 3):
                head = term[i:]
                mapped = LEMMA_CLASS.get(head)
                if head in vocab or mapped:
                    key = mapped or head
                    feats[key] = feats.get(key, 0.0) + _HEAD_WEIGHT * weight
                    break
            for i in range(len(term) - 3, 4, -1):
                lead = term[:i]
                if lead in vocab:
                    feats[lead] = feats.get(lead, 0.0) + 0.4 * weight
                    break
        out.append(feats)
    return out


def similarity_matrix(claims: list[Claim], idf: dict[str, float] | None = None) -> np.ndarray:
    """Cosine similarities of the claims (dense, n x n)."""
    n = len(claims)
    if n == 0:
        return np.zeros((0, 0))
    feats = _decompound(claims)
    # document frequency over distinct claim texts, so wire copies do not dilute their own terms
    seen: dict[str, dict[str, float]] = {}
    for c, f in zip(claims, feats):
        seen.setdefault(c.text_key, f)
    docs = len(seen)
    df: dict[str, int] = {}
    for f in seen.values():
        for t in f:
            df[t] = df.get(t, 0) + 1
    index: dict[str, int] = {}
    rows, cols, vals = [], [], []
    for r, f in enumerate(feats):
        for t, tf in f.items():
            w_idf = idf.get(t) if idf and t in idf else math.log(1 + docs / df.get(t, 1))
            if t.startswith("@spk:"):
                w_idf *= 0.7
            col = index.setdefault(t, len(index))
            rows.append(r)
            cols.append(col)
            vals.append((1 + math.log(tf)) * w_idf if tf >= 1 else tf * w_idf)
    mat = sparse.csr_matrix((vals, (rows, cols)), shape=(n, max(1, len(index))))
    norms = np.sqrt(np.asarray(mat.multiply(mat).sum(axis=1)).ravel())
    norms[norms == 0] = 1
    mat = sparse.diags(1 / norms) @ mat
    sim = (mat @ mat.T).toarray()
    keys = [c.text_key for c in claims]
    by_key: dict[str, list[int]] = {}
    for i, k in enumerate(keys):
        by_key.setdefault(k, []).append(i)
    for members in by_key.values():
        if len(members) > 1 and len(keys[members[0]]) > 20:
            for a in members:
                for b in members:
                    sim[a, b] = 1.0
    return sim


def group_claims(claims: list[Claim], threshold: float = THRESHOLD, sim: np.ndarray | None = None) -> list[list[int]]:
    """Groups of claim indices (each group sorted, groups in order of their first claim)."""
    n = len(claims)
    if n == 0:
        return []
    if sim is None:
        sim = similarity_matrix(claims)
    group_of = list(range(n))
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    articles: dict[int, set[str]] = {i: {claims[i].article_id} for i in range(n)}
    upper = np.triu(sim, k=1)
    cand = np.argwhere(upper >= threshold * 0.75)
    order = sorted(((float(upper[a, b]), int(a), int(b)) for a, b in cand), reverse=True)
    for score, a, b in order:
        ga, gb = group_of[a], group_of[b]
        if ga == gb or articles[ga] & articles[gb]:
            continue
        ma, mb = members[ga], members[gb]
        avg = float(sim[np.ix_(ma, mb)].mean())
        if avg < threshold:
            continue
        keep, gone = (ga, gb) if len(ma) >= len(mb) else (gb, ga)
        members[keep] = sorted(members[keep] + members[gone])
        articles[keep] |= articles[gone]
        for i in members[gone]:
            group_of[i] = keep
        del members[gone], articles[gone]
    return sorted(members.values(), key=lambda g: g[0])
