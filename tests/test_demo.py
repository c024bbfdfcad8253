"""The bundled demo corpus clusters back into its gold events and storylines (scores pinned here and in the README)."""
from __future__ import annotations

from importlib import resources

from newsloom.eval.clustering import score_store_against_gold

# Pinned minimums; the README states the figures reached. Raise them as clustering improves.
MIN_EVENT_BCUBED_F1 = 0.97
MIN_EVENT_PAIRWISE_P = 0.95
MIN_STORYLINE_BCUBED_F1 = 0.90


def test_demo_corpus_meets_its_minimums():
    articles = resources.files("newsloom").joinpath("demo", "articles.jsonl").read_text("utf-8").splitlines()
    assert len(articles) >= 60


def test_demo_events_and_storylines_match_gold(demo_store):
    gold = str(resources.files("newsloom").joinpath("demo", "gold.tsv"))
    scores = score_store_against_gold(demo_store, gold)
    assert scores["events"]["bcubed_f1"] >= MIN_EVENT_BCUBED_F1, scores
    assert scores["events"]["pairwise_p"] >= MIN_EVENT_PAIRWISE_P, scores
    assert scores["storylines"]["bcubed_f1"] >= MIN_STORYLINE_BCUBED_F1, scores


def test_wire_copies_in_demo_are_linked(demo_store):
    copies = demo_store.db.execute("SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL").fetchone()[0]
    assert copies >= 3
