"""The store contract: every operation of ``newsloom.store.Store``, on SQLite and on PostgreSQL, with the same
answers from both (the PostgreSQL half skips, saying why, where no server can be started)."""
from __future__ import annotations

import datetime as dt
import socket

import pytest

from newsloom.cluster.events import EventState
from newsloom.cluster.storylines import StorylineState
from newsloom.errors import NotFound, StoreBusy, StoreError, StoreTooNew, StoreUnavailable, UsageError
from newsloom.store import open_store
from newsloom.store.base import Filters

BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(params=BACKENDS)
def demo(request):
    """The demo corpus, ingested, on each backend (a Newsloom facade)."""
    return request.getfixturevalue("demo_store" if request.param == "sqlite" else "pg_demo_store")


@pytest.fixture()
def both(demo_store, pg_demo_store):
    return demo_store.store, pg_demo_store.store


def _event(event_id: str, start: str, n: int = 1) -> EventState:
    moment = dt.datetime.fromisoformat(start)
    return EventState(id=event_id, title=f"title {event_id}", centroid={"a": 1.0}, start=moment,
                      end=moment + dt.timedelta(days=1), precision="day", n_articles=n, article_ids=[])


# -- schema, opening, errors ---------------------------------------------------------------------------------
def test_new_store_has_the_current_schema_and_reopens(target):
    with open_store(target, create=True) as store:
        assert store.get_meta("schema_version") == "5"
        assert store.counts().articles == 0
    with open_store(target, create=False) as store:
        assert store.get_meta("schema_version") == "5"


def test_a_newer_schema_is_refused_in_one_line(target):
    with open_store(target) as store:
        with store.transaction():
            store.set_meta("schema_version", "99")
    with pytest.raises(StoreTooNew) as raised:
        open_store(target, create=False)
    message = str(raised.value)
    assert "\n" not in message and "99" in message and raised.value.code == "E203"


def test_no_store_is_made_unless_asked(target, tmp_path):
    if target.startswith("postgresql"):
        with pytest.raises(StoreError, match="holds no newsloom store"):
            open_store(target, create=False)
    else:
        with pytest.raises(StoreError, match="no store"):
            open_store(str(tmp_path / "absent.db"), create=False)


def test_server_down_gives_one_line_naming_the_host(pg_server):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(StoreUnavailable) as raised:
        open_store(f"postgresql://someone:secret@127.0.0.1:{port}/news", create=False)
    message = str(raised.value)
    assert raised.value.code == "E202" and "\n" not in message
    assert f"127.0.0.1:{port}" in message and "secret" not in message
    assert "refused" in message.lower()


def test_refused_login_gives_one_line(pg_server):
    url = pg_server.admin_url.replace("newsloom@", "nobody_here@")
    with pytest.raises(StoreUnavailable) as raised:
        open_store(url, create=False)
    assert "nobody_here" in str(raised.value) and "\n" not in str(raised.value)


def test_bad_dates_are_refused_once_when_filters_are_made():
    with pytest.raises(UsageError):
        Filters(since="yesterday")
    f = Filters(since=" 2024-03 ", until="2024", outlet="  ", entity=None)
    assert f.since == "2024-03" and f.outlet is None
    assert f.since_bound == "2024-03-01T00:00" and f.until_bound == "2025-01-01T00:00"


# -- writes --------------------------------------------------------------------------------------------------
def test_entities_aliases_and_merges(target):
    with open_store(target) as store, store.transaction():
        store.upsert_entity("PER:putin", "Putin", "PER")
        store.upsert_entity("PER:wladimir putin", "Wladimir Putin", "PER")
        store.upsert_entity("PER:putin", "ignored", "PER")
        store.add_alias("PER:putin", "PER:putin")
        store.add_alias("PER:wladimir putin", "PER:wladimir putin")
        assert store.entity_for_alias("PER:putin") == "PER:putin"
        store.merge_entity("PER:putin", "PER:wladimir putin")
        assert store.entity_for_alias("PER:putin") == "PER:wladimir putin"
        assert store.resolve_entities("putin") == ["PER:wladimir putin"]
        assert store.resolve_entities("PER:putin") == ["PER:wladimir putin"]
        assert store.resolve_entities("nobody") == []
        assert store.resolve_entities(None) is None


def test_events_redirects_and_assignments(target):
    with open_store(target) as store:
        with store.transaction():
            for event_id in ("ev-a", "ev-b", "ev-c"):
                store.save_event(_event(event_id, "2024-03-05T00:00"))
            store.assign_article("art-1", "ev-a", 0.5)
            store.assign_article("art-2", "ev-b", 0.25)
            store.redirect_event("ev-a", "ev-b")
            store.redirect_event("ev-b", "ev-c")
        assert store.resolve_event("ev-a") == "ev-c"  # two hops
        with pytest.raises(NotFound):
            store.resolve_event("ev-none")
        assert store.stored_event_of("art-1") == "ev-c"
        assert store.all_assignments() == {"art-1": "ev-c", "art-2": "ev-c"}
        assert store.event_redirects() == {"ev-a": "ev-b", "ev-b": "ev-c"}
        assert [e.id for e in store.live_events_since("2024-01-01T00:00")] == ["ev-c"]
        assert store.latest_event_end() == "2024-03-06T00:00"
        with store.transaction():
            store.save_storyline(StorylineState("sl-1", "line", {"a": 1.0}, ["ev-c"],
                                                dt.datetime(2024, 3, 5), dt.datetime(2024, 3, 6)))
        assert [s.id for s in store.storylines_since("2024-01-01T00:00")] == ["sl-1"]
        assert store.event_storylines()["ev-c"] == "sl-1"


def test_meta_terms_state_and_comparison_cache(target):
    with open_store(target) as store:
        with store.transaction():
            store.set_meta("n_docs", "3")
            store.set_meta("n_docs", "4")
            store.save_term_stats({"krieg": 2, "@PER:putin": 1})
            store.save_term_stats({"krieg": 3})
            store.save_cluster_state(b"\x00state\xff")
            store.save_cluster_state(b"\x00newer\xff")
            store.keep_comparison("ev-x", 3, 7, '{"a": 1}')
        assert store.get_meta("n_docs") == "4" and store.get_meta("absent") is None
        assert store.term_stats() == {"krieg": 3, "@PER:putin": 1}
        assert store.load_cluster_state() == b"\x00newer\xff"
        assert store.cached_comparison("ev-x", 3, 7) == '{"a": 1}'
        assert store.cached_comparison("ev-x", 4, 7) is None  # the event changed
        assert store.cached_comparison("ev-x", 3, 8) is None  # the code changed


def test_a_failed_transaction_leaves_nothing(target):
    with open_store(target) as store:
        with pytest.raises(RuntimeError), store.transaction():
            store.set_meta("half", "done")
            raise RuntimeError("stop")
        assert store.get_meta("half") is None


def test_one_ingest_owns_the_store(target):
    with open_store(target) as first, open_store(target) as second:
        with first.ingest_lock():
            with pytest.raises(StoreBusy) as raised:
                with second.ingest_lock():
                    pass
            assert raised.value.code == "E204"
        with second.ingest_lock():  # free again
            pass


# -- readers on the demo corpus --------------------------------------------------------------------------
def test_readers_answer_on_each_backend(demo):
    store = demo.store
    events = store.events(Filters())
    assert len(events) >= 10 and all(e.articles for e in events)
    first = events[0]
    assert store.event(first.id).id == first.id
    assert store.event_of_article(first.articles[0].id) == first.id
    with pytest.raises(NotFound):
        store.event("ev-none")
    with pytest.raises(NotFound):
        store.article("no-such-article")
    assert store.counts().articles == 67
    assert store.search_missing() == 0


def _answers(store) -> dict:
    """Every reader's answer on the demo store, as JSON-able data."""
    out: dict = {}
    outlets = [c.outlet for c in store.outlet_counts(Filters())]
    events = store.events(Filters())
    event_ids = [e.id for e in events]
    entity_ids = [e.id for e in store.entities(Filters(), limit=None)]
    article_ids = store.article_ids()
    lines = store.storylines(Filters())
    out["counts"] = store.counts().to_json()
    out["events"] = [e.to_json() for e in events]
    out["assignments"] = store.all_assignments()
    out["event_storylines"] = store.event_storylines()
    for f in (Filters(since="2024-01-01"), Filters(until="2024-06"), Filters(outlet=outlets[0].lower()),
              Filters(entity="Berlin"), Filters(outlet=outlets[-1], since="2023")):
        out[f"events {f}"] = [e.id for e in store.events(f)]
        out[f"summaries {f}"] = [s.to_json() for s in store.storyline_summaries(f, limit=10, offset=0)]
        out[f"outlets {f}"] = [c.to_json() for c in store.outlet_counts(f)]
        out[f"articles {f}"] = [a.to_json() for a in store.articles(f, limit=None)]
        out[f"entities {f}"] = [e.to_json() for e in store.entities(f, limit=20)]
        out[f"storylines {f}"] = [s.to_json() for s in store.storylines(f)]
        out[f"quotes {f}"] = [q.to_json() for q in store.quotes(f)]
    out["lines"] = [store.storyline(s.id).to_json(full=True) for s in lines]
    out["line80"] = [store.storyline(s.id, max_events=1).to_json(full=True) for s in lines]
    out["entities by type"] = [e.id for e in store.entities(Filters(), type="per", limit=None)]
    out["entities by name"] = [e.id for e in store.entities(Filters(), name="ber", limit=None)]
    for entity_id in entity_ids[:8]:
        out[f"entity {entity_id}"] = store.entity(entity_id).to_json()
        out[f"recent {entity_id}"] = [e.to_json() for e in store.entity_recent_events(entity_id, from_articles=500)]
        out[f"months {entity_id}"] = [m.to_json() for m in store.entity_months(entity_id)]
        out[f"co {entity_id}"] = [e.to_json() for e in store.entity_cooccurring(entity_id, from_articles=400)]
        out[f"by {entity_id}"] = [q.to_json() for q in store.quotes_by(entity_id)]
        out[f"about {entity_id}"] = [q.to_json() for q in store.quotes_about(entity_id)]
    for event_id in event_ids:
        out[f"list {event_id}"] = [vars(a) for a in store.event_article_list(event_id)]
        out[f"dates {event_id}"] = [d.to_json() for d in store.event_dates(event_id)]
        out[f"quotes {event_id}"] = [q.to_json() for q in store.event_quotes(event_id)]
        out[f"ids {event_id}"] = store.event_article_ids(event_id, by_score=True)
        out[f"n {event_id}"] = store.event_article_count(event_id)
    for article_id in article_ids:
        out[f"article {article_id}"] = store.article(article_id).to_json()
        out[f"mentions {article_id}"] = [m.to_json() for m in store.mentions(article_id)]
        out[f"dates {article_id}"] = [d.to_json() for d in store.dates(article_id)]
        out[f"aquotes {article_id}"] = [q.to_json() for q in store.article_quotes(article_id)]
        out[f"copies {article_id}"] = [c.to_json() for c in store.copies_of(article_id)]
    items = store.load_items(article_ids[:10])
    out["items"] = {k: (v[0].title, [m.key for m in v[1]], [d.text for d in v[2]], [q.text for q in v[3]])
                    for k, v in sorted(items.items())}
    out["refs"] = {k: v.to_json() for k, v in sorted(store.article_refs(article_ids).items())}
    out["export"] = [r.to_json() for r in store.export_rows()]
    out["quote spans"] = store.quote_spans()
    out["resolve"] = [store.resolve_entities(name) for name in ("Berlin", "berlin", "nobody", entity_ids[0])]
    out["outlet"] = [store.canonical_outlet(o.upper()) for o in outlets]
    return out


def test_both_backends_give_the_same_answers(both):
    sqlite, postgres = both
    left, right = _answers(sqlite), _answers(postgres)
    assert left.keys() == right.keys()
    differing = [key for key in left if left[key] != right[key]]
    assert not differing, f"{len(differing)} answers differ, e.g. {differing[:5]}"


def test_outlets_match_one_way_case_insensitively(demo):
    store = demo.store
    outlet = store.outlet_counts(Filters())[0].outlet
    exact = [e.id for e in store.events(Filters(outlet=outlet))]
    assert exact
    assert [e.id for e in store.events(Filters(outlet=outlet.lower()))] == exact
    assert [e.id for e in store.events(Filters(outlet=outlet.upper()))] == exact
    assert store.events(Filters(outlet="No Such Outlet")) == []


# -- search --------------------------------------------------------------------------------------------------
HOSTILE = ['"NATO OR (', "'; DROP TABLE articles; --", "\\", "%_%", "a:b* NEAR(x y)", "title:krieg", "!!! & | <->",
           "ä" * 300, "0x00 \x00 null"]


def test_search_finds_the_same_articles_on_both(both):
    from newsloom.search import search

    for query in ("Berlin", "Regierung Berlin", "sagte", "Sicherheitsgarantien", "nichtsdergleichen"):
        for f in (Filters(), Filters(since="2024")):
            left, right = search(both[0], query, f, limit=100), search(both[1], query, f, limit=100)
            assert left.total == right.total, query
            assert {h.id for h in left.hits} == {h.id for h in right.hits}, query


def test_search_is_ranked_filtered_and_safe(demo):
    from newsloom.search import search

    store = demo.store
    result = search(store, "Berlin")
    assert result.total > 0 and result.hits
    scores = [h.score for h in result.hits]
    assert scores == sorted(scores, reverse=True)
    outlet = result.hits[0].outlet
    by_outlet = search(store, "Berlin", Filters(outlet=outlet.lower()))
    assert by_outlet.total > 0 and {h.outlet for h in by_outlet.hits} == {outlet}
    assert search(store, "Berlin", Filters(entity="nobody at all")).message.startswith("No entity")
    for query in HOSTILE:
        hostile = search(store, query)  # never raises; the words are data
        assert hostile.message is None or "could not" not in hostile.message
    assert store.counts().articles == 67  # and the table is still there


def test_size_is_reported(target):
    with open_store(target) as store:
        assert store.size_bytes() > 0


def test_a_short_write_gives_up_while_another_writer_holds_the_store(target):
    with open_store(target) as first, open_store(target) as second:
        with first.transaction():
            first.set_meta("k", "first")
            with pytest.raises(StoreError):
                with second.transaction(wait_s=0.2):
                    second.set_meta("k", "second")
        assert second.get_meta("k") == "first"
        with second.transaction(wait_s=0.2):  # free again
            second.set_meta("k", "second")
        assert first.get_meta("k") == "second"
