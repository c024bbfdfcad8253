"""Fixtures of the watch tests; the helpers are in feedserver.py (a module name of its own: tests/web has a
conftest too, and ``from conftest import`` would find whichever was imported first)."""
from __future__ import annotations

import dataclasses
import threading
from http.server import ThreadingHTTPServer

import pytest
from feedserver import FeedServer, request_handler

from newsloom.settings import WATCH


@pytest.fixture()
def feed_server():
    state = FeedServer()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), request_handler(state))
    httpd.daemon_threads = True
    state.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield state
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture()
def test_settings():
    """No politeness delays, short timeouts: the tests' server is local and answers at once (or never)."""
    return dataclasses.replace(WATCH, host_delay_s=0.0, read_timeout_s=1.0, connect_timeout_s=1.0,
                               total_timeout_s=3.0, workers=4, flush_items=1000, flush_seconds=60.0,
                               interval_s=60.0)


@pytest.fixture()
def store_paths(tmp_path):
    return str(tmp_path / "watch.db")
