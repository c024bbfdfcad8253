"""A killed ingest leaves a consistent store; re-running it completes the work."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from newsloom.api import Newsloom
from newsloom.cli import demo_corpus_path
from newsloom.store.sqlite import SCHEMA_VERSION, Store


def _consistent(loom: Newsloom) -> None:
    db = loom.db
    articles = db.execute("SELECT count(*) FROM articles").fetchone()[0]
    assigned = db.execute("SELECT count(*) FROM event_articles").fetchone()[0]
    assert articles == assigned
    orphans = db.execute(
        "SELECT count(*) FROM event_articles ea LEFT JOIN events e ON e.id=ea.event_id WHERE e.id IS NULL").fetchone()[0]
    assert orphans == 0
    dangling = db.execute(
        "SELECT count(*) FROM mentions m LEFT JOIN articles a ON a.id=m.article_id WHERE a.id IS NULL").fetchone()[0]
    assert dangling == 0


def test_failure_inside_a_batch_rolls_back_and_rerun_completes(tmp_path, monkeypatch):
    db = str(tmp_path / "s.db")
    loom = Newsloom(db)
    calls = {"n": 0}
    original = Store.insert_article

    def failing(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 30:
            raise KeyboardInterrupt("simulated kill")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Store, "insert_article", failing)
    with pytest.raises(KeyboardInterrupt):
        loom.ingest([demo_corpus_path()], workers=1)
    assert loom.db.execute("SELECT count(*) FROM articles").fetchone()[0] == 0  # the whole batch rolled back
    monkeypatch.setattr(Store, "insert_article", original)
    report = loom.ingest([demo_corpus_path()], workers=1)
    assert report.stored == 67 and report.failed == 0
    _consistent(loom)
    loom.close()


def test_sigkill_then_rerun(tmp_path):
    """A real kill of the ingest process between or inside batches."""
    many = tmp_path / "many.jsonl"
    lines = resources_lines()
    with open(many, "w", encoding="utf-8") as handle:
        for copy in range(12):  # 800 articles: two batches
            for line in lines:
                record = json.loads(line)
                record["id"] = f"{record['id']}-{copy}"
                record["text"] = record["text"] + f" Fassung {copy}."
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    db = str(tmp_path / "k.db")
    process = subprocess.Popen([sys.executable, "-m", "newsloom", "--db", db, "ingest", str(many), "--processes", "1",
                                "--no-progress"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while time.time() < deadline and process.poll() is None:
        time.sleep(0.2)
        if os.path.exists(db):
            try:
                with Store(db) as peek:
                    if peek.db.execute("SELECT count(*) FROM articles").fetchone()[0] > 0:
                        break
            except Exception:
                pass
    if process.poll() is None:
        process.send_signal(signal.SIGKILL)
    process.wait()
    loom = Newsloom(db)
    _consistent(loom)
    loom.ingest([str(many)], workers=1)
    assert loom.db.execute("SELECT count(*) FROM articles").fetchone()[0] == 12 * len(lines)
    _consistent(loom)
    loom.close()


def resources_lines() -> list[str]:
    with open(demo_corpus_path(), encoding="utf-8") as handle:
        return [line for line in handle if line.strip()]


def test_schema_version_recorded(tmp_path):
    with Store(str(tmp_path / "v.db")) as store:
        assert store.get_meta("schema_version") == str(SCHEMA_VERSION)
        assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
