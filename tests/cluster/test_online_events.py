"""Online event clustering: stable ids as later articles arrive, merges redirect, candidates stay bounded."""
from __future__ import annotations

import dataclasses
import datetime as dt

from newsloom.cluster.events import EventClusterer, stable_id
from newsloom.records import TimeSpan
from newsloom.settings import CLUSTER


def vec(**weights):
    total = sum(w * w for w in weights.values()) ** 0.5
    return {k: w / total for k, w in weights.items()}


DAY = TimeSpan.day(dt.date(2020, 10, 28))


def test_first_article_gives_a_stable_id_that_later_articles_keep():
    clusterer = EventClusterer()
    first = clusterer.assign("a1", "t", vec(lockdown=1, beschluss=1, merkel=1), DAY)
    assert first.created and first.event_id == stable_id("ev-", "a1")
    second = clusterer.assign("a2", "t", vec(lockdown=1, beschluss=1, laender=1), DAY)
    assert not second.created and second.event_id == first.event_id
    other = clusterer.assign("b1", "t", vec(nizza=1, messer=1, kirche=1), DAY)
    assert other.created and other.event_id != first.event_id
    third = clusterer.assign("a3", "t", vec(lockdown=1, merkel=1, laender=1), DAY)
    assert third.event_id == first.event_id


def test_far_apart_in_time_opens_a_new_event():
    clusterer = EventClusterer()
    a = clusterer.assign("a1", "t", vec(lockdown=1, beschluss=1), DAY)
    later = TimeSpan.day(dt.date(2020, 11, 20))
    b = clusterer.assign("a2", "t", vec(lockdown=1, beschluss=1), later)
    assert b.created and b.event_id != a.event_id


def test_bridging_article_merges_and_the_younger_id_redirects():
    settings = dataclasses.replace(CLUSTER, join_threshold=0.3, merge_threshold=0.3)
    clusterer = EventClusterer(settings, model=None)  # the threshold policy: merges are its mechanics
    a = clusterer.assign("a1", "t", vec(x=1, y=1), DAY).event_id
    b = clusterer.assign("b1", "t", vec(y=1, z=1, w=2), DAY).event_id
    assert a != b
    bridge = clusterer.assign("c1", "t", vec(x=1, y=2, z=1), DAY)
    assert bridge.event_id == a  # the older event survives
    assert clusterer.resolve(b) == a
    assert [dropped.id for dropped, kept in clusterer.merged] == [b]
    assert set(clusterer.events[a].article_ids) == {"a1", "b1", "c1"}


def test_candidates_are_bounded_by_the_postings():
    settings = dataclasses.replace(CLUSTER, postings_per_term=8)
    clusterer = EventClusterer(settings, model=None)  # the threshold policy: merges are its mechanics
    for i in range(200):  # 200 distinct events that all share one word
        clusterer.assign(f"e{i}", "t", vec(corona=1, **{f"w{i}": 3}), DAY)
    found = clusterer.candidates(vec(corona=1, neu=1), DAY)
    assert len(found) <= 8 * settings.query_terms
    assert len(found) <= 8


# -- the candidate indexes stay as large as the recent terms (drop_dead_postings) ------------------------------------
def _ingest_digest(tmp_path, monkeypatch, source: str, name: str, sweep_min: int) -> tuple[tuple, int]:
    """Ingest ``source`` in batches of 5 with the indexes swept from ``sweep_min`` terms on; the result (events,
    members, storylines, stored event states) and how many terms the sweeps dropped."""
    import json

    from newsloom import pipeline
    from newsloom.api import Newsloom
    from newsloom.cluster import events, storylines

    monkeypatch.setattr(pipeline, "INGEST", dataclasses.replace(pipeline.INGEST, batch_size=5))
    monkeypatch.setattr(events, "POSTINGS_SWEEP_MIN", sweep_min)
    monkeypatch.setattr(storylines, "POSTINGS_SWEEP_MIN", sweep_min)
    dropped = [0]
    original = events.drop_dead_postings

    def counting(postings, alive):
        n = original(postings, alive)
        dropped[0] += n
        return n

    monkeypatch.setattr(events, "drop_dead_postings", counting)
    monkeypatch.setattr(storylines, "drop_dead_postings", counting)
    with Newsloom(str(tmp_path / f"{name}.db")) as loom:
        loom.ingest([source], workers=1)
        found = sorted((e.id, e.title, tuple(sorted(a.id for a in e.articles))) for e in loom.events())
        lines = sorted((s.id, tuple(s.events)) for s in loom.storylines())
        states = [json.dumps(loom.store.stored_event(e[0]).state, sort_keys=True) for e in found]
        return (loom.store.all_assignments(), found, lines, states), dropped[0]


def _check_sweeps_change_nothing(tmp_path, monkeypatch, source: str) -> None:
    swept, dropped = _ingest_digest(tmp_path, monkeypatch, source, "swept", 10)
    unswept, none = _ingest_digest(tmp_path, monkeypatch, source, "unswept", 10**9)
    assert none == 0 and dropped > 0  # terms of evicted events and storylines went
    assert swept == unswept


def test_dropping_the_terms_of_evicted_events_changes_no_result(tmp_path, monkeypatch):
    from newsloom.cli import demo_corpus_path

    _check_sweeps_change_nothing(tmp_path, monkeypatch, demo_corpus_path())


def test_dropping_the_terms_of_evicted_events_changes_no_result_fang_covid(tmp_path, monkeypatch):
    """Five months of FANG-COVID, every 60th article (about 300): events and storylines come and go."""
    import gzip
    import hashlib
    import json
    from pathlib import Path

    import pytest

    fang = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "fang-covid" / "articles.jsonl.gz"
    if not fang.exists():
        pytest.skip(f"{fang} is absent (the shared data folder sits beside the repository only on dev machines and CI)")
    source = tmp_path / "fang.jsonl"
    with gzip.open(fang, "rt", encoding="utf-8") as handle, open(source, "w", encoding="utf-8") as sink:
        for line in handle:
            day = json.loads(line).get("date", "")[:10]
            if "2020-03-01" <= day <= "2020-07-31" and int(hashlib.sha1(line.encode()).hexdigest()[:6], 16) % 60 == 0:
                sink.write(line)
    _check_sweeps_change_nothing(tmp_path, monkeypatch, str(source))
