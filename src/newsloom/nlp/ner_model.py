"""German named-entity tagging, the one public entry point of newsloom's NER package (trained on GermEval 2014,
outer level).

``tag(tokens)`` returns one BIO tag per token with the GermEval labels (``B-PER``, ``I-ORG``,
``B-LOCderiv``, ``B-ORGpart``, ...); ``tag_sentences`` tags a list of sentences (batch many: the neural engines
run sentences of similar length together). Three engines (``ENGINES``); the default is the ingest's,
``settings.INGEST.ner_engine`` (the one place it is set):

* ``"ensemble"``: the two below, their per-token tag probabilities mixed (``ner_ensemble``), dev F1 0.788;
* ``"nn"``: the numpy BiLSTM-CRF of ``ner_nn`` (``models/ner_nn.bin.gz``, built by
  ``scripts/train_ner_nn.py``), dev F1 0.770;
* ``"crf"``: a linear-chain CRF (``ner_crf``, python-crfsuite), dev F1 0.753.

The package: ``ner_resources`` (word clusters and gazetteers, shared), ``ner_crf``, ``ner_nn``, ``ner_ensemble``
(each importing only the ones before it) and this module over them.
"""
from __future__ import annotations

from newsloom import settings
from newsloom.nlp import ner_crf, ner_ensemble, ner_nn

ENGINES = ("ensemble", "nn", "crf")


def default_engine() -> str:
    return settings.INGEST.ner_engine


def _checked(engine: str | None) -> str:
    engine = engine or default_engine()
    if engine not in ENGINES:
        raise ValueError(f"unknown NER engine {engine!r} (expected one of {', '.join(ENGINES)})")
    return engine


def load_tagger(engine: str | None = None):
    """Load the packaged tagger of ``engine`` (once): the ``ner_nn.NeuralTagger``, the
    ``pycrfsuite.Tagger``, or for the ensemble both (its ``CrfScorer`` is returned)."""
    engine = _checked(engine)
    if engine == "crf":
        return ner_crf.load_tagger()
    if engine == "nn":
        return ner_nn.load_tagger()
    ner_nn.load_tagger()
    return ner_ensemble.crf_scorer()


def tag(tokens: list[str], engine: str | None = None) -> list[str]:
    """Outer-level BIO tags (GermEval labels) for one tokenised sentence."""
    return tag_sentences([tokens], engine)[0] if tokens else []


def tag_sentences(sentences: list[list[str]], engine: str | None = None) -> list[list[str]]:
    """``tag`` applied to every sentence."""
    engine = _checked(engine)
    sentences = [list(s) for s in sentences]
    if engine == "crf":
        return ner_crf.tag_sentences(sentences)
    if engine == "nn":
        return ner_nn.load_tagger().tag_sentences(sentences)
    return ner_ensemble.tag_sentences(sentences)


__all__ = ["ENGINES", "default_engine", "load_tagger", "tag", "tag_sentences"]
