"""Span-level NER metrics, GermEval readers and the shipped German NER model."""
from __future__ import annotations

from pathlib import Path

import pytest

from newsloom.eval.ner import MAIN4, read_germeval, span_prf, spans

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
DEV = SHARED / "data" / "germeval2014" / "NER-de-dev.tsv"


# ------------------------------------------------------------------------------------------ spans

def test_spans_basic_and_i_without_b():
    assert spans(["B-PER", "I-PER", "O", "B-LOC"]) == {(0, 2, "PER"), (3, 4, "LOC")}
    # I- without B- starts a span; I- of another type starts a new span
    assert spans(["I-ORG", "I-ORG", "O"]) == {(0, 2, "ORG")}
    assert spans(["B-PER", "I-LOC"]) == {(0, 1, "PER"), (1, 2, "LOC")}
    # B- directly after a span of the same type starts a new one
    assert spans(["B-PER", "B-PER", "I-PER"]) == {(0, 1, "PER"), (1, 3, "PER")}
    assert spans(["B-LOCderiv", "O", "B-ORGpart"]) == {(0, 1, "LOCderiv"), (2, 3, "ORGpart")}
    assert spans([]) == set()


def test_span_prf_hand_computed():
    gold = [
        ["B-PER", "I-PER", "O", "B-LOC", "O"],        # PER(0,2) LOC(3,4)
        ["B-ORG", "I-ORG", "I-ORG", "O", "B-OTH"],    # ORG(0,3) OTH(4,5)
    ]
    pred = [
        ["B-PER", "I-PER", "O", "B-ORG", "O"],        # PER correct, LOC typed as ORG -> wrong
        ["B-ORG", "I-ORG", "O", "O", "B-OTH"],        # ORG(0,2) partial overlap -> wrong; OTH correct
    ]
    r = span_prf(gold, pred)
    # tp = 2 (PER, OTH); 4 predicted; 4 gold
    assert r["tp"] == 2 and r["n_pred"] == 4 and r["n_gold"] == 4
    assert r["precision"] == pytest.approx(0.5)
    assert r["recall"] == pytest.approx(0.5)
    assert r["f1"] == pytest.approx(0.5)
    assert r["per_type"]["PER"]["f1"] == pytest.approx(1.0)
    assert r["per_type"]["LOC"] == pytest.approx(
        {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 1, "tp": 0, "n_pred": 0})
    assert r["per_type"]["ORG"]["precision"] == 0.0 and r["per_type"]["ORG"]["n_pred"] == 2


def test_span_prf_unequal_precision_recall():
    gold = [["B-PER", "O", "B-LOC", "O", "O"]]
    pred = [["B-PER", "O", "B-LOC", "B-ORG", "I-ORG"]]  # one extra span
    r = span_prf(gold, pred)
    assert r["precision"] == pytest.approx(2 / 3)
    assert r["recall"] == pytest.approx(1.0)
    assert r["f1"] == pytest.approx(2 * (2 / 3) / (2 / 3 + 1))


def test_i_without_b_in_prediction_counts_as_span():
    gold = [["O", "B-LOC", "O"]]
    pred = [["O", "I-LOC", "O"]]  # conlleval: I- after O starts a span -> matches
    assert span_prf(gold, pred)["f1"] == pytest.approx(1.0)


def test_f1_main4_leaves_out_deriv_and_part():
    gold = [["B-LOCderiv", "O", "B-PER", "I-PER", "B-ORGpart"]]
    pred = [["B-LOC", "O", "B-PER", "I-PER", "O"]]
    full = span_prf(gold, pred)
    # all twelve labels: gold {LOCderiv, PER, ORGpart}, pred {LOC, PER}: tp 1
    assert full["precision"] == pytest.approx(1 / 2)
    assert full["recall"] == pytest.approx(1 / 3)
    main4 = span_prf(gold, pred, types=MAIN4)
    # main4: gold {PER}; pred {LOC, PER}: the predicted LOC is a false positive, the gold
    # LOCderiv and ORGpart are not counted at all
    assert main4["n_gold"] == 1 and main4["n_pred"] == 2 and main4["tp"] == 1
    assert main4["recall"] == pytest.approx(1.0)
    assert main4["precision"] == pytest.approx(0.5)
    assert set(main4["per_type"]) == {"PER", "LOC"}


def test_span_prf_empty_and_mismatch():
    r = span_prf([["O", "O"]], [["O", "O"]])
    assert r["f1"] == 0.0 and r["n_gold"] == 0
    with pytest.raises(ValueError):
        span_prf([["O"]], [["O", "O"]])


# ---------------------------------------------------------------------------------------- readers

def test_read_germeval_original_format(tmp_path):
    p = tmp_path / "dev.tsv"
    p.write_text(
        "#\thttp://example.org/a\t[2010-07-04]\n"
        "1\tAngela\tB-PER\tO\n"
        "2\tMerkel\tI-PER\tO\n"
        "3\tbesucht\tO\tO\n"
        "4\tdie\tO\tO\n"
        "5\tdeutsche\tB-LOCderiv\tO\n"
        "6\tBotschaft\tO\tO\n"
        "\n"
        "#\thttp://example.org/b\t[2010-07-05]\n"
        "1\t#\tO\tO\n"
        "2\tBundesbank\tB-ORG\tB-LOCpart\n"
        "\n",
        encoding="utf-8",
    )
    data = read_germeval(p)
    assert data == [
        (["Angela", "Merkel", "besucht", "die", "deutsche", "Botschaft"],
         ["B-PER", "I-PER", "O", "O", "B-LOCderiv", "O"]),
        (["#", "Bundesbank"], ["O", "B-ORG"]),
    ]


def test_read_germeval_two_column_format(tmp_path):
    p = tmp_path / "train.bio.tsv"
    p.write_text(
        "Schartau\tB-PER\nsagte\tO\ndem\tO\n\"\tO\nTagesspiegel\tB-ORG\n\n"
        "#\tO\nEU-Kommission\tB-ORG\n",  # no trailing blank line; a '#' token is kept
        encoding="utf-8",
    )
    data = read_germeval(p)
    assert data[0] == (["Schartau", "sagte", "dem", '"', "Tagesspiegel"], ["B-PER", "O", "O", "O", "B-ORG"])
    assert data[1] == (["#", "EU-Kommission"], ["O", "B-ORG"])


# ----------------------------------------------------------------------------------- shipped model

def test_shipped_model_tags_a_german_sentence():
    from newsloom.nlp import ner_model

    toks = "Bundeskanzler Olaf Scholz traf in Paris den französischen Präsidenten .".split()
    tags = ner_model.tag(toks)
    assert len(tags) == len(toks)
    assert tags[1:3] == ["B-PER", "I-PER"]
    assert tags[5] == "B-LOC"
    assert tags[7] == "B-LOCderiv"
    assert tags[0] == "O" and tags[3] == "O" and tags[-1] == "O"

    toks2 = "Die Deutsche Bahn und Siemens wollen in München investieren .".split()
    tags2 = ner_model.tag(toks2)
    assert tags2[7] == "B-LOC"  # München
    assert tags2[4] == "B-ORG"  # Siemens
    assert ner_model.tag([]) == []
    assert ner_model.tag_sentences([toks, [], toks2]) == [tags, [], tags2]


def test_dev_reading_and_score():
    from newsloom.eval.ner import evaluate_ner

    if not DEV.exists():  # read in place, never copied into the repository
        pytest.skip(f"{DEV} is absent (the shared data folder sits beside the repository only on dev machines and CI)")
    data = read_germeval(DEV)
    assert len(data) == 2200
    assert all(len(t) == len(g) for t, g in data)
    r = evaluate_ner(DEV)
    assert r["n_sentences"] == 2200
    assert r["f1"] > 0.76 and r["f1_main4"] > 0.77  # shipped ensemble: 0.788 / 0.795 (network 0.770 / 0.783, CRF 0.753 / 0.755)
    assert set(r["per_type"]) >= {"PER", "ORG", "LOC", "OTH", "LOCderiv"}
