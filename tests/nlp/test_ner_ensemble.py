"""The CRF + BiLSTM-CRF NER ensemble (``newsloom.nlp.ner_ensemble``)."""
from __future__ import annotations

import itertools

import numpy as np

from newsloom.nlp import ner_crf, ner_ensemble, ner_model
from newsloom.nlp.ner_ensemble import crf_scorer, marginals


def _brute_force_marginals(scores, trans, start, end):
    """Every tag path of one short sequence enumerated: its probability added to each of its tags."""
    n, k = scores.shape
    totals = np.zeros((n, k))
    for path in itertools.product(range(k), repeat=n):
        value = start[path[0]] + scores[0, path[0]] + end[path[-1]]
        value += sum(trans[path[i - 1], path[i]] + scores[i, path[i]] for i in range(1, n))
        weight = np.exp(value)
        for i, tag in enumerate(path):
            totals[i, tag] += weight
    return totals / totals.sum(1, keepdims=True)


def test_forward_backward_matches_enumeration_on_a_ragged_batch():
    rng = np.random.default_rng(7)
    k = 4
    scores = rng.normal(size=(3, 5, k)).astype(np.float32) * 2
    trans = rng.normal(size=(k, k)).astype(np.float32)
    trans[0, 3] = -1e4  # a forbidden move
    start, end = rng.normal(size=k).astype(np.float32), rng.normal(size=k).astype(np.float32)
    lengths = np.array([5, 2, 1])
    got = marginals(scores, lengths, trans, start, end)
    for b, n in enumerate(lengths):
        expected = _brute_force_marginals(scores[b, :n].astype(np.float64), trans, start, end)
        assert np.abs(got[b, :n] - expected).max() < 1e-5
        assert np.all(got[b, n:] == 0)


def test_two_tag_marginals_by_hand():
    """Two tokens, two tags, no transition scores: the marginals are the per-token softmaxes."""
    scores = np.array([[[0.0, np.log(3.0)], [np.log(1.0), np.log(1.0)]]], dtype=np.float32)
    zero = np.zeros(2, np.float32)
    got = marginals(scores, np.array([2]), np.zeros((2, 2), np.float32), zero, zero)
    assert np.allclose(got[0], [[0.25, 0.75], [0.5, 0.5]], atol=1e-6)


def test_crf_scorer_reproduces_crfsuite_marginals():
    tokens = "Bundeskanzlerin Angela Merkel sprach am Mittwoch in Berlin mit der Deutschen Bahn .".split()
    tagger = ner_model.load_tagger("crf")
    tagger.set(ner_crf.sentence_features(tokens))
    ours = crf_scorer().marginals([tokens], np.array([len(tokens)]))[0]
    for label in tagger.labels():
        column = ner_ensemble.ner_nn.TAG_INDEX[label]
        reference = [tagger.marginal(label, t) for t in range(len(tokens))]
        assert np.abs(ours[:, column] - reference).max() < 1e-4


def test_ensemble_tags_are_valid_bio_and_find_the_obvious():
    sentences = [
        "Angela Merkel traf in Paris den französischen Präsidenten .".split(),
        [],
        "Die Europäische Union und die Vereinten Nationen äußerten sich nicht .".split(),
    ]
    tags = ner_ensemble.tag_sentences(sentences)
    assert [len(t) for t in tags] == [len(s) for s in sentences]
    for sequence in tags:
        previous = "O"
        for tag in sequence:
            assert not (tag.startswith("I-") and previous[2:] != tag[2:])
            previous = tag
    assert tags[0][:2] == ["B-PER", "I-PER"]
    assert tags[0][4] == "B-LOC"
    assert tags[0][6] == "B-LOCderiv"


def test_ingest_setting_chooses_the_engine(monkeypatch):
    """``settings.INGEST.ner_engine`` decides which tagger reads the leads; every engine finds the obvious."""
    import dataclasses

    from newsloom import settings
    from newsloom.nlp import entities
    from newsloom.nlp.text import sentences

    text = "Der Unternehmer Jorinde Walbrecht eröffnete in Hamburg ein Werk der Firma Telvanor ."
    calls = []
    original = ner_model.tag_sentences

    def spy(token_lists, engine=None):
        calls.append(engine)
        return original(token_lists, engine)

    monkeypatch.setattr(ner_model, "tag_sentences", spy)
    for engine in ner_model.ENGINES:
        monkeypatch.setattr(settings, "INGEST", dataclasses.replace(settings.INGEST, ner_engine=engine))
        names = {(m.type.value, m.name) for m in entities.find_mentions(text, sentences(text))}
        assert ("PER", "Jorinde Walbrecht") in names, (engine, names)
        assert ("LOC", "Hamburg") in names, (engine, names)
    assert calls == list(ner_model.ENGINES)
