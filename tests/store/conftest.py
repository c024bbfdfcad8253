"""Fixtures for the store tests: an empty store's place on each backend."""
from __future__ import annotations

import pytest

BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(params=BACKENDS)
def target(request, tmp_path):
    """A place for a new, empty store on each backend (PostgreSQL: a fresh database on the test server)."""
    if request.param == "sqlite":
        yield str(tmp_path / "store.db")
        return
    server = request.getfixturevalue("pg_server")
    url = server.database()
    yield url
    server.drop(url)
