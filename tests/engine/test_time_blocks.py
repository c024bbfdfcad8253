"""Event clustering in time blocks (``ingest(..., time_blocks=DAYS)``, ``newsloom.cluster.blocks``): one block
longer than the input is the sequential run; the ids do not depend on the run, the engine or the number of
processes; an event that crosses a block boundary ends as one event with the id of its earliest part; a killed
block-mode ingest resumes to the same store."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from newsloom import pipeline
from newsloom.api import Newsloom
from newsloom.cli import demo_corpus_path, main
from newsloom.cluster import blocks
from newsloom.store.sql import SqlStore


def snapshot(db: Path) -> dict:
    """Everything a user sees of the clustering and the analysis, through the public API."""
    with Newsloom(str(db)) as loom:
        events = [e.to_json() for e in loom.events(limit=None)]
        articles = [a.to_json() for a in loom.articles(limit=None)]
        mentions = {a["id"]: loom.mentions(a["id"]) for a in articles}
        storylines = [s.to_json() for s in loom.storylines(limit=None)]
        assignments = loom.store.all_assignments()
    return {"events": events, "articles": articles, "mentions": mentions, "storylines": storylines,
            "assignments": assignments}


def membership(snap: dict) -> dict[str, list[str]]:
    """event id -> its article ids (the events' ids and what they hold, nothing else)."""
    out: dict[str, list[str]] = {}
    for article_id, event_id in snap["assignments"].items():
        out.setdefault(event_id, []).append(article_id)
    return {event_id: sorted(ids) for event_id, ids in out.items()}


def ingest(db: Path, **options) -> dict:
    with Newsloom(str(db)) as loom:
        report = loom.ingest([demo_corpus_path()], **options)
    assert report.stored == 67 and not report.problems
    return snapshot(db)


@pytest.fixture(scope="module")
def sequential(tmp_path_factory) -> dict:
    return ingest(tmp_path_factory.mktemp("seq") / "seq.db", workers=1)


@pytest.fixture(scope="module")
def one_day_blocks(tmp_path_factory) -> dict:
    return ingest(tmp_path_factory.mktemp("blocks") / "blocks.db", workers=1, time_blocks=1)


def test_one_block_longer_than_the_input_is_the_sequential_run(tmp_path, sequential):
    assert ingest(tmp_path / "long.db", workers=1, time_blocks=1000) == sequential


def test_block_ids_are_the_same_across_runs_processes_and_engines(tmp_path, one_day_blocks):
    assert ingest(tmp_path / "again.db", workers=1, time_blocks=1) == one_day_blocks
    assert ingest(tmp_path / "pool.db", workers=2, time_blocks=1) == one_day_blocks
    db = tmp_path / "dask.db"
    assert main(["--db", str(db), "ingest", demo_corpus_path(), "--workers", "2", "--time-blocks", "1",
                 "--no-progress"]) == 0
    assert snapshot(db) == one_day_blocks


def _spanning_days(snap: dict) -> dict[str, list[str]]:
    """The events whose articles were published on more than one day."""
    day = {a["id"]: (a.get("published") or "")[:10] for a in snap["articles"]}
    return {e: ids for e, ids in membership(snap).items() if len({day[i] for i in ids}) > 1}


def test_an_event_crossing_block_boundaries_ends_as_one_event(tmp_path, monkeypatch, sequential, one_day_blocks):
    """With 1-day blocks every event of several days crosses a boundary."""
    crossing = _spanning_days(sequential)
    assert crossing, "the demo corpus has events over several days"
    stitched = membership(one_day_blocks)
    for event_id, ids in crossing.items():
        # one event, with the id of its earliest part (the sequential run's id)
        assert stitched.get(event_id) == ids

    def loaded_without_stitching(clusterer, result, event_of=None):
        clusterer.redirects.update(result.redirects)
        for event in result.events.values():
            clusterer.load(event)
            clusterer.dirty.add(event.id)
        return []

    cluster_block = blocks.cluster_block

    def without_warm_up(task):
        task.warm = []
        return cluster_block(task)

    # blocks that neither start from the days before them nor are stitched cut those events apart: the test
    # above tests what the block mode does across boundaries
    monkeypatch.setattr(blocks, "cluster_block", without_warm_up)
    monkeypatch.setattr(blocks, "stitch_block", loaded_without_stitching)
    apart = membership(ingest(tmp_path / "apart.db", workers=1, time_blocks=1))
    assert any(apart.get(event_id) != ids for event_id, ids in crossing.items())


def test_a_killed_block_ingest_resumes_to_the_same_events(tmp_path, monkeypatch, one_day_blocks):
    monkeypatch.setattr(pipeline, "INGEST", dataclasses.replace(pipeline.INGEST, batch_size=10))
    db = tmp_path / "killed.db"
    calls = {"n": 0}
    original = SqlStore.insert_article

    def dies(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 35:
            raise KeyboardInterrupt("simulated kill")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(SqlStore, "insert_article", dies)
    with Newsloom(str(db)) as loom, pytest.raises(KeyboardInterrupt):
        loom.ingest([demo_corpus_path()], workers=1, time_blocks=1)
    monkeypatch.setattr(SqlStore, "insert_article", original)
    with Newsloom(str(db)) as loom:
        assert 0 < loom.store.counts().articles < 67
        loom.ingest([demo_corpus_path()], workers=1, time_blocks=1)
    resumed = snapshot(db)
    assert membership(resumed) == membership(one_day_blocks)
    assert resumed["mentions"] == one_day_blocks["mentions"]


def test_time_blocks_are_whole_days(tmp_path):
    with Newsloom(str(tmp_path / "x.db")) as loom, pytest.raises(ValueError):
        loom.ingest([demo_corpus_path()], workers=1, time_blocks=0.5)


def test_blocks_without_warm_up_days_are_stitched_by_their_first_articles(tmp_path, monkeypatch, sequential):
    """The first block of a run (its earlier days are in the store, not in the run) has no warm-up days: its
    events that begin near its start are offered to the stored events by their first articles."""
    cluster_block = blocks.cluster_block

    def without_warm_up(task):
        task.warm = []
        return cluster_block(task)

    monkeypatch.setattr(blocks, "cluster_block", without_warm_up)
    stitched = membership(ingest(tmp_path / "cold.db", workers=1, time_blocks=1))
    for event_id, ids in _spanning_days(sequential).items():
        assert stitched.get(event_id) == ids
