#!/usr/bin/env python
"""Rebuild newsloom's neural German NER model (``src/newsloom/models/ner_nn.bin.gz``) from GermEval 2014.

Steps (deterministic: fixed seeds, one thread, deterministic PyTorch algorithms, gzip mtime 0):

1. word vectors: the 200-d PPMI + SVD vectors of ``scripts/train_ner.py`` (``build_vectors``: FANG-COVID
   plus the unlabelled GermEval training tokens), the ``N_VECTORS`` most frequent words kept, stored as
   int8 with one scale per row (the network is trained on exactly these quantised vectors);
2. the word clusters and place gazetteer of the CRF (``src/newsloom/models/ner_resources.tsv.gz``, built
   by ``scripts/train_ner.py`` from the same data) as extra per-word inputs;
3. a BiLSTM-CRF (see ``newsloom.nlp.ner_nn``) trained with Adam on ``train.bio.tsv``; after every epoch
   the model, and the running mean of its weights since epoch ``AVG_FROM``, are scored on
   ``NER-de-dev.tsv``; the best of these is kept (early stopping);
4. the weights are written and the numpy runtime re-scores the dev file (figures printed).

Needs PyTorch for training only (``pip install -e .[train]``).

Usage (from the repository root)::

    .venv/bin/python scripts/train_ner_nn.py [--data ../shared/data]
"""
from __future__ import annotations

import argparse
import collections
import copy
import os
import sys
import time
from pathlib import Path

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_v] = "1"

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))

from newsloom.eval.ner import read_germeval, score_tags  # noqa: E402
from newsloom.nlp import ner_nn, ner_resources  # noqa: E402

MODELS = ROOT / "src" / "newsloom" / "models"
SEED = 0
N_VECTORS = 120_000   # pretrained vectors shipped (most frequent words)
VEC_SCALE = 4.0       # the unit-length vectors are multiplied by this
CHAR_MIN = 2          # characters seen at least this often in the training tokens get an embedding
CHAR_DIM, CHAR_FILTERS, CHAR_WIDTH = 25, 100, 3
CLUS_DIM, GAZ_DIM, SHAPE_DIM = 16, 8, 8
TRAIN_EMB_DIM = 64    # trained embedding of the words seen at least TRAIN_EMB_MIN times in the training data
TRAIN_EMB_MIN = 2
HIDDEN = 200
DROPOUT = 0.3
WORD_DROPOUT = 0.05   # chance a training token loses its pretrained vector (as for unknown words)
LR = 2e-3
BATCH = 32
EPOCHS = 14
PATIENCE = 4          # stop when neither the weights nor their running mean improved for this many epochs
AVG_FROM = 4          # the running mean of the weights after epochs AVG_FROM.. is a candidate too


def log(*a):
    print(*a, flush=True)


# ----------------------------------------------------------------------------------- inputs

def quantise(E: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    scale = (np.abs(E).max(1) / 127.0).astype(np.float32)
    scale[scale == 0] = 1.0
    q = np.clip(np.rint(E / scale[:, None]), -127, 127).astype(np.int8)
    return q, scale


# ------------------------------------------------------------------------------------ model

def build_model(torch, emb: np.ndarray, n_train_words: int, n_chars: int, n_clusters):
    nn = torch.nn

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            V, D = emb.shape
            # pretrained vectors, frozen; row V (unknown word) is zero
            self.register_buffer("emb", torch.from_numpy(np.vstack([emb, np.zeros((1, D), np.float32)])))
            if TRAIN_EMB_DIM:
                self.word_emb = nn.Embedding(n_train_words + 1, TRAIN_EMB_DIM)
            self.clus = nn.ModuleList([nn.Embedding(k + 1, CLUS_DIM) for k in n_clusters])
            self.gaz = nn.Embedding(len(ner_nn.GAZ_TAGS) + 1, GAZ_DIM)
            self.shape = nn.Embedding(ner_nn.N_SHAPES, SHAPE_DIM)
            self.char_emb = nn.Embedding(n_chars, CHAR_DIM, padding_idx=0)
            self.char_conv = nn.Conv1d(CHAR_DIM, CHAR_FILTERS, CHAR_WIDTH, padding=CHAR_WIDTH // 2)
            d_in = D + TRAIN_EMB_DIM + CLUS_DIM * len(n_clusters) + GAZ_DIM + SHAPE_DIM + CHAR_FILTERS
            self.drop = nn.Dropout(DROPOUT)
            self.lstm = nn.LSTM(d_in, HIDDEN, batch_first=True, bidirectional=True)
            K = len(ner_nn.TAGS)
            self.out = nn.Linear(2 * HIDDEN, K)
            self.trans = nn.Parameter(torch.zeros(K, K))
            self.start = nn.Parameter(torch.zeros(K))
            self.end = nn.Parameter(torch.zeros(K))
            ok, sok = ner_nn.allowed_transitions()
            self.register_buffer("bad_trans", torch.from_numpy(~ok))
            self.register_buffer("bad_start", torch.from_numpy(~sok))

        def word_repr(self, w):
            parts = [self.emb[w["row"]]]
            if TRAIN_EMB_DIM:
                parts.append(self.word_emb(w["tw"]))
            parts += [e(w["clus"][:, j]) for j, e in enumerate(self.clus)]
            parts += [self.gaz(w["gaz"]), self.shape(w["shape"])]
            ce = self.char_emb(w["chars"]).transpose(1, 2)  # (n, C, L)
            parts.append(torch.relu(self.char_conv(ce)).max(2).values)
            return torch.cat(parts, 1)

        def emissions(self, w, idx, lengths):
            """``w``: word input tensors of the batch's distinct words; ``idx`` (B, T) positions into
            them (padding: any); ``lengths`` (B,) on CPU."""
            x = self.word_repr(w)[idx]
            x = self.drop(x)
            packed = nn.utils.rnn.pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
            h, _ = self.lstm(packed)
            h, _ = nn.utils.rnn.pad_packed_sequence(h, batch_first=True, total_length=idx.shape[1])
            return self.out(self.drop(h))

        def crf_params(self):
            neg = -1e4
            return (self.trans.masked_fill(self.bad_trans, neg), self.start.masked_fill(self.bad_start, neg),
                    self.end)

        def nll(self, scores, tags, mask):
            trans, start, end = self.crf_params()
            B, T, K = scores.shape
            mf = mask.float()
            gold = start[tags[:, 0]] + (scores.gather(2, tags[:, :, None])[:, :, 0] * mf).sum(1)
            gold = gold + (trans[tags[:, :-1], tags[:, 1:]] * mf[:, 1:]).sum(1)
            last = tags.gather(1, (mask.sum(1) - 1)[:, None])[:, 0]
            gold = gold + end[last]
            alpha = start[None] + scores[:, 0]
            for t in range(1, T):
                nxt = torch.logsumexp(alpha[:, :, None] + trans[None], 1) + scores[:, t]
                alpha = torch.where(mask[:, t, None], nxt, alpha)
            logz = torch.logsumexp(alpha + end[None], 1)
            return (logz - gold).sum()

    return Net()


# ------------------------------------------------------------------------------------ train

def batches(sent_ids, lengths, size, rng=None):
    """Batches of sentences of similar length (sorted by length, cut into ``size``; order shuffled)."""
    order = sorted(sent_ids, key=lambda i: (lengths[i], i))
    out = [order[k:k + size] for k in range(0, len(order), size)]
    if rng is not None:
        rng.shuffle(out)
    return out


def make_batch(torch, sents, ids, word_id, winputs, word_dropout=0.0, rng=None):
    toks = [sents[i][0] for i in ids]
    lengths = [len(t) for t in toks]
    T = max(lengths)
    uniq = sorted({word_id[w] for t in toks for w in t})
    pos = {u: k for k, u in enumerate(uniq)}
    idx = np.zeros((len(ids), T), np.int64)
    for b, t in enumerate(toks):
        idx[b, :len(t)] = [pos[word_id[w]] for w in t]
    u = np.asarray(uniq)
    w = {k: v[u] for k, v in winputs.items() if k != "n_vec"}
    if word_dropout > 0:
        drop = rng.random(len(u)) < word_dropout
        w["row"] = np.where(drop, winputs["n_vec"], w["row"])
        w["tw"] = np.where(drop, 0, w["tw"])
    wt = {k: torch.from_numpy(np.ascontiguousarray(v)) for k, v in w.items()}
    return wt, torch.from_numpy(idx), torch.tensor(lengths), lengths


def predict(torch, model, sents, word_id, winputs):
    model.eval()
    trans, start, end = (p.detach().numpy() for p in model.crf_params())
    lengths = [len(t) for t, _ in sents]
    pred = [None] * len(sents)
    with torch.no_grad():
        for ids in batches(range(len(sents)), lengths, 128):
            wt, idx, lt, ls = make_batch(torch, sents, ids, word_id, winputs)
            sc = model.emissions(wt, idx, lt).numpy()
            paths = ner_nn.viterbi(sc, np.asarray(ls), trans, start, end)
            for b, i in enumerate(ids):
                pred[i] = [ner_nn.TAGS[k] for k in paths[b, :ls[b]]]
    return pred


def export(model, meta_words, train_words, chars, emb_q, emb_scale) -> tuple[dict, dict]:
    sd = {k: v.detach().numpy().astype(np.float32) for k, v in model.state_dict().items()}
    arrays = {"emb_q": emb_q, "emb_scale": (emb_scale * VEC_SCALE).astype(np.float32)}
    for j in range(len(model.clus)):
        arrays[f"clus{j}"] = sd[f"clus.{j}.weight"]
    for name, key in (("gaz_emb", "gaz.weight"), ("shape_emb", "shape.weight"), ("char_emb", "char_emb.weight"),
                      ("char_conv_w", "char_conv.weight"), ("char_conv_b", "char_conv.bias")):
        arrays[name] = sd[key]
    for d, suf in (("f", ""), ("b", "_reverse")):
        for k, name in (("w_ih", "weight_ih"), ("w_hh", "weight_hh"), ("b_ih", "bias_ih"), ("b_hh", "bias_hh")):
            arrays[f"lstm_{k}_{d}"] = sd[f"lstm.{name}_l0{suf}"]
    for name, key in (("out_w", "out.weight"), ("out_b", "out.bias"), ("crf_trans", "trans"), ("crf_start", "start"),
                      ("crf_end", "end")):
        arrays[name] = sd[key]
    if TRAIN_EMB_DIM:
        arrays["word_emb"] = sd["word_emb.weight"]
    meta = {"vocab": meta_words, "train_vocab": train_words, "chars": chars, "tags": list(ner_nn.TAGS)}
    return arrays, meta


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    ap.add_argument("--out", default=str(MODELS))
    ap.add_argument("--epochs", type=int, default=EPOCHS)
    ap.add_argument("--vectors-cache", help="reuse/save the word vectors here (.npz; for experiments)")
    args = ap.parse_args(argv)
    import torch

    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    torch.manual_seed(SEED)
    rng = np.random.default_rng(SEED)
    data = Path(args.data)
    if not data.is_absolute():
        data = (ROOT / data).resolve()
    out = Path(args.out)
    t_start = time.time()

    # 1. word vectors
    cache = Path(args.vectors_cache) if args.vectors_cache else None
    if cache is not None and cache.exists():
        z = np.load(cache)
        words, E = [str(w) for w in z["words"]], z["E"]
    else:
        import train_ner

        words, E = train_ner.build_vectors(data, log)
        words, E = words[:N_VECTORS], np.asarray(E[:N_VECTORS], dtype=np.float32)
        if cache is not None:
            np.savez(cache, words=np.asarray(words), E=E)
    words, E = words[:N_VECTORS], E[:N_VECTORS]
    emb_q, emb_scale = quantise(E)
    emb = emb_q.astype(np.float32) * (emb_scale * VEC_SCALE)[:, None]
    vocab = {w: i for i, w in enumerate(words)}
    log(f"vectors: {len(words)} words ({time.time() - t_start:.0f}s)")

    # 2. resources, data, per-word inputs
    res = ner_resources.current()
    clusters, gaz = res.clusters, res.gaz
    train = read_germeval(data / "germeval2014" / "train.bio.tsv")
    dev = read_germeval(data / "germeval2014" / "NER-de-dev.tsv")
    cc = collections.Counter(c for toks, _ in train for w in toks for c in w)
    chars = sorted(c for c, n in cc.items() if n >= CHAR_MIN)
    char_index = {c: i + 4 for i, c in enumerate(chars)}
    all_words = sorted({w for s in (train, dev) for toks, _ in s for w in toks})
    word_id = {w: i for i, w in enumerate(all_words)}
    wc = collections.Counter(w for toks, _ in train for w in toks)
    train_words = sorted(w for w, n in wc.items() if n >= TRAIN_EMB_MIN) if TRAIN_EMB_DIM else []
    train_vocab = {w: i + 1 for i, w in enumerate(train_words)}
    winputs = ner_nn.encode_words(all_words, vocab, train_vocab, char_index, clusters, gaz)
    winputs["n_vec"] = len(words)
    dev_tokens = [w for toks, _ in dev for w in toks]
    log(f"train {len(train)} sentences, dev {len(dev)}; {len(chars)} characters; dev tokens without vector "
        f"{sum(ner_resources.lookup(w, vocab) is None for w in dev_tokens) / len(dev_tokens):.3f}")

    # 3. training
    n_clusters = [int(winputs["clus"][:, j].max()) for j in range(winputs["clus"].shape[1])]
    n_clusters = [max(n, k) for n, k in zip(n_clusters, (100, 400, 1600))]
    model = build_model(torch, emb, len(train_words), len(chars) + 4, n_clusters)
    opt = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=LR)
    tag_ids = [np.asarray([ner_nn.TAG_INDEX[t] for t in tags]) for _, tags in train]
    lengths = [len(t) for t, _ in train]
    best = (-1.0, 0, None, "")
    avg = None
    avg_model = copy.deepcopy(model)
    gold_dev = [g for _, g in dev]
    for epoch in range(1, args.epochs + 1):
        t0 = time.time()
        model.train()
        total = 0.0
        for ids in batches(range(len(train)), lengths, BATCH, rng):
            wt, idx, lt, ls = make_batch(torch, train, ids, word_id, winputs, WORD_DROPOUT, rng)
            tags = np.zeros(idx.shape, np.int64)
            for b, i in enumerate(ids):
                tags[b, :ls[b]] = tag_ids[i]
            mask = torch.arange(idx.shape[1])[None, :] < lt[:, None]
            loss = model.nll(model.emissions(wt, idx, lt), torch.from_numpy(tags), mask)
            opt.zero_grad()
            (loss / len(ids)).backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            opt.step()
            total += loss.item()
        s = score_tags(gold_dev, predict(torch, model, dev, word_id, winputs))
        log(f"epoch {epoch}: loss {total / sum(lengths):.4f}, dev f1 {s['f1']:.4f} main4 {s['f1_main4']:.4f} "
            f"({time.time() - t0:.0f}s)")
        cands = [(s["f1"], f"epoch {epoch}", copy.deepcopy(model.state_dict()))]
        if epoch >= AVG_FROM:  # running mean of the weights after every epoch since AVG_FROM
            sd = model.state_dict()
            n = epoch - AVG_FROM + 1
            if avg is None:
                avg = {k: v.detach().clone() for k, v in sd.items()}
            else:
                for k, v in sd.items():
                    if v.is_floating_point():
                        avg[k] += (v.detach() - avg[k]) / n
            avg_model.load_state_dict(avg)
            sa = score_tags(gold_dev, predict(torch, avg_model, dev, word_id, winputs))
            log(f"  mean of epochs {AVG_FROM}-{epoch}: dev f1 {sa['f1']:.4f} main4 {sa['f1_main4']:.4f}")
            cands.append((sa["f1"], f"mean of epochs {AVG_FROM}-{epoch}", copy.deepcopy(avg)))
        for f1, name, state in cands:
            if f1 > best[0]:
                best = (f1, epoch, state, name)
        if epoch - best[1] >= PATIENCE:
            break
    model.load_state_dict(best[2])
    log(f"best: {best[3]}, dev f1 {best[0]:.4f}; training {time.time() - t_start:.0f}s")

    # 4. write and re-score with the numpy runtime
    arrays, meta = export(model, words, train_words, chars, emb_q, emb_scale)
    out.mkdir(parents=True, exist_ok=True)
    path = out / ner_nn.MODEL_FILE
    ner_nn.write_model(path, arrays, meta)
    tagger = ner_nn.NeuralTagger(*ner_nn.read_model(path.read_bytes()), clusters, gaz)
    toks = [t for t, _ in dev]
    t0 = time.perf_counter()
    pred = tagger.tag_sentences(toks)
    dt = time.perf_counter() - t0
    s = score_tags(gold_dev, pred)
    log(f"numpy runtime, dev (outer, 12 labels): P={s['precision']:.4f} R={s['recall']:.4f} F1={s['f1']:.4f}; "
        f"main4 F1={s['f1_main4']:.4f}; {len(dev_tokens) / dt:.0f} tokens/s (cold cache)")
    for t, v in s["per_type"].items():
        log(f"  {t:10s} P={v['precision']:.3f} R={v['recall']:.3f} F1={v['f1']:.3f} n={v['support']}")
    log(f"total {time.time() - t_start:.0f}s; model {path.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
