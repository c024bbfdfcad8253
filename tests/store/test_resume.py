"""Exact resume: an ingest interrupted and run again, and an ingest split into several runs over consecutive parts
of the input, end with the same events as one uninterrupted run (the clusterer's state is kept in the store with
each batch and restored from it)."""
from __future__ import annotations

import dataclasses
import gzip
import json
from pathlib import Path

import pytest

from newsloom import pipeline
from newsloom.api import Newsloom
from newsloom.cli import demo_corpus_path
from newsloom.ingest.readers import day_key, read_paths
from newsloom.store.sql import SqlStore

FANG = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "fang-covid" / "articles.jsonl.gz"
FANG_DAYS = ("2020-04-13", "2020-04-14")  # a few hundred consecutive articles


def _ordered_lines(path: str) -> list[str]:
    """The input's records in ingest order (publication start, then id)."""
    with open(path, encoding="utf-8") as handle:
        lines = [line for line in handle if line.strip()]
    keyed = []
    for line, article in zip(lines, read_paths([path])):
        keyed.append(((day_key(article), article.id), line))
    return [line for _, line in sorted(keyed)]


def _write(path: Path, lines: list[str]) -> str:
    path.write_text("".join(lines), encoding="utf-8")
    return str(path)


def _events(target: str) -> tuple[dict, list]:
    with Newsloom(target) as loom:
        assignments = loom.store.all_assignments()
        titles = sorted((e.id, e.title, len(e.articles)) for e in loom.events())
    return assignments, titles


def _target(tmp_path, name, backend, request) -> str:
    if backend == "sqlite":
        return str(tmp_path / f"{name}.db")
    server = request.getfixturevalue("pg_server")
    url = server.database()
    request.addfinalizer(lambda: server.drop(url))
    return url


def _check_resume(tmp_path, request, monkeypatch, source: str, backend: str, batch: int, kill_at: int,
                  parts: int) -> None:
    monkeypatch.setattr(pipeline, "INGEST", dataclasses.replace(pipeline.INGEST, batch_size=batch))
    lines = _ordered_lines(source)
    whole = _write(tmp_path / "whole.jsonl", lines)

    one = _target(tmp_path, "one", backend, request)
    with Newsloom(one) as loom:
        loom.ingest([whole], workers=1)
    expected = _events(one)
    assert len(expected[0]) == len(lines)

    # killed inside a batch, then run again over the whole input
    resumed = _target(tmp_path, "resumed", backend, request)
    calls = {"n": 0}
    original = SqlStore.insert_article

    def dies(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == kill_at:
            raise KeyboardInterrupt("simulated kill")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(SqlStore, "insert_article", dies)
    with Newsloom(resumed) as loom, pytest.raises(KeyboardInterrupt):
        loom.ingest([whole], workers=1)
    monkeypatch.setattr(SqlStore, "insert_article", original)
    with Newsloom(resumed) as loom:
        assert 0 < loom.store.counts().articles < len(lines)
        loom.ingest([whole], workers=1)
    assert _events(resumed) == expected

    # split into consecutive parts, one run each
    split = _target(tmp_path, "split", backend, request)
    size = -(-len(lines) // parts)
    for i in range(parts):
        part = _write(tmp_path / f"part{i}.jsonl", lines[i * size : (i + 1) * size])
        with Newsloom(split) as loom:
            loom.ingest([part], workers=1)
    assert _events(split) == expected


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_resumed_and_split_ingests_match_one_run_demo(tmp_path, request, monkeypatch, backend):
    _check_resume(tmp_path, request, monkeypatch, demo_corpus_path(), backend, batch=10, kill_at=35, parts=3)


def test_resumed_and_split_ingests_match_one_run_fang_covid(tmp_path, request, monkeypatch):
    if not FANG.exists():
        pytest.skip(f"{FANG} is absent (the shared data folder sits beside the repository only on dev machines and CI)")
    source = tmp_path / "fang.jsonl"
    with gzip.open(FANG, "rt", encoding="utf-8") as handle, open(source, "w", encoding="utf-8") as sink:
        for line in handle:
            if FANG_DAYS[0] <= json.loads(line).get("date", "")[:10] <= FANG_DAYS[1]:
                sink.write(line)
    _check_resume(tmp_path, request, monkeypatch, str(source), "sqlite", batch=60, kill_at=200, parts=4)


def test_a_connection_lost_mid_ingest_is_like_a_kill(pg_server, pg_demo_store, monkeypatch):
    """The server drops the ingest's connection inside a batch: one clear error; running it again completes the work
    with the events of one uninterrupted run."""
    import psycopg

    from newsloom.errors import StoreUnavailable

    url = pg_server.database()
    calls = {"n": 0}
    original = SqlStore.insert_article

    def connection_lost(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 30:
            with psycopg.connect(pg_server.admin_url, autocommit=True) as admin:
                admin.execute("SELECT pg_terminate_backend(%s)", (self.db.info.backend_pid,))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(SqlStore, "insert_article", connection_lost)
    loom = Newsloom(url)
    with pytest.raises(StoreUnavailable) as raised:
        loom.ingest([demo_corpus_path()], workers=1)
    assert "\n" not in str(raised.value) and "127.0.0.1" in str(raised.value)
    loom.close()
    monkeypatch.setattr(SqlStore, "insert_article", original)
    with Newsloom(url) as again:
        assert again.store.counts().articles == 0  # the batch rolled back
        again.ingest([demo_corpus_path()], workers=1)
        assert again.store.all_assignments() == pg_demo_store.store.all_assignments()
    pg_server.drop(url)
