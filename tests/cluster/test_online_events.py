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
