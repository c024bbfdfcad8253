"""bench/claims_probe.py: the numpy logistic fit and the AUC it reports (pure parts, no gold needed)."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np

PROBE = Path(__file__).resolve().parents[2] / "bench" / "claims_probe.py"


def _probe():
    spec = importlib.util.spec_from_file_location("claims_probe", PROBE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_auc_ranks_positives_above_negatives():
    probe = _probe()
    y = np.array([True, True, False, False])
    assert probe.auc(np.array([0.9, 0.8, 0.1, 0.2]), y) == 1.0
    assert probe.auc(np.array([0.1, 0.2, 0.9, 0.8]), y) == 0.0
    assert probe.auc(np.array([0.5, 0.5, 0.5, 0.5]), y) == 0.5
    assert np.isnan(probe.auc(np.array([0.1, 0.2]), np.array([True, True])))


def test_fit_logistic_returns_weights_on_raw_features():
    probe = _probe()
    rng = np.random.default_rng(0)
    x = np.column_stack([rng.normal(10, 5, 400), rng.normal(0, 0.01, 400)])  # very different scales
    z = 0.4 * (x[:, 0] - 10) - 150 * x[:, 1]
    y = (rng.random(400) < 1 / (1 + np.exp(-z))).astype(float)
    for standardise in (True, False):
        w, b = probe.fit_logistic(x, y, standardise=standardise)
        p = 1 / (1 + np.exp(-(x @ w + b)))
        assert probe.auc(p, y.astype(bool)) > 0.8
        assert w[0] > 0
    w, _ = probe.fit_logistic(x, y, standardise=True)
    assert w[1] < 0  # the small-scale feature keeps its sign once standardised
