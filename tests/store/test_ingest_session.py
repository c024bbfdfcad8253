"""An ingest kept open between inputs (``pipeline.IngestSession``, ``Newsloom.ingest_session``; what ``newsloom
watch`` ingests through): the same events with the same ids as one ``ingest`` call per input, the clustering state
loaded once, and loaded again when a user's correction or another ingest changed the store between inputs."""
from __future__ import annotations

import dataclasses
import gzip
import json
from pathlib import Path

import pytest

from newsloom import pipeline
from newsloom.api import Newsloom
from newsloom.cli import demo_corpus_path
from newsloom.store.sql import SqlStore

FANG = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "fang-covid" / "articles.jsonl.gz"
FANG_DAYS = ("2020-04-13", "2020-04-14")  # a few hundred consecutive articles
SUMMIT = ("demo-064", "demo-067")  # two articles of one demo event (the Sela summit)


def _lines(path: str) -> list[str]:
    with open(path, encoding="utf-8") as handle:
        return [line for line in handle if line.strip()]


def _write(folder: Path, name: str, lines: list[str]) -> str:
    path = folder / f"{name}.jsonl"
    path.write_text("".join(lines), encoding="utf-8")
    return str(path)


def _chunks(folder: Path, lines: list[str], size: int) -> list[str]:
    """The input as the watcher hands it over: consecutive chunks (in arrival order, not publication order), the
    last one again at the end (items stored already)."""
    paths = [_write(folder, f"chunk{i}", lines[start:start + size]) for i, start in enumerate(range(0, len(lines),
                                                                                                  size))]
    return paths + [paths[-1]]


def _result(loom: Newsloom) -> tuple[dict, list, list, dict]:
    """Every article's event, every event (id, title, members) and storyline (id, events), and each live event's
    clustering state as stored (size, members, centroid, ...): what must match."""
    events = sorted((e.id, e.title, tuple(sorted(a.id for a in e.articles))) for e in loom.events())
    storylines = sorted((s.id, tuple(s.events)) for s in loom.storylines())
    states = {}
    for event_id, *_ in events:
        stored = loom.store.stored_event(event_id)
        states[event_id] = (stored.n_articles, stored.start, stored.end, json.dumps(stored.state, sort_keys=True))
    return loom.store.all_assignments(), events, storylines, states


def _bridge(folder: Path, left: str, right: str) -> str:
    """A new article that tells what two stored articles tell: it fits the events of both (as in
    tests/cluster/test_corrections.py)."""
    rows = {json.loads(line)["id"]: json.loads(line) for line in _lines(demo_corpus_path())}

    def half(text: str) -> str:
        paragraphs = text.split("\n")
        return "\n".join(paragraphs[: max(1, len(paragraphs) // 2)])

    record = {"id": f"bridge-{left}-{right}", "title": "Sela-Einigung: Lorvanien und Seravien nach dem Gipfel",
              "outlet": "Testblatt", "date": "2025-11-21T09:00",
              "text": half(rows[left]["text"]) + "\n\n" + half(rows[right]["text"])}
    return _write(folder, record["id"], [json.dumps(record, ensure_ascii=False) + "\n"])


@pytest.fixture()
def small_batches(monkeypatch):
    """Batches of 4 articles: each chunk is several batches, as a large chunk is in production."""
    monkeypatch.setattr(pipeline, "INGEST", dataclasses.replace(pipeline.INGEST, batch_size=4))


@pytest.mark.parametrize("chunk", [5, 17])
def test_a_session_gives_what_one_ingest_per_chunk_gives(tmp_path, small_batches, chunk):
    paths = _chunks(tmp_path, _lines(demo_corpus_path()), chunk)
    with Newsloom(str(tmp_path / "separate.db")) as loom:
        reports = [loom.ingest([p], workers=1).to_json() for p in paths]
        expected = _result(loom)
    with Newsloom(str(tmp_path / "session.db")) as loom, loom.ingest_session() as session:
        assert [session.ingest([p], workers=1).to_json() for p in paths] == reports
        assert _result(loom) == expected
        assert session.loads == 1  # loaded once, kept between the chunks
    assert reports[-1]["stored"] == 0 and reports[-1]["already_stored"] > 0
    assert len(expected[0]) == len(_lines(demo_corpus_path())) and len(expected[1]) > 5


def test_a_session_gives_what_one_ingest_per_chunk_gives_fang_covid(tmp_path, monkeypatch):
    if not FANG.exists():
        pytest.skip(f"{FANG} is absent (the shared data folder sits beside the repository only on dev machines and CI)")
    monkeypatch.setattr(pipeline, "INGEST", dataclasses.replace(pipeline.INGEST, batch_size=20))
    lines = []
    with gzip.open(FANG, "rt", encoding="utf-8") as handle:
        for line in handle:
            if FANG_DAYS[0] <= json.loads(line).get("date", "")[:10] <= FANG_DAYS[1]:
                lines.append(line)
    paths = _chunks(tmp_path, lines, 50)
    with Newsloom(str(tmp_path / "separate.db")) as loom:
        for path in paths:
            loom.ingest([path], workers=1)
        expected = _result(loom)
    with Newsloom(str(tmp_path / "session.db")) as loom, loom.ingest_session() as session:
        for path in paths:
            session.ingest([path], workers=1)
        assert _result(loom) == expected
        assert session.loads == 1
    assert len(expected[0]) > 200


def _fresh_target(tmp_path: Path, name: str, backend: str = "sqlite", request=None) -> str:
    if backend == "sqlite":
        return str(tmp_path / f"{name}.db")
    server = request.getfixturevalue("pg_server")
    url = server.database()
    request.addfinalizer(lambda: server.drop(url))
    return url


def _interleaved(tmp_path: Path, name: str, steps, *, session: bool, backend: str = "sqlite",
                 request=None) -> tuple[tuple, int]:
    """Run ``steps`` (("ingest", path) or ("do", callable taking a second handle on the store)) on a fresh store,
    ingesting through one session or with one ``ingest`` call each; the result and the session's loads."""
    db = _fresh_target(tmp_path, f"{name}-{'session' if session else 'separate'}", backend, request)
    with Newsloom(db) as loom, Newsloom(db) as other, loom.ingest_session() as open_session:
        for kind, value in steps:
            if kind == "ingest":
                (open_session.ingest if session else loom.ingest)([value], workers=1)
            else:
                value(other)  # another writer: a user's correction, or another ingest
        return _result(loom), open_session.loads


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_split_between_chunks_is_picked_up(tmp_path, small_batches, backend, request):
    demo = _lines(demo_corpus_path())

    def split(other: Newsloom) -> None:
        other.split_article(SUMMIT[1])

    steps = [("ingest", _write(tmp_path, "first", demo[:40])), ("ingest", _write(tmp_path, "rest", demo[40:])),
             ("do", split), ("ingest", _bridge(tmp_path, SUMMIT[1], SUMMIT[0])),
             ("ingest", _write(tmp_path, "again", demo[30:50]))]
    expected, _ = _interleaved(tmp_path, "split", steps, session=False, backend=backend, request=request)
    result, loads = _interleaved(tmp_path, "split", steps, session=True, backend=backend, request=request)
    assert result == expected
    assert loads == 2  # loaded at the start, and again after the split only
    assignments = result[0]
    assert assignments[SUMMIT[0]] != assignments[SUMMIT[1]]  # kept apart, also by the session's clusterer
    assert assignments[f"bridge-{SUMMIT[1]}-{SUMMIT[0]}"] in {assignments[SUMMIT[0]], assignments[SUMMIT[1]]}


def test_a_merge_and_another_ingest_between_chunks_are_picked_up(tmp_path, small_batches):
    demo = _lines(demo_corpus_path())
    ids = [json.loads(line)["id"] for line in demo]

    def merge(other: Newsloom) -> None:
        other.merge_events(other.event_of_article("demo-063"), other.event_of_article("demo-001"))

    def another_ingest(other: Newsloom) -> None:
        other.ingest([_write(tmp_path, "other", demo[30:45])], workers=1)

    steps = [("ingest", _write(tmp_path, "first", demo[:30] + demo[60:])), ("do", merge),
             ("ingest", _bridge(tmp_path, "demo-001", "demo-063")), ("do", another_ingest),
             ("ingest", _write(tmp_path, "rest", demo[30:60]))]
    expected, _ = _interleaved(tmp_path, "merge", steps, session=False)
    result, loads = _interleaved(tmp_path, "merge", steps, session=True)
    assert result == expected
    assert loads == 3  # at the start, after the merge, after the other ingest
    assignments = result[0]
    assert assignments["demo-001"] == assignments["demo-063"]
    assert set(assignments) == set(ids) | {"bridge-demo-001-demo-063"}


def test_a_session_that_kept_its_state_across_a_split_would_be_wrong(tmp_path, small_batches, monkeypatch):
    """What the clustering token guards against: without loading the state again after a split, the session's
    clusterer still counts the split article in its old event and saves that event so."""
    demo = _lines(demo_corpus_path())

    def split(other: Newsloom) -> None:
        other.split_article(SUMMIT[1])

    steps = [("ingest", _write(tmp_path, "all", demo)), ("do", split),
             ("ingest", _bridge(tmp_path, SUMMIT[1], SUMMIT[0]))]
    expected, _ = _interleaved(tmp_path, "stale", steps, session=False)
    monkeypatch.setattr(pipeline.Ingestor, "current", lambda self: True)
    result, loads = _interleaved(tmp_path, "stale", steps, session=True)
    assert loads == 1
    old_event = expected[0][SUMMIT[0]]
    assert result[3][old_event][0] == expected[3][old_event][0] + 1  # the split article counted in still


def test_a_failed_chunk_drops_the_state_and_the_next_one_resumes_exactly(tmp_path, small_batches, monkeypatch):
    demo = _lines(demo_corpus_path())
    paths = _chunks(tmp_path, demo, 20)
    with Newsloom(str(tmp_path / "separate.db")) as loom:
        for path in paths:
            loom.ingest([path], workers=1)
        expected = _result(loom)

    calls = {"n": 0}
    original = SqlStore.insert_article

    def dies(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 7:  # inside the second chunk's second batch
            raise KeyboardInterrupt("simulated interruption")
        return original(self, *args, **kwargs)

    with Newsloom(str(tmp_path / "session.db")) as loom, loom.ingest_session() as session:
        session.ingest([paths[0]], workers=1)
        monkeypatch.setattr(SqlStore, "insert_article", dies)
        with pytest.raises(KeyboardInterrupt):
            session.ingest([paths[1]], workers=1)
        monkeypatch.setattr(SqlStore, "insert_article", original)
        assert 20 < loom.store.counts().articles < 40
        for path in paths[1:]:
            session.ingest([path], workers=1)
        assert _result(loom) == expected
        assert session.loads == 2  # again after the interruption, then kept


def test_the_session_holds_the_ingest_lock_only_during_a_call(tmp_path):
    from newsloom.errors import StoreBusy

    db = str(tmp_path / "lock.db")
    with Newsloom(db) as loom, Newsloom(db) as other, loom.ingest_session() as session:
        session.ingest([_write(tmp_path, "first", _lines(demo_corpus_path())[:10])], workers=1)
        with other.store.ingest_lock():  # free between calls: a correction or another ingest may run
            with pytest.raises(StoreBusy):
                session.ingest([_write(tmp_path, "second", _lines(demo_corpus_path())[10:20])], workers=1)
        session.ingest([_write(tmp_path, "second", _lines(demo_corpus_path())[10:20])], workers=1)
        assert loom.store.counts().articles == 20
        assert session.loads == 1  # a call refused at the lock changes nothing
