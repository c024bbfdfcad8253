"""Property-based API test against the OpenAPI schema: no input produces a 5xx."""
from __future__ import annotations

import os

import pytest

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is not installed (pip install -e '.[test]')")
from hypothesis import HealthCheck, settings  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402

from newsloom.api import Newsloom  # noqa: E402
from newsloom.cli import demo_corpus_path  # noqa: E402
from newsloom.web.app import create_app  # noqa: E402


def _schema():
    """The API of an app over a fresh store with the demo corpus (built once, at collection)."""
    import tempfile

    db = os.path.join(tempfile.mkdtemp(prefix="newsloom-schemathesis-"), "s.db")
    loom = Newsloom(db)
    loom.ingest([demo_corpus_path()], workers=1)
    loom.close()
    app = create_app(db, token="schemathesis-token")
    return schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)


schema = _schema()


@schema.parametrize()
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_no_server_errors(case):
    headers = {"Authorization": "Bearer schemathesis-token"} if case.method.upper() == "POST" else None
    case.call_and_validate(headers=headers, checks=[not_a_server_error])
