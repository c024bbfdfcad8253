"""Quotes and coverage comparison measured against the demo gold; the pins are issue 3's targets."""
from __future__ import annotations

from newsloom.eval.quotes_claims import measure_demo

MIN_QUOTE_F1 = 0.90
MIN_SPEAKER_ACCURACY = 0.85
MIN_CLAIM_BCUBED_F1 = 0.80


def test_quotes_speakers_and_claim_groups_meet_targets():
    result = measure_demo()[0]
    assert result["quote_f1"] >= MIN_QUOTE_F1, result
    assert result["speaker_accuracy"] >= MIN_SPEAKER_ACCURACY, result
    assert result["claim_bcubed_f1"] >= MIN_CLAIM_BCUBED_F1, result
