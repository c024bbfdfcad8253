"""German named-entity taggers shipped with newsloom (trained on GermEval 2014, outer level).

``tag(tokens)`` returns one BIO tag per token with the GermEval labels (``B-PER``, ``I-ORG``,
``B-LOCderiv``, ``B-ORGpart``, ...); ``tag_sentences`` tags a list of sentences.  Three engines:

* ``"ensemble"`` (the default): the two below, their per-token tag probabilities mixed
  (``newsloom.nlp.ner_ensemble``), dev F1 0.788;
* ``"nn"``: the numpy BiLSTM-CRF of ``newsloom.nlp.ner_nn`` (``models/ner_nn.bin.gz``,
  built by ``scripts/train_ner_nn.py``), dev F1 0.770;
* ``"crf"``: a linear-chain CRF (``models/ner_crf.crfsuite``, python-crfsuite), dev F1 0.753.

All use the resources in ``models/ner_resources.tsv.gz`` (word clusters learnt from unlabelled German
news text, a small place-name gazetteer), built with the CRF by ``scripts/train_ner.py``.

The CRF's features are cheap on purpose: every word's feature strings (own and as a neighbour at offsets
-2..+2) are computed once and cached, so tagging runs at tens of thousands of tokens a second.
"""
from __future__ import annotations

import gzip
from functools import lru_cache
from importlib import resources

MODEL_FILE = "ner_crf.crfsuite"
RESOURCE_FILE = "ner_resources.tsv.gz"
ENGINE = "ensemble"  # default engine of ``tag``/``tag_sentences``/``load_tagger`` (see ``ENGINES``)

# word -> cluster ids (coarse to fine), word -> place-gazetteer tag; filled by ``load_resources``
_CLUSTERS: dict[str, tuple[str, ...]] = {}
_GAZ: dict[str, str] = {}
_AUTO: dict[str, str] = {}  # word -> entity type it mostly gets in automatically tagged news text
_LOADED = False


def _models_dir():
    return resources.files("newsloom") / "models"


def parse_resources(text: str) -> tuple[dict[str, tuple[str, ...]], dict[str, str], dict[str, str]]:
    """Parse the resource TSV: ``C<TAB>word<TAB>c1<TAB>c2...`` (cluster ids, coarse to fine) and
    ``G<TAB>word<TAB>tag`` (place gazetteer) and ``A<TAB>word<TAB>type`` (automatic gazetteer) lines."""
    clusters: dict[str, tuple[str, ...]] = {}
    gaz: dict[str, str] = {}
    auto: dict[str, str] = {}
    for line in text.split("\n"):
        cols = line.split("\t")
        if cols[0] == "C" and len(cols) >= 3:
            clusters[cols[1]] = tuple(cols[2:])
        elif cols[0] == "G" and len(cols) == 3:
            gaz[cols[1]] = cols[2]
        elif cols[0] == "A" and len(cols) == 3:
            auto[cols[1]] = cols[2]
    return clusters, gaz, auto


def set_resources(clusters: dict, gaz: dict, auto: dict | None = None) -> None:
    """Install feature resources (used by the training script before the model exists)."""
    global _LOADED
    _CLUSTERS.clear()
    _CLUSTERS.update(clusters)
    _GAZ.clear()
    _GAZ.update(gaz)
    _AUTO.clear()
    _AUTO.update(auto or {})
    _LOADED = True
    word_features.cache_clear()
    neighbour_features.cache_clear()
    _key.cache_clear()


def load_resources() -> None:
    if _LOADED:
        return
    data = (_models_dir() / RESOURCE_FILE).read_bytes()
    set_resources(*parse_resources(gzip.decompress(data).decode("utf-8")))


# ----------------------------------------------------------------------------------------- features

@lru_cache(maxsize=300_000)
def _shape(word: str) -> str:
    out = []
    prev = ""
    for ch in word[:12]:
        if ch.isupper():
            c = "X"
        elif ch.islower():
            c = "x"
        elif ch.isdigit():
            c = "d"
        else:
            c = ch
        if c != prev:
            out.append(c)
        prev = c
    return "".join(out)


def lookup(word: str, table: dict):
    """``table`` entry of ``word``, else of its lowercase, else of its capitalised form (None: none)."""
    v = table.get(word)
    if v is None:
        low = word.lower()
        v = table.get(low)
        if v is None:
            v = table.get(low.capitalize())
    return v


def _clusters_of(word: str) -> tuple[str, ...] | None:
    return lookup(word, _CLUSTERS)


@lru_cache(maxsize=300_000)
def word_features(word: str) -> tuple[str, ...]:
    """Feature strings of ``word`` as the token being tagged."""
    low = word.lower()
    f = ["b", "w=" + low, "sh=" + _shape(word)]
    n = len(low)
    for k in (1, 2, 3, 4, 5):
        if n > k:
            f.append(f"s{k}=" + low[-k:])
    for k in (2, 3, 4):
        if n > k:
            f.append(f"p{k}=" + low[:k])
    if word[:1].isupper():
        f.append("T")
        if word.isupper() and n > 1:
            f.append("U")
    if any(ch.isdigit() for ch in word):
        f.append("D")
    if n <= 2:
        f.append("len=" + str(n))
    c = _clusters_of(word)
    if c is not None:
        f.extend([f"c{j}={x}" for j, x in enumerate(c)])
    else:
        f.append("c=none")
    g = _GAZ.get(word)
    if g is not None:
        f.append("g=" + g)
    a = _AUTO.get(word)
    if a is not None:
        f.append("a=" + a)
    if "-" in word.strip("-") and n > 2:
        parts = word.strip("-").split("-")
        first, last = parts[0], parts[-1]
        f.append("hf=" + first.lower())
        f.append("hl=" + last.lower())
        f.append("hfs=" + _shape(first))
        cf = _clusters_of(first)
        if cf is not None:
            f.append("hfc=" + cf[1])
        cl = _clusters_of(last)
        if cl is not None:
            f.append("hlc=" + cl[1])
        gf = _GAZ.get(first)
        if gf is not None:
            f.append("hfg=" + gf)
    elif word.endswith("-"):
        f.append("trail-")
    return tuple(f)


@lru_cache(maxsize=600_000)
def neighbour_features(word: str, offset: int) -> tuple[str, ...]:
    """Feature strings of ``word`` seen from a token ``offset`` positions away (-2..2)."""
    p = f"{offset}:"
    low = word.lower()
    f = [p + "w=" + low]
    c = _clusters_of(word)
    if abs(offset) == 1:
        f.append(p + "sh=" + _shape(word))
        if len(low) > 3:
            f.append(p + "s3=" + low[-3:])
        if c is not None:
            f.extend([f"{p}c{j}={x}" for j, x in enumerate(c)])
        g = _GAZ.get(word)
        if g is not None:
            f.append(p + "g=" + g)
        a = _AUTO.get(word)
        if a is not None:
            f.append(p + "a=" + a)
    else:
        if c is not None:
            f.append(p + "c1=" + c[1])
        f.append(p + "T" if word[:1].isupper() else p + "t")
    return tuple(f)


@lru_cache(maxsize=300_000)
def _key(word: str) -> str:
    """Form of a word in the word-bigram features."""
    return word.lower()


_QUOTES = frozenset('"„“”«»')
_BOS = {-2: ("-2:BOS",), -1: ("-1:BOS",)}
_EOS = {1: ("1:EOS",), 2: ("2:EOS",)}


def sentence_feature_items(tokens: list[str]) -> list[list]:
    """Every token's features in one sentence as items: ``(word, offset)`` stands for the cached
    ``word_features(word)`` (offset 0) or ``neighbour_features(word, offset)``; a string is a feature of the
    token's position (quotes, word bigrams, sentence edges)."""
    n = len(tokens)
    keys = [_key(w) for w in tokens]
    keys.append("EOS")
    out = []
    prev = "BOS"
    inside = False
    for i, w in enumerate(tokens):
        f: list = [(w, 0)]
        if w in _QUOTES:
            inside = not inside
        elif inside:
            f.append("inq")
        k = keys[i]
        f.append("bl=" + prev + "|" + k)
        f.append("br=" + k + "|" + keys[i + 1])
        prev = k
        if i == 0:
            f.append("first")
            f.extend(_BOS[-1])
            f.extend(_BOS[-2])
        else:
            f.append((tokens[i - 1], -1))
            f.append((tokens[i - 2], -2) if i > 1 else _BOS[-2][0])
        if i + 1 < n:
            f.append((tokens[i + 1], 1))
            f.append((tokens[i + 2], 2) if i + 2 < n else _EOS[2][0])
        else:
            f.extend(_EOS[1])
            f.extend(_EOS[2])
        out.append(f)
    return out


def sentence_features(tokens: list[str]) -> list[list[str]]:
    """Feature lists of every token in one sentence (resources must be loaded)."""
    out = []
    for items in sentence_feature_items(tokens):
        f: list[str] = []
        for item in items:
            if isinstance(item, str):
                f.append(item)
            else:
                f.extend(word_features(item[0]) if item[1] == 0 else neighbour_features(*item))
        out.append(f)
    return out


# ------------------------------------------------------------------------------------------ runtime

@lru_cache(maxsize=1)
def _load_crf():
    """The packaged CRF tagger (loaded once; resources installed on first use)."""
    import os
    import tempfile

    import pycrfsuite

    load_resources()
    tagger = pycrfsuite.Tagger()
    model = _models_dir() / MODEL_FILE
    try:
        with resources.as_file(model) as path:
            tagger.open(str(path))
    except OSError:  # e.g. a zipped install: copy to a temporary file first
        with tempfile.NamedTemporaryFile(suffix=".crfsuite", delete=False) as tmp:
            tmp.write(model.read_bytes())
        tagger.open(tmp.name)
        os.unlink(tmp.name)
    return tagger


ENGINES = ("ensemble", "nn", "crf")


def _check(engine: str) -> None:
    if engine not in ENGINES:
        raise ValueError(f"unknown NER engine {engine!r} (expected one of {', '.join(ENGINES)})")


def load_tagger(engine: str = ENGINE):
    """Load the packaged tagger of ``engine`` (once): the ``ner_nn.NeuralTagger``, the
    ``pycrfsuite.Tagger``, or for the ensemble both (its ``CrfScorer`` is returned)."""
    _check(engine)
    if engine == "crf":
        return _load_crf()
    from newsloom.nlp import ner_nn

    network = ner_nn.load_tagger()
    if engine == "nn":
        return network
    from newsloom.nlp import ner_ensemble

    return ner_ensemble.crf_scorer()


def tag(tokens: list[str], engine: str = ENGINE) -> list[str]:
    """Outer-level BIO tags (GermEval labels) for one tokenised sentence."""
    return tag_sentences([tokens], engine)[0] if tokens else []


def tag_sentences(sentences: list[list[str]], engine: str = ENGINE) -> list[list[str]]:
    """``tag`` applied to every sentence (the neural engines batch sentences of similar length)."""
    _check(engine)
    sentences = [list(s) for s in sentences]
    if engine == "crf":
        tagger = _load_crf()
        return [tagger.tag(sentence_features(s)) if s else [] for s in sentences]
    if engine == "nn":
        return load_tagger("nn").tag_sentences(sentences)
    from newsloom.nlp import ner_ensemble

    return ner_ensemble.tag_sentences(sentences)


__all__ = ["ENGINE", "ENGINES", "load_tagger", "tag", "tag_sentences", "sentence_features", "word_features"]
