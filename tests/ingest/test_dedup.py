"""Tests for newsloom.ingest.dedup: MinHash fingerprints are stored with every article, so a faster computation
must give the very same signatures (pinned here as digests computed by the first implementation)."""
from __future__ import annotations

import hashlib

import pytest

from newsloom.ingest.dedup import N_HASHES, buckets, signature, similarity

PINNED = {
    "": "f6b9b538391c8b683fbc7b202fdbefc2afe31a5b",
    "Kurz.": "e93dd791a4a5570442fd43dcde6dfba6ad3a602f",
    "Die Regierung in Berlin hat am Mittwoch neue Regeln beschlossen, sagte die Sprecherin.":
        "24f40d0524ffbc3df299724a13f2d690f7522626",
    "Grüße aus Köln: Straße, Maß und Öl – über 1.000 Menschen kamen, 3,5 Prozent mehr als 2019. Grüße aus Köln!":
        "4f55a0700b829b563ed32444b2787207f336398f",
}


@pytest.mark.parametrize("text", list(PINNED))
def test_signature_is_stable(text):
    sig = signature(text)
    assert sig.dtype.name == "uint64" and sig.shape == (N_HASHES,)
    assert hashlib.sha1(sig.tobytes()).hexdigest() == PINNED[text]


def test_near_copies_share_buckets_and_differ_from_other_texts():
    base = " ".join(f"wort{k}" for k in range(200))
    copy = base + " nachtrag"
    other = " ".join(f"anders{k}" for k in range(200))
    assert similarity(signature(base), signature(copy)) > 0.8
    assert set(buckets(signature(base))) & set(buckets(signature(copy)))
    assert similarity(signature(base), signature(other)) < 0.2
    assert signature(base.upper()).tobytes() == signature(base).tobytes()  # case does not matter
