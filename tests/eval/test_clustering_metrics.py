"""BCubed and pairwise scores against hand-computed examples."""
from __future__ import annotations

import pytest

from newsloom.eval.clustering import bcubed, clustering_scores, pairwise

# gold: {a,b,c} {d,e};  predicted: {a,b} {c,d,e}
GOLD = {"a": "X", "b": "X", "c": "X", "d": "Y", "e": "Y"}
PRED = {"a": "1", "b": "1", "c": "2", "d": "2", "e": "2"}


def test_bcubed_by_hand():
    # precision per item: a 2/2, b 2/2, c 1/3, d 2/3, e 2/3 -> (1+1+1/3+2/3+2/3)/5 = 11/15
    # recall per item:    a 2/3, b 2/3, c 1/3, d 2/2, e 2/2 -> (2/3+2/3+1/3+1+1)/5 = 11/15
    p, r, f = bcubed(PRED, GOLD)
    assert p == pytest.approx(11 / 15)
    assert r == pytest.approx(11 / 15)
    assert f == pytest.approx(11 / 15)


def test_pairwise_by_hand():
    # predicted pairs: ab, cd, ce, de = 4; gold pairs: ab, ac, bc, de = 4; shared: ab, de = 2
    p, r, f = pairwise(PRED, GOLD)
    assert (p, r, f) == pytest.approx((0.5, 0.5, 0.5))


def test_perfect_and_all_singletons():
    assert bcubed(GOLD, GOLD) == pytest.approx((1.0, 1.0, 1.0))
    assert pairwise(GOLD, GOLD) == pytest.approx((1.0, 1.0, 1.0))
    singletons = {k: k for k in GOLD}
    p, r, _ = bcubed(singletons, GOLD)
    assert p == pytest.approx(1.0) and r == pytest.approx((1 / 3 * 3 + 1 / 2 * 2) / 5)
    assert pairwise(singletons, GOLD) == pytest.approx((0.0, 0.0, 0.0))


def test_items_outside_gold_are_ignored_and_counts_reported():
    pred = dict(PRED, z="1")  # not in gold: must not change anything
    scores = clustering_scores(pred, GOLD)
    assert scores["bcubed_f1"] == pytest.approx(11 / 15, abs=1e-4)
    assert scores["pairwise_f1"] == pytest.approx(0.5)
    assert scores["n_scored"] == 5 and scores["n_events_pred"] == 2 and scores["n_events_gold"] == 2
