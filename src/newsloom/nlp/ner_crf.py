"""The CRF German named-entity tagger (python-crfsuite, ``models/ner_crf.crfsuite``, built by
``scripts/train_ner.py``; GermEval 2014 dev F1 0.753) and its features, which the ensemble's numpy scorer shares.

The features are cheap on purpose: every word's feature strings (own and as a neighbour at offsets -2..+2) are
computed once and cached, so tagging runs at tens of thousands of tokens a second.
"""
from __future__ import annotations

from functools import lru_cache
from importlib import resources

from newsloom.nlp.memo import memoised
from newsloom.nlp.ner_resources import current, install, lookup, models_dir

MODEL_FILE = "ner_crf.crfsuite"


def set_resources(clusters: dict, gaz: dict, auto: dict | None = None) -> None:
    """Install feature resources (used by the training script before the model exists) and clear the caches."""
    install(clusters, gaz, auto)
    word_features.cache_clear()
    neighbour_features.cache_clear()
    _key.cache_clear()


# ----------------------------------------------------------------------------------------- features

@memoised(maxsize=300_000)
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


def _clusters_of(word: str) -> tuple[str, ...] | None:
    return lookup(word, current().clusters)


@memoised(maxsize=300_000)
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
    g = current().gaz.get(word)
    if g is not None:
        f.append("g=" + g)
    a = current().auto.get(word)
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
        gf = current().gaz.get(first)
        if gf is not None:
            f.append("hfg=" + gf)
    elif word.endswith("-"):
        f.append("trail-")
    return tuple(f)


@memoised(maxsize=600_000)
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
        g = current().gaz.get(word)
        if g is not None:
            f.append(p + "g=" + g)
        a = current().auto.get(word)
        if a is not None:
            f.append(p + "a=" + a)
    else:
        if c is not None:
            f.append(p + "c1=" + c[1])
        f.append(p + "T" if word[:1].isupper() else p + "t")
    return tuple(f)


@memoised(maxsize=300_000)
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


# ------------------------------------------------------------------------------------------ tagger

@lru_cache(maxsize=1)
def load_tagger():
    """The packaged ``pycrfsuite.Tagger`` (loaded once)."""
    import os
    import tempfile

    import pycrfsuite

    current()
    tagger = pycrfsuite.Tagger()
    model = models_dir() / MODEL_FILE
    try:
        with resources.as_file(model) as path:
            tagger.open(str(path))
    except OSError:  # e.g. a zipped install: copy to a temporary file first
        with tempfile.NamedTemporaryFile(suffix=".crfsuite", delete=False) as tmp:
            tmp.write(model.read_bytes())
        tagger.open(tmp.name)
        os.unlink(tmp.name)
    return tagger


def tag_sentences(sentences: list[list[str]]) -> list[list[str]]:
    tagger = load_tagger()
    return [tagger.tag(sentence_features(s)) if s else [] for s in sentences]


__all__ = ["MODEL_FILE", "load_tagger", "neighbour_features", "sentence_feature_items", "sentence_features",
           "set_resources", "tag_sentences", "word_features"]
