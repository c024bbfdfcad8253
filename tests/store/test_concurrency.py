"""Concurrency: readers keep working while an ingest writes (no "database is locked" on SQLite; autocommit reads on
PostgreSQL), and a second ingest started against the same store stops with a clear message instead of racing
the first one's clusterer."""
from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

from newsloom.api import Newsloom
from newsloom.cli import demo_corpus_path
from newsloom.errors import StoreBusy

COPIES = 12  # 804 articles: two batches (500 a batch), so the first is committed while the second is written


def _many(tmp_path) -> str:
    path = tmp_path / "many.jsonl"
    with open(demo_corpus_path(), encoding="utf-8") as handle:
        lines = [line for line in handle if line.strip()]
    with open(path, "w", encoding="utf-8") as sink:
        for copy in range(COPIES):
            for line in lines:
                record = json.loads(line)
                record["id"] = f"{record['id']}-{copy}"
                record["text"] = record["text"] + f" Fassung {copy}."
                sink.write(json.dumps(record, ensure_ascii=False) + "\n")
    return str(path)


def test_readers_and_a_second_ingest_during_an_ingest(target, tmp_path):
    source = _many(tmp_path)
    Newsloom(target).close()  # the store exists before the readers open it
    ingest = subprocess.Popen([sys.executable, "-m", "newsloom", "--db", target, "ingest", source, "--workers", "1",
                               "--no-progress"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    reads = during = 0
    second_refused = None
    try:
        with Newsloom(target) as reader:
            deadline = time.time() + 600
            while reads < 40 or ingest.poll() is None:
                assert time.time() < deadline, "the ingest did not finish"
                running = ingest.poll() is None
                reader.events(limit=20)
                reader.entities(limit=20)
                reader.search("Berlin", limit=5)
                reader.articles(limit=5)
                reads += 1
                if running:
                    during += 1  # the ingest process holds its write transaction open most of the time
                    if second_refused is None and reader.store.counts().articles > 0:
                        with Newsloom(target) as second, pytest.raises(StoreBusy) as raised:
                            second.ingest([source], workers=1)
                        second_refused = str(raised.value)
                time.sleep(0.05)
    finally:
        if ingest.poll() is None:
            ingest.kill()
        ingest.wait()
    assert ingest.returncode == 0, ingest.stderr.read()
    assert during > 0, "no read happened while the ingest was writing"
    assert second_refused and "another ingest" in second_refused and "\n" not in second_refused
    with Newsloom(target) as loom:
        assert loom.store.counts().articles == 67 * COPIES
        assert len(loom.store.all_assignments()) == 67 * COPIES
