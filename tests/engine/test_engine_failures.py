"""Failures on the analysis engine: a worker killed mid-run loses nothing, an unreachable scheduler or one
without workers is a clear error (no hang), an article whose analysis fails is reported like bad input."""
from __future__ import annotations

import json

import pytest

from newsloom import errors, settings
from newsloom.api import Newsloom
from newsloom.cli import demo_corpus_path
from newsloom.engine import dask as dask_engine
from newsloom.engine import work
from newsloom.errors import EngineError

from test_engine_equality import gz_copy, snapshot  # noqa: E402 -- same folder


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_worker_killed_mid_run_loses_nothing(tmp_path, tcp_cluster, monkeypatch):
    tcp_cluster.add_workers(2)
    # small tasks, so that the killed worker has some in flight when it dies
    monkeypatch.setattr(settings, "ENGINE", settings.EngineSettings(chunk_articles=2))
    monkeypatch.setattr(dask_engine, "ENGINE", settings.ENGINE)
    original = dask_engine.DaskExecutor._chunk_results
    killed = []

    def kill_then_wait(self, future, chunk):
        if not killed:
            tcp_cluster.kill_worker(0)
            killed.append(True)
        return original(self, future, chunk)

    monkeypatch.setattr(dask_engine.DaskExecutor, "_chunk_results", kill_then_wait)
    source = gz_copy(tmp_path)  # records shipped from here: many small tasks
    db = tmp_path / "killed.db"
    loom = Newsloom(str(db))
    report = loom.ingest([source], scheduler=tcp_cluster.address)
    loom.close()
    assert killed and tcp_cluster.workers[0].poll() is not None
    assert report.stored == 67 and not report.problems

    reference = tmp_path / "reference.db"
    loom = Newsloom(str(reference))
    loom.ingest([source], workers=1)
    loom.close()
    assert snapshot(db) == snapshot(reference)


def test_unreachable_scheduler_is_a_clear_error(tmp_path):
    address = f"tcp://127.0.0.1:{free_port()}"  # nothing listens there
    with pytest.raises(EngineError, match="cannot reach the Dask scheduler"):
        dask_engine.DaskExecutor(scheduler=address, connect_timeout=2)


def test_scheduler_without_workers_is_a_clear_error(tcp_cluster):
    with pytest.raises(EngineError, match="has no workers"):
        dask_engine.DaskExecutor(scheduler=tcp_cluster.address, connect_timeout=30, no_workers_timeout=2)


def test_cli_reports_unreachable_scheduler(tmp_path, capsys, monkeypatch):
    from newsloom.cli import main

    monkeypatch.setattr(dask_engine, "ENGINE", settings.EngineSettings(connect_timeout_s=2))
    code = main(["--db", str(tmp_path / "x.db"), "ingest", demo_corpus_path(), "--scheduler",
                 f"tcp://127.0.0.1:{free_port()}"])
    assert code == 2
    assert "E501" in capsys.readouterr().err


def test_failing_article_is_reported_with_file_and_line_and_the_rest_goes_on(tmp_path, monkeypatch):
    lines = open(demo_corpus_path(), encoding="utf-8").read().splitlines()
    bad_id = json.loads(lines[4])["id"]
    source = tmp_path / "articles.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    real = work.analyze_many

    def fragile(articles):
        if any(a.id == bad_id for a in articles):
            raise RuntimeError("cannot analyse this one")
        return real(articles)

    monkeypatch.setattr(work, "analyze_many", fragile)
    loom = Newsloom(str(tmp_path / "s.db"))
    report = loom.ingest([str(source)], workers=1)
    loom.close()
    assert report.stored == 66
    [problem] = report.problems
    assert problem.code == errors.E_ANALYSIS and problem.path == str(source) and problem.line == 5
    assert "cannot analyse this one" in problem.reason


def test_chunk_failure_on_worker_is_one_problem_per_bad_article(monkeypatch):
    from newsloom.records import Article

    articles = [Article(id=f"a{k}", title="T", text="Die Bundesregierung tagte am Montag in Berlin.",
                        published=None, source=f"in.jsonl:{k + 1}") for k in range(3)]
    real = work.analyze_many
    monkeypatch.setattr(work, "analyze_many",
                        lambda batch: (_ for _ in ()).throw(ValueError("boom")) if any(a.id == "a1" for a in batch)
                        else real(batch))
    results = work.analyse_chunk(articles)
    assert [type(r).__name__ for r in results] == ["Analysis", "InputProblem", "Analysis"]
    assert results[1].path == "in.jsonl" and results[1].line == 2
