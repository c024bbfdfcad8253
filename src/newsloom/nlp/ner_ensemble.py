"""Ensemble of newsloom's two German NER taggers: the CRF (``ner_crf``) and the BiLSTM-CRF (``ner_nn``).

Each tagger gives every token a probability for every tag (its CRF marginals, by forward-backward); the
ensemble mixes them (``CRF_WEIGHT`` for the CRF, the rest for the network) and decodes the most probable
valid BIO sequence (``I-X`` only after ``B-X``/``I-X``).  The two models err differently -- the CRF on
features of the words around, the network on character shapes and word vectors -- so the mixture is better
than either (dev F1 figures in ``docs/benchmarks.md``).

The CRF's scores are computed here in numpy from its weights (read once from the python-crfsuite model),
so a whole batch of sentences costs a few array operations instead of one call per token and tag.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from newsloom.nlp import memo
from newsloom.nlp import ner_crf, ner_nn

CRF_WEIGHT = 0.4  # chosen on the GermEval 2014 dev file among 0.3 ... 0.7


def marginals(scores: np.ndarray, lengths: np.ndarray, trans: np.ndarray, start: np.ndarray,
              end: np.ndarray) -> np.ndarray:
    """Per-token tag probabilities of a linear-chain CRF for a batch (scaled forward-backward).

    ``scores`` (B, T, K) emission scores of left-aligned sequences, ``lengths`` (B,), ``trans`` (K, K)
    (from, to), ``start``/``end`` (K,), all in log space (a large negative number forbids a move).
    Returns (B, T, K) probabilities; rows past a sequence's length are zero."""
    B, T, K = scores.shape
    emit = np.exp(scores - scores.max(2, keepdims=True)).astype(np.float32)
    step = np.exp(trans).astype(np.float32)
    alpha = np.empty((B, T, K), dtype=np.float32)
    beta = np.empty((B, T, K), dtype=np.float32)
    a = np.exp(start - start.max())[None, :].astype(np.float32) * emit[:, 0]
    a /= a.sum(1, keepdims=True) + 1e-30
    alpha[:, 0] = a
    for t in range(1, T):
        a = (a @ step) * emit[:, t]
        a /= a.sum(1, keepdims=True) + 1e-30
        alpha[:, t] = a
    last = (lengths - 1)[:, None]
    at_end = np.broadcast_to(np.exp(end - end.max()).astype(np.float32), (B, K))
    b = at_end.copy()
    beta[:, T - 1] = b
    for t in range(T - 2, -1, -1):
        back = (emit[:, t + 1] * b) @ step.T
        back /= back.sum(1, keepdims=True) + 1e-30
        b = np.where(t < last, back, at_end)
        beta[:, t] = b
    p = alpha * beta
    p /= p.sum(2, keepdims=True) + 1e-30
    p[np.arange(T)[None, :] >= lengths[:, None]] = 0.0
    return p


class CrfScorer:
    """The CRF's emission and transition scores as arrays (from the weights of a ``pycrfsuite.Tagger``)."""

    def __init__(self, tagger):
        info = tagger.info()
        n_tags = len(ner_nn.TAGS)
        rows: dict[str, int] = {}
        for attribute, _ in info.state_features:
            rows.setdefault(attribute, len(rows))
        weights = np.zeros((len(rows) + 1, n_tags), dtype=np.float32)  # last row: attributes the model lacks
        for (attribute, label), weight in info.state_features.items():
            weights[rows[attribute], ner_nn.TAG_INDEX[label]] = weight
        trans = np.zeros((n_tags, n_tags), dtype=np.float32)
        for (before, after), weight in info.transitions.items():
            trans[ner_nn.TAG_INDEX[before], ner_nn.TAG_INDEX[after]] = weight
        known = {ner_nn.TAG_INDEX[label] for label in tagger.labels()}
        self.label_bias = np.array([0.0 if j in known else ner_nn.FORBIDDEN for j in range(n_tags)], dtype=np.float32)
        self.rows, self.weights, self.trans = rows, weights, trans
        self.edges = np.zeros(n_tags, dtype=np.float32)  # crfsuite has no start/end scores
        self._cached_rows = memo.register(lru_cache(maxsize=300_000)(self._rows))

    def _rows(self, word: str, offset: int) -> list[int]:
        """Weight rows of the cached features of ``word`` as the token (offset 0) or as a neighbour."""
        features = ner_crf.word_features(word) if offset == 0 else ner_crf.neighbour_features(word, offset)
        row_of, missing = self.rows.get, len(self.rows)
        return [row_of(f, missing) for f in features]

    def emissions(self, batch: list[list[str]], lengths: np.ndarray) -> np.ndarray:
        """(B, T, K) emission scores of a batch of non-empty sentences (features of ``ner_crf``)."""
        row_of, missing, rows_of = self.rows.get, len(self.rows), self._cached_rows
        ids: list[int] = []
        starts: list[int] = []
        for sentence in batch:
            for items in ner_crf.sentence_feature_items(sentence):
                starts.append(len(ids))
                for item in items:
                    if isinstance(item, str):
                        ids.append(row_of(item, missing))
                    else:
                        ids.extend(rows_of(*item))
        per_token = np.add.reduceat(self.weights[np.array(ids)], np.array(starts), axis=0)
        out = np.zeros((len(batch), int(lengths.max()), self.weights.shape[1]), dtype=np.float32)
        offset = 0
        for b, n in enumerate(lengths):
            out[b, :n] = per_token[offset:offset + n]
            offset += n
        return out + self.label_bias

    def marginals(self, batch: list[list[str]], lengths: np.ndarray) -> np.ndarray:
        return marginals(self.emissions(batch, lengths), lengths, self.trans, self.edges, self.edges)


@lru_cache(maxsize=1)
def crf_scorer() -> CrfScorer:
    return CrfScorer(ner_crf.load_tagger())


@lru_cache(maxsize=1)
def _bio_constraints() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    n_tags = len(ner_nn.TAGS)
    zero = np.zeros(n_tags, dtype=np.float32)
    return (*ner_nn.bio_scores(np.zeros((n_tags, n_tags), dtype=np.float32), zero), zero)


def decode(probabilities: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Most probable valid BIO tag ids of a batch of (B, T, n_tags) per-token probabilities."""
    trans, start, end = _bio_constraints()
    return ner_nn.viterbi(np.log(probabilities + 1e-9).astype(np.float32), lengths, trans, start, end)


def tag_sentences(sentences: list[list[str]], crf_weight: float = CRF_WEIGHT) -> list[list[str]]:
    """Outer-level BIO tags (GermEval labels) of every tokenised sentence, by the mixture of both taggers."""
    network = ner_nn.load_tagger()
    crf = crf_scorer()
    out: list[list[str]] = [[] for _ in sentences]
    for indices, batch in ner_nn.length_batches(sentences):
        scores, lengths = network.emissions(batch)
        mixed = (1.0 - crf_weight) * marginals(scores, lengths, network.trans, network.start, network.end)
        mixed += crf_weight * crf.marginals(batch, lengths)
        paths = decode(mixed, lengths)
        for row, index in enumerate(indices):
            out[index] = [ner_nn.TAGS[t] for t in paths[row, : lengths[row]]]
    return out


__all__ = ["CRF_WEIGHT", "CrfScorer", "crf_scorer", "decode", "marginals", "tag_sentences"]
