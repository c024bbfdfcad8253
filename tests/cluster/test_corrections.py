"""Why an article is in its event, and a user's corrections (split, merge): CLI, API, store, later ingests."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from newsloom.api import Newsloom
from newsloom.cli import demo_corpus_path, main
from newsloom.cluster.events import EventClusterer, EventState

SUMMIT = ["demo-063", "demo-064", "demo-065", "demo-066", "demo-067"]  # one demo event: the Sela summit in Geneva


def _demo_articles() -> dict[str, dict]:
    rows = [json.loads(line) for line in Path(demo_corpus_path()).read_text(encoding="utf-8").splitlines() if line]
    return {row["id"]: row for row in rows}


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("corrections") / "template.db"
    with Newsloom(str(db)) as loom:
        loom.ingest([demo_corpus_path()], workers=1)
        loom.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return db


@pytest.fixture()
def db(demo_template, tmp_path) -> str:
    path = tmp_path / "demo.db"
    shutil.copy(demo_template, path)
    return str(path)


def _event_of(db: str, article_id: str) -> str:
    with Newsloom(db, create=False) as loom:
        return loom.event_of_article(article_id)


def _bridge(tmp_path: Path, left: str, right: str, new_id: str = "extra-bridge") -> str:
    """A new article telling what two stored articles tell (the first half of each): it fits the events of both,
    enough that the clusterer merges them when nothing keeps them apart."""
    rows = _demo_articles()

    def half(text: str) -> str:
        paragraphs = text.split("\n")
        return "\n".join(paragraphs[: max(1, len(paragraphs) // 2)])

    record = {"id": new_id, "title": "Sela-Einigung: Lorvanien und Seravien nach dem Gipfel", "outlet": "Testblatt",
              "date": "2025-11-21T09:00", "text": half(rows[left]["text"]) + "\n\n" + half(rows[right]["text"])}
    path = tmp_path / f"{new_id}.jsonl"
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    return str(path)


# -- explanations --------------------------------------------------------------------------------------------
def test_why_names_the_entities_terms_and_dates_an_article_shares(demo_store):
    event_id = demo_store.event_of_article("demo-064")
    event = demo_store.event(event_id)
    why = demo_store.explain_event(event_id)
    assert set(why) == {a.id for a in event.articles}
    names = {e.name for e in event.entities}
    for article in event.articles:
        w = why[article.id]
        assert w.compared_with == len(event.articles) - 1
        assert 0.0 < w.score <= 1.0
        assert w.entities, article.id
        own = {m["entity_id"] if "entity_id" in m else m["id"] for m in demo_store.mentions(article.id)}
        for shared in w.entities:
            assert shared.key in own and shared.label in names and shared.articles >= 1
        assert w.summary().startswith("shares: ") and f"score {w.score:.2f}" in w.summary()
    # the summit's parties are what its articles share
    assert any(s.label == "Seravien" for a in event.articles for s in why[a.id].entities)


def test_a_lone_article_has_nothing_to_share(demo_store):
    singles = [e for e in demo_store.events() if len(e.articles) == 1]
    if not singles:
        pytest.skip("the demo corpus has no one-article event")
    why = demo_store.explain_event(singles[0].id)
    (only,) = why.values()
    assert only.compared_with == 0 and only.summary() == "the only article of its event"


def test_event_why_on_the_command_line(db, capsys):
    event_id = _event_of(db, "demo-064")
    assert main(["--db", db, "event", event_id, "--why"]) == 0
    out = capsys.readouterr().out
    assert out.count("why: shares: ") == len(SUMMIT)
    assert main(["--db", db, "event", event_id, "--json", "--why"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert all(a["why"]["summary"].startswith("shares: ") and a["why"]["entities"] for a in data["articles"])
    assert main(["--db", db, "event", event_id, "--json"]) == 0
    assert all("why" not in a for a in json.loads(capsys.readouterr().out)["articles"])  # only when asked


# -- the clusterer's hook ------------------------------------------------------------------------------------
def _state(event_id: str) -> EventState:
    return EventState(id=event_id, title=event_id, centroid={"gipfel": 1.0}, start=None, end=None, precision=None,
                      n_articles=1, article_ids=[event_id])


def test_the_clusterer_never_merges_events_kept_apart():
    clusterer = EventClusterer()
    a, b, c = _state("ev-a"), _state("ev-b"), _state("ev-c")
    for event in (a, b, c):
        clusterer.load(event)
    clusterer.kept_apart = {("ev-a", "ev-b")}
    assert clusterer.merge(a, b) is a and "ev-b" in clusterer.events
    survivor = clusterer.merge(c, a, keep_first=True)  # c is what a became: b stays apart from it too
    assert survivor is c and clusterer.resolve("ev-a") == "ev-c"
    assert clusterer.apart("ev-c", "ev-b")
    assert clusterer.merge(b, c) is b and "ev-b" in clusterer.events


# -- split ---------------------------------------------------------------------------------------------------
def test_split_moves_the_article_records_it_and_later_ingests_keep_it_apart(db, tmp_path, capsys):
    old = _event_of(db, "demo-067")
    assert {_event_of(db, a) for a in SUMMIT} == {old}
    assert main(["--db", db, "split", "demo-067"]) == 0
    assert "new event" in capsys.readouterr().out
    new = _event_of(db, "demo-067")
    assert new != old
    with Newsloom(db, create=False) as loom:
        assert [a.id for a in loom.event(new).articles] == ["demo-067"]
        assert "demo-067" not in {a.id for a in loom.event(old).articles}
        (record,) = loom.corrections()
        assert (record.kind, record.article_id, record.event_id, record.target_event_id) == ("split", "demo-067",
                                                                                              old, new)
        before = loom.store.all_assignments()
        # the same articles again: nothing changes
        report = loom.ingest([demo_corpus_path()], workers=1)
        assert report.stored == 0 and loom.store.all_assignments() == before
        # a new article that tells what both tell may join either, but never brings them together again
        report = loom.ingest([_bridge(tmp_path, "demo-067", "demo-064")], workers=1)
        assert report.stored == 1 and report.duplicates == 0  # (without the split's record, both events merge)
        assert loom.event_of_article("demo-067") != loom.event_of_article("demo-064")
        assert loom.event_of_article("extra-bridge") in {loom.event_of_article("demo-067"),
                                                         loom.event_of_article("demo-064")}
    assert main(["--db", db, "corrections", "--json"]) == 0
    assert [c["kind"] for c in json.loads(capsys.readouterr().out)] == ["split"]


def test_a_lone_article_cannot_be_split(db, capsys):
    assert main(["--db", db, "split", "demo-067"]) == 0
    capsys.readouterr()
    assert main(["--db", db, "split", "demo-067"]) == 2
    assert "only article" in capsys.readouterr().err
    assert main(["--db", db, "split", "no-such-article"]) == 2


# -- merge ---------------------------------------------------------------------------------------------------
def test_merge_folds_b_into_a_and_stays_merged_after_more_articles(db, tmp_path, capsys):
    a, b = _event_of(db, "demo-063"), _event_of(db, "demo-001")
    assert a != b
    with Newsloom(db, create=False) as loom:
        n = len(loom.event(a).articles) + len(loom.event(b).articles)
    assert main(["--db", db, "merge", a, b, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["correction"]["kind"] == "merge" and data["events"][0]["id"] == a
    with Newsloom(db, create=False) as loom:
        assert loom.resolve_event(b) == a and loom.event(b).id == a
        assert len(loom.event(a).articles) == n
        assert loom.event_of_article("demo-001") == a
        loom.ingest([_bridge(tmp_path, "demo-001", "demo-063")], workers=1)
        assert loom.resolve_event(b) == a and loom.event_of_article("demo-001") == a
        assert [c.kind for c in loom.corrections()] == ["merge"]
    assert main(["--db", db, "merge", a, b]) == 2  # one event already
    assert "one event already" in capsys.readouterr().err


# -- the JSON API and the web page ---------------------------------------------------------------------------
def test_api_corrections_need_the_token(db):
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from newsloom.web.app import create_app

    with TestClient(create_app(db)) as client:  # no token configured: writing is off
        assert client.post("/api/v1/corrections/split", json={"article_id": "demo-067"}).status_code == 403
    with TestClient(create_app(db, token="secret-1")) as client:
        assert client.post("/api/v1/corrections/split", json={"article_id": "demo-067"}).status_code == 401
        assert client.post("/api/v1/corrections/merge", json={"event_id": "x", "other_event_id": "y"},
                           headers={"Authorization": "Bearer wrong"}).status_code == 401
        assert client.get("/api/v1/corrections").json() == []
        auth = {"Authorization": "Bearer secret-1"}
        old = _event_of(db, "demo-067")
        r = client.post("/api/v1/corrections/split", json={"article_id": "demo-067"}, headers=auth)
        assert r.status_code == 200, r.text
        new = r.json()["events"][0]["id"]
        assert r.json()["correction"]["target_event_id"] == new and new != old
        again = client.post("/api/v1/corrections/split", json={"article_id": "demo-067"}, headers=auth)
        assert again.status_code == 400 and "only article" in again.json()["error"]["message"]
        assert client.post("/api/v1/corrections/split", json={"article_id": "nope"}, headers=auth).status_code == 404
        assert client.post("/api/v1/corrections/split", json={}, headers=auth).status_code == 422
        r = client.post("/api/v1/corrections/merge", json={"event_id": old, "other_event_id": new}, headers=auth)
        assert r.status_code == 200, r.text
        assert client.get(f"/api/v1/events/{new}").json()["id"] == old
        assert [c["kind"] for c in client.get("/api/v1/corrections").json()] == ["split", "merge"]


# -- PostgreSQL ----------------------------------------------------------------------------------------------
def test_split_and_merge_on_postgresql(pg_server, tmp_path):
    url = pg_server.database()
    try:
        with Newsloom(url) as loom:
            loom.ingest([demo_corpus_path()], workers=1)
            old = loom.event_of_article("demo-067")
            new = loom.split_article("demo-067").events[0].id
            assert loom.event_of_article("demo-067") == new != old
            loom.ingest([_bridge(tmp_path, "demo-067", "demo-064")], workers=1)
            assert loom.event_of_article("demo-067") != loom.event_of_article("demo-064")
            other = loom.event_of_article("demo-001")
            loom.merge_events(old, other)
            assert loom.resolve_event(other) == old
            assert [c.kind for c in loom.corrections()] == ["split", "merge"]
            assert loom.explain_event(old)
    finally:
        pg_server.drop(url)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_store_from_before_corrections_gains_the_table(backend, request, tmp_path):
    from newsloom.store import open_store

    target = str(tmp_path / "old.db") if backend == "sqlite" else request.getfixturevalue("pg_server").database()
    with open_store(target) as store:  # made as schema 5 made it: no corrections table
        with store.transaction():
            store.db.execute("DROP TABLE corrections")
            store.set_meta("schema_version", "5")
    with open_store(target, create=False) as store:
        assert store.get_meta("schema_version") == "6"
        assert store.corrections() == []
        with store.transaction():
            store.record_correction("merge", None, "ev-b", "ev-a", "2026-01-01T00:00:00+00:00")
        assert [(c.kind, c.event_id, c.target_event_id) for c in store.corrections()] == [("merge", "ev-b", "ev-a")]
    if backend == "postgresql":
        request.getfixturevalue("pg_server").drop(target)
