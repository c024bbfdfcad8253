"""Fixtures for the web tests: TestClients over the demo corpus and the seeds, and fresh stores for writes."""
from __future__ import annotations

import pytest

pytest.importorskip("fastapi", reason="the web dependencies (fastapi, jinja2) are not installed")

from fastapi.testclient import TestClient  # noqa: E402

from newsloom.api import Newsloom  # noqa: E402
from newsloom.cli import demo_corpus_path  # noqa: E402
from newsloom.web.app import create_app  # noqa: E402

TOKEN = "test-token-123"


@pytest.fixture(scope="session")
def demo_client(demo_store):
    with TestClient(create_app(demo_store.store.path)) as client:
        yield client


@pytest.fixture(scope="session")
def seeds_client(seeded_store):
    with TestClient(create_app(seeded_store.store.path)) as client:
        yield client


@pytest.fixture()
def writable_client(tmp_path):
    """A fresh store with the demo corpus and a write token."""
    db = tmp_path / "w.db"
    loom = Newsloom(str(db))
    loom.ingest([demo_corpus_path()], workers=1)
    loom.close()
    with TestClient(create_app(str(db), token=TOKEN)) as client:
        yield client


@pytest.fixture()
def empty_client(tmp_path):
    """An empty store with a write token."""
    with TestClient(create_app(str(tmp_path / "e.db"), token=TOKEN)) as client:
        yield client


def auth() -> dict:
    return {"Authorization": f"Bearer {TOKEN}"}
