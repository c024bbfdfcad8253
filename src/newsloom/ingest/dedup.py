"""Exact and near-duplicate texts (the same wire copy republished by several outlets).

Exact: the hash of the whitespace-normalised, lower-cased text. Near: MinHash over word 5-shingles with
locality-sensitive hashing in bands, verified by the estimated Jaccard overlap.
"""
from __future__ import annotations

import hashlib
import re
import zlib

import numpy as np

from newsloom.settings import INGEST

N_HASHES = 64
BANDS = 16
ROWS = N_HASHES // BANDS
_PRIME = np.uint64((1 << 61) - 1)
_rng = np.random.RandomState(20240229)
_A = _rng.randint(1, 1 << 30, size=N_HASHES).astype(np.uint64)
_B = _rng.randint(0, 1 << 30, size=N_HASHES).astype(np.uint64)
_WORD = re.compile(r"\w+")


def text_hash(text: str) -> str:
    return hashlib.sha1(" ".join(text.lower().split()).encode("utf-8")).hexdigest()


def signature(text: str, size: int = INGEST.shingle_size) -> np.ndarray:
    words = _WORD.findall(text.lower())
    # each word encoded once; a shingle is its words' UTF-8 joined by a space (the same bytes as encoding the
    # joined string), so the CRC-32 values and the signature are those of the shingle strings
    if len(words) < size:
        shingles = {" ".join(words).encode("utf-8")}
    else:
        encoded = [w.encode("utf-8") for w in words]
        shingles = {b" ".join(encoded[i : i + size]) for i in range(len(encoded) - size + 1)}
    hashes = np.fromiter(map(zlib.crc32, shingles), dtype=np.uint64, count=len(shingles))
    mixed = np.multiply.outer(hashes, _A)  # < 2**62: no overflow
    mixed += _B
    mixed %= _PRIME
    return mixed.min(axis=0)


def buckets(sig: np.ndarray) -> list[int]:
    """One bucket key per band (signed 63-bit so SQLite can store it)."""
    keys = []
    for band in range(BANDS):
        part = sig[band * ROWS : (band + 1) * ROWS].tobytes()
        keys.append(int.from_bytes(hashlib.blake2b(part + bytes([band]), digest_size=8).digest(), "big", signed=True))
    return keys


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.mean(a == b))
