"""The same input gives the same store whether analysed locally, on a local Dask cluster, on Dask workers over
TCP (loopback) or from a Parquet dataset written by ``newsloom analyze``."""
from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest

from newsloom.api import Newsloom
from newsloom.cli import demo_corpus_path, main


def snapshot(db: Path) -> dict:
    """Everything a user sees of the clustering and the analysis, through the public API."""
    loom = Newsloom(str(db))
    try:
        events = [e.to_json() for e in loom.events(limit=None)]
        articles = [a.to_json() for a in loom.articles(limit=None)]
        mentions = {a["id"]: loom.mentions(a["id"]) for a in articles}
        dates = {a["id"]: loom.dates(a["id"]) for a in articles}
        storylines = [s.to_json() for s in loom.storylines(limit=None)]
    finally:
        loom.close()
    return {"events": events, "articles": articles, "mentions": mentions, "dates": dates, "storylines": storylines}


@pytest.fixture(scope="module")
def local_snapshot(tmp_path_factory) -> dict:
    db = tmp_path_factory.mktemp("local") / "local.db"
    loom = Newsloom(str(db))
    report = loom.ingest([demo_corpus_path()], workers=1)
    loom.close()
    assert report.stored == 67 and not report.problems
    return snapshot(db)


def gz_copy(tmp_path: Path) -> str:
    target = tmp_path / "demo.jsonl.gz"
    with open(demo_corpus_path(), "rb") as source, gzip.open(target, "wb") as sink:
        shutil.copyfileobj(source, sink)
    return str(target)


def test_local_pool_of_two_processes_equals_one_process(tmp_path, local_snapshot):
    db = tmp_path / "pool.db"
    loom = Newsloom(str(db))
    loom.ingest([demo_corpus_path()], workers=2)
    loom.close()
    assert snapshot(db) == local_snapshot


def test_local_dask_cluster_equals_local(tmp_path, local_snapshot):
    db = tmp_path / "dask.db"
    assert main(["--db", str(db), "ingest", demo_corpus_path(), "--workers", "2", "--no-progress"]) == 0
    assert snapshot(db) == local_snapshot


def test_tcp_workers_equal_local_both_reading_modes(tmp_path, tcp_cluster, local_snapshot):
    tcp_cluster.add_workers(2)
    # an uncompressed JSON Lines file the workers reach: they read byte ranges of it themselves
    db = tmp_path / "tcp.db"
    assert main(["--db", str(db), "ingest", demo_corpus_path(), "--scheduler", tcp_cluster.address,
                 "--no-progress"]) == 0
    assert snapshot(db) == local_snapshot
    # a gzip file: read here, the records shipped to the workers
    db = tmp_path / "tcp-gz.db"
    assert main(["--db", str(db), "ingest", gz_copy(tmp_path), "--scheduler", tcp_cluster.address,
                 "--no-progress"]) == 0
    assert snapshot(db) == local_snapshot


def test_analyze_to_parquet_then_ingest_equals_direct_ingest(tmp_path, local_snapshot):
    folder = tmp_path / "analyses"
    assert main(["analyze", demo_corpus_path(), "-o", str(folder), "--processes", "1"]) == 0
    import pyarrow.dataset as ds

    table = ds.dataset(str(folder), format="parquet", partitioning="hive").to_table()
    assert table.num_rows == 67
    assert {"id", "day", "title", "mentions", "lemma_counts", "fingerprint"} <= set(table.column_names)
    assert all(day.count("-") == 2 for day in table.column("day").to_pylist())
    db = tmp_path / "from-parquet.db"
    assert main(["--db", str(db), "ingest", str(folder), "--no-progress"]) == 0
    assert snapshot(db) == local_snapshot
