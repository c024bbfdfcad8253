"""The learned event model and the bounds around it: sub-vector features, bounded event duration, picklable state."""
from __future__ import annotations

import dataclasses
import datetime as dt
import pickle
from collections import Counter

from newsloom.cluster.events import FEATURES, EventClusterer, pair_features
from newsloom.cluster.features import TermStats, anchors, part_vectors
from newsloom.cluster.model import JOIN_EXTRA, default_model
from newsloom.records import Analysis, DateMention, TimeSpan
from newsloom.settings import CLUSTER


def vec(**weights):
    total = sum(w * w for w in weights.values()) ** 0.5
    return {k: w / total for k, w in weights.items()}


def day(n: int) -> TimeSpan:
    return TimeSpan.day(dt.date(2020, 10, 1) + dt.timedelta(days=n))


def test_the_shipped_model_matches_the_features():
    model = default_model()
    assert model is not None, "newsloom/models/event_model.json ships with the package"
    assert model.features == list(FEATURES)
    assert len(model.rank_weights) == len(FEATURES)
    assert len(model.join_weights) == len(JOIN_EXTRA) + len(FEATURES)
    assert 0.0 < model.join_threshold < 1.0
    assert set(model.info["leave_one_window_out"]) == {"2020-04-15_16", "2020-10-28_29", "2021-02-10_11"}


def test_an_event_never_spans_more_than_max_event_days():
    """A subject reported every day for two weeks is a series of events, not one that grows for months."""
    settings = dataclasses.replace(CLUSTER, max_event_days=3.0)
    for model in (None, "default"):
        clusterer = EventClusterer(settings, model=model)
        ids = [clusterer.assign(f"a{n}", "Fallzahlen", vec(fallzahlen=1, landkreis=1, inzidenz=1), day(n),
                                parts={"title": vec(fallzahlen=1)}).event_id for n in range(14)]
        assert len(set(ids)) >= 4
        for event in clusterer.events.values():
            assert event.last_moment - event.first_moment <= 3.0


def test_same_words_same_day_join_with_the_model():
    clusterer = EventClusterer()
    parts = {"title": vec(beschluss=1, lockdown=1), "lead": vec(beschluss=1, lockdown=1, merkel=1),
             "ent": vec(**{"@PER:angela merkel": 1})}
    first = clusterer.assign("a1", "Lockdown beschlossen", vec(lockdown=2, beschluss=2, merkel=1), day(0), parts=parts)
    second = clusterer.assign("a2", "Lockdown beschlossen", vec(lockdown=2, beschluss=2, merkel=1), day(0), parts=parts)
    assert first.created and not second.created and second.event_id == first.event_id
    other = clusterer.assign("b1", "Messerangriff in Nizza", vec(nizza=1, messer=1, kirche=1), day(0),
                             parts={"title": vec(nizza=1, messer=1)})
    assert other.created


def test_pair_features_follow_the_feature_list_and_the_time_gaps():
    clusterer = EventClusterer(model=None)
    clusterer.assign("a1", "t", vec(x=1, y=1), day(0), parts={"title": vec(x=1)})
    event = next(iter(clusterer.events.values()))
    near = pair_features(vec(x=1, y=1), {"title": vec(x=1)}, day(0), event, 0.9)
    far = pair_features(vec(x=1, y=1), {"title": vec(x=1)}, day(2), event, 0.9)
    assert len(near) == len(FEATURES)
    named = dict(zip(FEATURES, near))
    assert named["cos_title_title"] > 0.99 and named["cos_all"] > 0.99
    assert dict(zip(FEATURES, far))["log_gap_newest"] > named["log_gap_newest"]


def test_clusterer_state_pickles():
    clusterer = EventClusterer()
    for n in range(5):
        clusterer.assign(f"a{n}", "t", vec(x=1, y=n + 1), day(0), parts={"title": vec(x=1)})
    restored = pickle.loads(pickle.dumps(clusterer))
    assert restored.events.keys() == clusterer.events.keys()
    assert restored.assign("a9", "t", vec(x=1, y=2), day(0)).event_id == \
        clusterer.assign("a9", "t", vec(x=1, y=2), day(0)).event_id


def test_anchors_keep_dates_and_figures_but_not_years():
    when = TimeSpan.day(dt.date(2020, 10, 28))
    analysis = Analysis(article_id="a", numbers=("2020", "19.000", "7", "50"),
                        dates=[DateMention(0, 5, "Mittwoch", when)])
    assert anchors(analysis) == {"d:2020-10-28", "n:19.000", "n:50"}
    stats = TermStats()
    stats.add({"lockdown", "@LOC:berlin"}, None)
    stats.add({"lockdown", "@LOC:berlin"}, None)
    parts = part_vectors(Analysis(article_id="a", title_lemmas=("lockdown",), lead_counts={"lockdown": 2},
                                  numbers=("50",)), Counter({"lockdown": 3, "@LOC:berlin": 1}), stats)
    assert set(parts) == {"title", "lead", "ent", "anchor"}
    assert abs(sum(w * w for w in parts["ent"].values()) - 1.0) < 1e-9


def test_a_copy_weeks_later_opens_a_new_event():
    """Near-duplicates join their first copy's event, but a template republished for weeks does not grow it."""
    clusterer = EventClusterer()
    first = clusterer.assign("a0", "t", vec(fallzahlen=1, rki=1), day(0))
    same_day = clusterer.assign("a1", "t", vec(fallzahlen=1, rki=1), day(1), forced_event=first.event_id)
    assert same_day.event_id == first.event_id
    later = clusterer.assign("a2", "t", vec(fallzahlen=1, rki=1), day(20), forced_event=first.event_id)
    assert later.event_id != first.event_id
