"""Word vectors learnt by newsloom from unlabelled German news: the 200-d PPMI + SVD vectors of
``scripts/train_ner.py`` (FANG-COVID), shipped inside the neural NER model (``models/ner_nn.bin.gz``, int8 rows
with one scale per row) and read here for other uses than tagging (claim paraphrase in ``compare``).

``word_vectors()`` loads them once; ``WordVectors.vector(word)`` is the unit vector of a word form (the exact
form, else its lowercase, else its capitalised form, as the tagger looks words up) or ``None``.
"""
from __future__ import annotations

from functools import lru_cache
from importlib import resources

import numpy as np

from newsloom.nlp.ner_resources import lookup
from newsloom.nlp.ner_nn import MODEL_FILE, read_model


class WordVectors:
    """Unit-length word vectors by word form."""

    def __init__(self, vocab: list[str], matrix: np.ndarray):
        self.index = {w: i for i, w in enumerate(vocab)}
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        self.matrix = (matrix / norms).astype(np.float32)
        self.dim = matrix.shape[1]

    def row(self, word: str) -> int | None:
        return lookup(word, self.index)

    def vector(self, word: str) -> np.ndarray | None:
        r = self.row(word)
        return None if r is None else self.matrix[r]

    def similarity(self, a: str, b: str) -> float:
        va, vb = self.vector(a), self.vector(b)
        if va is None or vb is None:
            return 1.0 if a.lower() == b.lower() else 0.0
        return float(va @ vb)


@lru_cache(maxsize=1)
def word_vectors() -> WordVectors:
    """The packaged vectors (loaded once, about a second)."""
    data = (resources.files("newsloom") / "models" / MODEL_FILE).read_bytes()
    arrays, meta = read_model(data)
    matrix = arrays["emb_q"].astype(np.float32) * np.asarray(arrays["emb_scale"], dtype=np.float32)[:, None]
    return WordVectors(list(meta["vocab"]), matrix)


__all__ = ["WordVectors", "word_vectors"]
