"""Resources shared by newsloom's NER taggers (``models/ner_resources.tsv.gz``, built by ``scripts/train_ner.py``):
word clusters learnt from unlabelled German news text, a small place-name gazetteer and an automatic gazetteer.

``current()`` gives the installed ``Resources`` (the packaged ones, loaded on first use); the training script
installs its own with ``ner_crf.set_resources`` (which also clears the CRF's feature caches).
"""
from __future__ import annotations

import gzip
from dataclasses import dataclass, field
from importlib import resources

RESOURCE_FILE = "ner_resources.tsv.gz"


@dataclass
class Resources:
    clusters: dict[str, tuple[str, ...]] = field(default_factory=dict)  # word -> cluster ids, coarse to fine
    gaz: dict[str, str] = field(default_factory=dict)  # word -> place-gazetteer tag
    auto: dict[str, str] = field(default_factory=dict)  # word -> type it mostly gets in automatically tagged news


_installed: list[Resources] = []  # at most one: the resources in use


def models_dir():
    return resources.files("newsloom") / "models"


def parse_resources(text: str) -> tuple[dict[str, tuple[str, ...]], dict[str, str], dict[str, str]]:
    """Parse the resource TSV: ``C<TAB>word<TAB>c1<TAB>c2...`` (cluster ids, coarse to fine) and
    ``G<TAB>word<TAB>tag`` (place gazetteer) and ``A<TAB>word<TAB>type`` (automatic gazetteer) lines."""
    clusters: dict[str, tuple[str, ...]] = {}
    gaz: dict[str, str] = {}
    auto: dict[str, str] = {}
    for line in text.split("\n"):
        cols = line.split("\t")
        if cols[0] == "C" and len(cols) >= 3:
            clusters[cols[1]] = tuple(cols[2:])
        elif cols[0] == "G" and len(cols) == 3:
            gaz[cols[1]] = cols[2]
        elif cols[0] == "A" and len(cols) == 3:
            auto[cols[1]] = cols[2]
    return clusters, gaz, auto


def install(clusters: dict, gaz: dict, auto: dict | None = None) -> Resources:
    """Use these resources from now on (callers that cache features must clear them: ``ner_crf.set_resources``)."""
    _installed[:] = [Resources(dict(clusters), dict(gaz), dict(auto or {}))]
    return _installed[0]


def current() -> Resources:
    """The resources in use: the packaged ones unless others were installed."""
    if not _installed:
        data = (models_dir() / RESOURCE_FILE).read_bytes()
        install(*parse_resources(gzip.decompress(data).decode("utf-8")))
    return _installed[0]


def lookup(word: str, table: dict):
    """``table`` entry of ``word``, else of its lowercase, else of its capitalised form (None: none)."""
    v = table.get(word)
    if v is None:
        low = word.lower()
        v = table.get(low)
        if v is None:
            v = table.get(low.capitalize())
    return v


__all__ = ["RESOURCE_FILE", "Resources", "current", "install", "lookup", "models_dir", "parse_resources"]
