"""Neural German named-entity tagger (BiLSTM-CRF trained on GermEval 2014, outer level), pure numpy.

``NeuralTagger.tag_sentences(sentences)`` (reached as ``ner_model.tag_sentences(..., engine="nn")``)
returns one BIO tag per token with the GermEval labels (``B-PER``,
``I-ORG``, ``B-LOCderiv``, ...).  The weights (``models/ner_nn.bin.gz``) are built by
``scripts/train_ner_nn.py`` with PyTorch; tagging needs numpy only.

Network, per token: a frozen 200-d PPMI+SVD word vector learnt from unlabelled German news (FANG-COVID;
the exact form, else its lowercase or capitalised form, else a zero vector), a trained 64-d embedding
of the words seen at least twice in the training data, embeddings of its three word clusters and its place-gazetteer tag (the CRF's resources, ``models/ner_resources.tsv.gz``), of its casing
shape, and a character CNN (width 3, max-pooled); then one bidirectional LSTM layer, a linear layer to the
25 tag scores and a CRF output layer decoded by Viterbi restricted to valid BIO sequences (``I-X`` only
after ``B-X``/``I-X``).

Speed: everything before the LSTM depends on the word alone, so each word's input projection for both
directions is computed once and cached; sentences are tagged in batches of similar length and the
recurrences run over the whole batch at once.
"""
from __future__ import annotations

import gzip
import json
from functools import lru_cache

import numpy as np

from newsloom.nlp.ner_resources import current, lookup, models_dir

MODEL_FILE = "ner_nn.bin.gz"

TYPES = ("LOC", "LOCderiv", "LOCpart", "ORG", "ORGderiv", "ORGpart",
         "OTH", "OTHderiv", "OTHpart", "PER", "PERderiv", "PERpart")
TAGS = ("O",) + tuple(f"{p}-{t}" for t in TYPES for p in ("B", "I"))
TAG_INDEX = {t: i for i, t in enumerate(TAGS)}
GAZ_TAGS = ("country", "city", "part")  # index + 1; 0: not in the gazetteer
MAX_CHARS = 24  # longer words: first and last 12 characters
CHAR_LEN = MAX_CHARS + 2  # with begin / end markers; fixed so a word's vector never depends on its batch
N_SHAPES = 8
BATCH_TOKENS = 4096  # tokens per tagging batch (sentences sorted by length)
CACHE_WORDS = 20_000  # word forms whose input projections are kept (6.4 kB each with 200 hidden units)


def allowed_transitions() -> tuple[np.ndarray, np.ndarray]:
    """(``trans_ok[i, j]``: tag j may follow tag i; ``start_ok[j]``: tag j may begin a sentence)."""
    n = len(TAGS)
    trans_ok = np.ones((n, n), dtype=bool)
    start_ok = np.ones(n, dtype=bool)
    for j, t in enumerate(TAGS):
        if t.startswith("I-"):
            start_ok[j] = False
            for i, s in enumerate(TAGS):
                trans_ok[i, j] = s[2:] == t[2:]
    return trans_ok, start_ok


FORBIDDEN = np.float32(-1e4)  # score of a move that BIO forbids


def bio_scores(trans: np.ndarray, start: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``trans`` (K, K) and ``start`` (K,) scores with the moves BIO forbids set to ``FORBIDDEN``."""
    trans_ok, start_ok = allowed_transitions()
    return (np.where(trans_ok, trans, FORBIDDEN).astype(np.float32),
            np.where(start_ok, start, FORBIDDEN).astype(np.float32))


# ------------------------------------------------------------------------------ word features

def shape_class(word: str) -> int:
    """0 lower, 1 capitalised, 2 all caps, 3 mixed case, 4 digits only, 5 with digits, 6 punctuation, 7 other."""
    if word.isdigit():
        return 4
    if any(c.isdigit() for c in word):
        return 5
    if not any(c.isalnum() for c in word):
        return 6
    if word.islower():
        return 0
    if word.isupper():
        return 2 if len(word) > 1 else 1
    if word[:1].isupper():
        return 1 if not any(c.isupper() for c in word[1:]) else 3
    if any(c.isupper() for c in word):
        return 3
    return 7


def char_ids(word: str, char_index: dict[str, int]) -> list[int]:
    """Character ids (1 begin, 2 end, 3 unknown, 0 padding) of ``word``, padded to ``CHAR_LEN``."""
    if len(word) > MAX_CHARS:
        word = word[:MAX_CHARS // 2] + word[-(MAX_CHARS // 2):]
    ids = [1] + [char_index.get(c, 3) for c in word] + [2]
    return ids + [0] * (CHAR_LEN - len(ids))


def encode_words(words, vocab: dict[str, int], train_vocab: dict[str, int], char_index: dict[str, int],
                 clusters: dict, gaz: dict, n_levels: int = 3) -> dict[str, np.ndarray]:
    """Integer inputs of a list of words: ``row`` (pretrained vector; ``len(vocab)``: none), ``tw``
    (trained word embedding, 0: none), ``clus`` (cluster id + 1 at each granularity, 0: none), ``gaz``
    (gazetteer tag id), ``shape`` (``shape_class``) and ``chars`` (``char_ids``)."""
    n = len(words)
    row = np.empty(n, np.int64)
    tw = np.empty(n, np.int64)
    clus = np.zeros((n, n_levels), np.int64)
    gz = np.empty(n, np.int64)
    shp = np.empty(n, np.int64)
    chs = np.empty((n, CHAR_LEN), np.int64)
    none_row = len(vocab)
    for k, w in enumerate(words):
        r = lookup(w, vocab)
        row[k] = none_row if r is None else r
        tw[k] = lookup(w, train_vocab) or 0
        c = lookup(w, clusters)
        if c is not None:
            clus[k] = [int(x) + 1 for x in c[:n_levels]]
        g = gaz.get(w)
        gz[k] = GAZ_TAGS.index(g) + 1 if g in GAZ_TAGS else 0
        shp[k] = shape_class(w)
        chs[k] = char_ids(w, char_index)
    return {"row": row, "tw": tw, "clus": clus, "gaz": gz, "shape": shp, "chars": chs}


# ---------------------------------------------------------------------------------- model file

def write_model(path, arrays: dict[str, np.ndarray], meta: dict) -> None:
    """Deterministic container: gzip (mtime 0) of a JSON header line + the raw little-endian arrays."""
    names = sorted(arrays)
    index = []
    off = 0
    blobs = []
    for k in names:
        a = np.ascontiguousarray(arrays[k])
        a = a.astype(a.dtype.newbyteorder("<"), copy=False)
        b = a.tobytes()
        index.append([k, a.dtype.str, list(a.shape), off, len(b)])
        blobs.append(b)
        off += len(b)
    header = json.dumps({"meta": meta, "arrays": index}, sort_keys=True, ensure_ascii=False).encode("utf-8")
    with open(path, "wb") as fh:
        with gzip.GzipFile(filename="", mode="wb", fileobj=fh, mtime=0, compresslevel=6) as gz:
            gz.write(header + b"\n")
            for b in blobs:
                gz.write(b)


def read_model(data: bytes) -> tuple[dict[str, np.ndarray], dict]:
    raw = gzip.decompress(data)
    nl = raw.index(b"\n")
    header = json.loads(raw[:nl].decode("utf-8"))
    body = memoryview(raw)[nl + 1:]
    arrays = {}
    for name, dtype, shape, off, n in header["arrays"]:
        arrays[name] = np.frombuffer(body[off:off + n], dtype=np.dtype(dtype)).reshape(shape)
    return arrays, header["meta"]


# ------------------------------------------------------------------------------------- numpy math

def _sigmoid(x: np.ndarray) -> np.ndarray:
    # 0.5 * (1 + tanh(x / 2)): no overflow, one transcendental call
    return 0.5 + 0.5 * np.tanh(0.5 * x)


def lstm_run(xw: np.ndarray, w_hh: np.ndarray) -> np.ndarray:
    """One LSTM direction over a batch whose sequences are left-aligned (padding at the end).

    ``xw``: (B, T, 4H) input projections with both biases added (PyTorch gate order i, f, g, o);
    ``w_hh``: (4H, H).  Returns the hidden states (B, T, H)."""
    B, T, H4 = xw.shape
    H = H4 // 4
    whT = np.ascontiguousarray(w_hh.T)
    h = np.zeros((B, H), dtype=np.float32)
    c = np.zeros((B, H), dtype=np.float32)
    out = np.empty((B, T, H), dtype=np.float32)
    for t in range(T):
        g = xw[:, t] + h @ whT
        s = _sigmoid(g[:, :2 * H])
        c = s[:, H:] * c + s[:, :H] * np.tanh(g[:, 2 * H:3 * H])
        h = _sigmoid(g[:, 3 * H:]) * np.tanh(c)
        out[:, t] = h
    return out


def viterbi(scores: np.ndarray, lengths: np.ndarray, trans: np.ndarray, start: np.ndarray,
            end: np.ndarray) -> np.ndarray:
    """Best tag sequences of a batch.  ``scores`` (B, T, K) emission scores, ``lengths`` (B,);
    ``trans`` (K, K) (from, to), ``start``/``end`` (K,) -- use ``-inf`` (or a large negative
    number) for forbidden moves.  Returns (B, T) tag ids (positions past a sequence's length: 0)."""
    B, T, K = scores.shape
    delta = start[None, :] + scores[:, 0]
    back = np.empty((T, B, K), dtype=np.int32)
    back[0] = np.arange(K)
    ident = np.broadcast_to(np.arange(K, dtype=np.int32), (B, K))
    for t in range(1, T):
        cand = delta[:, :, None] + trans[None]
        bp = cand.argmax(1).astype(np.int32)
        nxt = np.take_along_axis(cand, bp[:, None, :], 1)[:, 0] + scores[:, t]
        live = (t < lengths)[:, None]
        delta = np.where(live, nxt, delta)
        back[t] = np.where(live, bp, ident)
    best = (delta + end[None, :]).argmax(1)
    out = np.empty((B, T), dtype=np.int32)
    rows = np.arange(B)
    for t in range(T - 1, -1, -1):
        out[:, t] = best
        best = back[t][rows, best]
    out[np.arange(T)[None, :] >= lengths[:, None]] = 0
    return out


# ---------------------------------------------------------------------------------------- tagger

class NeuralTagger:
    """The numpy BiLSTM-CRF.  ``arrays``/``meta`` as written by ``scripts/train_ner_nn.py``;
    ``clusters``/``gaz``: the word-cluster and gazetteer dicts of ``ner_resources.current()``."""

    def __init__(self, arrays: dict[str, np.ndarray], meta: dict, clusters: dict, gaz: dict):
        f = {k: np.asarray(v, dtype=np.float32) for k, v in arrays.items() if k != "emb_q"}
        self.vocab = {w: i for i, w in enumerate(meta["vocab"])}
        self.train_vocab = {w: i + 1 for i, w in enumerate(meta.get("train_vocab", []))}
        self.char_index = {c: i + 4 for i, c in enumerate(meta["chars"])}
        self.clusters = clusters
        self.gaz = gaz
        self.emb_q = arrays["emb_q"]  # int8 (V, D); row scale in emb_scale
        self.emb_scale = f["emb_scale"]
        self.f = f
        self.trans, self.start = bio_scores(f["crf_trans"], f["crf_start"])
        self.end = f["crf_end"]
        self.hidden = f["lstm_w_hh_f"].shape[1]
        self._cache: dict[str, int] = {}  # word -> row of _proj
        self._proj = np.zeros((0, 8 * self.hidden), dtype=np.float32)
        self._n = 0

    # per-word input projections (both directions), computed once per word form
    def word_vectors(self, words: list[str]) -> np.ndarray:
        """Inputs to the LSTM (before projection) of ``words``: (n, D_in)."""
        f = self.f
        x = encode_words(words, self.vocab, self.train_vocab, self.char_index, self.clusters, self.gaz)
        rows = x["row"]
        V, D = self.emb_q.shape
        emb = np.zeros((len(words), D), dtype=np.float32)
        known = rows < V
        emb[known] = self.emb_q[rows[known]].astype(np.float32) * self.emb_scale[rows[known], None]
        parts = [emb]
        if "word_emb" in f:
            parts.append(f["word_emb"][x["tw"]])
        for j in range(x["clus"].shape[1]):
            parts.append(f[f"clus{j}"][x["clus"][:, j]])
        parts.append(f["gaz_emb"][x["gaz"]])
        parts.append(f["shape_emb"][x["shape"]])
        # character CNN: (n, L, C) embeddings, width-3 "same" convolution, ReLU, max over positions
        ce = f["char_emb"][x["chars"]]  # padding row is zero
        n, L, C = ce.shape
        k = f["char_conv_w"].shape[2]
        pad = k // 2
        cp = np.zeros((n, L + 2 * pad, C), dtype=np.float32)
        cp[:, pad:pad + L] = ce
        win = np.concatenate([cp[:, i:i + L] for i in range(k)], axis=2)  # (n, L, k*C)
        w = f["char_conv_w"].transpose(2, 1, 0).reshape(k * C, -1)  # (out, C, k) -> (k*C, out)
        conv = win @ w + f["char_conv_b"]
        parts.append(np.maximum(conv, 0).max(1))
        return np.concatenate(parts, axis=1)

    def _project(self, words: list[str]) -> None:
        """Cache the input projections of ``words`` (not cached yet; room left: see ``emissions``)."""
        n = self._n
        if n + len(words) > self._proj.shape[0]:
            grown = np.empty((max(min(CACHE_WORDS, 2 * self._proj.shape[0]), n + len(words), 1024),
                              self._proj.shape[1]), dtype=np.float32)
            grown[:n] = self._proj[:n]
            self._proj = grown
        x = self.word_vectors(words)
        f = self.f
        H4 = 4 * self.hidden
        self._proj[n:n + len(words), :H4] = x @ f["lstm_w_ih_f"].T + (f["lstm_b_ih_f"] + f["lstm_b_hh_f"])
        self._proj[n:n + len(words), H4:] = x @ f["lstm_w_ih_b"].T + (f["lstm_b_ih_b"] + f["lstm_b_hh_b"])
        for i, w in enumerate(words):
            self._cache[w] = n + i
        self._n = n + len(words)

    def emissions(self, batch: list[list[str]]) -> tuple[np.ndarray, np.ndarray]:
        """Tag scores (B, T, K) and lengths of a batch of non-empty sentences."""
        uniq = dict.fromkeys(w for s in batch for w in s)
        new = [w for w in uniq if w not in self._cache]
        if new:
            if self._n + len(new) > max(CACHE_WORDS, len(uniq)):
                # full: start again with this batch's words (bounds the memory of a long-running process)
                self._cache.clear()
                self._n = 0
                new = list(uniq)
            self._project(new)
        cache = self._cache
        lengths = np.fromiter((len(s) for s in batch), dtype=np.int64, count=len(batch))
        B, T, H = len(batch), int(lengths.max()), self.hidden
        idx = np.zeros((B, T), dtype=np.int64)  # padding: any cached row (finite values)
        ridx = np.zeros((B, T), dtype=np.int64)  # padding: any cached row (finite values)
        for b, s in enumerate(batch):
            ids = [cache[w] for w in s]
            idx[b, :len(s)] = ids
            ridx[b, :len(s)] = ids[::-1]
        proj = self._proj
        xf = proj[idx, :4 * H]
        xb = proj[ridx, 4 * H:]
        hf = lstm_run(xf, self.f["lstm_w_hh_f"])
        hb_rev = lstm_run(xb, self.f["lstm_w_hh_b"])
        # un-reverse the backward states of each sequence
        pos = lengths[:, None] - 1 - np.arange(T)[None, :]
        hb = np.take_along_axis(hb_rev, np.maximum(pos, 0)[:, :, None], 1)
        h = np.concatenate([hf, hb], 2)
        scores = h @ self.f["out_w"].T + self.f["out_b"]
        return scores, lengths

    def tag_sentences(self, sentences: list[list[str]]) -> list[list[str]]:
        out: list[list[str]] = [[] for _ in sentences]
        for idxs, batch in length_batches(sentences):
            scores, lengths = self.emissions(batch)
            paths = viterbi(scores, lengths, self.trans, self.start, self.end)
            for b, i in enumerate(idxs):
                out[i] = [TAGS[t] for t in paths[b, :lengths[b]]]
        return out


def length_batches(sentences: list[list[str]], max_tokens: int = BATCH_TOKENS):
    """Yield ``(indices, batch)``: the non-empty sentences sorted by length, cut into batches of at most
    ``max_tokens`` padded tokens (a longer sentence forms a batch of its own)."""
    order = sorted((i for i, s in enumerate(sentences) if s), key=lambda i: len(sentences[i]))
    k = 0
    while k < len(order):
        j = k + 1
        while j < len(order) and (j - k + 1) * len(sentences[order[j]]) <= max_tokens:
            j += 1
        idxs = order[k:j]
        yield idxs, [list(sentences[i]) for i in idxs]
        k = j


@lru_cache(maxsize=1)
def load_tagger() -> NeuralTagger:
    """The packaged neural tagger (loaded once)."""
    res = current()
    arrays, meta = read_model((models_dir() / MODEL_FILE).read_bytes())
    return NeuralTagger(arrays, meta, res.clusters, res.gaz)


__all__ = ["NeuralTagger", "bio_scores", "length_batches", "load_tagger", "viterbi", "TAGS"]
