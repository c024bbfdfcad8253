"""Shared fixtures. Data from ../shared is read in place, never copied; tests that need it skip without it."""
from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "seeds"
DATA = SHARED / "data"


def need_shared(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is absent (the shared data folder sits beside the repository only on dev machines and CI)")
    return path


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return need_shared(SEEDS)


@pytest.fixture(scope="session")
def seeded_store(tmp_path_factory, seeds_dir):
    from newsloom.api import Newsloom

    db = tmp_path_factory.mktemp("seeds") / "seeds.db"
    loom = Newsloom(str(db))
    report = loom.ingest([str(seeds_dir)], workers=1)
    assert report.stored == 5
    yield loom
    loom.close()


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory):
    from newsloom.api import Newsloom
    from newsloom.cli import demo_corpus_path

    db = tmp_path_factory.mktemp("demo") / "demo.db"
    loom = Newsloom(str(db))
    loom.ingest([demo_corpus_path()], workers=1)
    yield loom
    loom.close()


@pytest.fixture(scope="session")
def pg_server():
    """A throwaway PostgreSQL server (tests/pgserver.py); skips, saying why, where none can be had."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import pgserver

    try:
        server = pgserver.start()
    except RuntimeError as exc:
        pytest.skip(str(exc))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def pg_demo_store(pg_server):
    """The demo corpus in a PostgreSQL store."""
    from newsloom.api import Newsloom
    from newsloom.cli import demo_corpus_path

    url = pg_server.database()
    loom = Newsloom(url)
    loom.ingest([demo_corpus_path()], workers=1)
    yield loom
    loom.close()
