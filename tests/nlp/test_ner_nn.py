"""The numpy BiLSTM-CRF German NER tagger (``newsloom.nlp.ner_nn``)."""
from __future__ import annotations

import numpy as np
import pytest

from newsloom.nlp import ner_nn
from newsloom.nlp.ner_nn import TAG_INDEX, TAGS, lstm_run, read_model, viterbi, write_model


def _valid_bio(tags: list[str]) -> bool:
    prev = "O"
    for t in tags:
        if t.startswith("I-") and prev[2:] != t[2:]:
            return False
        prev = t
    return True


def _no_trans():
    K = len(TAGS)
    trans_ok, start_ok = ner_nn.allowed_transitions()
    neg = -1e4
    return (np.where(trans_ok, 0.0, neg).astype(np.float32), np.where(start_ok, 0.0, neg).astype(np.float32),
            np.zeros(K, np.float32))


def test_allowed_transitions():
    ok, start_ok = ner_nn.allowed_transitions()
    assert len(TAGS) == 25 and TAGS[0] == "O"
    assert not start_ok[TAG_INDEX["I-PER"]] and start_ok[TAG_INDEX["B-PER"]] and start_ok[0]
    assert ok[TAG_INDEX["B-PER"], TAG_INDEX["I-PER"]] and ok[TAG_INDEX["I-PER"], TAG_INDEX["I-PER"]]
    assert not ok[TAG_INDEX["O"], TAG_INDEX["I-PER"]]
    assert not ok[TAG_INDEX["B-LOC"], TAG_INDEX["I-PER"]]
    assert ok[TAG_INDEX["I-PER"], TAG_INDEX["B-LOC"]] and ok[TAG_INDEX["B-ORG"], 0]


def test_viterbi_refuses_inside_after_outside():
    K = len(TAGS)
    trans, start, end = _no_trans()
    o, b, i = 0, TAG_INDEX["B-PER"], TAG_INDEX["I-PER"]
    s = np.zeros((1, 3, K), np.float32)
    # emissions alone would say O, I-PER, I-PER: forbidden, so the best valid path is O, B-PER, I-PER
    s[0, 0, o] = 5
    s[0, 1, i] = 4
    s[0, 1, b] = 3
    s[0, 2, i] = 4
    assert viterbi(s, np.array([3]), trans, start, end)[0].tolist() == [o, b, i]
    # I- at the start of a sentence is forbidden too
    s2 = np.zeros((1, 1, K), np.float32)
    s2[0, 0, i] = 10
    s2[0, 0, b] = 1
    assert viterbi(s2, np.array([1]), trans, start, end)[0].tolist() == [b]


def test_viterbi_hand_computed_and_batched():
    """Two tags' worth of hand arithmetic: the transition bonus outweighs the emissions."""
    K = len(TAGS)
    trans, start, end = _no_trans()
    o, b = 0, TAG_INDEX["B-LOC"]
    trans[b, b] = 3.0  # B-LOC B-LOC bonus
    s = np.full((2, 3, K), -100, np.float32)
    s[:, :, o] = 0.0
    s[:, :, b] = -1.0
    # sequence 0, length 3: O O O = 0; B B B = -3 + 6 = 3 -> B B B
    # sequence 1, length 1 (padding ignored): O = 0 > B = -1 -> O, padded positions 0
    out = viterbi(s, np.array([3, 1]), trans, start, end)
    assert out[0].tolist() == [b, b, b]
    assert out[1].tolist() == [o, 0, 0]


def test_lstm_step_matches_hand_computation():
    H = 2
    rng = np.random.default_rng(0)
    xw = rng.normal(size=(1, 2, 4 * H)).astype(np.float32)
    w_hh = rng.normal(size=(4 * H, H)).astype(np.float32)
    out = lstm_run(xw, w_hh)

    def sig(x):
        return 1 / (1 + np.exp(-x))

    h = np.zeros(H)
    c = np.zeros(H)
    for t in range(2):
        g = xw[0, t] + w_hh @ h
        i, f, gg, o = g[:H], g[H:2 * H], g[2 * H:3 * H], g[3 * H:]
        c = sig(f) * c + sig(i) * np.tanh(gg)
        h = sig(o) * np.tanh(c)
        np.testing.assert_allclose(out[0, t], h, rtol=1e-5, atol=1e-6)


def test_model_container_round_trip(tmp_path):
    arrays = {"b": np.arange(6, dtype=np.float32).reshape(2, 3), "a": np.array([-3, 7], np.int8)}
    p1, p2 = tmp_path / "m1.bin.gz", tmp_path / "m2.bin.gz"
    write_model(p1, arrays, {"vocab": ["Köln", "x"]})
    write_model(p2, dict(reversed(list(arrays.items()))), {"vocab": ["Köln", "x"]})
    assert p1.read_bytes() == p2.read_bytes()  # deterministic: no timestamps, sorted keys
    got, meta = read_model(p1.read_bytes())
    assert meta == {"vocab": ["Köln", "x"]}
    assert got["a"].dtype == np.int8 and got["a"].tolist() == [-3, 7]
    np.testing.assert_array_equal(got["b"], arrays["b"])


def test_shape_class():
    assert [ner_nn.shape_class(w) for w in ("haus", "Haus", "EU", "iPhone", "2020", "G7", ".", "A")] == \
        [0, 1, 2, 3, 4, 5, 6, 1]


# ----------------------------------------------------------------------------------- shipped model

@pytest.fixture(scope="module")
def tagger():
    try:
        return ner_nn.load_tagger()
    except OSError:
        pytest.skip("neural NER model not built")


def test_shipped_model_output_is_valid(tagger):
    sents = [
        "Angela Merkel besuchte am Montag die Stadt Hamburg .".split(),
        [],
        ["Der"],
        "Die Europäische Union und die Vereinten Nationen verhandeln in Genf über den Iran-Deal .".split(),
        "und".split() * 60,
    ]
    out = tagger.tag_sentences(sents)
    assert [len(t) for t in out] == [len(s) for s in sents]
    for tags in out:
        assert all(t in TAG_INDEX for t in tags)
        assert _valid_bio(tags)
    assert out[0][:2] == ["B-PER", "I-PER"]
    assert out[0][7] == "B-LOC"
    assert out[0][2:7] == ["O"] * 5
    # batching never changes a sentence's tags
    assert [tagger.tag_sentences([s])[0] for s in sents] == out
    from newsloom.nlp import ner_model

    assert ner_model.tag([], engine="nn") == []
    assert ner_model.tag(sents[0], engine="nn") == out[0]


def test_ner_model_engines(tagger):
    """``ner_model`` tags with the neural engine by default and keeps the CRF one."""
    from newsloom.nlp import ner_model

    toks = "Bundeskanzler Olaf Scholz traf in Paris den französischen Präsidenten .".split()
    assert ner_model.tag(toks, engine="nn") == tagger.tag_sentences([toks])[0]
    assert ner_model.tag(toks) == ner_model.tag(toks, engine=ner_model.default_engine())
    crf = ner_model.tag(toks, engine="crf")
    assert len(crf) == len(toks) and _valid_bio(crf)
    assert ner_model.tag_sentences([toks, []], engine="crf") == [crf, []]
    with pytest.raises(ValueError):
        ner_model.tag(toks, engine="hmm")


def test_word_cache_eviction_keeps_results(tagger, monkeypatch):
    from importlib import resources

    data = (resources.files("newsloom") / "models" / ner_nn.MODEL_FILE).read_bytes()
    small = ner_nn.NeuralTagger(*read_model(data), tagger.clusters, tagger.gaz)
    monkeypatch.setattr(ner_nn, "CACHE_WORDS", 8)
    sents = ["Angela Merkel besuchte am Montag die Stadt Hamburg .".split(),
             "Die Bayern spielen morgen in Dortmund gegen den BVB .".split(),
             "Angela Merkel und Emmanuel Macron trafen sich in Brüssel .".split()]
    got = [small.tag_sentences([s])[0] for s in sents]  # every sentence overflows the 8-word cache
    assert got == tagger.tag_sentences(sents)
    assert small._n <= 11 and len(small._cache) == small._n


def test_length_batches():
    sents = [["a"] * 5, [], ["b"] * 2, ["c"] * 9, ["d"] * 2, ["e"] * 30]
    got = list(ner_nn.length_batches(sents, max_tokens=10))
    # by length; a batch holds at most 10 padded tokens (2 x 2, then 5 alone as 3 x 5 > 10); empty left out
    assert [i for i, _ in got] == [[2, 4], [0], [3], [5]]
    assert got[0][1] == [["b"] * 2, ["d"] * 2]
